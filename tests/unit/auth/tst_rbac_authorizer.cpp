// SPDX-License-Identifier: Apache-2.0
// RBAC rule matching and evaluation over a policy built from objects as they are stored.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/auth/bootstrap_policy.h"
#include "engine/auth/rbac_authorizer.h"

using namespace slipway;
using nlohmann::json;

namespace {

apiserver::Identity user(const std::string& name, std::vector<std::string> groups = {}) {
    groups.emplace_back("system:authenticated");
    return {name, std::move(groups), true};
}

apiserver::AuthorizationAttributes resource(const apiserver::Identity& who, const std::string& verb,
                                            const std::string& group,
                                            const std::string& resourceName,
                                            const std::string& nameSpace = {},
                                            const std::string& name = {},
                                            const std::string& subresource = {}) {
    return apiserver::AuthorizationAttributes::forResource(who, verb, group, resourceName,
                                                           nameSpace, name, subresource);
}

apiserver::AuthorizationAttributes path(const apiserver::Identity& who, const std::string& verb,
                                        const std::string& url) {
    return apiserver::AuthorizationAttributes::forPath(who, verb, url);
}

json role(const std::string& kind, const std::string& name, const std::string& nameSpace,
          json rules) {
    json metadata = {{"name", name}};
    if (!nameSpace.empty()) {
        metadata["namespace"] = nameSpace;
    }
    return {{"kind", kind}, {"metadata", metadata}, {"rules", std::move(rules)}};
}

json binding(const std::string& kind, const std::string& name, const std::string& nameSpace,
             const std::string& roleKind, const std::string& roleName, json subjects) {
    json metadata = {{"name", name}};
    if (!nameSpace.empty()) {
        metadata["namespace"] = nameSpace;
    }
    return {{"kind", kind},
            {"metadata", metadata},
            {"roleRef", {{"kind", roleKind}, {"name", roleName}}},
            {"subjects", std::move(subjects)}};
}

}  // namespace

class TstRbacAuthorizer : public QObject {
    Q_OBJECT

    auth::RbacAuthorizer m_authorizer;

    void setPolicy(const std::vector<json>& objects) {
        auto policy = std::make_shared<auth::RbacPolicy>();
        for (const auto& object : objects) {
            policy->add(object);
        }
        m_authorizer.setPolicy(std::move(policy));
    }

    bool allowed(const apiserver::AuthorizationAttributes& attributes) {
        return m_authorizer.authorize(attributes).allowed;
    }

private slots:
    void ruleMatchesVerbsGroupsResourcesAndNames() {
        const auto rule =
            auth::PolicyRule::fromJson({{"verbs", {"get", "list"}},
                                        {"apiGroups", {"", "apps"}},
                                        {"resources", {"pods", "deployments", "pods/log"}}});
        const auto jane = user("jane");
        QVERIFY(auth::ruleAllows(resource(jane, "list", "", "pods", "ns"), rule));
        QVERIFY(auth::ruleAllows(resource(jane, "get", "apps", "deployments", "ns", "web"), rule));
        QVERIFY(!auth::ruleAllows(resource(jane, "delete", "", "pods", "ns", "p"), rule));
        QVERIFY(!auth::ruleAllows(resource(jane, "list", "batch", "jobs", "ns"), rule));
        // A subresource needs its own "resource/subresource" entry.
        QVERIFY(auth::ruleAllows(resource(jane, "get", "", "pods", "ns", "p", "log"), rule));
        QVERIFY(!auth::ruleAllows(resource(jane, "get", "", "pods", "ns", "p", "exec"), rule));

        const auto named = auth::PolicyRule::fromJson({{"verbs", {"get"}},
                                                       {"apiGroups", {""}},
                                                       {"resources", {"configmaps"}},
                                                       {"resourceNames", {"app-config"}}});
        QVERIFY(
            auth::ruleAllows(resource(jane, "get", "", "configmaps", "ns", "app-config"), named));
        QVERIFY(!auth::ruleAllows(resource(jane, "get", "", "configmaps", "ns", "other"), named));
        // resourceNames cannot allow a list: the request has no name.
        QVERIFY(!auth::ruleAllows(resource(jane, "list", "", "configmaps", "ns"), named));
    }

