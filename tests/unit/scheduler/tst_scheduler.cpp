// SPDX-License-Identifier: Apache-2.0
// The scheduler end to end against an in-process API server: nodes and pods created through
// the API, pods bound through pods/binding respecting resources, taints, affinity and spread,
// and an unschedulable pod reported (FailedScheduling, PodScheduled=False) until a node fits.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/scheduler/scheduler.h"

#include "../client/test_server.h"
#include "scheduler_test_objects.h"

using namespace slipway;
using nlohmann::json;

namespace {

const char* kControlPlaneMessage =
    "0/3 nodes are available: 1 node(s) had untolerated taint "
    "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
    "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
    "incoming pod.";

json controlPlaneTaint() {
    return json::array(
        {{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}});
}

json controlPlaneToleration() {
    return json::array({{{"key", "node-role.kubernetes.io/control-plane"},
                         {"operator", "Exists"},
                         {"effect", "NoSchedule"}}});
}

}  // namespace

class TstScheduler : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<scheduler::Scheduler> m_scheduler;

    void createNode(const json& node) {
        auto created = m_client->create(client::resources::nodes(), node);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
        // Status as a node agent reports it (create may not keep it).
        json withStatus = *created;
        withStatus["status"] = node["status"];
        auto updated = m_client->updateStatus(
            client::resources::nodes().named(node["metadata"]["name"]), withStatus);
        QVERIFY2(updated.ok(), updated.ok() ? "" : updated.error().message().c_str());
    }

    void createPod(const json& pod) {
        auto created = m_client->create(client::resources::pods().in("default"), pod);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
    }

    json pod(const std::string& name) {
        auto got = m_client->get(client::resources::pods().in("default").named(name));
        return got ? *got : json();
    }

    std::string nodeOf(const std::string& name) {
        return pod(name).value("/spec/nodeName"_json_pointer, std::string());
    }

    /// The events about pod `name` with `reason`.
    std::vector<json> events(const std::string& name, const std::string& reason) {
        std::vector<json> found;
        auto list = m_client->list(client::resources::events().in("default"));
        if (!list) {
            return found;
        }
        for (const auto& event : list->items) {
            if (event.value("/involvedObject/name"_json_pointer, std::string()) == name &&
                event.value("reason", "") == reason) {
                found.push_back(event);
            }
        }
        return found;
    }

    json podScheduled(const std::string& name) {
        const json current = pod(name);
        for (const auto& condition :
             current.value("/status/conditions"_json_pointer, json::array())) {
            if (condition.value("type", "") == "PodScheduled") {
                return condition;
            }
        }
        return json();
    }

    void start() {
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        scheduler::SchedulerOptions options;
        options.framework.seed = 7;
        m_scheduler = std::make_unique<scheduler::Scheduler>(*m_client, *m_informers, options);
        m_informers->start();
        m_scheduler->run();
    }

    void threeNodes() {
        createNode(testing::schedulerNode("node-1", "4", "8Gi", 110,
                                          {{"topology.kubernetes.io/zone", "a"}, {"disk", "ssd"}}));
        createNode(testing::schedulerNode("node-2", "4", "8Gi", 110,
                                          {{"topology.kubernetes.io/zone", "b"}}));
        createNode(testing::schedulerNode(
            "node-3", "4", "8Gi", 110,
            {{"topology.kubernetes.io/zone", "c"}, {"node-role.kubernetes.io/control-plane", ""}},
            controlPlaneTaint()));
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        if (m_informers) {
            m_informers->stop();  // no handler may run into a destroyed controller
        }
        if (m_informers) {
            m_informers->stop();
        }
        if (m_scheduler) {
            m_scheduler->stop();
        }
        m_scheduler.reset();
        m_informers.reset();
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void bindsPodsRespectingResourcesTaintsAffinityAndSpread() {
        threeNodes();
        start();

        // Six 1-cpu pods: the two untainted 4-cpu nodes take them, three each (least allocated).
        for (int i = 0; i < 6; ++i) {
            createPod(
                testing::schedulerPod("web-" + std::to_string(i), "1", "256Mi", {{"app", "web"}}));
        }
        std::map<std::string, int> perNode;
        for (int i = 0; i < 6; ++i) {
            const std::string name = "web-" + std::to_string(i);
            QTRY_VERIFY_WITH_TIMEOUT(!nodeOf(name).empty(), 10000);
            ++perNode[nodeOf(name)];
        }
        QCOMPARE(perNode.count("node-3"), std::size_t(0));
        QCOMPARE(perNode["node-1"], 3);
        QCOMPARE(perNode["node-2"], 3);
        const json condition = podScheduled("web-0");
        QCOMPARE(condition.value("status", ""), std::string("True"));

        // The Scheduled event, from default-scheduler.
        QTRY_VERIFY_WITH_TIMEOUT(!events("web-0", "Scheduled").empty(), 10000);
        const json scheduled = events("web-0", "Scheduled").front();
        QCOMPARE(scheduled.value("message", ""),
                 "Successfully assigned default/web-0 to " + nodeOf("web-0"));
        QCOMPARE(scheduled.value("/source/component"_json_pointer, std::string()),
                 std::string("default-scheduler"));
        QCOMPARE(scheduled.value("type", ""), std::string("Normal"));

        // nodeSelector.
        json ssd = testing::schedulerPod("ssd", "100m");
        ssd["spec"]["nodeSelector"] = {{"disk", "ssd"}};
        createPod(ssd);
        // Toleration plus required node affinity for zone c: only the control-plane node.
        json control = testing::schedulerPod("control", "100m");
        control["spec"]["tolerations"] = controlPlaneToleration();
        control["spec"]["affinity"] = {
            {"nodeAffinity",
             {{"requiredDuringSchedulingIgnoredDuringExecution",
               {{"nodeSelectorTerms",
                 json::array(
                     {{{"matchExpressions", json::array({{{"key", "topology.kubernetes.io/zone"},
                                                          {"operator", "In"},
                                                          {"values", {"c"}}}})}}})}}}}}};
        createPod(control);
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("ssd"), std::string("node-1"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("control"), std::string("node-3"), 10000);

        // Three pods spread by zone with maxSkew 1, created at once: one per zone.
        for (int i = 0; i < 3; ++i) {
            json spread = testing::schedulerPod("spread-" + std::to_string(i), "10m", "",
                                                {{"app", "spread"}});
            spread["spec"]["tolerations"] = controlPlaneToleration();
            spread["spec"]["topologySpreadConstraints"] =
                json::array({{{"maxSkew", 1},
                              {"topologyKey", "topology.kubernetes.io/zone"},
                              {"whenUnsatisfiable", "DoNotSchedule"},
                              {"labelSelector", {{"matchLabels", {{"app", "spread"}}}}}}});
            createPod(spread);
        }
        std::set<std::string> spreadNodes;
        for (int i = 0; i < 3; ++i) {
            const std::string name = "spread-" + std::to_string(i);
            QTRY_VERIFY_WITH_TIMEOUT(!nodeOf(name).empty(), 10000);
            spreadNodes.insert(nodeOf(name));
        }
        QCOMPARE(spreadNodes.size(), std::size_t(3));

        // Required anti-affinity against app=web per host: only node-3 (tolerated) has none.
        json loner = testing::schedulerPod("loner", "10m");
        loner["spec"]["tolerations"] = controlPlaneToleration();
        loner["spec"]["affinity"] = {
            {"podAntiAffinity",
             {{"requiredDuringSchedulingIgnoredDuringExecution",
               json::array({{{"labelSelector", {{"matchLabels", {{"app", "web"}}}}},
                             {"topologyKey", "kubernetes.io/hostname"}}})}}}};
        createPod(loner);
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("loner"), std::string("node-3"), 10000);

        // A pod for another scheduler is left alone.
        json other = testing::schedulerPod("other");
        other["spec"]["schedulerName"] = "my-scheduler";
        createPod(other);
        createPod(testing::schedulerPod("after-other", "10m"));
        QTRY_VERIFY_WITH_TIMEOUT(!nodeOf("after-other").empty(), 10000);
        QVERIFY(nodeOf("other").empty());
        QCOMPARE(m_scheduler->stats().bindingFailures, std::uint64_t(0));
    }

    void unschedulablePodIsReportedThenScheduledWhenANodeFits() {
        threeNodes();
        start();
        createPod(testing::schedulerPod("big", "8", "1Gi"));

        QTRY_VERIFY_WITH_TIMEOUT(!events("big", "FailedScheduling").empty(), 10000);
        const json failed = events("big", "FailedScheduling").front();
        QCOMPARE(failed.value("message", ""), std::string(kControlPlaneMessage));
        QCOMPARE(failed.value("type", ""), std::string("Warning"));
        QCOMPARE(failed.value("/source/component"_json_pointer, std::string()),
                 std::string("default-scheduler"));

        QTRY_COMPARE_WITH_TIMEOUT(podScheduled("big").value("status", ""), std::string("False"),
                                  10000);
        const json condition = podScheduled("big");
        QCOMPARE(condition.value("reason", ""), std::string("Unschedulable"));
        QCOMPARE(condition.value("message", ""), std::string(kControlPlaneMessage));
        QVERIFY(nodeOf("big").empty());

        // A node with room arrives: the pod is moved back and bound there.
        createNode(testing::schedulerNode("node-4", "16", "32Gi"));
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("big"), std::string("node-4"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(podScheduled("big").value("status", ""), std::string("True"),
                                  10000);
        QTRY_VERIFY_WITH_TIMEOUT(!events("big", "Scheduled").empty(), 10000);
    }

    void aPodWaitsForTheFirstNode() {
        start();
        createPod(testing::schedulerPod("early", "100m"));
        QTRY_VERIFY_WITH_TIMEOUT(!events("early", "FailedScheduling").empty(), 10000);
        QCOMPARE(events("early", "FailedScheduling").front().value("message", ""),
                 std::string("no nodes available to schedule pods"));
        QTRY_COMPARE_WITH_TIMEOUT(podScheduled("early").value("reason", ""),
                                  std::string("Unschedulable"), 10000);
        createNode(testing::schedulerNode("first"));
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("early"), std::string("first"), 15000);
    }

    void deletedPodsFreeTheirRoom() {
        createNode(testing::schedulerNode("only", "2", "4Gi"));
        start();
        createPod(testing::schedulerPod("first", "2"));
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("first"), std::string("only"), 10000);
        createPod(testing::schedulerPod("second", "2"));
        QTRY_VERIFY_WITH_TIMEOUT(!events("second", "FailedScheduling").empty(), 10000);
        QCOMPARE(events("second", "FailedScheduling").front().value("message", ""),
                 std::string("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes "
                             "are available: 1 No preemption victims found for incoming pod."));
        client::DeleteOptions now;
        now.gracePeriodSeconds = 0;
        QVERIFY(m_client->remove(client::resources::pods().in("default").named("first"), now).ok());
        QTRY_COMPARE_WITH_TIMEOUT(nodeOf("second"), std::string("only"), 15000);
    }
};

QTEST_GUILESS_MAIN(TstScheduler)
#include "tst_scheduler.moc"
