// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::api {

class PatchMetadata;

/// The kinds of PATCH body kube-apiserver understands, named by their Content-Type.
enum class PatchType {
    Json,            ///< RFC 6902, application/json-patch+json
    Merge,           ///< RFC 7386, application/merge-patch+json
    StrategicMerge,  ///< Kubernetes', application/strategic-merge-patch+json
};

inline constexpr std::string_view kJsonPatchContentType = "application/json-patch+json";
inline constexpr std::string_view kMergePatchContentType = "application/merge-patch+json";
inline constexpr std::string_view kStrategicMergePatchContentType =
    "application/strategic-merge-patch+json";

/// kube-apiserver's limit on the operations of one JSON patch.
inline constexpr std::size_t kMaxJsonPatchOperations = 10000;

/// The Content-Types a PATCH accepts, in kube-apiserver's order. Custom resources
/// (`strategicMergePatchSupported` false) take no strategic merge patch. Server-side apply
/// (application/apply-patch+yaml) is not listed: Slipway does not implement it.
std::vector<std::string_view> acceptedPatchContentTypes(bool strategicMergePatchSupported);

/// The Content-Type of a PATCH as a PatchType; parameters (";charset=utf-8") are ignored.
/// Anything else, or strategic merge patch where unsupported, is the UnsupportedMediaType
/// error kube-apiserver answers (see unsupportedPatchMediaType()).
core::Result<PatchType> patchTypeFromContentType(std::string_view contentType,
                                                 bool strategicMergePatchSupported);

/// kube-apiserver's 415 for a PATCH body it cannot read: "the body of the request was in an
/// unknown format - accepted media types include: application/json-patch+json, ...".
/// For a strategic merge patch of a custom resource, call it with false: this is the decision
/// Kubernetes makes for kinds without patch metadata.
core::Error unsupportedPatchMediaType(bool strategicMergePatchSupported);

/// Parses a PATCH body. Anything that is not JSON is BadRequest ("error decoding patch: ..."),
/// as kube-apiserver answers.
core::Result<nlohmann::json> parsePatchBody(std::string_view body);

/// Applies an RFC 6902 JSON patch to `object`, operation by operation, with nlohmann::json.
/// Errors, as kube-apiserver answers them: a patch that is not a list of operation objects →
/// BadRequest; more than kMaxJsonPatchOperations operations → RequestTooLarge; an operation
/// that does not apply (a failed `test`, a missing path, an unknown `op`) → Invalid (422) with
/// json-patch's words ("testing value /spec/replicas failed: test failed"); a result that is no
/// longer a JSON object → Invalid.
core::Result<nlohmann::json> applyJsonPatch(const nlohmann::json& object,
                                            const nlohmann::json& patch);
/// A raw body would silently become a JSON string: parse it first, or call applyPatch().
core::Result<nlohmann::json> applyJsonPatch(const nlohmann::json&, std::string_view) = delete;

/// Applies an RFC 7386 JSON merge patch with nlohmann::json::merge_patch: objects merge
/// recursively, null deletes, everything else (lists included) replaces. A patch that is not a
/// JSON object is BadRequest.
core::Result<nlohmann::json> applyMergePatch(const nlohmann::json& object,
                                             const nlohmann::json& patch);
/// A raw body would silently become a JSON string: parse it first, or call applyPatch().
core::Result<nlohmann::json> applyMergePatch(const nlohmann::json&, std::string_view) = delete;

/// Parses and applies a PATCH body of the given type: what the API server's PATCH handler
/// calls. `metadata` is the kind's strategic-merge-patch
/// metadata, or null for a kind without (a custom resource): a strategic merge patch then
/// fails with unsupportedPatchMediaType(false).
core::Result<nlohmann::json> applyPatch(PatchType type, const nlohmann::json& object,
                                        std::string_view patch, const PatchMetadata* metadata);

}  // namespace slipway::api
