// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMainWindow>

#include "vm/cluster_manager.h"

class QLabel;
class QTabWidget;

namespace slipway::gui {

class ClusterActions;
class ClusterListModel;
class ClusterManagerView;
class ClusterService;
class EditorTabs;
class EventsPage;
class KubeconfigContexts;
class LogPage;
class RolloutPage;
class TopologyPage;
struct ConnectionTarget;

/// Slipway Studio's window. It only wires things together: a ClusterService (listing off the GUI
/// thread) feeds a ClusterListModel shown by a ClusterManagerView; the menus and the status bar
/// are the window's own.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// A window on the clusters `options` point at (by default the user's own).
    explicit MainWindow(vm::ClusterManagerOptions options, QWidget* parent = nullptr);
    ~MainWindow() override;

    ClusterManagerView* clusterManagerView() const { return m_clusterView; }
    /// The cluster manager's actions: wizard, lifecycle operations, tray icon, boot logs.
    ClusterActions* clusterActions() const { return m_clusterActions; }
    ClusterService* clusterService() const { return m_clusterService; }
    ClusterListModel* clusterModel() const { return m_clusterModel; }
    QTabWidget* tabs() const { return m_tabs; }
    /// The manifest editor tabs (File → New/Open Manifest).
    EditorTabs* editorTabs() const { return m_editors; }

    /// Opens (or brings forward) a live topology tab on `target`: a ClusterConnection feeding a
    /// TopologyModel shown by a TopologyPage, all owned by the tab.
    TopologyPage* openTopology(const ConnectionTarget& target);
    /// Opens a rollout tab on `target`: a ClusterConnection feeding a RolloutModel whose
    /// commands a RolloutService applies, shown by a RolloutPage.
    RolloutPage* openRollouts(const ConnectionTarget& target);
    /// Opens an events tab on `target`: an EventStream feeding an EventModel.
    EventsPage* openEvents(const ConnectionTarget& target);
    /// Opens a log tab on `target`: LogStreams feeding a LogModel that follows a pod or a
    /// Deployment's pods.
    LogPage* openLogs(const ConnectionTarget& target);

signals:
    /// A topology tab has received its first complete listing.
    void topologyReady(slipway::gui::TopologyPage* page);

    /// A listing has been shown (or its error has); the first one means the window is filled.
    void clustersRefreshed();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showAbout();
    void updateClusterCount();
    void openSelectedClusterTopology();
    /// The selected running cluster as a target; says why not in the status bar.
    bool selectedClusterTarget(ConnectionTarget& target);
    void chooseKubeconfigContext(const QString& path, const QStringList& contexts,
                                 const QString& current);

    ClusterService* m_clusterService;
    ClusterListModel* m_clusterModel;
    ClusterManagerView* m_clusterView;
    ClusterActions* m_clusterActions;
    KubeconfigContexts* m_kubeconfigContexts;
    QTabWidget* m_tabs;
    EditorTabs* m_editors;
    QLabel* m_clusterCount;
    bool m_listedOnce = false;  // a listing has succeeded since the window opened
};

}  // namespace slipway::gui
