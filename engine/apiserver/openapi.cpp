// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/openapi.h"

#include <functional>

#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/api/status.h"
#include "engine/core/version.h"

namespace slipway::apiserver {

using nlohmann::json;

namespace {

std::string documentPath(const api::GroupVersionInfo& gv) {
    return gv.group.empty() ? "api/" + gv.version : "apis/" + gv.group + "/" + gv.version;
}

json operation(const api::ResourceType& type, const char* action) {
    return {{"x-kubernetes-action", action},
            {"x-kubernetes-group-version-kind",
             {{"group", type.group}, {"version", type.version}, {"kind", type.kind}}},
            {"parameters",
             {{{"name", "fieldValidation"},
               {"in", "query"},
               {"description",
                "Strict, Warn or Ignore: how the server treats unknown and duplicate fields"},
               {"schema", {{"type", "string"}, {"uniqueItems", true}}}},
              {{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}}}},
            {"responses", {{"200", {{"description", "OK"}}}}}};
}

/// The document of one group-version.
json document(const api::KindRegistry& registry, const api::GroupVersionInfo& gv) {
    json paths = json::object();
    json schemas = json::object();
    const std::string root = "/" + documentPath(gv);
    for (const auto& type : registry.resources(gv.group, gv.version)) {
        const std::string collection =
            root + (type->namespaced ? "/namespaces/{namespace}/" : "/") + type->plural;
        paths[collection] = {{"post", operation(*type, "post")}, {"get", operation(*type, "list")}};
        paths[collection + "/{name}"] = {{"get", operation(*type, "get")},
                                         {"put", operation(*type, "put")},
                                         {"patch", operation(*type, "patch")},
                                         {"delete", operation(*type, "delete")}};
        // An open schema per kind: it names the kind for kubectl, and leaves field checking
        // to the server.
        const std::string schemaName = "io.slipway." +
                                       (type->group.empty() ? std::string("core") : type->group) +
                                       "." + type->version + "." + type->kind;
        schemas[schemaName] = {
            {"type", "object"},
            {"description", type->kind + " (" + type->apiVersion() + ")"},
            {"x-kubernetes-group-version-kind",
             {{{"group", type->group}, {"version", type->version}, {"kind", type->kind}}}},
            {"additionalProperties", true}};
    }
    return {{"openapi", "3.0.0"},
            {"info", {{"title", "Kubernetes"}, {"version", core::kubernetesGitVersion()}}},
            {"paths", std::move(paths)},
            {"components", {{"schemas", std::move(schemas)}}}};
}

HttpResponse notFound() {
    const core::Error error(core::ErrorCode::NotFound,
                            "the server could not find the requested resource");
    return HttpResponse::make(404, "application/json", api::failureStatus(error).dump());
}

}  // namespace

HttpResponse OpenApi::handle(const std::string& path) const {
    const auto groupVersions = m_registry.groupVersions();
    if (path == "/openapi/v3" || path == "/openapi/v3/") {
        json index = json::object();
        for (const auto& gv : groupVersions) {
            const std::string doc = document(m_registry, gv).dump();
            const auto hash = std::hash<std::string>{}(doc);
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016zx", hash);
            index[documentPath(gv)] = {
                {"serverRelativeURL", "/openapi/v3/" + documentPath(gv) + "?hash=" + hex}};
        }
        return HttpResponse::make(200, "application/json", json{{"paths", index}}.dump());
    }
    const std::string prefix = "/openapi/v3/";
    if (path.rfind(prefix, 0) == 0) {
        const std::string wanted = path.substr(prefix.size());
        for (const auto& gv : groupVersions) {
            if (documentPath(gv) == wanted) {
                return HttpResponse::make(200, "application/json", document(m_registry, gv).dump());
            }
        }
    }
    return notFound();
}

}  // namespace slipway::apiserver
