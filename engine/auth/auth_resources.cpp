// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/auth_resources.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "engine/api/protobuf/protobuf_codec.h"
#include "engine/api/resource_type.h"
#include "engine/api/status.h"
#include "engine/api/validation.h"
#include "engine/apiserver/authorization.h"
#include "engine/apiserver/object_codec.h"
#include "engine/apiserver/request_info.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/service_account_key.h"
#include "engine/auth/service_account_token.h"
#include "engine/auth/token_authenticator.h"
#include "engine/store/store.h"

namespace slipway::auth {
namespace {

using apiserver::HttpRequest;
using apiserver::HttpResponse;
using apiserver::RequestInfo;
using nlohmann::json;

constexpr const char* kAuthentication = "authentication.k8s.io";
constexpr const char* kAuthorization = "authorization.k8s.io";
/// kube-apiserver's TokenRequest limits: at least 10 minutes, at most 2^32 seconds; an hour
/// when the client does not say.
constexpr long long kMinTokenSeconds = 600;
constexpr long long kMaxTokenSeconds = 1LL << 32;
constexpr long long kDefaultTokenSeconds = 3600;

HttpResponse jsonResponse(int status, const json& body) {
    return HttpResponse::make(status, "application/json", body.dump());
}

HttpResponse errorResponse(const core::Error& error) {
    return jsonResponse(core::httpStatus(error.code()), api::failureStatus(error));
}

/// The request body as the JSON the client meant, checked to be `group/v1 kind`.
core::Result<json> requestObject(const HttpRequest& request, const std::string& group,
                                 const std::string& kind) {
    auto object = api::isProtobufContentType(request.contentType)
                      ? api::decodeProtobufObject(request.body)
                      : apiserver::parseObjectBody(request.body);
    if (!object) {
        return object.error();
    }
    const std::string apiVersion = object->value("apiVersion", std::string());
    const std::string objectKind = object->value("kind", std::string());
    if ((!apiVersion.empty() && apiVersion != group + "/v1") ||
        (!objectKind.empty() && objectKind != kind)) {
        return core::Error(core::ErrorCode::BadRequest,
                           "the API version in the data (" + apiVersion +
                               ") does not match the expected API version (" + group + "/v1)");
    }
    return object;
}

/// The object a review answers with: what was sent, with its type and a status.
json answer(json object, const std::string& group, const std::string& kind, json status) {
    object["apiVersion"] = group + "/v1";
    object["kind"] = kind;
    if (!object.contains("metadata") || !object["metadata"].is_object()) {
        object["metadata"] = json::object();
    }
    if (!object["metadata"].contains("creationTimestamp")) {
        object["metadata"]["creationTimestamp"] = nullptr;
    }
    object["status"] = std::move(status);
    return object;
}

json userInfo(const apiserver::Identity& identity) {
    json info = {{"username", identity.user}};
    if (!identity.groups.empty()) {
        info["groups"] = identity.groups;
    }
    return info;
}

json invalidStatus(const std::string& kind, const std::string& name, const std::string& field,
                   const std::string& message) {
    api::ResourceType type;
    type.kind = kind;
    type.group = kAuthorization;
    return api::invalidStatus(type, name, {{"FieldValueInvalid", message, field}});
}

std::vector<std::string> stringList(const json& object, const char* field) {
    std::vector<std::string> values;
    if (const auto it = object.find(field); it != object.end() && it->is_array()) {
        for (const auto& value : *it) {
            if (value.is_string()) {
                values.push_back(value.get<std::string>());
            }
        }
    }
    return values;
}

}  // namespace

AuthResources::AuthResources(const store::Store& store, const ServiceAccountKey& key,
                             const TokenAuthenticator& authenticator,
                             const RbacAuthorizer& authorizer, Clock clock)
    : m_store(store),
      m_key(key),
      m_authenticator(authenticator),
      m_authorizer(authorizer),
      m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] { return std::chrono::system_clock::now(); };
    }
}

