// SPDX-License-Identifier: Apache-2.0
// EventRecorder and SharedInformers against an in-process API server.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/event_recorder.h"
#include "engine/client/shared_informers.h"

#include "test_server.h"

using namespace slipway;
using nlohmann::json;

class TstEventRecorder : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    std::vector<json> events(const std::string& nameSpace) {
        auto listed = m_client->list(client::resources::events().in(nameSpace));
        return listed ? listed->items : std::vector<json>{};
    }

    json configMap(const std::string& name) {
        const json object = {{"apiVersion", "v1"},
                             {"kind", "ConfigMap"},
                             {"metadata", {{"name", name}, {"namespace", "default"}}}};
        auto created = m_client->create(client::resources::configMaps().in("default"), object);
        return created ? *created : json();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void writesAnEventAboutTheObject() {
        const json settings = configMap("settings");
        QVERIFY(settings.is_object());
        client::EventRecorder recorder(*m_client, {"test-controller", "node-1"});
        recorder.event(settings, client::EventRecorder::kNormal, "Configured", "all is well");
        QVERIFY(recorder.flush(std::chrono::seconds(5)));

        const auto written = events("default");
        QCOMPARE(written.size(), std::size_t{1});
        const json& event = written.front();
        QCOMPARE(event["reason"], json("Configured"));
        QCOMPARE(event["message"], json("all is well"));
        QCOMPARE(event["type"], json("Normal"));
        QCOMPARE(event["count"], json(1));
        QCOMPARE(event["source"]["component"], json("test-controller"));
        QCOMPARE(event["source"]["host"], json("node-1"));
        QCOMPARE(event["involvedObject"]["kind"], json("ConfigMap"));
        QCOMPARE(event["involvedObject"]["name"], json("settings"));
        QCOMPARE(event["involvedObject"]["uid"], settings["metadata"]["uid"]);
        QVERIFY(event["metadata"]["name"].get<std::string>().starts_with("settings."));
        QCOMPARE(recorder.stats().created, std::uint64_t{1});
    }

    void repeatsBumpTheCountInsteadOfWritingAgain() {
        const json settings = configMap("settings");
        client::EventRecorder recorder(*m_client, {"test-controller", {}});
        for (int i = 0; i < 5; ++i) {
            recorder.event(settings, client::EventRecorder::kWarning, "BackOff", "retrying");
        }
        recorder.event(settings, client::EventRecorder::kWarning, "BackOff", "something else");
        QVERIFY(recorder.flush(std::chrono::seconds(5)));

        const auto written = events("default");
        QCOMPARE(written.size(), std::size_t{2});
        std::map<std::string, std::int64_t> counts;
        for (const auto& event : written) {
            counts[event["message"].get<std::string>()] = event["count"].get<std::int64_t>();
        }
        QCOMPARE(counts["retrying"], std::int64_t{5});
        QCOMPARE(counts["something else"], std::int64_t{1});
        QCOMPARE(recorder.stats().created, std::uint64_t{2});
        QCOMPARE(recorder.stats().updated, std::uint64_t{4});
    }

    void spamFilterLimitsEventsPerObject() {
        const json settings = configMap("settings");
        client::EventRecorderOptions options;
        options.spamBurst = 5;
        client::EventRecorder recorder(*m_client, {"test-controller", {}}, options);
        for (int i = 0; i < 8; ++i) {
            recorder.event(settings, client::EventRecorder::kNormal, "SuccessfulCreate",
                           "Created pod: web-" + std::to_string(i));
        }
        QVERIFY(recorder.flush(std::chrono::seconds(5)));
        QCOMPARE(events("default").size(), std::size_t{5});
        QCOMPARE(recorder.stats().filtered, std::uint64_t{3});
        // Another object has a bucket of its own.
        const json other = configMap("other");
        recorder.event(other, client::EventRecorder::kNormal, "SuccessfulCreate", "Created pod: x");
        QVERIFY(recorder.flush(std::chrono::seconds(5)));
        QCOMPARE(events("default").size(), std::size_t{6});
    }

    void clusterScopedObjectsGetEventsInDefault() {
        auto node = m_client->create(
            client::resources::nodes(),
            json{{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "node-1"}}}});
        QVERIFY(node.ok());
        client::EventRecorder recorder(*m_client, {"node-controller", {}});
        recorder.event(*node, client::EventRecorder::kNormal, "RegisteredNode", "registered");
        QVERIFY(recorder.flush(std::chrono::seconds(5)));
        const auto written = events("default");
        QCOMPARE(written.size(), std::size_t{1});
        QCOMPARE(written.front()["involvedObject"]["name"], json("node-1"));
        QVERIFY(!written.front()["involvedObject"].contains("namespace"));
    }

    void sharedInformersShareOneInformerPerCollection() {
        client::SharedInformers informers(*m_client);
        auto& pods = informers.informerFor(client::resources::pods().in("default"));
        auto& allPods = informers.informerFor(client::resources::pods());
        QCOMPARE(&pods, &allPods);
        auto& maps = informers.informerFor(client::resources::configMaps());
        QVERIFY(&maps != &pods);
        configMap("before");
        informers.start();
        QVERIFY(informers.waitForSync(std::chrono::seconds(5)));
        QVERIFY(maps.lister().get("default", "before") != nullptr);

        // An informer asked for after start() starts at once.
        auto& secrets = informers.informerFor(client::resources::secrets());
        QVERIFY(secrets.waitForSync(std::chrono::seconds(5)));
        configMap("after");
        QTRY_VERIFY_WITH_TIMEOUT(maps.lister().get("default", "after") != nullptr, 5000);
        informers.stop();
    }
};

QTEST_GUILESS_MAIN(TstEventRecorder)
#include "tst_event_recorder.moc"
