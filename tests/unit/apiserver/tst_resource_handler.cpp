// SPDX-License-Identifier: Apache-2.0
// The subresources with behaviour of their own: pods/binding, pods/eviction (with
// PodDisruptionBudgets) and namespaces/finalize, against a real in-process API server.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kPods("", "v1", "pods", "default");
const client::ResourceRef kBudgets("policy", "v1", "poddisruptionbudgets", "default");
const client::ResourceRef kNamespaces("", "v1", "namespaces");

json pod(const std::string& name) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"labels", {{"app", "web"}}}}},
            {"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}};
}

}  // namespace

class TstResourceHandler : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    client::Response post(const client::ResourceRef& ref, const json& body) {
        auto response =
            m_client->send(client::Request("POST", ref.path(), body.dump(), "application/json"));
        return response ? *response : client::Response{};
    }

    /// A pod that runs and is Ready, as a node agent would report it.
    void makeRunningAndReady(const std::string& name) {
        auto current = m_client->get(kPods.named(name));
        QVERIFY(current);
        (*current)["status"]["phase"] = "Running";
        (*current)["status"]["conditions"] = {{{"type", "Ready"}, {"status", "True"}}};
        QVERIFY(m_client->updateStatus(kPods.named(name), *current));
    }

    /// A budget over app=web whose status the disruption controller has written.
    void createBudget(const std::string& name, int disruptionsAllowed) {
        json budget = {
            {"apiVersion", "policy/v1"},
            {"kind", "PodDisruptionBudget"},
            {"metadata", {{"name", name}}},
            {"spec", {{"minAvailable", 1}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}}};
        auto created = m_client->create(kBudgets, budget);
        QVERIFY(created);
        (*created)["status"] = {{"observedGeneration", 1},
                                {"disruptionsAllowed", disruptionsAllowed},
                                {"currentHealthy", 1 + disruptionsAllowed},
                                {"desiredHealthy", 1},
                                {"expectedPods", 1 + disruptionsAllowed}};
        QVERIFY(m_client->updateStatus(kBudgets.named(name), *created));
    }

private slots:
    void init() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.filePath("server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        QDir(m_dir.filePath("server")).removeRecursively();
    }

    void bindingAssignsThePodOnce() {
        QVERIFY(m_client->create(kPods, pod("web")));
        const json binding = {{"apiVersion", "v1"},
                              {"kind", "Binding"},
                              {"metadata", {{"name", "web"}, {"annotations", {{"a", "b"}}}}},
                              {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", "n1"}}}};
        const auto bound = post(kPods.named("web").sub("binding"), binding);
        QCOMPARE(bound.status, 201);
        QCOMPARE(json::parse(bound.body).at("status").get<std::string>(), std::string("Success"));

        auto stored = m_client->get(kPods.named("web"));
        QVERIFY(stored);
        QCOMPARE(stored->at("spec").at("nodeName").get<std::string>(), std::string("n1"));
        QCOMPARE(stored->at("metadata").at("annotations").at("a").get<std::string>(),
                 std::string("b"));
        const auto& conditions = stored->at("status").at("conditions");
        QCOMPARE(conditions.size(), std::size_t(1));
        QCOMPARE(conditions[0].at("type").get<std::string>(), std::string("PodScheduled"));
        QCOMPARE(conditions[0].at("status").get<std::string>(), std::string("True"));

        const auto again = post(kPods.named("web").sub("binding"), binding);
        QCOMPARE(again.status, 409);
        QCOMPARE(json::parse(again.body).at("message").get<std::string>(),
                 std::string("pod default/web is already assigned to node \"n1\""));
    }

    void bindingRejectsBadInput() {
        QVERIFY(m_client->create(kPods, pod("web")));
        const auto wrongName =
            post(kPods.named("web").sub("binding"),
                 {{"metadata", {{"name", "other"}}}, {"target", {{"name", "n1"}}}});
        QCOMPARE(wrongName.status, 400);
        const auto noNode =
            post(kPods.named("web").sub("binding"), {{"metadata", {{"name", "web"}}}});
        QCOMPARE(noNode.status, 422);
        QCOMPARE(json::parse(noNode.body).at("message").get<std::string>(),
                 std::string("Binding \"web\" is invalid: target.name: Required value"));
        const auto missing =
            post(kPods.named("absent").sub("binding"),
                 {{"metadata", {{"name", "absent"}}}, {"target", {{"name", "n"}}}});
        QCOMPARE(missing.status, 404);
        auto stored = m_client->get(kPods.named("web"));
        QVERIFY(stored);
        QVERIFY(!stored->at("spec").contains("nodeName"));
    }

    void evictionRespectsTheDisruptionBudget() {
        QVERIFY(m_client->create(kPods, pod("web")));
        makeRunningAndReady("web");
        createBudget("web", 0);
        const json eviction = {{"apiVersion", "policy/v1"},
                               {"kind", "Eviction"},
                               {"metadata", {{"name", "web"}, {"namespace", "default"}}}};
        const auto refused = post(kPods.named("web").sub("eviction"), eviction);
        QCOMPARE(refused.status, 429);
        const auto status = json::parse(refused.body);
        QCOMPARE(status.at("reason").get<std::string>(), std::string("TooManyRequests"));
        QCOMPARE(status.at("details").at("causes")[0].at("message").get<std::string>(),
                 std::string("The disruption budget web needs 1 healthy pods and has 1 currently"));
        QVERIFY(m_client->get(kPods.named("web")));

        QVERIFY(m_client->remove(kBudgets.named("web")));
        createBudget("roomy", 1);
        const auto evicted = post(kPods.named("web").sub("eviction"), eviction);
        QCOMPARE(evicted.status, 201);
        QCOMPARE(m_client->get(kPods.named("web")).error().code(), core::ErrorCode::NotFound);
        auto budget = m_client->get(kBudgets.named("roomy"));
        QVERIFY(budget);
        QCOMPARE(budget->at("status").at("disruptionsAllowed").get<int>(), 0);
        QVERIFY(budget->at("status").at("disruptedPods").contains("web"));
    }

    void evictionOfAPendingPodIgnoresBudgets() {
        QVERIFY(m_client->create(kPods, pod("pending")));
        createBudget("web", 0);
        const auto evicted =
            post(kPods.named("pending").sub("eviction"), {{"metadata", {{"name", "pending"}}}});
        QCOMPARE(evicted.status, 201);
        QCOMPARE(m_client->get(kPods.named("pending")).error().code(), core::ErrorCode::NotFound);
    }

    void finalizeEndsATerminatingNamespace() {
        QVERIFY(m_client->create(
            kNamespaces,
            {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "t"}}}}));
        auto deleting = m_client->remove(kNamespaces.named("t"));
        QVERIFY(deleting);
        QCOMPARE(deleting->at("status").at("phase").get<std::string>(), std::string("Terminating"));

        // A label change while terminating keeps it: spec.finalizers still holds it.
        auto labelled = m_client->patch(kNamespaces.named("t"), client::PatchType::Merge,
                                        {{"metadata", {{"labels", {{"x", "y"}}}}}});
        QVERIFY(labelled);
        QVERIFY(m_client->get(kNamespaces.named("t")));

        json finalized = *labelled;
        finalized["spec"]["finalizers"] = json::array();
        auto response =
            m_client->send(client::Request("PUT", kNamespaces.named("t").sub("finalize").path(),
                                           finalized.dump(), "application/json"));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(m_client->get(kNamespaces.named("t")).error().code(), core::ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TstResourceHandler)
#include "tst_resource_handler.moc"
