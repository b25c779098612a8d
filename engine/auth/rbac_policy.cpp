// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/rbac_policy.h"

#include <algorithm>

#include "engine/auth/service_account_token.h"

namespace slipway::auth {
namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& object, const char* field) {
    std::vector<std::string> values;
    const auto it = object.find(field);
    if (it != object.end() && it->is_array()) {
        for (const auto& value : *it) {
            if (value.is_string()) {
                values.push_back(value.get<std::string>());
            }
        }
    }
    return values;
}

bool contains(const std::vector<std::string>& values, std::string_view wanted) {
    return std::find(values.begin(), values.end(), wanted) != values.end();
}

bool containsOrStar(const std::vector<std::string>& values, std::string_view wanted) {
    return contains(values, "*") || contains(values, wanted);
}

std::vector<PolicyRule> rulesOf(const json& object) {
    std::vector<PolicyRule> rules;
    if (const auto it = object.find("rules"); it != object.end() && it->is_array()) {
        for (const auto& rule : *it) {
            rules.push_back(PolicyRule::fromJson(rule));
        }
    }
    return rules;
}

Binding bindingOf(const json& object) {
    Binding binding;
    binding.name = object.value("/metadata/name"_json_pointer, std::string());
    binding.nameSpace = object.value("/metadata/namespace"_json_pointer, std::string());
    binding.roleKind = object.value("/roleRef/kind"_json_pointer, std::string());
    binding.roleName = object.value("/roleRef/name"_json_pointer, std::string());
    if (const auto it = object.find("subjects"); it != object.end() && it->is_array()) {
        for (const auto& subject : *it) {
            binding.subjects.push_back({subject.value("kind", std::string()),
                                        subject.value("name", std::string()),
                                        subject.value("namespace", std::string())});
        }
    }
    return binding;
}

bool resourceMatches(const PolicyRule& rule, const std::string& combined,
                     const std::string& subresource) {
    for (const auto& resource : rule.resources) {
        if (resource == "*" || resource == combined) {
            return true;
        }
        // "*/scale" allows the scale subresource of every resource.
        if (!subresource.empty() && resource.size() == subresource.size() + 2 &&
            resource.compare(0, 2, "*/") == 0 &&
            resource.compare(2, subresource.size(), subresource) == 0) {
            return true;
        }
    }
    return false;
}

bool nonResourceUrlMatches(const PolicyRule& rule, const std::string& path) {
    for (const auto& url : rule.nonResourceURLs) {
        if (url == "*" || url == path) {
            return true;
        }
        if (!url.empty() && url.back() == '*' &&
            path.compare(0, url.size() - 1, url, 0, url.size() - 1) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

PolicyRule PolicyRule::fromJson(const json& rule) {
    return {strings(rule, "verbs"), strings(rule, "apiGroups"), strings(rule, "resources"),
            strings(rule, "resourceNames"), strings(rule, "nonResourceURLs")};
}

json PolicyRule::toJson() const {
    json rule = {{"verbs", verbs}};
    if (!apiGroups.empty()) {
        rule["apiGroups"] = apiGroups;
    }
    if (!resources.empty()) {
        rule["resources"] = resources;
    }
    if (!resourceNames.empty()) {
        rule["resourceNames"] = resourceNames;
    }
    if (!nonResourceURLs.empty()) {
        rule["nonResourceURLs"] = nonResourceURLs;
    }
    return rule;
}

void RbacPolicy::add(const json& object) {
    const std::string kind = object.value("kind", std::string());
    const std::string name = object.value("/metadata/name"_json_pointer, std::string());
    if (kind == "ClusterRole") {
        m_clusterRoles[name] = rulesOf(object);
    } else if (kind == "Role") {
        m_roles[{object.value("/metadata/namespace"_json_pointer, std::string()), name}] =
            rulesOf(object);
    } else if (kind == "ClusterRoleBinding") {
        m_clusterRoleBindings.push_back(bindingOf(object));
    } else if (kind == "RoleBinding") {
        auto binding = bindingOf(object);
        m_roleBindings[binding.nameSpace].push_back(std::move(binding));
    }
}

const std::vector<PolicyRule>* RbacPolicy::clusterRole(const std::string& name) const {
    const auto it = m_clusterRoles.find(name);
    return it == m_clusterRoles.end() ? nullptr : &it->second;
}

const std::vector<PolicyRule>* RbacPolicy::role(const std::string& nameSpace,
                                                const std::string& name) const {
    const auto it = m_roles.find({nameSpace, name});
    return it == m_roles.end() ? nullptr : &it->second;
}

const std::vector<Binding>& RbacPolicy::roleBindings(const std::string& nameSpace) const {
    static const std::vector<Binding> kNone;
    const auto it = m_roleBindings.find(nameSpace);
    return it == m_roleBindings.end() ? kNone : it->second;
}

bool ruleAllows(const apiserver::AuthorizationAttributes& attributes, const PolicyRule& rule) {
    if (!containsOrStar(rule.verbs, attributes.verb)) {
        return false;
    }
    if (!attributes.resourceRequest) {
        return nonResourceUrlMatches(rule, attributes.path);
    }
    const std::string combined = attributes.subresource.empty()
                                     ? attributes.resource
                                     : attributes.resource + "/" + attributes.subresource;
    return containsOrStar(rule.apiGroups, attributes.apiGroup) &&
           resourceMatches(rule, combined, attributes.subresource) &&
           (rule.resourceNames.empty() || contains(rule.resourceNames, attributes.name));
}

bool appliesTo(const apiserver::Identity& user, const Subject& subject,
               const std::string& bindingNamespace) {
    if (subject.kind == "User") {
        return user.user == subject.name;
    }
    if (subject.kind == "Group") {
        return contains(user.groups, subject.name);
    }
    if (subject.kind == "ServiceAccount") {
        const std::string& nameSpace =
            subject.nameSpace.empty() ? bindingNamespace : subject.nameSpace;
        return !nameSpace.empty() && user.user == serviceAccountUsername(nameSpace, subject.name);
    }
    return false;
}

}  // namespace slipway::auth
