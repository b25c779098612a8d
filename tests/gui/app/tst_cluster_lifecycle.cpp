// SPDX-License-Identifier: Apache-2.0
// A local-process cluster's whole life through Slipway Studio as a user drives it: the create
// wizard (its model, then Create), the example app deployed, the cluster Running in the list,
// pause and resume from the view's buttons (the API server stops answering while paused),
// stop, delete with its confirmation; and a create cancelled half-way that leaves nothing.
// Runs slipwayd as root, as tst_cli_local_cluster does (the local driver needs root); skipped
// otherwise. With SLIPWAY_SCREENSHOT_DIR set it saves clusters.png (docs/screenshots).
#include <filesystem>

#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

#include "engine/client/rest_client.h"
#include "gui/app/cluster_actions.h"
#include "gui/app/main_window.h"
#include "gui/models/cluster_list_model.h"
#include "gui/models/cluster_wizard_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/cluster_service.h"
#include "gui/views/cluster_manager_view.h"
#include "gui/views/cluster_wizard.h"
#include "gui/views/log_page.h"
#include "gui/views/operation_panel.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using namespace slipway::gui;
using namespace std::chrono_literals;

namespace {

constexpr int kStartTimeoutMs = 120'000;

vm::ClusterState stateOf(const ClusterListModel& model, const QString& name) {
    const int row = model.rowOf(name);
    return row < 0 ? vm::ClusterState::Error : model.clusterAt(row).state;
}

QString display(const ClusterListModel& model, const QString& name, int column) {
    const int row = model.rowOf(name);
    return row < 0 ? QString() : model.index(row, column).data().toString();
}

bool apiAnswers(const client::RestClient& rest) {
    client::RequestOptions options;
    options.timeout = 1500ms;
    const auto response = rest.get("/readyz", options);
    return response.ok() && response->status == 200;
}

}  // namespace

