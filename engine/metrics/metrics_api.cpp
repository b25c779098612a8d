// SPDX-License-Identifier: Apache-2.0
#include "engine/metrics/metrics_api.h"

#include <algorithm>
#include <tuple>

#include "engine/api/status.h"
#include "engine/api/table.h"
#include "engine/apiserver/request_info.h"
#include "engine/core/field_selector.h"
#include "engine/core/label_selector.h"
#include "engine/core/timestamp.h"

namespace slipway::metrics {
namespace {

using apiserver::HttpRequest;
using apiserver::HttpResponse;
using apiserver::RequestInfo;
using nlohmann::json;

HttpResponse errorResponse(const core::Error& error, json details = json::object()) {
    return HttpResponse::make(core::httpStatus(error.code()), "application/json",
                              api::failureStatus(error, std::move(details)).dump());
}

api::ResourceType metricsType(std::string kind, std::string plural, bool namespaced) {
    api::ResourceType type;
    type.group = MetricsApi::kGroup;
    type.version = MetricsApi::kVersion;
    type.kind = std::move(kind);
    type.plural = std::move(plural);
    // metrics-server publishes no singular name; kubectl then derives one from the kind.
    type.singular.clear();
    type.namespaced = namespaced;
    type.verbs = {"get", "list"};
    // metrics-server's table: NAME, CPU, MEMORY, WINDOW.
    type.columns = {{"Name", "string", "name", "Name of the resource", 0},
                    {"CPU", "string", "", "CPU usage", 0},
                    {"Memory", "string", "", "Memory usage", 0},
                    {"Window", "string", "", "Interval the usage is measured over", 0}};
    type.cells = [](const json& object, std::chrono::system_clock::time_point) {
        core::Quantity cpu;
        core::Quantity memory;
        const auto add = [&cpu, &memory](const json& usage) {
            if (auto value = core::Quantity::fromJson(usage.value("cpu", json("0")))) {
                cpu += *value;
            }
            if (auto value = core::Quantity::fromJson(usage.value("memory", json("0")))) {
                memory += *value;
            }
        };
        if (object.contains("usage")) {
            add(object["usage"]);
        }
        for (const auto& container : object.value("containers", json::array())) {
            add(container.value("usage", json::object()));
        }
        return json::array({object["metadata"].value("name", std::string()), cpu.toString(),
                            memory.toString(), object.value("window", std::string())});
    };
    return type;
}

json metadataOf(const std::string& nameSpace, const std::string& name, const json& labels,
                std::chrono::system_clock::time_point timestamp) {
    json metadata = {{"name", name}};
    if (!nameSpace.empty()) {
        metadata["namespace"] = nameSpace;
    }
    // metrics-server stamps each object with the time it answers.
    metadata["creationTimestamp"] = core::formatTimestamp(timestamp);
    if (labels.is_object() && !labels.empty()) {
        metadata["labels"] = labels;
    }
    return metadata;
}

struct Selection {
    core::LabelSelector labels;
    core::FieldSelector fields;
};

core::Result<Selection> selectionOf(const HttpRequest& request) {
    const auto target = apiserver::splitTarget(request.target);
    auto parameters = apiserver::QueryParameters::parse(target.query);
    if (!parameters) {
        return parameters.error();
    }
    Selection selection;
    auto labels = core::LabelSelector::parse(parameters->get("labelSelector"));
    if (!labels) {
        return labels.error();
    }
    selection.labels = std::move(*labels);
    auto fields = core::FieldSelector::parse(parameters->get("fieldSelector"));
    if (!fields) {
        return fields.error();
    }
    selection.fields = std::move(*fields);
    return selection;
}

bool wantsTable(const HttpRequest& request) {
    return request.accept.find("as=Table") != std::string::npos;
}

HttpResponse answer(const api::ResourceType& type, const HttpRequest& request, json object,
                    std::vector<json> items, bool list) {
    if (wantsTable(request)) {
        if (!list) {
            items = {std::move(object)};
        }
        return HttpResponse::make(
            200, "application/json",
            api::toTable(type, items, std::chrono::system_clock::now(), false, "", "", true)
                .dump());
    }
    if (!list) {
        return HttpResponse::make(200, "application/json", object.dump());
    }
    json body = {{"kind", type.listKind()},
                 {"apiVersion", type.apiVersion()},
                 {"metadata", json::object()},
                 {"items", json::array()}};
    for (auto& item : items) {
        body["items"].push_back(std::move(item));
    }
    return HttpResponse::make(200, "application/json", body.dump());
}

}  // namespace

std::string goDuration(std::chrono::milliseconds duration) {
    const auto total = duration.count();
    if (total == 0) {
        return "0s";
    }
    std::string text;
    long long milli = total < 0 ? -total : total;
    const long long hours = milli / 3'600'000;
    milli %= 3'600'000;
    const long long minutes = milli / 60'000;
    milli %= 60'000;
    if (hours > 0) {
        text += std::to_string(hours) + "h";
    }
    if (hours > 0 || minutes > 0) {
        text += std::to_string(minutes) + "m";
    }
    std::string seconds = std::to_string(milli / 1000);
    if (const long long fraction = milli % 1000; fraction != 0) {
        std::string digits = std::to_string(fraction);
        digits.insert(0, 3 - digits.size(), '0');
        while (!digits.empty() && digits.back() == '0') {
            digits.pop_back();
        }
        seconds += "." + digits;
    }
    text += seconds + "s";
    return total < 0 ? "-" + text : text;
}

core::Result<void> MetricsApi::registerKinds(api::KindRegistry& registry) {
    if (auto added = registry.add(metricsType("NodeMetrics", "nodes", false)); !added) {
        return added;
    }
    return registry.add(metricsType("PodMetrics", "pods", true));
}

void MetricsApi::registerWith(apiserver::Router& router) const {
    router.addReadOnlyResource(kGroup, "nodes",
                               [this](const HttpRequest& request, const RequestInfo& info) {
                                   return nodes(request, info);
                               });
    router.addReadOnlyResource(kGroup, "pods",
                               [this](const HttpRequest& request, const RequestInfo& info) {
                                   return pods(request, info);
                               });
}

json MetricsApi::toJson(const NodeUsage& usage) {
    return {{"kind", "NodeMetrics"},
            {"apiVersion", std::string(kGroup) + "/" + kVersion},
            {"metadata", metadataOf("", usage.name, usage.labels, usage.timestamp)},
            {"timestamp", core::formatTimestamp(usage.timestamp)},
            {"window", goDuration(usage.window)},
            {"usage", {{"cpu", usage.cpu.toString()}, {"memory", usage.memory.toString()}}}};
}

json MetricsApi::toJson(const PodUsage& usage) {
    json containers = json::array();
    for (const auto& container : usage.containers) {
        containers.push_back(
            {{"name", container.name},
             {"usage",
              {{"cpu", container.cpu.toString()}, {"memory", container.memory.toString()}}}});
    }
    return {{"kind", "PodMetrics"},
            {"apiVersion", std::string(kGroup) + "/" + kVersion},
            {"metadata", metadataOf(usage.nameSpace, usage.name, usage.labels, usage.timestamp)},
            {"timestamp", core::formatTimestamp(usage.timestamp)},
            {"window", goDuration(usage.window)},
            {"containers", std::move(containers)}};
}

HttpResponse MetricsApi::nodes(const HttpRequest& request, const RequestInfo& info) const {
    static const api::ResourceType type = metricsType("NodeMetrics", "nodes", false);
    if (info.verb == "get") {
        const auto usage = m_source.nodeUsage(info.name);
        if (!usage) {
            return errorResponse(
                core::Error(core::ErrorCode::NotFound,
                            "nodemetrics.metrics.k8s.io \"" + info.name + "\" not found"),
                {{"name", info.name}, {"group", kGroup}, {"kind", "nodemetrics"}});
        }
        return answer(type, request, toJson(*usage), {}, false);
    }
    auto selection = selectionOf(request);
    if (!selection) {
        return errorResponse(selection.error());
    }
    std::vector<json> items;
    for (const auto& usage : m_source.nodeUsage()) {
        const auto fields = [&usage](std::string_view field) {
            return field == "metadata.name" ? usage.name : std::string();
        };
        if (selection->labels.matches(usage.labels) && selection->fields.matches(fields)) {
            items.push_back(toJson(usage));
        }
    }
    std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
        return a["metadata"]["name"] < b["metadata"]["name"];
    });
    return answer(type, request, json(), std::move(items), true);
}

