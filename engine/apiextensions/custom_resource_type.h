// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::apiextensions {

/// The resource type the API server serves for one version of a CRD (`crdVersion` is an entry
/// of spec.versions): the CRD's names and scope, every verb, the status and scale
/// subresources it enables, generations, no strategic merge patch (a PATCH of that type is 415),
/// the printer of its additionalPrinterColumns, and the version's openAPIV3Schema as defaulter
/// (prune unknown fields, then apply defaults) and validator.
api::ResourceType customResourceType(const nlohmann::json& crd, const nlohmann::json& crdVersion);

/// customResourceType() for every served version of `crd`.
std::vector<api::ResourceType> servedResourceTypes(const nlohmann::json& crd);

/// The value at a CRD JSON path of the simple form ".spec.replicas" (dot-separated keys), or
/// null.
const nlohmann::json* valueAtPath(const nlohmann::json& object, const std::string& path);

}  // namespace slipway::apiextensions
