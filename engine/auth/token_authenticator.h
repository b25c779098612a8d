// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
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
/// exists with the uid the token names, so deleting it revokes its tokens at once; likewise the
/// pod or secret a bound token is tied to (a pod's projected token dies with the pod).
///
/// The identity: user "system:serviceaccount:NS:NAME", groups "system:serviceaccounts",
/// "system:serviceaccounts:NS", "system:authenticated". Thread-safe.
///
/// kube-apiserver caches a token's authentication for 10 s (its token cache's success TTL), so
/// that a client sending the same token on every request pays for one signature check every
/// 10 s. Here the cache holds the
/// checked claims, keyed by a SHA-256 of the audiences and the token (the token itself is not
/// kept); each use still checks the expiry and, unlike kube's cache, that the ServiceAccount
/// exists with the token's uid, so deleting it revokes its tokens at once. Failures are not
/// cached (kube's failure TTL is 0). At most kMaxCachedTokens entries.
class TokenAuthenticator final : public apiserver::Authenticator {
public:
    /// The uid of the object `name` of core/v1 `resource` ("serviceaccounts", "pods",
    /// "secrets") in `nameSpace`, or nothing when it does not exist.
    using ObjectUid = std::function<std::optional<std::string>(
        const std::string& resource, const std::string& nameSpace, const std::string& name)>;
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// `audiences`: what the API server accepts (kube's --api-audiences; default the issuer).
    TokenAuthenticator(const ServiceAccountKey& key, std::vector<std::string> audiences,
                       ObjectUid objectUid, Clock clock = {});

    core::Result<apiserver::Identity> authenticateToken(const std::string& token) const override;
    /// The same for other audiences (a TokenReview's spec.audiences; empty = the server's).
    core::Result<apiserver::Identity> authenticate(const std::string& token,
                                                   const std::vector<std::string>& audiences) const;

    const std::vector<std::string>& audiences() const { return m_audiences; }

    /// How long checked claims are trusted, and how many tokens are remembered.
    static constexpr std::chrono::seconds kCacheTtl{10};
    static constexpr std::size_t kMaxCachedTokens = 4096;
    /// Tokens whose claims are cached now, and authentications answered from the cache.
    std::size_t cachedTokens() const;
    std::uint64_t cacheHits() const;

private:
    struct CachedClaims {
        ServiceAccountTokenClaims claims;
        std::chrono::system_clock::time_point until;
    };

    /// The claims of `token` for `audiences`: from the cache while fresh, else validated (and
    /// cached when valid).
    core::Result<ServiceAccountTokenClaims> claimsOf(
        const std::string& token, const std::vector<std::string>& audiences,
        std::chrono::system_clock::time_point now) const;

    const ServiceAccountKey& m_key;
    std::vector<std::string> m_audiences;
    ObjectUid m_objectUid;
    Clock m_clock;

    mutable std::mutex m_cacheMutex;
    mutable std::map<std::string, CachedClaims, std::less<>> m_cache;
    mutable std::uint64_t m_cacheHits = 0;
};

/// The identity of a service account (without authentication having happened).
apiserver::Identity serviceAccountIdentity(const std::string& nameSpace, const std::string& name);

/// Looks service accounts up in the store (its in-memory cache: no disk read per request).
TokenAuthenticator::ObjectUid objectUidFromStore(const store::Store& store);

}  // namespace slipway::auth
