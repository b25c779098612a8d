// SPDX-License-Identifier: Apache-2.0
// Pod and node status as a kubelet computes them (engine/agent).
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/agent/node_status.h"
#include "engine/agent/pod_status.h"
#include "engine/core/timestamp.h"

using namespace slipway;
using agent::ContainerPhase;
using agent::ContainerRuntimeStatus;
using agent::PodRuntimeStatus;
using nlohmann::json;

namespace {

const agent::TimePoint kT0 = *core::parseTimestamp("2026-01-01T10:00:00Z");

json pod(const std::string& restartPolicy, std::vector<std::string> containers,
         std::vector<std::string> inits = {}) {
    json spec = {{"restartPolicy", restartPolicy}, {"containers", json::array()}};
    for (const auto& name : containers) {
        spec["containers"].push_back({{"name", name}, {"image", "nginx"}});
    }
    for (const auto& name : inits) {
        spec["initContainers"].push_back({{"name", name}, {"image", "busybox"}});
    }
    return {{"metadata", {{"name", "p"}, {"namespace", "default"}, {"uid", "u1"}}},
            {"spec", spec},
            {"status", {{"phase", "Pending"}, {"qosClass", "BestEffort"}}}};
}

ContainerRuntimeStatus running(const std::string& name, bool ready) {
    ContainerRuntimeStatus s;
    s.name = name;
    s.image = "docker.io/library/nginx:latest";
    s.phase = ContainerPhase::Running;
    s.startedAt = kT0;
    s.ready = ready;
    s.started = true;
    return s;
}

ContainerRuntimeStatus terminated(const std::string& name, int exitCode) {
    ContainerRuntimeStatus s;
    s.name = name;
    s.phase = ContainerPhase::Terminated;
    s.reason = exitCode == 0 ? "Completed" : "Error";
    s.exitCode = exitCode;
    s.startedAt = kT0;
    s.finishedAt = kT0 + std::chrono::seconds(2);
    return s;
}

const json& conditionOf(const json& status, const std::string& type) {
    for (const auto& c : status.at("conditions")) {
        if (c.at("type") == type) {
            return c;
        }
    }
    static const json none;
    return none;
}

}  // namespace

class TstPodStatus : public QObject {
    Q_OBJECT

private slots:
    void phaseFollowsContainers() {
        PodRuntimeStatus runtime;
        runtime.containers = {running("a", true), running("b", false)};
        QCOMPARE(agent::podPhase(pod("Always", {"a", "b"}), runtime), std::string("Running"));

        ContainerRuntimeStatus creating;
        creating.name = "b";
        runtime.containers = {running("a", true), creating};
        QCOMPARE(agent::podPhase(pod("Always", {"a", "b"}), runtime), std::string("Pending"));

        runtime.containers = {terminated("a", 0), terminated("b", 0)};
        QCOMPARE(agent::podPhase(pod("Never", {"a", "b"}), runtime), std::string("Succeeded"));
        runtime.containers = {terminated("a", 0), terminated("b", 1)};
        QCOMPARE(agent::podPhase(pod("Never", {"a", "b"}), runtime), std::string("Failed"));
        // OnFailure restarts the failed one; Always restarts both.
        QCOMPARE(agent::podPhase(pod("OnFailure", {"a", "b"}), runtime), std::string("Running"));
        QCOMPARE(agent::podPhase(pod("Always", {"a", "b"}), runtime), std::string("Running"));

        // CrashLoopBackOff (waiting with a last termination) counts as stopped, not waiting.
        ContainerRuntimeStatus backOff;
        backOff.name = "a";
        backOff.reason = "CrashLoopBackOff";
        backOff.lastTermination = agent::ContainerTermination{1, "Error", {}, kT0, kT0, {}};
        runtime.containers = {backOff};
        QCOMPARE(agent::podPhase(pod("Always", {"a"}), runtime), std::string("Running"));

        // Init containers first: Pending until they succeed.
        runtime.initContainers = {running("init", false)};
        ContainerRuntimeStatus initializing;
        initializing.name = "a";
        initializing.reason = "PodInitializing";
        runtime.containers = {initializing};
        QCOMPARE(agent::podPhase(pod("Always", {"a"}, {"init"}), runtime), std::string("Pending"));
    }

