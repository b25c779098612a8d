// SPDX-License-Identifier: Apache-2.0
#include "engine/apiextensions/custom_resource_type.h"

#include <memory>
#include <string>

#include "engine/api/printers.h"
#include "engine/apiextensions/structural_schema.h"

namespace slipway::apiextensions {

using nlohmann::json;

namespace {

const std::vector<std::string> kAllVerbs = {"delete", "deletecollection", "get",    "list",
                                            "patch",  "create",           "update", "watch"};

std::vector<std::string> stringList(const json& value) {
    std::vector<std::string> result;
    if (value.is_array()) {
        for (const auto& item : value) {
            if (item.is_string()) {
                result.push_back(item.get<std::string>());
            }
        }
    }
    return result;
}

std::vector<std::string> pathSegments(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = path.empty() || path[0] != '.' ? 0 : 1;
    while (start < path.size()) {
        const auto dot = path.find('.', start);
        segments.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
        start = dot == std::string::npos ? path.size() : dot + 1;
    }
    return segments;
}

void setAtPath(json& object, const std::string& path, json value) {
    json* current = &object;
    for (const auto& segment : pathSegments(path)) {
        if (!current->is_object()) {
            *current = json::object();
        }
        current = &(*current)[segment];
    }
    *current = std::move(value);
}

struct ScalePaths {
    std::string specReplicas;
    std::string statusReplicas;
    std::string labelSelector;
};

// apiextensions' scale subresource: Scale.spec.replicas from specReplicasPath (0 when unset),
// status.replicas from statusReplicasPath (0 when unset), status.selector the string at
// labelSelectorPath.
json toScale(const ScalePaths& paths, const json& object) {
    const json& metadata = object.at("metadata");
    json scaleMetadata = json::object();
    for (const char* field : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        if (metadata.contains(field)) {
            scaleMetadata[field] = metadata[field];
        }
    }
    const json* spec = valueAtPath(object, paths.specReplicas);
    const json* status = valueAtPath(object, paths.statusReplicas);
    json scaleStatus = {
        {"replicas", status != nullptr && status->is_number_integer() ? *status : json(0)}};
    if (const json* selector =
            paths.labelSelector.empty() ? nullptr : valueAtPath(object, paths.labelSelector);
        selector != nullptr && selector->is_string()) {
        scaleStatus["selector"] = *selector;
    }
    return {
        {"apiVersion", "autoscaling/v1"},
        {"kind", "Scale"},
        {"metadata", scaleMetadata},
        {"spec", {{"replicas", spec != nullptr && spec->is_number_integer() ? *spec : json(0)}}},
        {"status", scaleStatus}};
}

api::Subresource scaleSubresource() {
    return {"scale", "autoscaling", "v1", "Scale", {"get", "patch", "update"}};
}

}  // namespace

const json* valueAtPath(const json& object, const std::string& path) {
    const json* current = &object;
    for (const auto& segment : pathSegments(path)) {
        if (!current->is_object() || !current->contains(segment)) {
            return nullptr;
        }
        current = &(*current)[segment];
    }
    return current;
}

api::ResourceType customResourceType(const json& crd, const json& crdVersion) {
    const json spec = crd.value("spec", json::object());
    const json names = spec.value("names", json::object());
    api::ResourceType type;
    type.group = spec.value("group", std::string());
    type.version = crdVersion.value("name", std::string());
    type.kind = names.value("kind", std::string());
    type.plural = names.value("plural", std::string());
    type.singular = names.value("singular", std::string());
    type.shortNames = stringList(names.value("shortNames", json()));
    type.categories = stringList(names.value("categories", json()));
    type.namespaced = spec.value("scope", std::string()) != "Cluster";
    type.verbs = kAllVerbs;
    type.tracksGeneration = true;

    const json subresources = crdVersion.value("subresources", json::object());
    const bool hasStatus = subresources.contains("status");
    if (subresources.contains("scale")) {
        type.subresources.push_back(scaleSubresource());
        const json& scale = subresources["scale"];
        const ScalePaths paths{scale.value("specReplicasPath", std::string(".spec.replicas")),
                               scale.value("statusReplicasPath", std::string(".status.replicas")),
                               scale.value("labelSelectorPath", std::string())};
        type.toScale = [paths](const json& object) { return toScale(paths, object); };
        type.fromScale = [paths](const json& object, std::int64_t replicas) {
            json desired = object;
            setAtPath(desired, paths.specReplicas, replicas);
            return desired;
        };
    }
    if (hasStatus) {
        type.subresources.push_back(
            {"status", type.group, type.version, type.kind, {"get", "patch", "update"}});
    }

    auto schema = std::make_shared<const StructuralSchema>(
        crdVersion.value("/schema/openAPIV3Schema"_json_pointer, json()));
    type.defaulter = [schema, hasStatus](json& object) {
        schema->prune(object);
        schema->applyDefaults(object);
        // The status subresource starts without status: a client's create cannot set it.
        if (hasStatus && object.contains("status") && object["status"].is_object() &&
            object["status"].empty()) {
            object.erase("status");
        }
    };
    type.validator = [schema](const json& object, const json* /*old*/) {
        return schema->validate(object);
    };
    api::Printer printer = api::customResourcePrinter(crdVersion);
    type.columns = std::move(printer.columns);
    type.cells = std::move(printer.cells);

    // Objects are stored in the storage version. With conversion strategy None (the only one
    // served), reading or writing them through another version changes the apiVersion alone.
    std::string storageVersion;
    for (const auto& version : spec.value("versions", json::array())) {
        if (version.value("storage", false)) {
            storageVersion = version.value("name", std::string());
        }
    }
    if (!storageVersion.empty() && storageVersion != type.version) {
        const std::string served = type.apiVersion();
        const std::string stored = type.group + "/" + storageVersion;
        type.fromStorage = [served](json object) {
            object["apiVersion"] = served;
            return object;
        };
        type.toStorage = [stored](json object) {
            object["apiVersion"] = stored;
            return object;
        };
    }
    return type;
}

std::vector<api::ResourceType> servedResourceTypes(const json& crd) {
    std::vector<api::ResourceType> types;
    for (const auto& version : crd.value("/spec/versions"_json_pointer, json::array())) {
        if (version.value("served", false)) {
            types.push_back(customResourceType(crd, version));
        }
    }
    return types;
}

}  // namespace slipway::apiextensions
