// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <thread>

#include <QtTest>

#include "engine/store/store.h"

using namespace slipway;
using store::Store;
using store::Watch;
using store::WatchEvent;
using store::WatchEventPtr;

namespace {

std::unique_ptr<Store> openStore(const QTemporaryDir& dir, store::StoreOptions options = {}) {
    auto opened = Store::open(dir.filePath(QStringLiteral("store.db")).toStdString(), options);
    if (!opened) {
        qWarning("open failed: %s", opened.error().message().c_str());
        return nullptr;
    }
    return std::move(*opened);
}

// Polls until `count` events have arrived or 10 s pass.
std::vector<WatchEventPtr> collect(Watch& watch, std::size_t count) {
    std::vector<WatchEventPtr> events;
    QDeadlineTimer deadline(10'000);
    while (events.size() < count && !deadline.hasExpired()) {
        auto batch = watch.poll();
        events.insert(events.end(), batch.begin(), batch.end());
        if (batch.empty()) {
            if (watch.error()) {
                break;
            }
            watch.wait(std::chrono::milliseconds(100));
        }
    }
    return events;
}

bool consecutive(const std::vector<WatchEventPtr>& events, std::int64_t first) {
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i]->revision != first + static_cast<std::int64_t>(i)) {
            return false;
        }
    }
    return true;
}

}  // namespace

class TstWatch : public QObject {
    Q_OBJECT
private slots:
    void replaysFromRevisionThenStreamsLiveInOrder() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        for (int i = 1; i <= 10; ++i) {
            QVERIFY(store->create("/w/" + std::to_string(i), "v"));
        }
        auto watch = store->watch("/w/", 5);
        QVERIFY(watch);
        const auto replay = (*watch)->poll();
        QCOMPARE(replay.size(), std::size_t(5));
        QVERIFY(consecutive(replay, 6));