    void conditionsAsKubeletWritesThem() {
        PodRuntimeStatus runtime;
        runtime.sandboxReady = true;
        runtime.hostIp = "198.18.0.1";
        runtime.podIp = "10.244.1.2";
        runtime.startTime = kT0;
        runtime.containers = {running("a", true), running("b", false)};
        json p = pod("Always", {"a", "b"});
        const json status = agent::generatePodStatus(p, runtime, kT0);
        QCOMPARE(status.at("phase"), json("Running"));
        QCOMPARE(status.at("podIP"), json("10.244.1.2"));
        QCOMPARE(status.at("podIPs"), json::array({{{"ip", "10.244.1.2"}}}));
        QCOMPARE(status.at("hostIP"), json("198.18.0.1"));
        QCOMPARE(status.at("startTime"), json("2026-01-01T10:00:00Z"));
        QCOMPARE(status.at("qosClass"), json("BestEffort"));
        std::vector<std::string> types;
        for (const auto& c : status.at("conditions")) {
            types.push_back(c.at("type"));
            QVERIFY(c.contains("lastProbeTime") && c.at("lastProbeTime").is_null());
        }
        QCOMPARE(types, (std::vector<std::string>{"PodReadyToStartContainers", "Initialized",
                                                  "Ready", "ContainersReady", "PodScheduled"}));
        const json& ready = conditionOf(status, "Ready");
        QCOMPARE(ready.at("status"), json("False"));
        QCOMPARE(ready.at("reason"), json("ContainersNotReady"));
        QCOMPARE(ready.at("message"), json("containers with unready status: [b]"));
        QCOMPARE(status.at("containerStatuses").size(), std::size_t{2});
        QCOMPARE(status.at("containerStatuses")[0].at("state").at("running").at("startedAt"),
                 json("2026-01-01T10:00:00Z"));

        // Later, all ready: Ready goes True with a new transition time; the others keep theirs.
        p["status"] = status;
        runtime.containers = {running("a", true), running("b", true)};
        const auto later = kT0 + std::chrono::seconds(5);
        const json next = agent::generatePodStatus(p, runtime, later);
        QCOMPARE(conditionOf(next, "Ready").at("status"), json("True"));
        QCOMPARE(conditionOf(next, "Ready").at("lastTransitionTime"), json("2026-01-01T10:00:05Z"));
        QCOMPARE(conditionOf(next, "Initialized").at("lastTransitionTime"),
                 json("2026-01-01T10:00:00Z"));
        QCOMPARE(next.at("startTime"), json("2026-01-01T10:00:00Z"));
    }

    void foreignConditionsAndGatesAreKept() {
        json p = pod("Always", {"a"});
        p["spec"]["readinessGates"] = json::array({{{"conditionType", "example.com/lb"}}});
        p["status"]["conditions"] = json::array(
            {{{"type", "PodScheduled"}, {"status", "True"}, {"lastTransitionTime", "x"}},
             {{"type", "DisruptionTarget"}, {"status", "True"}, {"reason", "Test"}}});
        PodRuntimeStatus runtime;
        runtime.containers = {running("a", true)};
        const json status = agent::generatePodStatus(p, runtime, kT0);
        QCOMPARE(conditionOf(status, "PodScheduled").at("lastTransitionTime"), json("x"));
        QCOMPARE(conditionOf(status, "DisruptionTarget").at("reason"), json("Test"));
        QCOMPARE(conditionOf(status, "Ready").at("reason"), json("ReadinessGatesNotReady"));
        QCOMPARE(conditionOf(status, "Ready").at("message"),
                 json("corresponding condition of pod readiness gate \"example.com/lb\" does not "
                      "exist."));
    }

