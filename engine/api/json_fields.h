// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/timestamp.h"

namespace slipway::api::detail {

// Objects reach defaulting, validation and printing as client-supplied JSON: every accessor
// here tolerates a missing field or a field of the wrong type and never throws, so a bad
// manifest gets a 422 with causes instead of an exception.

/// The member `key` of `object`, or null when `object` is not an object or lacks it.
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);
nlohmann::json* member(nlohmann::json& object, std::string_view key);

/// The value at a path of member names ({"spec", "template", "spec"}), or null.
const nlohmann::json* at(const nlohmann::json& object,
                         std::initializer_list<std::string_view> path);

/// The string at `path`, or `fallback` when absent or not a string.
std::string stringAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                     std::string_view fallback = {});
/// The integer at `path` (a JSON integer, or a float holding a whole number), or `fallback`.
std::int64_t intAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                   std::int64_t fallback = 0);
/// The integer at `path` if present and an integer.
std::optional<std::int64_t> optionalIntAt(const nlohmann::json& object,
                                          std::initializer_list<std::string_view> path);
/// The boolean at `path`, or `fallback`.
bool boolAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
            bool fallback = false);
/// True when `path` exists and holds something other than null.
bool has(const nlohmann::json& object, std::initializer_list<std::string_view> path);

/// The array at `path`, or an empty array.
const nlohmann::json& arrayAt(const nlohmann::json& object,
                              std::initializer_list<std::string_view> path);
/// The object at `path`, or an empty object.
const nlohmann::json& objectAt(const nlohmann::json& object,
                               std::initializer_list<std::string_view> path);

/// The integer value of `value` (integer, or whole float), if it is one.
std::optional<std::int64_t> asInt(const nlohmann::json& value);
/// The string value of `value`, or empty.
std::string asString(const nlohmann::json& value);

/// The member `key` of `parent` as an object, created (or replacing null) when absent. `parent`
/// must be an object (or null, which becomes one).
nlohmann::json& ensureObject(nlohmann::json& parent, std::string_view key);
/// Sets `parent[key] = value` unless `parent` already holds a non-null value there.
void setDefault(nlohmann::json& parent, std::string_view key, const nlohmann::json& value);
/// True when `parent[key]` is absent, null or an empty string.
bool unsetOrEmpty(const nlohmann::json& parent, std::string_view key);

using core::parseTimestamp;
/// The age of the timestamp at `path` as kubectl prints it ("5m", "3d4h"), or "<unknown>"
/// when absent or unparsable (translateTimestampSince).
std::string ageAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                  std::chrono::system_clock::time_point now);

}  // namespace slipway::api::detail
