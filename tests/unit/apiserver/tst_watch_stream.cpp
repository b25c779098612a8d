// SPDX-License-Identifier: Apache-2.0
// WatchStream over a real store: periodic bookmarks carry the revision up to which the
// watcher has every event, and come only when asked for.
#include <atomic>

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/apiserver/object_codec.h"
#include "engine/apiserver/watch_stream.h"
#include "engine/store/store.h"

using namespace slipway;
using nlohmann::json;

namespace {

/// The events of a watch response body, one JSON object per line.
std::vector<json> events(const std::string& body) {
    std::vector<json> parsed;
    std::size_t start = 0;
    while (start < body.size()) {
        const auto end = body.find('\n', start);
        parsed.push_back(json::parse(body.substr(start, end - start)));
        start = end == std::string::npos ? body.size() : end + 1;
    }
    return parsed;
}

}  // namespace

class TstWatchStream : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<api::KindRegistry> m_registry = api::KindRegistry::withBuiltinKinds();

    apiserver::WatchStreamOptions options(bool bookmarks) {
        apiserver::WatchStreamOptions result;
        result.type = m_registry->find("", "v1", "configmaps");
        result.prefix = apiserver::storagePrefix(*result.type, "default");
        result.fromRevision = m_store->currentRevision();
        result.bookmarks = bookmarks;
        result.bookmarkInterval = std::chrono::milliseconds(50);
        return result;
    }

    void put(const std::string& name) {
        const json object = {{"apiVersion", "v1"},
                             {"kind", "ConfigMap"},
                             {"metadata", {{"name", name}, {"namespace", "default"}}}};
        QVERIFY(m_store->create("/registry/core/configmaps/default/" + name, object.dump()));
    }

private slots:
    void init() {
        auto opened = store::Store::open(m_dir.filePath(QStringLiteral("store.db")).toStdString());
        QVERIFY(opened);
        m_store = std::move(*opened);
        put("before");
    }

    void cleanup() {
        m_store.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("store.db")));
    }

    void bookmarksCarryTheRevisionSeenSoFar() {
        const std::int64_t start = m_store->currentRevision();
        auto stream = apiserver::WatchStream::open(*m_store, options(true));
        QVERIFY(stream);
        QCOMPARE((*stream)->heartbeat(), std::chrono::milliseconds(50));
        (*stream)->start([] {});

        std::string body;
        QTRY_VERIFY_WITH_TIMEOUT(((*stream)->read(body), !body.empty()), 5000);
        auto first = events(body);
        QCOMPARE(first.size(), std::size_t(1));
        QCOMPARE(first[0].at("type").get<std::string>(), std::string("BOOKMARK"));
        QCOMPARE(first[0].at("object").at("kind").get<std::string>(), std::string("ConfigMap"));
        QCOMPARE(first[0].at("object").at("metadata").at("resourceVersion").get<std::string>(),
                 std::to_string(start));

        put("after");
        body.clear();
        QTRY_VERIFY_WITH_TIMEOUT(
            ((*stream)->read(body), body.find("BOOKMARK") != std::string::npos), 5000);
        const auto next = events(body);
        QCOMPARE(next.front().at("type").get<std::string>(), std::string("ADDED"));
        QCOMPARE(next.back().at("object").at("metadata").at("resourceVersion").get<std::string>(),
                 std::to_string(start + 1));
    }

    void noBookmarksUnlessAsked() {
        auto stream = apiserver::WatchStream::open(*m_store, options(false));
        QVERIFY(stream);
        QCOMPARE((*stream)->heartbeat(), std::chrono::milliseconds(0));
        (*stream)->start([] {});
        put("one");
        std::string body;
        QTRY_VERIFY_WITH_TIMEOUT(((*stream)->read(body), !body.empty()), 5000);
        // Well past several bookmark intervals: still only the one event.
        QTest::qWait(200);
        (*stream)->read(body);
        const auto all = events(body);
        QCOMPARE(all.size(), std::size_t(1));
        QCOMPARE(all[0].at("type").get<std::string>(), std::string("ADDED"));
    }
};

QTEST_GUILESS_MAIN(TstWatchStream)
#include "tst_watch_stream.moc"
