// SPDX-License-Identifier: Apache-2.0
#include "engine/apiextensions/crd_validation.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <set>
#include <string>

#include "engine/api/kind_registry.h"
#include "engine/api/validation.h"
#include "engine/apiextensions/structural_schema.h"

namespace slipway::apiextensions {

using api::FieldCauses;
using api::FieldPath;
using nlohmann::json;
namespace field = api::field;

namespace {

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const json value = object.value(pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

bool boolAt(const json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string join(const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& part : parts) {
        text += (text.empty() ? "" : ",") + part;
    }
    return text;
}

std::string timestamp(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text, length);
}

void checkDns1035(const json& value, const FieldPath& path, const char* prefix, FieldCauses& causes,
                  bool mixedCase = false) {
    if (!value.is_string() || value.get<std::string>().empty()) {
        return;
    }
    const std::string text = value.get<std::string>();
    const auto errors = api::isDns1035Label(mixedCase ? lower(text) : text);
    if (!errors.empty()) {
        causes.push_back(field::invalid(path, text, std::string(prefix) + join(errors)));
    }
}

// ValidateCustomResourceDefinitionNames, for spec.names and status.acceptedNames.
void validateNames(const json& names, const FieldPath& path, FieldCauses& causes) {
    if (!names.is_object()) {
        return;
    }
    checkDns1035(names.value("plural", json()), path.child("plural"), "", causes);
    checkDns1035(names.value("singular", json()), path.child("singular"), "", causes);
    checkDns1035(names.value("kind", json()), path.child("kind"),
                 "may have mixed case, but should otherwise match: ", causes, true);
    checkDns1035(names.value("listKind", json()), path.child("listKind"),
                 "may have mixed case, but should otherwise match: ", causes, true);
    const json shortNames = names.value("shortNames", json::array());
    for (std::size_t i = 0; i < shortNames.size(); ++i) {
        checkDns1035(shortNames[i], path.child("shortNames").index(i), "", causes);
    }
    const std::string kind = names.value("kind", std::string());
    if (!kind.empty() && kind == names.value("listKind", std::string())) {
        causes.push_back(
            field::invalid(path.child("listKind"), kind, "kind and listKind may not be the same"));
    }
    const json categories = names.value("categories", json::array());
    for (std::size_t i = 0; i < categories.size(); ++i) {
        checkDns1035(categories[i], path.child("categories").index(i), "", causes);
    }
}

void validateScale(const json& scale, const FieldPath& path, FieldCauses& causes) {
    if (!scale.is_object()) {
        return;
    }
    const auto checkPath = [&](const char* name, bool required, const char* allowedRoot) {
        const std::string value = scale.value(name, std::string());
        if (value.empty()) {
            if (required) {
                causes.push_back(field::required(path.child(name), ""));
            }
            return;
        }
        if (value.rfind(allowedRoot, 0) != 0) {
            causes.push_back(
                field::invalid(path.child(name), value,
                               std::string("should be a json path under ") + allowedRoot));
        }
    };
    checkPath("specReplicasPath", true, ".spec");
    checkPath("statusReplicasPath", true, ".status");
    checkPath("labelSelectorPath", false, ".");
}

void validateColumns(const json& columns, const FieldPath& path, FieldCauses& causes) {
    static const std::vector<std::string> kTypes = {"integer", "number", "string", "boolean",
                                                    "date"};
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const json& column = columns[i];
        const FieldPath at = path.index(i);
        if (column.value("name", std::string()).empty()) {
            causes.push_back(field::required(at.child("name"), ""));
        }
        const std::string type = column.value("type", std::string());
        if (type.empty()) {
            causes.push_back(field::required(at.child("type"), ""));
        } else if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
            causes.push_back(field::notSupported(at.child("type"), type, kTypes));
        }
        if (column.value("jsonPath", std::string()).empty()) {
            causes.push_back(field::required(at.child("jsonPath"), ""));
        }
    }
}