void AuthResources::registerWith(apiserver::Router& router) const {
    const auto bind = [this](auto method) {
        return [this, method](const HttpRequest& request, const RequestInfo& info) {
            return (this->*method)(request, info);
        };
    };
    router.addCreateOnlyResource("", "serviceaccounts", "token",
                                 bind(&AuthResources::tokenRequest));
    router.addCreateOnlyResource(kAuthentication, "tokenreviews", "",
                                 bind(&AuthResources::tokenReview));
    router.addCreateOnlyResource(kAuthentication, "selfsubjectreviews", "",
                                 bind(&AuthResources::selfSubjectReview));
    for (const char* resource :
         {"selfsubjectaccessreviews", "subjectaccessreviews", "localsubjectaccessreviews"}) {
        router.addCreateOnlyResource(kAuthorization, resource, "",
                                     bind(&AuthResources::subjectAccessReview));
    }
    router.addCreateOnlyResource(kAuthorization, "selfsubjectrulesreviews", "",
                                 bind(&AuthResources::selfSubjectRulesReview));
}

HttpResponse AuthResources::tokenRequest(const HttpRequest& request,
                                         const RequestInfo& info) const {
    auto body = requestObject(request, kAuthentication, "TokenRequest");
    if (!body) {
        return errorResponse(body.error());
    }
    json spec = body->value("spec", json::object());
    long long seconds = kDefaultTokenSeconds;
    if (const auto it = spec.find("expirationSeconds"); it != spec.end() && !it->is_null()) {
        if (!it->is_number_integer()) {
            return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                             "spec.expirationSeconds must be an integer"));
        }
        seconds = it->get<long long>();
    }
    if (seconds < kMinTokenSeconds || seconds > kMaxTokenSeconds) {
        api::ResourceType type;
        type.kind = "TokenRequest";
        type.group = kAuthentication;
        return jsonResponse(
            422, api::invalidStatus(
                     type, info.name,
                     {{"FieldValueInvalid",
                       "Invalid value: " + std::to_string(seconds) +
                           (seconds < kMinTokenSeconds
                                ? ": may not specify a duration less than 10 minutes"
                                : ": may not specify a duration larger than 2^32 seconds"),
                       "spec.expirationSeconds"}}));
    }
    std::vector<std::string> audiences = stringList(spec, "audiences");
    if (audiences.empty()) {
        audiences = m_authenticator.audiences();
    }
    api::ResourceType serviceAccounts;
    serviceAccounts.version = "v1";
    serviceAccounts.plural = "serviceaccounts";
    auto kv = m_store.get(apiserver::storageKey(serviceAccounts, info.nameSpace, info.name));
    if (!kv) {
        return jsonResponse(
            404, api::failureStatus(core::Error(core::ErrorCode::NotFound,
                                                "serviceaccounts \"" + info.name + "\" not found"),
                                    {{"name", info.name}, {"kind", "serviceaccounts"}}));
    }
    auto serviceAccount = apiserver::decodeObject(*kv);
    if (!serviceAccount) {
        return errorResponse(serviceAccount.error());
    }
    // A token bound to a pod or secret lives only as long as that object (kubelet's projected
    // tokens are bound to their pod).
    std::optional<ServiceAccountTokenClaims::BoundObject> bound;
    if (const auto ref = spec.find("boundObjectRef"); ref != spec.end() && ref->is_object()) {
        auto boundTo = boundObject(*ref, info, *serviceAccount);
        if (!boundTo) {
            return errorResponse(boundTo.error());
        }
        bound = std::move(*boundTo);
        (*ref)["uid"] = bound->uid;
    }
    const auto now = m_clock();
    ServiceAccountTokenClaims claims;
    claims.bound = bound;
    claims.nameSpace = info.nameSpace;
    claims.name = info.name;
    claims.uid = serviceAccount->value("/metadata/uid"_json_pointer, std::string());
    claims.audiences = audiences;
    claims.issuedAt = std::chrono::time_point_cast<std::chrono::seconds>(now);
    claims.expiresAt = claims.issuedAt + std::chrono::seconds(seconds);
    auto token = issueServiceAccountToken(m_key, claims);
    if (!token) {
        return errorResponse(token.error());
    }
    spec["audiences"] = audiences;
    spec["expirationSeconds"] = seconds;
    if (!bound) {
        spec["boundObjectRef"] = nullptr;
    }
    json result = *body;
    result["spec"] = spec;
    result["metadata"] = {{"name", info.name},
                          {"namespace", info.nameSpace},
                          {"creationTimestamp", apiserver::rfc3339(now)}};
    return jsonResponse(
        201,
        answer(std::move(result), kAuthentication, "TokenRequest",
               {{"token", *token}, {"expirationTimestamp", apiserver::rfc3339(claims.expiresAt)}}));
}

