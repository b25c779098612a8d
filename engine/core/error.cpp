// SPDX-License-Identifier: Apache-2.0
#include "engine/core/error.h"

namespace slipway::core {

int httpStatus(ErrorCode code) {
    switch (code) {
#define SLIPWAY_ERROR_HTTP(name, http, reason) \
    case ErrorCode::name:                      \
        return http;
        SLIPWAY_ERROR_CODES(SLIPWAY_ERROR_HTTP)
#undef SLIPWAY_ERROR_HTTP
    }
    return 500;
}

std::string_view kubernetesReason(ErrorCode code) {
    switch (code) {
#define SLIPWAY_ERROR_REASON(name, http, reason) \
    case ErrorCode::name:                        \
        return reason;
        SLIPWAY_ERROR_CODES(SLIPWAY_ERROR_REASON)
#undef SLIPWAY_ERROR_REASON
    }
    return "InternalError";
}

std::string_view errorCodeName(ErrorCode code) {
    switch (code) {
#define SLIPWAY_ERROR_NAME(name, http, reason) \
    case ErrorCode::name:                      \
        return #name;
        SLIPWAY_ERROR_CODES(SLIPWAY_ERROR_NAME)
#undef SLIPWAY_ERROR_NAME
    }
    return "Internal";
}

Error Error::wrap(std::string_view context) const {
    std::string message;
    message.reserve(context.size() + 2 + m_message.size());
    message.append(context).append(": ").append(m_message);
    return Error(m_code, std::move(message));
}

}  // namespace slipway::core
