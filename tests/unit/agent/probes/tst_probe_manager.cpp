// SPDX-License-Identifier: Apache-2.0
// Probe workers: every timing field, thresholds, startup gating and restarts, checked by
// waiting for conditions on real probe runs (exec through a callback, HTTP to a loopback server).
#include <atomic>
#include <mutex>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/agent/probes/probe_manager.h"

#include "tests/unit/agent/probes/test_servers.h"

using namespace slipway;
using agent::probes::ContainerProbeSpec;
using agent::probes::ExecRequest;
using agent::probes::ExecResponse;
using agent::probes::ProbeManager;
using agent::probes::Prober;
using agent::probes::ProbeReport;
using agent::probes::ProbeResult;
using agent::probes::ProbeType;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

/// Collects reports and counts exec runs per command word; the exit codes are set by the test.
/// The words are fixed up front (the maps are not written while probes run).
struct Recorder {
    Recorder() {
        for (const char* word : {"ready", "alive", "boot"}) {
            exitCodes[word] = 0;
            runs[word] = 0;
        }
    }

    std::mutex mutex;
    std::vector<ProbeReport> reports;
    std::vector<Clock::time_point> times;
    std::map<std::string, std::atomic<int>> exitCodes;
    std::map<std::string, std::atomic<int>> runs;

    void operator()(const ProbeReport& report) {
        std::lock_guard lock(mutex);
        reports.push_back(report);
        times.push_back(Clock::now());
    }
    std::vector<ProbeReport> of(ProbeType type) {
        std::lock_guard lock(mutex);
        std::vector<ProbeReport> out;
        for (const auto& r : reports) {
            if (r.type == type) {
                out.push_back(r);
            }
        }
        return out;
    }
    std::vector<Clock::time_point> timesOf(ProbeType type) {
        std::lock_guard lock(mutex);
        std::vector<Clock::time_point> out;
        for (std::size_t i = 0; i < reports.size(); ++i) {
            if (reports[i].type == type) {
                out.push_back(times[i]);
            }
        }
        return out;
    }
    agent::probes::ExecCallback exec() {
        return [this](const ExecRequest& request) -> core::Result<ExecResponse> {
            const std::string& word = request.command.at(0);
            ++runs.at(word);
            ExecResponse response;
            response.exitCode = exitCodes.at(word).load();
            response.output = response.exitCode == 0 ? "" : word + " says no";
            return response;
        };
    }
};

json execProbe(const std::string& word, json fields) {
    fields["exec"] = {{"command", json::array({word})}};
    return fields;
}

ContainerProbeSpec spec(Recorder& recorder, json container) {
    ContainerProbeSpec s;
    s.podUid = "uid-1";
    s.container = std::move(container);
    s.target.podIp = "127.0.0.1";
    s.target.exec = recorder.exec();
    return s;
}

}  // namespace

class TstProbeManager : public QObject {
    Q_OBJECT

private slots:
    void readinessThresholdsAndInitialDelay();
    void periodAndTimeoutOverHttp();
    void livenessFailureRestartsAndHolds();
    void startupGatesLivenessAndReadiness();
    void terminatingPodStopsLiveness();
    void containersWithoutProbes();
};

void TstProbeManager::readinessThresholdsAndInitialDelay() {
    Recorder recorder;
    recorder.exitCodes.at("ready") = 0;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    manager.addContainer(
        spec(recorder, {{"name", "web"},
                        {"readinessProbe", execProbe("ready", {{"initialDelaySeconds", 2},
                                                               {"periodSeconds", 1},
                                                               {"successThreshold", 2},
                                                               {"failureThreshold", 2}})}}));
    QCOMPARE(manager.ready("uid-1", "web"), std::optional<bool>(false));  // not running yet
    const auto startedAt = Clock::now();
    manager.containerStarted("uid-1", "web", "c1", std::chrono::system_clock::now());

    // Two successes are needed: not ready after the first.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.of(ProbeType::Readiness).size() >= 2, 8000);
    auto reports = recorder.of(ProbeType::Readiness);
    const auto first = recorder.timesOf(ProbeType::Readiness).front();
    // initialDelaySeconds 2: no run before.
    QVERIFY2(
        first - startedAt >= std::chrono::milliseconds(1900),
        qPrintable(QString::number(
            std::chrono::duration_cast<std::chrono::milliseconds>(first - startedAt).count())));
    QCOMPARE(reports[0].result, ProbeResult::Success);
    QVERIFY(!reports[0].state);
    QVERIFY(!reports[0].changed);
    QVERIFY(reports[1].state);
    QVERIFY(reports[1].changed);
    QCOMPARE(manager.ready("uid-1", "web"), std::optional<bool>(true));

    // Failing now: still ready after one failure, unready after the second.
    recorder.exitCodes.at("ready") = 1;
    QTRY_VERIFY_WITH_TIMEOUT(manager.ready("uid-1", "web") == std::optional<bool>(false), 8000);
    reports = recorder.of(ProbeType::Readiness);
    const auto& last = reports.back();
    const auto& previous = reports[reports.size() - 2];
    QCOMPARE(previous.result, ProbeResult::Failure);
    QVERIFY(previous.state);
    QCOMPARE(last.result, ProbeResult::Failure);
    QVERIFY(!last.state);
    QVERIFY(last.changed);
    QVERIFY(!last.restart);
    QCOMPARE(last.eventReason(), std::string("Unhealthy"));
    QCOMPARE(last.eventMessage(), std::string("Readiness probe failed: ready says no"));
    QVERIFY(last.killMessage().empty());
}

