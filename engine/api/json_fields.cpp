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

namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseTimestamp(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::chrono::nanoseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::int64_t nanos = 0;
        int scale = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (scale < 9) {
                nanos = nanos * 10 + (text[pos] - '0');
                ++scale;
            }
            ++pos;
        }
        if (scale == 0) {
            return std::nullopt;
        }
        for (; scale < 9; ++scale) {
            nanos *= 10;
        }
        fraction = std::chrono::nanoseconds(nanos);
    }
    std::chrono::minutes offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int offsetHours = 0;
        int offsetMinutes = 0;
        if (!digits(text, pos + 1, 2, offsetHours) || pos + 3 >= text.size() ||
            text[pos + 3] != ':' || !digits(text, pos + 4, 2, offsetMinutes)) {
            return std::nullopt;
        }
        offset = std::chrono::minutes(offsetHours * 60 + offsetMinutes);
        if (text[pos] == '-') {
            offset = -offset;
        }
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    const auto time = std::chrono::sys_days(date) + std::chrono::hours(hour) +
                      std::chrono::minutes(minute) + std::chrono::seconds(second) - offset;
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        std::chrono::system_clock::time_point(time) + fraction);
}

std::string ageAt(const json& object, std::initializer_list<std::string_view> path,
                  std::chrono::system_clock::time_point now) {
    const auto time = parseTimestamp(stringAt(object, path));
    if (!time) {
        return "<unknown>";
    }
    return core::humanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *time));
}

}  // namespace slipway::api::detail
