// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace slipway::api {

/// A meta.k8s.io/v1 `Status` describing a failure, as the API server answers every error:
/// `{"kind":"Status","apiVersion":"v1","status":"Failure","message":…,"reason":…,"code":…}`.
nlohmann::json failureStatus(const core::Error& error);
/// The same with `details` ({"name":…,"group":…,"kind":…}), as NotFound, AlreadyExists and
/// Conflict answers carry them.
nlohmann::json failureStatus(const core::Error& error, nlohmann::json details);

}  // namespace slipway::api