void TstProbeManager::periodAndTimeoutOverHttp() {
    std::atomic<bool> slow{false};
    testing::TestHttpServer server([&](const std::string&) {
        return testing::CannedResponse{200, {}, "fine", slow.load()};
    });
    Recorder recorder;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    json container = {{"name", "web"},
                      {"livenessProbe",
                       {{"httpGet", {{"path", "/healthz"}, {"port", server.port()}}},
                        {"periodSeconds", 2},
                        {"timeoutSeconds", 1},
                        {"failureThreshold", 5},
                        {"terminationGracePeriodSeconds", 7}}}};
    manager.addContainer(spec(recorder, container));
    manager.containerStarted("uid-1", "web", "c1", std::chrono::system_clock::now());
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 3, 10000);
    // periodSeconds 2 between runs (timer jitter allowed below, none above a period and a half).
    const auto times = server.requestTimes();
    for (std::size_t i = 1; i < times.size(); ++i) {
        const auto gap =
            std::chrono::duration_cast<std::chrono::milliseconds>(times[i] - times[i - 1]);
        QVERIFY2(gap.count() >= 1900 && gap.count() < 3000,
                 qPrintable(QString::number(gap.count())));
    }
    auto reports = recorder.of(ProbeType::Liveness);
    QCOMPARE(reports.front().result, ProbeResult::Success);
    QCOMPARE(reports.front().output, std::string("fine"));
    QCOMPARE(reports.front().terminationGracePeriodSeconds, std::optional<std::int64_t>(7));

    // timeoutSeconds 1: a hanging server fails the run after a second.
    slow = true;
    const auto count = recorder.of(ProbeType::Liveness).size();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.of(ProbeType::Liveness).size() > count, 6000);
    reports = recorder.of(ProbeType::Liveness);
    QCOMPARE(reports.back().result, ProbeResult::Failure);
    QCOMPARE(reports.back().output,
             "Get \"http://127.0.0.1:" + std::to_string(server.port()) +
                 "/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting "
                 "headers)");
    QVERIFY(reports.back().state);  // 1 of 5 failures
    QCOMPARE(reports.back().eventMessage(), "Liveness probe failed: " + reports.back().output);
}

void TstProbeManager::livenessFailureRestartsAndHolds() {
    Recorder recorder;
    recorder.exitCodes.at("alive") = 1;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    manager.addContainer(spec(
        recorder, {{"name", "web"},
                   {"livenessProbe", execProbe("alive", {{"periodSeconds", 1},
                                                         {"failureThreshold", 2},
                                                         {"terminationGracePeriodSeconds", 3}})},
                   {"readinessProbe", execProbe("ready", {{"periodSeconds", 1}})}}));
    manager.containerStarted("uid-1", "web", "c1", std::chrono::system_clock::now());
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.of(ProbeType::Liveness).empty() &&
                                 recorder.of(ProbeType::Liveness).back().restart,
                             6000);
    auto reports = recorder.of(ProbeType::Liveness);
    QCOMPARE(reports.size(), std::size_t(2));  // failureThreshold 2
    QVERIFY(reports[0].state);
    QVERIFY(!reports[0].restart);
    const auto& killed = reports[1];
    QVERIFY(!killed.state);
    QCOMPARE(killed.containerId, std::string("c1"));
    QCOMPARE(killed.killMessage(),
             std::string("Container web failed liveness probe, will be restarted"));
    QCOMPARE(killed.eventMessage(), std::string("Liveness probe failed: alive says no"));
    QCOMPARE(killed.terminationGracePeriodSeconds, std::optional<std::int64_t>(3));

    // On hold: while readiness runs twice more (two periods), liveness does not run.
    const int runsAtRestart = recorder.runs.at("alive").load();
    const int readyRuns = recorder.runs.at("ready").load();
    recorder.exitCodes.at("alive") = 0;
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("ready").load() >= readyRuns + 2, 5000);
    QCOMPARE(recorder.runs.at("alive").load(), runsAtRestart);
    // The pod worker kills and restarts it: a new instance ends the hold.
    manager.containerStopped("uid-1", "web");
    QCOMPARE(manager.ready("uid-1", "web"), std::optional<bool>(false));
    manager.containerStarted("uid-1", "web", "c2", std::chrono::system_clock::now());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.of(ProbeType::Liveness).size() >= 3, 5000);
    reports = recorder.of(ProbeType::Liveness);
    QCOMPARE(reports.back().containerId, std::string("c2"));
    QCOMPARE(reports.back().result, ProbeResult::Success);
    QVERIFY(reports.back().state);
}

