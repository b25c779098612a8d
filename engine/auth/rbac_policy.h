// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/apiserver/authorization.h"

namespace slipway::auth {

/// rbac.authorization.k8s.io/v1 PolicyRule.
struct PolicyRule {
    std::vector<std::string> verbs;
    std::vector<std::string> apiGroups;
    std::vector<std::string> resources;  ///< "pods", "pods/log", "*/scale", "*"
    std::vector<std::string> resourceNames;
    std::vector<std::string> nonResourceURLs;  ///< "/api", "/apis/*", "*"

    static PolicyRule fromJson(const nlohmann::json& rule);
    /// JSON with empty lists left out, as kube-apiserver serialises rules.
    nlohmann::json toJson() const;
};

/// rbac.authorization.k8s.io/v1 Subject.
struct Subject {
    std::string kind;  ///< "User", "Group", "ServiceAccount"
    std::string name;
    std::string nameSpace;  ///< ServiceAccount only
};

/// A RoleBinding (nameSpace set) or ClusterRoleBinding.
struct Binding {
    std::string name;
    std::string nameSpace;
    std::string roleKind;  ///< "Role" or "ClusterRole"
    std::string roleName;
    std::vector<Subject> subjects;
};

/// One consistent view of the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings:
/// what the authorizer evaluates. Immutable once built and shared between requests.
class RbacPolicy {
public:
    /// Adds a stored RBAC object (any of the four kinds; anything else is ignored).
    void add(const nlohmann::json& object);

    /// Rules of the ClusterRole `name`, or null if there is none.
    const std::vector<PolicyRule>* clusterRole(const std::string& name) const;
    /// Rules of the Role `name` in `nameSpace`, or null if there is none.
    const std::vector<PolicyRule>* role(const std::string& nameSpace,
                                        const std::string& name) const;
    const std::vector<Binding>& clusterRoleBindings() const { return m_clusterRoleBindings; }
    /// The RoleBindings of one namespace.
    const std::vector<Binding>& roleBindings(const std::string& nameSpace) const;

private:
    std::map<std::string, std::vector<PolicyRule>, std::less<>> m_clusterRoles;
    std::map<std::pair<std::string, std::string>, std::vector<PolicyRule>> m_roles;
    std::vector<Binding> m_clusterRoleBindings;
    std::map<std::string, std::vector<Binding>, std::less<>> m_roleBindings;
};

/// Whether `rule` allows the request (kube's rbac.RuleAllows): verbs, API groups, resources
/// (with "*" and "*/subresource"), resourceNames; or verbs and nonResourceURLs (with a
/// trailing "*" as a prefix match) for a non-resource request.
bool ruleAllows(const apiserver::AuthorizationAttributes& attributes, const PolicyRule& rule);

/// Whether `subject` of a binding in `bindingNamespace` ("" for a ClusterRoleBinding) is
/// `user`: by user name, by group, or a ServiceAccount by its username (a subject without a
/// namespace means the binding's).
bool appliesTo(const apiserver::Identity& user, const Subject& subject,
               const std::string& bindingNamespace);

}  // namespace slipway::auth
