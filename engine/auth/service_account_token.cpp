// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/service_account_token.h"

#include <algorithm>

#include "engine/apiserver/object_codec.h"

namespace slipway::auth {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

std::int64_t unixSeconds(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

core::Error invalid(const std::string& why) {
    return core::Error(core::ErrorCode::Unauthorized, why);
}

std::string quotedList(const std::vector<std::string>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += (i > 0 ? "," : "") + ("\"" + values[i] + "\"");
    }
    return text + "]";
}

}  // namespace

std::string serviceAccountUsername(std::string_view nameSpace, std::string_view name) {
    return "system:serviceaccount:" + std::string(nameSpace) + ":" + std::string(name);
}

core::Result<std::string> issueServiceAccountToken(const ServiceAccountKey& key,
                                                   const ServiceAccountTokenClaims& claims) {
    json kubernetes = {{"namespace", claims.nameSpace},
                       {"serviceaccount", {{"name", claims.name}, {"uid", claims.uid}}}};
    if (claims.bound) {
        const std::string field = claims.bound->resource == "pods" ? "pod" : "secret";
        kubernetes[field] = {{"name", claims.bound->name}, {"uid", claims.bound->uid}};
    }
    const json payload = {
        {"aud", claims.audiences},
        {"exp", unixSeconds(claims.expiresAt)},
        {"iat", unixSeconds(claims.issuedAt)},
        {"iss", kServiceAccountIssuer},
        {"jti", claims.id.empty() ? apiserver::newUid() : claims.id},
        {"kubernetes.io", std::move(kubernetes)},
        {"nbf", unixSeconds(claims.issuedAt)},
        {"sub", serviceAccountUsername(claims.nameSpace, claims.name)},
    };
    return key.sign(payload);
}

core::Result<ServiceAccountTokenClaims> validateServiceAccountToken(
    const ServiceAccountKey& key, std::string_view token, const std::vector<std::string>& audiences,
    Clock::time_point now) {
    auto payload = key.verify(token);
    if (!payload) {
        return payload.error();
    }
    const json& claims = *payload;
    if (claims.value("iss", std::string()) != kServiceAccountIssuer) {
        return invalid("token issuer is not " + std::string(kServiceAccountIssuer));
    }
    const auto exp = claims.find("exp");
    const auto nbf = claims.find("nbf");
    const auto iat = claims.find("iat");
    if (exp == claims.end() || !exp->is_number_integer() || iat == claims.end() ||
        !iat->is_number_integer()) {
        return invalid("token has no expiry");
    }
    const std::int64_t nowSeconds = unixSeconds(now);
    if (nowSeconds >= exp->get<std::int64_t>()) {
        return invalid("token has expired");
    }
    if (nbf != claims.end() && nbf->is_number_integer() && nowSeconds < nbf->get<std::int64_t>()) {
        return invalid("token is not valid yet");
    }
    // "aud" is a string or an array of strings (RFC 7519 §4.1.3).
    std::vector<std::string> tokenAudiences;
    if (const auto aud = claims.find("aud"); aud != claims.end() && aud->is_string()) {
        tokenAudiences.push_back(aud->get<std::string>());
    } else if (aud != claims.end() && aud->is_array()) {
        for (const auto& item : *aud) {
            if (item.is_string()) {
                tokenAudiences.push_back(item.get<std::string>());
            }
        }
    }
    const bool intersects = std::any_of(
        tokenAudiences.begin(), tokenAudiences.end(), [&audiences](const std::string& a) {
            return std::find(audiences.begin(), audiences.end(), a) != audiences.end();
        });
    if (!intersects) {
        return invalid("token audiences " + quotedList(tokenAudiences) +
                       " is invalid for the target audiences " + quotedList(audiences));
    }
    const json kubernetes = claims.value("kubernetes.io", json::object());
    ServiceAccountTokenClaims result;
    result.nameSpace = kubernetes.value("namespace", std::string());
    result.name = kubernetes.value("/serviceaccount/name"_json_pointer, std::string());
    result.uid = kubernetes.value("/serviceaccount/uid"_json_pointer, std::string());
    for (const auto& [field, resource] : {std::pair{"pod", "pods"}, {"secret", "secrets"}}) {
        if (const auto it = kubernetes.find(field); it != kubernetes.end() && it->is_object()) {
            result.bound = ServiceAccountTokenClaims::BoundObject{
                resource, it->value("name", std::string()), it->value("uid", std::string())};
        }
    }
    if (result.nameSpace.empty() || result.name.empty() ||
        claims.value("sub", std::string()) !=
            serviceAccountUsername(result.nameSpace, result.name)) {
        return invalid("token does not name a service account");
    }
    result.audiences = std::move(tokenAudiences);
    result.issuedAt = Clock::time_point(std::chrono::seconds(iat->get<std::int64_t>()));
    result.expiresAt = Clock::time_point(std::chrono::seconds(exp->get<std::int64_t>()));
    result.id = claims.value("jti", std::string());
    return result;
}

}  // namespace slipway::auth
