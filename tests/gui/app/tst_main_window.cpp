// SPDX-License-Identifier: Apache-2.0
#include <filesystem>

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "gui/app/editor_tabs.h"
#include "gui/app/main_window.h"
#include "gui/models/cluster_list_model.h"
#include "gui/models/manifest_editor_model.h"
#include "gui/models/manifest_form_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/views/cluster_manager_view.h"
#include "gui/views/manifest_editor_page.h"
#include "gui/views/topology_page.h"
#include "vm/cluster.h"

using slipway::gui::ClusterListModel;
using slipway::gui::MainWindow;

namespace {

// Polling runs every 2 s; allow a few rounds on a loaded machine.
constexpr int kPollTimeoutMs = 10000;

/// Writes `<root>/<name>/cluster.json` through the vm library, as `slipway start` does. Created
/// 20 minutes ago: ages from 10 to 180 minutes print whole minutes ("20m"), so the test does not
/// depend on which second the listing runs in.
void createStoppedCluster(const QString& root, const char* name, int cpus = 2) {
    const std::filesystem::path dir = std::filesystem::path(root.toStdString()) / name;
    std::filesystem::create_directories(dir);
    slipway::vm::ClusterSpec spec;
    spec.name = name;
    spec.cpus = cpus;
    spec.createdAt = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() - std::chrono::minutes(20));
    const auto saved = slipway::vm::saveClusterSpec(dir / "cluster.json", spec);
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message().c_str());
}

slipway::vm::ClusterManagerOptions optionsFor(const QString& root) {
    slipway::vm::ClusterManagerOptions options;
    options.clustersRoot = root.toStdString();
    return options;
}

QTableView* tableOf(const MainWindow& window) {
    return window.findChild<QTableView*>(QStringLiteral("clusterTable"));
}

QString cell(const QTableView* table, int row, int column) {
    return table->model()->index(row, column).data().toString();
}

QString statusText(const MainWindow& window) {
    const auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("clusterCount"));
    return label != nullptr ? label->text() : QString();
}

