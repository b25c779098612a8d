// SPDX-License-Identifier: Apache-2.0
#include "engine/core/logging.h"

#include <memory>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace slipway::core {

Result<void> initLogging(std::string_view programName, std::string_view level,
                         const std::string& logFile) {
    const auto parsed = spdlog::level::from_str(std::string(level));
    // from_str answers `off` for anything it does not know; only "off" itself may mean off.
    if (parsed == spdlog::level::off && level != "off") {
        return Error(ErrorCode::BadRequest,
                     "unknown log level '" + std::string(level) +
                         "' (want trace, debug, info, warn, error, critical or off)");
    }
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!logFile.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(logFile));
        } catch (const spdlog::spdlog_ex& e) {
            return Error(ErrorCode::Io, e.what()).wrap("opening log file " + logFile);
        }
    }
    auto logger =
        std::make_shared<spdlog::logger>(std::string(programName), sinks.begin(), sinks.end());
    logger->set_level(parsed);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %n[%t] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
    return success();
}

}  // namespace slipway::core
