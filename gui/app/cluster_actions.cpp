// SPDX-License-Identifier: Apache-2.0
#include "gui/app/cluster_actions.h"

#include <QApplication>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

#include "gui/models/cluster_list_model.h"
#include "gui/models/cluster_wizard_model.h"
#include "gui/services/cluster_service.h"
#include "gui/services/log_file_follower.h"
#include "gui/services/terminal_launcher.h"
#include "gui/views/boot_log_dialog.h"
#include "gui/views/cluster_manager_view.h"
#include "gui/views/cluster_tray_icon.h"
#include "gui/views/cluster_wizard.h"
#include "gui/views/operation_panel.h"

namespace slipway::gui {

using Operation = ClusterService::Operation;

ClusterActions::ClusterActions(ClusterService* service, ClusterListModel* model,
                               ClusterManagerView* view, QMainWindow* window)
    : QObject(window),
      m_service(service),
      m_model(model),
      m_view(view),
      m_window(window),
      m_tray(new ClusterTrayIcon(model, this)) {
    connect(m_view, &ClusterManagerView::createRequested, this, [this] { openWizard(); });
    connect(m_view, &ClusterManagerView::startRequested, m_service, &ClusterService::start);
    connect(m_view, &ClusterManagerView::stopRequested, m_service, &ClusterService::stop);
    connect(m_view, &ClusterManagerView::pauseRequested, m_service, &ClusterService::pause);
    connect(m_view, &ClusterManagerView::resumeRequested, m_service, &ClusterService::resume);
    connect(m_view, &ClusterManagerView::deleteRequested, m_service, &ClusterService::remove);
    connect(m_view, &ClusterManagerView::openTerminalRequested, this,
            &ClusterActions::openTerminal);
    connect(m_view, &ClusterManagerView::statusMessage, this,
            [this](const QString& message) { m_window->statusBar()->showMessage(message, 8000); });

    OperationPanel* panel = m_view->operationPanel();
    connect(panel, &OperationPanel::cancelRequested, m_service, &ClusterService::cancelOperation);
    connect(panel, &OperationPanel::bootLogRequested, this,
            [this](const QString& cluster) { showBootLog(cluster); });
    connect(m_service, &ClusterService::operationStarted, this,
            [this, panel](Operation operation, const QString& cluster, const QString& logPath) {
                QString log = logPath;
                if (const int row = m_model->rowOf(cluster); log.isEmpty() && row >= 0) {
                    log = m_service->logPathFor(m_model->clusterAt(row).spec);
                }
                m_logPaths[cluster] = log;
                const bool longRunning =
                    operation == Operation::Create || operation == Operation::Start ||
                    operation == Operation::Stop || operation == Operation::Delete;
                const bool boots = operation == Operation::Create || operation == Operation::Start;
                panel->begin(cluster, titleOf(static_cast<int>(operation), cluster), longRunning,
                             boots && !log.isEmpty());
                m_busy << cluster;
                m_view->setBusyClusters(m_busy);
            });
    connect(m_service, &ClusterService::operationProgress, panel,
            [panel](Operation, const QString& cluster, const QString& phase) {
                panel->setPhase(cluster, phase);
            });
    connect(m_service, &ClusterService::operationFinished, this,
            [this, panel](Operation operation, const QString& cluster, bool ok,
                          const QString& message) {
                QString summary = message;
                if (ok && operation == Operation::Create && !message.isEmpty()) {
                    summary = tr("\"%1\" is running; example apps: %2").arg(cluster, message);
                }
                panel->finish(cluster, ok, summary);
                m_busy.removeAll(cluster);
                m_view->setBusyClusters(m_busy);
                if (ok && operation == Operation::Create) {
                    // The new cluster's row arrives with the listing that follows.
                    m_selectWhenListed = cluster;
                    selectNewCluster();
                }
            });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ClusterActions::selectNewCluster);

