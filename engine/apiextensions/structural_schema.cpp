// SPDX-License-Identifier: Apache-2.0
#include "engine/apiextensions/structural_schema.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <regex>
#include <string>
#include <string_view>

namespace slipway::apiextensions {

using api::FieldCause;
using api::FieldCauses;
using api::FieldPath;
using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 15> kObjectMetaFields = {"name",
                                                                "generateName",
                                                                "namespace",
                                                                "selfLink",
                                                                "uid",
                                                                "resourceVersion",
                                                                "generation",
                                                                "creationTimestamp",
                                                                "deletionTimestamp",
                                                                "deletionGracePeriodSeconds",
                                                                "labels",
                                                                "annotations",
                                                                "ownerReferences",
                                                                "finalizers",
                                                                "managedFields"};

bool flag(const json& schema, const char* name) {
    const auto it = schema.find(name);
    return it != schema.end() && it->is_boolean() && it->get<bool>();
}

std::string typeOf(const json& schema) {
    const auto it = schema.find("type");
    return it != schema.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* child(const json& schema, const char* name) {
    const auto it = schema.find(name);
    return it != schema.end() && it->is_object() ? &*it : nullptr;
}

// The fields pruning drops, as kube's strict decoding names them: "spec.foo", "metadata.bar".
using Pruned = std::vector<std::string>;

std::string joinPath(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

void pruneMetadata(json& metadata, const std::string& path, Pruned& pruned) {
    if (!metadata.is_object()) {
        return;
    }
    for (auto it = metadata.begin(); it != metadata.end();) {
        const bool known = std::find(kObjectMetaFields.begin(), kObjectMetaFields.end(),
                                     it.key()) != kObjectMetaFields.end();
        if (!known) {
            pruned.push_back(joinPath(path, it.key()));
        }
        it = known ? std::next(it) : metadata.erase(it);
    }
}

// apiextensions-apiserver's pruning: `root` marks the object itself and embedded resources,
// whose apiVersion, kind and metadata survive whatever the schema says.
void pruneValue(json& value, const json& schema, bool root, const std::string& path,
                Pruned& pruned) {
    if (schema.is_null() || !schema.is_object()) {
        return;
    }
    const bool embedded = root || flag(schema, "x-kubernetes-embedded-resource");
    if (value.is_object()) {
        const json* properties = child(schema, "properties");
        const auto additional = schema.find("additionalProperties");
        const bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
        for (auto it = value.begin(); it != value.end();) {
            const std::string& key = it.key();
            if (embedded && (key == "apiVersion" || key == "kind")) {
                ++it;
                continue;
            }
            if (embedded && key == "metadata") {
                pruneMetadata(it.value(), joinPath(path, key), pruned);
                ++it;
                continue;
            }
            if (properties != nullptr && properties->contains(key)) {
                pruneValue(it.value(), (*properties)[key], false, joinPath(path, key), pruned);
                ++it;
            } else if (additional != schema.end() && additional->is_object()) {
                pruneValue(it.value(), *additional, false, joinPath(path, key), pruned);
                ++it;
            } else if (preserve || (additional != schema.end() && additional->is_boolean() &&
                                    additional->get<bool>())) {
                ++it;
            } else {
                pruned.push_back(joinPath(path, key));
                it = value.erase(it);
            }
        }
    } else if (value.is_array()) {
        if (const json* items = child(schema, "items")) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                pruneValue(value[i], *items, false, path + "[" + std::to_string(i) + "]", pruned);
            }
        }
    }
}

void defaultValue(json& value, const json& schema) {
    if (!schema.is_object()) {
        return;
    }
    if (value.is_object()) {
        if (const json* properties = child(schema, "properties")) {
            for (const auto& [key, property] : properties->items()) {
                const auto it = property.find("default");
                const bool missing =
                    !value.contains(key) || (value[key].is_null() && !flag(property, "nullable"));
                if (it != property.end() && missing) {
                    value[key] = *it;
                }
                if (value.contains(key)) {
                    defaultValue(value[key], property);
                }
            }
        }
        if (const json* additional = child(schema, "additionalProperties")) {
            for (auto& [key, item] : value.items()) {
                defaultValue(item, *additional);
            }
        }
    } else if (value.is_array()) {
        if (const json* items = child(schema, "items")) {
            for (auto& item : value) {
                defaultValue(item, *items);
            }
        }
    }
}

std::string jsonTypeName(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "object";
        case json::value_t::array:
            return "array";
        case json::value_t::string:
            return "string";
        case json::value_t::boolean:
            return "boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "integer";
        default:
            return "number";
    }
}

