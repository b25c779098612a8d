// SPDX-License-Identifier: Apache-2.0
// The Deployment controller (with the ReplicaSet controller and a test kubelet) against an
// in-process API server.
#include <atomic>
#include <mutex>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/deployment/deployment_controller.h"
#include "engine/controllers/replicaset/replica_set_controller.h"

#include "../../client/test_server.h"
#include "test_kubelet.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kPods = client::resources::pods().in("default");
const client::ResourceRef kReplicaSets = client::resources::replicaSets().in("default");
const client::ResourceRef kDeployments = client::resources::deployments().in("default");

json deploymentOf(const std::string& name, std::int64_t replicas, const std::string& image,
                  const json& strategy = json::object()) {
    json d = {
        {"apiVersion", "apps/v1"},
        {"kind", "Deployment"},
        {"metadata", {{"name", name}}},
        {"spec",
         {{"replicas", replicas},
          {"selector", {{"matchLabels", {{"app", name}}}}},
          {"template",
           {{"metadata", {{"labels", {{"app", name}}}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", image}}})}}}}}}}};
    if (!strategy.empty()) {
        d["spec"]["strategy"] = strategy;
    }
    return d;
}

std::string conditionOf(const json& d, const std::string& type, const char* field) {
    for (const auto& condition :
         d.value("status", json::object()).value("conditions", json::array())) {
        if (condition.value("type", "") == type) {
            return condition.value(field, "");
        }
    }
    return {};
}

}  // namespace

class TstDeploymentController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<testing::TestKubelet> m_kubelet;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::vector<std::unique_ptr<controllers::Controller>> m_controllers;

    json get(const std::string& name) {
        auto found = m_client->get(kDeployments.named(name));
        return found ? *found : json();
    }

    std::int64_t status(const std::string& name, const char* field) {
        const json d = get(name);
        return d.is_null() ? -1 : d.value("status", json::object()).value(field, 0LL);
    }

    std::vector<json> replicaSets(const std::string& app) {
        client::ListOptions options;
        options.labelSelector = "app=" + app;
        auto listed = m_client->list(kReplicaSets, options);
        return listed ? listed->items : std::vector<json>{};
    }

    /// Rolled out: every count at spec.replicas and the generation observed.
    bool complete(const std::string& name) {
        const json d = get(name);
        if (d.is_null()) {
            return false;
        }
        const auto replicas = d["spec"].value("replicas", 1LL);
        const json status = d.value("status", json::object());
        return status.value("observedGeneration", 0LL) >= d["metadata"].value("generation", 1LL) &&
               status.value("updatedReplicas", 0LL) == replicas &&
               status.value("replicas", 0LL) == replicas &&
               status.value("availableReplicas", 0LL) == replicas &&
               status.value("unavailableReplicas", 0LL) == 0 &&
               conditionOf(d, "Progressing", "reason") == "NewReplicaSetAvailable";
    }

    /// PATCHes a Deployment, again on a Conflict with a concurrent write (as kubectl does).
    bool patchDeployment(const std::string& name, client::PatchType type, const json& patch) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            auto patched = m_client->patch(kDeployments.named(name), type, patch);
            if (patched) {
                return true;
            }
            qWarning("patch %s: %s", name.c_str(), patched.error().message().c_str());
            if (patched.error().code() != core::ErrorCode::Conflict) {
                return false;
            }
        }
        return false;
    }

    bool setImage(const std::string& name, const std::string& image) {
        const json patch = {
            {"spec",
             {{"template",
               {{"spec",
                 {{"containers", json::array({{{"name", "main"}, {"image", image}}})}}}}}}}};
        return patchDeployment(name, client::PatchType::StrategicMerge, patch);
    }

    bool scaleTo(const std::string& name, std::int64_t replicas) {
        return patchDeployment(name, client::PatchType::Merge,
                               {{"spec", {{"replicas", replicas}}}});
    }

    std::vector<std::string> events(const std::string& name, const std::string& reason) {
        client::ListOptions options;
        options.fieldSelector = "involvedObject.name=" + name;
        std::vector<std::string> messages;
        if (auto listed = m_client->list(client::resources::events().in("default"), options)) {
            for (const auto& event : listed->items) {
                if (event.value("reason", "") == reason) {
                    messages.push_back(event.value("message", ""));
                }
            }
        }
        return messages;
    }

    bool hasEvent(const std::string& name, const std::string& reason, const std::string& message) {
        const auto messages = events(name, reason);
        return std::find(messages.begin(), messages.end(), message) != messages.end();
    }

    void startControllers(std::chrono::milliseconds readyDelay) {
        m_kubelet = std::make_unique<testing::TestKubelet>(*m_client, readyDelay);
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        const controllers::ControllerContext context{*m_client, *m_informers};
        m_controllers.push_back(std::make_unique<controllers::ReplicaSetController>(context));
        m_controllers.push_back(std::make_unique<controllers::DeploymentController>(context));
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(10)));
        for (auto& controller : m_controllers) {
            controller->run(2);
        }
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
        for (auto it = m_controllers.rbegin(); it != m_controllers.rend(); ++it) {
            (*it)->stop();
        }
        m_controllers.clear();
        m_informers.reset();
        m_kubelet.reset();
        m_client.reset();
        m_server.reset();
        QDir(m_dir.filePath("server")).removeRecursively();
    }

    void createdDeploymentBecomesAvailable() {
        startControllers(std::chrono::milliseconds(50));
        QVERIFY(m_client->create(kDeployments, deploymentOf("web", 3, "nginx:1.25")));
        QTRY_VERIFY_WITH_TIMEOUT(complete("web"), 15000);
        const json d = get("web");
        QCOMPARE(d["status"]["readyReplicas"].get<int>(), 3);
        QCOMPARE(d["status"]["observedGeneration"].get<int>(), 1);
        QCOMPARE(
            d["metadata"]["annotations"]["deployment.kubernetes.io/revision"].get<std::string>(),
            std::string("1"));
        QCOMPARE(conditionOf(d, "Available", "status"), std::string("True"));
        QCOMPARE(conditionOf(d, "Available", "reason"), std::string("MinimumReplicasAvailable"));
        QCOMPARE(conditionOf(d, "Available", "message"),
                 std::string("Deployment has minimum availability."));

        const auto sets = replicaSets("web");
        QCOMPARE(sets.size(), std::size_t(1));
        const json& rs = sets[0];
        const std::string hash = rs["metadata"]["labels"]["pod-template-hash"];
        const std::string rsName = rs["metadata"]["name"];
        QCOMPARE(rsName, "web-" + hash);
        QCOMPARE(rs["spec"]["selector"]["matchLabels"]["pod-template-hash"].get<std::string>(),
                 hash);
        QCOMPARE(
            rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"].get<std::string>(),
            hash);
        QCOMPARE(rs["metadata"]["ownerReferences"][0]["uid"], d["metadata"]["uid"]);
        const json& annotations = rs["metadata"]["annotations"];
        QCOMPARE(annotations["deployment.kubernetes.io/revision"].get<std::string>(),
                 std::string("1"));
        QCOMPARE(annotations["deployment.kubernetes.io/desired-replicas"].get<std::string>(),
                 std::string("3"));
        QCOMPARE(annotations["deployment.kubernetes.io/max-replicas"].get<std::string>(),
                 std::string("4"));
        QCOMPARE(conditionOf(d, "Progressing", "message"),
                 "ReplicaSet \"" + rsName + "\" has successfully progressed.");
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent("web", "ScalingReplicaSet",
                                          "Scaled up replica set " + rsName + " from 0 to 3"),
                                 10000);
    }

    void scalesUpAndDown() {
        startControllers(std::chrono::milliseconds(20));
        QVERIFY(m_client->create(kDeployments, deploymentOf("scaled", 3, "nginx")));
        QTRY_VERIFY_WITH_TIMEOUT(complete("scaled"), 15000);
        QVERIFY(scaleTo("scaled", 10));
        QTRY_VERIFY_WITH_TIMEOUT(complete("scaled") && status("scaled", "replicas") == 10, 15000);
        const std::string rsName = replicaSets("scaled")[0]["metadata"]["name"];
        QVERIFY(scaleTo("scaled", 3));
        QTRY_VERIFY_WITH_TIMEOUT(complete("scaled") && status("scaled", "replicas") == 3, 15000);
        QCOMPARE(replicaSets("scaled").size(), std::size_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent("scaled", "ScalingReplicaSet",
                                          "Scaled up replica set " + rsName + " from 3 to 10"),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent("scaled", "ScalingReplicaSet",
                                          "Scaled down replica set " + rsName + " from 10 to 3"),
                                 10000);
    }

    void rollingUpdateStaysWithinSurgeAndUnavailableThenRollsBack() {
        startControllers(std::chrono::milliseconds(100));
        const json strategy = {{"type", "RollingUpdate"},
                               {"rollingUpdate", {{"maxSurge", 2}, {"maxUnavailable", 1}}}};
        QVERIFY(m_client->create(kDeployments, deploymentOf("roll", 6, "nginx:1", strategy)));
        QTRY_VERIFY_WITH_TIMEOUT(complete("roll"), 15000);
        const std::string firstSet = replicaSets("roll")[0]["metadata"]["name"];

        // Watch every pod change and check the bounds after each one: at most 6 + 2 pods, at
        // least 6 - 1 ready.
        std::mutex mutex;
        std::map<std::string, bool> live;  // pod → ready
        std::size_t mostPods = 0;
        std::size_t fewestReady = 100;
        bool armed = false;  // from when the watcher has listed every pod
        client::InformerOptions options(client::resources::pods().in("default"));
        options.labelSelector = "app=roll";
        client::Informer watcher(*m_client, options);
        const auto observe = [&](const client::ObjectPtr& pod, bool gone) {
            const std::lock_guard lock(mutex);
            const std::string name = (*pod)["metadata"]["name"];
            if (gone || (*pod)["metadata"].contains("deletionTimestamp")) {
                live.erase(name);
            } else {
                bool ready = false;
                for (const auto& c :
                     pod->value("status", json::object()).value("conditions", json::array())) {
                    ready = ready ||
                            (c.value("type", "") == "Ready" && c.value("status", "") == "True");
                }
                live[name] = ready;
            }
            std::size_t readyCount = 0;
            for (const auto& [each, ready] : live) {
                readyCount += ready ? 1 : 0;
            }
            if (armed) {
                mostPods = std::max(mostPods, live.size());
                fewestReady = std::min(fewestReady, readyCount);
            }
        };
        watcher.addEventHandler(client::EventHandlers{
            [&](const client::ObjectPtr& pod) { observe(pod, false); },
            [&](const client::ObjectPtr&, const client::ObjectPtr& pod) { observe(pod, false); },
            [&](const client::ObjectPtr& pod) { observe(pod, true); }});
        watcher.start();
        QVERIFY(watcher.waitForSync(std::chrono::seconds(5)));
        {
            const std::lock_guard lock(mutex);
            armed = true;
        }

        QVERIFY(setImage("roll", "nginx:2"));
        QTRY_VERIFY_WITH_TIMEOUT(complete("roll") && replicaSets("roll").size() == 2, 30000);
        {
            const std::lock_guard lock(mutex);
            QVERIFY2(mostPods <= 8, std::to_string(mostPods).c_str());
            QVERIFY2(fewestReady >= 5, std::to_string(fewestReady).c_str());
            QVERIFY(mostPods > 6);  // the surge was used
        }
        json d = get("roll");
        QCOMPARE(
            d["metadata"]["annotations"]["deployment.kubernetes.io/revision"].get<std::string>(),
            std::string("2"));
        for (const auto& rs : replicaSets("roll")) {
            const bool old = rs["metadata"]["name"] == firstSet;
            QCOMPARE(rs["spec"]["replicas"].get<int>(), old ? 0 : 6);
            QCOMPARE(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                         .get<std::string>(),
                     std::string(old ? "1" : "2"));
        }

        // kubectl rollout undo --to-revision=1, as kubectl 1.32 does it: a JSON patch replacing
        // the template (the set's, without its hash label, as Go serializes it) and annotations.
        json oldSet;
        for (const auto& rs : replicaSets("roll")) {
            if (rs["metadata"]["name"] == firstSet) {
                oldSet = rs;
            }
        }
        json podTemplate = oldSet["spec"]["template"];
        podTemplate["metadata"]["labels"].erase("pod-template-hash");
        podTemplate["metadata"]["creationTimestamp"] = nullptr;
        podTemplate["spec"]["containers"][0]["resources"] = json::object();
        json annotations = {{"deployment.kubernetes.io/revision",
                             d["metadata"]["annotations"]["deployment.kubernetes.io/revision"]}};
        const json undo = json::array(
            {{{"op", "replace"}, {"path", "/spec/template"}, {"value", podTemplate}},
             {{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", annotations}}});
        QVERIFY(patchDeployment("roll", client::PatchType::Json, undo));
        QTRY_VERIFY_WITH_TIMEOUT(
            complete("roll") &&
                get("roll")["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3",
            30000);
        const auto sets = replicaSets("roll");
        QCOMPARE(sets.size(), std::size_t(2));  // the old set came back; none was made
        for (const auto& rs : sets) {
            const bool reused = rs["metadata"]["name"] == firstSet;
            QCOMPARE(rs["spec"]["replicas"].get<int>(), reused ? 6 : 0);
            if (reused) {
                QCOMPARE(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                             .get<std::string>(),
                         std::string("3"));
                QCOMPARE(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"]
                             .get<std::string>(),
                         std::string("1"));
            }
        }
        watcher.stop();
    }

    void pausedDeploymentDoesNotRollButScales() {
        startControllers(std::chrono::milliseconds(20));
        QVERIFY(m_client->create(kDeployments, deploymentOf("held", 2, "nginx:1")));
        QTRY_VERIFY_WITH_TIMEOUT(complete("held"), 15000);
        QVERIFY(patchDeployment("held", client::PatchType::Merge, {{"spec", {{"paused", true}}}}));
        QVERIFY(setImage("held", "nginx:2"));
        QTRY_VERIFY_WITH_TIMEOUT(
            status("held", "observedGeneration") ==
                    get("held")["metadata"]["generation"].get<int>() &&
                conditionOf(get("held"), "Progressing", "reason") == "DeploymentPaused",
            10000);
        QCOMPARE(conditionOf(get("held"), "Progressing", "status"), std::string("Unknown"));
        QCOMPARE(conditionOf(get("held"), "Progressing", "message"),
                 std::string("Deployment is paused"));
        QVERIFY(scaleTo("held", 4));
        QTRY_COMPARE_WITH_TIMEOUT(status("held", "availableReplicas"), 4LL, 10000);
        QCOMPARE(replicaSets("held").size(), std::size_t(1));
        QCOMPARE(status("held", "updatedReplicas"), 0LL);  // the template changed: nothing updated

        QVERIFY(patchDeployment("held", client::PatchType::Merge, {{"spec", {{"paused", false}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(complete("held") && replicaSets("held").size() == 2, 20000);
    }

    void neverReadyPodsExceedTheProgressDeadline() {
        startControllers(std::chrono::milliseconds(20));
        json d = deploymentOf("stuck", 1, "example/broken:1");
        d["spec"]["progressDeadlineSeconds"] = 2;
        QVERIFY(m_client->create(kDeployments, d));
        QTRY_VERIFY_WITH_TIMEOUT(
            conditionOf(get("stuck"), "Progressing", "reason") == "ProgressDeadlineExceeded",
            15000);
        const json stuck = get("stuck");
        QCOMPARE(conditionOf(stuck, "Progressing", "status"), std::string("False"));
        const std::string rsName = replicaSets("stuck")[0]["metadata"]["name"];
        QCOMPARE(conditionOf(stuck, "Progressing", "message"),
                 "ReplicaSet \"" + rsName + "\" has timed out progressing.");
        QCOMPARE(conditionOf(stuck, "Available", "reason"),
                 std::string("MinimumReplicasUnavailable"));
        QCOMPARE(conditionOf(stuck, "Available", "message"),
                 std::string("Deployment does not have minimum availability."));
        QCOMPARE(stuck["status"]["unavailableReplicas"].get<int>(), 1);
    }

    void recreateScalesTheOldSetToZeroFirst() {
        startControllers(std::chrono::milliseconds(50));
        QVERIFY(m_client->create(kDeployments,
                                 deploymentOf("again", 3, "nginx:1", {{"type", "Recreate"}})));
        QTRY_VERIFY_WITH_TIMEOUT(complete("again"), 15000);

        std::mutex mutex;
        std::map<std::string, std::string> images;  // live pod → image
        bool mixed = false;
        client::InformerOptions options(client::resources::pods().in("default"));
        options.labelSelector = "app=again";
        client::Informer watcher(*m_client, options);
        const auto observe = [&](const client::ObjectPtr& pod, bool gone) {
            const std::lock_guard lock(mutex);
            const std::string name = (*pod)["metadata"]["name"];
            if (gone) {
                images.erase(name);
            } else {
                images[name] = (*pod)["spec"]["containers"][0]["image"];
            }
            std::set<std::string> distinct;
            for (const auto& [each, image] : images) {
                distinct.insert(image);
            }
            mixed = mixed || distinct.size() > 1;
        };
        watcher.addEventHandler(client::EventHandlers{
            [&](const client::ObjectPtr& pod) { observe(pod, false); },
            [&](const client::ObjectPtr&, const client::ObjectPtr& pod) { observe(pod, false); },
            [&](const client::ObjectPtr& pod) { observe(pod, true); }});
        watcher.start();
        QVERIFY(watcher.waitForSync(std::chrono::seconds(5)));
        QVERIFY(setImage("again", "nginx:2"));
        QTRY_VERIFY_WITH_TIMEOUT(complete("again") && replicaSets("again").size() == 2, 20000);
        watcher.stop();
        QVERIFY(!mixed);
    }

    void revisionHistoryLimitPrunesOldSets() {
        startControllers(std::chrono::milliseconds(20));
        json d = deploymentOf("pruned", 1, "nginx:1");
        d["spec"]["revisionHistoryLimit"] = 1;
        QVERIFY(m_client->create(kDeployments, d));
        QTRY_VERIFY_WITH_TIMEOUT(complete("pruned"), 15000);
        for (const char* image : {"nginx:2", "nginx:3", "nginx:4"}) {
            QVERIFY(setImage("pruned", image));
            QTRY_VERIFY_WITH_TIMEOUT(
                complete("pruned") && status("pruned", "updatedReplicas") == 1 &&
                    get("pruned")["spec"]["template"]["spec"]["containers"][0]["image"] == image,
                15000);
        }
        // The new set and one old one are kept.
        QTRY_COMPARE_WITH_TIMEOUT(replicaSets("pruned").size(), std::size_t(2), 15000);
        std::set<std::string> revisions;
        for (const auto& rs : replicaSets("pruned")) {
            revisions.insert(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]);
        }
        QCOMPARE(revisions, (std::set<std::string>{"3", "4"}));
    }

    void restartChangesTheTemplateAndRollsOut() {
        startControllers(std::chrono::milliseconds(20));
        QVERIFY(m_client->create(kDeployments, deploymentOf("restarted", 2, "nginx")));
        QTRY_VERIFY_WITH_TIMEOUT(complete("restarted"), 15000);
        const json patch = {
            {"spec",
             {{"template",
               {{"metadata",
                 {{"annotations",
                   {{"kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z"}}}}}}}}}};
        QVERIFY(patchDeployment("restarted", client::PatchType::StrategicMerge, patch));
        QTRY_VERIFY_WITH_TIMEOUT(complete("restarted") && replicaSets("restarted").size() == 2,
                                 20000);
    }
};

QTEST_GUILESS_MAIN(TstDeploymentController)
#include "tst_deployment_controller.moc"