    void succeededPodsAreCompleted() {
        PodRuntimeStatus runtime;
        runtime.containers = {terminated("a", 0)};
        const json status = agent::generatePodStatus(pod("Never", {"a"}), runtime, kT0);
        QCOMPARE(status.at("phase"), json("Succeeded"));
        QCOMPARE(conditionOf(status, "Ready").at("reason"), json("PodCompleted"));
        QCOMPARE(conditionOf(status, "ContainersReady").at("reason"), json("PodCompleted"));
        QCOMPARE(status.at("containerStatuses")[0].at("state").at("terminated").at("reason"),
                 json("Completed"));
    }

    void initializedWaitsForInitContainers() {
        PodRuntimeStatus runtime;
        runtime.initContainers = {running("init", false)};
        ContainerRuntimeStatus waiting;
        waiting.name = "a";
        waiting.reason = "PodInitializing";
        runtime.containers = {waiting};
        const json status = agent::generatePodStatus(pod("Always", {"a"}, {"init"}), runtime, kT0);
        QCOMPARE(conditionOf(status, "Initialized").at("reason"), json("ContainersNotInitialized"));
        QCOMPARE(conditionOf(status, "Initialized").at("message"),
                 json("containers with incomplete status: [init]"));
        QCOMPARE(status.at("initContainerStatuses").size(), std::size_t{1});
    }

    void goDurations() {
        using namespace std::chrono;
        QCOMPARE(agent::goDuration(nanoseconds(0)), std::string("0s"));
        QCOMPARE(agent::goDuration(milliseconds(500)), std::string("500ms"));
        QCOMPARE(agent::goDuration(milliseconds(1500)), std::string("1.5s"));
        QCOMPARE(agent::goDuration(seconds(120)), std::string("2m0s"));
        QCOMPARE(agent::goDuration(seconds(3725)), std::string("1h2m5s"));
    }

    void nodeStatusAsKubeletPostsIt() {
        agent::NodeConfig config;
        config.name = "n1";
        config.internalIp = "198.18.0.1";
        config.podCidr = "10.244.1.0/24";
        config.kubeletVersion = "v1.32.0";
        const json node = agent::nodeObject(config);
        QCOMPARE(node.at("metadata").at("labels").at("kubernetes.io/hostname"), json("n1"));
        QCOMPARE(node.at("spec").at("podCIDRs"), json::array({"10.244.1.0/24"}));

        json status = agent::nodeStatus(config, json(), kT0);
        const json& ready = conditionOf(status, "Ready");
        QCOMPARE(ready.at("reason"), json("KubeletReady"));
        QCOMPARE(ready.at("message"), json("kubelet is posting ready status"));
        QCOMPARE(conditionOf(status, "MemoryPressure").at("reason"),
                 json("KubeletHasSufficientMemory"));
        QCOMPARE(status.at("capacity").at("memory"), json("8Gi"));
        QCOMPARE(status.at("allocatable").at("memory"), json("8092Mi"));
        QCOMPARE(status.at("nodeInfo").at("kubeletVersion"), json("v1.32.0"));
        QCOMPARE(status.at("daemonEndpoints").at("kubeletEndpoint").at("Port"), json(10250));

        // A later post changes only heartbeats: no change worth posting; transitions kept.
        const json later = agent::nodeStatus(config, status, kT0 + std::chrono::seconds(10));
        QVERIFY(!agent::nodeStatusChanged(status, later));
        QCOMPARE(conditionOf(later, "Ready").at("lastTransitionTime"),
                 json("2026-01-01T10:00:00Z"));
        QCOMPARE(conditionOf(later, "Ready").at("lastHeartbeatTime"), json("2026-01-01T10:00:10Z"));
        // Marked Unknown by the node lifecycle controller: a change.
        json unknown = status;
        unknown["conditions"][3]["status"] = "Unknown";
        QVERIFY(agent::nodeStatusChanged(unknown, later));

        const json lease =
            agent::leaseObject("n1", "uid-1", 40, kT0 + std::chrono::microseconds(5));
        QCOMPARE(lease.at("spec").at("renewTime"), json("2026-01-01T10:00:00.000005Z"));
        QCOMPARE(lease.at("metadata").at("ownerReferences")[0].at("kind"), json("Node"));
    }
};

QTEST_GUILESS_MAIN(TstPodStatus)
#include "tst_pod_status.moc"
