// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/token_authenticator.h"

#include <algorithm>

#include <openssl/evp.h>

#include "engine/api/resource_type.h"
#include "engine/apiserver/object_codec.h"
#include "engine/store/store.h"

namespace slipway::auth {
namespace {

/// SHA-256 of the audiences and the token, as the cache key: the cache never holds a
/// credential that could be read back out of it.
std::string cacheKey(const std::string& token, const std::vector<std::string>& audiences) {
    std::string input;
    for (const auto& audience : audiences) {
        input += audience;
        input += '\0';
    }
    input += '\n';
    input += token;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

TokenAuthenticator::TokenAuthenticator(const ServiceAccountKey& key,
                                       std::vector<std::string> audiences, ObjectUid objectUid,
                                       Clock clock)
    : m_key(key),
      m_audiences(std::move(audiences)),
      m_objectUid(std::move(objectUid)),
      m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] { return std::chrono::system_clock::now(); };
    }
}

core::Result<apiserver::Identity> TokenAuthenticator::authenticateToken(
    const std::string& token) const {
    return authenticate(token, m_audiences);
}

core::Result<apiserver::Identity> TokenAuthenticator::authenticate(
    const std::string& token, const std::vector<std::string>& audiences) const {
    auto claims = claimsOf(token, audiences.empty() ? m_audiences : audiences, m_clock());
    if (!claims) {
        return claims.error();
    }
    // kube-apiserver's legacy and bound token validators both read the live object.
    const auto uid = m_objectUid("serviceaccounts", claims->nameSpace, claims->name);
    if (!uid) {
        return core::Error(
            core::ErrorCode::Unauthorized,
            "service account " + claims->nameSpace + "/" + claims->name + " has been deleted");
    }
    if (*uid != claims->uid) {
        return core::Error(
            core::ErrorCode::Unauthorized,
            "service account UID (" + *uid + ") does not match claim (" + claims->uid + ")");
    }
    if (const auto& bound = claims->bound) {
        const std::string kind = bound->resource == "pods" ? "pod" : "secret";
        const auto boundUid = m_objectUid(bound->resource, claims->nameSpace, bound->name);
        if (!boundUid) {
            return core::Error(
                core::ErrorCode::Unauthorized,
                kind + " " + claims->nameSpace + "/" + bound->name + " has been deleted");
        }
        if (*boundUid != bound->uid) {
            return core::Error(
                core::ErrorCode::Unauthorized,
                kind + " UID (" + *boundUid + ") does not match claim (" + bound->uid + ")");
        }
    }
    return serviceAccountIdentity(claims->nameSpace, claims->name);
}

core::Result<ServiceAccountTokenClaims> TokenAuthenticator::claimsOf(
    const std::string& token, const std::vector<std::string>& audiences,
    std::chrono::system_clock::time_point now) const {
    const std::string key = cacheKey(token, audiences);
    if (!key.empty()) {
        std::lock_guard lock(m_cacheMutex);
        const auto it = m_cache.find(key);
        if (it != m_cache.end() && now < it->second.until) {
            ++m_cacheHits;
            return it->second.claims;
        }
    }
    auto claims = validateServiceAccountToken(m_key, token, audiences, now);
    if (!claims || key.empty()) {
        return claims;
    }
    // Trusted for the TTL, but never past the token's own expiry: an expired token fails
    // the check again instead of coming from the cache.
    const auto until = std::min(now + kCacheTtl, claims->expiresAt);
    std::lock_guard lock(m_cacheMutex);
    if (m_cache.size() >= kMaxCachedTokens) {
        std::erase_if(m_cache, [now](const auto& entry) { return entry.second.until <= now; });
        if (m_cache.size() >= kMaxCachedTokens) {
            m_cache.clear();  // a flood of distinct tokens: start over rather than grow
        }
    }
    m_cache.insert_or_assign(key, CachedClaims{*claims, until});
    return claims;
}

std::size_t TokenAuthenticator::cachedTokens() const {
    std::lock_guard lock(m_cacheMutex);
    return m_cache.size();
}

std::uint64_t TokenAuthenticator::cacheHits() const {
    std::lock_guard lock(m_cacheMutex);
    return m_cacheHits;
}

apiserver::Identity serviceAccountIdentity(const std::string& nameSpace, const std::string& name) {
    return {
        serviceAccountUsername(nameSpace, name),
        {"system:serviceaccounts", "system:serviceaccounts:" + nameSpace, "system:authenticated"},
        true};
}

TokenAuthenticator::ObjectUid objectUidFromStore(const store::Store& store) {
    return [&store](const std::string& resource, const std::string& nameSpace,
                    const std::string& name) -> std::optional<std::string> {
        api::ResourceType type;
        type.version = "v1";
        type.plural = resource;
        auto kv = store.get(apiserver::storageKey(type, nameSpace, name));
        if (!kv) {
            return std::nullopt;
        }
        auto object = apiserver::decodeObject(*kv);
        if (!object) {
            return std::nullopt;
        }
        return object->value("/metadata/uid"_json_pointer, std::string());
    };
}

}  // namespace slipway::auth
