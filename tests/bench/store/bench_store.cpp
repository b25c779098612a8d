// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: durable write throughput and latency with group commit,
// list and watch fan-out from the cache, memory and open time with 10,000 pod-sized objects.
// Prints figures; asserts only that the operations succeeded.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include <QtTest>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include "engine/store/store.h"

using namespace slipway;
using store::Store;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

// Heap bytes in use: unlike RSS it does not count memory freed by earlier tests and kept by
// malloc for reuse.
double heapMiB() {
    return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0);
}

double rssMiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return 0;
}

// A pod-sized value: ~2 KB of JSON-like text, distinct per object.
std::string podValue(int i) {
    std::string value = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-)" +
                        std::to_string(i) + R"(","namespace":"bench","labels":{"app":"web"}},)";
    value += R"("spec":{"containers":[{"name":"web","image":"registry.local/web:1.0","env":[)";
    while (value.size() < 2000) {
        value +=
            R"({"name":"VARIABLE_)" + std::to_string(value.size()) + R"(","value":"some text"},)";
    }
    value += "]}]}}";
    return value;
}

std::string podKey(int i) {
    char key[64];
    std::snprintf(key, sizeof key, "/registry/pods/ns-%03d/pod-%05d", i % 100, i);
    return key;
}

std::unique_ptr<Store> openStore(const QTemporaryDir& dir, store::StoreOptions options = {}) {
    auto opened = Store::open(dir.filePath(QStringLiteral("store.db")).toStdString(), options);
    return opened ? std::move(*opened) : nullptr;
}

// Creates `total` pods with `writers` threads; returns each write's latency in ms.
std::vector<double> createPods(Store& store, int writers, int total, int firstIndex = 0) {
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(writers));
    std::atomic<int> next = firstIndex;
    std::atomic<int> failures = 0;
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            for (int i = next++; i < firstIndex + total; i = next++) {
                const std::string value = podValue(i);
                const auto start = Clock::now();
                if (!store.create(podKey(i), value)) {
                    ++failures;
                }
                latencies[static_cast<std::size_t>(w)].push_back(ms(Clock::now() - start));
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::vector<double> all;
    for (const auto& perWriter : latencies) {
        all.insert(all.end(), perWriter.begin(), perWriter.end());
    }
    return failures.load() == 0 ? all : std::vector<double>{};
}

// The disk's own commit latency right now: append 8 KB (a WAL commit of two frames) and
// fdatasync, 200 times. Durable-write figures are only comparable alongside it: on this
// machine it ranges from 0.3 ms on an idle disk to 5 ms while a parallel build writes.
void printFsyncBaseline(const QTemporaryDir& dir) {
    const std::string path = dir.filePath(QStringLiteral("baseline")).toStdString();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        return;
    }
    const std::string block(8192, 'x');
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
        const auto start = Clock::now();
        if (::write(fd, block.data(), block.size()) < 0 || ::fdatasync(fd) != 0) {
            break;
        }
        latencies.push_back(ms(Clock::now() - start));
    }
    ::close(fd);
    if (!latencies.empty()) {
        std::printf("BENCH disk baseline, append 8 KB + fdatasync: p50 %.2f ms, p99 %.2f ms\n",
                    percentile(latencies, 0.5), percentile(latencies, 0.99));
    }
}

}  // namespace

class BenchStore : public QObject {
    Q_OBJECT

    void durableCreates(int writers, int total) {
        QTemporaryDir dir;
        printFsyncBaseline(dir);
        auto store = openStore(dir);
        QVERIFY(store);
        const auto start = Clock::now();
        const auto latencies = createPods(*store, writers, total);
        const double elapsed = ms(Clock::now() - start);
        QCOMPARE(latencies.size(), static_cast<std::size_t>(total));
        QCOMPARE(store->currentRevision(), total);
        std::printf(
            "BENCH store durable creates, %d writer%s: %.0f creates/s, p50 %.2f ms, "
            "p99 %.2f ms, max %.2f ms (%d creates of ~2 KB, synchronous=FULL)\n",
            writers, writers == 1 ? "" : "s", total / (elapsed / 1000.0),
            percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1.0),
            total);
        std::fflush(stdout);
    }

