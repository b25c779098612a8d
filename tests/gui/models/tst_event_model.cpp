// SPDX-License-Identifier: Apache-2.0
// EventModel and EventFilterModel: rows from hand-made Events (filters, explanations), then
// the live stream of a real slipwayd with simulated nodes through EventStream.
#include <memory>

#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/event_model.h"
#include "gui/services/event_stream.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::EventFilterModel;
using gui::EventModel;
using nlohmann::json;

namespace {

json eventObject(const std::string& uid, const std::string& nameSpace, const std::string& type,
                 const std::string& reason, const std::string& kind, const std::string& name,
                 const std::string& message, const std::string& time) {
    return {{"metadata", {{"name", name + "." + uid}, {"namespace", nameSpace}, {"uid", uid}}},
            {"type", type},
            {"reason", reason},
            {"message", message},
            {"count", 1},
            {"lastTimestamp", time},
            {"involvedObject", {{"kind", kind}, {"name", name}, {"namespace", nameSpace}}}};
}

gui::EventChange change(json object, bool deleted = false) {
    return {deleted, std::make_shared<const json>(std::move(object))};
}

QStringList reasonsShown(const EventFilterModel& filter) {
    QStringList reasons;
    for (int row = 0; row < filter.rowCount(); ++row) {
        reasons.append(filter.index(row, EventModel::ReasonColumn).data().toString());
    }
    return reasons;
}

json deployment(const char* name, const char* image) {
    json container = {{"name", "web"}, {"image", image}};
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

}  // namespace

class TstEventModel : public QObject {
    Q_OBJECT

private slots:
    void filtersAndSortsNewestFirst() {
        EventModel model;
        EventFilterModel filter;
        filter.setSourceModel(&model);
        QSignalSpy choices(&model, &EventModel::choicesChanged);
        model.applyChanges({
            change(eventObject("1", "default", "Normal", "ScalingReplicaSet", "Deployment", "web",
                               "Scaled up replica set web-1 to 3", "2026-01-01T10:00:00Z")),
            change(eventObject("2", "default", "Warning", "FailedScheduling", "Pod", "web-1-a",
                               "0/3 nodes are available: 3 Insufficient cpu.",
                               "2026-01-01T10:00:05Z")),
            change(eventObject("3", "shop", "Warning", "BackOff", "Pod", "cart-1",
                               "Back-off restarting failed container", "2026-01-01T10:00:03Z")),
            change(eventObject("4", "shop", "Normal", "Killing", "Pod", "cart-2",
                               "Stopping container cart", "2026-01-01T10:00:01Z")),
        });
        QCOMPARE(model.rowCount(), 4);
        QVERIFY(choices.count() >= 1);
        QCOMPARE(model.namespaces(),
                 (QStringList{QStringLiteral("default"), QStringLiteral("shop")}));
        QCOMPARE(model.kinds(), (QStringList{QStringLiteral("Deployment"), QStringLiteral("Pod")}));
        QCOMPARE(reasonsShown(filter),
                 (QStringList{QStringLiteral("FailedScheduling"), QStringLiteral("BackOff"),
                              QStringLiteral("Killing"), QStringLiteral("ScalingReplicaSet")}));

        filter.setTypeFilter(QStringLiteral("Warning"));
        QCOMPARE(reasonsShown(filter),
                 (QStringList{QStringLiteral("FailedScheduling"), QStringLiteral("BackOff")}));
        filter.setNamespaceFilter(QStringLiteral("shop"));
        QCOMPARE(reasonsShown(filter), QStringList{QStringLiteral("BackOff")});
        filter.setTypeFilter({});
        filter.setKindFilter(QStringLiteral("Pod"));
        QCOMPARE(reasonsShown(filter),
                 (QStringList{QStringLiteral("BackOff"), QStringLiteral("Killing")}));
        filter.setNamespaceFilter({});
        filter.setKindFilter({});
        filter.setTextFilter(QStringLiteral("INSUFFICIENT"));
        QCOMPARE(reasonsShown(filter), QStringList{QStringLiteral("FailedScheduling")});
        filter.setTextFilter(QStringLiteral("cart-2"));
        QCOMPARE(reasonsShown(filter), QStringList{QStringLiteral("Killing")});

        // An update replaces its row; a deletion removes it.
        json again = eventObject("4", "shop", "Normal", "Killing", "Pod", "cart-2",
                                 "Stopping container cart", "2026-01-01T10:00:09Z");
        again["count"] = 3;
        model.applyChanges({change(again), change(eventObject("1", "default", "Normal", "", "", "",
                                                              "", "2026-01-01T10:00:00Z"),
                                                  true)});
        QCOMPARE(model.rowCount(), 3);
        filter.setTextFilter({});
        QCOMPARE(reasonsShown(filter).constFirst(), QStringLiteral("Killing"));
        QCOMPARE(filter.index(0, EventModel::CountColumn).data().toInt(), 3);
    }

