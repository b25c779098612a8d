// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::core {

/// Sets up the process-wide spdlog logger: level by name ("trace" … "off"), optionally a
/// file sink beside stderr. Programs call this once from main.
Result<void> initLogging(std::string_view programName, std::string_view level,
                         const std::string& logFile = {});

}  // namespace slipway::core
