// SPDX-License-Identifier: Apache-2.0
// Simulated nodes at scale, for docs/BENCHMARKS.md: a real slipwayd with --sim-nodes 1000.
// Time until every node is registered and Ready, then slipwayd's CPU use while the thousand
// nodes keep their heartbeats (Lease renewals every 10 s) and nothing else happens, and its RSS.
// Prints figures; asserts only that the nodes came up.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <QtTest>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "../../integration/test_support.h"

using namespace slipway;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kNodes = 1000;

/// utime + stime of a process, in seconds.
double cpuSeconds(qint64 pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14) {
            utime = std::stoull(field);
        } else if (i == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rssKiB(qint64 pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

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

private slots:
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
                    static_cast<double>(rssKiB(pid)) / 1024.0);

        // Idle: only heartbeats. Measured over a minute, after the registration burst.
        std::this_thread::sleep_for(std::chrono::seconds(12));
        const double cpuBefore = cpuSeconds(pid);
        const auto windowStart = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(60));
        const double window = std::chrono::duration<double>(Clock::now() - windowStart).count();
        const double cpu = cpuSeconds(pid) - cpuBefore;
        std::printf(
            "BENCH slipwayd CPU while %d nodes keep their heartbeats: %.1f%% of one core "
            "(%.2f s CPU in %.0f s)\n",
            kNodes, 100.0 * cpu / window, cpu, window);
        std::printf("BENCH slipwayd RSS after a minute: %.1f MiB\n",
                    static_cast<double>(rssKiB(pid)) / 1024.0);
        QCOMPARE(readyNodes(client), kNodes);
        QCOMPARE(m_server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(BenchAgent)
#include "bench_agent.moc"
