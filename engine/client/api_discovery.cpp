// SPDX-License-Identifier: Apache-2.0
#include "engine/client/api_discovery.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace slipway::client {

using nlohmann::json;

namespace {

core::Result<json> getDocument(const Client& client, const std::string& path) {
    auto response = client.send(Request("GET", path));
    if (!response) {
        return response.error();
    }
    if (auto failure = Client::failureOf(*response)) {
        return *failure;
    }
    auto document = json::parse(response->body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return core::Error(core::ErrorCode::Internal,
                           "discovery document " + path + " is not a JSON object");
    }
    return document;
}

/// Appends the resources of one APIResourceList, skipping subresources ("pods/status").
void appendResources(const json& list, const std::string& group, const std::string& version,
                     std::vector<ApiResource>& out) {
    for (const auto& item : list.value("resources", json::array())) {
        const std::string name = item.value("name", "");
        if (name.empty() || name.find('/') != std::string::npos) {
            continue;
        }
        ApiResource resource;
        resource.group = group;
        resource.version = version;
        resource.resource = name;
        resource.kind = item.value("kind", "");
        resource.namespaced = item.value("namespaced", false);
        for (const auto& verb : item.value("verbs", json::array())) {
            if (verb.is_string()) {
                resource.verbs.push_back(verb.get<std::string>());
            }
        }
        out.push_back(std::move(resource));
    }
}

}  // namespace

bool ApiResource::allows(std::string_view verb) const {
    return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

core::Result<std::vector<ApiResource>> discoverPreferredResources(const Client& client) {
    std::vector<ApiResource> resources;
    auto core = getDocument(client, "/api/v1");
    if (!core) {
        return core.error();
    }
    appendResources(*core, "", "v1", resources);
    auto groups = getDocument(client, "/apis");
    if (!groups) {
        return groups.error();
    }
    for (const auto& group : groups->value("groups", json::array())) {
        const std::string name = group.value("name", "");
        const std::string version =
            group.value("/preferredVersion/version"_json_pointer, std::string());
        if (name.empty() || version.empty()) {
            continue;
        }
        auto list = getDocument(client, "/apis/" + name + "/" + version);
        if (!list) {
            // A group that went away between the two requests (a CRD deleted) is skipped,
            // as client-go does with ErrGroupDiscoveryFailed.
            if (list.error().code() == core::ErrorCode::NotFound) {
                continue;
            }
            return list.error();
        }
        appendResources(*list, name, version, resources);
    }
    return resources;
}

}  // namespace slipway::client
