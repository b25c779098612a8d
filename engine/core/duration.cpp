// SPDX-License-Identifier: Apache-2.0
#include "engine/core/duration.h"

namespace slipway::core {
namespace {

std::string pair(long long major, const char* majorUnit, long long minor, const char* minorUnit) {
    std::string text = std::to_string(major) + majorUnit;
    if (minor != 0) {
        text += std::to_string(minor) + minorUnit;
    }
    return text;
}

}  // namespace

std::string humanDuration(std::chrono::seconds age) {
    const long long seconds = age.count();
    // Clocks of two machines differ a little: up to a second in the future is "now".
    if (seconds < -1) {
        return "<invalid>";
    }
    if (seconds < 0) {
        return "0s";
    }
    if (seconds < 120) {
        return std::to_string(seconds) + "s";
    }
    const long long minutes = seconds / 60;
    if (minutes < 10) {
        return pair(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 180) {
        return std::to_string(minutes) + "m";
    }
    const long long hours = minutes / 60;
    if (hours < 8) {
        return pair(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
        return std::to_string(hours) + "h";
    }
    const long long days = hours / 24;
    if (hours < 24 * 8) {
        return pair(days, "d", hours % 24, "h");
    }
    if (hours < 24 * 365 * 2) {
        return std::to_string(days) + "d";
    }
    if (hours < 24 * 365 * 8) {
        return pair(days / 365, "y", days % 365, "d");
    }
    return std::to_string(days / 365) + "y";
}

Result<std::chrono::nanoseconds> parseGoDuration(std::string_view text) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    const auto invalid = [&](const char* what) {
        return Error(ErrorCode::Invalid, std::string("time: ") + what + " " + quoted);
    };
    std::string_view rest = text;
    bool negative = false;
    if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
        negative = rest.front() == '-';
        rest.remove_prefix(1);
    }
    if (rest == "0") {
        return std::chrono::nanoseconds(0);
    }
    if (rest.empty()) {
        return invalid("invalid duration");
    }
    long double total = 0;
    while (!rest.empty()) {
        std::size_t digits = 0;
        while (digits < rest.size() &&
               ((rest[digits] >= '0' && rest[digits] <= '9') || rest[digits] == '.')) {
            ++digits;
        }
        const std::string number(rest.substr(0, digits));
        if (number.empty() || number == ".") {
            return invalid("invalid duration");
        }
        rest.remove_prefix(digits);
        std::size_t unitLength = 0;
        while (unitLength < rest.size() && !(rest[unitLength] >= '0' && rest[unitLength] <= '9') &&
               rest[unitLength] != '.') {
            ++unitLength;
        }
        const std::string_view unit = rest.substr(0, unitLength);
        rest.remove_prefix(unitLength);
        long double scale = 0;
        if (unit.empty()) {
            return invalid("missing unit in duration");
        } else if (unit == "ns") {
            scale = 1;
        } else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") {
            scale = 1e3L;
        } else if (unit == "ms") {
            scale = 1e6L;
        } else if (unit == "s") {
            scale = 1e9L;
        } else if (unit == "m") {
            scale = 60e9L;
        } else if (unit == "h") {
            scale = 3600e9L;
        } else {
            return Error(ErrorCode::Invalid,
                         "time: unknown unit \"" + std::string(unit) + "\" in duration " + quoted);
        }
        total += std::stold(number) * scale;
    }
    const auto nanos = static_cast<std::int64_t>(total);
    return std::chrono::nanoseconds(negative ? -nanos : nanos);
}

}  // namespace slipway::core