bool hasType(const json& value, const std::string& type) {
    if (type == "number") {
        return value.is_number();
    }
    if (type == "integer") {
        return value.is_number_integer();
    }
    return jsonTypeName(value) == type;
}

// go-openapi's InvalidType: "spec.replicas in body must be of type integer: \"string\"".
FieldCause typeInvalid(const FieldPath& path, const std::string& expected, const json& value) {
    const std::string actual = api::goQuote(jsonTypeName(value));
    return FieldCause{"FieldValueTypeInvalid",
                      "Invalid value: " + actual + ": " + path.str() + " in body must be of type " +
                          expected + ": " + actual,
                      path.str()};
}

std::string number(const json& value) {
    return api::goValue(value);
}

void validateValue(const json& value, const json& schema, const FieldPath& path,
                   FieldCauses& causes);

void validateObject(const json& value, const json& schema, const FieldPath& path,
                    FieldCauses& causes) {
    if (const auto required = schema.find("required");
        required != schema.end() && required->is_array()) {
        for (const auto& name : *required) {
            if (name.is_string() && !value.contains(name.get<std::string>())) {
                causes.push_back(api::field::required(path.child(name.get<std::string>())));
            }
        }
    }
    const json* properties = child(schema, "properties");
    const json* additional = child(schema, "additionalProperties");
    for (const auto& [key, item] : value.items()) {
        if (properties != nullptr && properties->contains(key)) {
            validateValue(item, (*properties)[key], path.child(key), causes);
        } else if (additional != nullptr) {
            validateValue(item, *additional, path.key(key), causes);
        }
    }
}

void validateScalar(const json& value, const json& schema, const FieldPath& path,
                    FieldCauses& causes) {
    const std::string in = path.str() + " in body";
    if (value.is_number()) {
        const double number_ = value.get<double>();
        if (const auto minimum = schema.find("minimum");
            minimum != schema.end() && minimum->is_number()) {
            const bool exclusive = flag(schema, "exclusiveMinimum");
            const double bound = minimum->get<double>();
            if (exclusive ? number_ <= bound : number_ < bound) {
                causes.push_back(api::field::invalid(path, value,
                                                     in + " should be greater than " +
                                                         (exclusive ? "" : "or equal to ") +
                                                         number(*minimum)));
            }
        }
        if (const auto maximum = schema.find("maximum");
            maximum != schema.end() && maximum->is_number()) {
            const bool exclusive = flag(schema, "exclusiveMaximum");
            const double bound = maximum->get<double>();
            if (exclusive ? number_ >= bound : number_ > bound) {
                causes.push_back(api::field::invalid(path, value,
                                                     in + " should be less than " +
                                                         (exclusive ? "" : "or equal to ") +
                                                         number(*maximum)));
            }
        }
    }
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (const auto minLength = schema.find("minLength");
            minLength != schema.end() && minLength->is_number_integer() &&
            text.size() < minLength->get<std::size_t>()) {
            causes.push_back(api::field::invalid(
                path, value, in + " should be at least " + number(*minLength) + " chars long"));
        }
        if (const auto maxLength = schema.find("maxLength");
            maxLength != schema.end() && maxLength->is_number_integer() &&
            text.size() > maxLength->get<std::size_t>()) {
            causes.push_back(api::field::tooLong(path, maxLength->get<std::int64_t>()));
        }
        if (const auto pattern = schema.find("pattern");
            pattern != schema.end() && pattern->is_string()) {
            bool matches = true;
            try {
                matches = std::regex_search(text, std::regex(pattern->get<std::string>()));
            } catch (const std::regex_error&) {
                matches = true;  // the CRD's validation reports a bad pattern; never the CR
            }
            if (!matches) {
                causes.push_back(api::field::invalid(
                    path, value, in + " should match '" + pattern->get<std::string>() + "'"));
            }
        }
    }
}

void validateArray(const json& value, const json& schema, const FieldPath& path,
                   FieldCauses& causes) {
    if (const auto maxItems = schema.find("maxItems");
        maxItems != schema.end() && maxItems->is_number_integer() &&
        value.size() > maxItems->get<std::size_t>()) {
        causes.push_back(api::field::tooMany(path, static_cast<std::int64_t>(value.size()),
                                             maxItems->get<std::int64_t>()));
    }
    if (const auto minItems = schema.find("minItems");
        minItems != schema.end() && minItems->is_number_integer() &&
        value.size() < minItems->get<std::size_t>()) {
        causes.push_back(api::field::invalid(
            path, value,
            path.str() + " in body should have at least " + number(*minItems) + " items"));
    }
    if (const json* items = child(schema, "items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            validateValue(value[i], *items, path.index(i), causes);
        }
    }
}

