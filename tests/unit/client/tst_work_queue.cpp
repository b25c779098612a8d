// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <QtTest>

#include "engine/client/rate_limiter.h"
#include "engine/client/work_queue.h"

using namespace slipway;
using namespace std::chrono_literals;

namespace {

/// A clock the test moves by hand.
struct ManualClock {
    std::chrono::steady_clock::time_point now{};
    client::RateLimiter::Clock function() {
        return [this] { return now; };
    }
};

std::chrono::milliseconds ms(std::chrono::nanoseconds delay) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(delay);
}

}  // namespace

class TstWorkQueue : public QObject {
    Q_OBJECT

private slots:
    void deduplicatesQueuedKeys() {
        client::WorkQueue queue;
        QVERIFY(queue.add("a"));
        QVERIFY(queue.add("b"));
        QVERIFY(queue.add("a"));
        QVERIFY(queue.add("a"));
        QCOMPARE(queue.len(), std::size_t(2));
        QCOMPARE(queue.get().value(), std::string("a"));
        QCOMPARE(queue.get().value(), std::string("b"));
        QCOMPARE(queue.len(), std::size_t(0));
        QCOMPARE(queue.processing(), std::size_t(2));
    }

    void keyAddedWhileProcessingWaitsForDone() {
        client::WorkQueue queue;
        queue.add("a");
        QCOMPARE(queue.get().value(), std::string("a"));
        // Re-added while a worker holds it: not handed to a second worker...
        queue.add("a");
        queue.add("a");
        QCOMPARE(queue.len(), std::size_t(0));
        // ... but once done, it is processed again, once.
        queue.done("a");
        QCOMPARE(queue.len(), std::size_t(1));
        QCOMPARE(queue.get().value(), std::string("a"));
        queue.done("a");
        QCOMPARE(queue.len(), std::size_t(0));
    }

    void neverProcessesAKeyTwiceAtOnce() {
        client::WorkQueue queue;
        constexpr int kKeys = 8;
        constexpr int kWorkers = 4;
        constexpr int kAddsPerKey = 400;
        std::mutex mutex;
        std::set<std::string> inFlight;
        std::map<std::string, int> processed;
        std::atomic<int> overlaps{0};
        std::vector<std::thread> workers;
        for (int w = 0; w < kWorkers; ++w) {
            workers.emplace_back([&] {
                while (auto key = queue.get()) {
                    {
                        std::lock_guard lock(mutex);
                        if (!inFlight.insert(*key).second) {
                            ++overlaps;
                        }
                    }
                    // Hold the key a little while other workers look for work.
                    for (int spin = 0; spin < 200; ++spin) {
                        std::this_thread::yield();
                    }
                    {
                        std::lock_guard lock(mutex);
                        inFlight.erase(*key);
                        ++processed[*key];
                    }
                    queue.done(*key);
                }
            });
        }
        for (int round = 0; round < kAddsPerKey; ++round) {
            for (int k = 0; k < kKeys; ++k) {
                queue.add("key-" + std::to_string(k));
            }
        }
        // Drained: nothing queued, nothing held.
        QTRY_VERIFY_WITH_TIMEOUT(queue.len() == 0 && queue.processing() == 0, 10000);
        queue.shutDown();
        for (auto& worker : workers) {
            worker.join();
        }
        QCOMPARE(overlaps.load(), 0);
        std::lock_guard lock(mutex);
        QCOMPARE(int(processed.size()), kKeys);
        int total = 0;
        for (const auto& [key, count] : processed) {
            QVERIFY(count >= 1);
            total += count;
        }
        // Deduplication: far fewer runs than the 3,200 adds.
        QVERIFY2(total < kKeys * kAddsPerKey, std::to_string(total).c_str());
    }

    void shutDownWakesEveryGetter() {
        client::WorkQueue queue;
        std::atomic<int> served{0};
        std::atomic<int> returnedEmpty{0};
        std::vector<std::thread> getters;
        for (int i = 0; i < 3; ++i) {
            getters.emplace_back([&] {
                // Each getter first proves it runs, then blocks in its second get().
                while (auto key = queue.get()) {
                    ++served;
                    queue.done(*key);
                }
                ++returnedEmpty;
            });
        }
        for (const char* key : {"a", "b", "c"}) {
            queue.add(key);
        }
        QTRY_COMPARE_WITH_TIMEOUT(served.load(), 3, 5000);
        QCOMPARE(returnedEmpty.load(), 0);
        queue.shutDown();
        QTRY_COMPARE_WITH_TIMEOUT(returnedEmpty.load(), 3, 5000);
        for (auto& getter : getters) {
            getter.join();
        }
        QVERIFY(!queue.add("late"));
    }

    void shutDownStillHandsOutQueuedKeys() {
        client::WorkQueue queue;
        queue.add("a");
        queue.add("b");
        queue.addAfter("later", 1h);
        queue.shutDown();
        QCOMPARE(queue.get().value(), std::string("a"));
        QCOMPARE(queue.get().value(), std::string("b"));
        QVERIFY(!queue.get().has_value());  // the delayed key was dropped
        QCOMPARE(queue.delayed(), std::size_t(0));
    }

