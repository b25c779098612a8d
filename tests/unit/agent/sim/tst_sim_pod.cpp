// SPDX-License-Identifier: Apache-2.0
// The simulated pod lifecycle (engine/agent/sim/sim_pod), in simulated time.
#include <set>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/agent/sim/sim_pod.h"

using namespace slipway;
using agent::ContainerPhase;
using agent::sim::SimConfig;
using agent::sim::SimEvent;
using agent::sim::SimPod;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

const agent::TimePoint kT0{std::chrono::seconds(1'800'000'000)};

SimConfig config() {
    SimConfig c;
    c.startDelay = milliseconds(500);
    c.readyDelay = milliseconds(1000);
    c.runDuration = milliseconds(2000);
    c.backoffInitial = milliseconds(10'000);
    c.backoffMax = milliseconds(300'000);
    return c;
}

json pod(const std::string& restartPolicy, const std::string& image = "nginx:1.25",
         json annotations = json::object()) {
    return {
        {"metadata",
         {{"name", "p"}, {"namespace", "default"}, {"uid", "u1"}, {"annotations", annotations}}},
        {"spec",
         {{"restartPolicy", restartPolicy},
          {"containers",
           json::array(
               {{{"name", "c"}, {"image", image}, {"imagePullPolicy", "IfNotPresent"}}})}}}};
}

/// Runs `sim` until `until`, in 100 ms steps, with a node image store; returns the reasons of
/// the events in order.
struct Runner {
    std::set<std::string> images;
    std::vector<SimEvent> events;
    agent::sim::ImageStore store{[this](const std::string& i) { return images.count(i) != 0; },
                                 [this](const std::string& i) { images.insert(i); }};
    void run(SimPod& sim, agent::TimePoint until) {
        auto more = sim.advance(until, store);
        events.insert(events.end(), more.begin(), more.end());
    }
    std::vector<std::string> reasons() const {
        std::vector<std::string> out;
        for (const auto& e : events) {
            out.push_back(e.reason);
        }
        return out;
    }
};

const agent::ContainerRuntimeStatus& only(const SimPod& sim) {
    static agent::PodRuntimeStatus keep;
    keep = sim.runtime();
    return keep.containers.at(0);
}

}  // namespace

class TstSimPod : public QObject {
    Q_OBJECT

private slots:
    void startsThenBecomesReady() {
        SimPod sim(pod("Always"), config(), kT0);
        Runner runner;
        QCOMPARE(only(sim).reason, std::string("ContainerCreating"));
        runner.run(sim, kT0);
        QCOMPARE(only(sim).phase, ContainerPhase::Waiting);
        QCOMPARE(runner.reasons(), std::vector<std::string>{"Pulling"});
        QCOMPARE(*sim.nextTransition(), kT0 + milliseconds(500));

        runner.run(sim, kT0 + milliseconds(500));
        QCOMPARE(only(sim).phase, ContainerPhase::Running);
        QVERIFY(!only(sim).ready);
        QCOMPARE(only(sim).image, std::string("docker.io/library/nginx:1.25"));
        QVERIFY(only(sim).containerId.rfind("sim://", 0) == 0);
        QVERIFY(only(sim).imageId.rfind("docker.io/library/nginx@sha256:", 0) == 0);
        QCOMPARE(runner.reasons(),
                 (std::vector<std::string>{"Pulling", "Pulled", "Created", "Started"}));
        QCOMPARE(runner.events[1].message,
                 std::string("Successfully pulled image \"nginx:1.25\" in 500ms (500ms including "
                             "waiting). Image size: ") +
                     runner.events[1].message.substr(runner.events[1].message.find("size: ") + 6));
        QCOMPARE(runner.events[2].message, std::string("Created container: c"));
        QCOMPARE(runner.events[2].fieldPath, std::string("spec.containers{c}"));

        runner.run(sim, kT0 + milliseconds(1500));
        QVERIFY(only(sim).ready);
        QVERIFY(!sim.nextTransition());  // runs forever
        QVERIFY(!sim.terminal());

        // A second pod on the same node finds the image present.
        SimPod second(pod("Always"), config(), kT0);
        Runner again;
        again.images = runner.images;
        again.run(second, kT0 + milliseconds(500));
        QCOMPARE(again.reasons(), (std::vector<std::string>{"Pulled", "Created", "Started"}));
        QCOMPARE(again.events[0].message,
                 std::string("Container image \"nginx:1.25\" already present on machine"));
    }

    void jobPodsCompleteAfterTheRunDuration() {
        SimPod sim(pod("Never"), config(), kT0);
        Runner runner;
        runner.run(sim, kT0 + milliseconds(2499));
        QCOMPARE(only(sim).phase, ContainerPhase::Running);
        runner.run(sim, kT0 + milliseconds(2500));
        QCOMPARE(only(sim).phase, ContainerPhase::Terminated);
        QCOMPARE(only(sim).reason, std::string("Completed"));
        QCOMPARE(only(sim).exitCode, 0);
        QVERIFY(sim.terminal());
        QVERIFY(!sim.nextTransition());
        QCOMPARE(agent::podPhase(pod("Never"), sim.runtime()), std::string("Succeeded"));

        // exit-code and run-duration annotations: Failed after 5 s.
        SimPod failing(
            pod("Never", "busybox",
                {{"sim.slipway.dev/exit-code", "3"}, {"sim.slipway.dev/run-duration", "5s"}}),
            config(), kT0);
        runner.run(failing, kT0 + milliseconds(5499));
        QCOMPARE(only(failing).phase, ContainerPhase::Running);
        runner.run(failing, kT0 + milliseconds(5500));
        QCOMPARE(only(failing).reason, std::string("Error"));
        QCOMPARE(only(failing).exitCode, 3);
        QCOMPARE(agent::podPhase(pod("Never"), failing.runtime()), std::string("Failed"));
    }

    void crashingContainersBackOff() {
        SimPod sim(pod("Always", "busybox", {{"sim.slipway.dev/exit-code", "1"}}), config(), kT0);
        Runner runner;
        // Started at 0.5 s, exits at 2.5 s, restarted at once (restartCount 1), exits at 4.5 s,
        // then CrashLoopBackOff for 10 s.
        runner.run(sim, kT0 + milliseconds(2500));
        QCOMPARE(only(sim).phase, ContainerPhase::Running);
        QCOMPARE(only(sim).restartCount, 1);
        QVERIFY(only(sim).lastTermination);
        QCOMPARE(only(sim).lastTermination->reason, std::string("Error"));
        runner.run(sim, kT0 + milliseconds(4500));
        QCOMPARE(only(sim).reason, std::string("CrashLoopBackOff"));
        QCOMPARE(only(sim).message,
                 std::string("back-off 10s restarting failed container=c pod=p_default(u1)"));
        QCOMPARE(runner.reasons().back(), std::string("BackOff"));
        QCOMPARE(runner.events.back().message,
                 std::string("Back-off restarting failed container c in pod p_default(u1)"));
        QCOMPARE(agent::podPhase(pod("Always"), sim.runtime()), std::string("Running"));
        QCOMPARE(*sim.nextTransition(), kT0 + milliseconds(14'500));
        // Restarted after 10 s (count 2), exits 2 s later, backs off 20 s.
        runner.run(sim, kT0 + milliseconds(14'500));
        QCOMPARE(only(sim).restartCount, 2);
        runner.run(sim, kT0 + milliseconds(16'500));
        QCOMPARE(*sim.nextTransition(), kT0 + milliseconds(36'500));
        // Far ahead (a stopped node resuming): catches up, the back-off capped at 5 min.
        runner.run(sim, kT0 + std::chrono::hours(2));
        QVERIFY(only(sim).restartCount > 10);
        QVERIFY(*sim.nextTransition() - (kT0 + std::chrono::hours(2)) <= milliseconds(300'000));
    }

    void unpullableImagesBackOff() {
        SimPod sim(pod("Always", "nginx:doesnotexist"), config(), kT0);
        Runner runner;
        runner.run(sim, kT0 + milliseconds(500));
        QCOMPARE(only(sim).reason, std::string("ErrImagePull"));
        QVERIFY(only(sim).message.find("not found") != std::string::npos);
        QCOMPARE(runner.reasons(), (std::vector<std::string>{"Pulling", "Failed", "Failed"}));
        QCOMPARE(runner.events[2].message, std::string("Error: ErrImagePull"));
        runner.run(sim, kT0 + milliseconds(1500));
        QCOMPARE(only(sim).reason, std::string("ImagePullBackOff"));
        QCOMPARE(only(sim).message, std::string("Back-off pulling image \"nginx:doesnotexist\""));
        QCOMPARE(agent::podPhase(pod("Always"), sim.runtime()), std::string("Pending"));
        // Pulled again after the back-off (10 s from the failure), and fails again.
        runner.run(sim, kT0 + milliseconds(10'499));
        QCOMPARE(only(sim).reason, std::string("ImagePullBackOff"));
        runner.run(sim, kT0 + milliseconds(11'000));
        QCOMPARE(only(sim).reason, std::string("ErrImagePull"));
        QVERIFY(agent::sim::isUnpullableImage("registry.example/INVALID/app:1"));
        QVERIFY(!agent::sim::isUnpullableImage("nginx:1.25"));
    }

    void readinessAnnotationsAndProbes() {
        SimPod never(pod("Always", "nginx", {{"sim.slipway.dev/ready", "false"}}), config(), kT0);
        Runner runner;
        runner.run(never, kT0 + std::chrono::seconds(60));
        QCOMPARE(only(never).phase, ContainerPhase::Running);
        QVERIFY(!only(never).ready);

        SimPod late(pod("Always", "nginx", {{"sim.slipway.dev/ready-after", "3s"}}), config(), kT0);
        runner.run(late, kT0 + milliseconds(3499));
        QVERIFY(!only(late).ready);
        runner.run(late, kT0 + milliseconds(3500));
        QVERIFY(only(late).ready);

        json probed = pod("Always");
        probed["spec"]["containers"][0]["readinessProbe"] = {
            {"httpGet", {{"path", "/"}, {"port", 80}}}, {"initialDelaySeconds", 5}};
        SimPod withProbe(probed, config(), kT0);
        runner.run(withProbe, kT0 + milliseconds(5499));
        QVERIFY(!only(withProbe).ready);
        runner.run(withProbe, kT0 + milliseconds(5500));
        QVERIFY(only(withProbe).ready);
    }

    void initContainersRunFirst() {
        json p = pod("Always");
        p["spec"]["initContainers"] = json::array(
            {{{"name", "init"}, {"image", "busybox"}, {"imagePullPolicy", "IfNotPresent"}}});
        SimPod sim(p, config(), kT0);
        Runner runner;
        runner.run(sim, kT0);
        auto runtime = sim.runtime();
        QCOMPARE(runtime.containers[0].reason, std::string("PodInitializing"));
        QCOMPARE(runtime.initContainers[0].reason, std::string("ContainerCreating"));
        runner.run(sim, kT0 + milliseconds(500));
        runtime = sim.runtime();
        QCOMPARE(runtime.initContainers[0].phase, ContainerPhase::Terminated);
        QCOMPARE(runtime.initContainers[0].reason, std::string("Completed"));
        QCOMPARE(runtime.containers[0].reason, std::string("ContainerCreating"));
        runner.run(sim, kT0 + milliseconds(1000));
        QCOMPARE(sim.runtime().containers[0].phase, ContainerPhase::Running);
        QCOMPARE(agent::podPhase(p, sim.runtime()), std::string("Running"));
    }

    void adoptsWhatRanBefore() {
        json p = pod("Always");
        p["status"] = {
            {"podIP", "10.244.1.7"},
            {"containerStatuses",
             json::array({{{"name", "c"},
                           {"ready", true},
                           {"restartCount", 2},
                           {"containerID", "sim://abc"},
                           {"state", {{"running", {{"startedAt", "2027-01-15T08:00:00Z"}}}}}}})}};
        SimPod sim = SimPod::adopt(p, config(), kT0);
        QCOMPARE(only(sim).phase, ContainerPhase::Running);
        QCOMPARE(only(sim).restartCount, 2);
        QVERIFY(only(sim).ready);
        QCOMPARE(only(sim).containerId, std::string("sim://abc"));
    }

    void parsesGoDurations() {
        QCOMPARE(agent::sim::parseGoDuration("5s").value(), milliseconds(5000));
        QCOMPARE(agent::sim::parseGoDuration("1m30s").value(), milliseconds(90'000));
        QCOMPARE(agent::sim::parseGoDuration("250ms").value(), milliseconds(250));
        QCOMPARE(agent::sim::parseGoDuration("1.5s").value(), milliseconds(1500));
        QVERIFY(!agent::sim::parseGoDuration("5"));
        QVERIFY(!agent::sim::parseGoDuration("soon"));
        QCOMPARE(agent::sim::normalizedImage("nginx"),
                 std::string("docker.io/library/nginx:latest"));
        QCOMPARE(agent::sim::normalizedImage("foo/bar:1"), std::string("docker.io/foo/bar:1"));
        QCOMPARE(agent::sim::normalizedImage("registry.k8s.io/pause:3.9"),
                 std::string("registry.k8s.io/pause:3.9"));
    }
};

QTEST_GUILESS_MAIN(TstSimPod)
#include "tst_sim_pod.moc"