void validateValue(const json& value, const json& schema, const FieldPath& path,
                   FieldCauses& causes) {
    if (!schema.is_object()) {
        return;
    }
    if (value.is_null()) {
        if (!flag(schema, "nullable") && !typeOf(schema).empty()) {
            causes.push_back(typeInvalid(path, typeOf(schema), value));
        }
        return;
    }
    const std::string type = typeOf(schema);
    if (flag(schema, "x-kubernetes-int-or-string")) {
        if (!value.is_number_integer() && !value.is_string()) {
            causes.push_back(typeInvalid(path, "integer or string", value));
            return;
        }
    } else if (!type.empty() && !hasType(value, type)) {
        causes.push_back(typeInvalid(path, type, value));
        return;
    }
    if (const auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
        if (std::find(values->begin(), values->end(), value) == values->end()) {
            std::vector<std::string> supported;
            for (const auto& allowed : *values) {
                supported.push_back(allowed.is_string() ? allowed.get<std::string>()
                                                        : allowed.dump());
            }
            causes.push_back(api::field::notSupported(path, value, supported));
        }
    }
    if (value.is_object()) {
        validateObject(value, schema, path, causes);
    } else if (value.is_array()) {
        validateArray(value, schema, path, causes);
    } else {
        validateScalar(value, schema, path, causes);
    }
}

void checkStructure(const json& schema, const FieldPath& path, bool root, FieldCauses& causes) {
    if (!schema.is_object()) {
        return;
    }
    const std::string type = typeOf(schema);
    const bool intOrString = flag(schema, "x-kubernetes-int-or-string");
    const bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
    if (root && type.empty()) {
        causes.push_back(api::field::required(path.child("type"), "must not be empty at the root"));
    } else if (root && type != "object") {
        causes.push_back(
            api::field::invalid(path.child("type"), type, "must be object at the root"));
    } else if (type.empty() && !intOrString && !preserve) {
        causes.push_back(api::field::required(path.child("type"),
                                              "must not be empty for specified object fields"));
    }
    if (flag(schema, "uniqueItems")) {
        causes.push_back(api::field::forbidden(
            path.child("uniqueItems"),
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    const json* properties = child(schema, "properties");
    const auto additional = schema.find("additionalProperties");
    if (properties != nullptr && !properties->empty() && additional != schema.end() &&
        (additional->is_object() || (additional->is_boolean() && !additional->get<bool>()))) {
        causes.push_back(api::field::forbidden(path.child("additionalProperties"),
                                               "additionalProperties and properties are mutual "
                                               "exclusive"));
    }
    if (type == "array" && child(schema, "items") == nullptr) {
        causes.push_back(api::field::required(path.child("items"), "must be specified"));
    }
    if (properties != nullptr) {
        for (const auto& [key, property] : properties->items()) {
            if (root && key == "metadata") {
                continue;  // ObjectMeta: only name and generateName may be restricted
            }
            checkStructure(property, path.child("properties").key(key), false, causes);
        }
    }
    if (additional != schema.end() && additional->is_object()) {
        checkStructure(*additional, path.child("additionalProperties"), false, causes);
    }
    if (const json* items = child(schema, "items")) {
        checkStructure(*items, path.child("items"), false, causes);
    }
}

}  // namespace

std::vector<std::string> StructuralSchema::prune(json& object) const {
    Pruned pruned;
    if (!m_schema.is_null()) {
        pruneValue(object, m_schema, true, {}, pruned);
    }
    return pruned;
}

void StructuralSchema::applyDefaults(json& object) const {
    defaultValue(object, m_schema);
}

FieldCauses StructuralSchema::validate(const json& object) const {
    FieldCauses causes;
    if (!m_schema.is_object()) {
        return causes;
    }
    // apiVersion, kind and metadata are the API server's; the rest is the schema's.
    json body = object;
    body.erase("apiVersion");
    body.erase("kind");
    body.erase("metadata");
    json schema = m_schema;
    if (schema.contains("properties")) {
        schema["properties"].erase("metadata");
        schema["properties"].erase("apiVersion");
        schema["properties"].erase("kind");
    }
    validateValue(body, schema, FieldPath(), causes);
    return causes;
}

FieldCauses validateStructuralSchema(const json& schema, const FieldPath& path) {
    FieldCauses causes;
    checkStructure(schema, path, true, causes);
    return causes;
}

}  // namespace slipway::apiextensions
