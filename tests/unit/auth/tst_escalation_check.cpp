// SPDX-License-Identifier: Apache-2.0
// RBAC privilege-escalation prevention: roles grant only what their writer holds, bindings
// bind only what their writer holds, unless `escalate` or `bind` say otherwise.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/apiserver/discovery.h"
#include "engine/apiserver/openapi.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/resource_handler.h"
#include "engine/apiserver/router.h"
#include "engine/auth/escalation_check.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/store/store.h"

using namespace slipway;
using nlohmann::json;

namespace {

const std::string kGroup = "rbac.authorization.k8s.io";

const apiserver::Identity kJane{"jane", {"devs", "system:authenticated"}, true};
const apiserver::Identity kMaster{"root", {"system:masters", "system:authenticated"}, true};

json rule(const std::vector<std::string>& verbs, const std::vector<std::string>& groups,
          const std::vector<std::string>& resources) {
    return {{"verbs", verbs}, {"apiGroups", groups}, {"resources", resources}};
}

json role(const std::string& kind, const std::string& name, const std::string& nameSpace,
          json rules) {
    json metadata = {{"name", name}};
    if (!nameSpace.empty()) {
        metadata["namespace"] = nameSpace;
    }
    return {{"apiVersion", kGroup + "/v1"},
            {"kind", kind},
            {"metadata", metadata},
            {"rules", std::move(rules)}};
}

json binding(const std::string& kind, const std::string& name, const std::string& nameSpace,
             const std::string& roleKind, const std::string& roleName,
             const std::string& user = "jane") {
    json metadata = {{"name", name}};
    if (!nameSpace.empty()) {
        metadata["namespace"] = nameSpace;
    }
    return {{"apiVersion", kGroup + "/v1"},
            {"kind", kind},
            {"metadata", metadata},
            {"roleRef", {{"apiGroup", kGroup}, {"kind", roleKind}, {"name", roleName}}},
            {"subjects", json::array({{{"kind", "User"}, {"apiGroup", kGroup}, {"name", user}}})}};
}

apiserver::RequestInfo request(const std::string& verb, const std::string& resource,
                               const std::string& nameSpace, const std::string& name = {}) {
    apiserver::RequestInfo info;
    info.isResourceRequest = true;
    info.verb = verb;
    info.apiPrefix = "apis";
    info.group = kGroup;
    info.version = "v1";
    info.resource = resource;
    info.nameSpace = nameSpace;
    info.name = name;
    return info;
}

std::string messageOf(const core::Result<void>& result) {
    return result ? std::string() : result.error().message();
}

}  // namespace

class TstEscalationCheck : public QObject {
    Q_OBJECT

    auth::RbacAuthorizer m_authorizer;
    auth::EscalationCheck m_check{m_authorizer};

    /// jane may create roles and rolebindings in "team", and holds get/list on pods there.
    void setPolicy(const std::vector<json>& extra = {}) {
        auto policy = std::make_shared<auth::RbacPolicy>();
        policy->add(role("Role", "creator", "team",
                         json::array({rule({"create", "update", "patch"}, {kGroup},
                                           {"roles", "rolebindings", "clusterroles"}),
                                      rule({"get", "list"}, {""}, {"pods"})})));
        policy->add(binding("RoleBinding", "creator", "team", "Role", "creator"));
        policy->add(
            role("ClusterRole", "pod-reader", "", json::array({rule({"get"}, {""}, {"pods"})})));
        policy->add(
            role("ClusterRole", "pod-admin", "", json::array({rule({"*"}, {""}, {"pods"})})));
        for (const auto& object : extra) {
            policy->add(object);
        }
        m_authorizer.setPolicy(std::move(policy));
    }

private slots:
    void init() { setPolicy(); }