QStringList menuTexts(const QMenuBar* bar) {
    QStringList texts;
    for (const QAction* menu : bar->actions()) {
        texts << menu->text();
        for (const QAction* action : menu->menu()->actions()) {
            texts << action->text();
        }
    }
    return texts;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void showsTheClustersOnDisk() {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        createStoppedCluster(root.path(), "bravo", 4);
        createStoppedCluster(root.path(), "alpha");

        MainWindow window(optionsFor(root.path()));
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Slipway Studio"));

        const QTableView* table = tableOf(window);
        QVERIFY(table != nullptr);
        QTRY_COMPARE(table->model()->rowCount(), 2);
        QCOMPARE(cell(table, 0, ClusterListModel::NameColumn), QStringLiteral("alpha"));
        QCOMPARE(cell(table, 1, ClusterListModel::NameColumn), QStringLiteral("bravo"));
        QCOMPARE(cell(table, 0, ClusterListModel::StateColumn), QStringLiteral("Stopped"));
        QCOMPARE(cell(table, 1, ClusterListModel::StateColumn), QStringLiteral("Stopped"));
        QCOMPARE(cell(table, 1, ClusterListModel::CpusColumn), QStringLiteral("4"));
        QCOMPARE(cell(table, 0, ClusterListModel::AgeColumn), QStringLiteral("20m"));
        QCOMPARE(statusText(window), QStringLiteral("2 clusters"));
        QVERIFY(!window.clusterManagerView()->isShowingEmptyState());
        QVERIFY(table->isVisible());
    }

    void followsChangesOnDiskAndKeepsTheSelection() {
        QTemporaryDir root;
        createStoppedCluster(root.path(), "bravo");
        createStoppedCluster(root.path(), "delta");
        MainWindow window(optionsFor(root.path()));
        window.show();
        QTableView* table = tableOf(window);
        QTRY_COMPARE(table->model()->rowCount(), 2);

        table->selectRow(1);  // delta
        createStoppedCluster(root.path(), "alpha");
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 3, kPollTimeoutMs);
        QCOMPARE(cell(table, 0, ClusterListModel::NameColumn), QStringLiteral("alpha"));
        QTRY_COMPARE(statusText(window), QStringLiteral("3 clusters"));
        // The new row went in above; the selection moved with "delta".
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().data().toString(), QStringLiteral("delta"));

        std::filesystem::remove_all(std::filesystem::path(root.path().toStdString()) / "bravo");
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, kPollTimeoutMs);
        QCOMPARE(table->selectionModel()->selectedRows().front().data().toString(),
                 QStringLiteral("delta"));
    }

    void emptyRootShowsTheHint() {
        QTemporaryDir root;
        MainWindow window(optionsFor(root.path()));
        window.show();
        QTRY_COMPARE(statusText(window), QStringLiteral("0 clusters"));
        QVERIFY(window.clusterManagerView()->isShowingEmptyState());
        const auto* hint = window.findChild<QLabel*>(QStringLiteral("emptyState"));
        QVERIFY(hint != nullptr);
        QVERIFY(hint->isVisible());
        QVERIFY(hint->text().contains(QStringLiteral("slipway start")));
        QVERIFY(!tableOf(window)->isVisible());

        createStoppedCluster(root.path(), "first");
        QTRY_VERIFY_WITH_TIMEOUT(!window.clusterManagerView()->isShowingEmptyState(),
                                 kPollTimeoutMs);
        QCOMPARE(statusText(window), QStringLiteral("1 cluster"));
    }

    void listingErrorsShowInABanner() {
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(QStringLiteral("file"));
        QFile file(notADirectory);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();

        MainWindow window(optionsFor(notADirectory));
        window.show();
        const auto* banner = window.findChild<QLabel*>(QStringLiteral("errorBanner"));
        QVERIFY(banner != nullptr);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().startsWith(QStringLiteral("Could not list clusters: ")),
                 qPrintable(banner->text()));
        QVERIFY(banner->text().contains(notADirectory));
        // Nothing is known about the clusters, so no "No clusters yet" either.
        QVERIFY(!window.clusterManagerView()->isShowingEmptyState());
        QCOMPARE(statusText(window), QString());
    }

    void hasFileAndHelpMenus() {
        QTemporaryDir root;
        MainWindow window(optionsFor(root.path()));
        const QStringList texts = menuTexts(window.menuBar());
        QVERIFY2(texts.contains(QStringLiteral("&File")), qPrintable(texts.join(u',')));
        QVERIFY(texts.contains(QStringLiteral("&Quit")));
        QVERIFY(texts.contains(QStringLiteral("&Help")));
        QVERIFY(texts.contains(QStringLiteral("&About Slipway Studio")));
        QVERIFY(texts.contains(QStringLiteral("Open &Topology")));
        QVERIFY(texts.contains(QStringLiteral("&New Manifest")));
        QVERIFY(texts.contains(QStringLiteral("&Open Manifest\u2026")));
    }

    void manifestEditorTabs() {
        QTemporaryDir root;
        qputenv("XDG_CONFIG_HOME", root.filePath(QStringLiteral("config")).toUtf8());
        const QString path = root.filePath(QStringLiteral("shop.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  a: b\n");
        file.close();
        MainWindow window(optionsFor(root.path()));
        const slipway::gui::ConnectionTarget target{
            root.filePath(QStringLiteral("kubeconfig")), {}, QStringLiteral("here")};
        slipway::gui::ManifestEditorPage* page = window.editorTabs()->open(path, &target);
        QCOMPARE(window.tabs()->count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->tabText(1), QStringLiteral("Manifest: shop.yaml"),
                                  kPollTimeoutMs);
        QCOMPARE(page->model()->form()->kind(), QStringLiteral("ConfigMap"));
        QCOMPARE(page->currentTarget(), 0);  // "here", the only cluster to apply to
        QCOMPARE(slipway::gui::ManifestEditorModel::recentFiles().value(0),
                 QFileInfo(path).absoluteFilePath());
        // The same file again brings its tab forward.
        window.tabs()->setCurrentIndex(0);
        QCOMPARE(window.editorTabs()->open(path), page);
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.tabs()->currentIndex(), 1);
        // A new manifest is unsaved from the start.
        window.editorTabs()->open();
        QCOMPARE(window.tabs()->count(), 3);
        QCOMPARE(window.tabs()->tabText(2), QStringLiteral("Manifest: Untitled*"));
        // An unmodified editor closes without asking.
        emit window.tabs()->tabCloseRequested(1);
        QCOMPARE(window.tabs()->count(), 2);
    }

    void topologyTabReportsAnUnreadableKubeconfig() {
        QTemporaryDir root;
        MainWindow window(optionsFor(root.path()));
        const slipway::gui::ConnectionTarget target{
            root.filePath(QStringLiteral("missing")), {}, QStringLiteral("nowhere")};
        slipway::gui::TopologyPage* page = window.openTopology(target);
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.tabs()->currentWidget(), page);
        QCOMPARE(window.tabs()->tabText(1), QStringLiteral("Topology: nowhere"));
        const auto* status = page->findChild<QLabel*>(QStringLiteral("connectionStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Error: ")),
                                 kPollTimeoutMs);
        // The same target again brings the tab forward instead of opening another.
        window.tabs()->setCurrentIndex(0);
        QCOMPARE(window.openTopology(target), page);
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.tabs()->currentIndex(), 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
