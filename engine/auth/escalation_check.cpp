// SPDX-License-Identifier: Apache-2.0
// After kube-apiserver's pkg/registry/rbac (escalation_check.go, helpers.go, the policybased
// storages of the four kinds) and pkg/registry/rbac/validation (rule.go ConfirmNoEscalation).
#include "engine/auth/escalation_check.h"

#include <algorithm>
#include <set>

#include "engine/api/resource_type.h"
#include "engine/apiserver/object_codec.h"
#include "engine/apiserver/request_info.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/rule_coverage.h"
#include "engine/store/store.h"

namespace slipway::auth {
namespace {

using nlohmann::json;

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

/// A string field of an object; "" when it is missing or not a string (the validation that
/// runs after the check refuses such objects).
std::string stringField(const json& object, const char* field) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool isMaster(const apiserver::Identity& user) {
    return std::find(user.groups.begin(), user.groups.end(), kSystemMasters) != user.groups.end();
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

bool hasAggregationRule(const json& role) {
    const auto selectors = role.find("aggregationRule");
    if (selectors == role.end() || !selectors->is_object()) {
        return false;
    }
    const auto list = selectors->find("clusterRoleSelectors");
    return list != selectors->end() && list->is_array() && !list->empty();
}

/// Go's %q of a []string, as the message quotes the user's groups: ["a" "b"].
std::string quotedList(const std::vector<std::string>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += (i > 0 ? " \"" : "\"") + values[i] + "\"";
    }
    return text + "]";
}

core::Error forbidden(const std::string& resource, const std::string& name,
                      const std::string& reason) {
    return core::Error(core::ErrorCode::Forbidden,
                       resource + "." + kRbacGroup + " \"" + name + "\" is forbidden: " + reason);
}

json metadataWithoutServerFields(json object) {
    if (auto it = object.find("metadata"); it != object.end() && it->is_object()) {
        it->erase("resourceVersion");
        it->erase("managedFields");
    }
    return object;
}

}  // namespace

bool isOnlyMutatingGcFields(const json& object, const json& old) {
    json copied = metadataWithoutServerFields(object);
    const json before = metadataWithoutServerFields(old);
    if (!copied.is_object() || !copied.value("metadata", json()).is_object()) {
        return false;
    }
    json& metadata = copied["metadata"];
    const json& oldMetadata = before.contains("metadata") ? before["metadata"] : json::object();
    for (const char* field :
         {"ownerReferences", "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
        if (oldMetadata.contains(field)) {
            metadata[field] = oldMetadata[field];
        } else {
            metadata.erase(field);
        }
    }
    return copied == before;
}

EscalationCheck::EscalationCheck(const RbacAuthorizer& authorizer, const store::Store* store)
    : m_authorizer(authorizer), m_store(store) {}

apiserver::ResourceHandler::WriteAdmission EscalationCheck::admission() const {
    return [this](const apiserver::Identity& user, const apiserver::RequestInfo& info,
                  const json& object, const json* old) { return admit(user, info, object, old); };
}

std::optional<std::string> EscalationCheck::confirmNoEscalation(
    const apiserver::Identity& user, const std::string& nameSpace,
    const std::vector<PolicyRule>& rules) const {
    const auto owner = m_authorizer.rulesFor(user, nameSpace, RbacAuthorizer::RoleNames::Registry);
    const auto missing = uncoveredRules(owner.rules, rules);
    if (missing.empty()) {
        return std::nullopt;
    }
    // Sorted and without repeats, as Go's sets.String lists them.
    std::set<std::string> descriptions;
    for (const auto& rule : compactRules(missing)) {
        descriptions.insert(compactString(rule));
    }
    std::string message = "user \"" + user.user + "\" (groups=" + quotedList(user.groups) +
                          ") is attempting to grant RBAC permissions not currently held:";
    for (const auto& description : descriptions) {
        message += "\n" + description;
    }
    if (!owner.errors.empty()) {
        // Go: fmt.Sprintf("%v", []error{utilerrors.NewAggregate(errors)}); the aggregate
        // says each distinct message once, in "[a, b]" when there are several.
        std::vector<std::string> unique;
        for (const auto& error : owner.errors) {
            if (std::find(unique.begin(), unique.end(), error) == unique.end()) {
                unique.push_back(error);
            }
        }
        std::string aggregate = unique.size() == 1 ? unique.front() : "[";
        if (unique.size() > 1) {
            for (std::size_t i = 0; i < unique.size(); ++i) {
                aggregate += (i > 0 ? ", " : "") + unique[i];
            }
            aggregate += "]";
        }
        message += "; resolution errors: [" + aggregate + "]";
    }
    return message;
}

core::Result<std::vector<PolicyRule>> EscalationCheck::roleReferenceRules(
    const json& roleRef, const std::string& nameSpace) const {
    const std::string kind = stringField(roleRef, "kind");
    const std::string name = stringField(roleRef, "name");
    const bool clusterRole = kind == "ClusterRole";
    const std::string plural = clusterRole ? "clusterroles" : "roles";
    const auto notFound = core::Error(core::ErrorCode::NotFound,
                                      plural + "." + kRbacGroup + " \"" + name + "\" not found");
    if (m_store != nullptr) {
        api::ResourceType type;
        type.group = kRbacGroup;
        type.version = "v1";
        type.plural = plural;
        type.namespaced = !clusterRole;
        auto kv = m_store->get(apiserver::storageKey(type, clusterRole ? "" : nameSpace, name));
        if (!kv) {
            return notFound;
        }
        auto object = apiserver::decodeObject(*kv);
        if (!object) {
            return object.error();
        }
        return rulesOf(*object);
    }
    const auto policy = m_authorizer.policy();
    const auto* rules = clusterRole ? policy->clusterRole(name) : policy->role(nameSpace, name);
    if (rules == nullptr) {
        return notFound;
    }
    return *rules;
}

core::Result<void> EscalationCheck::admit(const apiserver::Identity& user,
                                          const apiserver::RequestInfo& info, const json& object,
                                          const json* old) const {
    if (info.group != kRbacGroup || !info.subresource.empty() || !object.is_object()) {
        return core::success();
    }
    const bool role = info.resource == "roles" || info.resource == "clusterroles";
    const bool binding = info.resource == "rolebindings" || info.resource == "clusterrolebindings";
    // system:masters is how the API server's own loopback clients act: always trusted.
    if ((!role && !binding) || isMaster(user)) {
        return core::success();
    }
    if (old != nullptr && isOnlyMutatingGcFields(object, *old)) {
        return core::success();
    }
    const std::string name = stringField(object.value("metadata", json()), "name");
    if (role) {
        // Who may `escalate` roles may write any rules into them.
        const auto escalate = apiserver::AuthorizationAttributes::forResource(
            user, "escalate", info.group, info.resource, info.nameSpace, info.name);
        if (m_authorizer.authorize(escalate).allowed) {
            return core::success();
        }
        if (auto refused = confirmNoEscalation(user, info.nameSpace, rulesOf(object))) {
            return forbidden(info.resource, name, *refused);
        }
        // An aggregationRule can gather anything, and changing one can stop a tightening.
        if (info.resource == "clusterroles" &&
            (hasAggregationRule(object) || (old != nullptr && hasAggregationRule(*old))) &&
            confirmNoEscalation(user, "", fullAuthority())) {
            return forbidden(info.resource, name,
                             "must have cluster-admin privileges to use the aggregationRule");
        }
        return core::success();
    }
    const json roleRef = object.value("roleRef", json());
    const std::string kind = stringField(roleRef, "kind");
    if (kind != "Role" && kind != "ClusterRole") {
        return core::success();  // validation refuses it
    }
    // `bind` on the role, in the binding's namespace ("" for a ClusterRoleBinding): this lets
    // an admin delegate binding particular roles in particular namespaces.
    const auto bind = apiserver::AuthorizationAttributes::forResource(
        user, "bind", stringField(roleRef, "apiGroup"),
        kind == "ClusterRole" ? "clusterroles" : "roles", info.nameSpace,
        stringField(roleRef, "name"));
    if (m_authorizer.authorize(bind).allowed) {
        return core::success();
    }
    auto rules = roleReferenceRules(roleRef, info.nameSpace);
    if (!rules) {
        return rules.error();
    }
    if (auto refused = confirmNoEscalation(user, info.nameSpace, *rules)) {
        return forbidden(info.resource, name, *refused);
    }
    return core::success();
}

}  // namespace slipway::auth
