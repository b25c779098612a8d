// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::core {

/// A time as Kubernetes writes metav1.Time: RFC 3339 in UTC, whole seconds
/// ("2024-05-01T10:00:00Z").
std::string formatTimestamp(std::chrono::system_clock::time_point time);

/// Parses an RFC 3339 timestamp as Kubernetes writes them ("2024-05-01T10:00:00Z", with
/// optional fractional seconds and a numeric offset); nullopt if it is not one.
std::optional<std::chrono::system_clock::time_point> parseTimestamp(std::string_view text);

}  // namespace slipway::core
