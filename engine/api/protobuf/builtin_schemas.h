// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::api {

/// The OpenAPI v3 schemas of every built-in type, generated once from the embedded protobuf
/// descriptors (the same schema that decodes protobuf bodies), named as Kubernetes names them:
/// "io.k8s.api.apps.v1.Deployment", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta".
///
/// - Fields under their json names; int32/int64 as integers with a format, bool as boolean,
///   double as number, []byte as a base64 string; repeated fields as arrays, Go maps as objects
///   with additionalProperties, nested messages as `allOf: [{$ref}]` (OpenAPI 3.0 ignores
///   siblings of a bare $ref), inline structs merged into their parent.
/// - Kubernetes' own JSON forms: Time and MicroTime are date-time strings, Duration and
///   GroupVersion strings, IntOrString `x-kubernetes-int-or-string`, Quantity a string or number,
///   RawExtension and FieldsV1 free-form objects, Verbs and ExtraValue arrays of strings.
/// - Objects (the messages with ObjectMeta or ListMeta metadata) get `apiVersion` and `kind` and
///   `x-kubernetes-group-version-kind`; fields with strategic-merge-patch metadata
///   (patch_metadata.h) get `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key` and the
///   list type.
///
/// No descriptions: the .proto transcription carries none.
class BuiltinSchemas {
public:
    /// Generated on first use; an Internal error if the embedded descriptors do not load.
    static core::Result<const BuiltinSchemas*> instance();

    /// Every schema, name → schema: the `components.schemas` of OpenAPI v3, whose references
    /// are "#/components/schemas/<name>".
    const nlohmann::json& components() const { return m_components; }

    /// The name of a kind's schema ("io.k8s.api.apps.v1.Deployment"); empty when the kind has
    /// none (custom resources).
    std::string_view kindSchemaName(std::string_view group, std::string_view version,
                                    std::string_view kind) const;

    /// The schema of a kind, or null.
    const nlohmann::json* kindSchema(std::string_view group, std::string_view version,
                                     std::string_view kind) const;

    /// `names` plus every schema they reference, directly or not, in name order.
    std::vector<std::string> closure(const std::vector<std::string>& names) const;

    BuiltinSchemas(const BuiltinSchemas&) = delete;
    BuiltinSchemas& operator=(const BuiltinSchemas&) = delete;

private:
    BuiltinSchemas() = default;
    friend class BuiltinSchemasBuilder;

    nlohmann::json m_components = nlohmann::json::object();
    /// "apps/v1/Deployment" → schema name.
    std::map<std::string, std::string, std::less<>> m_kinds;
};

}  // namespace slipway::api
