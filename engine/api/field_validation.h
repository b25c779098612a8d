// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/patch.h"
#include "engine/core/result.h"

namespace slipway::api {

/// The `fieldValidation` query parameter of create, update and patch: what the server does
/// with unknown and duplicate fields in a request body.
enum class FieldValidation {
    Ignore,  ///< drop them silently
    Warn,    ///< accept the request and send a `Warning` header per field (the default)
    Strict,  ///< refuse the request: 400 "strict decoding error: unknown field ..."
};

/// Reads the parameter of a request whose options are `optionsKind` ("CreateOptions",
/// "UpdateOptions", "PatchOptions"). Absent (empty) means Warn, as in kube-apiserver 1.27 and
/// later; anything but Ignore, Warn or Strict is Invalid, worded as kube-apiserver words it:
/// `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "X": ...`.
core::Result<FieldValidation> parseFieldValidation(std::string_view value,
                                                   std::string_view optionsKind);

/// Where kube-apiserver decodes an object into its Go types from: JSON text (create, update,
/// JSON and merge patches) or the map a strategic merge patch yields, which runtime's
/// unstructured converter takes and whose errors it words its own way.
enum class DecodeSource { Json, Unstructured };

/// A value of a JSON type its field's Go type cannot take, as kube-apiserver's decoder meets it.
struct TypeMismatch {
    std::string path;     ///< where it is: "spec.containers[0].name"
    std::string message;  ///< the decoder's words: "json: cannot unmarshal number into Go ..."
};

/// Decodes a JSON object against its OpenAPI v3 schema as kube-apiserver's decoding into its Go
/// types does: fields the schema does not declare are dropped whatever fieldValidation says,
/// and values of the wrong JSON type are refused. Schemas are those of BuiltinSchemas or a
/// custom resource's structural schema: `properties`, `items`, `additionalProperties`,
/// references as `$ref` or `allOf: [{$ref}]` into `components`. A schema with neither
/// properties nor additionalProperties (RawExtension, FieldsV1) or with
/// `x-kubernetes-preserve-unknown-fields` keeps anything below it; null is any type's zero
/// value.
class UnknownFieldPruner {
public:
    /// `components` (name → schema) must outlive the pruner.
    explicit UnknownFieldPruner(const nlohmann::json& components) : m_components(components) {}

    /// Removes the unknown fields of `object` and returns their paths, in key order, as
    /// kube-apiserver writes them: "spec.template.spec.containers[0].foo". Types are not checked.
    std::vector<std::string> prune(nlohmann::json& object, const nlohmann::json& schema) const;

    struct Decoded {
        std::vector<std::string> unknown;      ///< paths of the unknown fields, in key order
        std::vector<TypeMismatch> mismatches;  ///< in key order; kube reports the first
    };

    /// One walk that finds both: the unknown fields, removed from `object` unless a value has
    /// the wrong type (then the request fails and `object` is left as it was), and the type
    /// mismatches, worded for `source`. `schemaName` names `schema` within the components
    /// ("io.k8s.api.core.v1.ConfigMap"): Go's errors name the struct a field belongs to.
    Decoded decode(nlohmann::json& object, const nlohmann::json& schema,
                   std::string_view schemaName, DecodeSource source) const;

private:
    struct Walk;
    const nlohmann::json& resolve(const nlohmann::json& schema, std::string_view* name) const;
    void walk(nlohmann::json& value, const nlohmann::json& schema, std::string_view name,
              const std::string& path, std::string_view structName, Walk& out) const;
    std::string goType(const nlohmann::json& schema) const;
    std::string jsonRefusal(const nlohmann::json& value, const nlohmann::json& resolved,
                            std::string_view name, std::string_view structName,
                            const std::vector<std::string_view>& fields) const;
    std::string unstructuredRefusal(const nlohmann::json& value, const nlohmann::json& resolved,
                                    std::string_view name) const;

    const nlohmann::json& m_components;
};

/// One message per key that appears again in the same JSON object of `body`, in document
/// order: `duplicate field "metadata.name"`. Empty when the body is not JSON (the decoder
/// reports that).
std::vector<std::string> findDuplicateFields(std::string_view body);

/// Field validation of one create, update or patch request, as its fieldValidation asks.
class FieldValidator {
public:
    /// `schema`: the schema of the request's kind within `components` (name → schema), or
    /// null when there is none (custom resources without one): then only duplicates count.
    /// Both must outlive the validator. `schemaName` is the schema's name in `components`
    /// ("io.k8s.api.core.v1.ConfigMap"), for the words of a type mismatch.
    FieldValidator(FieldValidation directive, const nlohmann::json* schema,
                   const nlohmann::json& components, std::string_view schemaName = {})
        : m_directive(directive),
          m_schema(schema),
          m_schemaName(schemaName),
          m_pruner(components) {}

    /// A create or update: duplicate fields in `body` (its JSON text; empty for protobuf) and
    /// unknown fields in `object`, the body decoded, which are removed unless Strict refuses
    /// the request. Strict: BadRequest
    /// "strict decoding error: unknown field \"spec.foo\"", as kube-apiserver's decoder.
    /// Whatever the directive, a value of the wrong type is a BadRequest, the first in the
    /// body's order: `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot
    /// unmarshal number into Go struct field ConfigMap.data of type string`.
    core::Result<void> checkObject(std::string_view body, nlohmann::json& object) {
        return check(body, object, nullptr);
    }

    /// A patch of `type`: duplicate fields in the patch document and unknown fields in the
    /// patched object (removed), as kube-apiserver checks both. Strict: Invalid (422) on the
    /// field "patch", with kube-apiserver's value: the patch as Go prints a map for a strategic
    /// merge patch, the patched object for the others:
    /// ` "" is invalid: patch: Invalid value: "map[spec:map[foo:1]]": strict decoding error: ...`.
    /// A patched object with a value of the wrong type is Invalid the same way whatever the
    /// directive, with the decoder's words (JSON and merge patches) or the unstructured
    /// converter's (strategic merge: "cannot restore slice from map").
    core::Result<void> checkPatch(std::string_view patch, PatchType type, nlohmann::json& patched) {
        return check(patch, patched, &type);
    }

    /// Under Warn, one message per problem found so far, for `Warning` headers. Problems come
    /// in the order of the body's text, as kube-apiserver's decoder meets them.
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    core::Result<void> check(std::string_view body, nlohmann::json& object, const PatchType* patch);
    core::Error typeMismatch(std::string_view body, const nlohmann::json& object,
                             const PatchType* patch,
                             const std::vector<TypeMismatch>& mismatches) const;

    FieldValidation m_directive;
    const nlohmann::json* m_schema;
    std::string_view m_schemaName;
    UnknownFieldPruner m_pruner;
    std::vector<std::string> m_warnings;
};

/// "strict decoding error: unknown field \"spec.foo\", duplicate field \"metadata.name\"".
std::string strictDecodingMessage(const std::vector<std::string>& problems);

/// The value of an HTTP `Warning` header carrying `message`, as kube-apiserver writes it:
/// `299 - "unknown field \"spec.foo\""`.
std::string warningHeaderValue(std::string_view message);

}  // namespace slipway::api
