// SPDX-License-Identifier: Apache-2.0
#include "engine/admission/quota.h"

#include <algorithm>

#include "engine/api/json_fields.h"

namespace slipway::admission {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

std::map<std::string, core::Quantity> quantities(const json& list) {
    std::map<std::string, core::Quantity> parsed;
    if (!list.is_object()) {
        return parsed;
    }
    for (const auto& [name, value] : list.items()) {
        if (auto quantity = core::Quantity::fromJson(value)) {
            parsed[name] = *quantity;
        }
    }
    return parsed;
}

void addInto(std::map<std::string, core::Quantity>& sum,
             const std::map<std::string, core::Quantity>& more) {
    for (const auto& [name, quantity] : more) {
        sum[name] += quantity;
    }
}

void maxInto(std::map<std::string, core::Quantity>& result,
             const std::map<std::string, core::Quantity>& candidate) {
    for (const auto& [name, quantity] : candidate) {
        auto it = result.find(name);
        if (it == result.end() || it->second < quantity) {
            result[name] = quantity;
        }
    }
}

bool terminal(const json& pod) {
    const std::string phase = stringAt(pod, {"status", "phase"});
    return phase == "Succeeded" || phase == "Failed";
}

/// The compute resource a quota name limits, and whether it is a limit: "requests.cpu" and
/// "cpu" → (cpu, false); "limits.memory" → (memory, true).
std::optional<std::pair<std::string, bool>> computeResource(const std::string& name) {
    for (const char* resource : {"cpu", "memory", "ephemeral-storage"}) {
        if (name == resource || name == std::string("requests.") + resource) {
            return std::pair<std::string, bool>{resource, false};
        }
        if (name == std::string("limits.") + resource) {
            return std::pair<std::string, bool>{resource, true};
        }
    }
    return std::nullopt;
}

/// What one object adds to the quota's resource `name`.
std::optional<core::Quantity> contribution(const json& quota, const std::string& name,
                                           const std::string& resource, const json& object) {
    if (resource == "pods") {
        if (!podCounts(quota, object)) {
            return core::Quantity();
        }
        if (name == "pods" || name == "count/pods") {
            return core::Quantity::fromValue(1);
        }
        if (const auto compute = computeResource(name)) {
            const auto resources = podResources(object);
            const auto& list = compute->second ? resources.limits : resources.requests;
            const auto it = list.find(compute->first);
            return it == list.end() ? core::Quantity() : it->second;
        }
        return std::nullopt;
    }
    if (resource == "services") {
        const std::string type = stringAt(object, {"spec", "type"}, "ClusterIP");
        if (name == "services" || name == "count/services") {
            return core::Quantity::fromValue(1);
        }
        if (name == "services.loadbalancers") {
            return core::Quantity::fromValue(type == "LoadBalancer" ? 1 : 0);
        }
        if (name == "services.nodeports") {
            std::int64_t ports = 0;
            if (type == "NodePort" || type == "LoadBalancer") {
                ports = static_cast<std::int64_t>(arrayAt(object, {"spec", "ports"}).size());
            }
            return core::Quantity::fromValue(ports);
        }
        return std::nullopt;
    }
    if (resource == "persistentvolumeclaims") {
        if (name == "persistentvolumeclaims" || name == "count/persistentvolumeclaims") {
            return core::Quantity::fromValue(1);
        }
        if (name == "requests.storage") {
            auto requested = core::Quantity::fromJson(
                objectAt(object, {"spec", "resources", "requests"}).value("storage", json()));
            return requested ? *requested : core::Quantity();
        }
        return std::nullopt;
    }
    if (name == resource || name == "count/" + resource) {
        return core::Quantity::fromValue(1);
    }
    return std::nullopt;
}

}  // namespace

PodResources podResources(const json& pod) {
    PodResources total;
    for (const auto& container : arrayAt(pod, {"spec", "containers"})) {
        addInto(total.requests, quantities(objectAt(container, {"resources", "requests"})));
        addInto(total.limits, quantities(objectAt(container, {"resources", "limits"})));
    }
    for (const auto& container : arrayAt(pod, {"spec", "initContainers"})) {
        maxInto(total.requests, quantities(objectAt(container, {"resources", "requests"})));
        maxInto(total.limits, quantities(objectAt(container, {"resources", "limits"})));
    }
    const auto overhead = quantities(objectAt(pod, {"spec", "overhead"}));
    addInto(total.requests, overhead);
    if (!total.limits.empty()) {
        addInto(total.limits, overhead);
    }
    return total;
}

