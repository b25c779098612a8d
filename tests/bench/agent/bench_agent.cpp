// SPDX-License-Identifier: Apache-2.0
// Simulated nodes at scale, for docs/BENCHMARKS.md: a real slipwayd with --sim-nodes 1000.
// Time until every node is registered and Ready, then slipwayd's CPU use while the thousand
// nodes keep their heartbeats (Lease renewals every 10 s) and nothing else happens, and its RSS.
// Prints figures; asserts only that the nodes came up.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <QtTest>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/client/https_client.h"
#include "engine/pki/kubeconfig.h"

#include "../../integration/test_support.h"
#include "tests/support/process_stats.h"

using namespace slipway;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kNodes = 1000;

/// Nodes whose Ready condition is True.
int readyNodes(const client::RestClient& client) {
    auto answer = client.get("/api/v1/nodes");
    if (!answer || answer->status != 200) {
        return -1;
    }
    const json list = json::parse(answer->body, nullptr, false);
    int ready = 0;
    for (const auto& node : list.value("items", json::array())) {
        for (const auto& c : node.value("/status/conditions"_json_pointer, json::array())) {
            if (c.value("type", "") == "Ready" && c.value("status", "") == "True") {
                ++ready;
            }
        }
    }
    return ready;
}

}  // namespace

class BenchAgent : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;

    std::unique_ptr<client::HttpsClient> newClient(testing::SlipwaydServer& server) {
        auto kubeconfig = pki::Kubeconfig::load(server.kubeconfigPath().toStdString());
        if (!kubeconfig) {
            return nullptr;
        }
        auto config = client::ClientConfig::fromKubeconfig(*kubeconfig);
        if (!config) {
            return nullptr;
        }
        client::HttpsClientOptions options;
        options.maxIdleConnections = 8;
        return std::make_unique<client::HttpsClient>(*config, options);
    }

