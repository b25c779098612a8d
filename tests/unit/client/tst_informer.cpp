// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include <QtTest>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"

#include "test_server.h"

using namespace slipway;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// What the handlers were told, recorded as a controller would: keys only.
class Recorder {
public:
    client::EventHandlers handlers(client::WorkQueue* queue = nullptr) {
        client::EventHandlers handlers;
        handlers.onAdd = [this, queue](const client::ObjectPtr& object) {
            record(m_added, *object, queue);
        };
        handlers.onUpdate = [this, queue](const client::ObjectPtr& oldObject,
                                          const client::ObjectPtr& newObject) {
            if (oldObject == newObject) {
                std::lock_guard lock(m_mutex);
                ++m_resynced;
            }
            record(m_updated, *newObject, queue);
        };
        handlers.onDelete = [this, queue](const client::ObjectPtr& object) {
            record(m_deleted, *object, queue);
        };
        return handlers;
    }

    bool added(const std::string& key) const { return has(m_added, key); }
    bool updated(const std::string& key) const { return has(m_updated, key); }
    bool deleted(const std::string& key) const { return has(m_deleted, key); }
    int resynced() const {
        std::lock_guard lock(m_mutex);
        return m_resynced;
    }

private:
    void record(std::set<std::string>& into, const json& object, client::WorkQueue* queue) {
        const std::string key = client::objectKey(object);
        {
            std::lock_guard lock(m_mutex);
            into.insert(key);
        }
        if (queue != nullptr) {
            queue->add(key);
        }
    }
    bool has(const std::set<std::string>& in, const std::string& key) const {
        std::lock_guard lock(m_mutex);
        return in.count(key) != 0;
    }

    mutable std::mutex m_mutex;
    std::set<std::string> m_added;
    std::set<std::string> m_updated;
    std::set<std::string> m_deleted;
    int m_resynced = 0;
};

/// name → resourceVersion.
using State = std::map<std::string, std::string>;

State stateOf(const std::vector<client::ObjectPtr>& objects) {
    State state;
    for (const auto& object : objects) {
        state[object->value("/metadata/name"_json_pointer, std::string())] =
            object->value("/metadata/resourceVersion"_json_pointer, std::string());
    }
    return state;
}

State stateOf(const std::vector<json>& objects) {
    State state;
    for (const auto& object : objects) {
        state[object.value("/metadata/name"_json_pointer, std::string())] =
            object.value("/metadata/resourceVersion"_json_pointer, std::string());
    }
    return state;
}

client::InformerOptions fastOptions(const client::ResourceRef& resource) {
    client::InformerOptions options(resource);
    options.initialBackoff = 20ms;
    options.maxBackoff = 200ms;
    options.pageSize = 2;  // small pages, so that the informer's list really pages
    return options;
}

}  // namespace

