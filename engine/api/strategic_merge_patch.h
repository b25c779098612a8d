// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/api/patch_metadata.h"
#include "engine/core/result.h"

namespace slipway::api {

/// Applies a Kubernetes strategic merge patch to `object`, as kube-apiserver does for
/// `Content-Type: application/strategic-merge-patch+json` (apimachinery's
/// StrategicMergeMapPatch). `metadata` is the kind's patch metadata (builtinPatchMetadata()).
///
/// Semantics:
/// - maps merge recursively; `null` deletes a field; scalars replace;
/// - a list whose field is tagged merge is merged element by element: lists of objects on the
///   merge key (patch elements update the element with the same key, new ones are added),
///   lists of scalars as an ordered set; every other list is replaced whole;
/// - without `$setElementOrder`, patched elements come first in patch order and the others
///   keep their relative order, interleaved where the original order ties them (Kubernetes'
///   rule: a new container lands before the existing ones);
/// - directives: `$patch: replace` (a map: use the patch as is; a list element: the list
///   becomes the patch's other elements), `$patch: delete` (a map: becomes {}; a list element:
///   removes every element with its merge key), `$deleteFromPrimitiveList/<f>` (removes values
///   from a scalar list), `$setElementOrder/<f>` (the final order of the elements it names;
///   elements it does not name stay where the original order puts them, relative to the
///   named ones), `$retainKeys` (clears every field of the original map not listed, and
///   requires every field the patch sets to be listed). Other `$` keys are ignored.
///
/// Errors follow kube-apiserver: a patch that is not a JSON object, or a malformed directive
/// (`$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`), is BadRequest; a list of
/// lists is Invalid (422). Where kube-apiserver answers 500 for a bad patch (an element
/// without its merge key, `$patch: merge`, an unknown `$patch` value, a `$setElementOrder`
/// that contradicts the patch list) this answers BadRequest with the same words.
///
/// Deliberate differences, all where Kubernetes relies on decoding into Go structs afterwards:
/// directives and nulls inside content that is added or replaced whole are removed here
/// (the store keeps JSON, not structs), and `$patch: replace` on a map absent from the
/// original sets the map (Kubernetes drops it).
core::Result<nlohmann::json> applyStrategicMergePatch(const nlohmann::json& object,
                                                      const nlohmann::json& patch,
                                                      const PatchMetadata& metadata);
/// A raw body would silently become a JSON string: parse it first (parsePatchBody() in
/// patch.h), or call applyPatch().
core::Result<nlohmann::json> applyStrategicMergePatch(const nlohmann::json&, std::string_view,
                                                      const PatchMetadata&) = delete;

}  // namespace slipway::api
