// SPDX-License-Identifier: Apache-2.0
#include "engine/client/status_error.h"

namespace slipway::client {

using nlohmann::json;

namespace {

/// A body that is not a Status is shown as its start: an HTML error page from a proxy can be
/// megabytes, and one line of it says enough.
constexpr std::size_t kMaxRawMessage = 256;

core::ErrorCode codeForHttpStatus(int httpStatus) {
    switch (httpStatus) {
        case 400:
            return core::ErrorCode::BadRequest;
        case 401:
            return core::ErrorCode::Unauthorized;
        case 403:
            return core::ErrorCode::Forbidden;
        case 404:
            return core::ErrorCode::NotFound;
        case 405:
            return core::ErrorCode::MethodNotAllowed;
        case 406:
            return core::ErrorCode::NotAcceptable;
        case 409:
            return core::ErrorCode::Conflict;
        case 410:
            return core::ErrorCode::Gone;
        case 413:
            return core::ErrorCode::RequestTooLarge;
        case 415:
            return core::ErrorCode::UnsupportedMediaType;
        case 422:
            return core::ErrorCode::Invalid;
        case 429:
            return core::ErrorCode::TooManyRequests;
        case 499:
            return core::ErrorCode::Cancelled;
        case 503:
            return core::ErrorCode::Unavailable;
        case 504:
            return core::ErrorCode::Timeout;
        default:
            break;
    }
    return httpStatus >= 400 && httpStatus < 500 ? core::ErrorCode::BadRequest
                                                 : core::ErrorCode::Internal;
}

std::string stringField(const json& object, const char* field) {
    const auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

core::ErrorCode errorCodeFor(std::string_view reason, int httpStatus) {
    if (reason == "Gone") {
        return core::ErrorCode::Gone;
    }
    if (reason == "ServerTimeout") {
        return core::ErrorCode::Timeout;
    }
    if (!reason.empty()) {
        // The registry lists the specific codes before the generic ones that share a reason
        // (Internal before Io for "InternalError", Unavailable before Network), so the first
        // match is the one a server meant. AlreadyExists and Conflict share 409 but not their
        // reason, which is why the reason decides before the status does.
#define SLIPWAY_REASON_MATCH(name, http, text) \
    if (reason == (text)) {                    \
        return core::ErrorCode::name;          \
    }
        SLIPWAY_ERROR_CODES(SLIPWAY_REASON_MATCH)
#undef SLIPWAY_REASON_MATCH
    }
    return codeForHttpStatus(httpStatus);
}

core::Error errorFromStatusObject(int httpStatus, const json& status) {
    if (!status.is_object()) {
        return core::Error(codeForHttpStatus(httpStatus),
                           "the server answered HTTP " + std::to_string(httpStatus));
    }
    int code = httpStatus;
    if (const auto it = status.find("code");
        it != status.end() && it->is_number_integer() && it->get<int>() > 0) {
        code = it->get<int>();
    }
    const std::string reason = stringField(status, "reason");
    std::string message = stringField(status, "message");
    if (message.empty()) {
        message = reason.empty() ? "the server answered HTTP " + std::to_string(code) : reason;
    }
    return core::Error(errorCodeFor(reason, code), std::move(message));
}

core::Error errorFromStatus(int httpStatus, std::string_view body) {
    auto parsed = json::parse(body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object() && stringField(parsed, "kind") == "Status") {
        return errorFromStatusObject(httpStatus, parsed);
    }
    std::string message = "the server answered HTTP " + std::to_string(httpStatus);
    if (!body.empty()) {
        message += ": ";
        message += body.substr(0, std::min(body.size(), kMaxRawMessage));
    }
    return core::Error(codeForHttpStatus(httpStatus), std::move(message));
}

std::vector<StatusCause> statusCauses(std::string_view body) {
    std::vector<StatusCause> causes;
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return causes;
    }
    const auto list = parsed.value("/details/causes"_json_pointer, json::array());
    if (!list.is_array()) {
        return causes;
    }
    for (const auto& cause : list) {
        if (!cause.is_object()) {
            continue;
        }
        StatusCause item;
        item.reason = stringField(cause, "reason");
        item.message = stringField(cause, "message");
        item.field = stringField(cause, "field");
        causes.push_back(std::move(item));
    }
    return causes;
}

}  // namespace slipway::client
