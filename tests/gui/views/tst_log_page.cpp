// SPDX-License-Identifier: Apache-2.0
// LogPage over a LogModel fed by hand: the targets offered, Follow asking for the streams of a
// Deployment's pods, lines shown prefixed by pod, and the keyboard reaching the controls.
#include <QComboBox>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "gui/models/log_model.h"
#include "gui/views/log_page.h"

using namespace slipway::gui;
using nlohmann::json;

namespace {

json owned(const std::string& name, const std::string& kind, const std::string& owner) {
    return {{"name", name},
            {"namespace", "default"},
            {"ownerReferences",
             json::array({{{"kind", kind}, {"name", owner}, {"controller", true}}})}};
}

ResourceEvent upsert(ResourceKind kind, json object) {
    return {ResourceEvent::Type::Added, kind, std::make_shared<const json>(std::move(object))};
}

}  // namespace

class TstLogPage : public QObject {
    Q_OBJECT

private slots:
    void followsTheChosenDeployment() {
        LogModel model;
        LogPage page(&model);
        page.resize(900, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        model.applyEvents({
            upsert(ResourceKind::Deployment,
                   {{"metadata", {{"name", "web"}, {"namespace", "default"}}}}),
            upsert(ResourceKind::ReplicaSet, {{"metadata", owned("web-1", "Deployment", "web")}}),
            upsert(ResourceKind::Pod, {{"metadata", owned("web-1-a", "ReplicaSet", "web-1")},
                                       {"status", {{"phase", "Running"}}}}),
            upsert(ResourceKind::Pod, {{"metadata", owned("web-1-b", "ReplicaSet", "web-1")},
                                       {"status", {{"phase", "Running"}}}}),
        });
        QCOMPARE(page.targetBox()->count(), 1);
        QCOMPARE(page.targetBox()->currentText(), QStringLiteral("default/web"));
        page.kindBox()->setCurrentIndex(1);  // pods
        QCOMPARE(page.targetBox()->count(), 2);
        page.kindBox()->setCurrentIndex(0);

        QSignalSpy requested(&model, &LogModel::streamRequested);
        QTest::mouseClick(page.followButton(), Qt::LeftButton);
        QCOMPARE(requested.count(), 2);
        model.appendChunk(QStringLiteral("web-1-b"), "2026-01-01T10:00:02Z second\n");
        model.appendChunk(QStringLiteral("web-1-a"), "2026-01-01T10:00:01Z first\n");
        QListView* lines = page.linesView();
        QCOMPARE(lines->model()->rowCount(), 2);
        QCOMPARE(lines->model()->index(0, 0).data().toString(), QStringLiteral("[web-1-a] first"));
        QCOMPARE(lines->model()->index(1, 0).data().toString(), QStringLiteral("[web-1-b] second"));

        // Every control takes keyboard focus.
        for (QWidget* widget :
             {static_cast<QWidget*>(page.kindBox()), static_cast<QWidget*>(page.targetBox()),
              static_cast<QWidget*>(page.followButton()), static_cast<QWidget*>(lines)}) {
            QVERIFY(widget->focusPolicy() & Qt::TabFocus);
        }
    }

    void followsATargetChosenElsewhere() {
        // The topology's "Logs…" opens the page before the cluster has listed anything.
        LogModel model;
        LogPage page(&model);
        QSignalSpy requested(&model, &LogModel::streamRequested);
        page.followTarget(QStringLiteral("default"), QStringLiteral("web-1-a"), false);
        QCOMPARE(page.targetBox()->currentText(), QStringLiteral("default/web-1-a"));
        QCOMPARE(page.kindBox()->currentData().toBool(), false);
        model.applyEvents({
            upsert(ResourceKind::Pod, {{"metadata", owned("web-1-a", "ReplicaSet", "web-1")},
                                       {"status", {{"phase", "Running"}}}}),
        });
        // The pod arrives and its stream starts.
        QTRY_COMPARE(requested.count(), 1);
        QCOMPARE(requested.constFirst().at(1).toString(), QStringLiteral("web-1-a"));
        QCOMPARE(page.targetBox()->currentText(), QStringLiteral("default/web-1-a"));
    }
};

QTEST_MAIN(TstLogPage)
#include "tst_log_page.moc"