        std::thread writer([&] {
            for (int i = 1; i <= 5; ++i) {
                (void)store->update("/w/" + std::to_string(i), "u");
                (void)store->remove("/w/" + std::to_string(i + 5));
            }
        });
        const auto live = collect(**watch, 10);
        writer.join();
        QCOMPARE(live.size(), std::size_t(10));
        QVERIFY(consecutive(live, 11));
        QCOMPARE(live[0]->type, WatchEvent::Type::Put);
        QCOMPARE(live[0]->kv.value, std::string("u"));
        QCOMPARE(live[0]->previous->value, std::string("v"));
        QCOMPARE(live[1]->type, WatchEvent::Type::Delete);
        QCOMPARE(live[1]->kv.key, std::string("/w/6"));
        QCOMPARE(live[1]->kv.modRevision, 12);
        QCOMPARE(live[1]->previous->modRevision, 6);
        QVERIFY(!(*watch)->error());
    }

    void selectsOnlyItsPrefix() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        auto watch = store->watch("/registry/pods/", 0);
        QVERIFY(watch);
        QVERIFY(store->create("/registry/podsecuritypolicies/x", "v"));
        QVERIFY(store->create("/registry/services/ns/a", "v"));
        QVERIFY(store->create("/registry/pods/ns/a", "v"));
        // The event is queued before the write is acknowledged, so no waiting is needed.
        const auto events = (*watch)->poll();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0]->kv.key, std::string("/registry/pods/ns/a"));
        QCOMPARE(events[0]->revision, 3);
    }

    void watchFromCompactedRevisionIsGone() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        for (int i = 0; i < 8; ++i) {
            QVERIFY(store->create("/w/" + std::to_string(i), "v"));
        }
        QVERIFY(store->compact(5));
        auto tooOld = store->watch("/w/", 4);
        QVERIFY(!tooOld);
        QCOMPARE(tooOld.error().code(), core::ErrorCode::Gone);
        auto fromCompacted = store->watch("/w/", 5);
        QVERIFY(fromCompacted);
        const auto events = (*fromCompacted)->poll();
        QCOMPARE(events.size(), std::size_t(3));
        QVERIFY(consecutive(events, 6));
    }

    void watchFromFutureRevisionStartsThere() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        auto watch = store->watch("/w/", 3);
        QVERIFY(watch);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(store->create("/w/" + std::to_string(i), "v"));
        }
        const auto events = (*watch)->poll();
        QCOMPARE(events.size(), std::size_t(2));
        QVERIFY(consecutive(events, 4));
    }

    void slowWatcherOverflowsAndEndsWhileOthersContinue() {
        QTemporaryDir dir;
        store::StoreOptions options;
        options.watchQueueLimit = 10;
        auto store = openStore(dir, options);
        QVERIFY(store);
        auto slow = store->watch("/w/", 0);
        auto fast = store->watch("/w/", 0);
        QVERIFY(slow && fast);
        std::vector<WatchEventPtr> fastEvents;
        for (int i = 0; i < 50; ++i) {
            // Writers are never held up by the slow watcher: every write completes.
            QVERIFY(store->create("/w/" + std::to_string(i), "v"));
            auto batch = (*fast)->poll();
            fastEvents.insert(fastEvents.end(), batch.begin(), batch.end());
        }
        QCOMPARE(fastEvents.size(), std::size_t(50));
        QVERIFY(consecutive(fastEvents, 1));
        QVERIFY(!(*fast)->error());

        auto error = (*slow)->error();
        QVERIFY(error.has_value());
        QCOMPARE(error->code(), core::ErrorCode::Gone);
        QVERIFY((*slow)->poll().empty());
        QVERIFY((*slow)->wait(std::chrono::milliseconds(0)));
    }

    void notifierRunsWithoutLocksAndOnEnd() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        std::atomic<int> notified = 0;
        std::atomic<int> received = 0;
        std::atomic<bool> sawEnd = false;
        std::unique_ptr<Watch> watch;
        // The notifier polls its own watch and reads the store: it would deadlock if either
        // lock were held while it runs.
        auto created = store->watch("/w/", 0, [&] {
            if (watch->error()) {
                sawEnd = true;  // the store is being destroyed: do not touch it
                return;
            }
            ++notified;
            received += static_cast<int>(watch->poll().size());
            (void)store->currentRevision();
        });
        QVERIFY(created);
        watch = std::move(*created);
        for (int i = 0; i < 20; ++i) {
            QVERIFY(store->create("/w/" + std::to_string(i), "v"));
        }
        QCOMPARE(received.load(), 20);
        // Edge-triggered: a notification only when the queue was empty, and it was drained
        // each time, so one per write here.
        QCOMPARE(notified.load(), 20);

        store.reset();
        QVERIFY(sawEnd.load());
        QCOMPARE(watch->error()->code(), core::ErrorCode::Unavailable);
    }

    void stopSilencesTheNotifier() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        std::atomic<int> notified = 0;
        auto watch = store->watch("/w/", 0, [&] { ++notified; });
        QVERIFY(watch);
        QVERIFY(store->create("/w/a", "v"));
        QCOMPARE(notified.load(), 1);
        (*watch)->stop();
        QCOMPARE((*watch)->error()->code(), core::ErrorCode::Cancelled);
        QVERIFY(store->create("/w/b", "v"));
        QCOMPARE(notified.load(), 1);
        QVERIFY((*watch)->poll().empty());
    }

    void watchesStartedDuringWritesMissAndRepeatNothing() {
        QTemporaryDir dir;
        store::StoreOptions options;
        options.watchQueueLimit = 2000;  // these watches are only read at the end
        auto store = openStore(dir, options);
        QVERIFY(store);
        constexpr int kWrites = 1500;
        std::atomic<bool> writing = true;
        std::thread writer([&] {
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&, t] {
                    for (int n = 0; n < kWrites / 4; ++n) {
                        (void)store->create("/w/" + std::to_string(t) + "-" + std::to_string(n),
                                            "v");
                    }
                });
            }
            for (auto& thread : threads) {
                thread.join();
            }
            writing = false;
        });
        std::vector<std::unique_ptr<Watch>> watches;
        while (writing.load() && watches.size() < 200) {
            auto watch = store->watch("/w/", store->currentRevision());
            QVERIFY(watch);
            watches.push_back(std::move(*watch));
            std::this_thread::yield();
        }
        writer.join();
        QVERIFY(watches.size() > 1);
        for (auto& watch : watches) {
            const std::int64_t from = watch->fromRevision();
            const auto events = collect(*watch, static_cast<std::size_t>(kWrites - from));
            QCOMPARE(events.size(), static_cast<std::size_t>(kWrites - from));
            QVERIFY(consecutive(events, from + 1));
            QVERIFY(watch->poll().empty());
        }
    }
};

QTEST_GUILESS_MAIN(TstWatch)
#include "tst_watch.moc"
