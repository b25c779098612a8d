// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/apiserver/resource_handler.h"
#include "engine/auth/rbac_policy.h"
#include "engine/core/result.h"

namespace slipway::store {
class Store;
}

namespace slipway::auth {

class RbacAuthorizer;

/// kube-apiserver's privilege-escalation prevention for RBAC writes (its policybased storage
/// of roles, clusterroles, rolebindings and clusterrolebindings), as a write admission of the
/// ResourceHandler:
///
/// - a Role or ClusterRole may be created or updated (patches included: the patched object
///   counts) only by a user who already holds every permission it grants in that scope, or
///   who may `escalate` it; an aggregationRule, which can gather anything, needs every
///   permission there is;
/// - a RoleBinding or ClusterRoleBinding only by a user who holds every permission of the role
///   it references, in the binding's scope, or who may `bind` that role;
/// - members of system:masters may do anything, and an update that changes nothing but
///   ownerReferences, finalizers and deletion fields (what the garbage collector writes)
///   is let through.
///
/// A refusal is 403 Forbidden with kube's message:
///   roles.rbac.authorization.k8s.io "x" is forbidden: user "u" (groups=["g"]) is attempting
///   to grant RBAC permissions not currently held:
///   {APIGroups:[""], Resources:["pods"], Verbs:["get"]}
///
/// What a user holds comes from the authorizer's policy; the role a binding references is read
/// from the store when one is given (so a role created a moment ago counts), else from that
/// policy too. Thread-safe; both must outlive it.
class EscalationCheck {
public:
    explicit EscalationCheck(const RbacAuthorizer& authorizer, const store::Store* store = nullptr);

    /// The check of one write (ResourceHandler::WriteAdmission); success for anything that is
    /// not one of the four RBAC resources.
    core::Result<void> admit(const apiserver::Identity& user, const apiserver::RequestInfo& info,
                             const nlohmann::json& object, const nlohmann::json* old) const;
    /// admit() as a ResourceHandler admission; this object must outlive the handler's use.
    apiserver::ResourceHandler::WriteAdmission admission() const;

    /// kube's ConfirmNoEscalation: nothing when `user` holds every permission of `rules` in
    /// `nameSpace` ("" = cluster-wide bindings only), else the reason it does not.
    std::optional<std::string> confirmNoEscalation(const apiserver::Identity& user,
                                                   const std::string& nameSpace,
                                                   const std::vector<PolicyRule>& rules) const;

private:
    core::Result<std::vector<PolicyRule>> roleReferenceRules(const nlohmann::json& roleRef,
                                                             const std::string& nameSpace) const;

    const RbacAuthorizer& m_authorizer;
    const store::Store* m_store;
};

/// Whether `object` differs from `old` only in what the garbage collector changes (kube's
/// IsOnlyMutatingGCFields): ownerReferences, finalizers, deletionTimestamp and
/// deletionGracePeriodSeconds; resourceVersion and managedFields are the server's and ignored.
bool isOnlyMutatingGcFields(const nlohmann::json& object, const nlohmann::json& old);

}  // namespace slipway::auth
