// SPDX-License-Identifier: Apache-2.0
// kube's replica calculator: utilization and average-value targets, the tolerance, and pods
// that are unready, pending or without metrics.
#include <QtTest>

#include "engine/controllers/podautoscaler/replica_calculator.h"
#include "engine/core/timestamp.h"

using namespace slipway;
using namespace slipway::controllers::podautoscaler;
using nlohmann::json;

namespace {

const auto kNow = std::chrono::system_clock::now();

/// A pod with one container "web" requesting `cpu`, started and ready an hour ago.
json pod(const std::string& name, const std::string& phase = "Running",
         const std::string& cpu = "1", bool ready = true) {
    const std::string anHourAgo = core::formatTimestamp(kNow - std::chrono::hours(1));
    json container = {{"name", "web"}, {"image", "nginx"}};
    if (!cpu.empty()) {
        container["resources"] = {{"requests", {{"cpu", cpu}, {"memory", "100Mi"}}}};
    }
    return {{"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"containers", json::array({container})}}},
            {"status",
             {{"phase", phase},
              {"startTime", anHourAgo},
              {"conditions", json::array({{{"type", "Ready"},
                                           {"status", ready ? "True" : "False"},
                                           {"lastTransitionTime", anHourAgo}}})}}}};
}

PodMetricsInfo metricsOf(std::initializer_list<std::pair<const char*, std::int64_t>> values) {
    PodMetricsInfo info;
    for (const auto& [name, milli] : values) {
        info[name] = PodMetric{milli, kNow, std::chrono::seconds(10)};
    }
    return info;
}

}  // namespace

class TstReplicaCalculator : public QObject {
    Q_OBJECT

private slots:
    void scalesUpByTheUsageRatio() {
        // 3 pods requesting 1 core use 0.8, 0.9 and 1.0: 90% against a 50% target is a ratio
        // of 1.8, so ceil(3 × 1.8) = 6.
        const ReplicaCalculator calculator;
        const auto result =
            calculator.resourceReplicas(3, 50, "cpu", "", {pod("a"), pod("b"), pod("c")},
                                        metricsOf({{"a", 800}, {"b", 900}, {"c", 1000}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 6);
        QCOMPARE(result->utilization, 90);
        QCOMPARE(result->rawUtilization, std::int64_t{900});
    }

    void staysWithinTheTolerance() {
        // 52% against 50%: a ratio of 1.04, within 0.1 of 1.
        const ReplicaCalculator calculator;
        const auto result =
            calculator.resourceReplicas(3, 50, "cpu", "", {pod("a"), pod("b"), pod("c")},
                                        metricsOf({{"a", 520}, {"b", 520}, {"c", 520}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 3);
        QCOMPARE(result->utilization, 52);
    }

    void scalesDown() {
        // 5 pods at 10% against 50%: ceil(5 × 0.2) = 1.
        const ReplicaCalculator calculator;
        const auto result = calculator.resourceReplicas(
            5, 50, "cpu", "", {pod("a"), pod("b"), pod("c"), pod("d"), pod("e")},
            metricsOf({{"a", 100}, {"b", 100}, {"c", 100}, {"d", 100}, {"e", 100}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 1);
    }

    void missingPodsHoldAScaleDownBack() {
        // 3 pods at 10%, one without metrics counted at 100% of its request: (300 + 1000) /
        // 4000 = 32%, a ratio of 0.64, so ceil(4 × 0.64) = 3 instead of 1.
        const ReplicaCalculator calculator;
        const auto result =
            calculator.resourceReplicas(4, 50, "cpu", "", {pod("a"), pod("b"), pod("c"), pod("d")},
                                        metricsOf({{"a", 100}, {"b", 100}, {"c", 100}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 3);
        QCOMPARE(result->utilization, 10);  // reported over the pods with metrics
    }

    void unreadyPodsHoldAScaleUpBack() {
        // One ready pod at 100% of a 50% target (ratio 2) and one not yet ready, busy
        // starting up: the unready one counts as idle, 1000 / 2000 = 50%, a ratio of 1: no
        // change, where counting its start-up cpu would have doubled the target.
        const ReplicaCalculator calculator;
        const auto unready = calculator.resourceReplicas(
            2, 50, "cpu", "", {pod("a"), pod("b", "Running", "1", false)},
            metricsOf({{"a", 1000}, {"b", 1000}}), kNow);
        QVERIFY(unready.ok());
        QCOMPARE(unready->replicas, 2);
        QCOMPARE(unready->utilization, 100);

        // Pending pods count as unready: 2 ready at 100% and one Pending at 0 is 66%, a
        // ratio of 1.32: ceil(3 × 1.32) = 4.
        const auto pending =
            calculator.resourceReplicas(3, 50, "cpu", "", {pod("a"), pod("b"), pod("c", "Pending")},
                                        metricsOf({{"a", 1000}, {"b", 1000}}), kNow);
        QVERIFY(pending.ok());
        QCOMPARE(pending->replicas, 4);

        // 1 ready pod at 60% (ratio 1.2) and 3 unready at 0: 600 / 4000 = 15%: the direction
        // flips, so nothing changes.
        const auto flips = calculator.resourceReplicas(
            4, 50, "cpu", "",
            {pod("a"), pod("b", "Running", "1", false), pod("c", "Running", "1", false),
             pod("d", "Running", "1", false)},
            metricsOf({{"a", 600}, {"b", 900}, {"c", 900}, {"d", 900}}), kNow);
        QVERIFY(flips.ok());
        QCOMPARE(flips->replicas, 4);
    }

    void failedAndDeletedPodsAreIgnored() {
        json deleted = pod("d");
        deleted["metadata"]["deletionTimestamp"] = core::formatTimestamp(kNow);
        const ReplicaCalculator calculator;
        const auto result = calculator.resourceReplicas(
            2, 50, "cpu", "", {pod("a"), pod("b"), pod("c", "Failed"), deleted},
            metricsOf({{"a", 250}, {"b", 250}, {"c", 1000}, {"d", 1000}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 1);  // 25%: ceil(2 × 0.5)
    }

    void errorsAsKube() {
        const ReplicaCalculator calculator;
        const auto noRequest = calculator.resourceReplicas(
            1, 50, "cpu", "", {pod("a", "Running", "")}, metricsOf({{"a", 100}}), kNow);
        QVERIFY(!noRequest.ok());
        QCOMPARE(noRequest.error().message(),
                 std::string("missing request for cpu in container web of Pod a"));

        const auto noMetrics =
            calculator.resourceReplicas(1, 50, "cpu", "", {pod("a", "Pending")}, {}, kNow);
        QVERIFY(!noMetrics.ok());
        QCOMPARE(noMetrics.error().message(),
                 std::string("did not receive metrics for targeted pods (pods might be unready)"));

        const auto noPods = calculator.resourceReplicas(1, 50, "cpu", "", {}, {}, kNow);
        QVERIFY(!noPods.ok());
        QCOMPARE(noPods.error().message(),
                 std::string("no pods returned by selector while calculating replica count"));
    }

    void averageValueTargets() {
        // 4 pods averaging 200m against 100m: ceil(4 × 2) = 8.
        const ReplicaCalculator calculator;
        const auto result = calculator.rawResourceReplicas(
            4, 100, "cpu", "", {pod("a"), pod("b"), pod("c"), pod("d")},
            metricsOf({{"a", 200}, {"b", 200}, {"c", 200}, {"d", 200}}), kNow);
        QVERIFY(result.ok());
        QCOMPARE(result->replicas, 8);
        QCOMPARE(result->usage, std::int64_t{200});

        // Memory needs no readiness: 2 pods at 96Mi against 64Mi → ceil(2 × 1.5) = 3.
        const std::int64_t mi = std::int64_t{1024} * 1024 * 1000;  // milli-bytes
        const auto memory = calculator.rawResourceReplicas(
            2, 64 * mi, "memory", "", {pod("a", "Running", "1", false), pod("b")},
            metricsOf({{"a", 96 * mi}, {"b", 96 * mi}}), kNow);
        QVERIFY(memory.ok());
        QCOMPARE(memory->replicas, 3);
    }

    void readsPodMetricsLists() {
        const json list = {
            {"items",
             json::array(
                 {{{"metadata", {{"name", "a"}}},
                   {"timestamp", "2024-05-01T10:00:00Z"},
                   {"window", "10s"},
                   {"containers",
                    json::array(
                        {{{"name", "web"}, {"usage", {{"cpu", "250m"}, {"memory", "64Mi"}}}},
                         {{"name", "side"}, {"usage", {{"cpu", "50m"}, {"memory", "8Mi"}}}}})}},
                  {{"metadata", {{"name", "b"}}},
                   {"window", "1m30s"},
                   {"containers",
                    json::array({{{"name", "web"}, {"usage", {{"memory", "1Mi"}}}}})}}})}};
        const auto cpu = podMetricsFromList(list, "cpu");
        QCOMPARE(cpu.size(), std::size_t{1});  // b has no cpu
        QCOMPARE(cpu.at("a").value, std::int64_t{300});
        QCOMPARE(cpu.at("a").window, std::chrono::milliseconds(10000));
        const auto web = podMetricsFromList(list, "cpu", "web");
        QCOMPARE(web.at("a").value, std::int64_t{250});
        const auto memory = podMetricsFromList(list, "memory");
        QCOMPARE(memory.at("b").value, std::int64_t{1024} * 1024 * 1000);
        QCOMPARE(memory.at("b").window, std::chrono::milliseconds(90000));
        QCOMPARE(parseGoDuration("1.5s"), std::chrono::milliseconds(1500));
        QCOMPARE(parseGoDuration("250ms"), std::chrono::milliseconds(250));
    }
};

QTEST_GUILESS_MAIN(TstReplicaCalculator)
#include "tst_replica_calculator.moc"
