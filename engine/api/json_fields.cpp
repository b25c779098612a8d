// SPDX-License-Identifier: Apache-2.0
#include "engine/api/json_fields.h"

#include <cmath>

#include "engine/core/duration.h"

namespace slipway::api::detail {

using nlohmann::json;

const json* member(const json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

json* member(json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json* at(const json& object, std::initializer_list<std::string_view> path) {
    const json* current = &object;
    for (const auto key : path) {
        current = member(*current, key);
        if (current == nullptr) {
            return nullptr;
        }
    }
    return current;
}

std::optional<std::int64_t> asInt(const json& value) {
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    if (value.is_number_float()) {
        const double number = value.get<double>();
        // Kubernetes' decoder accepts 3.0 for an int32 field, not 3.5.
        if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) < 9.0e18) {
            return static_cast<std::int64_t>(number);
        }
    }
    return std::nullopt;
}

std::string asString(const json& value) {
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string stringAt(const json& object, std::initializer_list<std::string_view> path,
                     std::string_view fallback) {
    const json* value = at(object, path);
    if (value == nullptr || !value->is_string()) {
        return std::string(fallback);
    }
    return value->get<std::string>();
}

std::int64_t intAt(const json& object, std::initializer_list<std::string_view> path,
                   std::int64_t fallback) {
    return optionalIntAt(object, path).value_or(fallback);
}

std::optional<std::int64_t> optionalIntAt(const json& object,
                                          std::initializer_list<std::string_view> path) {
    const json* value = at(object, path);
    return value == nullptr ? std::nullopt : asInt(*value);
}

bool boolAt(const json& object, std::initializer_list<std::string_view> path, bool fallback) {
    const json* value = at(object, path);
    return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

bool has(const json& object, std::initializer_list<std::string_view> path) {
    const json* value = at(object, path);
    return value != nullptr && !value->is_null();
}

const json& arrayAt(const json& object, std::initializer_list<std::string_view> path) {
    static const json kEmpty = json::array();
    const json* value = at(object, path);
    return value != nullptr && value->is_array() ? *value : kEmpty;
}

const json& objectAt(const json& object, std::initializer_list<std::string_view> path) {
    static const json kEmpty = json::object();
    const json* value = at(object, path);
    return value != nullptr && value->is_object() ? *value : kEmpty;
}

json& ensureObject(json& parent, std::string_view key) {
    if (parent.is_null()) {
        parent = json::object();
    }
    json& child = parent[std::string(key)];
    if (!child.is_object()) {
        child = json::object();
    }
    return child;
}

void setDefault(json& parent, std::string_view key, const json& value) {
    if (parent.is_null()) {
        parent = json::object();
    }
    if (!parent.is_object()) {
        return;
    }
    const auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) {
        parent[std::string(key)] = value;
    }
}

bool unsetOrEmpty(const json& parent, std::string_view key) {
    const json* value = member(parent, key);
    return value == nullptr || value->is_null() ||
           (value->is_string() && value->get_ref<const std::string&>().empty());
}

namespace {}  // namespace

std::string ageAt(const json& object, std::initializer_list<std::string_view> path,
                  std::chrono::system_clock::time_point now) {
    const auto time = parseTimestamp(stringAt(object, path));
    if (!time) {
        return "<unknown>";
    }
    return core::humanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *time));
}

}  // namespace slipway::api::detail
