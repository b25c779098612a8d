// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

class QMainWindow;

namespace slipway::gui {

class BootLogDialog;
class ClusterListModel;
class ClusterManagerView;
class ClusterService;
class ClusterTrayIcon;
class ClusterWizard;
class ClusterWizardModel;

/// Wires the cluster manager's actions: the view's buttons and the tray's menu to
/// ClusterService operations, their progress to the view's OperationPanel, the create wizard
/// (ClusterWizardModel fed by ClusterService::checkHost) and the boot log dialogs (a
/// LogFileFollower each). Part of the composition root, so MainWindow stays small.
class ClusterActions : public QObject {
    Q_OBJECT

public:
    ClusterActions(ClusterService* service, ClusterListModel* model, ClusterManagerView* view,
                   QMainWindow* window);
    ~ClusterActions() override;

    /// Opens the create wizard (non-modal) on a fresh model and starts the host check.
    ClusterWizard* openWizard();
    /// The wizard open now, if any.
    ClusterWizard* wizard() const;
    /// Opens a dialog following `cluster`'s boot log.
    BootLogDialog* showBootLog(const QString& cluster);
    ClusterTrayIcon* trayIcon() const { return m_tray; }

private:
    QString titleOf(int operation, const QString& cluster) const;
    void openTerminal(const QString& cluster, const QString& kubeconfigPath);
    void selectNewCluster();

    ClusterService* m_service;
    ClusterListModel* m_model;
    ClusterManagerView* m_view;
    QMainWindow* m_window;
    ClusterTrayIcon* m_tray;
    QPointer<ClusterWizard> m_wizard;
    std::map<QString, QString> m_logPaths;  // by cluster, from operationStarted
    QStringList m_busy;                     // clusters with an operation in flight
    QString m_selectWhenListed;             // a created cluster to select once it is listed
};

}  // namespace slipway::gui
