// SPDX-License-Identifier: Apache-2.0
// Writes through the HTTP server answer when the store's commit completes, without holding an
// I/O thread meanwhile: many concurrent creates over two I/O threads share group commits, each
// gets its own resourceVersion, a watch sees them in commit order, and a write the store
// refuses (on its commit thread, or at once before queueing) still gets its Status.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/apiserver/router.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kConfigMaps("", "v1", "configmaps", "default");

/// A server wired as TestServer's, over plain HTTP with an administrator identity, on a
/// store with a small value limit (so that the store refuses a write before queueing it).
struct SmallStoreServer {
    explicit SmallStoreServer(const std::filesystem::path& dir) {
        store::StoreOptions options;
        options.maxValueBytes = 2048;
        auto opened = store::Store::open(dir / "store.db", options);
        if (!opened) {
            return;
        }
        store = std::move(*opened);
        registry = api::KindRegistry::withBuiltinKinds();
        resources = std::make_unique<apiserver::ResourceHandler>(*store, *registry);
        if (!resources->bootstrap()) {
            return;
        }
        discovery = std::make_unique<apiserver::Discovery>(*registry);
        openApi = std::make_unique<apiserver::OpenApi>(*registry);
        router = std::make_unique<apiserver::Router>(*discovery, *openApi, *resources);
        router->setReady(true);
        apiserver::ServerOptions serverOptions;
        serverOptions.port = 0;
        serverOptions.plainIdentity = {"system:admin", {"system:masters"}, true};
        http = std::make_unique<apiserver::HttpServer>(serverOptions, *router);
        auto bound = http->start();
        if (!bound) {
            return;
        }
        auto url = client::ServerUrl::parse(bound->url());
        if (!url) {
            return;
        }
        client = std::make_unique<client::HttpsClient>(client::ClientConfig(*url));
    }
    ~SmallStoreServer() {
        client.reset();
        http.reset();
    }

    std::unique_ptr<store::Store> store;
    std::unique_ptr<api::KindRegistry> registry;
    std::unique_ptr<apiserver::ResourceHandler> resources;
    std::unique_ptr<apiserver::Discovery> discovery;
    std::unique_ptr<apiserver::OpenApi> openApi;
    std::unique_ptr<apiserver::Router> router;
    std::unique_ptr<apiserver::HttpServer> http;
    std::unique_ptr<client::HttpsClient> client;
};

}  // namespace

