// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace slipway::core {

/// The one registry of error codes. Each code maps to the HTTP status and the Kubernetes
/// `Status.reason` the API server answers with, so an error raised anywhere in the engine
/// reaches kubectl with the right shape.
///
///   X(code, httpStatus, kubernetesReason)
#define SLIPWAY_ERROR_CODES(X)                           \
    X(Internal, 500, "InternalError")                    \
    X(BadRequest, 400, "BadRequest")                     \
    X(Unauthorized, 401, "Unauthorized")                 \
    X(Forbidden, 403, "Forbidden")                       \
    X(NotFound, 404, "NotFound")                         \
    X(MethodNotAllowed, 405, "MethodNotAllowed")         \
    X(AlreadyExists, 409, "AlreadyExists")               \
    X(Conflict, 409, "Conflict")                         \
    X(Gone, 410, "Expired")                              \
    X(Invalid, 422, "Invalid")                           \
    X(Timeout, 504, "Timeout")                           \
    X(TooManyRequests, 429, "TooManyRequests")           \
    X(RequestTooLarge, 413, "RequestEntityTooLarge")     \
    X(UnsupportedMediaType, 415, "UnsupportedMediaType") \
    X(NotAcceptable, 406, "NotAcceptable")               \
    X(Unavailable, 503, "ServiceUnavailable")            \
    X(Io, 500, "InternalError")                          \
    X(Network, 503, "ServiceUnavailable")                \
    X(Hypervisor, 500, "InternalError")                  \
    X(Cancelled, 499, "Cancelled")

enum class ErrorCode {
#define SLIPWAY_ERROR_ENUM(code, http, reason) code,
    SLIPWAY_ERROR_CODES(SLIPWAY_ERROR_ENUM)
#undef SLIPWAY_ERROR_ENUM
};

/// HTTP status for a code (e.g. NotFound → 404).
int httpStatus(ErrorCode code);
/// Kubernetes `Status.reason` for a code (e.g. Gone → "Expired").
std::string_view kubernetesReason(ErrorCode code);
/// The enumerator's own name, for logs ("NotFound").
std::string_view errorCodeName(ErrorCode code);

/// A failure from the outside world: what went wrong, in words a user can act on.
class Error {
public:
    Error(ErrorCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }

    /// A copy with `context` prepended: "reading cluster.json: No such file or directory".
    Error wrap(std::string_view context) const;

    friend bool operator==(const Error&, const Error&) = default;

private:
    ErrorCode m_code;
    std::string m_message;
};

}  // namespace slipway::core
