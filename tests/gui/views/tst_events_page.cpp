// SPDX-License-Identifier: Apache-2.0
// EventsPage on a real slipwayd with simulated nodes: the stream fills the table, the filter
// bar narrows it, and the selected event is explained; moved through with the keyboard. With
// SLIPWAY_SCREENSHOT_DIR set it saves events.png there (docs/screenshots).
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "gui/models/event_model.h"
#include "gui/services/event_stream.h"
#include "gui/views/events_page.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::EventModel;
using nlohmann::json;

namespace {

json deployment(const char* name, const char* image, int replicas) {
    json container = {{"name", "app"}, {"image", image}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec", {{"containers", json::array({container})}}}}}}}};
}

}  // namespace

class TstEventsPage : public QObject {
    Q_OBJECT

private slots:
    void filtersAndExplains() {
        testing::SlipwaydServer server;
        QVERIFY(server.start(testing::args(
            {"--sim-nodes", "3", "--sim-start-delay", "200ms", "--sim-ready-delay", "400ms"})));
        auto api = server.apiClient();
        EventModel model;
        gui::EventsPage page(&model);
        gui::EventStream stream(
            gui::ConnectionTarget{server.kubeconfigPath(), {}, QStringLiteral("test")});
        connect(&stream, &gui::EventStream::eventsReceived, &model, &EventModel::applyChanges);
        QSignalSpy synced(&stream, &gui::EventStream::synced);
        page.setConnectionStatus(QStringLiteral("Live"), false);
        page.resize(1500, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        stream.start();
        QVERIFY(synced.wait(30000));
        QVERIFY(api->create(client::resources::deployments().in("default"),
                            deployment("hello", "slipway.local/hello:1", 3))
                    .ok());
        QVERIFY(api->create(client::resources::deployments().in("default"),
                            deployment("typo", "slipway.local/hello:doesnotexist", 1))
                    .ok());
        // The node's failed pulls, and the big one.
        json huge = deployment("huge", "slipway.local/hello:1", 1);
        huge["spec"]["template"]["spec"]["containers"][0]["resources"] = {
            {"requests", {{"cpu", "64"}}}};
        QVERIFY(api->create(client::resources::deployments().in("default"), huge).ok());
        auto count = [&](const char* reason) {
            int n = 0;
            for (int row = 0; row < model.rowCount(); ++row) {
                n += model.rowAt(row).reason == QLatin1String(reason) ? 1 : 0;
            }
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(count("FailedScheduling") >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(count("BackOff") >= 1 || count("Failed") >= 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(count("Started") >= 3, 30000);
        QCOMPARE(page.tableView()->model()->rowCount(), model.rowCount());

        // Kinds and namespaces offered as filters come from the events.
        QVERIFY(page.kindBox()->findText(QStringLiteral("Pod")) > 0);
        QVERIFY(page.namespaceBox()->findText(QStringLiteral("default")) > 0);
        page.typeBox()->setCurrentIndex(page.typeBox()->findData(QStringLiteral("Warning")));
        const int warnings = page.tableView()->model()->rowCount();
        QVERIFY(warnings >= 2);
        QVERIFY(warnings < model.rowCount());
        page.searchEdit()->setText(QStringLiteral("huge"));
        QTRY_COMPARE(page.tableView()->model()->rowCount(), 1);
        QCOMPARE(page.tableView()->model()->index(0, EventModel::ReasonColumn).data().toString(),
                 QStringLiteral("FailedScheduling"));
        page.searchEdit()->clear();
        page.typeBox()->setCurrentIndex(0);

        // Down the table with the keyboard; the panel follows the current row.
        page.tableView()->setFocus();
        page.tableView()->setCurrentIndex(page.tableView()->model()->index(0, 0));
        QTest::keyClick(page.tableView(), Qt::Key_Down);
        QCOMPARE(page.tableView()->currentIndex().row(), 1);
        // Select the scheduling failure for the picture and check its explanation.
        page.searchEdit()->setText(QString());
        const QAbstractItemModel* shown = page.tableView()->model();
        int failed = -1;
        for (int row = 0; row < shown->rowCount() && failed < 0; ++row) {
            if (shown->index(row, EventModel::ReasonColumn).data().toString() ==
                QLatin1String("FailedScheduling")) {
                failed = row;
            }
        }
        QVERIFY(failed >= 0);
        page.tableView()->setCurrentIndex(shown->index(failed, 0));
        QVERIFY2(page.explanationLabel()->text().contains(QStringLiteral("CPU")),
                 qPrintable(page.explanationLabel()->text()));
        const QString dir = qEnvironmentVariable("SLIPWAY_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QVERIFY(page.grab().save(dir + QStringLiteral("/events.png")));
        }
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_MAIN(TstEventsPage)
#include "tst_events_page.moc"