core::Result<ServiceAccountTokenClaims::BoundObject> AuthResources::boundObject(
    const json& ref, const RequestInfo& info, const json& serviceAccount) const {
    const std::string kind = ref.value("kind", std::string());
    const std::string apiVersion = ref.value("apiVersion", std::string("v1"));
    const std::string name = ref.value("name", std::string());
    if ((kind != "Pod" && kind != "Secret") || apiVersion != "v1") {
        return core::Error(core::ErrorCode::BadRequest,
                           "cannot bind token to object of type " + apiVersion + ", Kind=" + kind);
    }
    const std::string resource = kind == "Pod" ? "pods" : "secrets";
    api::ResourceType type;
    type.version = "v1";
    type.plural = resource;
    auto kv = m_store.get(apiserver::storageKey(type, info.nameSpace, name));
    auto object = kv ? apiserver::decodeObject(*kv) : core::Result<json>(kv.error());
    if (!object) {
        return core::Error(core::ErrorCode::NotFound, resource + " \"" + name + "\" not found");
    }
    const std::string serviceAccountName =
        serviceAccount.value("/metadata/name"_json_pointer, std::string());
    if (kind == "Pod" && object->value("/spec/serviceAccountName"_json_pointer, std::string()) !=
                             serviceAccountName) {
        return core::Error(core::ErrorCode::BadRequest,
                           "cannot bind token for serviceaccount \"" + serviceAccountName +
                               "\" to pod running with different serviceaccount name.");
    }
    const std::string uid = object->value("/metadata/uid"_json_pointer, std::string());
    const std::string wantedUid = ref.value("uid", std::string());
    if (!wantedUid.empty() && wantedUid != uid) {
        return core::Error(core::ErrorCode::Conflict,
                           "Operation cannot be fulfilled on " + kind + " \"" + name +
                               "\": the UID in the bound object reference (" + wantedUid +
                               ") does not match the UID in record. The object might have been "
                               "deleted and then recreated");
    }
    return ServiceAccountTokenClaims::BoundObject{resource, name, uid};
}

HttpResponse AuthResources::tokenReview(const HttpRequest& request, const RequestInfo&) const {
    auto body = requestObject(request, kAuthentication, "TokenReview");
    if (!body) {
        return errorResponse(body.error());
    }
    const json spec = body->value("spec", json::object());
    const std::string token = spec.value("token", std::string());
    auto audiences = stringList(spec, "audiences");
    if (audiences.empty()) {
        audiences = m_authenticator.audiences();
    }
    json status = json::object();
    if (auto identity = m_authenticator.authenticate(token, audiences); identity) {
        status = {{"authenticated", true}, {"user", userInfo(*identity)}, {"audiences", audiences}};
    } else {
        status = {{"user", json::object()}, {"error", identity.error().message()}};
    }
    return jsonResponse(201, answer(std::move(*body), kAuthentication, "TokenReview", status));
}

HttpResponse AuthResources::selfSubjectReview(const HttpRequest& request,
                                              const RequestInfo&) const {
    auto body = requestObject(request, kAuthentication, "SelfSubjectReview");
    if (!body) {
        return errorResponse(body.error());
    }
    return jsonResponse(201, answer(std::move(*body), kAuthentication, "SelfSubjectReview",
                                    {{"userInfo", userInfo(request.identity)}}));
}