void validateVersions(const json& spec, FieldCauses& causes) {
    const FieldPath path = FieldPath("spec").child("versions");
    const json versions = spec.value("versions", json::array());
    std::set<std::string> seen;
    bool unique = true;
    int storage = 0;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const json& version = versions[i];
        const FieldPath at = path.index(i);
        const std::string name = version.value("name", std::string());
        unique = seen.insert(name).second && unique;
        storage += boolAt(version, "storage") ? 1 : 0;
        if (const auto errors = api::isDns1035Label(name); !errors.empty()) {
            causes.push_back(field::invalid(at.child("name"), name, join(errors)));
        }
        const json schema = version.value("/schema/openAPIV3Schema"_json_pointer, json());
        if (!schema.is_object()) {
            causes.push_back(field::required(at.child("schema").child("openAPIV3Schema"),
                                             "schemas are required"));
        } else {
            const auto structural =
                validateStructuralSchema(schema, at.child("schema").child("openAPIV3Schema"));
            causes.insert(causes.end(), structural.begin(), structural.end());
        }
        if (const auto scale = version.find("subresources");
            scale != version.end() && scale->is_object() && scale->contains("scale")) {
            validateScale((*scale)["scale"], at.child("subresources").child("scale"), causes);
        }
        validateColumns(version.value("additionalPrinterColumns", json::array()),
                        at.child("additionalPrinterColumns"), causes);
    }
    const std::string rendered = versions.empty() ? "null" : versions.dump();
    if (!unique) {
        causes.push_back(
            field::invalidRendered(path, rendered, "must contain unique version names"));
    }
    if (storage != 1) {
        causes.push_back(field::invalidRendered(
            path, rendered, "must have exactly one version marked as storage version"));
    }
}

void validateSpec(const json& spec, FieldCauses& causes) {
    const FieldPath path("spec");
    const std::string group = spec.value("group", std::string());
    if (group.empty()) {
        causes.push_back(field::required(path.child("group"), ""));
    } else if (const auto errors = api::isDns1123Subdomain(group); !errors.empty()) {
        causes.push_back(field::invalid(path.child("group"), group, join(errors)));
    } else if (group.find('.') == std::string::npos) {
        causes.push_back(
            field::invalid(path.child("group"), group, "should be a domain with at least one dot"));
    }
    const std::string scope = spec.value("scope", std::string());
    if (scope.empty()) {
        causes.push_back(field::required(path.child("scope"), ""));
    } else if (scope != "Cluster" && scope != "Namespaced") {
        causes.push_back(
            field::notSupported(path.child("scope"), scope, {"Cluster", "Namespaced"}));
    }
    validateVersions(spec, causes);
    const json names = spec.value("names", json::object());
    for (const char* name : {"plural", "singular", "kind", "listKind"}) {
        if (names.value(name, std::string()).empty()) {
            causes.push_back(field::required(path.child("names").child(name), ""));
        }
    }
    validateNames(names, path.child("names"), causes);
}

void immutable(const json& now, const json& before, const FieldPath& path, FieldCauses& causes) {
    if (now != before) {
        causes.push_back(field::invalid(path, now, "field is immutable"));
    }
}

}  // namespace

void defaultCustomResourceDefinition(json& crd) {
    if (!crd.contains("spec") || !crd["spec"].is_object()) {
        return;
    }
    json& spec = crd["spec"];
    if (spec.contains("names") && spec["names"].is_object()) {
        json& names = spec["names"];
        const std::string kind = names.value("kind", std::string());
        if (!kind.empty() && names.value("singular", std::string()).empty()) {
            names["singular"] = lower(kind);
        }
        if (!kind.empty() && names.value("listKind", std::string()).empty()) {
            names["listKind"] = kind + "List";
        }
    }
    if (!spec.contains("conversion")) {
        spec["conversion"] = {{"strategy", "None"}};
    }
    json& status = crd["status"];
    if (!status.is_object()) {
        status = json::object();
    }
    if (!status.contains("storedVersions")) {
        for (const auto& version : spec.value("versions", json::array())) {
            if (boolAt(version, "storage") && version.contains("name")) {
                status["storedVersions"] = json::array({version["name"]});
            }
        }
    }
}

