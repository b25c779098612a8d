// SPDX-License-Identifier: Apache-2.0
// RolloutPage on a real slipwayd with simulated nodes, mid-rollout and after: what the labels,
// the revision table, the chart and the buttons show, and keyboard focus order. With
// SLIPWAY_SCREENSHOT_DIR set it saves rollout.png there mid-rollout (docs/screenshots).
#include <memory>

#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/rollout_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/rollout_service.h"
#include "gui/views/rollout_page.h"
#include "gui/views/rollout_timeline_chart.h"

#include "tests/gui/rollout_fixtures.h"
#include "tests/integration/test_support.h"

using namespace slipway;
using gui::RolloutModel;
using nlohmann::json;

namespace {

json deployment(const char* name, int replicas, const char* image) {
    return testing::rolloutDeployment(name, replicas, image, "hello", "first release of hello");
}

void saveScreenshot(QWidget& widget, const char* name) {
    const QString dir = qEnvironmentVariable("SLIPWAY_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(widget.grab().save(dir + QLatin1Char('/') + QString::fromLatin1(name)));
    }
}

}  // namespace

class TstRolloutPage : public QObject {
    Q_OBJECT

private slots:
    void showsARolloutInProgress() {
        testing::SlipwaydServer server;
        // Slow readiness, so that the rollout is seen half-way.
        QVERIFY(server.start(testing::args(
            {"--sim-nodes", "3", "--sim-start-delay", "300ms", "--sim-ready-delay", "2500ms"})));
        auto api = server.apiClient();
        const gui::ConnectionTarget target{server.kubeconfigPath(), {}, QStringLiteral("test")};
        RolloutModel model;
        gui::RolloutPage page(&model);
        gui::ClusterConnection connection(target);
        gui::RolloutService service(target);
        connect(&connection, &gui::ClusterConnection::eventsReceived, &model,
                &RolloutModel::applyEvents);
        connect(&model, &RolloutModel::patchRequested, &service, &gui::RolloutService::applyPatch);
        connect(&service, &gui::RolloutService::patchApplied, &model,
                &RolloutModel::commandFinished);
        page.setConnectionStatus(QStringLiteral("Live"), false);
        page.resize(1500, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(api->create(client::resources::deployments().in("default"),
                            deployment("hello", 6, "slipway.local/hello:1"))
                    .ok());
        connection.start();
        QTRY_COMPARE_WITH_TIMEOUT(page.deploymentBox()->currentText(),
                                  QStringLiteral("default/hello"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), RolloutModel::State::Complete, 30000);
        QCOMPARE(page.stateLabel()->text(),
                 QStringLiteral("Deployment \"hello\" successfully rolled out"));
        QVERIFY(page.strategyLabel()->text().contains(
            QStringLiteral("at most 2 extra pods (maxSurge 25% of 6, rounded up)")));

        // As `kubectl set image` then `kubectl annotate` (the annotation goes to the new
        // ReplicaSet only once it exists).
        QVERIFY(model.setImage(QStringLiteral("hello"), QStringLiteral("slipway.local/hello:2")));
        QTRY_COMPARE_WITH_TIMEOUT(model.currentRevision(), 2LL, 15000);
        QVERIFY(
            api->patch(
                   client::resources::deployments().in("default").named("hello"),
                   client::PatchType::Merge,
                   {{"metadata",
                     {{"annotations", {{"kubernetes.io/change-cause", "hello 2: new greeting"}}}}}})
                .ok());
        // Half-way: both revisions have pods, some new ones ready.
        QTRY_VERIFY_WITH_TIMEOUT(model.currentRevision() == 2 &&
                                     testing::podsOfRevision(model, 2) >= 4 &&
                                     testing::podsOfRevision(model, 1) >= 2 &&
                                     model.revisionPods().constFirst().ready >= 2,
                                 30000);
        QCOMPARE(model.state(), RolloutModel::State::Progressing);
        QVERIFY2(page.stateLabel()->text().startsWith(
                     QStringLiteral("Waiting for deployment \"hello\" rollout to finish")),
                 qPrintable(page.stateLabel()->text()));
        QCOMPARE(page.revisionsView()->model()->rowCount(), 2);
        QCOMPARE(page.revisionsView()->model()->index(0, 0).data().toString(),
                 QStringLiteral("2 (current)"));
        QVERIFY(page.chart()->series().at(4)->count() > 2);  // old ReplicaSets
        QVERIFY(page.chart()->series().at(5)->count() > 2);  // new ReplicaSet
        QCOMPARE(page.undoButton()->text(), QStringLiteral("&Undo to revision 1"));
        QVERIFY(page.undoButton()->isEnabled());
        page.revisionsView()->selectRow(1);
        QCOMPARE(page.undoButton()->text(), QStringLiteral("&Undo to revision 1"));
        QTRY_VERIFY_WITH_TIMEOUT(
            model.revisions().at(0).changeCause == QStringLiteral("hello 2: new greeting"), 10000);
        QCOMPARE(model.revisions().at(1).changeCause, QStringLiteral("first release of hello"));
        saveScreenshot(page, "rollout.png");

        // Keyboard: Tab walks from the chooser through the commands to the history.
        QWidget* focus = page.deploymentBox();
        QStringList order;
        for (int i = 0; i < 7; ++i) {
            focus = focus->nextInFocusChain();
            while (focus->focusPolicy() == Qt::NoFocus || !focus->isEnabled()) {
                focus = focus->nextInFocusChain();
            }
            if (auto* button = qobject_cast<QPushButton*>(focus)) {
                order.append(button->text());
            }
        }
        QVERIFY2(order.size() >= 4, qPrintable(order.join(QLatin1Char(','))));
        QCOMPARE(order.constFirst(), QStringLiteral("Set &image\u2026"));

        QTRY_COMPARE_WITH_TIMEOUT(model.state(), RolloutModel::State::Complete, 60000);
        QCOMPARE(testing::podsOfRevision(model, 1), 0);
        page.revisionsView()->selectRow(0);
        QVERIFY(!page.undoButton()->isEnabled());  // the current revision is selected
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_MAIN(TstRolloutPage)
#include "tst_rollout_page.moc"
