// SPDX-License-Identifier: Apache-2.0
// LogModel: lines cut from chunks, pods merged by time and prefixed, the pods of a Deployment
// followed as they come and go. Then LogStreams (engine/client's PodLogStream) against a real
// slipwayd: simulated nodes run no containers and so have no log to give, so what is checked
// there is the request and the server's refusal reaching the model, not log lines.
#include <memory>

#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/log_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/log_streams.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::LogModel;
using gui::ResourceEvent;
using gui::ResourceKind;
using nlohmann::json;

namespace {

json owned(const std::string& name, const std::string& kind, const std::string& owner) {
    json m = {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}};
    m["ownerReferences"] = json::array({{{"kind", kind}, {"name", owner}, {"controller", true}}});
    return m;
}

ResourceEvent upsert(ResourceKind kind, json object) {
    return {ResourceEvent::Type::Added, kind, std::make_shared<const json>(std::move(object))};
}

ResourceEvent removal(ResourceKind kind, json object) {
    return {ResourceEvent::Type::Deleted, kind, std::make_shared<const json>(std::move(object))};
}

json runningPod(const std::string& name, const std::string& replicaSet) {
    return {{"metadata", owned(name, "ReplicaSet", replicaSet)},
            {"status", {{"phase", "Running"}}}};
}

json deployment(const char* name) {
    json container = {{"name", "web"}, {"image", "nginx:1.25"}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", 2},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec", {{"containers", json::array({container})}}}}}}}};
}

QStringList podsOf(const QSignalSpy& spy) {
    QStringList pods;
    for (const auto& call : spy) {
        pods.append(call.at(1).toString());
    }
    pods.sort();
    return pods;
}

}  // namespace

class TstLogModel : public QObject {
    Q_OBJECT

private slots:
    void followsADeploymentsPodsAndMergesThemByTime() {
        LogModel model;
        QSignalSpy requested(&model, &LogModel::streamRequested);
        QSignalSpy stopped(&model, &LogModel::streamStopRequested);
        model.applyEvents({
            upsert(ResourceKind::Deployment,
                   {{"metadata", {{"name", "web"}, {"namespace", "default"}}}}),
            upsert(ResourceKind::ReplicaSet, {{"metadata", owned("web-1", "Deployment", "web")}}),
            upsert(ResourceKind::ReplicaSet, {{"metadata", owned("db-1", "Deployment", "db")}}),
            upsert(ResourceKind::Pod, runningPod("web-1-a", "web-1")),
            upsert(ResourceKind::Pod, runningPod("web-1-b", "web-1")),
            upsert(ResourceKind::Pod, runningPod("db-1-a", "db-1")),
            // Not started yet: nothing to stream.
            upsert(ResourceKind::Pod, {{"metadata", owned("web-1-c", "ReplicaSet", "web-1")},
                                       {"status", {{"phase", "Pending"}}}}),
        });
        QCOMPARE(model.deployments(), QStringList{QStringLiteral("default/web")});
        model.follow(QStringLiteral("default"), QStringLiteral("web"), true);
        QCOMPARE(podsOf(requested),
                 (QStringList{QStringLiteral("web-1-a"), QStringLiteral("web-1-b")}));
        QCOMPARE(model.streamedPods(), podsOf(requested));

        // Chunks split anywhere; each pod's backlog arrives whole, one after the other.
        model.appendChunk(QStringLiteral("web-1-a"),
                          "2026-01-01T10:00:01.000000001Z listening on :80\n2026-01-01T10:00:03Z "
                          "GET /");
        QCOMPARE(model.rowCount(), 1);  // the second line is not finished
        model.appendChunk(QStringLiteral("web-1-a"), " 200\n");
        model.appendChunk(QStringLiteral("web-1-b"),
                          "2026-01-01T10:00:02Z listening on :80\n2026-01-01T10:00:04Z GET "
                          "/health 200\n");
        QCOMPARE(model.text(), QStringLiteral("[web-1-a] listening on :80\n"
                                              "[web-1-b] listening on :80\n"
                                              "[web-1-a] GET / 200\n"
                                              "[web-1-b] GET /health 200"));
        QCOMPARE(model.lineAt(1).pod, QStringLiteral("web-1-b"));
        QVERIFY(model.lineAt(1).time.isValid());

        // A new pod starts: it is followed too. One goes: its stream is stopped.
        model.applyEvents({upsert(ResourceKind::Pod, runningPod("web-1-c", "web-1")),
                           removal(ResourceKind::Pod, runningPod("web-1-a", "web-1"))});
        QCOMPARE(requested.count(), 3);
        QCOMPARE(requested.constLast().at(1).toString(), QStringLiteral("web-1-c"));
        QCOMPARE(podsOf(stopped), QStringList{QStringLiteral("web-1-a")});
        model.appendChunk(QStringLiteral("web-1-c"), "2026-01-01T10:00:05Z hello\n");
        model.streamEnded(QStringLiteral("web-1-b"), QStringLiteral("EOF"));
        QCOMPARE(model.lineAt(4).text, QStringLiteral("hello"));
        QVERIFY(model.lineAt(5).notice);
        QCOMPARE(model.index(5).data().toString(),
                 QStringLiteral("\u2014 log of web-1-b unavailable: EOF"));
        QCOMPARE(model.streamedPods(), QStringList{QStringLiteral("web-1-c")});

        // Following something else stops what was followed and starts afresh.
        model.follow(QStringLiteral("default"), QStringLiteral("db-1-a"), false);
        QCOMPARE(stopped.constLast().at(1).toString(), QStringLiteral("web-1-c"));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(requested.constLast().at(1).toString(), QStringLiteral("db-1-a"));
        model.appendChunk(QStringLiteral("db-1-a"), "no timestamp here\r\n");
        QCOMPARE(model.text(), QStringLiteral("no timestamp here"));  // one pod: no prefix
    }

