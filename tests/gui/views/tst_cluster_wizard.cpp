// SPDX-License-Identifier: Apache-2.0
// The create wizard's widgets over its model, the cluster manager's action buttons, the
// operation panel, the boot log dialog and the tray menu, on the offscreen platform. With
// SLIPWAY_SCREENSHOT_DIR set it saves wizard.png there (docs/screenshots).
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include "gui/models/cluster_list_model.h"
#include "gui/models/cluster_wizard_model.h"
#include "gui/views/boot_log_dialog.h"
#include "gui/views/cluster_manager_view.h"
#include "gui/views/cluster_tray_icon.h"
#include "gui/views/cluster_wizard.h"
#include "gui/views/operation_panel.h"

using namespace slipway;
using namespace slipway::gui;

namespace {

void saveScreenshot(QWidget& widget, const char* name) {
    const QString dir = qEnvironmentVariable("SLIPWAY_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(widget.grab().save(dir + QLatin1Char('/') + QString::fromLatin1(name)));
    }
}

vm::ClusterStatus cluster(const char* name, vm::ClusterState state, bool kubeconfig = true) {
    vm::ClusterStatus status;
    status.spec.name = name;
    status.state = state;
    if (kubeconfig) {
        status.kubeconfigPath = std::string("/tmp/it's/") + name + "/kubeconfig";
    }
    return status;
}

void checkHost(ClusterWizardModel& model, bool libvirt) {
    vm::HostResources host;
    host.cpus = 8;
    host.memoryMiB = 15932;
    host.diskFreeGiB = 120;
    model.setHostResources(host);
    model.setMultiNodeAvailability(libvirt, QStringLiteral("needs qemu:///system"));
    model.setDriverAvailability(vm::DriverKind::Local, true, {});
    model.setDriverAvailability(
        vm::DriverKind::Libvirt, libvirt,
        QStringLiteral("libvirt is not reachable: Failed to connect socket to "
                       "'/var/run/libvirt/libvirt-sock': No such file or directory"));
}

}  // namespace

class TstClusterWizard : public QObject {
    Q_OBJECT

private slots:
    void theWizardShowsItsModel() {
        ClusterWizardModel model;
        model.setExistingClusterNames({QStringLiteral("prod")});
        ClusterWizard wizard(&model);
        wizard.show();
        auto* name = wizard.findChild<QLineEdit*>(QStringLiteral("nameEdit"));
        auto* nameError = wizard.findChild<QLabel*>(QStringLiteral("nameError"));
        auto* libvirt = wizard.findChild<QRadioButton*>(QStringLiteral("libvirtDriver"));
        auto* libvirtReason = wizard.findChild<QLabel*>(QStringLiteral("libvirtReason"));
        auto* local = wizard.findChild<QRadioButton*>(QStringLiteral("localDriver"));
        QVERIFY(name && nameError && libvirt && libvirtReason && local);

        // Before the host check both drivers say so, and Next is off.
        QCOMPARE(name->text(), QStringLiteral("slipway"));
        QVERIFY(!libvirt->isEnabled());
        QVERIFY(libvirtReason->text().startsWith(QStringLiteral("Checking")));
        QVERIFY(!wizard.currentPage()->isComplete());

        checkHost(model, false);
        QVERIFY(!libvirt->isEnabled());
        QVERIFY(libvirtReason->text().contains(QStringLiteral("libvirt is not reachable")));
        QVERIFY(local->isEnabled());
        QVERIFY(local->isChecked());
        QVERIFY(wizard.currentPage()->isComplete());

        // Typing a taken name: the message appears next to the field and Next goes off.
        name->clear();
        QTest::keyClicks(name, QStringLiteral("prod"));
        QCOMPARE(model.name(), QStringLiteral("prod"));
        QCOMPARE(nameError->text(), QStringLiteral("A cluster called \"prod\" already exists."));
        QVERIFY(!wizard.currentPage()->isComplete());
        name->clear();
        QTest::keyClicks(name, QStringLiteral("Demo"));
        QVERIFY(nameError->text().startsWith(QStringLiteral("Use lower-case letters")));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("demo"));
        QVERIFY(nameError->text().isEmpty());
        QVERIFY(wizard.currentPage()->isComplete());

        // Resources: the sliders are bounded by the host and drive the model.
        wizard.next();
        auto* cpus = wizard.findChild<QSlider*>(QStringLiteral("cpusSlider"));
        auto* memory = wizard.findChild<QSlider*>(QStringLiteral("memorySlider"));
        auto* disk = wizard.findChild<QSlider*>(QStringLiteral("diskSlider"));
        auto* nodes = wizard.findChild<QSpinBox*>(QStringLiteral("nodesSpin"));
        QCOMPARE(cpus->maximum(), 8);
        QCOMPARE(memory->maximum(), 15872 / 256);
        QCOMPARE(disk->maximum(), 120);
        QVERIFY(!nodes->isEnabled());  // local process: one node
        cpus->setValue(4);
        QCOMPARE(model.cpus(), 4);
        memory->setValue(4096 / 256);
        QCOMPARE(model.memoryMiB(), std::int64_t{4096});

