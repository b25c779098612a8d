// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include <QtTest>

#include "engine/store/watch_cache.h"

using namespace slipway;
using store::KeyValue;
using store::WatchEvent;
using store::detail::WatchCache;

namespace {

// Writes through the cache the way the commit thread does: the next revision, the previous
// state from latest().
class Writer {
public:
    explicit Writer(WatchCache& cache) : m_cache(cache) {}

    std::int64_t put(const std::string& key, const std::string& value) {
        const std::int64_t revision = m_cache.revision() + 1;
        auto previous = m_cache.latestShared(key);
        const std::int64_t created = previous != nullptr ? previous->createRevision : revision;
        m_cache.apply(store::detail::makePutEvent(key, value, revision, created, previous));
        return revision;
    }

    std::int64_t remove(const std::string& key) {
        const std::int64_t revision = m_cache.revision() + 1;
        m_cache.apply(store::detail::makeDeleteEvent(m_cache.latestShared(key), revision));
        return revision;
    }

private:
    WatchCache& m_cache;
};

QStringList describe(const std::vector<std::shared_ptr<const KeyValue>>& items) {
    QStringList out;
    for (const auto& kv : items) {
        out << QString::fromStdString(kv->key + "=" + kv->value + "@" +
                                      std::to_string(kv->modRevision));
    }
    return out;
}

QStringList listAt(const WatchCache& cache, std::int64_t revision) {
    return describe(cache.list("/p/", false, {}, revision, 0, {}).items);
}

}  // namespace

class TstWatchCache : public QObject {
    Q_OBJECT
private slots:
    void listsAnyRevisionSinceTheCompactedOne() {
        WatchCache cache;
        Writer write(cache);
        write.put("/p/a", "a1");  // 1
        write.put("/p/b", "b1");  // 2
        write.put("/p/a", "a2");  // 3
        write.remove("/p/b");     // 4
        write.put("/p/c", "c1");  // 5
        write.put("/q/x", "x1");  // 6, outside the prefix

        QCOMPARE(listAt(cache, 2), (QStringList{"/p/a=a1@1", "/p/b=b1@2"}));
        QCOMPARE(listAt(cache, 3), (QStringList{"/p/a=a2@3", "/p/b=b1@2"}));
        QCOMPARE(listAt(cache, 4), (QStringList{"/p/a=a2@3"}));
        QCOMPARE(listAt(cache, 6), (QStringList{"/p/a=a2@3", "/p/c=c1@5"}));
        QCOMPARE(cache.size(), std::size_t(3));
        QVERIFY(cache.latest("/p/b") == nullptr);
        QCOMPARE(cache.latest("/p/a")->createRevision, 1);
    }

    void compactionDropsOnlyVersionsNoLaterRevisionCanSee() {
        WatchCache cache;
        Writer write(cache);
        write.put("/p/a", "a1");  // 1
        write.put("/p/a", "a2");  // 2
        write.put("/p/b", "b1");  // 3
        write.remove("/p/b");     // 4
        write.put("/p/a", "a5");  // 5
        write.put("/p/c", "c1");  // 6
        const QStringList at4 = listAt(cache, 4);
        const QStringList at5 = listAt(cache, 5);

        // a@1 is shadowed by a@2 (the newest at or below 4, kept); b ends in a tombstone at 4,
        // so b does not exist at 4 and both of its versions go.
        auto purge = cache.compactionPurge(4);
        std::sort(purge.begin(), purge.end());
        QCOMPARE(purge, (std::vector<std::int64_t>{1, 3, 4}));

        cache.compact(4);
        QCOMPARE(cache.compactedRevision(), 4);
        QCOMPARE(listAt(cache, 4), at4);
        QCOMPARE(listAt(cache, 5), at5);
        QCOMPARE(cache.historySize(), std::size_t(2));
        const auto replay = cache.replay("/p/", 4);
        QCOMPARE(replay.size(), std::size_t(2));
        QCOMPARE(replay[0]->revision, 5);
        QCOMPARE(replay[1]->revision, 6);
        // Compacting again to the same revision purges nothing.
        QVERIFY(cache.compactionPurge(4).empty());
        // A key whose tombstone is compacted away can be created afresh.
        write.put("/p/b", "b7");
        QCOMPARE(cache.latest("/p/b")->createRevision, 7);
    }

    void pagesCountOnlyFilteredItemsAndResumeAfterTheLastKey() {
        WatchCache cache;
        Writer write(cache);
        for (int i = 0; i < 10; ++i) {
            write.put("/p/" + std::to_string(i), i % 2 == 0 ? "even" : "odd");
        }
        const auto even = [](const KeyValue& kv) { return kv.value == "even"; };
        auto first = cache.list("/p/", false, {}, cache.revision(), 3, even);
        QCOMPARE(describe(first.items), (QStringList{"/p/0=even@1", "/p/2=even@3", "/p/4=even@5"}));
        QVERIFY(first.more);
        auto second = cache.list("/p/", true, first.items.back()->key, cache.revision(), 3, even);
        QCOMPARE(describe(second.items), (QStringList{"/p/6=even@7", "/p/8=even@9"}));
        QVERIFY(!second.more);
        // Exactly `limit` items left: no further page is announced.
        auto exact = cache.list("/p/", false, {}, cache.revision(), 5, even);
        QCOMPARE(exact.items.size(), std::size_t(5));
        QVERIFY(!exact.more);
    }

    void replaySelectsByPrefixAndRevision() {
        WatchCache cache;
        Writer write(cache);
        write.put("/registry/pods/a/x", "1");       // 1
        write.put("/registry/podsecurity/y", "2");  // 2
        write.put("/registry/pods/b/z", "3");       // 3
        write.remove("/registry/pods/a/x");         // 4
        const auto replay = cache.replay("/registry/pods/", 1);
        QCOMPARE(replay.size(), std::size_t(2));
        QCOMPARE(replay[0]->revision, 3);
        QCOMPARE(replay[1]->revision, 4);
        QCOMPARE(replay[1]->type, WatchEvent::Type::Delete);
        // The deleted object as it was, stamped with the deletion revision.
        QCOMPARE(replay[1]->kv.value, std::string("1"));
        QCOMPARE(replay[1]->kv.modRevision, 4);
        QCOMPARE(replay[1]->previous->modRevision, 1);
    }
};

QTEST_GUILESS_MAIN(TstWatchCache)
#include "tst_watch_cache.moc"
