// SPDX-License-Identifier: Apache-2.0
// TopologyView and TopologyPage on the offscreen platform, fed by hand-made objects.
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "gui/models/topology_model.h"
#include "gui/views/topology_items.h"
#include "gui/views/topology_page.h"
#include "gui/views/topology_view.h"

using namespace slipway::gui;
using nlohmann::json;

namespace {

ResourceEvent change(ResourceEvent::Type type, ResourceKind kind, json object) {
    return {type, kind, std::make_shared<const json>(std::move(object))};
}

json pod(const std::string& name, const std::string& nodeName) {
    return {
        {"metadata",
         {{"name", name},
          {"namespace", "default"},
          {"labels", {{"app", "web"}}},
          {"ownerReferences",
           json::array({{{"kind", "ReplicaSet"}, {"name", "web-1"}, {"controller", true}}})}}},
        {"spec", {{"nodeName", nodeName}, {"containers", json::array({{{"name", "c"}}})}}},
        {"status",
         {{"phase", "Running"},
          {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})},
          {"containerStatuses",
           json::array(
               {{{"name", "c"}, {"ready", true}, {"state", {{"running", json::object()}}}}})}}}};
}

ResourceEvents cluster() {
    using T = ResourceEvent::Type;
    ResourceEvents events = {
        change(T::Added, ResourceKind::Namespace,
               {{"metadata", {{"name", "default"}}}, {"status", {{"phase", "Active"}}}}),
        change(
            T::Added, ResourceKind::Node,
            {{"metadata", {{"name", "sim-node-1"}}},
             {"status", {{"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}}),
        change(T::Added, ResourceKind::Deployment,
               {{"metadata", {{"name", "web"}, {"namespace", "default"}}},
                {"spec", {{"replicas", 2}}}}),
        change(
            T::Added, ResourceKind::ReplicaSet,
            {{"metadata",
              {{"name", "web-1"},
               {"namespace", "default"},
               {"ownerReferences",
                json::array({{{"kind", "Deployment"}, {"name", "web"}, {"controller", true}}})}}},
             {"spec", {{"replicas", 2}}}}),
        change(T::Added, ResourceKind::Pod, pod("web-1-a", "sim-node-1")),
        change(T::Added, ResourceKind::Pod, pod("web-1-b", "sim-node-1")),
    };
    return events;
}

}  // namespace

class TstTopologyView : public QObject {
    Q_OBJECT

private slots:
    void itemsFollowTheModel() {
        TopologyModel model;
        TopologyView view(&model);
        view.setAnimationsEnabled(false);
        view.resize(900, 600);
        model.applyEvents(cluster());
        QCOMPARE(view.vertexItemCount(), static_cast<int>(model.vertices().size()));
        // deploy→rs, and rs→the lane of sim-node-1 for both pods.
        QCOMPARE(view.edgeItemCount(), 2);
        view.selectVertex(QStringLiteral("ReplicaSet/default/web-1"));
        QCOMPARE(view.selectionEdgeCount(), 3);  // its Deployment and each of its pods
        view.selectVertex({});
        QCOMPARE(view.selectionEdgeCount(), 0);
        const QString id = QStringLiteral("Pod/default/web-1-a");
        QCOMPARE(view.vertexItem(id)->pos(), model.vertex(id)->position);

        model.applyEvents({change(ResourceEvent::Type::Deleted, ResourceKind::Pod,
                                  pod("web-1-a", "sim-node-1"))});
        QVERIFY(view.vertexItem(id) == nullptr);
        QCOMPARE(view.edgeItemCount(), 2);  // the other pod is still in the lane
        model.applyEvents({change(ResourceEvent::Type::Deleted, ResourceKind::Pod,
                                  pod("web-1-b", "sim-node-1"))});
        QCOMPARE(view.edgeItemCount(), 1);
    }

    void podsFadeInAndOut() {
        TopologyModel model;
        TopologyView view(&model);
        view.resize(900, 600);
        view.show();
        model.applyEvents(cluster());
        const QString id = QStringLiteral("Pod/default/web-1-c");
        model.applyEvents(
            {change(ResourceEvent::Type::Added, ResourceKind::Pod, pod("web-1-c", "sim-node-1"))});
        VertexItem* item = view.vertexItem(id);
        QVERIFY(item != nullptr);
        QVERIFY(item->opacity() < 1.0);  // fading in
        QTRY_COMPARE_WITH_TIMEOUT(item->opacity(), 1.0, 3000);
        QPointer<VertexItem> leaving = item;
        model.applyEvents({change(ResourceEvent::Type::Deleted, ResourceKind::Pod,
                                  pod("web-1-c", "sim-node-1"))});
        QVERIFY(view.vertexItem(id) == nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(leaving.isNull(), 3000);  // gone once faded out
    }

    void zoomWithKeysAndWheel() {
        TopologyModel model;
        TopologyView view(&model);
        view.resize(900, 600);
        view.show();
        model.applyEvents(cluster());
        const double start = view.zoom();
        QTest::keyClick(&view, Qt::Key_Plus);
        QVERIFY(view.zoom() > start);
        QTest::keyClick(&view, Qt::Key_Minus);
        QTest::keyClick(&view, Qt::Key_Minus);
        QVERIFY(view.zoom() < start);
        const double beforeWheel = view.zoom();
        QWheelEvent wheel(QPointF(100, 100), view.mapToGlobal(QPointF(100, 100)), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &wheel);
        QVERIFY(view.zoom() > beforeWheel);
        QTest::keyClick(&view, Qt::Key_0);
        // Fitted: everything is in view.
        const QRectF visible = view.mapToScene(view.viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(model.boundingRect()));
    }

    void pageShowsDetailsSearchAndFilters() {
        TopologyModel model;
        TopologyPage page(&model);
        page.view()->setAnimationsEnabled(false);
        page.resize(1300, 700);
        page.show();
        model.applyEvents(cluster());
        QSignalSpy requested(&page, &TopologyPage::objectEventsRequested);

        const QString id = QStringLiteral("Pod/default/web-1-b");
        page.view()->selectVertex(id);
        QCOMPARE(page.view()->selectedVertex(), id);
        QVERIFY(page.yamlView()->toPlainText().contains(QStringLiteral("name: web-1-b")));
        QCOMPARE(page.conditionsTable()->rowCount(), 1);
        QCOMPARE(page.conditionsTable()->item(0, 0)->text(), QStringLiteral("Ready"));
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.constFirst().at(0).toString(), id);
        page.setObjectEvents(id, {EventRow{QStringLiteral("Normal"),
                                           QStringLiteral("Scheduled"),
                                           QStringLiteral("Assigned"),
                                           QStringLiteral("scheduler"),
                                           {},
                                           1}});
        QCOMPARE(page.eventsTable()->rowCount(), 1);
        page.setObjectEvents(QStringLiteral("stale"), {});
        QCOMPARE(page.eventsTable()->rowCount(), 1);

        // A Pod's or a Deployment's log is one click away; a ReplicaSet has none of its own.
        QSignalSpy logs(&page, &TopologyPage::logsRequested);
        QVERIFY(page.logsButton()->isEnabled());
        page.logsButton()->click();
        QCOMPARE(logs.count(), 1);
        QCOMPARE(logs.constFirst().at(0).toString(), QStringLiteral("default"));
        QCOMPARE(logs.constFirst().at(1).toString(), QStringLiteral("web-1-b"));
        QCOMPARE(logs.constFirst().at(2).toBool(), false);
        page.view()->selectVertex(QStringLiteral("ReplicaSet/default/web-1"));
        QVERIFY(!page.logsButton()->isEnabled());
        page.view()->selectVertex(id);

        // Search dims what does not match.
        page.searchEdit()->setText(QStringLiteral("web-1-a"));
        QVERIFY(page.view()->vertexItem(id)->isDimmed());
        QVERIFY(!page.view()->vertexItem(QStringLiteral("Pod/default/web-1-a"))->isDimmed());
        page.searchEdit()->clear();
        QVERIFY(!page.view()->vertexItem(id)->isDimmed());

        // A bad label selector is explained and changes nothing.
        page.labelSelectorEdit()->setText(QStringLiteral("app in ("));
        QMetaObject::invokeMethod(page.labelSelectorEdit(), "editingFinished");
        QVERIFY(!page.filterError().isEmpty());
        QCOMPARE(page.view()->vertexItemCount(), static_cast<int>(model.vertices().size()));
        page.labelSelectorEdit()->setText(QStringLiteral("app=web"));
        QMetaObject::invokeMethod(page.labelSelectorEdit(), "editingFinished");
        QVERIFY(page.filterError().isEmpty());
        QVERIFY(page.view()->vertexItem(QStringLiteral("Deployment/default/web")) == nullptr);
        QVERIFY(page.view()->vertexItem(id) != nullptr);

        // The namespace box lists the cluster's namespaces.
        QCOMPARE(page.namespaceBox()->count(), 2);
        QCOMPARE(page.namespaceBox()->itemText(1), QStringLiteral("default"));
    }
};

QTEST_MAIN(TstTopologyView)
#include "tst_topology_view.moc"
