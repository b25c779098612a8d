// SPDX-License-Identifier: Apache-2.0
// The Service proxy's cost: generating and programming 1,000 Services with 10 endpoints each
// (rules alone, one nftables transaction, and the whole ServiceProxy from its informers), one
// partial update, and connections through a cluster IP against straight to the endpoint.
// Everything that touches nftables or sockets runs in network namespaces made here (root).
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/network/nftables.h"
#include "engine/proxy/nft_rules.h"
#include "engine/proxy/service_proxy.h"

#include "../../integration/netns_tcp.h"
#include "../../unit/client/test_server.h"

using namespace slipway;
using namespace slipway::proxy;
using namespace slipway::testing::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kServices = 1000;
constexpr int kEndpoints = 10;

std::string serviceIp(int i) {
    return "10.96." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250);
}

std::string endpointIp(int i, int j) {
    return "10.244." + std::to_string(i / 25) + "." + std::to_string(1 + (i % 25) * 10 + j);
}

std::vector<ServicePort> makePorts() {
    std::vector<ServicePort> ports;
    for (int i = 0; i < kServices; ++i) {
        ServicePort port;
        port.nameSpace = "bench";
        port.name = "svc-" + std::to_string(i);
        port.portName = "http";
        port.clusterIp = serviceIp(i);
        port.port = 80;
        port.nodePort = i % 10 == 0 ? 30000 + i : 0;
        for (int j = 0; j < kEndpoints; ++j) {
            port.endpoints.push_back({endpointIp(i, j), 8080, true, j % 2 == 0});
        }
        ports.push_back(std::move(port));
    }
    return ports;
}

/// CPU time of the calling thread (user and system), in milliseconds: the kernel's side of an
/// nftables transaction is spent in this thread too, except where it waits.
double threadCpuMillis() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
}

double millisSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Runs `work` on a thread inside the namespace at `path`.
template <typename Work>
void inNamespace(const std::string& path, Work work) {
    std::thread([&] {
        if (enter(path)) {
            work();
        }
    }).join();
}

}  // namespace

class BenchProxy : public QObject {
    Q_OBJECT

private slots:
    void generateAndProgramOneThousandServices() {
        const RuleConfig config;
        const auto ports = makePorts();
        auto start = Clock::now();
        std::map<std::string, PortRules> rules;
        for (const auto& port : ports) {
            rules[port.key()] = portRules(config, port);
        }
        const std::string full = fullSync(config, rules);
        const double generate = millisSince(start);
        std::printf("rules for %d Services x %d endpoints: %.1f ms, %zu bytes of nft commands\n",
                    kServices, kEndpoints, generate, full.size());

        if (!testing::NetworkNamespace::available()) {
            QSKIP("programming nftables needs root and a network namespace");
        }
        testing::NetworkNamespace node;
        QVERIFY2(node.ok(), qPrintable(node.error()));
        double program = 0;
        double programCpu = 0;
        double partial = 0;
        std::string failure;
        inNamespace(netnsPath(node), [&] {
            auto nft = agent::network::Nftables::open();
            if (!nft) {
                failure = nft.error().message();
                return;
            }
            start = Clock::now();
            const double cpu = threadCpuMillis();
            if (auto done = (*nft)->run(full); !done) {
                failure = done.error().message();
                return;
            }
            program = millisSince(start);
            programCpu = threadCpuMillis() - cpu;
            // One Service loses an endpoint: a partial transaction.
            auto changed = ports[500];
            changed.endpoints.pop_back();
            auto after = rules;
            start = Clock::now();
            after[changed.key()] = portRules(config, changed);
            if (auto done = (*nft)->run(partialSync(config, rules, after)); !done) {
                failure = done.error().message();
                return;
            }
            partial = millisSince(start);
        });
        QVERIFY2(failure.empty(), failure.c_str());
        std::printf("full transaction (1,000 Services, 10,000 endpoints): %.1f ms (CPU %.1f ms)\n",
                    program, programCpu);
        std::printf("partial transaction (one Service changed): %.2f ms\n", partial);
    }

