// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include "vm/cluster.h"

class QAbstractItemModel;
class QIcon;
class QMenu;
class QSystemTrayIcon;

namespace slipway::gui {

/// Slipway in the system tray: the tooltip says how many clusters run, the menu lists each
/// cluster with its state and Start or Stop, and *Show Slipway Studio*. Nothing is created
/// when the desktop has no tray (isAvailable() false); the menu still exists for tests.
class ClusterTrayIcon : public QObject {
    Q_OBJECT

public:
    /// `model` is a ClusterListModel; not owned.
    explicit ClusterTrayIcon(QAbstractItemModel* model, QObject* parent = nullptr);
    ~ClusterTrayIcon() override;

    bool isAvailable() const { return m_icon != nullptr; }
    QMenu* menu() const { return m_menu; }
    /// "2 of 3 clusters running", the tooltip.
    QString summary() const;
    /// The state the icon's dot shows: Running if any cluster runs, else Paused if any is
    /// paused or starting, else Stopped (no dot).
    vm::ClusterState overallState() const;

signals:
    void showWindowRequested();
    void startRequested(const QString& cluster);
    void stopRequested(const QString& cluster);
    void quitRequested();

private:
    void rebuild();
    QIcon iconFor(vm::ClusterState state) const;

    QAbstractItemModel* m_model;
    QMenu* m_menu;
    QSystemTrayIcon* m_icon = nullptr;
};

}  // namespace slipway::gui
