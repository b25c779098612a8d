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

}  // namespace slipway::core