class TstAsyncWrites : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void concurrentCreatesGetDistinctRevisionsInWatchOrder() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        testing::TestServer server(m_dir.filePath("server").toStdString());
        QVERIFY2(server.error().empty(), server.error().c_str());
        client::HttpsClientOptions options;
        options.maxIdleConnections = 32;
        auto https = server.httpsClient(options);
        auto listed = https->list(kConfigMaps);
        QVERIFY(listed);
        client::WatchOptions watchOptions;
        watchOptions.resourceVersion = listed->resourceVersion;
        auto watch = https->watch(kConfigMaps, watchOptions);
        QVERIFY(watch);

        // 32 writers over the server's two I/O threads: with a blocking handler at most two
        // writes could be committing at once; here all of them queue for the commit thread.
        constexpr int kWriters = 32;
        constexpr int kPerWriter = 8;
        std::vector<std::vector<std::int64_t>> revisions(kWriters);
        std::atomic<int> failures{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&, w] {
                for (int i = 0; i < kPerWriter; ++i) {
                    const std::string name = "cm-" + std::to_string(w) + "-" + std::to_string(i);
                    auto created = https->create(kConfigMaps, testing::configMap("default", name));
                    if (!created) {
                        ++failures;
                        continue;
                    }
                    revisions[static_cast<std::size_t>(w)].push_back(
                        std::stoll(created->value("/metadata/resourceVersion"_json_pointer, "0")));
                }
            });
        }
        for (auto& writer : writers) {
            writer.join();
        }
        QCOMPARE(failures.load(), 0);
        std::set<std::int64_t> all;
        for (const auto& mine : revisions) {
            // One writer's creates are sequential: each answered after the previous one
            // committed, so its revisions increase.
            QVERIFY(std::is_sorted(mine.begin(), mine.end()));
            all.insert(mine.begin(), mine.end());
        }
        QCOMPARE(all.size(), std::size_t(kWriters * kPerWriter));

        // The watch sees every create once, in revision order, with the revision its
        // creator was answered with.
        std::vector<std::int64_t> seen;
        QDeadlineTimer deadline(30000);
        while (seen.size() < all.size() && !deadline.hasExpired()) {
            if (auto event = watch->next(std::chrono::milliseconds(100))) {
                QCOMPARE(int(event->type), int(client::WatchEventType::Added));
                seen.push_back(std::stoll(event->resourceVersion()));
            }
        }
        QCOMPARE(seen.size(), all.size());
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QVERIFY(std::set<std::int64_t>(seen.begin(), seen.end()) == all);
        watch->cancel();
    }

    void racingPatchesRetryAfterTheirCommit() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("patches")));
        testing::TestServer server(m_dir.filePath("patches").toStdString());
        QVERIFY2(server.error().empty(), server.error().c_str());
        auto https = server.httpsClient();
        QVERIFY(https->create(kConfigMaps, testing::configMap("default", "shared")));

        // Unconditional merge patches of one object from several writers: they take turns
        // (KeyLanes), and one that loses a race at commit to another writer is read and
        // tried again where its answer resumes (up to five times, as kube-apiserver). The
        // resourceVersion the patched object inherits is no precondition: every patch lands.
        constexpr int kWriters = 4;
        constexpr int kPerWriter = 6;
        std::mutex mutex;
        std::set<std::string> applied;
        std::atomic<int> unexpected{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&, w] {
                for (int i = 0; i < kPerWriter; ++i) {
                    const std::string field = "k" + std::to_string(w) + "-" + std::to_string(i);
                    const json patch = {{"data", {{field, "v"}}}};
                    client::Request request("PATCH", kConfigMaps.named("shared").path(),
                                            patch.dump(), "application/merge-patch+json");
                    auto response = https->send(request);
                    if (response && response->status == 200) {
                        std::lock_guard lock(mutex);
                        applied.insert(field);
                    } else if (!response || response->status != 409 ||
                               json::parse(response->body).value("reason", "") != "Conflict") {
                        ++unexpected;
                    }
                }
            });
        }
        for (auto& writer : writers) {
            writer.join();
        }
        QCOMPARE(unexpected.load(), 0);
        QCOMPARE(applied.size(), std::size_t(kWriters * kPerWriter));
        auto shared = https->get(kConfigMaps.named("shared"));
        QVERIFY(shared);
        std::set<std::string> stored;
        for (const auto& [field, value] : (*shared)["data"].items()) {
            stored.insert(field);
        }
        QVERIFY(stored == applied);

        // Deletes answer from their commit too.
        auto deleted = https->send(client::Request("DELETE", kConfigMaps.named("shared").path()));
        QVERIFY(deleted);
        QCOMPARE(deleted->status, 200);
        QCOMPARE(json::parse(deleted->body).value("status", ""), std::string("Success"));
        auto again = https->send(client::Request("DELETE", kConfigMaps.named("shared").path()));
        QVERIFY(again);
        QCOMPARE(again->status, 404);
    }

    void aWriteTheStoreRefusesStillGetsItsStatus() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("small")));
        SmallStoreServer server(m_dir.filePath("small").toStdString());
        QVERIFY(server.client);

        // Refused on the commit thread: the key exists.
        QVERIFY(server.client->create(kConfigMaps, testing::configMap("default", "twice")));
        auto again = server.client->send(
            client::Request("POST", kConfigMaps.path(),
                            testing::configMap("default", "twice").dump(), "application/json"));
        QVERIFY(again);
        QCOMPARE(again->status, 409);
        const auto exists = json::parse(again->body);
        QCOMPARE(exists.value("reason", ""), std::string("AlreadyExists"));
        QCOMPARE(exists.value("message", ""), std::string("configmaps \"twice\" already exists"));
        QCOMPARE(exists["details"].value("name", ""), std::string("twice"));

        // Refused before it is queued (too large for this store): answered at once, on the
        // thread that submitted it, and the connection goes on serving.
        auto large = testing::configMap("default", "large", {{"blob", std::string(4096, 'x')}});
        auto tooLarge = server.client->send(
            client::Request("POST", kConfigMaps.path(), large.dump(), "application/json"));
        QVERIFY(tooLarge);
        QCOMPARE(tooLarge->status, 413);
        QCOMPARE(json::parse(tooLarge->body).value("kind", ""), std::string("Status"));
        QVERIFY(server.client->get(kConfigMaps.named("twice")));

        // The in-process path (controllers) waits for the same deferred answer.
        client::InProcessClient inProcess(*server.router,
                                          {"system:admin", {"system:masters"}, true});
        auto created = inProcess.create(kConfigMaps, testing::configMap("default", "inproc"));
        QVERIFY(created);
        auto duplicate = inProcess.create(kConfigMaps, testing::configMap("default", "inproc"));
        QVERIFY(!duplicate);
        QCOMPARE(duplicate.error().code(), core::ErrorCode::AlreadyExists);
    }

    void stoppingWithWritesInFlightIsClean() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("stop")));
        SmallStoreServer server(m_dir.filePath("stop").toStdString());
        QVERIFY(server.client);
        std::atomic<bool> running{true};
        std::vector<std::thread> writers;
        for (int w = 0; w < 8; ++w) {
            writers.emplace_back([&, w] {
                for (int i = 0; running; ++i) {
                    (void)server.client->create(
                        kConfigMaps, testing::configMap("default", "s-" + std::to_string(w) + "-" +
                                                                       std::to_string(i)));
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(server.store->size() > 50, 20000);
        // The server stops while answers are deferred; the store then completes them into a
        // stopped context, which must neither crash nor hang.
        QElapsedTimer stopping;
        stopping.start();
        server.http->stop();
        // Destroying it closes the connections, so the writers' pending calls fail now.
        server.http.reset();
        QVERIFY(stopping.elapsed() < 10000);
        running = false;
        for (auto& writer : writers) {
            writer.join();
        }
    }
};

QTEST_GUILESS_MAIN(TstAsyncWrites)
#include "tst_async_writes.moc"
