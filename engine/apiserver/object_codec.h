// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"
#include "engine/core/result.h"
#include "engine/store/key_value.h"

namespace slipway::apiserver {

/// Where an object lives in the store:
///   /registry/<group or "core">/<plural>/<namespace>/<name>   (namespaced)
///   /registry/<group or "core">/<plural>/<name>               (cluster-scoped)
/// The group is part of the key so that custom resources may reuse a built-in plural.
std::string storageKey(const api::ResourceType& type, std::string_view nameSpace,
                       std::string_view name);
/// The prefix of every object of `type` in `nameSpace` (all namespaces when empty).
std::string storagePrefix(const api::ResourceType& type, std::string_view nameSpace);

/// A stored object as JSON, with metadata.resourceVersion set from the store's modRevision
/// (the stored bytes never hold it, so it cannot go stale).
core::Result<nlohmann::json> decodeObject(const store::KeyValue& kv);
/// The bytes to store: compact JSON without metadata.resourceVersion.
std::string encodeObject(const nlohmann::json& object);
/// Appends the stored object to `out` as JSON with metadata.resourceVersion set, without
/// parsing it: the stored bytes are spliced, the resourceVersion inserted at the start of the
/// top-level metadata object (found by a scan that skips strings and nested values). Lists
/// of thousands of objects are served this way, with no per-object allocation. False (and
/// nothing appended) if the bytes hold no top-level metadata object.
bool appendWithResourceVersion(std::string& out, const store::KeyValue& kv);
/// The same for an object of `type`, which may be served in a version other than the stored
/// one (ResourceType::fromStorage / toStorage convert).
core::Result<nlohmann::json> decodeObject(const store::KeyValue& kv, const api::ResourceType& type);
std::string encodeObject(const nlohmann::json& object, const api::ResourceType& type);

/// A JSON request body. Malformed JSON is BadRequest with the parser's words; anything but an
/// object is BadRequest too.
core::Result<nlohmann::json> parseObjectBody(std::string_view body);

/// RFC 3339 in UTC with second precision, as Kubernetes writes timestamps.
std::string rfc3339(std::chrono::system_clock::time_point time);
/// A random RFC 4122 version 4 UUID, for metadata.uid.
std::string newUid();
/// Five random characters from Kubernetes' generateName alphabet ("bcdfghjklmnpqrstvwxz2456789").
std::string randomNameSuffix();

}  // namespace slipway::apiserver
