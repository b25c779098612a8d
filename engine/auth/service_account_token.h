// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/auth/service_account_key.h"
#include "engine/core/result.h"

namespace slipway::auth {

/// The issuer and default audience of the tokens kube-apiserver issues (--service-account-issuer
/// and --api-audiences default to it).
inline constexpr std::string_view kServiceAccountIssuer =
    "https://kubernetes.default.svc.cluster.local";

/// What a service-account token says, as the claims kube-apiserver puts in one:
///   {"aud":[…],"exp":…,"iat":…,"iss":"https://kubernetes.default.svc.cluster.local","jti":…,
///    "kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"bot","uid":"…"}},
///    "nbf":…,"sub":"system:serviceaccount:ns:bot"}
struct ServiceAccountTokenClaims {
    /// The object a bound token lives with (TokenRequest's spec.boundObjectRef): deleting it
    /// revokes the token. kube-apiserver writes it as "kubernetes.io":{"pod":{name,uid}} (or
    /// "secret").
    struct BoundObject {
        std::string resource;  ///< "pods" or "secrets"
        std::string name;
        std::string uid;
    };

    std::string nameSpace;
    std::string name;
    std::string uid;  ///< of the ServiceAccount, so that a re-created one does not inherit
    std::vector<std::string> audiences;
    std::chrono::system_clock::time_point issuedAt;
    std::chrono::system_clock::time_point expiresAt;
    std::string id;  ///< "jti", a random UUID
    std::optional<BoundObject> bound;
};

/// "system:serviceaccount:<namespace>:<name>".
std::string serviceAccountUsername(std::string_view nameSpace, std::string_view name);

/// A signed token carrying `claims` (nbf = iat).
core::Result<std::string> issueServiceAccountToken(const ServiceAccountKey& key,
                                                   const ServiceAccountTokenClaims& claims);

/// The claims of `token` if it was signed by `key`, names our issuer, is valid at `now`
/// (nbf ≤ now < exp) and is meant for one of `audiences`. Unauthorized otherwise, with the
/// reason kube-apiserver's JWT validator gives ("token has expired", "token audiences … is
/// invalid for the target audiences …").
core::Result<ServiceAccountTokenClaims> validateServiceAccountToken(
    const ServiceAccountKey& key, std::string_view token, const std::vector<std::string>& audiences,
    std::chrono::system_clock::time_point now);

}  // namespace slipway::auth
