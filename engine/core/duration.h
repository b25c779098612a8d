// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>

namespace slipway::core {

/// An age as kubectl prints it in the AGE column (apimachinery's HumanDuration): "45s",
/// "3m20s", "15m", "5h12m", "2d3h", "400d", "3y20d". Precision drops as the age grows.
std::string humanDuration(std::chrono::seconds age);

}  // namespace slipway::core
