// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/openapi.h"

#include <cstdio>
#include <functional>

#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/api/protobuf/builtin_schemas.h"
#include "engine/api/status.h"
#include "engine/apiserver/request_info.h"
#include "engine/core/version.h"

namespace slipway::apiserver {

using nlohmann::json;

namespace {

constexpr std::string_view kV3Prefix = "/openapi/v3/";
constexpr std::string_view kV3Refs = "#/components/schemas/";
constexpr std::string_view kV2Refs = "#/definitions/";

std::string documentPath(const api::GroupVersionInfo& gv) {
    return gv.group.empty() ? "api/" + gv.version : "apis/" + gv.group + "/" + gv.version;
}

std::string hashOf(const std::string& body) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(body));
    return hex;
}

json groupVersionKind(const api::ResourceType& type) {
    return {{"group", type.group}, {"version", type.version}, {"kind", type.kind}};
}

/// The built-in schemas, or null when they failed to generate (a build defect, logged once
/// by the first write that needs them); documents then fall back to open schemas.
const api::BuiltinSchemas* builtinSchemas() {
    auto schemas = api::BuiltinSchemas::instance();
    return schemas ? *schemas : nullptr;
}

/// The name of a kind's schema: the built-in one, or an open schema for kinds without one.
std::string schemaNameOf(const api::ResourceType& type) {
    if (const auto* schemas = builtinSchemas()) {
        const std::string_view name = schemas->kindSchemaName(type.group, type.version, type.kind);
        if (!name.empty()) {
            return std::string(name);
        }
    }
    return "io.slipway." + (type.group.empty() ? std::string("core") : type.group) + "." +
           type.version + "." + type.kind;
}

/// A schema that names the kind for kubectl and leaves field checking to the server.
json openSchema(const api::ResourceType& type) {
    return {{"type", "object"},
            {"description", type.kind + " (" + type.apiVersion() + ")"},
            {"x-kubernetes-group-version-kind", json::array({groupVersionKind(type)})},
            {"x-kubernetes-preserve-unknown-fields", true}};
}

struct Style {
    bool v2 = false;
    std::string_view refs;  ///< where schema references point
};

json queryParameter(const Style& style, const char* name, const char* description) {
    json parameter = {{"name", name}, {"in", "query"}, {"uniqueItems", true}};
    if (description != nullptr) {
        parameter["description"] = description;
    }
    if (style.v2) {
        parameter["type"] = "string";
    } else {
        parameter["schema"] = {{"type", "string"}};
    }
    return parameter;
}

json operation(const Style& style, const api::ResourceType& type, const char* action, bool write) {
    json parameters = json::array(
        {queryParameter(style, "dryRun", "When present, modifications are not persisted")});
    if (write) {
        parameters.push_back(queryParameter(
            style, "fieldValidation",
            "Strict, Warn or Ignore: how the server treats unknown and duplicate fields"));
    }
    const json schema = {{"$ref", std::string(style.refs) + schemaNameOf(type)}};
    json ok = {{"description", "OK"}};
    if (style.v2) {
        ok["schema"] = schema;
    } else {
        ok["content"] = {{"application/json", {{"schema", schema}}}};
    }
    return {{"x-kubernetes-action", action},
            {"x-kubernetes-group-version-kind", groupVersionKind(type)},
            {"parameters", std::move(parameters)},
            {"responses", {{"200", std::move(ok)}}}};
}

/// The paths of one kind: collection and item, every operation kube-apiserver has.
void addPaths(const Style& style, const std::string& root, const api::ResourceType& type,
              json& paths) {
    const std::string collection =
        root + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.plural;
    paths[collection] = {{"post", operation(style, type, "post", true)},
                         {"get", operation(style, type, "list", false)}};
    paths[collection + "/{name}"] = {{"get", operation(style, type, "get", false)},
                                     {"put", operation(style, type, "put", true)},
                                     {"patch", operation(style, type, "patch", true)},
                                     {"delete", operation(style, type, "delete", false)}};
}

/// OpenAPI v3 schema → Swagger 2.0: references point to #/definitions and are bare (2.0 has
/// no allOf-for-a-description habit), oneOf (IntOrString, Quantity) becomes a string with
/// Kubernetes' format.
json toV2(const json& schema) {
    if (schema.is_array()) {
        json out = json::array();
        for (const auto& element : schema) {
            out.push_back(toV2(element));
        }
        return out;
    }
    if (!schema.is_object()) {
        return schema;
    }
    const auto allOf = schema.find("allOf");
    if (allOf != schema.end() && allOf->size() == 1 && allOf->front().contains("$ref")) {
        return toV2(allOf->front());
    }
    json out = json::object();
    for (const auto& [key, value] : schema.items()) {
        if (key == "$ref" && value.is_string()) {
            out[key] = std::string(kV2Refs) + value.get<std::string>().substr(std::min(
                                                  kV3Refs.size(), value.get<std::string>().size()));
        } else if (key == "oneOf") {
            out["type"] = "string";
        } else {
            out[key] = toV2(value);
        }
    }
    return out;
}

/// The schemas of `types` and everything they reference, by name.
json schemasOf(const std::vector<std::shared_ptr<const api::ResourceType>>& types, bool v2) {
    json schemas = json::object();
    std::vector<std::string> builtin;
    const auto* builtins = builtinSchemas();
    for (const auto& type : types) {
        const std::string name = schemaNameOf(*type);
        if (builtins != nullptr && builtins->components().contains(name)) {
            builtin.push_back(name);
            const std::string_view list =
                builtins->kindSchemaName(type->group, type->version, type->listKind());
            if (!list.empty()) {
                builtin.emplace_back(list);
            }
        } else {
            schemas[name] = openSchema(*type);
        }
    }
    if (builtins != nullptr) {
        for (const auto& name : builtins->closure(builtin)) {
            const json& schema = builtins->components().at(name);
            schemas[name] = v2 ? toV2(schema) : schema;
        }
    }
    return schemas;
}

