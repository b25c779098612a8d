// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <chrono>

#include <QtTest>

#include "engine/client/client.h"
#include "engine/client/status_error.h"
#include "engine/pki/certificates.h"

#include "test_server.h"

using namespace slipway;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const client::ResourceRef kConfigMaps = client::resources::configMaps().in("default");
const client::ResourceRef kPods = client::resources::pods().in("default");

json pod(const std::string& name) {
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"labels", {{"app", name}}}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", "busybox"}}})}}}};
}

std::string rv(const json& object) {
    return object.value("/metadata/resourceVersion"_json_pointer, std::string());
}

std::string nameOf(const json& object) {
    return object.value("/metadata/name"_json_pointer, std::string());
}

/// The next event of `watch`, or an Error event saying none came within 10 s.
client::WatchEvent nextEvent(client::Watch& watch) {
    if (auto event = watch.next(10s)) {
        return std::move(*event);
    }
    return client::WatchEvent(client::WatchEventType::Error,
                              {{"kind", "Status"}, {"message", "no event within 10 s"}});
}

}  // namespace

class TstClient : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;

    void addTransports() {
        QTest::addColumn<QString>("transport");
        QTest::newRow("https") << "https";
        QTest::newRow("in-process") << "in-process";
    }

    std::unique_ptr<client::Client> clientFor(const QString& transport) {
        return m_server->client(transport.toStdString());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
    }

    void cleanupTestCase() { m_server.reset(); }

    void buildsKubernetesPaths() {
        QCOMPARE(client::resources::pods().in("default").named("web").sub("status").path(),
                 std::string("/api/v1/namespaces/default/pods/web/status"));
        QCOMPARE(client::resources::deployments().path(), std::string("/apis/apps/v1/deployments"));
        QCOMPARE(
            client::ResourceRef("rbac.authorization.k8s.io", "v1", "clusterroles")
                .named("system:node proxier")
                .path(),
            std::string("/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node%20proxier"));
        QCOMPARE(
            client::QueryBuilder().add("labelSelector", "app in (a,b),!x").add("limit", 5).str(),
            std::string("?labelSelector=app%20in%20%28a%2Cb%29%2C%21x&limit=5"));
    }

    void mapsStatusReasonsToErrorCodes() {
        // The reason decides between codes that share an HTTP status...
        QCOMPARE(client::errorCodeFor("AlreadyExists", 409), core::ErrorCode::AlreadyExists);
        QCOMPARE(client::errorCodeFor("Conflict", 409), core::ErrorCode::Conflict);
        QCOMPARE(client::errorCodeFor("Expired", 410), core::ErrorCode::Gone);
        QCOMPARE(client::errorCodeFor("Gone", 410), core::ErrorCode::Gone);
        QCOMPARE(client::errorCodeFor("InternalError", 500), core::ErrorCode::Internal);
        // ... and the status stands in for a reason the registry does not know.
        QCOMPARE(client::errorCodeFor("", 404), core::ErrorCode::NotFound);
        QCOMPARE(client::errorCodeFor("SomethingNew", 422), core::ErrorCode::Invalid);
        QCOMPARE(client::errorCodeFor("", 502), core::ErrorCode::Internal);
        const auto notStatus =
            client::errorFromStatus(502, std::string("<html>bad gateway</html>"));
        QCOMPARE(notStatus.code(), core::ErrorCode::Internal);
        QVERIFY(notStatus.message().find("bad gateway") != std::string::npos);
    }

    void createGetUpdatePatchDelete_data() { addTransports(); }
    void createGetUpdatePatchDelete() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string name = "crud-" + transport.toStdString();

        auto created =
            client->create(kConfigMaps, testing::configMap("default", name, {{"a", "1"}}));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
        QVERIFY(!created->value("/metadata/uid"_json_pointer, std::string()).empty());
        QVERIFY(!rv(*created).empty());

        auto got = client->get(kConfigMaps.named(name));
        QVERIFY(got.ok());
        QCOMPARE(*got, *created);

        json changed = *got;
        changed["data"]["b"] = "2";
        auto updated = client->update(kConfigMaps, changed);  // name from the object
        QVERIFY2(updated.ok(), updated.ok() ? "" : updated.error().message().c_str());
        QVERIFY(std::stoll(rv(*updated)) > std::stoll(rv(*created)));
        QCOMPARE((*updated)["data"], json({{"a", "1"}, {"b", "2"}}));

        auto merged = client->patch(kConfigMaps.named(name), client::PatchType::Merge,
                                    {{"data", {{"a", nullptr}, {"c", "3"}}}});
        QVERIFY(merged.ok());
        QCOMPARE((*merged)["data"], json({{"b", "2"}, {"c", "3"}}));

        auto patched = client->patch(
            kConfigMaps.named(name), client::PatchType::Json,
            json::array({{{"op", "replace"}, {"path", "/data/b"}, {"value", "two"}}}));
        QVERIFY(patched.ok());
        QCOMPARE((*patched)["data"]["b"], json("two"));

        auto strategic = client->patch(kConfigMaps.named(name), client::PatchType::StrategicMerge,
                                       {{"metadata", {{"labels", {{"tier", "web"}}}}}});
        QVERIFY2(strategic.ok(), strategic.ok() ? "" : strategic.error().message().c_str());
        QCOMPARE(strategic->value("/metadata/labels/tier"_json_pointer, std::string()),
                 std::string("web"));

        auto removed = client->remove(kConfigMaps.named(name));
        QVERIFY(removed.ok());
        QCOMPARE((*removed)["status"], json("Success"));
        const auto gone = client->get(kConfigMaps.named(name));
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code(), core::ErrorCode::NotFound);
    }

    void statusSubresourceAndDeleteOptions_data() { addTransports(); }
    void statusSubresourceAndDeleteOptions() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string name = "status-" + transport.toStdString();

        auto created = client->create(kPods, pod(name));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
        QCOMPARE(created->value("/status/phase"_json_pointer, std::string()),
                 std::string("Pending"));

        json running = *created;
        running["status"]["phase"] = "Running";
        auto statusWritten = client->updateStatus(kPods, running);
        QVERIFY2(statusWritten.ok(),
                 statusWritten.ok() ? "" : statusWritten.error().message().c_str());
        QCOMPARE(statusWritten->value("/status/phase"_json_pointer, std::string()),
                 std::string("Running"));

        // A plain update cannot touch status: it belongs to the subresource.
        json sneaky = *statusWritten;
        sneaky["status"]["phase"] = "Failed";
        auto updated = client->update(kPods, sneaky);
        QVERIFY(updated.ok());
        QCOMPARE(updated->value("/status/phase"_json_pointer, std::string()),
                 std::string("Running"));

        // Preconditions: a stale uid is refused, the right one deletes.
        client::DeleteOptions wrongUid;
        wrongUid.preconditionUid = "00000000-0000-0000-0000-000000000000";
        const auto refused = client->remove(kPods.named(name), wrongUid);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Conflict);

        client::DeleteOptions foreground;
        foreground.propagationPolicy = client::PropagationPolicy::Foreground;
        foreground.gracePeriodSeconds = 0;
        foreground.preconditionUid = created->value("/metadata/uid"_json_pointer, std::string());
        auto deleting = client->remove(kPods.named(name), foreground);
        QVERIFY2(deleting.ok(), deleting.ok() ? "" : deleting.error().message().c_str());
        // Foreground deletion waits for dependents: the object stays, marked.
        auto marked = client->get(kPods.named(name));
        QVERIFY(marked.ok());
        QVERIFY(marked->contains("/metadata/deletionTimestamp"_json_pointer));
        QCOMPARE(marked->value("/metadata/finalizers"_json_pointer, json::array()),
                 json::array({"foregroundDeletion"}));
        // Dropping the finalizer (the garbage collector's job) completes the deletion.
        auto finalized = client->patch(kPods.named(name), client::PatchType::Merge,
                                       {{"metadata", {{"finalizers", nullptr}}}});
        QVERIFY2(finalized.ok(), finalized.ok() ? "" : finalized.error().message().c_str());
        const auto gone = client->get(kPods.named(name));
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code(), core::ErrorCode::NotFound);
    }

    void listsWithSelectorsAndPages_data() { addTransports(); }
    void listsWithSelectorsAndPages() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string nameSpace = "list-" + transport.toStdString();
        QVERIFY(
            client->create(client::resources::namespaces(), {{"metadata", {{"name", nameSpace}}}})
                .ok());
        const auto inNamespace = client::resources::configMaps().in(nameSpace);
        for (int i = 0; i < 7; ++i) {
            const json labels = {{"parity", i % 2 == 0 ? "even" : "odd"}};
            QVERIFY(
                client
                    ->create(inNamespace, testing::configMap(nameSpace, "cm-" + std::to_string(i),
                                                             json::object(), labels))
                    .ok());
        }

        client::ListOptions even;
        even.labelSelector = "parity=even";
        auto evens = client->list(inNamespace, even);
        QVERIFY(evens.ok());
        QCOMPARE(evens->items.size(), std::size_t(4));  // 0, 2, 4, 6
        for (const auto& item : evens->items) {
            QCOMPARE(item.value("/metadata/labels/parity"_json_pointer, std::string()),
                     std::string("even"));
        }

        client::ListOptions byName;
        byName.fieldSelector = "metadata.name=cm-3";
        auto one = client->list(inNamespace, byName);
        QVERIFY(one.ok());
        QCOMPARE(one->items.size(), std::size_t(1));
        QCOMPARE(nameOf(one->items[0]), std::string("cm-3"));

        client::ListOptions paged;
        paged.limit = 3;
        auto first = client->list(inNamespace, paged);
        QVERIFY(first.ok());
        QCOMPARE(first->items.size(), std::size_t(3));
        QVERIFY(!first->continueToken.empty());
        auto all = client->listAll(inNamespace, paged);
        QVERIFY(all.ok());
        QCOMPARE(all->items.size(), std::size_t(7));
        QVERIFY(all->continueToken.empty());
        QCOMPARE(nameOf(all->items[6]), std::string("cm-6"));
        // A transform sees every item of every page, as the page arrives.
        int transformed = 0;
        auto names = client->listAll(inNamespace, paged, [&transformed](nlohmann::json item) {
            ++transformed;
            return nlohmann::json{{"metadata", {{"name", item.at("metadata").at("name")}}}};
        });
        QVERIFY(names.ok());
        QCOMPARE(transformed, 7);
        QCOMPARE(names->items.size(), std::size_t(7));
        QCOMPARE(names->items[6], (nlohmann::json{{"metadata", {{"name", "cm-6"}}}}));

        // deletecollection by selector, then only the odd ones remain.
        auto removed = client->removeCollection(inNamespace, even);
        QVERIFY2(removed.ok(), removed.ok() ? "" : removed.error().message().c_str());
        QCOMPARE(removed->items.size(), std::size_t(4));
        QCOMPARE(client->list(inNamespace)->items.size(), std::size_t(3));
    }

    void mapsServerErrors_data() { addTransports(); }
    void mapsServerErrors() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string name = "errors-" + transport.toStdString();

        const auto missing = client->get(kConfigMaps.named("does-not-exist"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
        QCOMPARE(missing.error().message(), std::string("configmaps \"does-not-exist\" not found"));

        auto created = client->create(kConfigMaps, testing::configMap("default", name));
        QVERIFY(created.ok());
        const auto duplicate = client->create(kConfigMaps, testing::configMap("default", name));
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().code(), core::ErrorCode::AlreadyExists);
        QVERIFY(duplicate.error().message().find("already exists") != std::string::npos);

        // Two writers from the same read: the second one's resourceVersion is stale.
        json first = *created;
        first["data"]["writer"] = "first";
        QVERIFY(client->update(kConfigMaps, first).ok());
        json second = *created;
        second["data"]["writer"] = "second";
        const auto stale = client->update(kConfigMaps, second);
        QVERIFY(!stale.ok());
        QCOMPARE(stale.error().code(), core::ErrorCode::Conflict);
        QVERIFY(stale.error().message().find("has been modified") != std::string::npos);
        QCOMPARE(
            client->get(kConfigMaps.named(name))->value("/data/writer"_json_pointer, std::string()),
            std::string("first"));

        // Invalid: the code, the Status message, and the causes for the GUI's fields.
        const json bad = testing::configMap("default", "Not_A_Valid_Name");
        const auto invalid = client->create(kConfigMaps, bad);
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code(), core::ErrorCode::Invalid);
        QVERIFY2(invalid.error().message().find("metadata.name") != std::string::npos,
                 invalid.error().message().c_str());
        client::Request raw("POST", kConfigMaps.path(), bad.dump(), "application/json");
        const auto answer = client->send(raw);
        QVERIFY(answer.ok());
        QCOMPARE(answer->status, 422);
        const auto causes = client::statusCauses(answer->body);
        QVERIFY(!causes.empty());
        QCOMPARE(causes.front().field, std::string("metadata.name"));
        QCOMPARE(causes.front().reason, std::string("FieldValueInvalid"));

        client::ListOptions badSelector;
        badSelector.labelSelector = "a b";
        const auto unparsable = client->list(kConfigMaps, badSelector);
        QVERIFY(!unparsable.ok());
        QCOMPARE(unparsable.error().code(), core::ErrorCode::BadRequest);

        const auto unknown = client->list(client::ResourceRef("example.com", "v1", "widgets"));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code(), core::ErrorCode::NotFound);
    }

    void watchDeliversEventsInOrder_data() { addTransports(); }
    void watchDeliversEventsInOrder() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string name = "watched-" + transport.toStdString();

        auto listed = client->list(kConfigMaps);
        QVERIFY(listed.ok());
        client::WatchOptions options;
        options.resourceVersion = listed->resourceVersion;
        options.fieldSelector = "metadata.name=" + name;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY2(watch.ok(), watch.ok() ? "" : watch.error().message().c_str());

        auto created = client->create(kConfigMaps, testing::configMap("default", name));
        QVERIFY(created.ok());
        json changed = *created;
        changed["data"]["k"] = "v";
        auto updated = client->update(kConfigMaps, changed);
        QVERIFY(updated.ok());
        QVERIFY(client->remove(kConfigMaps.named(name)).ok());

        const auto added = nextEvent(*watch);
        QCOMPARE(client::watchEventTypeName(added.type), std::string_view("ADDED"));
        QCOMPARE(nameOf(added.object), name);
        QCOMPARE(added.resourceVersion(), rv(*created));
        const auto modified = nextEvent(*watch);
        QCOMPARE(client::watchEventTypeName(modified.type), std::string_view("MODIFIED"));
        QCOMPARE(modified.object["data"]["k"], json("v"));
        QCOMPARE(modified.resourceVersion(), rv(*updated));
        const auto deleted = nextEvent(*watch);
        QCOMPARE(client::watchEventTypeName(deleted.type), std::string_view("DELETED"));
        QCOMPARE(nameOf(deleted.object), name);
        QVERIFY(std::stoll(deleted.resourceVersion()) > std::stoll(rv(*updated)));
        QVERIFY(!watch->ended());
    }

    void watchNotifiesAndCancels_data() { addTransports(); }
    void watchNotifiesAndCancels() {
        // The GUI's way: a notifier that only flags, and poll() from the flagged side.
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string prefix = "notified-" + transport.toStdString();
        client::WatchOptions options;
        options.resourceVersion = client->list(kConfigMaps)->resourceVersion;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY(watch.ok());
        std::atomic<int> notified{0};
        watch->setNotifier([&notified] { ++notified; });

        QVERIFY(client->create(kConfigMaps, testing::configMap("default", prefix + "-1")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(notified.load() > 0, 10000);
        std::vector<client::WatchEvent> events;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (auto& event : watch->poll()) {
                    events.push_back(std::move(event));
                }
                return !events.empty();
            }(),
            10000);
        QCOMPARE(nameOf(events.front().object), prefix + "-1");

        watch->cancel();
        QVERIFY(watch->ended());
        QCOMPARE(watch->error()->code(), core::ErrorCode::Cancelled);
        const int before = notified.load();
        // A second watch proves the next write has been published; the cancelled one must not
        // have been told about it.
        options.resourceVersion = client->list(kConfigMaps)->resourceVersion;
        auto witness = client->watch(kConfigMaps, options);
        QVERIFY(witness.ok());
        QVERIFY(client->create(kConfigMaps, testing::configMap("default", prefix + "-2")).ok());
        QCOMPARE(nameOf(nextEvent(*witness).object), prefix + "-2");
        QCOMPARE(notified.load(), before);
        QVERIFY(watch->poll().empty());
    }

    void watchBufferIsBounded_data() { addTransports(); }
    void watchBufferIsBounded() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const std::string prefix = "bounded-" + transport.toStdString();
        client::WatchOptions options;
        options.resourceVersion = client->list(kConfigMaps)->resourceVersion;
        options.bufferCapacity = 4;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY(watch.ok());
        constexpr int kObjects = 25;
        for (int i = 0; i < kObjects; ++i) {
            QVERIFY(client
                        ->create(kConfigMaps,
                                 testing::configMap("default", prefix + "-" + std::to_string(i)))
                        .ok());
        }
        // Nobody consumed meanwhile: the transport stopped at 4 buffered events, and each poll
        // finds at most 4; yet every event arrives, in order, as room is made.
        std::vector<std::string> names;
        std::size_t largestBatch = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto batch = watch->poll();
                largestBatch = std::max(largestBatch, batch.size());
                for (const auto& event : batch) {
                    names.push_back(nameOf(event.object));
                }
                return names.size() >= kObjects;
            }(),
            15000);
        QCOMPARE(largestBatch, std::size_t(4));
        QCOMPARE(names.size(), std::size_t(kObjects));
        for (int i = 0; i < kObjects; ++i) {
            QCOMPARE(names[std::size_t(i)], prefix + "-" + std::to_string(i));
        }
    }

    void watchEndsAtItsTimeout_data() { addTransports(); }
    void watchEndsAtItsTimeout() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        client::WatchOptions options;
        options.resourceVersion = client->list(kConfigMaps)->resourceVersion;
        options.timeout = 1s;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY(watch.ok());
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT((watch->next(100ms), watch->ended()), 10000);
        QVERIFY(clock.elapsed() >= 900);
        // A clean end: the watcher simply watches again.
        QVERIFY(!watch->error().has_value());
    }

    void watchFromACompactedRevisionIsExpired_data() { addTransports(); }
    void watchFromACompactedRevisionIsExpired() {
        QFETCH(QString, transport);
        const auto client = clientFor(transport);
        const auto old = client->list(kConfigMaps)->resourceVersion;
        QVERIFY(client
                    ->create(kConfigMaps,
                             testing::configMap("default", "compact-" + transport.toStdString()))
                    .ok());
        QVERIFY(m_server->store().compact(m_server->store().currentRevision()).ok());
        client::WatchOptions options;
        options.resourceVersion = old;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY(watch.ok());
        const auto event = nextEvent(*watch);
        QCOMPARE(client::watchEventTypeName(event.type), std::string_view("ERROR"));
        QCOMPARE(event.statusError().code(), core::ErrorCode::Gone);
        QCOMPARE(event.object["code"], json(410));
    }

    void httpsReusesConnectionsAndSurvivesRestarts() {
        const auto client = m_server->httpsClient();
        for (int i = 0; i < 20; ++i) {
            QVERIFY(client->get(client::resources::namespaces().named("default")).ok());
        }
        // Sequential calls share one keep-alive connection.
        QCOMPARE(client->connectionsOpened(), std::size_t(1));

        // The server restarts: the pooled connection is dead, the next call notices and
        // retries on a fresh one instead of failing.
        m_server->stopHttp();
        const auto down = client->get(client::resources::namespaces().named("default"));
        QVERIFY(!down.ok());
        QCOMPARE(down.error().code(), core::ErrorCode::Network);
        QVERIFY(m_server->startHttp());
        QVERIFY(client->get(client::resources::namespaces().named("default")).ok());
    }

    void httpsRetriesAStaleIdleConnection() {
        const auto client = m_server->httpsClient();
        QVERIFY(client->get(client::resources::namespaces().named("default")).ok());
        QCOMPARE(client->connectionsOpened(), std::size_t(1));
        // The server goes and comes back while the connection idles in the pool.
        m_server->stopHttp();
        QVERIFY(m_server->startHttp());
        QVERIFY(client->get(client::resources::namespaces().named("default")).ok());
        QCOMPARE(client->connectionsOpened(), std::size_t(2));
    }

    void httpsWatchEndsWhenTheServerGoes() {
        const auto client = m_server->httpsClient();
        client::WatchOptions options;
        options.resourceVersion = client->list(kConfigMaps)->resourceVersion;
        auto watch = client->watch(kConfigMaps, options);
        QVERIFY(watch.ok());
        m_server->stopHttp();
        QTRY_VERIFY_WITH_TIMEOUT((watch->next(100ms), watch->ended()), 10000);
        QVERIFY(watch->error().has_value());
        QVERIFY(m_server->startHttp());
    }

    void httpsRefusesAnUntrustedServer() {
        auto config = m_server->adminConfig();
        const auto other = pki::createCertificateAuthority("other", std::chrono::hours(1));
        QVERIFY(other.ok());
        config.certificateAuthorityPem = other->certificatePem;
        const client::HttpsClient client(config);
        const auto refused = client.get(client::resources::namespaces().named("default"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Network);
        QVERIFY(refused.error().message().find("TLS handshake") != std::string::npos);
        const auto watch = client.watch(kConfigMaps);
        QVERIFY(!watch.ok());
    }

    void httpsBoundsAnswerSizes() {
        client::HttpsClientOptions options;
        options.maxBodyBytes = 256;
        const auto client = m_server->httpsClient(options);
        const auto big = client->list(client::resources::namespaces());
        QVERIFY(!big.ok());
        QCOMPARE(big.error().code(), core::ErrorCode::Network);
        QVERIFY2(big.error().message().find("body limit") != std::string::npos,
                 big.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstClient)
#include "tst_client.moc"