void TstProbeManager::startupGatesLivenessAndReadiness() {
    Recorder recorder;
    recorder.exitCodes.at("boot") = 1;
    recorder.exitCodes.at("alive") = 0;
    recorder.exitCodes.at("ready") = 0;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    manager.addContainer(
        spec(recorder,
             {{"name", "web"},
              {"startupProbe", execProbe("boot", {{"periodSeconds", 1}, {"failureThreshold", 30}})},
              {"livenessProbe", execProbe("alive", {{"periodSeconds", 1}})},
              {"readinessProbe", execProbe("ready", {{"periodSeconds", 1}})}}));
    manager.containerStarted("uid-1", "web", "c1", std::chrono::system_clock::now());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("boot").load() >= 2, 5000);
    QCOMPARE(manager.started("uid-1", "web"), std::optional<bool>(false));
    QCOMPARE(manager.ready("uid-1", "web"), std::optional<bool>(false));
    QCOMPARE(recorder.runs.at("alive").load(), 0);
    QCOMPARE(recorder.runs.at("ready").load(), 0);
    QCOMPARE(recorder.of(ProbeType::Startup).back().eventMessage(),
             std::string("Startup probe failed: boot says no"));

    recorder.exitCodes.at("boot") = 0;
    QTRY_COMPARE_WITH_TIMEOUT(manager.started("uid-1", "web"), std::optional<bool>(true), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(manager.ready("uid-1", "web"), std::optional<bool>(true), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("alive").load() >= 1, 5000);
    // The startup probe is done once it succeeded.
    const int bootRuns = recorder.runs.at("boot").load();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("ready").load() >= 3, 5000);
    QCOMPARE(recorder.runs.at("boot").load(), bootRuns);
}

void TstProbeManager::terminatingPodStopsLiveness() {
    Recorder recorder;
    recorder.exitCodes.at("alive") = 0;
    recorder.exitCodes.at("ready") = 0;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    manager.addContainer(
        spec(recorder, {{"name", "web"},
                        {"livenessProbe", execProbe("alive", {{"periodSeconds", 1}})},
                        {"readinessProbe", execProbe("ready", {{"periodSeconds", 1}})}}));
    manager.containerStarted("uid-1", "web", "c1", std::chrono::system_clock::now());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("alive").load() >= 1, 5000);
    manager.podTerminating("uid-1");
    const int aliveRuns = recorder.runs.at("alive").load();
    const int readyRuns = recorder.runs.at("ready").load();
    // Readiness goes on (two more runs), liveness does not.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.runs.at("ready").load() >= readyRuns + 2, 5000);
    QCOMPARE(recorder.runs.at("alive").load(), aliveRuns);
    manager.removePod("uid-1");
    QCOMPARE(manager.ready("uid-1", "web"), std::optional<bool>());
}

void TstProbeManager::containersWithoutProbes() {
    Recorder recorder;
    Prober prober;
    ProbeManager manager(prober, std::ref(recorder));
    manager.addContainer(spec(recorder, {{"name", "plain"}}));
    QCOMPARE(manager.ready("uid-1", "plain"), std::optional<bool>(false));
    manager.containerStarted("uid-1", "plain", "c1", std::chrono::system_clock::now());
    QCOMPARE(manager.ready("uid-1", "plain"), std::optional<bool>(true));
    QCOMPARE(manager.started("uid-1", "plain"), std::optional<bool>(true));
    manager.containerStopped("uid-1", "plain");
    QCOMPARE(manager.ready("uid-1", "plain"), std::optional<bool>(false));
    QCOMPARE(manager.runs(), std::uint64_t(0));
}

QTEST_GUILESS_MAIN(TstProbeManager)
#include "tst_probe_manager.moc"
