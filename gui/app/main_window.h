// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMainWindow>

#include "vm/cluster_manager.h"

class QLabel;

namespace slipway::gui {

class ClusterListModel;
class ClusterManagerView;
class ClusterService;

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

signals:
    /// A listing has been shown (or its error has); the first one means the window is filled.
    void clustersRefreshed();

private:
    void showAbout();
    void updateClusterCount();

    ClusterService* m_clusterService;
    ClusterListModel* m_clusterModel;
    ClusterManagerView* m_clusterView;
    QLabel* m_clusterCount;
    bool m_listedOnce = false;  // a listing has succeeded since the window opened
};

}  // namespace slipway::gui
