// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::api {

/// The meta.k8s.io/v1 Table kube-apiserver answers `Accept: application/json;as=Table;v=v1;
/// g=meta.k8s.io` with (list, get and each watch event):
///   {"kind":"Table","apiVersion":"meta.k8s.io/v1",
///    "metadata":{"resourceVersion":"42","continue":"..."},
///    "columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"…",
///                          "priority":0},…],
///    "rows":[{"cells":["web","1/1","Running","0","5m"],
///             "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
///                       "metadata":{…}}},…]}
/// Rows use the type's printer (ResourceType::columns and ::cells); a type without one (a
/// custom resource whose CRD declares no columns) gets "Name" and "Age". `includeObject` true
/// embeds each whole object (includeObject=Object), false its metadata as a
/// PartialObjectMetadata (includeObject=Metadata, the default). `resourceVersion` and
/// `continueToken` fill the list metadata when not empty. Without `withColumnDefinitions`
/// (watch events after the first) columnDefinitions is null, as kube-apiserver sends it.
/// Pod rows of finished pods carry the Completed row condition.
nlohmann::json toTable(const ResourceType& type, const std::vector<nlohmann::json>& objects,
                       std::chrono::system_clock::time_point now, bool includeObject,
                       const std::string& resourceVersion, const std::string& continueToken,
                       bool withColumnDefinitions);

/// One column definition as JSON: {"name","type","format","description","priority"}.
nlohmann::json columnDefinition(const TableColumn& column);

/// The PartialObjectMetadata of `object`: {"kind":"PartialObjectMetadata",
/// "apiVersion":"meta.k8s.io/v1","metadata":<object's metadata>}.
nlohmann::json partialObjectMetadata(const nlohmann::json& object);

}  // namespace slipway::api
