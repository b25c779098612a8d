// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>

#include "engine/apiserver/router.h"

namespace slipway::apiserver {

/// What a request asks to do, as kube-apiserver's authorizer.Attributes: who, which verb, and
/// either a resource (group, namespace, resource, subresource, name) or a non-resource path.
struct AuthorizationAttributes {
    Identity user;
    std::string verb;  ///< get list watch create update patch delete deletecollection; or the
                       ///< lower-case method for a non-resource path; or "impersonate"
    bool resourceRequest = false;
    std::string nameSpace;
    std::string apiGroup;
    std::string apiVersion;
    std::string resource;
    std::string subresource;
    std::string name;
    std::string path;  ///< for non-resource requests: "/api", "/openapi/v3"

    /// `verb` on `resource` of `apiGroup` in `nameSpace` ("" = cluster scope), on object
    /// `name` ("" = the collection).
    static AuthorizationAttributes forResource(Identity user, std::string verb,
                                               std::string apiGroup, std::string resource,
                                               std::string nameSpace = {}, std::string name = {},
                                               std::string subresource = {}) {
        AuthorizationAttributes attributes;
        attributes.user = std::move(user);
        attributes.verb = std::move(verb);
        attributes.resourceRequest = true;
        attributes.apiGroup = std::move(apiGroup);
        attributes.resource = std::move(resource);
        attributes.nameSpace = std::move(nameSpace);
        attributes.name = std::move(name);
        attributes.subresource = std::move(subresource);
        return attributes;
    }
    /// `verb` on the non-resource `path`.
    static AuthorizationAttributes forPath(Identity user, std::string verb, std::string path) {
        AuthorizationAttributes attributes;
        attributes.user = std::move(user);
        attributes.verb = std::move(verb);
        attributes.path = std::move(path);
        return attributes;
    }
};

/// An authorizer's answer. `reason` says why ("RBAC: allowed by ClusterRoleBinding …"), and
/// for a denial is appended to the Forbidden message when not empty.
struct AuthorizationDecision {
    bool allowed = false;
    std::string reason;
};

/// Decides whether a request may proceed (kube-apiserver's authorizer.Authorizer).
/// Implementations are thread-safe and fast: every request goes through one.
class Authorizer {
public:
    virtual ~Authorizer() = default;
    virtual AuthorizationDecision authorize(const AuthorizationAttributes& attributes) const = 0;
};

/// kube-apiserver's Forbidden message for a denied request:
///   User "u" cannot list resource "pods" in API group "" in the namespace "default"
///   User "u" cannot get path "/api"
/// with ": <reason>" appended when the authorizer gave one.
std::string forbiddenMessage(const AuthorizationAttributes& attributes, const std::string& reason);

}  // namespace slipway::apiserver
