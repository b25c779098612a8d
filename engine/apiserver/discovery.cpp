// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/discovery.h"

#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/api/status.h"

namespace slipway::apiserver {

using nlohmann::json;

namespace {

HttpResponse jsonResponse(const json& body, const char* contentType = "application/json") {
    return HttpResponse::make(200, contentType, body.dump());
}

HttpResponse notFound() {
    const core::Error error(core::ErrorCode::NotFound,
                            "the server could not find the requested resource");
    return HttpResponse::make(404, "application/json", api::failureStatus(error).dump());
}

bool wantsAggregated(const std::string& accept) {
    return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
           accept.find("g=apidiscovery.k8s.io") != std::string::npos &&
           accept.find("v=v2") != std::string::npos;
}

/// One entry of an APIResourceList: the resource, then one per subresource
/// ("deployments/scale" answered in autoscaling/v1 Scale).
void appendLegacyResources(json& resources, const api::ResourceType& type) {
    json entry = {{"name", type.plural},
                  {"singularName", type.singular},
                  {"namespaced", type.namespaced},
                  {"kind", type.kind},
                  {"verbs", type.verbs}};
    if (!type.shortNames.empty()) {
        entry["shortNames"] = type.shortNames;
    }
    if (!type.categories.empty()) {
        entry["categories"] = type.categories;
    }
    resources.push_back(std::move(entry));
    for (const auto& sub : type.subresources) {
        json subEntry = {{"name", type.plural + "/" + sub.name},
                         {"singularName", ""},
                         {"namespaced", type.namespaced},
                         {"kind", sub.kind},
                         {"verbs", sub.verbs}};
        if (sub.group != type.group || sub.version != type.version) {
            subEntry["group"] = sub.group;
            subEntry["version"] = sub.version;
        }
        resources.push_back(std::move(subEntry));
    }
}

json aggregatedResource(const api::ResourceType& type) {
    json entry = {
        {"resource", type.plural},
        {"responseKind", {{"group", type.group}, {"version", type.version}, {"kind", type.kind}}},
        {"scope", type.namespaced ? "Namespaced" : "Cluster"},
        {"singularResource", type.singular},
        {"verbs", type.verbs}};
    if (!type.shortNames.empty()) {
        entry["shortNames"] = type.shortNames;
    }
    if (!type.categories.empty()) {
        entry["categories"] = type.categories;
    }
    if (!type.subresources.empty()) {
        json subresources = json::array();
        for (const auto& sub : type.subresources) {
            subresources.push_back(
                {{"subresource", sub.name},
                 {"responseKind",
                  {{"group", sub.group}, {"version", sub.version}, {"kind", sub.kind}}},
                 {"verbs", sub.verbs}});
        }
        entry["subresources"] = std::move(subresources);
    }
    return entry;
}

}  // namespace

HttpResponse Discovery::handle(const RequestInfo& info, const std::string& accept) const {
    const auto groupVersions = m_registry.groupVersions();
    const bool core = info.apiPrefix == "api";

    // /api and /apis: the version or group lists, aggregated when asked.
    if (info.version.empty() && info.group.empty() && info.groupPath == info.path &&
        (info.path == "/api" || info.path == "/api/" || info.path == "/apis" ||
         info.path == "/apis/")) {
        if (wantsAggregated(accept)) {
            json items = json::array();
            std::string currentGroup = "\x01";
            for (const auto& gv : groupVersions) {
                if (gv.group.empty() != core) {
                    continue;
                }
                if (gv.group != currentGroup) {
                    items.push_back(
                        {{"metadata", {{"name", gv.group}}}, {"versions", json::array()}});
                    currentGroup = gv.group;
                }
                json resources = json::array();
                for (const auto& type : m_registry.resources(gv.group, gv.version)) {
                    resources.push_back(aggregatedResource(*type));
                }
                items.back()["versions"].push_back({{"version", gv.version},
                                                    {"resources", std::move(resources)},
                                                    {"freshness", "Current"}});
            }
            return jsonResponse({{"kind", "APIGroupDiscoveryList"},
                                 {"apiVersion", "apidiscovery.k8s.io/v2"},
                                 {"metadata", json::object()},
                                 {"items", std::move(items)}},
                                kAggregatedDiscoveryContentType);
        }
        if (core) {
            return jsonResponse({{"kind", "APIVersions"},
                                 {"versions", {"v1"}},
                                 {"serverAddressByClientCIDRs",
                                  {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", ""}}}}});
        }
        json groups = json::array();
        for (const auto& gv : groupVersions) {
            if (gv.group.empty()) {
                continue;
            }
            const json version = {{"groupVersion", gv.toString()}, {"version", gv.version}};
            if (groups.empty() || groups.back()["name"] != gv.group) {
                groups.push_back({{"name", gv.group},
                                  {"versions", json::array()},
                                  {"preferredVersion", version}});
            }
            groups.back()["versions"].push_back(version);
        }
        return jsonResponse({{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
    }

    // /apis/{group}: one APIGroup. parseRequestInfo leaves the group in the path only.
    if (!core && info.version.empty()) {
        const std::string prefix = "/apis/";
        std::string group = info.path.substr(prefix.size());
        while (!group.empty() && group.back() == '/') {
            group.pop_back();
        }
        json versions = json::array();
        for (const auto& gv : groupVersions) {
            if (gv.group == group) {
                versions.push_back({{"groupVersion", gv.toString()}, {"version", gv.version}});
            }
        }
        if (versions.empty()) {
            return notFound();
        }
        return jsonResponse({{"kind", "APIGroup"},
                             {"apiVersion", "v1"},
                             {"name", group},
                             {"versions", versions},
                             {"preferredVersion", versions.front()}});
    }

    // /api/v1, /apis/{group}/{version}: the APIResourceList.
    const auto types = m_registry.resources(info.group, info.version);
    if (types.empty() || (core && !info.group.empty())) {
        return notFound();
    }
    json resources = json::array();
    for (const auto& type : types) {
        appendLegacyResources(resources, *type);
    }
    return jsonResponse(
        {{"kind", "APIResourceList"},
         {"apiVersion", "v1"},
         {"groupVersion", info.group.empty() ? info.version : info.group + "/" + info.version},
         {"resources", std::move(resources)}});
}

}  // namespace slipway::apiserver
