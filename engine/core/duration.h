// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::core {

/// An age as kubectl prints it in the AGE column (apimachinery's HumanDuration): "45s",
/// "3m20s", "15m", "5h12m", "2d3h", "400d", "3y20d". Precision drops as the age grows.
std::string humanDuration(std::chrono::seconds age);

/// Go's time.ParseDuration: a sequence of decimal numbers, each with a unit ("300ms", "1.5h",
/// "2h45m", "-1m"); units ns, us, µs, ms, s, m, h; "0" alone needs none. Invalid (Go's
/// message: `time: invalid duration "5"`, `time: missing unit in duration "5"`) otherwise.
Result<std::chrono::nanoseconds> parseGoDuration(std::string_view text);

}  // namespace slipway::core
