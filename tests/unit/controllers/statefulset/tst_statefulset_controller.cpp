// SPDX-License-Identifier: Apache-2.0
// The StatefulSet controller against an in-process API server; the test plays the kubelet.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/statefulset/statefulset_controller.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json statefulSet(const std::string& policy, int replicas) {
    return {{"apiVersion", "apps/v1"},
            {"kind", "StatefulSet"},
            {"metadata", {{"name", "db"}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"serviceName", "db"},
              {"podManagementPolicy", policy},
              {"selector", {{"matchLabels", {{"app", "db"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "db"}}}}},
                {"spec", {{"containers", json::array({{{"name", "db"}, {"image", "db:1"}}})}}}}},
              {"volumeClaimTemplates",
               json::array({{{"metadata", {{"name", "data"}}},
                             {"spec",
                              {{"accessModes", json::array({"ReadWriteOnce"})},
                               {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}})}}}};
}

}  // namespace

class TstStatefulSetController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<controllers::StatefulSetController> m_controller;

    std::map<std::string, json> pods() {
        std::map<std::string, json> byName;
        auto listed = m_client->list(client::resources::pods().in("default"));
        for (auto& pod : listed ? listed->items : std::vector<json>{}) {
            byName[pod["metadata"]["name"].get<std::string>()] = pod;
        }
        return byName;
    }

    /// The kubelet's part: pods become Running and Ready; terminating pods go.
    void kubelet() {
        for (auto [name, pod] : pods()) {
            const auto ref = client::resources::pods().in("default").named(name);
            if (pod["metadata"].contains("deletionTimestamp")) {
                client::DeleteOptions now;
                now.gracePeriodSeconds = 0;
                (void)m_client->remove(ref, now);
            } else if (pod["status"].value("phase", "") != "Running") {
                pod["status"]["phase"] = "Running";
                pod["status"]["conditions"] =
                    json::array({{{"type", "Ready"}, {"status", "True"}}});
                (void)m_client->updateStatus(ref, pod);
            }
        }
    }

    json status() {
        auto set = m_client->get(client::resources::statefulSets().in("default").named("db"));
        return set ? (*set)["status"] : json();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        m_controller = std::make_unique<controllers::StatefulSetController>(
            controllers::ControllerContext{*m_client, *m_informers});
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(5)));
        m_controller->run(1);
    }

    void cleanup() {
        m_informers->stop();  // no handler may run into a destroyed controller
        m_controller.reset();
        m_informers.reset();
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void orderedCreationWaitsForEachPredecessor() {
        QVERIFY(m_client
                    ->create(client::resources::statefulSets().in("default"),
                             statefulSet("OrderedReady", 3))
                    .ok());
        // Without a kubelet only db-0 appears: db-1 waits for it to be Running and Ready.
        QTRY_VERIFY_WITH_TIMEOUT(pods().contains("db-0"), 5000);
        QTest::qWait(300);
        QCOMPARE(pods().size(), std::size_t{1});
        QTRY_VERIFY_WITH_TIMEOUT(
            (kubelet(), pods().size() == 3 && status().value("readyReplicas", 0) == 3), 10000);
        const auto all = pods();
        for (const char* name : {"db-0", "db-1", "db-2"}) {
            const json& pod = all.at(name);
            QCOMPARE(pod["spec"]["hostname"], json(name));
            QCOMPARE(pod["spec"]["subdomain"], json("db"));
            QCOMPARE(pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"], json(name));
            QCOMPARE(pod["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"],
                     json(std::string("data-") + name));
            QVERIFY(m_client
                        ->get(client::ResourceRef("", "v1", "persistentvolumeclaims")
                                  .in("default")
                                  .named(std::string("data-") + name))
                        .ok());
        }
        // Scale down removes the highest ordinal first; the claims stay.
        auto set = m_client->get(client::resources::statefulSets().in("default").named("db"));
        json smaller = *set;
        smaller["spec"]["replicas"] = 1;
        QVERIFY(
            m_client->update(client::resources::statefulSets().in("default").named("db"), smaller)
                .ok());
        QTRY_VERIFY_WITH_TIMEOUT((kubelet(), pods().size() == 1 && pods().contains("db-0")), 10000);
        QVERIFY(m_client
                    ->get(client::ResourceRef("", "v1", "persistentvolumeclaims")
                              .in("default")
                              .named("data-db-2"))
                    .ok());
    }

    void parallelCreatesAllAtOnce() {
        QVERIFY(m_client
                    ->create(client::resources::statefulSets().in("default"),
                             statefulSet("Parallel", 4))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(pods().size(), std::size_t{4}, 5000);
    }

    void rollingUpdateHonoursThePartition() {
        QVERIFY(m_client
                    ->create(client::resources::statefulSets().in("default"),
                             statefulSet("OrderedReady", 3))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT((kubelet(), status().value("readyReplicas", 0) == 3), 10000);
        const std::string firstRevision = status().value("currentRevision", "");
        QVERIFY(!firstRevision.empty());

        auto set = m_client->get(client::resources::statefulSets().in("default").named("db"));
        json changed = *set;
        changed["spec"]["template"]["spec"]["containers"][0]["image"] = "db:2";
        changed["spec"]["updateStrategy"] = {{"type", "RollingUpdate"},
                                             {"rollingUpdate", {{"partition", 1}}}};
        QVERIFY(
            m_client->update(client::resources::statefulSets().in("default").named("db"), changed)
                .ok());
        const auto imageOf = [this](const char* name) {
            const auto all = pods();
            return all.contains(name) ? all.at(name)["spec"]["containers"][0].value("image", "")
                                      : std::string();
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            (kubelet(), imageOf("db-1") == "db:2" && imageOf("db-2") == "db:2" &&
                            status().value("readyReplicas", 0) == 3),
            15000);
        QCOMPARE(imageOf("db-0"), std::string("db:1"));  // below the partition
        QCOMPARE(status().value("updatedReplicas", 0), 2);
        QCOMPARE(status().value("currentRevision", ""), firstRevision);
        QVERIFY(status().value("updateRevision", "") != firstRevision);

        // Partition 0 finishes the rollout; current catches up with update.
        auto now = m_client->get(client::resources::statefulSets().in("default").named("db"));
        json all = *now;
        all["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 0;
        QVERIFY(m_client->update(client::resources::statefulSets().in("default").named("db"), all)
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT((kubelet(), imageOf("db-0") == "db:2" &&
                                                 status().value("currentRevision", "") ==
                                                     status().value("updateRevision", "") &&
                                                 status().value("readyReplicas", 0) == 3),
                                 15000);
        auto revisions =
            m_client->list(client::ResourceRef("apps", "v1", "controllerrevisions").in("default"));
        QCOMPARE(revisions->items.size(), std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(TstStatefulSetController)
#include "tst_statefulset_controller.moc"