std::string fingerprintOf(const std::vector<std::shared_ptr<const api::ResourceType>>& types) {
    std::string fingerprint;
    for (const auto& type : types) {
        fingerprint += type->apiVersion() + "/" + type->kind + "/" + type->plural +
                       (type->namespaced ? "/n;" : "/c;");
    }
    return fingerprint;
}

json info() {
    return {{"title", "Kubernetes"}, {"version", core::kubernetesGitVersion()}};
}

HttpResponse notFound() {
    const core::Error error(core::ErrorCode::NotFound,
                            "the server could not find the requested resource");
    return HttpResponse::make(404, "application/json", api::failureStatus(error).dump());
}

/// True when the client takes JSON: no Accept, */*, application/* or application/json.
bool acceptsJson(std::string_view accept) {
    return accept.empty() || accept.find("application/json") != std::string_view::npos ||
           accept.find("*/*") != std::string_view::npos ||
           accept.find("application/*") != std::string_view::npos;
}

}  // namespace

OpenApi::OpenApi(const api::KindRegistry& registry) : m_registry(registry) {
    for (const auto& gv : m_registry.groupVersions()) {
        v3Document(documentPath(gv));
    }
}

std::shared_ptr<const OpenApi::Document> OpenApi::v3Document(const std::string& path) const {
    for (const auto& gv : m_registry.groupVersions()) {
        if (documentPath(gv) != path) {
            continue;
        }
        const auto types = m_registry.resources(gv.group, gv.version);
        std::string fingerprint = fingerprintOf(types);
        {
            const std::lock_guard lock(m_mutex);
            const auto cached = m_v3.find(path);
            if (cached != m_v3.end() && cached->second->fingerprint == fingerprint) {
                return cached->second;
            }
        }
        const Style style{false, kV3Refs};
        json paths = json::object();
        for (const auto& type : types) {
            addPaths(style, "/" + path, *type, paths);
        }
        const json document = {{"openapi", "3.0.0"},
                               {"info", info()},
                               {"paths", std::move(paths)},
                               {"components", {{"schemas", schemasOf(types, false)}}}};
        auto built = std::make_shared<Document>();
        built->fingerprint = std::move(fingerprint);
        built->body = document.dump();
        built->hash = hashOf(built->body);
        const std::lock_guard lock(m_mutex);
        m_v3[path] = built;
        return built;
    }
    return nullptr;
}

std::shared_ptr<const OpenApi::Document> OpenApi::v2Document() const {
    const auto types = m_registry.all();
    std::string fingerprint = fingerprintOf(types);
    {
        const std::lock_guard lock(m_mutex);
        if (m_v2 != nullptr && m_v2->fingerprint == fingerprint) {
            return m_v2;
        }
    }
    const Style style{true, kV2Refs};
    json paths = json::object();
    for (const auto& type : types) {
        const std::string root = type->group.empty() ? "/api/" + type->version
                                                     : "/apis/" + type->group + "/" + type->version;
        addPaths(style, root, *type, paths);
    }
    const json document = {{"swagger", "2.0"},
                           {"info", info()},
                           {"paths", std::move(paths)},
                           {"definitions", schemasOf(types, true)}};
    auto built = std::make_shared<Document>();
    built->fingerprint = std::move(fingerprint);
    built->body = document.dump();
    built->hash = hashOf(built->body);
    const std::lock_guard lock(m_mutex);
    m_v2 = built;
    return built;
}

HttpResponse OpenApi::handle(const HttpRequest& request) const {
    const Target target = splitTarget(request.target);
    const std::string path(target.path);
    if (path == "/openapi/v2") {
        if (!acceptsJson(request.accept)) {
            // The protobuf form (gnostic's OpenAPIv2 message) is not served.
            const core::Error error(core::ErrorCode::NotAcceptable,
                                    "only application/json is available for /openapi/v2");
            return HttpResponse::make(406, "application/json", api::failureStatus(error).dump());
        }
        const auto document = v2Document();
        HttpResponse response = HttpResponse::make(200, "application/json", document->body);
        response.headers.emplace_back("ETag", "\"" + document->hash + "\"");
        return response;
    }
    if (path == "/openapi/v3" || path == "/openapi/v3/") {
        json index = json::object();
        for (const auto& gv : m_registry.groupVersions()) {
            const std::string documentName = documentPath(gv);
            if (const auto document = v3Document(documentName)) {
                index[documentName] = {{"serverRelativeURL", std::string(kV3Prefix) + documentName +
                                                                 "?hash=" + document->hash}};
            }
        }
        return HttpResponse::make(200, "application/json", json{{"paths", index}}.dump());
    }
    if (path.rfind(kV3Prefix, 0) == 0) {
        if (const auto document = v3Document(path.substr(kV3Prefix.size()))) {
            HttpResponse response = HttpResponse::make(200, "application/json", document->body);
            response.headers.emplace_back("ETag", "\"" + document->hash + "\"");
            // As kube-openapi: the URL with the current hash names content that never
            // changes; a stale hash is sent on to the current one.
            const auto query = QueryParameters::parse(target.query);
            const std::string hash = query ? query->get("hash") : std::string();
            if (!hash.empty() && hash != document->hash) {
                HttpResponse moved = HttpResponse::make(301, "text/plain", {});
                moved.headers.emplace_back("Location", path + "?hash=" + document->hash);
                return moved;
            }
            if (!hash.empty()) {
                response.headers.emplace_back("Cache-Control", "public, immutable");
            }
            return response;
        }
    }
    return notFound();
}

}  // namespace slipway::apiserver