    void serviceProxyProgramsOneThousandServicesFromTheApi() {
        if (!testing::NetworkNamespace::available()) {
            QSKIP("programming nftables needs root and a network namespace");
        }
        testing::NetworkNamespace node;
        QVERIFY2(node.ok(), qPrintable(node.error()));
        QTemporaryDir dir;
        testing::TestServer server(dir.path().toStdString());
        QVERIFY2(server.error().empty(), server.error().c_str());
        auto client = server.directClient();
        QVERIFY(client
                    ->create(client::resources::namespaces(), {{"apiVersion", "v1"},
                                                               {"kind", "Namespace"},
                                                               {"metadata", {{"name", "bench"}}}})
                    .ok());
        for (int i = 0; i < kServices; ++i) {
            const std::string name = "svc-" + std::to_string(i);
            json endpoints = json::array();
            for (int j = 0; j < kEndpoints; ++j) {
                endpoints.push_back({{"addresses", json::array({endpointIp(i, j)})},
                                     {"conditions", {{"ready", true}}}});
            }
            QVERIFY(client
                        ->create(client::resources::services().in("bench"),
                                 {{"apiVersion", "v1"},
                                  {"kind", "Service"},
                                  {"metadata", {{"name", name}}},
                                  {"spec",
                                   {{"ports", json::array({{{"name", "http"}, {"port", 80}}})}}}})
                        .ok());
            QVERIFY(
                client
                    ->create(
                        client::ResourceRef("discovery.k8s.io", "v1", "endpointslices").in("bench"),
                        {{"apiVersion", "discovery.k8s.io/v1"},
                         {"kind", "EndpointSlice"},
                         {"metadata",
                          {{"name", name}, {"labels", {{"kubernetes.io/service-name", name}}}}},
                         {"addressType", "IPv4"},
                         {"ports", json::array({{{"name", "http"}, {"port", 8080}}})},
                         {"endpoints", endpoints}})
                    .ok());
        }
        ProxyOptions options;
        options.networkNamespace = netnsPath(node);
        ServiceProxy proxy(*client, options);
        const auto start = Clock::now();
        proxy.start();
        QVERIFY(proxy.waitForSync(std::chrono::seconds(60)));
        const double ready = millisSince(start);
        const auto stats = proxy.stats();
        QCOMPARE(stats.servicePorts, std::size_t(kServices));
        std::printf(
            "ServiceProxy start to programmed (lists + first full sync): %.1f ms; the "
            "sync itself %.1f ms\n",
            ready, static_cast<double>(stats.lastSyncDuration.count()) / 1000.0);
        // One endpoint more on one Service: informer event to programmed (incl. 100 ms floor).
        const auto before = stats.syncs;
        auto slice = client->get(client::ResourceRef("discovery.k8s.io", "v1", "endpointslices")
                                     .in("bench")
                                     .named("svc-7"));
        QVERIFY(slice.ok());
        (*slice)["endpoints"].push_back({{"addresses", json::array({"10.244.200.1"})}});
        const auto changed = Clock::now();
        QVERIFY(client
                    ->update(client::ResourceRef("discovery.k8s.io", "v1", "endpointslices")
                                 .in("bench")
                                 .named("svc-7"),
                             *slice)
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(proxy.stats().syncs > before, 10000);
        std::printf("one EndpointSlice change to programmed: %.1f ms (partial sync %.2f ms)\n",
                    millisSince(changed),
                    static_cast<double>(proxy.stats().lastSyncDuration.count()) / 1000.0);
        proxy.stop();
    }

    void connectionsThroughAClusterIpAgainstDirect() {
        if (!testing::NetworkNamespace::available()) {
            QSKIP("needs root and network namespaces");
        }
        testing::NetworkNamespace node;
        testing::NetworkNamespace backend;
        testing::NetworkNamespace pod;
        QVERIFY(node.ok() && backend.ok() && pod.ok());
        QCOMPARE(node.exec(QStringLiteral("ip link add slipway0 type bridge && "
                                          "ip addr add 10.244.0.1/24 dev slipway0 && "
                                          "ip link set slipway0 up && "
                                          "sysctl -qw net.ipv4.ip_forward=1")),
                 0);
        int index = 0;
        for (auto* ns : {&backend, &pod}) {
            ++index;
            QCOMPARE(
                node.exec(QStringLiteral("ip link add veth%1 type veth peer name eth0 netns %2 "
                                         "&& ip link set veth%1 master slipway0 && "
                                         "ip link set veth%1 up")
                              .arg(index)
                              .arg(ns->name())),
                0);
            QCOMPARE(ns->exec(QStringLiteral("ip addr add 10.244.0.%1/24 dev eth0 && ip link set "
                                             "eth0 up && ip route add default via 10.244.0.1")
                                  .arg(10 + index)),
                     0);
        }
        NameServer server(netnsPath(backend), "ok");
        QTRY_VERIFY_WITH_TIMEOUT(server.listening(), 5000);
        ServicePort port;
        port.nameSpace = "bench";
        port.name = "web";
        port.portName = "http";
        port.clusterIp = "10.96.0.50";
        port.port = 80;
        port.endpoints = {{"10.244.0.11", 8080, true, true}};
        const RuleConfig config;
        std::string failure;
        inNamespace(netnsPath(node), [&] {
            auto nft = agent::network::Nftables::open();
            auto done = nft ? (*nft)->run(fullSync(config, {{port.key(), portRules(config, port)}}))
                            : core::Result<void>(nft.error());
            if (!done) {
                failure = done.error().message();
            }
        });
        QVERIFY2(failure.empty(), failure.c_str());

        // Alternating rounds, medians: the machine is shared, and a single long run of each
        // mostly measures what the neighbours did meanwhile.
        constexpr int kRounds = 15;
        constexpr int kPerRound = 200;
        int failures = 0;
        const auto round = [&](const std::string& ip, int targetPort) {
            const auto start = Clock::now();
            inNamespace(netnsPath(pod), [&] {
                for (int i = 0; i < kPerRound; ++i) {
                    failures += fetch("", ip, targetPort).reply == "ok" ? 0 : 1;
                }
            });
            return millisSince(start) * 1000.0 / kPerRound;  // µs per connection
        };
        std::vector<double> direct;
        std::vector<double> viaService;
        for (int i = 0; i < kRounds; ++i) {
            direct.push_back(round("10.244.0.11", 8080));
            viaService.push_back(round("10.96.0.50", 80));
        }
        QCOMPARE(failures, 0);
        const auto median = [](std::vector<double> values) {
            std::sort(values.begin(), values.end());
            return values[values.size() / 2];
        };
        const double directUs = median(direct);
        const double serviceUs = median(viaService);
        std::printf(
            "connect + read + close from a pod, median of %d rounds of %d: direct %.1f us "
            "(%.0f/s), through the cluster IP %.1f us (%.0f/s): %+.1f%%\n",
            kRounds, kPerRound, directUs, 1e6 / directUs, serviceUs, 1e6 / serviceUs,
            (serviceUs / directUs - 1.0) * 100.0);
    }
};

QTEST_GUILESS_MAIN(BenchProxy)
#include "bench_proxy.moc"
