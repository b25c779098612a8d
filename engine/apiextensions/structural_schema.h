// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"
#include "engine/api/validation.h"

namespace slipway::apiextensions {

/// The openAPIV3Schema of one CRD version, applied to custom resources as
/// apiextensions-apiserver applies a structural schema, in its order: prune unknown fields,
/// apply defaults, validate.
///
/// Supported: type (object, array, string, integer, number, boolean), properties,
/// additionalProperties (bool or schema), items, required, enum, minimum/maximum (with
/// exclusiveMinimum/exclusiveMaximum), minLength/maxLength, minItems/maxItems, pattern
/// (ECMAScript syntax: Go's RE2 for the patterns CRDs use), nullable, default,
/// x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string and
/// x-kubernetes-embedded-resource. Not supported: CEL rules (x-kubernetes-validations),
/// allOf/anyOf/oneOf/not value checks, formats.
class StructuralSchema {
public:
    /// `schema` is `spec.versions[i].schema.openAPIV3Schema`; null accepts anything and prunes
    /// nothing (a CRD without schema, as for preserveUnknownFields).
    explicit StructuralSchema(nlohmann::json schema) : m_schema(std::move(schema)) {}

    const nlohmann::json& schema() const { return m_schema; }

    /// Drops every field the schema does not specify, except where it preserves unknown fields.
    /// At the root (and in embedded resources) apiVersion, kind and metadata are kept, and
    /// metadata is pruned to name, generateName, namespace, labels, annotations and the other
    /// ObjectMeta fields. Returns the paths dropped ("spec.foo", "spec.items[0].bar"): what
    /// fieldValidation=Strict reports as unknown fields instead of pruning them.
    std::vector<std::string> prune(nlohmann::json& object) const;
    /// Sets `default` values of absent properties, outside in (a defaulted object gets its
    /// own properties' defaults too). Nulls are not replaced unless the schema is not nullable.
    void applyDefaults(nlohmann::json& object) const;
    /// The validation errors of `object`, worded as kube-openapi's validator reports them
    /// ("spec.replicas in body must be of type integer: \"string\""). apiVersion, kind and
    /// metadata are checked elsewhere.
    api::FieldCauses validate(const nlohmann::json& object) const;

private:
    nlohmann::json m_schema;
};

/// The structural-schema rules of a CRD's openAPIV3Schema at `path`: every specified field
/// has a type (the root must be an object), properties and additionalProperties exclude each
/// other, uniqueItems is forbidden, metadata at the root may only restrict name and
/// generateName. Returns kube's causes ("Required value: must not be empty for specified
/// object fields").
api::FieldCauses validateStructuralSchema(const nlohmann::json& schema, const api::FieldPath& path);

}  // namespace slipway::apiextensions