    connect(m_tray, &ClusterTrayIcon::showWindowRequested, this, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
    connect(m_tray, &ClusterTrayIcon::startRequested, m_service, &ClusterService::start);
    connect(m_tray, &ClusterTrayIcon::stopRequested, m_service, &ClusterService::stop);
    connect(m_tray, &ClusterTrayIcon::quitRequested, m_window, &QWidget::close);
}

ClusterActions::~ClusterActions() = default;

void ClusterActions::selectNewCluster() {
    if (!m_selectWhenListed.isEmpty() && m_model->rowOf(m_selectWhenListed) >= 0) {
        m_view->selectCluster(m_selectWhenListed);
        m_selectWhenListed.clear();
    }
}

QString ClusterActions::titleOf(int operation, const QString& cluster) const {
    switch (static_cast<Operation>(operation)) {
        case Operation::Create:
            return tr("Creating \u201c%1\u201d").arg(cluster);
        case Operation::Start:
            return tr("Starting \u201c%1\u201d").arg(cluster);
        case Operation::Stop:
            return tr("Stopping \u201c%1\u201d").arg(cluster);
        case Operation::Pause:
            return tr("Pausing \u201c%1\u201d").arg(cluster);
        case Operation::Resume:
            return tr("Resuming \u201c%1\u201d").arg(cluster);
        case Operation::Delete:
            return tr("Deleting \u201c%1\u201d").arg(cluster);
    }
    return cluster;
}

ClusterWizard* ClusterActions::wizard() const {
    return m_wizard.data();
}

ClusterWizard* ClusterActions::openWizard() {
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return m_wizard;
    }
    auto* model = new ClusterWizardModel(this);
    QStringList names;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        names << QString::fromStdString(m_model->clusterAt(row).spec.name);
    }
    model->setExistingClusterNames(names);
    // The service answers once per check; a late answer for a closed wizard finds no model.
    QPointer<ClusterWizardModel> target(model);
    auto* connection = new QMetaObject::Connection;
    *connection =
        connect(m_service, &ClusterService::hostChecked, this,
                [target, connection](const ClusterService::HostCheck& check) {
                    QObject::disconnect(*connection);
                    delete connection;
                    if (!target) {
                        return;
                    }
                    target->setHostResources(check.resources);
                    target->setMultiNodeAvailability(
                        check.multiNode.available, QString::fromStdString(check.multiNode.reason));
                    target->setDriverAvailability(vm::DriverKind::Local, check.local.available,
                                                  QString::fromStdString(check.local.reason));
                    target->setDriverAvailability(vm::DriverKind::Libvirt, check.libvirt.available,
                                                  QString::fromStdString(check.libvirt.reason));
                });
    m_service->checkHost();

    m_wizard = new ClusterWizard(model, m_window);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    model->setParent(m_wizard);
    connect(m_wizard, &QDialog::accepted, this,
            [this, model] { m_service->create(model->spec(), model->selectedExampleObjects()); });
    m_wizard->show();
    return m_wizard;
}

BootLogDialog* ClusterActions::showBootLog(const QString& cluster) {
    QString path = m_logPaths[cluster];
    if (const int row = m_model->rowOf(cluster); path.isEmpty() && row >= 0) {
        path = m_service->logPathFor(m_model->clusterAt(row).spec);
    }
    auto* dialog = new BootLogDialog(cluster, path, m_window);
    auto* follower = new LogFileFollower(path, dialog);
    connect(follower, &LogFileFollower::appended, dialog, &BootLogDialog::appendText);
    connect(follower, &LogFileFollower::restarted, dialog, &BootLogDialog::clearText);
    connect(follower, &LogFileFollower::missing, dialog, &BootLogDialog::showMissing);
    follower->start();
    dialog->show();
    return dialog;
}

void ClusterActions::openTerminal(const QString& cluster, const QString& kubeconfigPath) {
    const QString error = TerminalLauncher::open(m_service->clusterDir(cluster), kubeconfigPath);
    if (!error.isEmpty()) {
        QMessageBox::warning(m_window, tr("Open Terminal Here"), error);
        return;
    }
    m_window->statusBar()->showMessage(
        tr("Opened a terminal for \u201c%1\u201d with KUBECONFIG=%2").arg(cluster, kubeconfigPath),
        8000);
}

}  // namespace slipway::gui
