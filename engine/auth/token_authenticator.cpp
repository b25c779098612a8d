// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/token_authenticator.h"

#include "engine/api/resource_type.h"
#include "engine/apiserver/object_codec.h"
#include "engine/store/store.h"

namespace slipway::auth {

TokenAuthenticator::TokenAuthenticator(const ServiceAccountKey& key,
                                       std::vector<std::string> audiences,
                                       ServiceAccountUid serviceAccountUid, Clock clock)
    : m_key(key),
      m_audiences(std::move(audiences)),
      m_serviceAccountUid(std::move(serviceAccountUid)),
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
    auto claims = validateServiceAccountToken(
        m_key, token, audiences.empty() ? m_audiences : audiences, m_clock());
    if (!claims) {
        return claims.error();
    }
    // kube-apiserver's legacy and bound token validators both read the live object.
    const auto uid = m_serviceAccountUid(claims->nameSpace, claims->name);
    if (!uid) {
        return core::Error(
            core::ErrorCode::Unauthorized,
            "service account " + claims->nameSpace + "/" + claims->name + " has been deleted");
    }
    if (*uid != claims->uid) {
        return core::Error(
            core::ErrorCode::Unauthorized,
            "service account UID (" + claims->uid + ") does not match claim (" + *uid + ")");
    }
    return serviceAccountIdentity(claims->nameSpace, claims->name);
}

apiserver::Identity serviceAccountIdentity(const std::string& nameSpace, const std::string& name) {
    return {
        serviceAccountUsername(nameSpace, name),
        {"system:serviceaccounts", "system:serviceaccounts:" + nameSpace, "system:authenticated"},
        true};
}

TokenAuthenticator::ServiceAccountUid serviceAccountUidFromStore(const store::Store& store) {
    api::ResourceType serviceAccounts;
    serviceAccounts.version = "v1";
    serviceAccounts.kind = "ServiceAccount";
    serviceAccounts.plural = "serviceaccounts";
    return [&store, serviceAccounts](const std::string& nameSpace,
                                     const std::string& name) -> std::optional<std::string> {
        auto kv = store.get(apiserver::storageKey(serviceAccounts, nameSpace, name));
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