private slots:
    /// Pods bound to simulated nodes (spec.nodeName, as after scheduling) until Running and
    /// Ready: the agent's status writes (three per pod: ContainerCreating, Running, Ready).
    void podsRunOnSimulatedNodes_data() {
        QTest::addColumn<QString>("delay");
        // 100 ms: three status writes per pod (ContainerCreating, Running, Ready); 0: one.
        QTest::newRow("delays 100ms") << QStringLiteral("100ms");
        QTest::newRow("delays 0") << QStringLiteral("0ms");
    }

    void podsRunOnSimulatedNodes() {
        QFETCH(QString, delay);
        constexpr int kPods = 2000;
        constexpr int kPodNodes = 50;
        testing::SlipwaydServer server;
        QVERIFY(server.start(QStringList{QStringLiteral("--sim-nodes"), QStringLiteral("50"),
                                         QStringLiteral("--sim-start-delay"), delay,
                                         QStringLiteral("--sim-ready-delay"), delay}));
        auto https = newClient(server);
        QVERIFY(https != nullptr);
        const auto rest = server.client();
        QDeadlineTimer registered(60000);
        while (!registered.hasExpired() && readyNodes(rest) < kPodNodes) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        // The same creates on a node that does not exist first: the API's own rate on this
        // machine, with no agent writing.
        const auto createAll = [&](const std::string& prefix, bool simulated) {
            std::atomic<int> next{0};
            std::atomic<int> failed{0};
            std::vector<std::thread> writers;
            for (int t = 0; t < 8; ++t) {
                writers.emplace_back([&] {
                    for (int i = next++; i < kPods; i = next++) {
                        const std::string node =
                            simulated ? "sim-node-" + std::to_string(i % kPodNodes + 1) : "ghost";
                        const json pod = {
                            {"apiVersion", "v1"},
                            {"kind", "Pod"},
                            {"metadata", {{"name", prefix + std::to_string(i)}}},
                            {"spec",
                             {{"nodeName", node},
                              {"containers",
                               json::array({{{"name", "c"}, {"image", "nginx:1.25"}}})}}}};
                        if (!https->create(client::resources::pods().in("default"), pod)) {
                            ++failed;
                        }
                    }
                });
            }
            for (auto& writer : writers) {
                writer.join();
            }
            return failed.load();
        };
        const auto baselineStart = Clock::now();
        QCOMPARE(createAll("ghost-", false), 0);
        std::printf("BENCH %d pod creates (8 HTTPS writers) with no agent involved: %.2f s\n",
                    kPods, std::chrono::duration<double>(Clock::now() - baselineStart).count());
        const auto started = Clock::now();
        const int failures = createAll("p", true);
        QCOMPARE(failures, 0);
        const double created = std::chrono::duration<double>(Clock::now() - started).count();
        const auto countReady = [&] {
            client::ListOptions options;
            options.fieldSelector = "spec.nodeName!=ghost";
            auto list = https->list(client::resources::pods().in("default"), options);
            int ready = 0;
            for (const auto& pod : list ? list->items : std::vector<json>{}) {
                for (const auto& c : pod.value("/status/conditions"_json_pointer, json::array())) {
                    if (c.value("type", "") == "Ready" && c.value("status", "") == "True") {
                        ++ready;
                    }
                }
            }
            return ready;
        };
        QDeadlineTimer deadline(120000);
        int ready = 0;
        while (!deadline.hasExpired() && (ready = countReady()) < kPods) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        QCOMPARE(ready, kPods);
        std::printf(
            "BENCH %d pods bound to %d simulated nodes: created in %.2f s, all Running and "
            "Ready %.2f s after the first create (start and ready delays %s)\n",
            kPods, kPodNodes, created, seconds, qPrintable(delay));
        QCOMPARE(server.terminate(), 0);
    }

    void thousandNodes() {
        const auto started = Clock::now();
        QVERIFY(m_server.start(testing::args({"--sim-nodes", "1000"})));
        const auto client = m_server.client();
        int ready = 0;
        QDeadlineTimer deadline(120000);
        while (!deadline.hasExpired() && (ready = readyNodes(client)) < kNodes) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        QCOMPARE(ready, kNodes);
        const auto pid = m_server.process().processId();
        std::printf("BENCH register %d simulated nodes (start of slipwayd to all Ready): %.2f s\n",
                    kNodes, seconds);
        std::printf("BENCH slipwayd RSS with %d nodes: %.1f MiB\n", kNodes,
                    static_cast<double>(testing::rssKiB(pid)) / 1024.0);

        // Idle: only heartbeats. Measured over a minute, after the registration burst.
        std::this_thread::sleep_for(std::chrono::seconds(12));
        const double cpuBefore = testing::cpuSeconds(pid);
        const auto windowStart = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(60));
        const double window = std::chrono::duration<double>(Clock::now() - windowStart).count();
        const double cpu = testing::cpuSeconds(pid) - cpuBefore;
        std::printf(
            "BENCH slipwayd CPU while %d nodes keep their heartbeats: %.1f%% of one core "
            "(%.2f s CPU in %.0f s)\n",
            kNodes, 100.0 * cpu / window, cpu, window);
        std::printf("BENCH slipwayd RSS after a minute: %.1f MiB\n",
                    static_cast<double>(testing::rssKiB(pid)) / 1024.0);
        QCOMPARE(readyNodes(client), kNodes);
        QCOMPARE(m_server.terminate(), 0);
    }

    /// Issue 4's figure: a Deployment of 10,000 replicas on 1,000 simulated nodes, from its
    /// create to every pod Running and Ready (the Deployment's availableReplicas), with the
    /// nodes' start and ready delays at 0 (one status write per pod).
    void tenThousandReplicasOnThousandNodes() {
        testing::SlipwaydServer server;
        QVERIFY(server.start(testing::args(
            {"--sim-nodes", "1000", "--sim-start-delay", "0", "--sim-ready-delay", "0"})));
        const auto client = server.client();
        QDeadlineTimer ready(120000);
        while (!ready.hasExpired() && readyNodes(client) < kNodes) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QCOMPARE(readyNodes(client), kNodes);
        const json deployment = {
            {"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "big"}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", 10000},
              {"selector", {{"matchLabels", {{"app", "big"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "big"}}}}},
                {"spec",
                 {{"containers",
                   json::array({{{"name", "app"}, {"image", "slipway.local/hello:1"}}})}}}}}}}};
        const auto api = server.apiClient();
        const auto deployments = client::ResourceRef("apps", "v1", "deployments").in("default");
        const double cpuBefore = testing::cpuSeconds(server.process().processId());
        const auto began = Clock::now();
        QVERIFY(api->create(deployments, deployment));
        long long available = 0;
        QDeadlineTimer deadline(600000);
        while (!deadline.hasExpired() && available < 10000) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (auto got = api->get(deployments.named("big"))) {
                available = got->value("/status/availableReplicas"_json_pointer, 0LL);
            }
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
        QCOMPARE(available, 10000LL);
        std::printf(
            "BENCH Deployment of 10,000 replicas on %d simulated nodes: all Running and "
            "Ready after %.1f s (target < 15 s); slipwayd CPU %.1f s, RSS %.1f MiB (load "
            "average %s)\n",
            kNodes, seconds, testing::cpuSeconds(server.process().processId()) - cpuBefore,
            static_cast<double>(testing::rssKiB(server.process().processId())) / 1024.0,
            testing::loadAverage().c_str());
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(BenchAgent)
#include "bench_agent.moc"
