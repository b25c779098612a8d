// SPDX-License-Identifier: Apache-2.0
// The node lifecycle controller against an in-process API server, with hand-made heartbeats.
#include <atomic>
#include <thread>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/node_status.h"
#include "engine/client/shared_informers.h"
#include "engine/controllers/nodelifecycle/node_lifecycle_controller.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json readyNode(const std::string& name) {
    agent::NodeConfig config;
    config.name = name;
    config.kubeletVersion = "v1.32.0";
    json node = agent::nodeObject(config);
    node["status"] = agent::nodeStatus(config, json(), std::chrono::system_clock::now());
    return node;
}

std::string readyStatus(const json& node) {
    for (const auto& c : node.value("/status/conditions"_json_pointer, json::array())) {
        if (c.value("type", "") == "Ready") {
            return c.value("status", "");
        }
    }
    return {};
}

bool hasTaint(const json& node, const std::string& key, const std::string& effect) {
    for (const auto& t : node.value("/spec/taints"_json_pointer, json::array())) {
        if (t.value("key", "") == key && t.value("effect", "") == effect) {
            return true;
        }
    }
    return false;
}

}  // namespace

class TstNodeLifecycleController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    json node(const std::string& name) {
        auto got = m_client->get(client::resources::nodes().named(name));
        return got ? *got : json();
    }
    json pod(const std::string& name) {
        auto got = m_client->get(client::resources::pods().in("default").named(name));
        return got ? *got : json();
    }
    void registerNode(const std::string& name) {
        const json object = readyNode(name);
        auto created = m_client->create(client::resources::nodes(), object);
        QVERIFY(created.ok());
        json withStatus = *created;
        withStatus["status"] = object["status"];
        QVERIFY(m_client->updateStatus(client::resources::nodes().named(name), withStatus).ok());
        QVERIFY(m_client
                    ->create(client::resources::leases().in("kube-node-lease"),
                             agent::leaseObject(name, "", 40, std::chrono::system_clock::now()))
                    .ok());
    }
    void renewLease(const std::string& name) {
        auto lease = m_client->get(client::resources::leases().in("kube-node-lease").named(name));
        if (lease) {
            (*lease)["spec"]["renewTime"] =
                agent::formatMicroTime(std::chrono::system_clock::now());
            (void)m_client->update(client::resources::leases().in("kube-node-lease").named(name),
                                   *lease);
        }
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void tolerations() {
        const json unreachable = {{"key", "node.kubernetes.io/unreachable"},
                                  {"effect", "NoExecute"}};
        QVERIFY(controllers::toleratesTaint(
            {{"key", "node.kubernetes.io/unreachable"}, {"operator", "Exists"}}, unreachable));
        QVERIFY(controllers::toleratesTaint({{"operator", "Exists"}}, unreachable));
        QVERIFY(
            !controllers::toleratesTaint({{"key", "other"}, {"operator", "Exists"}}, unreachable));
        QVERIFY(!controllers::toleratesTaint({{"key", "node.kubernetes.io/unreachable"},
                                              {"operator", "Exists"},
                                              {"effect", "NoSchedule"}},
                                             unreachable));
        QVERIFY(
            controllers::toleratesTaint({{"key", "k"}, {"value", "v"}},
                                        {{"key", "k"}, {"value", "v"}, {"effect", "NoSchedule"}}));
        QVERIFY(
            !controllers::toleratesTaint({{"key", "k"}, {"value", "w"}},
                                         {{"key", "k"}, {"value", "v"}, {"effect", "NoSchedule"}}));
    }

    void silentNodeGoesUnknownIsTaintedAndEvicts() {
        registerNode("n1");
        registerNode("n2");
        // n2 keeps its heartbeat, so not every node is down (no master disruption mode).
        std::atomic<bool> stop{false};
        std::thread heartbeat([&] {
            while (!stop) {
                renewLease("n2");
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        const json evictee = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", "evictee"}}},
            {"spec",
             {{"nodeName", "n1"},
              {"tolerations", json::array({{{"key", "node.kubernetes.io/unreachable"},
                                            {"operator", "Exists"},
                                            {"effect", "NoExecute"},
                                            {"tolerationSeconds", 0}}})},
              {"containers", json::array({{{"name", "c"}, {"image", "nginx"}}})}}}};
        QVERIFY(m_client->create(client::resources::pods().in("default"), evictee).ok());
        json stays = evictee;
        stays["metadata"]["name"] = "stays";
        stays["spec"].erase("tolerations");  // gets the default 300 s
        QVERIFY(m_client->create(client::resources::pods().in("default"), stays).ok());

        client::SharedInformers informers(*m_client);
        controllers::ControllerOptions options;
        options.nodeMonitorPeriod = std::chrono::milliseconds(100);
        options.nodeMonitorGracePeriod = std::chrono::milliseconds(1000);
        controllers::NodeLifecycleController controller(
            controllers::ControllerContext{*m_client, informers, options});
        informers.start();
        QVERIFY(informers.waitForSync(std::chrono::seconds(10)));
        controller.run(2);

        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(node("n1")), std::string("Unknown"), 5000);
        QCOMPARE(readyStatus(node("n2")), std::string("True"));
        QTRY_VERIFY_WITH_TIMEOUT(
            hasTaint(node("n1"), "node.kubernetes.io/unreachable", "NoExecute"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            hasTaint(node("n1"), "node.kubernetes.io/unreachable", "NoSchedule"), 5000);
        QVERIFY(!hasTaint(node("n2"), "node.kubernetes.io/unreachable", "NoExecute"));
        QTRY_VERIFY_WITH_TIMEOUT(
            pod("evictee").contains("/metadata/deletionTimestamp"_json_pointer), 5000);
        QVERIFY(!pod("stays").contains("/metadata/deletionTimestamp"_json_pointer));

        // The kubelet comes back: Ready True again, and the taints go.
        json back = node("n1");
        back["status"] = agent::nodeStatus(agent::NodeConfig{}, back["status"],
                                           std::chrono::system_clock::now());
        QVERIFY(m_client->updateStatus(client::resources::nodes().named("n1"), back).ok());
        std::atomic<bool> stopN1{false};
        std::thread heartbeatN1([&] {
            while (!stopN1) {
                renewLease("n1");
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            !hasTaint(node("n1"), "node.kubernetes.io/unreachable", "NoExecute") &&
                !hasTaint(node("n1"), "node.kubernetes.io/unreachable", "NoSchedule"),
            5000);
        QCOMPARE(readyStatus(node("n1")), std::string("True"));
        stopN1 = true;
        heartbeatN1.join();
        stop = true;
        heartbeat.join();
        controller.stop();
        informers.stop();
    }
};

QTEST_GUILESS_MAIN(TstNodeLifecycleController)
#include "tst_node_lifecycle_controller.moc"