private slots:
    void durableCreatesOneWriter() { durableCreates(1, 2000); }
    void durableCreatesSixtyFourWriters() { durableCreates(64, 12800); }

    void tenThousandPods() {
        constexpr int kPods = 10'000;
        QTemporaryDir dir;
        const double heapBefore = heapMiB();
        {
            auto store = openStore(dir);
            QVERIFY(store);
            const auto start = Clock::now();
            QCOMPARE(createPods(*store, 64, kPods).size(), static_cast<std::size_t>(kPods));
            const double loadMs = ms(Clock::now() - start);
            const double heapAfter = heapMiB();
            std::printf(
                "BENCH store memory with 10,000 ~2 KB values: heap +%.1f MiB (index, "
                "history of 10,000 events; each value stored once), process RSS %.1f "
                "MiB; loaded by 64 writers in %.0f ms\n",
                heapAfter - heapBefore, rssMiB(), loadMs);

            std::vector<double> full;
            std::vector<double> paged;
            std::vector<double> oneNamespace;
            for (int round = 0; round < 10; ++round) {
                store::ListOptions all;
                all.prefix = "/registry/pods/";
                auto start2 = Clock::now();
                auto listed = store->list(all);
                full.push_back(ms(Clock::now() - start2));
                QVERIFY(listed);
                QCOMPARE(listed->items.size(), static_cast<std::size_t>(kPods));

                store::ListOptions page;
                page.prefix = "/registry/pods/";
                page.limit = 500;
                std::size_t count = 0;
                start2 = Clock::now();
                do {
                    auto result = store->list(page);
                    QVERIFY(result);
                    count += result->items.size();
                    page.continueToken = result->continueToken;
                } while (!page.continueToken.empty());
                paged.push_back(ms(Clock::now() - start2));
                QCOMPARE(count, static_cast<std::size_t>(kPods));

                store::ListOptions ns;
                ns.prefix = "/registry/pods/ns-042/";
                start2 = Clock::now();
                auto inNamespace = store->list(ns);
                oneNamespace.push_back(ms(Clock::now() - start2));
                QCOMPARE(inNamespace->items.size(), std::size_t(100));
            }
            std::printf(
                "BENCH store list 10,000 keys from the cache: median %.1f ms, max %.1f ms "
                "(20 MB copied out)\n",
                percentile(full, 0.5), percentile(full, 1.0));
            std::printf(
                "BENCH store list 10,000 keys in pages of 500: median %.1f ms for all 20 "
                "pages\n",
                percentile(paged, 0.5));
            std::printf("BENCH store list one namespace (100 of 10,000 keys): median %.3f ms\n",
                        percentile(oneNamespace, 0.5));
        }
        const auto start = Clock::now();
        auto reopened = openStore(dir);
        const double openMs = ms(Clock::now() - start);
        QVERIFY(reopened);
        QCOMPARE(reopened->size(), static_cast<std::size_t>(kPods));
        std::printf(
            "BENCH store open with 10,000 objects (rebuild cache and history from "
            "SQLite): %.0f ms\n",
            openMs);
        std::fflush(stdout);
    }

    void watchFanOut() {
        constexpr int kWatchers = 1000;
        constexpr int kRounds = 20;
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        std::mutex mutex;
        std::condition_variable allSeen;
        int notified = 0;
        Clock::time_point last;
        std::vector<std::unique_ptr<store::Watch>> watches;
        for (int i = 0; i < kWatchers; ++i) {
            auto watch = store->watch("/registry/pods/", 0, [&] {
                std::lock_guard lock(mutex);
                if (++notified == kWatchers) {
                    last = Clock::now();
                    allSeen.notify_all();
                }
            });
            QVERIFY(watch);
            watches.push_back(std::move(*watch));
        }
        std::vector<double> toAll;
        std::vector<double> acks;
        for (int round = 0; round < kRounds; ++round) {
            {
                std::lock_guard lock(mutex);
                notified = 0;
            }
            const auto start = Clock::now();
            QVERIFY(store->create(podKey(round), podValue(round)));
            acks.push_back(ms(Clock::now() - start));
            {
                std::unique_lock lock(mutex);
                QVERIFY(allSeen.wait_for(lock, std::chrono::seconds(10),
                                         [&] { return notified == kWatchers; }));
                toAll.push_back(ms(last - start));
            }
            for (auto& watch : watches) {
                const auto events = watch->poll();
                QCOMPARE(events.size(), std::size_t(1));
                QCOMPARE(events[0]->revision, round + 1);
            }
        }
        std::printf(
            "BENCH store watch fan-out, 1,000 watchers: one write to all notified in "
            "median %.2f ms, max %.2f ms (includes the write's fsync; ack median %.2f ms)\n",
            percentile(toAll, 0.5), percentile(toAll, 1.0), percentile(acks, 0.5));
        std::fflush(stdout);
    }
};

QTEST_GUILESS_MAIN(BenchStore)
#include "bench_store.moc"