HttpResponse AuthResources::subjectAccessReview(const HttpRequest& request,
                                                const RequestInfo& info) const {
    const std::string kind = info.resource == "selfsubjectaccessreviews" ? "SelfSubjectAccessReview"
                             : info.resource == "localsubjectaccessreviews"
                                 ? "LocalSubjectAccessReview"
                                 : "SubjectAccessReview";
    auto body = requestObject(request, kAuthorization, kind);
    if (!body) {
        return errorResponse(body.error());
    }
    const json spec = body->value("spec", json::object());
    const bool self = kind == "SelfSubjectAccessReview";
    apiserver::AuthorizationAttributes attributes;
    if (self) {
        attributes.user = request.identity;
    } else {
        attributes.user.user = spec.value("user", std::string());
        attributes.user.groups = stringList(spec, "groups");
        attributes.user.authenticated = true;
        if (attributes.user.user.empty() && attributes.user.groups.empty()) {
            return jsonResponse(422, invalidStatus(kind, "", "spec.user",
                                                   "Invalid value: \"\": at least one of user or "
                                                   "group must be specified"));
        }
    }
    const auto resource = spec.find("resourceAttributes");
    const auto nonResource = spec.find("nonResourceAttributes");
    const bool hasResource = resource != spec.end() && resource->is_object();
    const bool hasNonResource = nonResource != spec.end() && nonResource->is_object();
    if (hasResource == hasNonResource) {
        return jsonResponse(
            422, invalidStatus(kind, "", "spec.resourceAttributes",
                               "Invalid value: \"null\": exactly one of nonResourceAttributes or "
                               "resourceAttributes must be specified"));
    }
    if (hasResource) {
        attributes.resourceRequest = true;
        attributes.verb = resource->value("verb", std::string());
        attributes.nameSpace = resource->value("namespace", std::string());
        attributes.apiGroup = resource->value("group", std::string());
        attributes.apiVersion = resource->value("version", std::string());
        attributes.resource = resource->value("resource", std::string());
        attributes.subresource = resource->value("subresource", std::string());
        attributes.name = resource->value("name", std::string());
        if (kind == "LocalSubjectAccessReview" && attributes.nameSpace != info.nameSpace) {
            return jsonResponse(422, invalidStatus(kind, "", "spec.resourceAttributes.namespace",
                                                   "Invalid value: \"" + attributes.nameSpace +
                                                       "\": must match metadata.namespace"));
        }
    } else {
        attributes.verb = nonResource->value("verb", std::string());
        attributes.path = nonResource->value("path", std::string());
    }
    const auto decision = m_authorizer.authorize(attributes);
    json status = {{"allowed", decision.allowed}};
    if (!decision.reason.empty()) {
        status["reason"] = decision.reason;
    }
    return jsonResponse(201, answer(std::move(*body), kAuthorization, kind, status));
}

HttpResponse AuthResources::selfSubjectRulesReview(const HttpRequest& request,
                                                   const RequestInfo&) const {
    auto body = requestObject(request, kAuthorization, "SelfSubjectRulesReview");
    if (!body) {
        return errorResponse(body.error());
    }
    const std::string nameSpace = body->value("/spec/namespace"_json_pointer, std::string());
    const auto rules = m_authorizer.rulesFor(request.identity, nameSpace);
    json resourceRules = json::array();
    json nonResourceRules = json::array();
    for (const auto& rule : rules.rules) {
        // A rule with resources is a resource rule; one with URLs a non-resource rule (a
        // malformed rule with both counts as both, as kube's RulesFor does).
        if (!rule.resources.empty()) {
            PolicyRule resourceRule = rule;
            resourceRule.nonResourceURLs.clear();
            resourceRules.push_back(resourceRule.toJson());
        }
        if (!rule.nonResourceURLs.empty()) {
            nonResourceRules.push_back(
                json{{"verbs", rule.verbs}, {"nonResourceURLs", rule.nonResourceURLs}});
        }
    }
    json status = {{"resourceRules", std::move(resourceRules)},
                   {"nonResourceRules", std::move(nonResourceRules)},
                   {"incomplete", !rules.errors.empty()}};
    if (!rules.errors.empty()) {
        std::string text;
        for (const auto& error : rules.errors) {
            text += (text.empty() ? "" : ", ") + error;
        }
        status["evaluationError"] = text;
    }
    return jsonResponse(201,
                        answer(std::move(*body), kAuthorization, "SelfSubjectRulesReview", status));
}

}  // namespace slipway::auth
