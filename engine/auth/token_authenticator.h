// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/apiserver/authentication.h"
#include "engine/auth/service_account_token.h"

namespace slipway::store {
class Store;
}

namespace slipway::auth {

/// Authenticates service-account tokens as kube-apiserver does: the signature (our key), the
/// issuer, the expiry, the audience, and — on every request — that the ServiceAccount still
/// exists with the uid the token names, so deleting it revokes its tokens at once.
///
/// The identity: user "system:serviceaccount:NS:NAME", groups "system:serviceaccounts",
/// "system:serviceaccounts:NS", "system:authenticated". Thread-safe.
class TokenAuthenticator final : public apiserver::Authenticator {
public:
    /// The uid of ServiceAccount `name` in `nameSpace`, or nothing when it does not exist.
    using ServiceAccountUid = std::function<std::optional<std::string>(const std::string& nameSpace,
                                                                       const std::string& name)>;
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// `audiences`: what the API server accepts (kube's --api-audiences; default the issuer).
    TokenAuthenticator(const ServiceAccountKey& key, std::vector<std::string> audiences,
                       ServiceAccountUid serviceAccountUid, Clock clock = {});

    core::Result<apiserver::Identity> authenticateToken(const std::string& token) const override;
    /// The same for other audiences (a TokenReview's spec.audiences; empty = the server's).
    core::Result<apiserver::Identity> authenticate(const std::string& token,
                                                   const std::vector<std::string>& audiences) const;

    const std::vector<std::string>& audiences() const { return m_audiences; }

private:
    const ServiceAccountKey& m_key;
    std::vector<std::string> m_audiences;
    ServiceAccountUid m_serviceAccountUid;
    Clock m_clock;
};

/// The identity of a service account (without authentication having happened).
apiserver::Identity serviceAccountIdentity(const std::string& nameSpace, const std::string& name);

/// Looks service accounts up in the store (its in-memory cache: no disk read per request).
TokenAuthenticator::ServiceAccountUid serviceAccountUidFromStore(const store::Store& store);

}  // namespace slipway::auth