class TstClusterLifecycle : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    vm::ClusterManagerOptions options() const {
        vm::ClusterManagerOptions options;
        options.clustersRoot = (m_home.path() + QStringLiteral("/clusters")).toStdString();
        options.userKubeconfig = (m_home.path() + QStringLiteral("/kube/config")).toStdString();
        options.slipwaydPath = testing::binary(QStringLiteral("slipwayd")).toStdString();
        options.startTimeout = 90s;
        options.stopTimeout = 30s;
        return options;
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0) {
            QSKIP("a local-process cluster runs containers, which needs root");
        }
        QVERIFY(m_home.isValid());
    }

    void cleanupTestCase() {
        // Never leave a daemon behind, whatever failed above.
        if (::geteuid() == 0) {
            vm::ClusterManager manager(options());
            for (const char* name : {"wiz", "gone"}) {
                (void)manager.remove(name);
            }
        }
    }

    void aCancelledCreateLeavesNothing() {
        MainWindow window(options());
        ClusterService* service = window.clusterService();
        QSignalSpy finished(service, &ClusterService::operationFinished);
        // Cancel as soon as the first phase is reported ("Creating cluster …").
        connect(service, &ClusterService::operationProgress, this,
                [service](ClusterService::Operation, const QString& name, const QString&) {
                    service->cancelOperation(name);
                });
        vm::ClusterSpec spec;
        spec.name = "gone";
        service->create(spec, {});
        QVERIFY(service->isBusy(QStringLiteral("gone")));
        QVERIFY(window.clusterManagerView()->operationPanel()->isRunning(QStringLiteral("gone")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kStartTimeoutMs);
        QCOMPARE(finished.first().at(2).toBool(), false);
        const QString message = finished.first().at(3).toString();
        QVERIFY2(message.contains(QStringLiteral("cancelled")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("nothing was left behind")), qPrintable(message));
        QVERIFY(!service->isBusy(QStringLiteral("gone")));
        QVERIFY(!QFileInfo::exists(service->clusterDir(QStringLiteral("gone"))));
        QTRY_COMPARE(window.clusterModel()->rowOf(QStringLiteral("gone")), -1);
        // The panel keeps the outcome readable.
        QVERIFY(window.clusterManagerView()
                    ->operationPanel()
                    ->text(QStringLiteral("gone"))
                    .contains(QStringLiteral("nothing was left behind")));
    }

    void aClustersWholeLife() {
        MainWindow window(options());
        window.resize(1180, 560);
        window.show();
        ClusterService* service = window.clusterService();
        service->setPollInterval(250ms);
        ClusterListModel* model = window.clusterModel();
        ClusterManagerView* view = window.clusterManagerView();
        QSignalSpy finished(service, &ClusterService::operationFinished);
        QStringList phases;
        connect(service, &ClusterService::operationProgress, this,
                [&phases](ClusterService::Operation, const QString&, const QString& phase) {
                    phases << phase;
                });

        // The wizard: the host is checked off the GUI thread, then the user fills it in.
        ClusterWizard* wizard = window.clusterActions()->openWizard();
        ClusterWizardModel* wizardModel = wizard->model();
        QTRY_VERIFY_WITH_TIMEOUT(wizardModel->hostChecked(), 30'000);
        QVERIFY(wizardModel->isDriverChecked(vm::DriverKind::Local));
        QVERIFY(wizardModel->isDriverChecked(vm::DriverKind::Libvirt));
        QVERIFY2(wizardModel->isDriverAvailable(vm::DriverKind::Local),
                 qPrintable(wizardModel->driverUnavailableReason(vm::DriverKind::Local)));
        QVERIFY(wizardModel->maxCpus() >= 1);
        QVERIFY(wizardModel->maxMemoryMiB() >= ClusterWizardModel::kMinMemoryMiB);
        wizardModel->setName(QStringLiteral("wiz"));
        wizardModel->setDriver(vm::DriverKind::Local);
        wizardModel->setCpus(1);
        QVERIFY2(wizardModel->canCreate(), qPrintable(wizardModel->blockingReason()));
        QCOMPARE(wizardModel->selectedExampleIds(), QStringList{QStringLiteral("hello")});
        wizard->accept();

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kStartTimeoutMs);
        QVERIFY2(finished.first().at(2).toBool(), qPrintable(finished.first().at(3).toString()));
        QCOMPARE(finished.first().at(0).value<ClusterService::Operation>(),
                 ClusterService::Operation::Create);
        // The example app was applied, as kubectl apply reports it.
        const QString summary = finished.first().at(3).toString();
        QVERIFY2(summary.contains(QStringLiteral("deployment.apps/hello created")),
                 qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("service/hello created")));
        QVERIFY(phases.contains(QStringLiteral("Deploying the example apps")));
        QVERIFY(std::any_of(phases.begin(), phases.end(), [](const QString& phase) {
            return phase.startsWith(QStringLiteral("Waiting for the API server"));
        }));

        // Running in the list, with its node and API address.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*model, QStringLiteral("wiz")), vm::ClusterState::Running,
                                  10'000);
        QCOMPARE(display(*model, QStringLiteral("wiz"), ClusterListModel::NodesColumn),
                 QStringLiteral("1"));
        QCOMPARE(display(*model, QStringLiteral("wiz"), ClusterListModel::CpusColumn),
                 QStringLiteral("1"));
        const QString api =
            display(*model, QStringLiteral("wiz"), ClusterListModel::ApiAddressColumn);
        QVERIFY2(api.startsWith(QStringLiteral("https://127.0.0.1:")), qPrintable(api));
        QTRY_COMPARE(view->selectedCluster(), QStringLiteral("wiz"));
        const QString kubeconfig = model->index(model->rowOf(QStringLiteral("wiz")), 0)
                                       .data(ClusterListModel::KubeconfigPathRole)
                                       .toString();
        const client::RestClient rest = testing::clientFromKubeconfig(kubeconfig);
        QVERIFY(apiAnswers(rest));
        const auto hello = rest.get("/apis/apps/v1/namespaces/default/deployments/hello");
        QVERIFY(hello.ok());
        QCOMPARE(hello->status, 200);

        if (const QString dir = qEnvironmentVariable("SLIPWAY_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QVERIFY(window.grab().save(dir + QStringLiteral("/clusters.png")));
        }

        // The example's pods run on the cluster's real node: their logs, followed through the
        // API server and the node agent, reach the Logs tab ("hello 1: serving … as <pod>").
        LogPage* logs = window.openLogs(ConnectionTarget{kubeconfig, {}, QStringLiteral("wiz")});
        logs->followTarget(QStringLiteral("default"), QStringLiteral("hello"), true);
        const auto servingLines = [logs] {
            int serving = 0;
            const QAbstractItemModel* lines = logs->linesView()->model();
            for (int row = 0; row < lines->rowCount(); ++row) {
                serving += lines->index(row, 0).data().toString().contains(
                               QStringLiteral("hello 1: serving"))
                               ? 1
                               : 0;
            }
            return serving;
        };
        QTRY_COMPARE_WITH_TIMEOUT(servingLines(), 2, 120'000);  // one per replica
        if (const QString dir = qEnvironmentVariable("SLIPWAY_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QVERIFY(window.grab().save(dir + QStringLiteral("/logs.png")));
        }
        window.tabs()->setCurrentIndex(0);  // back to the cluster list

        // Pause: the engine freezes, the API server stops answering.
        QPushButton* pause = view->actionButton(QStringLiteral("pause"));
        QVERIFY(pause->isEnabled());
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*model, QStringLiteral("wiz")), vm::ClusterState::Paused,
                                  10'000);
        QVERIFY(!apiAnswers(rest));
        QCOMPARE(display(*model, QStringLiteral("wiz"), ClusterListModel::StateColumn),
                 QStringLiteral("Paused"));

        // Resume: it answers again.
        QTRY_VERIFY(view->actionButton(QStringLiteral("resume"))->isEnabled());
        QTest::mouseClick(view->actionButton(QStringLiteral("resume")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*model, QStringLiteral("wiz")), vm::ClusterState::Running,
                                  20'000);
        QVERIFY(apiAnswers(rest));

        // Stop.
        QTRY_VERIFY(view->actionButton(QStringLiteral("stop"))->isEnabled());
        QTest::mouseClick(view->actionButton(QStringLiteral("stop")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*model, QStringLiteral("wiz")), vm::ClusterState::Stopped,
                                  60'000);
        QVERIFY(!apiAnswers(rest));
        QCOMPARE(display(*model, QStringLiteral("wiz"), ClusterListModel::ApiAddressColumn),
                 QStringLiteral("\u2014"));

        // Delete, after the confirmation.
        QStringList confirmed;
        view->setDeleteConfirmation([&confirmed](QWidget*, const QString& name) {
            confirmed << name;
            return true;
        });
        QTRY_VERIFY(view->actionButton(QStringLiteral("delete"))->isEnabled());
        QTest::mouseClick(view->actionButton(QStringLiteral("delete")), Qt::LeftButton);
        QCOMPARE(confirmed, QStringList{QStringLiteral("wiz")});
        // create, pause, resume, stop, delete
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 5, 60'000);
        for (const QList<QVariant>& result : finished) {
            QVERIFY2(result.at(2).toBool(), qPrintable(result.at(3).toString()));
        }
        QVERIFY(!QFileInfo::exists(service->clusterDir(QStringLiteral("wiz"))));
        QTRY_COMPARE(model->rowOf(QStringLiteral("wiz")), -1);
        QCOMPARE(model->rowCount(), 0);
    }
};

QTEST_MAIN(TstClusterLifecycle)
#include "tst_cluster_lifecycle.moc"
