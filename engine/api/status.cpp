// SPDX-License-Identifier: Apache-2.0
#include "engine/api/status.h"

namespace slipway::api {

nlohmann::json failureStatus(const core::Error& error) {
    return {
        {"kind", "Status"},
        {"apiVersion", "v1"},
        {"metadata", nlohmann::json::object()},
        {"status", "Failure"},
        {"message", error.message()},
        {"reason", core::kubernetesReason(error.code())},
        {"code", core::httpStatus(error.code())},
    };
}

nlohmann::json failureStatus(const core::Error& error, nlohmann::json details) {
    auto status = failureStatus(error);
    status["details"] = std::move(details);
    return status;
}

}  // namespace slipway::api
