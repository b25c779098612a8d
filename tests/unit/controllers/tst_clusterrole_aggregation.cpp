// SPDX-License-Identifier: Apache-2.0
// The clusterrole-aggregation controller against an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/controllers/clusterroleaggregation/cluster_role_aggregation_controller.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

client::ResourceRef clusterRoles() {
    return {"rbac.authorization.k8s.io", "v1", "clusterroles"};
}

json rule(const std::vector<std::string>& verbs, const std::string& group,
          const std::string& resource) {
    return {{"verbs", verbs}, {"apiGroups", {group}}, {"resources", {resource}}};
}

json clusterRole(const std::string& name, json rules, json labels = json::object()) {
    return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
            {"kind", "ClusterRole"},
            {"metadata", {{"name", name}, {"labels", std::move(labels)}}},
            {"rules", std::move(rules)}};
}

json aggregated(const std::string& name, const std::string& label, json labels = json::object()) {
    json role = clusterRole(name, json::array(), std::move(labels));
    role["aggregationRule"] = {
        {"clusterRoleSelectors", json::array({{{"matchLabels", {{label, "true"}}}}})}};
    return role;
}

}  // namespace

class TstClusterRoleAggregation : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    json rulesOf(const std::string& name) {
        auto role = m_client->get(clusterRoles().named(name));
        return role ? role->value("rules", json::array()) : json("missing");
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(m_dir->path()));
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void aggregatesInSelectorThenNameOrderOnce() {
        const auto pods = rule({"get"}, "", "pods");
        const auto jobs = rule({"create"}, "batch", "jobs");
        const auto widgets = rule({"get", "list"}, "example.com", "widgets");
        std::vector<client::ObjectPtr> roles = {
            std::make_shared<const json>(clusterRole("b", json::array({pods, jobs}), {{"x", "1"}})),
            std::make_shared<const json>(clusterRole("a", json::array({widgets}), {{"x", "1"}})),
            std::make_shared<const json>(clusterRole("c", json::array({jobs}), {{"y", "1"}})),
            std::make_shared<const json>(clusterRole("d", json::array({pods}))),
        };
        json target = clusterRole("t", json::array(), {{"x", "1"}});
        target["aggregationRule"] = {
            {"clusterRoleSelectors",
             json::array(
                 {{{"matchLabels", {{"y", "1"}}}},
                  {{"matchExpressions", json::array({{{"key", "x"}, {"operator", "Exists"}}})}}})}};
        roles.push_back(std::make_shared<const json>(target));
        const auto rules =
            controllers::ClusterRoleAggregationController::aggregatedRules(target, roles);
        QVERIFY(rules.ok());
        // y selects c; x selects a and b (t itself too, but a role never gathers from itself).
        QCOMPARE(*rules, json::array({jobs, widgets, pods}));

        target["aggregationRule"]["clusterRoleSelectors"] = json::array(
            {{{"matchExpressions", json::array({{{"key", "x"}, {"operator", "Bad"}}})}}});
        QVERIFY(
            !controllers::ClusterRoleAggregationController::aggregatedRules(target, roles).ok());
    }

    void aggregatedRoleFollowsTheRolesItSelects() {
        controllers::ClusterRoleAggregationController controller(*m_client);
        controller.start();
        QVERIFY(controller.waitForSync(std::chrono::seconds(5)));
        QVERIFY(
            m_client->create(clusterRoles(), aggregated("monitoring", "aggregate-to-monitoring"))
                .ok());
        const auto pods = rule({"get", "list"}, "", "pods");
        QVERIFY(m_client
                    ->create(clusterRoles(), clusterRole("pod-reader", json::array({pods}),
                                                         {{"aggregate-to-monitoring", "true"}}))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("monitoring"), json::array({pods}), 5000);

        // A change to a selected role, a newly labelled role, and a deleted one all show.
        const auto nodes = rule({"get"}, "", "nodes");
        auto reader = *m_client->get(clusterRoles().named("pod-reader"));
        reader["rules"].push_back(nodes);
        QVERIFY(m_client->update(clusterRoles().named("pod-reader"), reader).ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("monitoring"), json::array({pods, nodes}), 5000);
        const auto metrics = rule({"get"}, "metrics.k8s.io", "pods");
        QVERIFY(m_client
                    ->create(clusterRoles(), clusterRole("metrics", json::array({metrics}),
                                                         {{"aggregate-to-monitoring", "true"}}))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("monitoring"), json::array({metrics, pods, nodes}), 5000);
        QVERIFY(m_client->remove(clusterRoles().named("pod-reader")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("monitoring"), json::array({metrics}), 5000);

        // Rules written into an aggregated role by hand are put back as aggregation says.
        auto monitoring = *m_client->get(clusterRoles().named("monitoring"));
        monitoring["rules"] = json::array({rule({"*"}, "*", "*")});
        QVERIFY(m_client->update(clusterRoles().named("monitoring"), monitoring).ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("monitoring"), json::array({metrics}), 5000);
        controller.stop();
    }

    void chainsOfAggregationResolve() {
        // view → edit → admin, as the default roles are chained.
        controllers::ClusterRoleAggregationController controller(*m_client);
        controller.start();
        QVERIFY(m_client->create(clusterRoles(), aggregated("my-admin", "to-admin")).ok());
        QVERIFY(
            m_client
                ->create(clusterRoles(), aggregated("my-edit", "to-edit", {{"to-admin", "true"}}))
                .ok());
        QVERIFY(
            m_client
                ->create(clusterRoles(), aggregated("my-view", "to-view", {{"to-edit", "true"}}))
                .ok());
        const auto widgets = rule({"get"}, "example.com", "widgets");
        QVERIFY(m_client
                    ->create(clusterRoles(), clusterRole("widget-viewer", json::array({widgets}),
                                                         {{"to-view", "true"}}))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(rulesOf("my-admin"), json::array({widgets}), 5000);
        QCOMPARE(rulesOf("my-edit"), json::array({widgets}));
        QCOMPARE(rulesOf("my-view"), json::array({widgets}));
        controller.stop();
    }

    void syncOfAnUnknownOrPlainRoleIsDone() {
        controllers::ClusterRoleAggregationController controller(*m_client);
        QVERIFY(controller.sync("nonexistent").ok());
        QVERIFY(m_client->create(clusterRoles(), clusterRole("plain", json::array())).ok());
        QVERIFY(controller.sync("plain").ok());
    }
};

QTEST_GUILESS_MAIN(TstClusterRoleAggregation)
#include "tst_clusterrole_aggregation.moc"