HttpResponse MetricsApi::pods(const HttpRequest& request, const RequestInfo& info) const {
    static const api::ResourceType type = metricsType("PodMetrics", "pods", true);
    if (info.verb == "get") {
        const auto usage = m_source.podUsage(info.nameSpace, std::string_view(info.name));
        if (!usage) {
            // metrics-server names the missing object by namespace and name.
            const std::string name = info.nameSpace + "/" + info.name;
            return errorResponse(
                core::Error(core::ErrorCode::NotFound,
                            "podmetrics.metrics.k8s.io \"" + name + "\" not found"),
                {{"name", name}, {"group", kGroup}, {"kind", "podmetrics"}});
        }
        return answer(type, request, toJson(*usage), {}, false);
    }
    auto selection = selectionOf(request);
    if (!selection) {
        return errorResponse(selection.error());
    }
    std::vector<json> items;
    // The source selects by label (from its indexes); the fields are checked here.
    for (const auto& usage : m_source.podUsage(info.nameSpace, selection->labels)) {
        const auto fields = [&usage](std::string_view field) {
            return field == "metadata.name"        ? usage.name
                   : field == "metadata.namespace" ? usage.nameSpace
                                                   : std::string();
        };
        if (selection->fields.matches(fields)) {
            items.push_back(toJson(usage));
        }
    }
    std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
        return std::tie(a["metadata"]["namespace"], a["metadata"]["name"]) <
               std::tie(b["metadata"]["namespace"], b["metadata"]["name"]);
    });
    return answer(type, request, json(), std::move(items), true);
}

}  // namespace slipway::metrics