    void wildcards() {
        const auto jane = user("jane");
        const auto all = auth::PolicyRule::fromJson(
            {{"verbs", {"*"}}, {"apiGroups", {"*"}}, {"resources", {"*"}}});
        QVERIFY(auth::ruleAllows(resource(jane, "deletecollection", "x.io", "things", "ns"), all));
        QVERIFY(auth::ruleAllows(resource(jane, "get", "", "pods", "ns", "p", "log"), all));
        // Resource rules never allow a path.
        QVERIFY(!auth::ruleAllows(path(jane, "get", "/api"), all));

        const auto anyScale = auth::PolicyRule::fromJson(
            {{"verbs", {"update"}}, {"apiGroups", {"*"}}, {"resources", {"*/scale"}}});
        QVERIFY(auth::ruleAllows(
            resource(jane, "update", "apps", "deployments", "ns", "d", "scale"), anyScale));
        QVERIFY(!auth::ruleAllows(resource(jane, "update", "apps", "deployments", "ns", "d"),
                                  anyScale));
        QVERIFY(!auth::ruleAllows(
            resource(jane, "update", "apps", "deployments", "ns", "d", "status"), anyScale));
    }

    void nonResourceUrls() {
        const auto jane = user("jane");
        const auto rule = auth::PolicyRule::fromJson(
            {{"verbs", {"get"}}, {"nonResourceURLs", {"/api", "/apis/*", "/healthz"}}});
        QVERIFY(auth::ruleAllows(path(jane, "get", "/api"), rule));
        QVERIFY(!auth::ruleAllows(path(jane, "get", "/api/v1"), rule));
        QVERIFY(auth::ruleAllows(path(jane, "get", "/apis/apps/v1"), rule));
        QVERIFY(auth::ruleAllows(path(jane, "get", "/apis/"), rule));
        QVERIFY(!auth::ruleAllows(path(jane, "get", "/apis"), rule));
        QVERIFY(!auth::ruleAllows(path(jane, "post", "/healthz"), rule));
        QVERIFY(!auth::ruleAllows(resource(jane, "get", "", "pods", "ns"), rule));
    }

    void subjectsMatchUsersGroupsAndServiceAccounts() {
        const auto bot = apiserver::Identity{
            "system:serviceaccount:team:bot",
            {"system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"},
            true};
        QVERIFY(auth::appliesTo(bot, {"ServiceAccount", "bot", "team"}, ""));
        QVERIFY(auth::appliesTo(bot, {"ServiceAccount", "bot", ""}, "team"));
        QVERIFY(!auth::appliesTo(bot, {"ServiceAccount", "bot", ""}, ""));
        QVERIFY(!auth::appliesTo(bot, {"ServiceAccount", "bot", "other"}, "team"));
        QVERIFY(auth::appliesTo(bot, {"Group", "system:serviceaccounts:team", ""}, ""));
        QVERIFY(auth::appliesTo(bot, {"User", "system:serviceaccount:team:bot", ""}, ""));
        QVERIFY(!auth::appliesTo(bot, {"User", "bot", ""}, ""));
    }

    void roleBindingGrantsOnlyInItsNamespace() {
        setPolicy(
            {role("ClusterRole", "reader", "",
                  {{{"verbs", {"get", "list"}}, {"apiGroups", {""}}, {"resources", {"pods"}}}}),
             binding("RoleBinding", "read", "team", "ClusterRole", "reader",
                     {{{"kind", "User"}, {"name", "jane"}}})});
        const auto jane = user("jane");
        const auto decision = m_authorizer.authorize(resource(jane, "list", "", "pods", "team"));
        QVERIFY(decision.allowed);
        QCOMPARE(decision.reason,
                 std::string("RBAC: allowed by RoleBinding \"read/team\" of ClusterRole "
                             "\"reader\" to User \"jane\""));
        QVERIFY(!allowed(resource(jane, "list", "", "pods", "other")));
        QVERIFY(!allowed(resource(jane, "list", "", "pods")));  // all namespaces
        QVERIFY(!allowed(resource(user("joe"), "list", "", "pods", "team")));
    }

    void roleBindingToANamespacedRole() {
        setPolicy(
            {role("Role", "cm-writer", "team",
                  {{{"verbs", {"create"}}, {"apiGroups", {""}}, {"resources", {"configmaps"}}}}),
             binding("RoleBinding", "write", "team", "Role", "cm-writer",
                     {{{"kind", "Group"}, {"name", "devs"}}})});
        QVERIFY(allowed(resource(user("jane", {"devs"}), "create", "", "configmaps", "team")));
        QVERIFY(!allowed(resource(user("jane"), "create", "", "configmaps", "team")));
    }

    void missingRoleIsTheDenialReason() {
        setPolicy({binding("ClusterRoleBinding", "b", "", "ClusterRole", "gone",
                           {{{"kind", "User"}, {"name", "jane"}}})});
        const auto decision =
            m_authorizer.authorize(resource(user("jane"), "get", "", "pods", "x", "p"));
        QVERIFY(!decision.allowed);
        QCOMPARE(decision.reason,
                 std::string("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found"));
    }