    void shutDownWithDrainWaitsForWorkers() {
        client::WorkQueue queue;
        queue.add("a");
        const auto key = queue.get();
        QVERIFY(key);
        std::atomic<bool> drained{false};
        std::thread drainer([&] {
            queue.shutDownWithDrain();
            drained = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(queue.shuttingDown(), 5000);
        QVERIFY(!drained.load());
        queue.done(*key);
        QTRY_VERIFY_WITH_TIMEOUT(drained.load(), 5000);
        drainer.join();
    }

    void addAfterDelaysAndKeepsTheEarlierTime() {
        client::WorkQueue queue;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(queue.addAfter("slow", 150ms));
        QCOMPARE(queue.len(), std::size_t(0));
        QCOMPARE(queue.delayed(), std::size_t(1));
        QCOMPARE(queue.get().value(), std::string("slow"));
        QVERIFY(clock.elapsed() >= 150);
        queue.done("slow");

        // Asked for in an hour and in 50 ms: the sooner wins.
        clock.restart();
        QVERIFY(queue.addAfter("twice", 1h));
        QVERIFY(queue.addAfter("twice", 50ms));
        QCOMPARE(queue.delayed(), std::size_t(1));
        QCOMPARE(queue.get().value(), std::string("twice"));
        QVERIFY(clock.elapsed() >= 50);
        QVERIFY(clock.elapsed() < 30'000);
    }

    void perKeyBackoffGrowsExponentially() {
        ManualClock clock;
        client::RateLimiter limiter({}, clock.function());
        // 5 ms, 10 ms, 20 ms, 40 ms, …
        for (int failure = 0; failure < 10; ++failure) {
            QCOMPARE(ms(limiter.when("key")), std::chrono::milliseconds(5LL << failure));
            clock.now += 1s;  // keep the bucket out of it
        }
        QCOMPARE(limiter.numRequeues("key"), 10);
        // 5 ms · 2^17 = 655 s; the next doubling would pass 1000 s, so it is capped.
        for (int failure = 10; failure < 18; ++failure) {
            limiter.when("key");
            clock.now += 1s;
        }
        QCOMPARE(ms(limiter.when("key")), std::chrono::milliseconds(1'000'000));
        clock.now += 1s;
        QCOMPARE(ms(limiter.when("key")), std::chrono::milliseconds(1'000'000));
        // Other keys are independent; forget starts over.
        clock.now += 1s;
        QCOMPARE(ms(limiter.when("other")), 5ms);
        limiter.forget("key");
        QCOMPARE(limiter.numRequeues("key"), 0);
        clock.now += 1s;
        QCOMPARE(ms(limiter.when("key")), 5ms);
    }

    void tokenBucketLimitsRetriesOverall() {
        ManualClock clock;
        client::RateLimiter limiter({}, clock.function());
        // Burst 100: a hundred different keys failing at once wait only their own 5 ms.
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(ms(limiter.when("k" + std::to_string(i))), 5ms);
        }
        // The 101st waits for a token: 1 / 10 qps = 100 ms; the 102nd 200 ms.
        QCOMPARE(ms(limiter.when("k100")), 100ms);
        QCOMPARE(ms(limiter.when("k101")), 200ms);
        // A second later ten tokens have come back, two of them already spoken for.
        clock.now += 1s;
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(ms(limiter.when("later" + std::to_string(i))), 5ms);
        }
        QCOMPARE(ms(limiter.when("later8")), 100ms);
    }

    void addRateLimitedWaitsLongerEachTime() {
        client::WorkQueueOptions options;
        options.rateLimiter.baseDelay = 40ms;
        client::WorkQueue queue(options);
        QElapsedTimer clock;
        // 40 ms, then 80 ms, then 160 ms.
        for (int attempt = 0; attempt < 3; ++attempt) {
            clock.restart();
            QVERIFY(queue.addRateLimited("flaky"));
            QCOMPARE(queue.len(), std::size_t(0));
            QCOMPARE(queue.get().value(), std::string("flaky"));
            QVERIFY2(clock.elapsed() >= (40 << attempt), std::to_string(clock.elapsed()).c_str());
            queue.done("flaky");
        }
        QCOMPARE(queue.numRequeues("flaky"), 3);
        queue.forget("flaky");
        QCOMPARE(queue.numRequeues("flaky"), 0);
    }

    void refusesNewKeysBeyondItsLength() {
        client::WorkQueueOptions options;
        options.maxLength = 2;
        client::WorkQueue queue(options);
        QVERIFY(queue.add("a"));
        QVERIFY(queue.add("b"));
        QVERIFY(!queue.add("c"));
        QVERIFY(queue.addAfter("x", 1h));
        QVERIFY(queue.addAfter("y", 1h));
        QVERIFY(!queue.addAfter("z", 1h));
        QCOMPARE(queue.dropped(), std::uint64_t(2));
        // Keys already there cost nothing and are always accepted.
        QVERIFY(queue.add("a"));
        QVERIFY(queue.addAfter("x", 2h));
        QCOMPARE(queue.dropped(), std::uint64_t(2));
        QCOMPARE(queue.delayed(), std::size_t(2));
        // Room again once a key is taken.
        QCOMPARE(queue.get().value(), std::string("a"));
        QVERIFY(queue.add("c"));
        QCOMPARE(queue.len(), std::size_t(2));  // b and c
    }
};

QTEST_GUILESS_MAIN(TstWorkQueue)
#include "tst_work_queue.moc"
