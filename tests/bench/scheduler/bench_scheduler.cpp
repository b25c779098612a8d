// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: scheduling decisions per second in-process, the scheduling
// cycle without the API: 1,000 nodes in a SchedulerCache, pods popped from the
// SchedulingQueue, filtered and scored by the Framework (kube's default profile, adaptive
// percentageOfNodesToScore: 420 of 1,000 nodes) and assumed on the chosen node. Prints figures;
// asserts only that every pod was placed.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <QtTest>

#include "engine/scheduler/framework.h"
#include "engine/scheduler/scheduler_cache.h"
#include "engine/scheduler/scheduling_queue.h"

#include "../../unit/scheduler/scheduler_test_objects.h"

using namespace slipway;
using namespace slipway::scheduler;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kNodes = 1000;
constexpr int kPods = 20000;

/// 1,000 nodes of 16 cores and 64Gi across 3 zones; every tenth carries a PreferNoSchedule
/// taint and every hundredth a NoSchedule one, so the taint plugins have work.
void addNodes(SchedulerCache& cache) {
    for (int i = 0; i < kNodes; ++i) {
        json taints = json::array();
        if (i % 100 == 99) {
            taints.push_back({{"key", "dedicated"}, {"value", "infra"}, {"effect", "NoSchedule"}});
        } else if (i % 10 == 9) {
            taints.push_back({{"key", "spot"}, {"effect", "PreferNoSchedule"}});
        }
        cache.addNode(NodeSpec::fromJson(testing::schedulerNode(
            "node-" + std::to_string(i), "16", "64Gi", 110,
            {{"topology.kubernetes.io/zone", "zone-" + std::to_string(i % 3)}}, taints)));
    }
}

struct Figures {
    double seconds = 0;     ///< wall clock
    double cpuSeconds = 0;  ///< this thread's CPU time: the figure on a machine shared with others
    int placed = 0;
};

double threadCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

/// Pops every pod, schedules and assumes it; returns the time of the loop only (pods were
/// parsed when they were queued, as the informer parses them).
Figures run(const std::vector<PodInfoPtr>& pods) {
    SchedulerCache cache;
    addNodes(cache);
    SchedulingQueue queue;
    for (const auto& pod : pods) {
        queue.add(pod);
    }
    Framework framework;
    Figures figures;
    const auto start = Clock::now();
    const double cpuStart = threadCpuSeconds();
    while (auto queued = queue.pop(std::chrono::milliseconds(0))) {
        ScheduleResult result;
        {
            const auto lock = cache.lock();
            result = framework.schedule(*queued->pod,
                                        ClusterView{cache.nodes(), cache.podsWithAffinity(),
                                                    cache.podsWithRequiredAntiAffinity()});
        }
        if (result.scheduled()) {
            cache.assumePod(queued->pod, result.node);
            queue.done(queued->pod->key);
            ++figures.placed;
        }
    }
    figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    figures.cpuSeconds = threadCpuSeconds() - cpuStart;
    return figures;
}

}  // namespace

class BenchScheduler : public QObject {
    Q_OBJECT

    void report(const char* label, const std::vector<PodInfoPtr>& pods) {
        const Figures figures = run(pods);
        QCOMPARE(figures.placed, static_cast<int>(pods.size()));
        std::printf(
            "%-50s %5d pods, %d nodes: %7.0f decisions/s wall, %7.0f per CPU-second "
            "(%.1f us CPU each)\n",
            label, figures.placed, kNodes, figures.placed / figures.seconds,
            figures.placed / figures.cpuSeconds, figures.cpuSeconds * 1e6 / figures.placed);
    }

private slots:
    void plainPods() {
        // A Deployment's pods: requests only.
        std::vector<PodInfoPtr> pods;
        for (int i = 0; i < kPods; ++i) {
            pods.push_back(PodInfo::fromJson(testing::schedulerPod(
                "web-" + std::to_string(i), "100m", "128Mi", {{"app", "web"}})));
        }
        report("requests only", pods);
    }

    void nodeAffinityAndTolerations() {
        std::vector<PodInfoPtr> pods;
        for (int i = 0; i < kPods; ++i) {
            json pod = testing::schedulerPod("api-" + std::to_string(i), "100m", "128Mi",
                                             {{"app", "api"}});
            pod["spec"]["tolerations"] = json::array(
                {{{"key", "spot"}, {"operator", "Exists"}, {"effect", "PreferNoSchedule"}}});
            pod["spec"]["affinity"] = {
                {"nodeAffinity",
                 {{"requiredDuringSchedulingIgnoredDuringExecution",
                   {{"nodeSelectorTerms",
                     json::array({{{"matchExpressions",
                                    json::array({{{"key", "topology.kubernetes.io/zone"},
                                                  {"operator", "In"},
                                                  {"values", {"zone-0", "zone-1"}}}})}}})}}},
                  {"preferredDuringSchedulingIgnoredDuringExecution",
                   json::array({{{"weight", 10},
                                 {"preference",
                                  {{"matchExpressions",
                                    json::array({{{"key", "topology.kubernetes.io/zone"},
                                                  {"operator", "In"},
                                                  {"values", {"zone-0"}}}})}}}}})}}}};
            pods.push_back(PodInfo::fromJson(pod));
        }
        report("required + preferred node affinity, tolerations", pods);
    }

    void topologySpread() {
        // Spread counts every matching pod in the cluster per decision (as kube's PreFilter
        // does): the cost grows with the pods placed, so fewer pods here.
        std::vector<PodInfoPtr> pods;
        for (int i = 0; i < 5000; ++i) {
            json pod = testing::schedulerPod("spread-" + std::to_string(i), "100m", "128Mi",
                                             {{"app", "spread"}});
            pod["spec"]["topologySpreadConstraints"] =
                json::array({{{"maxSkew", 1},
                              {"topologyKey", "topology.kubernetes.io/zone"},
                              {"whenUnsatisfiable", "DoNotSchedule"},
                              {"labelSelector", {{"matchLabels", {{"app", "spread"}}}}}}});
            pods.push_back(PodInfo::fromJson(pod));
        }
        report("zone spread (DoNotSchedule), 5,000 pods", pods);
    }

    void parsing() {
        // What the informer's handler spends per pod before the queue (not in the figures above).
        const json pod = testing::schedulerPod("web", "100m", "128Mi", {{"app", "web"}});
        const auto start = Clock::now();
        constexpr int kParses = 20000;
        std::size_t total = 0;
        for (int i = 0; i < kParses; ++i) {
            total += static_cast<std::size_t>(PodInfo::fromJson(pod)->requests.milliCpu);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        QVERIFY(total > 0);
        std::printf("%-58s %8.0f pods/s\n", "PodInfo::fromJson", kParses / seconds);
    }
};

QTEST_GUILESS_MAIN(BenchScheduler)
#include "bench_scheduler.moc"
