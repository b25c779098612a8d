// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace slipway::client {

/// The error code for a failed answer: its `Status.reason` when Slipway's registry knows it
/// ("NotFound", "AlreadyExists", "Conflict", "Invalid", "Expired", …), otherwise the HTTP
/// status (404 → NotFound, 409 → Conflict, 410 → Gone, 422 → Invalid, 5xx → Internal…).
/// Two reasons kube-apiserver uses that the registry spells differently map too: "Gone" →
/// Gone, "ServerTimeout" → Timeout.
core::ErrorCode errorCodeFor(std::string_view reason, int httpStatus);

/// The core::Error of a non-2xx answer whose body may be a meta.k8s.io/v1 Status: its code
/// from reason and HTTP status, its message the Status message (or the start of the body when
/// it is not a Status, or the HTTP status when there is no body).
core::Error errorFromStatus(int httpStatus, std::string_view body);
/// The same for a Status already parsed (an ERROR watch event's object).
core::Error errorFromStatusObject(int httpStatus, const nlohmann::json& status);

/// One field error of a 422 Invalid Status (`details.causes[]`).
struct StatusCause {
    std::string reason;  ///< "FieldValueRequired", "FieldValueInvalid", …
    std::string message;
    std::string field;  ///< "metadata.name"
};

/// The field causes of a failure Status body; empty when there are none or it is not a Status.
/// The GUI shows each next to its field.
std::vector<StatusCause> statusCauses(std::string_view body);

}  // namespace slipway::client
