// SPDX-License-Identifier: Apache-2.0
#include "engine/api/protobuf/builtin_schemas.h"

#include <memory>
#include <set>
#include <utility>

#include <google/protobuf/descriptor.h>

#include "engine/api/patch_metadata.h"
#include "engine/api/protobuf/k8s_schema.h"

namespace slipway::api {

namespace {

namespace pb = google::protobuf;
using nlohmann::json;

constexpr std::string_view kRefPrefix = "#/components/schemas/";
constexpr std::string_view kMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.";

std::string kindKey(std::string_view group, std::string_view version, std::string_view kind) {
    std::string key;
    if (!group.empty()) {
        key.append(group).append("/");
    }
    key.append(version).append("/").append(kind);
    return key;
}

/// Kubernetes names a schema after the Go package path with its domain reversed: the proto
/// package "k8s.io.api.apps.v1" becomes "io.k8s.api.apps.v1".
std::string schemaName(const pb::Descriptor& type) {
    constexpr std::string_view kDomain = "k8s.io.";
    const std::string& fullName = type.full_name();
    if (fullName.rfind(kDomain, 0) == 0) {
        return "io.k8s." + fullName.substr(kDomain.size());
    }
    return fullName;
}

json refTo(const std::string& name) {
    return {{"allOf", json::array({{{"$ref", std::string(kRefPrefix) + name}}})}};
}

/// The schemas of the types whose JSON is not the JSON of their protobuf message.
const json* specialSchema(std::string_view fullName) {
    static const std::map<std::string, json, std::less<>> kSpecial = {
        {"k8s.io.apimachinery.pkg.apis.meta.v1.Time",
         {{"type", "string"}, {"format", "date-time"}}},
        {"k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
         {{"type", "string"}, {"format", "date-time"}}},
        {"k8s.io.apimachinery.pkg.apis.meta.v1.Duration", {{"type", "string"}}},
        {"k8s.io.apimachinery.pkg.apis.meta.v1.GroupVersion", {{"type", "string"}}},
        {"k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1", {{"type", "object"}}},
        {"k8s.io.apimachinery.pkg.runtime.RawExtension", {{"type", "object"}}},
        {"k8s.io.apimachinery.pkg.util.intstr.IntOrString",
         {{"oneOf", json::array({{{"type", "integer"}}, {{"type", "string"}}})},
          {"format", "int-or-string"},
          {"x-kubernetes-int-or-string", true}}},
        {"k8s.io.apimachinery.pkg.api.resource.Quantity",
         {{"oneOf", json::array({{{"type", "string"}}, {{"type", "number"}}})},
          {"x-kubernetes-int-or-string", true}}},
        {"k8s.io.apimachinery.pkg.api.resource.QuantityValue",
         {{"oneOf", json::array({{{"type", "string"}}, {{"type", "number"}}})},
          {"x-kubernetes-int-or-string", true}}},
    };
    const auto it = kSpecial.find(fullName);
    return it == kSpecial.end() ? nullptr : &it->second;
}

/// True for a message that is an object of its own in JSON: ObjectMeta or ListMeta metadata
/// (Deployment, DeploymentList), or one of the meta/v1 kinds a client sends or receives.
bool isObject(const pb::Descriptor& type) {
    const pb::FieldDescriptor* metadata = type.FindFieldByNumber(1);
    if (metadata != nullptr && metadata->name() == "metadata" &&
        metadata->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
        const std::string& metaType = metadata->message_type()->full_name();
        if (metaType == std::string(kMeta) + "ObjectMeta" ||
            metaType == std::string(kMeta) + "ListMeta") {
            return true;
        }
    }
    static const std::set<std::string, std::less<>> kMetaKinds = {
        "Status",       "DeleteOptions", "CreateOptions", "UpdateOptions",
        "PatchOptions", "GetOptions",    "ListOptions",   "APIResourceList",
        "APIGroup",     "APIGroupList",  "APIVersions"};
    const std::string& fullName = type.full_name();
    return fullName.rfind(kMeta, 0) == 0 && kMetaKinds.count(fullName.substr(kMeta.size())) != 0;
}

}  // namespace

/// Turns the descriptors into schemas; a friend of BuiltinSchemas.
class BuiltinSchemasBuilder {
public:
    BuiltinSchemasBuilder(const detail::K8sSchema& schema, BuiltinSchemas& out)
        : m_schema(schema), m_out(out) {}

