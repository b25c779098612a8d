// SPDX-License-Identifier: Apache-2.0
// The DaemonSet controller against an in-process API server; the test plays the kubelet.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/daemonset/daemonset_controller.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json node(const std::string& name, const json& labels = json::object(),
          const json& taints = json::array()) {
    json object = {{"apiVersion", "v1"},
                   {"kind", "Node"},
                   {"metadata", {{"name", name}, {"labels", labels}}},
                   {"spec", json::object()}};
    object["metadata"]["labels"]["kubernetes.io/hostname"] = name;
    if (!taints.empty()) {
        object["spec"]["taints"] = taints;
    }
    return object;
}

json daemonSet(const std::string& image) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "DaemonSet"},
            {"metadata", {{"name", "agent"}, {"namespace", "default"}}},
            {"spec",
             {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
              {"updateStrategy",
               {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", 1}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "agent"}}}}},
                {"spec",
                 {{"nodeSelector", {{"role", "worker"}}},
                  {"containers", json::array({{{"name", "agent"}, {"image", image}}})}}}}}}}};
}

}  // namespace

class TstDaemonSetController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    std::vector<json> pods() {
        auto listed = m_client->list(client::resources::pods().in("default"));
        std::vector<json> live;
        for (auto& pod : listed ? listed->items : std::vector<json>{}) {
            if (!pod["metadata"].contains("deletionTimestamp")) {
                live.push_back(pod);
            }
        }
        return live;
    }

    /// The kubelet's part: every pod not yet ready becomes Running and Ready.
    void markAllReady() {
        for (auto pod : pods()) {
            if (pod["status"].value("phase", "") == "Running") {
                continue;
            }
            pod["status"]["phase"] = "Running";
            pod["status"]["conditions"] =
                json::array({{{"type", "Ready"},
                              {"status", "True"},
                              {"lastTransitionTime", "2026-01-01T00:00:00Z"}}});
            (void)m_client->updateStatus(client::resources::pods().in("default").named(
                                             pod["metadata"]["name"].get<std::string>()),
                                         pod);
        }
    }

    /// The node a daemon pod was made for (its required node affinity).
    static std::string targetNode(const json& pod) {
        return pod["spec"]["affinity"]["nodeAffinity"]
                  ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
                  ["matchFields"][0]["values"][0]
                      .get<std::string>();
    }

    json status() {
        auto ds = m_client->get(client::resources::daemonSets().in("default").named("agent"));
        return ds ? (*ds)["status"] : json();
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

    void placementFollowsSelectorsAndTaints() {
        const json spec = {{"spec", {{"nodeSelector", {{"role", "worker"}}}}}};
        QVERIFY(controllers::daemonPlacement(spec, node("a", {{"role", "worker"}})).run);
        QVERIFY(!controllers::daemonPlacement(spec, node("b")).keepRunning);
        const json noSchedule = json::array({{{"key", "dedicated"}, {"effect", "NoSchedule"}}});
        const auto tainted =
            controllers::daemonPlacement(spec, node("c", {{"role", "worker"}}, noSchedule));
        QVERIFY(!tainted.run);
        QVERIFY(tainted.keepRunning);
        const json noExecute = json::array({{{"key", "dedicated"}, {"effect", "NoExecute"}}});
        QVERIFY(!controllers::daemonPlacement(spec, node("d", {{"role", "worker"}}, noExecute))
                     .keepRunning);
        // Daemon pods tolerate the node-condition taints by default.
        const json notReady =
            json::array({{{"key", "node.kubernetes.io/not-ready"}, {"effect", "NoExecute"}},
                         {{"key", "node.kubernetes.io/unschedulable"}, {"effect", "NoSchedule"}}});
        QVERIFY(controllers::daemonPlacement(spec, node("e", {{"role", "worker"}}, notReady)).run);
        // Required node affinity.
        const json affinity = {
            {"spec",
             {{"affinity",
               {{"nodeAffinity",
                 {{"requiredDuringSchedulingIgnoredDuringExecution",
                   {{"nodeSelectorTerms",
                     json::array(
                         {{{"matchExpressions",
                            json::array({{{"key", "zone"},
                                          {"operator", "In"},
                                          {"values", json::array({"z1", "z2"})}}})}}})}}}}}}}}}};
        QVERIFY(controllers::daemonPlacement(affinity, node("f", {{"zone", "z2"}})).run);
        QVERIFY(!controllers::daemonPlacement(affinity, node("g", {{"zone", "z3"}})).run);
    }

    void onePodPerEligibleNodeAndRollingUpdates() {
        for (const auto& n :
             {node("w1", {{"role", "worker"}}), node("w2", {{"role", "worker"}}),
              node("w3", {{"role", "worker"}}), node("m1", {{"role", "control"}})}) {
            QVERIFY(m_client->create(client::resources::nodes(), n).ok());
        }
        client::SharedInformers informers(*m_client);
        const controllers::ControllerContext context{*m_client, informers};
        controllers::DaemonSetController controller(context);
        informers.start();
        QVERIFY(informers.waitForSync(std::chrono::seconds(5)));
        controller.run(2);

        QVERIFY(
            m_client->create(client::resources::daemonSets().in("default"), daemonSet("agent:1"))
                .ok());
        QTRY_COMPARE_WITH_TIMEOUT(pods().size(), std::size_t{3}, 5000);
        std::set<std::string> nodes;
        for (const auto& pod : pods()) {
            nodes.insert(targetNode(pod));
            QCOMPARE(pod["metadata"]["ownerReferences"][0]["kind"], json("DaemonSet"));
            QVERIFY(pod["metadata"]["labels"].contains("controller-revision-hash"));
        }
        QCOMPARE(nodes, (std::set<std::string>{"w1", "w2", "w3"}));
        QTRY_VERIFY_WITH_TIMEOUT((markAllReady(), status().value("numberAvailable", 0) == 3), 5000);
        QCOMPARE(status().value("desiredNumberScheduled", 0), 3);
        QCOMPARE(status().value("updatedNumberScheduled", 0), 3);

        // A new image rolls out with at most one node without an available pod at any time.
        auto ds = m_client->get(client::resources::daemonSets().in("default").named("agent"));
        QVERIFY(ds.ok());
        json changed = *ds;
        changed["spec"]["template"]["spec"]["containers"][0]["image"] = "agent:2";
        QVERIFY(
            m_client->update(client::resources::daemonSets().in("default").named("agent"), changed)
                .ok());
        int fewestReady = 3;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto now = pods();
                const int readyNow =
                    static_cast<int>(std::count_if(now.begin(), now.end(), [](const json& p) {
                        return p["status"].value("phase", "") == "Running";
                    }));
                fewestReady = std::min(fewestReady, readyNow);
                markAllReady();
                return now.size() == 3 && std::all_of(now.begin(), now.end(), [](const json& p) {
                           return p["spec"]["containers"][0]["image"] == "agent:2" &&
                                  p["status"].value("phase", "") == "Running";
                       });
            }(),
            10000);
        QVERIFY2(fewestReady >= 2, qPrintable(QString::number(fewestReady)));
        auto revisions =
            m_client->list(client::ResourceRef("apps", "v1", "controllerrevisions").in("default"));
        QVERIFY(revisions.ok());
        QCOMPARE(revisions->items.size(), std::size_t{2});

        // A node that starts to qualify gets a pod; a node that stops loses it.
        auto control = m_client->get(client::resources::nodes().named("m1"));
        json relabelled = *control;
        relabelled["metadata"]["labels"]["role"] = "worker";
        QVERIFY(m_client->update(client::resources::nodes().named("m1"), relabelled).ok());
        QTRY_COMPARE_WITH_TIMEOUT(pods().size(), std::size_t{4}, 5000);
        QVERIFY(m_client->remove(client::resources::nodes().named("w1")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto now = pods();
                return now.size() == 3 && std::none_of(now.begin(), now.end(), [](const json& p) {
                           return targetNode(p) == "w1";
                       });
            }(),
            5000);
        controller.stop();
        informers.stop();
    }
};

QTEST_GUILESS_MAIN(TstDaemonSetController)
#include "tst_daemonset_controller.moc"
