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

/// Removes the fields of a JSON object that its OpenAPI v3 schema does not declare, as
/// kube-apiserver's decoding into its Go types drops them whatever fieldValidation says. Schemas
/// are those of BuiltinSchemas or a custom resource's structural schema: `properties`, `items`,
/// `additionalProperties`, references as `$ref` or `allOf: [{$ref}]` into `components`. A schema
/// with neither properties nor additionalProperties (RawExtension, FieldsV1) or with
/// `x-kubernetes-preserve-unknown-fields` keeps anything below it; values of the wrong JSON type
/// are not this check's business.
class UnknownFieldPruner {
public:
    /// `components` (name → schema) must outlive the pruner.
    explicit UnknownFieldPruner(const nlohmann::json& components) : m_components(components) {}

    /// Removes the unknown fields of `object` and returns their paths, in key order, as
    /// kube-apiserver writes them: "spec.template.spec.containers[0].foo".
    std::vector<std::string> prune(nlohmann::json& object, const nlohmann::json& schema) const;

private:
    const nlohmann::json& resolve(const nlohmann::json& schema) const;
    void walk(nlohmann::json& value, const nlohmann::json& schema, const std::string& path,
              std::vector<std::string>& out) const;

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
    /// Both must outlive the validator.
    FieldValidator(FieldValidation directive, const nlohmann::json* schema,
                   const nlohmann::json& components)
        : m_directive(directive), m_schema(schema), m_pruner(components) {}

    /// A create or update: duplicate fields in `body` (its JSON text; empty for protobuf) and
    /// unknown fields in `object`, the body decoded, which are removed unless Strict refuses
    /// the request. Strict: BadRequest
    /// "strict decoding error: unknown field \"spec.foo\"", as kube-apiserver's decoder.
    core::Result<void> checkObject(std::string_view body, nlohmann::json& object) {
        return check(body, object, nullptr);
    }

    /// A patch of `type`: duplicate fields in the patch document and unknown fields in the
    /// patched object (removed), as kube-apiserver checks both. Strict: Invalid (422) on the
    /// field "patch", with kube-apiserver's value: the patch as Go prints a map for a strategic
    /// merge patch, the patched object for the others:
    /// ` "" is invalid: patch: Invalid value: "map[spec:map[foo:1]]": strict decoding error: ...`.
    core::Result<void> checkPatch(std::string_view patch, PatchType type, nlohmann::json& patched) {
        return check(patch, patched, &type);
    }

    /// Under Warn, one message per problem found so far, for `Warning` headers. Problems come
    /// in the order of the body's text, as kube-apiserver's decoder meets them.
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    core::Result<void> check(std::string_view body, nlohmann::json& object, const PatchType* patch);

    FieldValidation m_directive;
    const nlohmann::json* m_schema;
    UnknownFieldPruner m_pruner;
    std::vector<std::string> m_warnings;
};

/// "strict decoding error: unknown field \"spec.foo\", duplicate field \"metadata.name\"".
std::string strictDecodingMessage(const std::vector<std::string>& problems);

/// The value of an HTTP `Warning` header carrying `message`, as kube-apiserver writes it:
/// `299 - "unknown field \"spec.foo\""`.
std::string warningHeaderValue(std::string_view message);

}  // namespace slipway::api
