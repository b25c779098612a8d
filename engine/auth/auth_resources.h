// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>

#include <nlohmann/json.hpp>

#include "engine/apiserver/router.h"
#include "engine/auth/service_account_token.h"
#include "engine/core/result.h"

namespace slipway::store {
class Store;
}
namespace slipway::apiserver {
struct RequestInfo;
}

namespace slipway::auth {

class RbacAuthorizer;
class ServiceAccountKey;
class TokenAuthenticator;

/// The resources of authentication.k8s.io and authorization.k8s.io that are created, answered
/// and never stored, as kube-apiserver serves them:
///   serviceaccounts/token       TokenRequest          kubectl create token
///   tokenreviews                TokenReview
///   selfsubjectreviews          SelfSubjectReview     kubectl auth whoami
///   selfsubjectaccessreviews    SelfSubjectAccessReview  kubectl auth can-i
///   subjectaccessreviews, localsubjectaccessreviews
///   selfsubjectrulesreviews     SelfSubjectRulesReview   kubectl auth can-i --list
/// Bodies come as JSON or as Kubernetes protobuf (kubectl's typed clients). Thread-safe.
class AuthResources {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// Every collaborator must outlive this object.
    AuthResources(const store::Store& store, const ServiceAccountKey& key,
                  const TokenAuthenticator& authenticator, const RbacAuthorizer& authorizer,
                  Clock clock = {});

    /// Registers a create-only handler for each resource above.
    void registerWith(apiserver::Router& router) const;

    /// The object a TokenRequest's spec.boundObjectRef names, checked as kube-apiserver
    /// does: a v1 Pod (running as this ServiceAccount) or Secret that exists, with the uid
    /// given if one is.
    core::Result<ServiceAccountTokenClaims::BoundObject> boundObject(
        const nlohmann::json& ref, const apiserver::RequestInfo& info,
        const nlohmann::json& serviceAccount) const;
    apiserver::HttpResponse tokenRequest(const apiserver::HttpRequest& request,
                                         const apiserver::RequestInfo& info) const;
    apiserver::HttpResponse tokenReview(const apiserver::HttpRequest& request,
                                        const apiserver::RequestInfo& info) const;
    apiserver::HttpResponse selfSubjectReview(const apiserver::HttpRequest& request,
                                              const apiserver::RequestInfo& info) const;
    /// SelfSubjectAccessReview, SubjectAccessReview and LocalSubjectAccessReview.
    apiserver::HttpResponse subjectAccessReview(const apiserver::HttpRequest& request,
                                                const apiserver::RequestInfo& info) const;
    apiserver::HttpResponse selfSubjectRulesReview(const apiserver::HttpRequest& request,
                                                   const apiserver::RequestInfo& info) const;

private:
    const store::Store& m_store;
    const ServiceAccountKey& m_key;
    const TokenAuthenticator& m_authenticator;
    const RbacAuthorizer& m_authorizer;
    Clock m_clock;
};

}  // namespace slipway::auth