    void systemMastersMayDoAnything() {
        setPolicy({});
        const auto admin = user("slipway-admin", {"system:masters"});
        QVERIFY(allowed(resource(admin, "delete", "", "namespaces", "", "default")));
        QVERIFY(allowed(path(admin, "get", "/anything")));
        QVERIFY(!allowed(resource(user("jane"), "get", "", "namespaces", "", "default")));
    }

    void bootstrapPolicyGrantsWhatKubernetesGrants() {
        std::vector<json> objects = auth::bootstrapClusterRoles();
        for (auto& object : auth::bootstrapClusterRoleBindings()) {
            objects.push_back(std::move(object));
        }
        objects.push_back(
            binding("RoleBinding", "bot-view", "default", "ClusterRole", "view",
                    {{{"kind", "ServiceAccount"}, {"name", "bot"}, {"namespace", "default"}}}));
        objects.push_back(binding("RoleBinding", "ed", "default", "ClusterRole", "edit",
                                  {{{"kind", "User"}, {"name", "ed"}}}));
        setPolicy(objects);
        const auto anyone = user("someone");
        QVERIFY(allowed(path(anyone, "get", "/apis/apps/v1")));
        QVERIFY(allowed(path(anyone, "get", "/openapi/v3")));
        QVERIFY(allowed(
            resource(anyone, "create", "authorization.k8s.io", "selfsubjectaccessreviews")));
        QVERIFY(allowed(resource(anyone, "create", "authentication.k8s.io", "selfsubjectreviews")));
        QVERIFY(!allowed(resource(anyone, "list", "", "pods", "default")));

        const auto bot = apiserver::Identity{
            "system:serviceaccount:default:bot",
            {"system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"},
            true};
        QVERIFY(allowed(resource(bot, "list", "", "pods", "default")));
        QVERIFY(allowed(resource(bot, "get", "", "pods", "default", "p", "log")));
        QVERIFY(allowed(resource(bot, "watch", "apps", "deployments", "default")));
        QVERIFY(!allowed(resource(bot, "get", "", "secrets", "default", "s")));
        QVERIFY(!allowed(resource(bot, "create", "", "pods", "default")));
        QVERIFY(!allowed(resource(bot, "list", "", "pods", "kube-system")));

        const auto ed = user("ed");
        QVERIFY(allowed(resource(ed, "create", "apps", "deployments", "default")));
        QVERIFY(allowed(resource(ed, "get", "", "secrets", "default", "s")));
        QVERIFY(allowed(resource(ed, "create", "", "serviceaccounts", "default", "bot", "token")));
        QVERIFY(!allowed(
            resource(ed, "create", "rbac.authorization.k8s.io", "rolebindings", "default")));

        const auto rules = m_authorizer.rulesFor(bot, "default");
        QVERIFY(rules.errors.empty());
        QVERIFY(std::any_of(rules.rules.begin(), rules.rules.end(), [](const auto& rule) {
            return std::find(rule.resources.begin(), rule.resources.end(), "pods/log") !=
                   rule.resources.end();
        }));
    }

    void forbiddenMessageIsKubernetes() {
        const auto bot = apiserver::Identity{"system:serviceaccount:default:bot", {}, true};
        QCOMPARE(apiserver::forbiddenMessage(resource(bot, "list", "", "pods", "default"), ""),
                 std::string("User \"system:serviceaccount:default:bot\" cannot list resource "
                             "\"pods\" in API group \"\" in the namespace \"default\""));
        QCOMPARE(apiserver::forbiddenMessage(
                     resource(bot, "get", "", "pods", "default", "p", "log"), ""),
                 std::string("User \"system:serviceaccount:default:bot\" cannot get resource "
                             "\"pods/log\" in API group \"\" in the namespace \"default\""));
        QCOMPARE(apiserver::forbiddenMessage(resource(bot, "list", "apps", "deployments"), ""),
                 std::string("User \"system:serviceaccount:default:bot\" cannot list resource "
                             "\"deployments\" in API group \"apps\" at the cluster scope"));
        QCOMPARE(apiserver::forbiddenMessage(path(bot, "get", "/metrics"), "RBAC: x"),
                 std::string("User \"system:serviceaccount:default:bot\" cannot get path "
                             "\"/metrics\": RBAC: x"));
    }
};

QTEST_GUILESS_MAIN(TstRbacAuthorizer)
#include "tst_rbac_authorizer.moc"