    void followsAContainerThatRestarted() {
        LogModel model;
        QSignalSpy requested(&model, &LogModel::streamRequested);
        const auto pod = [](int restarts, const char* state) {
            json status = {{"phase", "Running"}};
            status["containerStatuses"] = json::array({{{"name", "web"},
                                                        {"restartCount", restarts},
                                                        {"state", {{state, json::object()}}}}});
            return json{{"metadata", {{"name", "crashy"}, {"namespace", "default"}}},
                        {"status", status}};
        };
        model.applyEvents({upsert(ResourceKind::Pod, pod(0, "running"))});
        model.follow(QStringLiteral("default"), QStringLiteral("crashy"), false);
        QCOMPARE(requested.count(), 1);
        // The container exits: its stream ends, and is not asked for again while it waits.
        model.streamEnded(QStringLiteral("crashy"), {});
        model.applyEvents({upsert(ResourceKind::Pod, pod(0, "terminated"))});
        model.applyEvents({upsert(ResourceKind::Pod, pod(1, "waiting"))});
        QCOMPARE(requested.count(), 1);
        // Restarted and running: the new instance's log is followed.
        model.applyEvents({upsert(ResourceKind::Pod, pod(1, "running"))});
        QCOMPARE(requested.count(), 2);
        QCOMPARE(model.streamedPods(), QStringList{QStringLiteral("crashy")});
        // A stream that ends without a restart (e.g. the server's timeout) stays ended.
        model.streamEnded(QStringLiteral("crashy"), {});
        model.applyEvents({upsert(ResourceKind::Pod, pod(1, "running"))});
        QCOMPARE(requested.count(), 2);
    }

    void streamsThroughTheApiServer() {
        testing::SlipwaydServer server;
        QVERIFY(server.start(testing::args(
            {"--sim-nodes", "2", "--sim-start-delay", "100ms", "--sim-ready-delay", "200ms"})));
        auto api = server.apiClient();
        QVERIFY(
            api->create(client::resources::deployments().in("default"), deployment("web")).ok());
        const gui::ConnectionTarget target{server.kubeconfigPath(), {}, QStringLiteral("test")};
        LogModel model;
        gui::ClusterConnection connection(target);
        gui::LogStreams streams(target);
        connect(&connection, &gui::ClusterConnection::eventsReceived, &model,
                &LogModel::applyEvents);
        connect(&model, &LogModel::streamRequested, &streams, &gui::LogStreams::follow);
        connect(&model, &LogModel::streamStopRequested, &streams, &gui::LogStreams::stop);
        connect(&streams, &gui::LogStreams::chunkReceived, &model, &LogModel::appendChunk);
        connect(&streams, &gui::LogStreams::streamEnded, &model, &LogModel::streamEnded);
        QSignalSpy ended(&streams, &gui::LogStreams::streamEnded);
        model.follow(QStringLiteral("default"), QStringLiteral("web"), true);
        connection.start();
        // Both pods start, both are asked for, and the server's answer for each (a simulated
        // node has no agent serving logs) reaches the model as a notice line.
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 30000);
        for (const auto& call : ended) {
            QVERIFY(call.at(0).toString().startsWith(QStringLiteral("web-")));
            QVERIFY(!call.at(1).toString().isEmpty());
        }
        qInfo("log of a pod on a simulated node: %s",
              qPrintable(ended.constFirst().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
        QVERIFY(model.lineAt(0).notice);
        QCOMPARE(streams.activeStreams(), 0);

        // A pod that does not exist: the Status of the refusal, as kubectl prints it.
        QSignalSpy missing(&streams, &gui::LogStreams::streamEnded);
        streams.follow(QStringLiteral("default"), QStringLiteral("nope"));
        QVERIFY(missing.wait(10000));
        QCOMPARE(missing.constFirst().at(1).toString(), QStringLiteral("pods \"nope\" not found"));

        // Stopping a stream in flight ends it without a word.
        streams.follow(QStringLiteral("default"), QStringLiteral("nope2"));
        streams.stopAll();
        QCOMPARE(streams.activeStreams(), 0);
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstLogModel)
#include "tst_log_model.moc"