class TstInformer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
    }

    void cleanupTestCase() { m_server.reset(); }

    void indexerIndexesAndSelects() {
        const auto shared = std::make_shared<client::Indexer>();
        client::Indexer& indexer = *shared;
        indexer.addIndex("node", [](const json& pod) {
            const auto node = pod.value("/spec/nodeName"_json_pointer, std::string());
            return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
        });
        const auto pod = [](const std::string& ns, const std::string& name, const std::string& node,
                            const std::string& app) {
            return std::make_shared<const json>(
                json{{"metadata", {{"namespace", ns}, {"name", name}, {"labels", {{"app", app}}}}},
                     {"spec", {{"nodeName", node}}}});
        };
        QVERIFY(!indexer.upsert(pod("a", "p1", "n1", "web")));
        QVERIFY(!indexer.upsert(pod("a", "p2", "n2", "db")));
        QVERIFY(!indexer.upsert(pod("b", "p1", "n1", "web")));
        QCOMPARE(indexer.size(), std::size_t(3));
        QCOMPARE(indexer.keys(), (std::vector<std::string>{"a/p1", "a/p2", "b/p1"}));

        const client::Lister lister(shared);
        QCOMPARE(lister.list("a").size(), std::size_t(2));
        QCOMPARE(lister.list("", *core::LabelSelector::parse("app=web")).size(), std::size_t(2));
        QCOMPARE(lister.list("a", *core::LabelSelector::parse("app in (db)")).size(),
                 std::size_t(1));
        QVERIFY(lister.list("a", core::LabelSelector::nothing()).empty());
        QCOMPARE(lister.byIndex("node", "n1").size(), std::size_t(2));

        // Moving a pod to another node moves it in the index; the old object is returned.
        const auto previous = indexer.upsert(pod("a", "p1", "n2", "web"));
        QVERIFY(previous);
        QCOMPARE(previous->value("/spec/nodeName"_json_pointer, std::string()), std::string("n1"));
        QCOMPARE(lister.byIndex("node", "n1").size(), std::size_t(1));
        QCOMPARE(lister.byIndex("node", "n2").size(), std::size_t(2));

        QVERIFY(indexer.erase("a/p2"));
        QVERIFY(!lister.get("a", "p2"));
        QCOMPARE(lister.byIndex("node", "n2").size(), std::size_t(1));

        const auto replaced = indexer.replace({pod("c", "only", "n3", "x")});
        QCOMPARE(replaced.size(), std::size_t(2));
        QCOMPARE(indexer.keys(), std::vector<std::string>{"c/only"});
        QVERIFY(lister.list("a").empty());
        QCOMPARE(lister.byIndex("node", "n3").size(), std::size_t(1));
        QCOMPARE(client::splitObjectKey("c/only").name, std::string("only"));
        QCOMPARE(client::splitObjectKey("node-1").nameSpace, std::string());
    }

    void convergesAndRelistsAfterExpired_data() {
        QTest::addColumn<QString>("transport");
        QTest::newRow("https") << "https";
        QTest::newRow("in-process") << "in-process";
    }
    void convergesAndRelistsAfterExpired() {
        QFETCH(QString, transport);
        const std::string mode = transport.toStdString();
        const auto client = m_server->client(mode);
        const auto direct = m_server->directClient();
        const std::string nameSpace = "informer-" + mode;
        QVERIFY(
            direct->create(client::resources::namespaces(), {{"metadata", {{"name", nameSpace}}}})
                .ok());
        const auto configMaps = client::resources::configMaps().in(nameSpace);
        for (const char* name : {"one", "two", "three", "four", "five"}) {
            QVERIFY(direct->create(configMaps, testing::configMap(nameSpace, name)).ok());
        }
        const auto serverState = [&] { return stateOf(direct->listAll(configMaps)->items); };

        client::Informer informer(*client, fastOptions(configMaps));
        Recorder recorder;
        client::WorkQueue queue;
        informer.addEventHandler(recorder.handlers(&queue));
        informer.start();
        QVERIFY(informer.waitForSync(10s));
        QCOMPARE(stateOf(informer.lister().list()), serverState());
        QVERIFY(recorder.added(nameSpace + "/five"));
        QCOMPARE(queue.len(), std::size_t(5));

        // Changes while the watch is up arrive as events.
        auto one = direct->get(configMaps.named("one"));
        (*one)["data"]["x"] = "1";
        QVERIFY(direct->update(configMaps, *one).ok());
        QVERIFY(direct->remove(configMaps.named("two")).ok());
        QVERIFY(direct->create(configMaps, testing::configMap(nameSpace, "six")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(informer.lister().list()), serverState(), 10000);
        QVERIFY(recorder.updated(nameSpace + "/one"));
        QVERIFY(recorder.deleted(nameSpace + "/two"));
        QCOMPARE(informer.stats().lists, std::uint64_t(1));

        // The watch goes down. Meanwhile objects change and the history is compacted, so the
        // informer's resourceVersion no longer exists when it comes back.
        QVERIFY(m_server->setTransportDown(mode, true));
        QVERIFY(direct->remove(configMaps.named("three")).ok());
        auto four = direct->get(configMaps.named("four"));
        (*four)["data"]["x"] = "4";
        QVERIFY(direct->update(configMaps, *four).ok());
        QVERIFY(direct->create(configMaps, testing::configMap(nameSpace, "seven")).ok());
        QVERIFY(m_server->store().compact(m_server->store().currentRevision()).ok());
        QVERIFY(informer.lastSyncResourceVersion() !=
                std::to_string(m_server->store().currentRevision()));
        QVERIFY(m_server->setTransportDown(mode, false));

        // 410 Expired, a relist, and the difference becomes events: "three" is deleted even
        // though its DELETED event was never seen.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(informer.lister().list()), serverState(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(informer.stats().lists >= 2, 5000);
        QVERIFY(informer.stats().expired >= 1);
        QVERIFY(recorder.deleted(nameSpace + "/three"));
        QVERIFY(recorder.updated(nameSpace + "/four"));
        QVERIFY(recorder.added(nameSpace + "/seven"));
        QVERIFY(!informer.lister().get(nameSpace, "three"));
        QCOMPARE(
            informer.lister().get(nameSpace, "four")->value("/data/x"_json_pointer, std::string()),
            std::string("4"));

        // And it keeps watching after the relist.
        QVERIFY(direct->create(configMaps, testing::configMap(nameSpace, "eight")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(informer.lister().get(nameSpace, "eight") != nullptr, 10000);
        informer.stop();
    }

    void handlersFeedAWorkQueueAndWorkersReadTheLister() {
        const auto client = m_server->inProcessClient();
        const auto configMaps = client::resources::configMaps().in("default");
        client::Informer informer(*client, fastOptions(configMaps));
        client::WorkQueue queue;
        Recorder recorder;
        informer.addEventHandler(recorder.handlers(&queue));
        informer.start();
        QVERIFY(informer.waitForSync(10s));

        // A worker in the shape STYLE.md asks for: read the lister, NotFound means done.
        std::mutex seenMutex;
        std::map<std::string, std::string> seen;  // key → data.value, or "<gone>"
        std::thread worker([&] {
            while (auto key = queue.get()) {
                const auto parts = client::splitObjectKey(*key);
                const auto object = informer.lister().get(parts.nameSpace, parts.name);
                {
                    std::lock_guard lock(seenMutex);
                    seen[*key] = object ? object->value("/data/value"_json_pointer, std::string())
                                        : "<gone>";
                }
                queue.done(*key);
            }
        });
        const auto seenValue = [&](const std::string& key) {
            std::lock_guard lock(seenMutex);
            const auto it = seen.find(key);
            return it == seen.end() ? std::string() : it->second;
        };

        QVERIFY(
            client->create(configMaps, testing::configMap("default", "queued", {{"value", "a"}}))
                .ok());
        QTRY_COMPARE_WITH_TIMEOUT(seenValue("default/queued"), std::string("a"), 10000);
        QVERIFY(client
                    ->patch(configMaps.named("queued"), client::PatchType::Merge,
                            {{"data", {{"value", "b"}}}})
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(seenValue("default/queued"), std::string("b"), 10000);
        QVERIFY(client->remove(configMaps.named("queued")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(seenValue("default/queued"), std::string("<gone>"), 10000);

        queue.shutDown();
        worker.join();
        informer.stop();
    }

    void resyncsPeriodically() {
        const auto client = m_server->inProcessClient();
        const auto nameSpace = client::resources::namespaces();
        auto options = fastOptions(nameSpace);
        options.resyncPeriod = 100ms;
        client::Informer informer(*client, options);
        Recorder recorder;
        informer.addEventHandler(recorder.handlers());
        informer.start();
        QVERIFY(informer.waitForSync(10s));
        // Nothing changes, yet every cached namespace is handed to onUpdate again and again.
        QTRY_VERIFY_WITH_TIMEOUT(informer.stats().resyncs >= 3, 10000);
        QVERIFY(recorder.resynced() >= 3 * 4);  // at least the four built-in namespaces
        QVERIFY(recorder.updated("kube-system"));
    }

    void lateHandlersGetTheCacheAsAdds() {
        const auto client = m_server->inProcessClient();
        client::Informer informer(*client, fastOptions(client::resources::namespaces()));
        informer.start();
        QVERIFY(informer.waitForSync(10s));
        Recorder recorder;
        informer.addEventHandler(recorder.handlers());
        QVERIFY(recorder.added("default"));
        QVERIFY(recorder.added("kube-system"));
    }

    void stopsPromptlyWhileTheServerIsDown() {
        const auto client = m_server->inProcessClient();
        auto options = fastOptions(client::resources::namespaces());
        options.initialBackoff = 10s;  // it must not wait this out when stopped
        client::Informer informer(*client, options);
        m_server->setDown(true);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(informer.stats().failures >= 1, 10000);
        QVERIFY(!informer.hasSynced());
        QElapsedTimer clock;
        clock.start();
        informer.stop();
        QVERIFY(clock.elapsed() < 5000);
        m_server->setDown(false);
    }
};

QTEST_GUILESS_MAIN(TstInformer)
#include "tst_informer.moc"
