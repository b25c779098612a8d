// SPDX-License-Identifier: Apache-2.0
// The ReplicaSet controller against an in-process API server.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/replicaset/replica_set_controller.h"

#include "../../client/test_server.h"
#include "../deployment/test_kubelet.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kPods = client::resources::pods().in("default");
const client::ResourceRef kReplicaSets = client::resources::replicaSets().in("default");

json replicaSet(const std::string& name, std::int64_t replicas,
                const std::string& image = "nginx") {
    return {
        {"apiVersion", "apps/v1"},
        {"kind", "ReplicaSet"},
        {"metadata", {{"name", name}}},
        {"spec",
         {{"replicas", replicas},
          {"selector", {{"matchLabels", {{"app", name}}}}},
          {"template",
           {{"metadata", {{"labels", {{"app", name}}}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", image}}})}}}}}}}};
}

json readyStatus(const json& pod, int restarts) {
    const std::string now = "2026-01-01T00:00:00Z";
    json next = pod;
    next["status"]["phase"] = "Running";
    next["status"]["conditions"] =
        json::array({{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", now}}});
    next["status"]["containerStatuses"] =
        json::array({{{"name", "main"},
                      {"image", "nginx"},
                      {"imageID", ""},
                      {"ready", true},
                      {"restartCount", restarts},
                      {"state", {{"running", {{"startedAt", now}}}}}}});
    return next;
}

}  // namespace

class TstReplicaSetController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<controllers::ReplicaSetController> m_controller;

    std::vector<json> pods(const std::string& selector = {}) {
        client::ListOptions options;
        options.labelSelector = selector;
        auto listed = m_client->list(kPods, options);
        std::vector<json> live;
        if (listed) {
            for (auto& pod : listed->items) {
                if (!pod["metadata"].contains("deletionTimestamp")) {
                    live.push_back(pod);
                }
            }
        }
        return live;
    }

    json get(const std::string& name) {
        auto found = m_client->get(kReplicaSets.named(name));
        return found ? *found : json();
    }

    std::int64_t status(const std::string& name, const char* field) {
        const json rs = get(name);
        return rs.is_null() ? -1 : rs.value("status", json::object()).value(field, 0LL);
    }

    void startController() {
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        const controllers::ControllerContext context{*m_client, *m_informers};
        m_controller = std::make_unique<controllers::ReplicaSetController>(context);
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(10)));
        m_controller->run(2);
    }

private slots:
    void init() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.filePath("server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        if (m_informers) {
            m_informers->stop();  // no handler may run into a destroyed controller
        }
        if (m_controller) {
            m_controller->stop();
        }
        m_controller.reset();
        m_informers.reset();
        m_client.reset();
        m_server.reset();
        QDir(m_dir.filePath("server")).removeRecursively();
    }

    void createsReplicasAndReplacesADeletedOne() {
        testing::TestKubelet kubelet(*m_client, std::chrono::milliseconds(50));
        startController();
        QVERIFY(m_client->create(kReplicaSets, replicaSet("web", 3)));
        QTRY_COMPARE_WITH_TIMEOUT(pods("app=web").size(), std::size_t(3), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(status("web", "availableReplicas"), 3LL, 10000);
        QCOMPARE(status("web", "replicas"), 3LL);
        QCOMPARE(status("web", "readyReplicas"), 3LL);
        QCOMPARE(status("web", "fullyLabeledReplicas"), 3LL);
        QCOMPARE(status("web", "observedGeneration"), 1LL);

        const json rs = get("web");
        auto current = pods("app=web");
        for (const auto& pod : current) {
            QCOMPARE(pod["metadata"]["generateName"].get<std::string>(), std::string("web-"));
            const json& ref = pod["metadata"]["ownerReferences"][0];
            QCOMPARE(ref["kind"].get<std::string>(), std::string("ReplicaSet"));
            QCOMPARE(ref["uid"], rs["metadata"]["uid"]);
            QVERIFY(ref["controller"].get<bool>());
            QVERIFY(ref["blockOwnerDeletion"].get<bool>());
        }

        const std::string victim = current[0]["metadata"]["name"];
        QVERIFY(m_client->remove(kPods.named(victim)));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto now = pods("app=web");
                return now.size() == 3 &&
                       std::none_of(now.begin(), now.end(), [&](const json& pod) {
                           return pod["metadata"]["name"] == victim;
                       });
            }(),
            10000);
        // Never more than asked for, once the cache has caught up.
        QTRY_COMPARE_WITH_TIMEOUT(status("web", "availableReplicas"), 3LL, 10000);
        QCOMPARE(pods("app=web").size(), std::size_t(3));

        // Events name each created pod.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                client::ListOptions options;
                options.fieldSelector = "involvedObject.name=web";
                auto events = m_client->list(client::resources::events().in("default"), options);
                if (!events) {
                    return false;
                }
                int created = 0;
                int deletedReplaced = 0;
                for (const auto& event : events->items) {
                    const std::string message = event.value("message", "");
                    if (event.value("reason", "") == "SuccessfulCreate" &&
                        message.rfind("Created pod: web-", 0) == 0) {
                        ++created;
                    }
                    deletedReplaced += message == "Created pod: " + victim ? 1 : 0;
                }
                return created >= 4 && deletedReplaced == 1;
            }(),
            10000);
    }

    void createsManyInBurstsWithoutOvershooting() {
        startController();
        QVERIFY(m_client->create(kReplicaSets, replicaSet("big", 700)));
        QTRY_COMPARE_WITH_TIMEOUT(status("big", "replicas"), 700LL, 60000);
        QCOMPARE(pods("app=big").size(), std::size_t(700));
        // Scaled down, it deletes just the surplus.
        json rs = get("big");
        rs["spec"]["replicas"] = 100;
        QVERIFY(m_client->update(kReplicaSets.named("big"), rs));
        QTRY_COMPARE_WITH_TIMEOUT(status("big", "replicas"), 100LL, 60000);
        QCOMPARE(pods("app=big").size(), std::size_t(100));
    }

    void scalesDownInKubesOrder() {
        startController();
        QVERIFY(m_client->create(kReplicaSets, replicaSet("order", 4)));
        QTRY_COMPARE_WITH_TIMEOUT(pods("app=order").size(), std::size_t(4), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(status("order", "replicas"), 4LL, 10000);
        auto current = pods("app=order");
        const std::string pending = current[0]["metadata"]["name"];
        const std::string notReady = current[1]["metadata"]["name"];
        const std::string restarted = current[2]["metadata"]["name"];
        const std::string healthy = current[3]["metadata"]["name"];
        json running = current[1];
        running["status"]["phase"] = "Running";
        QVERIFY(m_client->updateStatus(kPods.named(notReady), running));
        QVERIFY(m_client->updateStatus(kPods.named(restarted), readyStatus(current[2], 3)));
        QVERIFY(m_client->updateStatus(kPods.named(healthy), readyStatus(current[3], 0)));
        QTRY_COMPARE_WITH_TIMEOUT(status("order", "readyReplicas"), 2LL, 10000);

        // 4 → 2: the Pending pod, then the Running one that is not ready.
        json rs = get("order");
        rs["spec"]["replicas"] = 2;
        QVERIFY(m_client->update(kReplicaSets.named("order"), rs));
        QTRY_COMPARE_WITH_TIMEOUT(pods("app=order").size(), std::size_t(2), 10000);
        std::set<std::string> left;
        for (const auto& pod : pods("app=order")) {
            left.insert(pod["metadata"]["name"].get<std::string>());
        }
        QCOMPARE(left, (std::set<std::string>{restarted, healthy}));

        // 2 → 1: both ready, the one with more restarts goes.
        // The controller writes status meanwhile: under load the server's own conflict retries
        // can run out (see the session-3 note), so the test retries as a client would.
        QTRY_VERIFY_WITH_TIMEOUT(m_client
                                     ->patch(kReplicaSets.named("order"), client::PatchType::Merge,
                                             json{{"spec", {{"replicas", 1}}}})
                                     .ok(),
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pods("app=order").size(), std::size_t(1), 10000);
        QCOMPARE(pods("app=order")[0]["metadata"]["name"].get<std::string>(), healthy);
        (void)pending;
    }

    void adoptsOrphansAndReleasesPodsThatNoLongerMatch() {
        startController();
        const json orphan = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", "stray"}, {"labels", {{"app", "adopt"}}}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", "nginx"}}})}}}};
        QVERIFY(m_client->create(kPods, orphan));
        QVERIFY(m_client->create(kReplicaSets, replicaSet("adopt", 2)));
        QTRY_COMPARE_WITH_TIMEOUT(status("adopt", "replicas"), 2LL, 10000);
        QCOMPARE(pods("app=adopt").size(), std::size_t(2));
        const json rs = get("adopt");
        auto stray = m_client->get(kPods.named("stray"));
        QVERIFY(stray);
        QCOMPARE((*stray)["metadata"]["ownerReferences"][0]["uid"], rs["metadata"]["uid"]);

        // Relabelled, it is released and replaced.
        json relabelled = *stray;
        relabelled["metadata"]["labels"]["app"] = "elsewhere";
        QVERIFY(m_client->update(kPods.named("stray"), relabelled));
        QTRY_VERIFY_WITH_TIMEOUT(m_client->get(kPods.named("stray"))
                                     ->value("metadata", json::object())
                                     .value("ownerReferences", json::array())
                                     .empty(),
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pods("app=adopt").size(), std::size_t(2), 10000);
        QVERIFY(m_client->get(kPods.named("stray")));
    }
};

QTEST_GUILESS_MAIN(TstReplicaSetController)
#include "tst_replica_set_controller.moc"