    void explainsTheCommonReasons() {
        for (const char* reason :
             {"FailedScheduling", "BackOff", "Unhealthy", "ScalingReplicaSet", "Killing", "Pulled",
              "Pulling", "ErrImagePull", "SuccessfulCreate", "ProgressDeadlineExceeded",
              "Scheduled", "Started", "FailedMount"}) {
            QVERIFY2(!EventModel::explain(QString::fromLatin1(reason)).isEmpty(), reason);
        }
        QVERIFY(EventModel::explain(QStringLiteral("FailedScheduling"),
                                    QStringLiteral("0/3 nodes are available: 3 Insufficient cpu."))
                    .contains(QStringLiteral("CPU")));
        QVERIFY(EventModel::explain(QStringLiteral("BackOff"),
                                    QStringLiteral("Back-off pulling image \"x\""))
                    .contains(QStringLiteral("ImagePullBackOff")));
        QVERIFY(EventModel::explain(QStringLiteral("BackOff"),
                                    QStringLiteral("Back-off restarting failed container"))
                    .contains(QStringLiteral("CrashLoopBackOff")));
        QVERIFY(EventModel::explain(QStringLiteral("SomethingUnheardOf")).isEmpty());
        EventModel model;
        model.applyChanges({change(eventObject("1", "default", "Warning", "Unhealthy", "Pod", "p",
                                               "Readiness probe failed", "2026-01-01T10:00:00Z"))});
        QVERIFY(model.index(0, 0)
                    .data(EventModel::ExplanationRole)
                    .toString()
                    .contains(QStringLiteral("probe")));
        model.setNow(QDateTime::fromString(QStringLiteral("2026-01-01T10:05:00Z"), Qt::ISODate));
        QCOMPARE(model.index(0, EventModel::LastSeenColumn).data().toString(),
                 QStringLiteral("5m"));
    }

    void streamsTheClustersEvents() {
        testing::SlipwaydServer server;
        QVERIFY(server.start(testing::args(
            {"--sim-nodes", "2", "--sim-start-delay", "100ms", "--sim-ready-delay", "200ms"})));
        auto api = server.apiClient();
        EventModel model;
        EventFilterModel filter;
        filter.setSourceModel(&model);
        {
            gui::EventStream stream(
                gui::ConnectionTarget{server.kubeconfigPath(), {}, QStringLiteral("test")});
            connect(&stream, &gui::EventStream::eventsReceived, &model, &EventModel::applyChanges);
            QSignalSpy synced(&stream, &gui::EventStream::synced);
            stream.start();
            QVERIFY(synced.wait(30000));
            QVERIFY(api->create(client::resources::deployments().in("default"),
                                deployment("web", "nginx:1.25"))
                        .ok());
            QVERIFY(api->create(client::resources::deployments().in("default"),
                                deployment("broken", "doesnotexist:1"))
                        .ok());
            auto shows = [&](const char* reason) {
                for (int row = 0; row < model.rowCount(); ++row) {
                    if (model.rowAt(row).reason == QLatin1String(reason)) {
                        return true;
                    }
                }
                return false;
            };
            // The controllers', the scheduler's and the nodes' events.
            QTRY_VERIFY_WITH_TIMEOUT(shows("ScalingReplicaSet"), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(shows("SuccessfulCreate"), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(shows("Scheduled"), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(shows("Pulling") || shows("Pulled"), 20000);
            QTRY_VERIFY_WITH_TIMEOUT(shows("Failed"), 20000);
        }
        // Warnings only: among them the failed pulls of the broken Deployment's pods (a pod
        // that found no ready node at the very start may add a FailedScheduling).
        filter.setTypeFilter(QStringLiteral("Warning"));
        QVERIFY(filter.rowCount() >= 1);
        int brokenPulls = 0;
        for (int row = 0; row < filter.rowCount(); ++row) {
            QCOMPARE(filter.index(row, 0).data(EventModel::TypeRole).toString(),
                     QStringLiteral("Warning"));
            brokenPulls += filter.index(row, EventModel::ObjectColumn)
                               .data()
                               .toString()
                               .startsWith(QStringLiteral("pod/broken-"));
        }
        QVERIFY(brokenPulls >= 1);
        filter.setTextFilter(QStringLiteral("broken"));
        const QModelIndex warning = filter.index(0, 0);
        QVERIFY2(!warning.data(EventModel::ExplanationRole).toString().isEmpty(),
                 qPrintable(filter.index(0, EventModel::ReasonColumn).data().toString()));
        filter.setTypeFilter({});
        filter.setTextFilter({});
        filter.setKindFilter(QStringLiteral("Deployment"));
        filter.setTextFilter(QStringLiteral("web"));
        QVERIFY(filter.rowCount() >= 1);
        QCOMPARE(filter.index(0, EventModel::ReasonColumn).data().toString(),
                 QStringLiteral("ScalingReplicaSet"));
        QVERIFY(filter.index(0, 0)
                    .data(EventModel::ExplanationRole)
                    .toString()
                    .contains(QStringLiteral("ReplicaSet")));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstEventModel)
#include "tst_event_model.moc"
