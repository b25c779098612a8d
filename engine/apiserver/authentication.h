// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/apiserver/router.h"
#include "engine/core/result.h"

namespace slipway::apiserver {

/// Establishes who sent a request from credentials the transport does not check itself (a
/// bearer token in the Authorization header). The transport's client-certificate identity
/// comes first; an authenticator is asked only when that one is anonymous.
/// Thread-safe.
class Authenticator {
public:
    virtual ~Authenticator() = default;
    /// The identity of a bearer token (`Authorization: Bearer …`); Unauthorized when the
    /// token is not valid (bad signature, expired, wrong audience, its subject gone).
    virtual core::Result<Identity> authenticateToken(const std::string& token) const = 0;
};

}  // namespace slipway::apiserver