    void build() {
        for (const pb::FileDescriptor* file : m_schema.files()) {
            for (int i = 0; i < file->message_type_count(); ++i) {
                addType(*file->message_type(i));
            }
        }
        // Patch metadata hangs off kinds: walk each kind's tree down its fields' types.
        for (const auto& [key, name] : m_out.m_kinds) {
            const auto slash = key.rfind('/');
            const std::string kind = key.substr(slash + 1);
            const std::string groupVersion = key.substr(0, slash);
            const auto groupEnd = groupVersion.find('/');
            const std::string group =
                groupEnd == std::string::npos ? std::string() : groupVersion.substr(0, groupEnd);
            if (const auto meta = builtinPatchMetadata(group, kind)) {
                annotate(name, *meta);
            }
        }
    }

private:
    void addType(const pb::Descriptor& type) {
        if (type.map_key() != nullptr) {
            return;
        }
        const std::string name = schemaName(type);
        if (const json* special = specialSchema(type.full_name())) {
            m_out.m_components[name] = *special;
        } else if (m_schema.isJsonArray(&type)) {
            const pb::FieldDescriptor* items = type.FindFieldByName("items");
            m_out.m_components[name] = {{"type", "array"}, {"items", valueSchema(*items)}};
        } else {
            json schema = {{"type", "object"}, {"properties", properties(type)}};
            if (isObject(type)) {
                addObjectFields(type, name, schema);
            }
            m_out.m_components[name] = std::move(schema);
        }
        for (int i = 0; i < type.nested_type_count(); ++i) {
            addType(*type.nested_type(i));
        }
    }

    void addObjectFields(const pb::Descriptor& type, const std::string& name, json& schema) {
        json& fields = schema["properties"];
        fields["apiVersion"] = {{"type", "string"}};
        fields["kind"] = {{"type", "string"}};
        std::string_view groupVersion =
            detail::K8sSchema::groupVersionOfPackage(type.file()->package());
        if (groupVersion.empty() && type.full_name().rfind(kMeta, 0) == 0) {
            groupVersion = "v1";  // meta/v1 kinds are served in the core group version
        }
        if (groupVersion.empty()) {
            return;
        }
        const auto slash = groupVersion.find('/');
        const std::string_view group =
            slash == std::string_view::npos ? std::string_view() : groupVersion.substr(0, slash);
        const std::string_view version =
            slash == std::string_view::npos ? groupVersion : groupVersion.substr(slash + 1);
        schema["x-kubernetes-group-version-kind"] =
            json::array({{{"group", group}, {"version", version}, {"kind", type.name()}}});
        m_out.m_kinds.emplace(kindKey(group, version, type.name()), name);
    }

    json properties(const pb::Descriptor& type) {
        json fields = json::object();
        for (int i = 0; i < type.field_count(); ++i) {
            const pb::FieldDescriptor& field = *type.field(i);
            if (m_schema.isInline(&field)) {
                // An embedded Go struct: its fields are the parent's. The parent's own fields
                // win a clash, as in Go.
                json embedded = properties(*field.message_type());
                for (auto& [key, value] : embedded.items()) {
                    fields.emplace(key, std::move(value));
                }
                continue;
            }
            fields[field.json_name()] = fieldSchema(field);
        }
        return fields;
    }

    json fieldSchema(const pb::FieldDescriptor& field) {
        if (field.is_map()) {
            return {{"type", "object"},
                    {"additionalProperties", valueSchema(*field.message_type()->map_value())}};
        }
        if (field.is_repeated()) {
            return {{"type", "array"}, {"items", valueSchema(field)}};
        }
        return valueSchema(field);
    }

    static json valueSchema(const pb::FieldDescriptor& field) {
        switch (field.cpp_type()) {
            case pb::FieldDescriptor::CPPTYPE_MESSAGE:
                return refTo(schemaName(*field.message_type()));
            case pb::FieldDescriptor::CPPTYPE_STRING:
                if (field.type() == pb::FieldDescriptor::TYPE_BYTES) {
                    return {{"type", "string"}, {"format", "byte"}};
                }
                return {{"type", "string"}};
            case pb::FieldDescriptor::CPPTYPE_INT32:
            case pb::FieldDescriptor::CPPTYPE_UINT32:
                return {{"type", "integer"}, {"format", "int32"}};
            case pb::FieldDescriptor::CPPTYPE_INT64:
            case pb::FieldDescriptor::CPPTYPE_UINT64:
                return {{"type", "integer"}, {"format", "int64"}};
            case pb::FieldDescriptor::CPPTYPE_BOOL:
                return {{"type", "boolean"}};
            case pb::FieldDescriptor::CPPTYPE_DOUBLE:
            case pb::FieldDescriptor::CPPTYPE_FLOAT:
                return {{"type", "number"}, {"format", "double"}};
            case pb::FieldDescriptor::CPPTYPE_ENUM:
                break;
        }
        return {{"type", "string"}};  // the transcription has no enums
    }

