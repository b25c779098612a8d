// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/apiserver/authorization.h"
#include "engine/auth/rbac_policy.h"

namespace slipway::auth {

/// The group whose members may do anything (kube's user.SystemPrivilegedGroup).
inline constexpr const char* kSystemMasters = "system:masters";

/// kube-apiserver's authorizer chain as Slipway runs it: members of system:masters are always
/// allowed (the privileged-groups authorizer), then RBAC decides from the policy it was last
/// given (RbacPolicyCache keeps it current from store watches). A request is allowed when some
/// binding that applies to the user grants a role with a rule that allows it.
///
/// Thread-safe; authorize() takes no lock beyond copying a shared pointer.
class RbacAuthorizer final : public apiserver::Authorizer {
public:
    RbacAuthorizer();

    /// Replaces the policy every later decision is made from.
    void setPolicy(std::shared_ptr<const RbacPolicy> policy);
    std::shared_ptr<const RbacPolicy> policy() const;

    apiserver::AuthorizationDecision authorize(
        const apiserver::AuthorizationAttributes& attributes) const override;

    /// What RBAC lets a user do in a namespace ("" = cluster-wide rules only), for
    /// SelfSubjectRulesReview: the rules of every role bound to them, and the errors met
    /// (bindings to roles that do not exist) that make the list incomplete.
    struct Rules {
        std::vector<PolicyRule> rules;
        std::vector<std::string> errors;
    };
    /// How a missing role is named in `errors`: as kube's RBAC authorizer reads roles
    /// (listers: `clusterrole.rbac.authorization.k8s.io "x" not found`) or as its RBAC storage
    /// does (the registry: `clusterroles.rbac.authorization.k8s.io "x" not found`).
    enum class RoleNames { Lister, Registry };
    Rules rulesFor(const apiserver::Identity& user, const std::string& nameSpace,
                   RoleNames names = RoleNames::Lister) const;

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const RbacPolicy> m_policy;
};

}  // namespace slipway::auth
