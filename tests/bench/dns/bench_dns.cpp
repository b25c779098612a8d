// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: queries per second the cluster DNS answers over UDP on
// loopback, for cluster names (100 Services, read from the informer caches) and for forwarded
// names already in the cache (100 names of a fake upstream, warmed first). One client socket
// keeps 32 queries in flight; latency is measured with one at a time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/dns/cluster_dns.h"

#include "../../unit/client/test_server.h"
#include "../../unit/dns/dns_test_client.h"
#include "../../unit/dns/dns_test_support.h"

using namespace slipway;
using nlohmann::json;
namespace t = slipway::testing::dns;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kServices = 100;
constexpr int kQueries = 20000;
constexpr int kWindow = 32;
constexpr int kLatencyQueries = 2000;

struct Figures {
    double qps = 0;
    double p50 = 0;
    double p99 = 0;
    int answered = 0;
};

/// Sends `kQueries` queries for names[i % n], `kWindow` in flight, and counts the answers.
Figures measure(std::uint16_t port, const std::vector<std::string>& names) {
    Figures figures;
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    const auto address = t::loopback(port);
    connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    std::vector<std::vector<std::uint8_t>> wires;
    for (const auto& name : names) {
        wires.push_back(t::wireOf(t::makeQuery(name, LDNS_RR_TYPE_A).get()));
    }
    std::vector<std::uint8_t> buffer(65535);
    auto receiveOne = [&](int timeoutMs) {
        pollfd poller{fd, POLLIN, 0};
        if (poll(&poller, 1, timeoutMs) != 1) {
            return false;
        }
        return recv(fd, buffer.data(), buffer.size(), 0) > 0;
    };
    int sent = 0;
    int inFlight = 0;
    const auto start = Clock::now();
    while (figures.answered < kQueries) {
        while (inFlight < kWindow && sent < kQueries) {
            const auto& wire = wires[static_cast<std::size_t>(sent) % wires.size()];
            send(fd, wire.data(), wire.size(), 0);
            ++sent;
            ++inFlight;
        }
        if (!receiveOne(1000)) {
            inFlight = 0;  // lost (the socket buffer overflowed): send more
            if (sent >= kQueries) {
                break;
            }
            continue;
        }
        ++figures.answered;
        --inFlight;
    }
    figures.qps = figures.answered / std::chrono::duration<double>(Clock::now() - start).count();

    std::vector<double> latencies;
    for (int i = 0; i < kLatencyQueries; ++i) {
        const auto& wire = wires[static_cast<std::size_t>(i) % wires.size()];
        const auto begin = Clock::now();
        send(fd, wire.data(), wire.size(), 0);
        if (receiveOne(1000)) {
            latencies.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - begin).count());
        }
    }
    close(fd);
    std::sort(latencies.begin(), latencies.end());
    if (!latencies.empty()) {
        figures.p50 = latencies[latencies.size() / 2];
        figures.p99 = latencies[latencies.size() * 99 / 100];
    }
    return figures;
}

}  // namespace

class BenchDns : public QObject {
    Q_OBJECT

private slots:
    void queriesPerSecond() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("server")));
        testing::TestServer server(dir.path().toStdString() + "/server");
        QVERIFY2(server.error().empty(), server.error().c_str());
        const auto client = server.directClient();
        std::vector<std::string> clusterNames;
        for (int i = 0; i < kServices; ++i) {
            const std::string name = "svc-" + std::to_string(i);
            QVERIFY(client
                        ->create(client::resources::services().in("default"),
                                 t::service("default", name, "10.96.10." + std::to_string(i + 1),
                                            json::array({t::port("http", 80, "TCP")})))
                        .ok());
            clusterNames.push_back(name + ".default.svc.cluster.local.");
        }
        t::FakeUpstream upstream;
        std::vector<std::string> forwardedNames;
        for (int i = 0; i < kServices; ++i) {
            const std::string name = "host-" + std::to_string(i) + ".example.";
            upstream.add(name, {"192.0.2." + std::to_string(i + 1)}, 300);
            forwardedNames.push_back(name);
        }

        dns::ClusterDnsOptions options;
        options.publish = false;
        options.server.listen = {{"127.0.0.1", 0}};
        options.server.upstreams = {{"127.0.0.1", upstream.port()}};
        options.server.queriesPerSecondPerClient = 0;  // measure the server, not the limit
        dns::ClusterDns dns(*client, options);
        QVERIFY(dns.start().ok());
        const auto port = dns.server().localAddresses()[0].port;
        for (const auto& name : forwardedNames) {
            QVERIFY(t::askUdp(port, name, LDNS_RR_TYPE_A));  // warm the cache
        }
        const int upstreamQueries = upstream.queries();

        const auto cluster = measure(port, clusterNames);
        const auto cached = measure(port, forwardedNames);
        std::printf("cluster names:          %8.0f queries/s, p50 %6.1f us, p99 %6.1f us (%d)\n",
                    cluster.qps, cluster.p50, cluster.p99, cluster.answered);
        std::printf("cached forwarded names: %8.0f queries/s, p50 %6.1f us, p99 %6.1f us (%d)\n",
                    cached.qps, cached.p50, cached.p99, cached.answered);
        QVERIFY(cluster.answered > kQueries * 9 / 10);
        QVERIFY(cached.answered > kQueries * 9 / 10);
        QCOMPARE(upstream.queries(), upstreamQueries);  // every forwarded answer from the cache
    }
};

QTEST_GUILESS_MAIN(BenchDns)
#include "bench_dns.moc"