        // Examples: hello is chosen.
        wizard.next();
        auto* hello = wizard.findChild<QCheckBox*>(QStringLiteral("example-hello"));
        QVERIFY(hello && hello->isChecked());
        hello->setChecked(false);
        QVERIFY(!model.isExampleSelected(QStringLiteral("hello")));
        hello->setChecked(true);
        QVERIFY(wizard.currentPage()->isComplete());
        QVERIFY(wizard.findChild<QLabel*>(QStringLiteral("summary"))
                    ->text()
                    .startsWith(QStringLiteral("\"demo\": local process, 4 CPU(s)")));
    }

    void screenshotOfTheWizard() {
        // As on a machine without libvirtd: the VM driver is off and says why.
        ClusterWizardModel model;
        checkHost(model, false);
        ClusterWizard wizard(&model);
        wizard.resize(640, 480);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        auto* name = wizard.findChild<QLineEdit*>(QStringLiteral("nameEdit"));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("demo_"));  // shows a message beside the field
        QVERIFY(!model.nameError().isEmpty());
        saveScreenshot(wizard, "wizard.png");
    }

    void actionsFollowTheSelectedState() {
        ClusterListModel model;
        model.setClusters({cluster("run", vm::ClusterState::Running),
                           cluster("paused", vm::ClusterState::Paused),
                           cluster("stopped", vm::ClusterState::Stopped, false)});
        ClusterManagerView view(&model);
        view.show();
        const auto enabled = [&view](const char* action) {
            return view.actionButton(QString::fromLatin1(action))->isEnabled();
        };
        QVERIFY(enabled("create"));
        QVERIFY(!enabled("start"));  // nothing selected
        QVERIFY(!enabled("delete"));

        view.selectCluster(QStringLiteral("run"));
        QCOMPARE(view.selectedCluster(), QStringLiteral("run"));
        QVERIFY(!enabled("start"));
        QVERIFY(enabled("stop"));
        QVERIFY(enabled("pause"));
        QVERIFY(!enabled("resume"));
        QVERIFY(enabled("copyKubeconfig"));
        QVERIFY(enabled("openTerminal"));

        view.selectCluster(QStringLiteral("paused"));
        QVERIFY(!enabled("pause"));
        QVERIFY(enabled("resume"));
        QVERIFY(enabled("stop"));

        view.selectCluster(QStringLiteral("stopped"));
        QVERIFY(enabled("start"));
        QVERIFY(!enabled("stop"));
        QVERIFY(!enabled("copyKubeconfig"));  // never started: no kubeconfig yet
        QVERIFY(enabled("delete"));

        // While an operation runs on it, its actions wait.
        view.setBusyClusters({QStringLiteral("stopped")});
        QVERIFY(!enabled("start"));
        QVERIFY(!enabled("delete"));
        view.setBusyClusters({});

        // A state change from the next listing re-enables what now applies.
        model.setClusters({cluster("run", vm::ClusterState::Running),
                           cluster("paused", vm::ClusterState::Paused),
                           cluster("stopped", vm::ClusterState::Running)});
        QVERIFY(!enabled("start"));
        QVERIFY(enabled("pause"));
    }

    void buttonsAskForTheirActions() {
        ClusterListModel model;
        model.setClusters({cluster("run", vm::ClusterState::Running)});
        ClusterManagerView view(&model);
        view.show();
        view.selectCluster(QStringLiteral("run"));
        QSignalSpy pause(&view, &ClusterManagerView::pauseRequested);
        QSignalSpy stop(&view, &ClusterManagerView::stopRequested);
        QSignalSpy remove(&view, &ClusterManagerView::deleteRequested);
        QSignalSpy terminal(&view, &ClusterManagerView::openTerminalRequested);
        QSignalSpy create(&view, &ClusterManagerView::createRequested);
        QTest::mouseClick(view.actionButton(QStringLiteral("pause")), Qt::LeftButton);
        QCOMPARE(pause.count(), 1);
        QCOMPARE(pause.first().first().toString(), QStringLiteral("run"));
        QTest::mouseClick(view.actionButton(QStringLiteral("stop")), Qt::LeftButton);
        QCOMPARE(stop.count(), 1);
        QTest::mouseClick(view.actionButton(QStringLiteral("create")), Qt::LeftButton);
        QCOMPARE(create.count(), 1);

        // Delete asks first; "no" sends nothing.
        QStringList asked;
        bool answer = false;
        view.setDeleteConfirmation([&](QWidget*, const QString& name) {
            asked << name;
            return answer;
        });
        QTest::mouseClick(view.actionButton(QStringLiteral("delete")), Qt::LeftButton);
        QCOMPARE(asked, QStringList{QStringLiteral("run")});
        QCOMPARE(remove.count(), 0);
        answer = true;
        QTest::mouseClick(view.actionButton(QStringLiteral("delete")), Qt::LeftButton);
        QCOMPARE(remove.count(), 1);

        // Copy Kubeconfig puts a line for a shell on the clipboard, the path quoted.
        QTest::mouseClick(view.actionButton(QStringLiteral("copyKubeconfig")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("export KUBECONFIG='/tmp/it'\\''s/run/kubeconfig'"));
        QTest::mouseClick(view.actionButton(QStringLiteral("openTerminal")), Qt::LeftButton);
        QCOMPARE(terminal.count(), 1);
        QCOMPARE(terminal.first().at(1).toString(), QStringLiteral("/tmp/it's/run/kubeconfig"));
    }

    void theOperationPanelShowsPhasesAndOutcomes() {
        OperationPanel panel;
        panel.show();
        QVERIFY(panel.isHidden() || panel.rowCount() == 0);
        QSignalSpy cancel(&panel, &OperationPanel::cancelRequested);
        QSignalSpy log(&panel, &OperationPanel::bootLogRequested);
        panel.begin(QStringLiteral("demo"), QStringLiteral("Creating demo"), true, true);
        QVERIFY(panel.isVisible());
        QVERIFY(panel.isRunning(QStringLiteral("demo")));
        panel.setPhase(QStringLiteral("demo"), QStringLiteral("Waiting for the API server"));
        QCOMPARE(panel.text(QStringLiteral("demo")), QStringLiteral("Waiting for the API server"));
        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("operationCancel")),
                          Qt::LeftButton);
        QCOMPARE(cancel.count(), 1);
        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("operationLog")),
                          Qt::LeftButton);
        QCOMPARE(log.count(), 1);

        // A failure stays readable; a plain success goes away.
        panel.finish(QStringLiteral("demo"), false, QStringLiteral("creation cancelled"));
        QVERIFY(!panel.isRunning(QStringLiteral("demo")));
        QCOMPARE(panel.text(QStringLiteral("demo")), QStringLiteral("Failed: creation cancelled"));
        panel.begin(QStringLiteral("other"), QStringLiteral("Stopping other"), true, false);
        QCOMPARE(panel.rowCount(), 2);
        panel.finish(QStringLiteral("other"), true, {});
        QCOMPARE(panel.rowCount(), 1);
    }

    void theBootLogShowsWholeLines() {
        BootLogDialog dialog(QStringLiteral("demo"), QStringLiteral("/x/console.log"));
        dialog.appendText(QStringLiteral("[    0.0] Linux version\r\n[    0.1] boo"));
        dialog.appendText(QStringLiteral("ting\nslipway-guest: network up\n"));
        QCOMPARE(dialog.text(), QStringLiteral("[    0.0] Linux version\n[    0.1] booting\n"
                                               "slipway-guest: network up"));
        dialog.clearText();
        QVERIFY(dialog.text().isEmpty());
    }

    void theTrayMenuListsClusters() {
        ClusterListModel model;
        model.setClusters(
            {cluster("a", vm::ClusterState::Running), cluster("b", vm::ClusterState::Stopped)});
        ClusterTrayIcon tray(&model);
        QCOMPARE(tray.summary(), QStringLiteral("Slipway: 1 of 2 cluster(s) running"));
        QCOMPARE(tray.overallState(), vm::ClusterState::Running);
        QSignalSpy start(&tray, &ClusterTrayIcon::startRequested);
        QSignalSpy stop(&tray, &ClusterTrayIcon::stopRequested);
        QMenu* forA = nullptr;
        QMenu* forB = nullptr;
        for (QAction* action : tray.menu()->actions()) {
            if (action->menu() != nullptr && action->text().startsWith(QLatin1Char('a'))) {
                forA = action->menu();
            }
            if (action->menu() != nullptr && action->text().startsWith(QLatin1Char('b'))) {
                forB = action->menu();
            }
        }
        QVERIFY(forA && forB);
        QCOMPARE(forA->title(), QStringLiteral("a \u2014 Running"));
        QVERIFY(!forA->actions().at(0)->isEnabled());  // Start: it runs
        forA->actions().at(1)->trigger();              // Stop
        QCOMPARE(stop.count(), 1);
        QCOMPARE(stop.first().first().toString(), QStringLiteral("a"));
        forB->actions().at(0)->trigger();
        QCOMPARE(start.first().first().toString(), QStringLiteral("b"));

        model.setClusters({cluster("a", vm::ClusterState::Paused)});
        QCOMPARE(tray.summary(), QStringLiteral("Slipway: 0 of 1 cluster(s) running"));
        QCOMPARE(tray.overallState(), vm::ClusterState::Paused);
        model.setClusters({cluster("a", vm::ClusterState::Stopped)});
        QCOMPARE(tray.overallState(), vm::ClusterState::Stopped);
    }
};

QTEST_MAIN(TstClusterWizard)
#include "tst_cluster_wizard.moc"
