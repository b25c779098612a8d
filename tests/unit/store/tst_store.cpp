// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <csignal>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <QtTest>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/store/store.h"

using namespace slipway;
using store::KeyValue;
using store::ListOptions;
using store::Store;

namespace {

std::filesystem::path storeFile(const QTemporaryDir& dir) {
    return dir.filePath(QStringLiteral("store.db")).toStdString();
}

std::unique_ptr<Store> openStore(const QTemporaryDir& dir, store::StoreOptions options = {}) {
    auto opened = Store::open(storeFile(dir), options);
    if (!opened) {
        qWarning("open failed: %s", opened.error().message().c_str());
        return nullptr;
    }
    return std::move(*opened);
}

}  // namespace

class TstStore : public QObject {
    Q_OBJECT
private slots:
    void revisionsStrictlyIncreaseAcrossKeys() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        QCOMPARE(store->currentRevision(), 0);
        auto a = store->create("/registry/pods/ns/a", "a1");
        auto b = store->create("/registry/services/ns/b", "b1");
        auto c = store->create("/registry/pods/ns/c", "c1");
        auto a2 = store->update("/registry/pods/ns/a", "a2");
        auto gone = store->remove("/registry/services/ns/b");
        QVERIFY(a && b && c && a2 && gone);
        QCOMPARE(a->modRevision, 1);
        QCOMPARE(b->modRevision, 2);
        QCOMPARE(c->modRevision, 3);
        QCOMPARE(a2->modRevision, 4);
        QCOMPARE(gone->modRevision, 5);
        QCOMPARE(store->currentRevision(), 5);
        // An update keeps the create revision; a create's two revisions are equal.
        QCOMPARE(a2->createRevision, 1);
        QCOMPARE(c->createRevision, 3);
        // remove() returns the object as deleted: its last value, the deletion revision.
        QCOMPARE(gone->value, std::string("b1"));
        QCOMPARE(gone->createRevision, 2);
        auto current = store->get("/registry/pods/ns/a");
        QVERIFY(current);
        QCOMPARE(current->value, std::string("a2"));
        QCOMPARE(store->size(), std::size_t(2));
    }

    void createOfExistingKeyIsAlreadyExists() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        QVERIFY(store->create("/k", "first"));
        auto again = store->create("/k", "second");
        QVERIFY(!again);
        QCOMPARE(again.error().code(), core::ErrorCode::AlreadyExists);
        QCOMPARE(store->get("/k")->value, std::string("first"));
        QCOMPARE(store->currentRevision(), 1);
    }

    void staleCompareAndSwapIsConflictAndChangesNothing() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        auto created = store->create("/k", "v1");
        QVERIFY(created);
        auto updated = store->update("/k", "v2", created->modRevision);
        QVERIFY(updated);
        QCOMPARE(updated->modRevision, 2);

        // A writer that still holds revision 1 loses.
        auto stale = store->update("/k", "lost", created->modRevision);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code(), core::ErrorCode::Conflict);
        auto now = store->get("/k");
        QCOMPARE(now->value, std::string("v2"));
        QCOMPARE(now->modRevision, 2);
        QCOMPARE(store->currentRevision(), 2);

        auto staleDelete = store->remove("/k", created->modRevision);
        QVERIFY(!staleDelete);
        QCOMPARE(staleDelete.error().code(), core::ErrorCode::Conflict);
        QVERIFY(store->get("/k"));

        // 0 is unconditional.
        QVERIFY(store->update("/k", "v3", 0));
        QCOMPARE(store->get("/k")->value, std::string("v3"));
        auto removed = store->remove("/k", 3);
        QVERIFY(removed);
        QCOMPARE(removed->modRevision, 4);
        QCOMPARE(store->get("/k").error().code(), core::ErrorCode::NotFound);
    }

    void updateOrRemoveOfAbsentKeyIsNotFound() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        QCOMPARE(store->update("/nope", "v").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store->remove("/nope").error().code(), core::ErrorCode::NotFound);
        QVERIFY(store->create("/k", "v"));
        QVERIFY(store->remove("/k"));
        QCOMPARE(store->remove("/k").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store->update("/k", "v").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store->currentRevision(), 2);
    }

    void refusesEmptyKeysAndOversizedValues() {
        QTemporaryDir dir;
        store::StoreOptions options;
        options.maxValueBytes = 1024;
        auto store = openStore(dir, options);
        QVERIFY(store);
        QCOMPARE(store->create("", "v").error().code(), core::ErrorCode::BadRequest);
        QCOMPARE(store->create("/big", std::string(1025, 'x')).error().code(),
                 core::ErrorCode::RequestTooLarge);
        QVERIFY(store->create("/fits", std::string(1024, 'x')));
        QCOMPARE(store->currentRevision(), 1);
    }

    void listPagesAreOneConsistentSnapshotDespiteWritesBetweenThem() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        std::map<std::string, std::string> original;
        for (int i = 0; i < 30; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "/registry/pods/ns/pod-%02d", i);
            original[name] = "v0-" + std::to_string(i);
            QVERIFY(store->create(name, original[name]));
        }
        // Neighbours outside the prefix must never appear.
        QVERIFY(store->create("/registry/pods/nt/other", "x"));
        QVERIFY(store->create("/registry/pods/ns", "x"));

        ListOptions options;
        options.prefix = "/registry/pods/ns/";
        options.limit = 10;
        auto first = store->list(options);
        QVERIFY(first);
        QCOMPARE(first->items.size(), std::size_t(10));
        QVERIFY(!first->continueToken.empty());
        const std::int64_t pinned = first->revision;
        QCOMPARE(pinned, 32);

        // Writes between the pages, on both sides of the cursor.
        QVERIFY(store->update("/registry/pods/ns/pod-03", "changed"));  // already read
        QVERIFY(store->update("/registry/pods/ns/pod-15", "changed"));  // not read yet
        QVERIFY(store->remove("/registry/pods/ns/pod-25"));             // not read yet
        QVERIFY(store->create("/registry/pods/ns/pod-12a", "new"));     // inside page 2

        std::vector<KeyValue> all = first->items;
        options.continueToken = first->continueToken;
        auto second = store->list(options);
        QVERIFY(second);
        QCOMPARE(second->revision, pinned);
        all.insert(all.end(), second->items.begin(), second->items.end());

        QVERIFY(store->update("/registry/pods/ns/pod-29", "changed"));
        options.continueToken = second->continueToken;
        auto third = store->list(options);
        QVERIFY(third);
        QCOMPARE(third->revision, pinned);
        QVERIFY(third->continueToken.empty());
        all.insert(all.end(), third->items.begin(), third->items.end());

        QCOMPARE(all.size(), original.size());
        std::map<std::string, std::string> seen;
        for (const KeyValue& kv : all) {
            QVERIFY2(seen.emplace(kv.key, kv.value).second, kv.key.c_str());
            QVERIFY(kv.modRevision <= pinned);
        }
        QVERIFY(seen == original);

        // A fresh list sees the writes.
        ListOptions fresh;
        fresh.prefix = "/registry/pods/ns/";
        auto now = store->list(fresh);
        QCOMPARE(now->items.size(), std::size_t(30));
        QCOMPARE(now->revision, store->currentRevision());
    }

    void listAtExactRevisionAndItsLimits() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        QVERIFY(store->create("/p/a", "1"));
        QVERIFY(store->update("/p/a", "2"));
        ListOptions options;
        options.prefix = "/p/";
        options.revision = 1;
        auto old = store->list(options);
        QVERIFY(old);
        QCOMPARE(old->items.size(), std::size_t(1));
        QCOMPARE(old->items[0].value, std::string("1"));

        options.revision = 3;
        QCOMPARE(store->list(options).error().code(), core::ErrorCode::Timeout);

        options.revision = 1;
        options.continueToken = "1.2f702f61";
        QCOMPARE(store->list(options).error().code(), core::ErrorCode::BadRequest);

        // A token from another prefix is refused rather than silently listing the wrong keys.
        ListOptions other;
        other.prefix = "/q/";
        other.continueToken = "1.2f702f61";
        QCOMPARE(store->list(other).error().code(), core::ErrorCode::BadRequest);
    }

    void continueTokenOfCompactedRevisionIsGone() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(store->create("/p/" + std::to_string(i), "v"));
        }
        ListOptions options;
        options.prefix = "/p/";
        options.limit = 2;
        auto first = store->list(options);
        QVERIFY(first);
        QVERIFY(store->update("/p/0", "w"));
        QVERIFY(store->compact(store->currentRevision()));
        QCOMPARE(store->compactedRevision(), 6);
        options.continueToken = first->continueToken;
        auto next = store->list(options);
        QVERIFY(!next);
        QCOMPARE(next.error().code(), core::ErrorCode::Gone);

        ListOptions old;
        old.prefix = "/p/";
        old.revision = 5;
        QCOMPARE(store->list(old).error().code(), core::ErrorCode::Gone);
        // Compacting to a revision not reached yet is refused.
        QCOMPARE(store->compact(100).error().code(), core::ErrorCode::BadRequest);
    }

    void historyIsBoundedByAutomaticCompaction() {
        QTemporaryDir dir;
        store::StoreOptions options;
        options.historyLimit = 100;
        auto store = openStore(dir, options);
        QVERIFY(store);
        for (int i = 0; i < 500; ++i) {
            QVERIFY(
                store->create("/p/" + std::to_string(i % 50) + "-" + std::to_string(i / 50), "v"));
        }
        // One write per batch here, so every batch trims to exactly the last 100 revisions.
        QCOMPARE(store->compactedRevision(), 400);
        QCOMPARE(store->watch("/p/", 399).error().code(), core::ErrorCode::Gone);
        auto watch = store->watch("/p/", 400);
        QVERIFY(watch);
        QCOMPARE((*watch)->poll().size(), std::size_t(100));
        QCOMPARE(store->size(), std::size_t(500));
    }

    void concurrentCreatesGetDistinctRevisions() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        constexpr int kThreads = 16;
        constexpr int kPerThread = 200;
        std::vector<std::vector<std::int64_t>> revisions(kThreads);
        std::atomic<int> failures = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int n = 0; n < kPerThread; ++n) {
                    const std::string key = "/c/" + std::to_string(t) + "/" + std::to_string(n);
                    auto created = store->create(key, key);
                    if (!created) {
                        ++failures;
                        continue;
                    }
                    revisions[static_cast<std::size_t>(t)].push_back(created->modRevision);
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        QCOMPARE(failures.load(), 0);
        std::set<std::int64_t> distinct;
        for (const auto& perThread : revisions) {
            // Each thread's own writes are ordered.
            QVERIFY(std::is_sorted(perThread.begin(), perThread.end()));
            distinct.insert(perThread.begin(), perThread.end());
        }
        QCOMPARE(distinct.size(), std::size_t(kThreads * kPerThread));
        QCOMPARE(*distinct.begin(), 1);
        QCOMPARE(*distinct.rbegin(), kThreads * kPerThread);
        QCOMPARE(store->currentRevision(), kThreads * kPerThread);
        for (int t = 0; t < kThreads; ++t) {
            for (int n = 0; n < kPerThread; ++n) {
                const std::string key = "/c/" + std::to_string(t) + "/" + std::to_string(n);
                auto kv = store->get(key);
                QVERIFY2(kv && kv->value == key, key.c_str());
            }
        }
        ListOptions all;
        all.prefix = "/c/";
        QCOMPARE(store->list(all)->items.size(), std::size_t(kThreads * kPerThread));
    }

    void asyncSubmitAcknowledgesAfterTheWriteIsVisible() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        std::atomic<bool> visibleAtAck = false;
        std::atomic<bool> nestedRefused = false;
        std::atomic<bool> done = false;
        store->submit(
            {store::Mutation::Kind::Create, "/async", "v", 0}, [&](core::Result<KeyValue> result) {
                auto seen = store->get("/async");
                visibleAtAck = result && seen && seen->modRevision == result->modRevision;
                // A synchronous write here would wait for this very thread.
                auto nested = store->create("/nested", "v");
                nestedRefused = !nested && nested.error().code() == core::ErrorCode::Internal;
                done = true;
            });
        QTRY_VERIFY(done.load());
        QVERIFY(visibleAtAck.load());
        QVERIFY(nestedRefused.load());
        QVERIFY(!store->get("/nested"));
    }

    void fullQueueIsTooManyRequestsAndCloseCommitsWhatWasQueued() {
        QTemporaryDir dir;
        store::StoreOptions options;
        options.maxQueuedWrites = 2;
        auto store = openStore(dir, options);
        QVERIFY(store);
        // Hold the commit thread inside a write callback so the queue cannot drain.
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        std::atomic<bool> holding = false;
        store->submit({store::Mutation::Kind::Create, "/a", "v", 0}, [&](core::Result<KeyValue>) {
            holding = true;
            released.wait();
        });
        QTRY_VERIFY(holding.load());
        std::atomic<int> committed = 0;
        const auto count = [&](core::Result<KeyValue> result) {
            if (result) {
                ++committed;
            }
        };
        store->submit({store::Mutation::Kind::Create, "/b", "v", 0}, count);
        store->submit({store::Mutation::Kind::Create, "/c", "v", 0}, count);
        std::optional<core::ErrorCode> refused;
        store->submit({store::Mutation::Kind::Create, "/d", "v", 0},
                      [&](core::Result<KeyValue> result) {
                          refused = result ? std::nullopt : std::optional(result.error().code());
                      });
        // Refused at once, on this thread.
        QCOMPARE(refused, std::optional(core::ErrorCode::TooManyRequests));
        release.set_value();
        store.reset();  // closing commits /b and /c, which were queued before it
        QCOMPARE(committed.load(), 2);

        auto reopened = openStore(dir);
        QVERIFY(reopened);
        QVERIFY(reopened->get("/b") && reopened->get("/c"));
        QVERIFY(!reopened->get("/d"));
        QCOMPARE(reopened->currentRevision(), 3);
    }

    void reopenKeepsEverythingAndContinuesRevisions() {
        QTemporaryDir dir;
        std::vector<KeyValue> expected;
        {
            auto store = openStore(dir);
            QVERIFY(store);
            QVERIFY(store->create("/r/a", "a1"));
            QVERIFY(store->create("/r/b", "b1"));
            QVERIFY(store->update("/r/a", "a2"));
            QVERIFY(store->create("/r/c", std::string("bytes\0\xff", 7)));
            QVERIFY(store->remove("/r/b"));
            QVERIFY(store->create("/r/empty", ""));
            ListOptions all;
            all.prefix = "/r/";
            expected = store->list(all)->items;
            QCOMPARE(store->currentRevision(), 6);
        }
        auto store = openStore(dir);
        QVERIFY(store);
        QCOMPARE(store->currentRevision(), 6);
        ListOptions all;
        all.prefix = "/r/";
        QVERIFY(store->list(all)->items == expected);
        QCOMPARE(store->get("/r/b").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store->get("/r/a")->createRevision, 1);
        // The history came back too: a watch from 0 replays all six writes.
        auto watch = store->watch("/r/", 0);
        QVERIFY(watch);
        const auto replay = (*watch)->poll();
        QCOMPARE(replay.size(), std::size_t(6));
        QCOMPARE(replay[4]->type, store::WatchEvent::Type::Delete);
        QCOMPARE(replay[4]->kv.value, std::string("b1"));
        QCOMPARE(replay[2]->previous->value, std::string("a1"));
        auto next = store->create("/r/d", "d");
        QCOMPARE(next->modRevision, 7);
    }

    void reopenContinuesAfterCompactedDelete() {
        QTemporaryDir dir;
        {
            auto store = openStore(dir);
            QVERIFY(store);
            QVERIFY(store->create("/k", "v"));
            QVERIFY(store->update("/k", "w"));
            QVERIFY(store->remove("/k"));
            // Every row is compacted away; the revision must survive in the metadata.
            QVERIFY(store->compact(3));
        }
        auto store = openStore(dir);
        QVERIFY(store);
        QCOMPARE(store->currentRevision(), 3);
        QCOMPARE(store->compactedRevision(), 3);
        QCOMPARE(store->size(), std::size_t(0));
        QCOMPARE(store->watch("/", 2).error().code(), core::ErrorCode::Gone);
        auto again = store->create("/k", "new");
        QCOMPARE(again->modRevision, 4);
        QCOMPARE(again->createRevision, 4);
    }

    void secondOpenOfTheSameFileIsConflict() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store);
        QVERIFY(store->create("/k", "v"));
        auto second = Store::open(storeFile(dir));
        QVERIFY(!second);
        QCOMPARE(second.error().code(), core::ErrorCode::Conflict);
        store.reset();
        auto third = Store::open(storeFile(dir));
        QVERIFY(third);
        QVERIFY((*third)->get("/k"));
    }

    void everyAcknowledgedWriteSurvivesSigkill() {
        QTemporaryDir dir;
        const auto file = storeFile(dir);
        // A separate program, as slipwayd would be: QtTest runs a watchdog thread, so the child
        // only calls exec after fork.
        int fds[2];
        QCOMPARE(pipe(fds), 0);
        const std::string fileArgument = file.string();
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            close(fds[1]);
            execl(SLIPWAY_STORE_CRASH_WRITER, SLIPWAY_STORE_CRASH_WRITER, fileArgument.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fds[1]);

        std::set<std::string> created;
        std::set<std::string> updated;
        std::string buffer;
        bool killed = false;
        QDeadlineTimer deadline(30'000);
        char chunk[4096];
        while (true) {
            const ssize_t n = read(fds[0], chunk, sizeof chunk);
            if (n <= 0) {
                break;  // EOF: the child is dead and everything it acknowledged is read
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            std::size_t end = 0;
            while ((end = buffer.find('\n')) != std::string::npos) {
                const std::string line = buffer.substr(0, end);
                buffer.erase(0, end + 1);
                (line[0] == 'C' ? created : updated).insert(line.substr(2));
            }
            // Kill mid-stream, with writes of 4 threads in flight.
            if (!killed && (created.size() + updated.size() >= 600 || deadline.hasExpired())) {
                QCOMPARE(kill(child, SIGKILL), 0);
                killed = true;
            }
        }
        close(fds[0]);
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "writer ended on its own");
        QVERIFY(created.size() >= 300);

        auto store = openStore(dir);
        QVERIFY(store);
        for (const std::string& key : created) {
            auto kv = store->get(key);
            QVERIFY2(kv, key.c_str());
            // An update may be durable without having been acknowledged; never the reverse.
            if (updated.count(key) != 0) {
                QCOMPARE(kv->value, "updated:" + key);
            } else {
                QVERIFY(kv->value == "created:" + key || kv->value == "updated:" + key);
            }
        }
        const auto acknowledged = static_cast<std::int64_t>(created.size() + updated.size());
        QVERIFY(store->currentRevision() >= acknowledged);
        const std::int64_t before = store->currentRevision();
        auto next = store->create("/after-crash", "v");
        QVERIFY(next);
        QCOMPARE(next->modRevision, before + 1);
    }
};

QTEST_GUILESS_MAIN(TstStore)
#include "tst_store.moc"