FieldCauses validateCustomResourceDefinition(const json& crd, const json* old) {
    FieldCauses causes;
    const std::string name = stringAt(crd, "/metadata/name"_json_pointer);
    const std::string required = stringAt(crd, "/spec/names/plural"_json_pointer) + "." +
                                 stringAt(crd, "/spec/group"_json_pointer);
    if (!name.empty() && name != required) {
        causes.push_back(field::invalid(FieldPath("metadata").child("name"), name,
                                        "must be spec.names.plural+\".\"+spec.group"));
    }
    const json spec = crd.value("spec", json::object());
    validateSpec(spec, causes);
    validateNames(crd.value("/status/acceptedNames"_json_pointer, json::object()),
                  FieldPath("status").child("acceptedNames"), causes);
    if (old != nullptr) {
        const json before = old->value("spec", json::object());
        const FieldPath path("spec");
        if (const json* established = findCondition(*old, "Established");
            established != nullptr && established->value("status", "") == "True") {
            immutable(spec.value("scope", json()), before.value("scope", json()),
                      path.child("scope"), causes);
            immutable(spec.value("/names/kind"_json_pointer, json()),
                      before.value("/names/kind"_json_pointer, json()),
                      path.child("names").child("kind"), causes);
        }
        immutable(spec.value("group", json()), before.value("group", json()), path.child("group"),
                  causes);
        immutable(spec.value("/names/plural"_json_pointer, json()),
                  before.value("/names/plural"_json_pointer, json()),
                  path.child("names").child("plural"), causes);
    }
    return causes;
}

void setCondition(json& crd, const std::string& type, const std::string& status,
                  const std::string& reason, const std::string& message,
                  std::chrono::system_clock::time_point now) {
    json& conditions = crd["status"]["conditions"];
    if (!conditions.is_array()) {
        conditions = json::array();
    }
    json condition = {{"type", type},
                      {"status", status},
                      {"reason", reason},
                      {"message", message},
                      {"lastTransitionTime", timestamp(now)}};
    for (auto& existing : conditions) {
        if (existing.value("type", "") == type) {
            if (existing.value("status", "") == status && existing.contains("lastTransitionTime")) {
                condition["lastTransitionTime"] = existing["lastTransitionTime"];
            }
            existing = std::move(condition);
            return;
        }
    }
    conditions.push_back(std::move(condition));
}

const json* findCondition(const json& crd, const std::string& type) {
    const json* status = crd.contains("status") ? &crd["status"] : nullptr;
    if (status == nullptr || !status->contains("conditions") ||
        !(*status)["conditions"].is_array()) {
        return nullptr;
    }
    for (const auto& condition : (*status)["conditions"]) {
        if (condition.value("type", "") == type) {
            return &condition;
        }
    }
    return nullptr;
}

void prepareCustomResourceDefinitionForDelete(json& crd,
                                              std::chrono::system_clock::time_point now) {
    json& finalizers = crd["metadata"]["finalizers"];
    if (!finalizers.is_array()) {
        finalizers = json::array();
    }
    if (std::find(finalizers.begin(), finalizers.end(), json(kCustomResourceCleanupFinalizer)) ==
        finalizers.end()) {
        finalizers.push_back(kCustomResourceCleanupFinalizer);
    }
    setCondition(crd, "Terminating", "True", "InstanceDeletionPending",
                 "CustomResourceDefinition marked for deletion; CustomResource deletion will "
                 "begin soon",
                 now);
}

void installCustomResourceDefinitionStrategy(api::KindRegistry& registry) {
    const auto existing = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    if (!existing) {
        return;
    }
    api::ResourceType type = *existing;
    type.defaulter = [](json& crd) { defaultCustomResourceDefinition(crd); };
    type.validator = [](const json& crd, const json* old) {
        return validateCustomResourceDefinition(crd, old);
    };
    type.prepareForDelete = [](json& crd, std::chrono::system_clock::time_point now) {
        prepareCustomResourceDefinitionForDelete(crd, now);
    };
    registry.replace(std::move(type));
}

}  // namespace slipway::apiextensions
