// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/rbac_authorizer.h"

#include <algorithm>
#include <functional>

namespace slipway::auth {
namespace {

/// "User \"jane\"", or for a service account "ServiceAccount \"bot/ns\"" (kube's
/// describeSubject).
std::string describeSubject(const Subject& subject, const std::string& bindingNamespace) {
    if (subject.kind == "ServiceAccount") {
        const std::string& nameSpace =
            subject.nameSpace.empty() ? bindingNamespace : subject.nameSpace;
        return subject.kind + " \"" + subject.name + "/" + nameSpace + "\"";
    }
    return subject.kind + " \"" + subject.name + "\"";
}

/// "ClusterRoleBinding \"x\" of ClusterRole \"y\" to Group \"z\"" (kube's binding describers).
std::string describeBinding(const Binding& binding, const Subject& subject) {
    if (binding.nameSpace.empty()) {
        return "ClusterRoleBinding \"" + binding.name + "\" of " + binding.roleKind + " \"" +
               binding.roleName + "\" to " + describeSubject(subject, binding.nameSpace);
    }
    return "RoleBinding \"" + binding.name + "/" + binding.nameSpace + "\" of " + binding.roleKind +
           " \"" + binding.roleName + "\" to " + describeSubject(subject, binding.nameSpace);
}

/// Calls `visit(binding, subject, rules)` for every binding that applies to `user` in
/// `nameSpace` (cluster bindings first, then the namespace's), until it returns false.
/// Bindings to roles that do not exist add an error, worded as kube-apiserver's NotFound.
void visitRules(const RbacPolicy& policy, const apiserver::Identity& user,
                const std::string& nameSpace,
                const std::function<bool(const Binding&, const Subject&,
                                         const std::vector<PolicyRule>&)>& visit,
                std::vector<std::string>& errors, RbacAuthorizer::RoleNames names) {
    // The authorizer reads roles through listers ("clusterrole.rbac…"), the RBAC storage
    // through the registry ("clusterroles.rbac…"): each says NotFound its own way.
    const char* plural = names == RbacAuthorizer::RoleNames::Registry ? "s" : "";
    const auto applicable = [&user](const Binding& binding) -> const Subject* {
        for (const auto& subject : binding.subjects) {
            if (appliesTo(user, subject, binding.nameSpace)) {
                return &subject;
            }
        }
        return nullptr;
    };
    for (const auto& binding : policy.clusterRoleBindings()) {
        const Subject* subject = applicable(binding);
        if (subject == nullptr) {
            continue;
        }
        const auto* rules =
            binding.roleKind == "ClusterRole" ? policy.clusterRole(binding.roleName) : nullptr;
        if (rules == nullptr) {
            errors.push_back("clusterrole" + std::string(plural) + ".rbac.authorization.k8s.io \"" +
                             binding.roleName + "\" not found");
            continue;
        }
        if (!visit(binding, *subject, *rules)) {
            return;
        }
    }
    if (nameSpace.empty()) {
        return;
    }
    for (const auto& binding : policy.roleBindings(nameSpace)) {
        const Subject* subject = applicable(binding);
        if (subject == nullptr) {
            continue;
        }
        const bool clusterRole = binding.roleKind == "ClusterRole";
        const auto* rules = clusterRole ? policy.clusterRole(binding.roleName)
                                        : policy.role(nameSpace, binding.roleName);
        if (rules == nullptr) {
            errors.push_back((clusterRole ? "clusterrole" : "role") + std::string(plural) +
                             ".rbac.authorization.k8s.io \"" + binding.roleName + "\" not found");
            continue;
        }
        if (!visit(binding, *subject, *rules)) {
            return;
        }
    }
}

std::string joinErrors(const std::vector<std::string>& errors) {
    // Go's utilerrors.NewAggregate: one error alone, or "[a, b]".
    if (errors.size() == 1) {
        return errors.front();
    }
    std::string text = "[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
        text += (i > 0 ? ", " : "") + errors[i];
    }
    return text + "]";
}

}  // namespace

RbacAuthorizer::RbacAuthorizer() : m_policy(std::make_shared<RbacPolicy>()) {}

void RbacAuthorizer::setPolicy(std::shared_ptr<const RbacPolicy> policy) {
    std::lock_guard lock(m_mutex);
    m_policy = std::move(policy);
}

std::shared_ptr<const RbacPolicy> RbacAuthorizer::policy() const {
    std::lock_guard lock(m_mutex);
    return m_policy;
}

apiserver::AuthorizationDecision RbacAuthorizer::authorize(
    const apiserver::AuthorizationAttributes& attributes) const {
    const auto& groups = attributes.user.groups;
    if (std::find(groups.begin(), groups.end(), kSystemMasters) != groups.end()) {
        return {true, ""};
    }
    const auto current = policy();
    std::string allowedBy;
    std::vector<std::string> errors;
    visitRules(
        *current, attributes.user, attributes.nameSpace,
        [&](const Binding& binding, const Subject& subject, const std::vector<PolicyRule>& rules) {
            for (const auto& rule : rules) {
                if (ruleAllows(attributes, rule)) {
                    allowedBy = describeBinding(binding, subject);
                    return false;
                }
            }
            return true;
        },
        errors, RoleNames::Lister);
    if (!allowedBy.empty()) {
        return {true, "RBAC: allowed by " + allowedBy};
    }
    return {false, errors.empty() ? std::string() : "RBAC: " + joinErrors(errors)};
}

RbacAuthorizer::Rules RbacAuthorizer::rulesFor(const apiserver::Identity& user,
                                               const std::string& nameSpace,
                                               RoleNames names) const {
    // Only RBAC resolves rules: kube's privileged-groups authorizer reports none, so
    // system:masters sees what cluster-admin's binding gives it.
    Rules result;
    const auto current = policy();
    visitRules(
        *current, user, nameSpace,
        [&result](const Binding&, const Subject&, const std::vector<PolicyRule>& rules) {
            result.rules.insert(result.rules.end(), rules.begin(), rules.end());
            return true;
        },
        result.errors, names);
    return result;
}

}  // namespace slipway::auth