    /// The schema a field's value, element or map value refers to; empty for scalars.
    static std::string referencedName(const json& field) {
        const json* schema = &field;
        if (schema->contains("items")) {
            schema = &(*schema)["items"];
        } else if (schema->contains("additionalProperties")) {
            schema = &(*schema)["additionalProperties"];
        }
        const auto allOf = schema->find("allOf");
        if (allOf == schema->end() || allOf->empty()) {
            return {};
        }
        return allOf->front().value("$ref", std::string()).substr(kRefPrefix.size());
    }

    void annotate(const std::string& name, const PatchMetadata& meta) {
        const auto found = m_out.m_components.find(name);
        if (found == m_out.m_components.end() || !found->contains("properties")) {
            return;
        }
        json& fields = (*found)["properties"];
        for (const auto& [fieldName, patch] : meta.fields()) {
            const auto field = fields.find(fieldName);
            if (field == fields.end()) {
                continue;
            }
            const std::string strategy = patch.strategyString();
            if (!strategy.empty()) {
                (*field)["x-kubernetes-patch-strategy"] = strategy;
            }
            if (!patch.mergeKey.empty()) {
                (*field)["x-kubernetes-patch-merge-key"] = patch.mergeKey;
            }
            if (patch.merge && field->contains("items")) {
                if (patch.mergeKey.empty()) {
                    (*field)["x-kubernetes-list-type"] = "set";
                } else {
                    (*field)["x-kubernetes-list-type"] = "map";
                    (*field)["x-kubernetes-list-map-keys"] = json::array({patch.mergeKey});
                }
            }
            if (patch.schema) {
                const std::string target = referencedName(*field);
                if (!target.empty()) {
                    annotate(target, *patch.schema);
                }
            }
        }
    }

    const detail::K8sSchema& m_schema;
    BuiltinSchemas& m_out;
};

core::Result<const BuiltinSchemas*> BuiltinSchemas::instance() {
    static const auto built =
        []() -> std::pair<std::unique_ptr<BuiltinSchemas>, core::Result<void>> {
        auto schema = detail::K8sSchema::instance();
        if (!schema.ok()) {
            return {nullptr, schema.error()};
        }
        std::unique_ptr<BuiltinSchemas> schemas(new BuiltinSchemas());
        BuiltinSchemasBuilder(**schema, *schemas).build();
        return {std::move(schemas), core::success()};
    }();
    if (!built.second.ok()) {
        return built.second.error();
    }
    return static_cast<const BuiltinSchemas*>(built.first.get());
}

std::string_view BuiltinSchemas::kindSchemaName(std::string_view group, std::string_view version,
                                                std::string_view kind) const {
    const auto it = m_kinds.find(kindKey(group, version, kind));
    return it == m_kinds.end() ? std::string_view() : std::string_view(it->second);
}

const json* BuiltinSchemas::kindSchema(std::string_view group, std::string_view version,
                                       std::string_view kind) const {
    const std::string_view name = kindSchemaName(group, version, kind);
    if (name.empty()) {
        return nullptr;
    }
    const auto it = m_components.find(name);
    return it == m_components.end() ? nullptr : &*it;
}

namespace {

void collectRefs(const json& schema, std::vector<std::string>& out) {
    if (schema.is_object()) {
        for (const auto& [key, value] : schema.items()) {
            if (key == "$ref" && value.is_string()) {
                out.push_back(value.get<std::string>().substr(kRefPrefix.size()));
            } else {
                collectRefs(value, out);
            }
        }
    } else if (schema.is_array()) {
        for (const auto& value : schema) {
            collectRefs(value, out);
        }
    }
}

}  // namespace

std::vector<std::string> BuiltinSchemas::closure(const std::vector<std::string>& names) const {
    std::set<std::string> seen;
    std::vector<std::string> pending = names;
    while (!pending.empty()) {
        std::string name = std::move(pending.back());
        pending.pop_back();
        const auto it = m_components.find(name);
        if (it == m_components.end() || !seen.insert(name).second) {
            continue;
        }
        collectRefs(*it, pending);
    }
    return {seen.begin(), seen.end()};
}

}  // namespace slipway::api