bool podCounts(const json& quota, const json& pod) {
    if (terminal(pod)) {
        return false;
    }
    const auto resources = podResources(pod);
    const bool bestEffort = resources.requests.empty() && resources.limits.empty();
    const bool terminating = api::detail::has(pod, {"spec", "activeDeadlineSeconds"});
    for (const auto& scope : arrayAt(quota, {"spec", "scopes"})) {
        const std::string name = scope.is_string() ? scope.get<std::string>() : std::string();
        if ((name == "BestEffort" && !bestEffort) || (name == "NotBestEffort" && bestEffort) ||
            (name == "Terminating" && !terminating) || (name == "NotTerminating" && terminating)) {
            return false;
        }
    }
    return true;
}

std::string countedResource(const std::string& name) {
    if (name == "pods" || computeResource(name) || name == "count/pods") {
        return "pods";
    }
    if (name.starts_with("services")) {
        return "services";
    }
    if (name == "requests.storage" || name == "persistentvolumeclaims") {
        return "persistentvolumeclaims";
    }
    return name.starts_with("count/") ? name.substr(6) : name;
}

json quotaUsage(const json& quota, const NamespaceObjects& objects) {
    json used = json::object();
    for (const auto& [name, hard] : objectAt(quota, {"spec", "hard"}).items()) {
        (void)hard;
        const std::string resource = countedResource(name);
        const auto it = objects.find(resource);
        if (it == objects.end()) {
            continue;  // a resource nobody counts here
        }
        core::Quantity sum;
        for (const auto& object : it->second) {
            if (auto part = contribution(quota, name, resource, object)) {
                sum += *part;
            }
        }
        used[name] = sum.toJson();
    }
    return used;
}

std::optional<std::string> quotaViolation(const json& quota, const NamespaceObjects& objects,
                                          const std::string& resource, const json& object) {
    const std::string quotaName = stringAt(quota, {"metadata", "name"});
    const json& hardList = objectAt(quota, {"spec", "hard"});
    const json used = quotaUsage(quota, objects);

    // A pod must name a value for every compute resource the quota limits.
    if (resource == "pods" && podCounts(quota, object)) {
        const auto resources = podResources(object);
        std::vector<std::string> missing;
        for (const auto& [name, hard] : hardList.items()) {
            (void)hard;
            if (const auto compute = computeResource(name)) {
                const auto& list = compute->second ? resources.limits : resources.requests;
                if (!list.contains(compute->first)) {
                    missing.push_back(compute->second ? "limits." + compute->first
                                                      : "requests." + compute->first);
                }
            }
        }
        if (!missing.empty()) {
            std::sort(missing.begin(), missing.end());
            missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
            std::string list;
            for (const auto& name : missing) {
                list += (list.empty() ? "" : ",") + name;
            }
            return "failed quota: " + quotaName + ": must specify " + list;
        }
    }

    std::string requested;
    std::string usedText;
    std::string limited;
    for (const auto& [name, hardValue] : hardList.items()) {
        const auto part = contribution(quota, name, resource, object);
        if (!part || *part == core::Quantity()) {
            continue;
        }
        auto hard = core::Quantity::fromJson(hardValue);
        if (!hard) {
            continue;
        }
        core::Quantity current;
        if (used.contains(name)) {
            if (auto parsed = core::Quantity::fromJson(used[name])) {
                current = *parsed;
            }
        }
        if (current + *part > *hard) {
            const auto add = [](std::string& text, const std::string& entry) {
                text += (text.empty() ? "" : ",") + entry;
            };
            add(requested, name + "=" + part->toString());
            add(usedText, name + "=" + current.toString());
            add(limited, name + "=" + hard->toString());
        }
    }
    if (requested.empty()) {
        return std::nullopt;
    }
    return "exceeded quota: " + quotaName + ", requested: " + requested + ", used: " + usedText +
           ", limited: " + limited;
}

}  // namespace slipway::admission