    void aRoleMayGrantOnlyWhatItsWriterHolds() {
        const auto held = role("Role", "r", "team", json::array({rule({"get"}, {""}, {"pods"})}));
        QVERIFY(m_check.admit(kJane, request("create", "roles", "team"), held, nullptr).ok());

        const auto more = role("Role", "r", "team",
                               json::array({rule({"get", "delete"}, {""}, {"pods"}),
                                            rule({"get", "list"}, {"apps"}, {"deployments"})}));
        const auto refused =
            m_check.admit(kJane, request("create", "roles", "team"), more, nullptr);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Forbidden);
        QCOMPARE(refused.error().message(),
                 std::string("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"jane\" "
                             "(groups=[\"devs\" \"system:authenticated\"]) is attempting to grant "
                             "RBAC permissions not currently held:\n"
                             "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
                             "{APIGroups:[\"apps\"], Resources:[\"deployments\"], "
                             "Verbs:[\"get\" \"list\"]}"));
        // What jane holds in "team" she does not hold in "other".
        QVERIFY(!m_check.admit(kJane, request("create", "roles", "other"), held, nullptr).ok());
        // Nor cluster-wide: her binding is a RoleBinding.
        const auto clusterRole =
            role("ClusterRole", "c", "", json::array({rule({"get"}, {""}, {"pods"})}));
        QVERIFY(!m_check.admit(kJane, request("create", "clusterroles", ""), clusterRole, nullptr)
                     .ok());
    }

    void escalateOrSystemMastersMayGrantAnything() {
        const auto big = role("Role", "r", "team", json::array({rule({"*"}, {"*"}, {"*"})}));
        QVERIFY(m_check.admit(kMaster, request("create", "roles", "team"), big, nullptr).ok());
        QVERIFY(!m_check.admit(kJane, request("create", "roles", "team"), big, nullptr).ok());
        setPolicy({role("Role", "escalator", "team",
                        json::array({rule({"escalate"}, {kGroup}, {"roles"})})),
                   binding("RoleBinding", "escalator", "team", "Role", "escalator")});
        QVERIFY(m_check.admit(kJane, request("create", "roles", "team"), big, nullptr).ok());
        // escalate on roles is not escalate on clusterroles.
        QVERIFY(!m_check
                     .admit(kJane, request("create", "clusterroles", ""),
                            role("ClusterRole", "c", "", big["rules"]), nullptr)
                     .ok());
    }

    void anAggregationRuleNeedsEveryPermission() {
        setPolicy({role("ClusterRole", "reader", "", json::array({rule({"get"}, {""}, {"pods"})})),
                   binding("ClusterRoleBinding", "reader", "", "ClusterRole", "reader")});
        auto aggregated = role("ClusterRole", "agg", "", json::array());
        QVERIFY(
            m_check.admit(kJane, request("create", "clusterroles", ""), aggregated, nullptr).ok());
        aggregated["aggregationRule"] = {
            {"clusterRoleSelectors", json::array({{{"matchLabels", {{"a", "b"}}}}})}};
        const auto refused =
            m_check.admit(kJane, request("create", "clusterroles", ""), aggregated, nullptr);
        QCOMPARE(messageOf(refused),
                 std::string("clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must "
                             "have cluster-admin privileges to use the aggregationRule"));
        // Removing one is changing one.
        const auto plain = role("ClusterRole", "agg", "", json::array());
        QVERIFY(
            !m_check.admit(kJane, request("update", "clusterroles", "", "agg"), plain, &aggregated)
                 .ok());
    }

    void aBindingMayBindOnlyWhatItsWriterHolds() {
        const auto reader = binding("RoleBinding", "b", "team", "ClusterRole", "pod-reader", "bob");
        QVERIFY(
            m_check.admit(kJane, request("create", "rolebindings", "team"), reader, nullptr).ok());
        const auto admin = binding("RoleBinding", "b", "team", "ClusterRole", "pod-admin", "bob");
        const auto refused =
            m_check.admit(kJane, request("create", "rolebindings", "team"), admin, nullptr);
        QCOMPARE(messageOf(refused),
                 std::string("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user "
                             "\"jane\" (groups=[\"devs\" \"system:authenticated\"]) is attempting "
                             "to grant RBAC permissions not currently held:\n"
                             "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"*\"]}"));
        // `bind` on that very role, in that namespace, is enough.
        setPolicy({role("Role", "binder", "team",
                        json::array({{{"verbs", {"bind"}},
                                      {"apiGroups", {kGroup}},
                                      {"resources", {"clusterroles"}},
                                      {"resourceNames", {"pod-admin"}}}})),
                   binding("RoleBinding", "binder", "team", "Role", "binder")});
        QVERIFY(
            m_check.admit(kJane, request("create", "rolebindings", "team"), admin, nullptr).ok());
        QVERIFY(!m_check
                     .admit(kJane, request("create", "clusterrolebindings", ""),
                            binding("ClusterRoleBinding", "b", "", "ClusterRole", "pod-admin"),
                            nullptr)
                     .ok());
        // A role that does not exist cannot be checked: NotFound, as kube's registry says it.
        const auto missing = m_check.admit(
            kJane, request("create", "rolebindings", "team"),
            binding("RoleBinding", "b", "team", "ClusterRole", "nope", "bob"), nullptr);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
        QCOMPARE(missing.error().message(),
                 std::string("clusterroles.rbac.authorization.k8s.io \"nope\" not found"));
    }

    void onlyGarbageCollectorFieldsChangingIsLetThrough() {
        auto old = role("Role", "big", "team", json::array({rule({"*"}, {"*"}, {"*"})}));
        old["metadata"]["resourceVersion"] = "7";
        auto owned = old;
        owned["metadata"]["ownerReferences"] = json::array(
            {{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "o"}, {"uid", "u"}}});
        owned["metadata"]["finalizers"] = json::array({"x"});
        owned["metadata"].erase("resourceVersion");
        QVERIFY(auth::isOnlyMutatingGcFields(owned, old));
        QVERIFY(m_check.admit(kJane, request("update", "roles", "team", "big"), owned, &old).ok());
        auto labelled = owned;
        labelled["metadata"]["labels"] = {{"a", "b"}};
        QVERIFY(!auth::isOnlyMutatingGcFields(labelled, old));
        QVERIFY(
            !m_check.admit(kJane, request("update", "roles", "team", "big"), labelled, &old).ok());
    }

    void missingRolesOfTheWriterAreReported() {
        setPolicy({binding("RoleBinding", "dangling", "team", "Role", "gone")});
        const auto refused = m_check.admit(
            kJane, request("create", "roles", "team"),
            role("Role", "r", "team", json::array({rule({"delete"}, {""}, {"pods"})})), nullptr);
        QVERIFY(messageOf(refused).ends_with(
            "\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}; resolution errors: "
            "[roles.rbac.authorization.k8s.io \"gone\" not found]"));
    }

    void otherWritesAreNotChecked() {
        QVERIFY(
            m_check.admit(kJane, request("create", "configmaps", "team"), json::object(), nullptr)
                .ok());
        // A malformed roleRef is left to validation, which refuses it.
        auto malformed = binding("RoleBinding", "b", "team", "ClusterRole", "pod-admin");
        malformed["roleRef"] = "pod-admin";
        QVERIFY(m_check.admit(kJane, request("create", "rolebindings", "team"), malformed, nullptr)
                    .ok());
        malformed["roleRef"] = {{"kind", "ClusterRole"}, {"name", 7}};
        QCOMPARE(m_check.admit(kJane, request("create", "rolebindings", "team"), malformed, nullptr)
                     .error()
                     .code(),
                 core::ErrorCode::NotFound);
        auto info = request("create", "roles", "team");
        info.group = "example.com";
        QVERIFY(m_check
                    .admit(kJane, info,
                           role("Role", "r", "team", json::array({rule({"*"}, {"*"}, {"*"})})),
                           nullptr)
                    .ok());
    }

    void theApiServerChecksTheObjectAPatchProduces() {
        // The hook in the write path: a real ResourceHandler behind a Router, reading roles
        // from its store.
        QTemporaryDir dir;
        auto store = store::Store::open(dir.filePath(QStringLiteral("store.db")).toStdString());
        QVERIFY(store.ok());
        const auto registry = api::KindRegistry::withBuiltinKinds();
        apiserver::ResourceHandler resources(**store, *registry);
        const auth::EscalationCheck check(m_authorizer, store->get());
        resources.setWriteAdmission(check.admission());
        QVERIFY(resources.bootstrap().ok());
        const apiserver::Discovery discovery(*registry);
        const apiserver::OpenApi openApi(*registry);
        const apiserver::Router router(discovery, openApi, resources);
        const auto send = [&router](const apiserver::Identity& who, const std::string& method,
                                    const std::string& target, const json& body,
                                    const std::string& contentType = "application/json") {
            apiserver::HttpRequest http(method, target, body.dump());
            http.identity = who;
            http.contentType = contentType;
            return router.handle(http);
        };
        const std::string roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles";
        QCOMPARE(
            send(kMaster, "POST", "/api/v1/namespaces",
                 {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "team"}}}})
                .status,
            201);
        const auto reader = role("Role", "r", "team", json::array({rule({"get"}, {""}, {"pods"})}));
        QCOMPARE(send(kJane, "POST", roles, reader).status, 201);

        // A merge patch that adds "delete": the patched role grants more than jane holds.
        const json patch = {{"rules", json::array({rule({"get", "delete"}, {""}, {"pods"})})}};
        auto patched = send(kJane, "PATCH", roles + "/r", patch, "application/merge-patch+json");
        QCOMPARE(patched.status, 403);
        const auto status = json::parse(patched.body);
        QCOMPARE(status.at("reason"), json("Forbidden"));
        QCOMPARE(status.at("details").at("name"), json("r"));
        QCOMPARE(status.at("details").at("kind"), json("roles"));
        QVERIFY(status.at("message").get<std::string>().ends_with(
            "not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}"));
        // Nothing changed; a patch within what jane holds goes through.
        const auto stored = json::parse(send(kJane, "GET", roles + "/r", nullptr).body);
        QCOMPARE(stored.at("rules"), reader.at("rules"));
        const json narrower = {{"rules", json::array({rule({"list"}, {""}, {"pods"})})}};
        QCOMPARE(
            send(kJane, "PATCH", roles + "/r", narrower, "application/merge-patch+json").status,
            200);
        // A binding to a role created a moment ago is checked against that role's rules.
        auto deleter =
            role("Role", "deleter", "team", json::array({rule({"delete"}, {""}, {"pods"})}));
        QCOMPARE(send(kMaster, "POST", roles, deleter).status, 201);
        const auto bound =
            send(kJane, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
                 binding("RoleBinding", "b", "team", "Role", "deleter", "bob"));
        QCOMPARE(bound.status, 403);
        QVERIFY(json::parse(bound.body)
                    .at("message")
                    .get<std::string>()
                    .ends_with("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}"));
    }
};

QTEST_GUILESS_MAIN(TstEscalationCheck)
#include "tst_escalation_check.moc"
