// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: local cluster start/stop times and /healthz latency.
// Prints figures; asserts only that the operations succeeded.
#include <algorithm>

#include <QElapsedTimer>
#include <QtTest>

#include "engine/client/rest_client.h"
#include "engine/pki/kubeconfig.h"

#include "../integration/test_support.h"

using namespace slipway;

class BenchClusterStart : public QObject {
    Q_OBJECT

    QTemporaryDir m_dataHome;

    testing::CommandResult slipway(const QStringList& arguments) {
        return testing::run(testing::binary(QStringLiteral("slipway")), arguments,
                            testing::slipwayEnvironment(m_dataHome.path()));
    }

    static double percentile(std::vector<double> values, double p) {
        std::sort(values.begin(), values.end());
        const auto index = std::size_t(p * double(values.size() - 1));
        return values[index];
    }

private slots:
    void startStopTimes() {
        constexpr int kRounds = 5;
        std::vector<double> starts;
        std::vector<double> stops;
        for (int i = 0; i < kRounds; ++i) {
            QElapsedTimer clock;
            clock.start();
            QCOMPARE(slipway({QStringLiteral("start"), QStringLiteral("--cluster"),
                              QStringLiteral("bench")})
                         .exitCode,
                     0);
            starts.push_back(double(clock.nsecsElapsed()) / 1e6);
            clock.restart();
            QCOMPARE(slipway({QStringLiteral("stop"), QStringLiteral("--cluster"),
                              QStringLiteral("bench")})
                         .exitCode,
                     0);
            stops.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        std::printf(
            "BENCH slipway start (local, to /readyz): median %.1f ms, max %.1f ms over %d\n",
            percentile(starts, 0.5), percentile(starts, 1.0), kRounds);
        std::printf("BENCH slipway stop (local, graceful): median %.1f ms, max %.1f ms over %d\n",
                    percentile(stops, 0.5), percentile(stops, 1.0), kRounds);
        QCOMPARE(slipway({QStringLiteral("delete"), QStringLiteral("--cluster"),
                          QStringLiteral("bench")})
                     .exitCode,
                 0);
    }

    void healthzLatency() {
        testing::SlipwaydServer server;
        QVERIFY(server.start());
        const client::RestClient rest = server.client();
        constexpr int kRequests = 2000;
        std::vector<double> latencies;
        latencies.reserve(kRequests);
        QElapsedTimer total;
        total.start();
        for (int i = 0; i < kRequests; ++i) {
            QElapsedTimer one;
            one.start();
            const auto response = rest.get("/healthz");
            QVERIFY(response.ok() && response->status == 200);
            latencies.push_back(double(one.nsecsElapsed()) / 1e3);
        }
        const double seconds = double(total.nsecsElapsed()) / 1e9;
        std::printf(
            "BENCH GET /healthz over TLS, new connection each: %.0f req/s, p50 %.0f us, p99 %.0f "
            "us\n",
            kRequests / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(BenchClusterStart)
#include "bench_cluster_start.moc"
