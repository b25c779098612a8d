// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: the Client's request rate over HTTPS (pooled keep-alive
// connections) and in-process, how fast an informer's cache follows a burst of writes, and the
// work queue's hand-out rate. Prints figures; asserts only that the operations succeeded.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <QtTest>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"

#include "../../unit/client/test_server.h"

using namespace slipway;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

class BenchClient : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;

    /// GETs of one namespace from `threads` threads sharing `client`, for about two seconds.
    void measureGets(const client::Client& client, const char* label, int threads) {
        const auto ref = client::resources::namespaces().named("default");
        std::atomic<bool> failed{false};
        std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
        const auto until = Clock::now() + 2s;
        const auto start = Clock::now();
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                auto& mine = latencies[static_cast<std::size_t>(t)];
                while (Clock::now() < until) {
                    const auto begin = Clock::now();
                    if (!client.get(ref).ok()) {
                        failed = true;
                        return;
                    }
                    mine.push_back(seconds(Clock::now() - begin) * 1e3);
                }
            });
        }
        for (auto& worker : workers) {
            worker.join();
        }
        const double elapsed = seconds(Clock::now() - start);
        QVERIFY(!failed.load());
        std::vector<double> all;
        for (const auto& mine : latencies) {
            all.insert(all.end(), mine.begin(), mine.end());
        }
        std::printf("BENCH client GET %s, %d threads: %.0f req/s, p50 %.3f ms, p99 %.3f ms\n",
                    label, threads, static_cast<double>(all.size()) / elapsed, percentile(all, 0.5),
                    percentile(all, 0.99));
    }

    /// Creates `count` ConfigMaps from 8 writers while an informer over `client` watches, and
    /// measures for each object the time from its create being acknowledged to the informer's
    /// onAdd. The event is published before the writer hears back, so a handler may even run
    /// first: such objects count as 0.
    void measureInformer(const client::Client& client, const char* label, int count) {
        constexpr int kWriters = 8;
        const std::string nameSpace = std::string("bench-") + label;
        const auto direct = m_server->directClient();
        QVERIFY(
            direct->create(client::resources::namespaces(), {{"metadata", {{"name", nameSpace}}}})
                .ok());
        const auto configMaps = client::resources::configMaps().in(nameSpace);

        std::vector<std::atomic<std::int64_t>> acked(static_cast<std::size_t>(count));
        std::vector<std::atomic<std::int64_t>> arrived(static_cast<std::size_t>(count));
        const auto now = [] { return Clock::now().time_since_epoch().count(); };
        std::atomic<int> added{0};
        client::Informer informer(client, client::InformerOptions(configMaps));
        client::EventHandlers handlers;
        handlers.onAdd = [&](const client::ObjectPtr& object) {
            const auto name = object->value("/metadata/name"_json_pointer, std::string());
            arrived[std::stoul(name.substr(3))] = now();
            ++added;
        };
        informer.addEventHandler(std::move(handlers));
        informer.start();
        QVERIFY(informer.waitForSync(10s));

        std::atomic<bool> failed{false};
        const auto start = Clock::now();
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&, w] {
                for (int i = w; i < count; i += kWriters) {
                    if (!direct->create(configMaps,
                                        testing::configMap(nameSpace, "cm-" + std::to_string(i)))) {
                        failed = true;
                    }
                    acked[static_cast<std::size_t>(i)] = now();
                }
            });
        }
        for (auto& writer : writers) {
            writer.join();
        }
        const auto written = Clock::now();
        QVERIFY(!failed.load());
        QTRY_COMPARE_WITH_TIMEOUT(added.load(), count, 60000);
        std::vector<double> delays;
        for (std::size_t i = 0; i < acked.size(); ++i) {
            delays.push_back(
                std::max(0.0, static_cast<double>(arrived[i].load() - acked[i].load()) / 1e6));
        }
        std::printf(
            "BENCH informer %s: %d creates by %d writers in %.0f ms (%.0f/s); create "
            "acknowledged to onAdd p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
            label, count, kWriters, seconds(written - start) * 1e3,
            count / seconds(written - start), percentile(delays, 0.5), percentile(delays, 0.99),
            percentile(delays, 1.0));
        informer.stop();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
    }

    void getRate() {
        const auto https = m_server->httpsClient();
        measureGets(*https, "https", 1);
        measureGets(*https, "https", 8);
        std::printf("BENCH client https connections opened: %zu\n", https->connectionsOpened());
        const auto inProcess = m_server->directClient();
        measureGets(*inProcess, "in-process", 1);
        measureGets(*inProcess, "in-process", 2);
    }

    void informerFollowsWrites() {
        const auto https = m_server->httpsClient();
        measureInformer(*https, "https", 2000);
        const auto inProcess = m_server->directClient();
        measureInformer(*inProcess, "in-process", 2000);
    }

    void workQueueRate() {
        client::WorkQueue queue;
        constexpr int kAdds = 200'000;
        constexpr int kKeys = 1000;
        std::atomic<int> handled{0};
        std::vector<std::thread> workers;
        for (int w = 0; w < 4; ++w) {
            workers.emplace_back([&] {
                while (auto key = queue.get()) {
                    ++handled;
                    queue.done(*key);
                }
            });
        }
        const auto start = Clock::now();
        for (int i = 0; i < kAdds; ++i) {
            queue.add("key-" + std::to_string(i % kKeys));
        }
        const auto added = Clock::now();
        QTRY_VERIFY_WITH_TIMEOUT(queue.len() == 0 && queue.processing() == 0, 30000);
        queue.shutDown();
        for (auto& worker : workers) {
            worker.join();
        }
        std::printf(
            "BENCH work queue: %d adds of %d keys in %.1f ms (%.0f adds/s), %d handed "
            "out to 4 workers\n",
            kAdds, kKeys, seconds(added - start) * 1e3, kAdds / seconds(added - start),
            handled.load());
    }
};

QTEST_GUILESS_MAIN(BenchClient)
#include "bench_client.moc"
