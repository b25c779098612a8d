// SPDX-License-Identifier: Apache-2.0
#include "gui/views/cluster_tray_icon.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

#include "gui/models/cluster_list_model.h"
#include "gui/views/cluster_table_delegate.h"

namespace slipway::gui {

ClusterTrayIcon::ClusterTrayIcon(QAbstractItemModel* model, QObject* parent)
    : QObject(parent), m_model(model), m_menu(new QMenu) {
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_icon = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_icon->setContextMenu(m_menu);
        connect(
            m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
                    emit showWindowRequested();
                }
            });
        m_icon->show();
    }
    for (const auto signal :
         {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_model, signal, this, &ClusterTrayIcon::rebuild);
    }
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ClusterTrayIcon::rebuild);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ClusterTrayIcon::rebuild);
    rebuild();
}

ClusterTrayIcon::~ClusterTrayIcon() {
    delete m_menu;
}

QString ClusterTrayIcon::summary() const {
    int running = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const auto state =
            m_model->index(row, 0).data(ClusterListModel::StateRole).value<vm::ClusterState>();
        running += state == vm::ClusterState::Running ? 1 : 0;
    }
    if (m_model->rowCount() == 0) {
        return tr("Slipway: no clusters");
    }
    return tr("Slipway: %1 of %n cluster(s) running", nullptr, m_model->rowCount()).arg(running);
}

vm::ClusterState ClusterTrayIcon::overallState() const {
    vm::ClusterState overall = vm::ClusterState::Stopped;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const auto state =
            m_model->index(row, 0).data(ClusterListModel::StateRole).value<vm::ClusterState>();
        if (state == vm::ClusterState::Running) {
            return state;
        }
        if (state == vm::ClusterState::Paused || state == vm::ClusterState::Starting) {
            overall = vm::ClusterState::Paused;
        }
    }
    return overall;
}

QIcon ClusterTrayIcon::iconFor(vm::ClusterState state) const {
    const QIcon base = QApplication::windowIcon();
    if (state == vm::ClusterState::Stopped) {
        return base;
    }
    // The application icon with a dot in its lower right corner, in the colours the cluster
    // table's state column uses.
    QPixmap pixmap = base.pixmap(64, 64);
    if (pixmap.isNull()) {
        pixmap = QPixmap(64, 64);
        pixmap.fill(Qt::transparent);
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 3));
    painter.setBrush(ClusterTableDelegate::stateColor(state));
    painter.drawEllipse(QRectF(36, 36, 26, 26));
    painter.end();
    return QIcon(pixmap);
}

void ClusterTrayIcon::rebuild() {
    m_menu->clear();
    m_menu->addAction(tr("Show Slipway Studio"), this, &ClusterTrayIcon::showWindowRequested);
    m_menu->addSeparator();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const QString name = index.data(ClusterListModel::NameRole).toString();
        const auto state = index.data(ClusterListModel::StateRole).value<vm::ClusterState>();
        //: A cluster in the tray menu: its name and state ("dev — Running").
        QMenu* cluster =
            m_menu->addMenu(tr("%1 \u2014 %2").arg(name, ClusterListModel::stateText(state)));
        QAction* start =
            cluster->addAction(tr("Start"), this, [this, name] { emit startRequested(name); });
        start->setEnabled(state == vm::ClusterState::Stopped || state == vm::ClusterState::Error);
        QAction* stop =
            cluster->addAction(tr("Stop"), this, [this, name] { emit stopRequested(name); });
        stop->setEnabled(state != vm::ClusterState::Stopped);
    }
    if (m_model->rowCount() > 0) {
        m_menu->addSeparator();
    }
    m_menu->addAction(tr("Quit"), this, &ClusterTrayIcon::quitRequested);
    if (m_icon != nullptr) {
        m_icon->setToolTip(summary());
        m_icon->setIcon(iconFor(overallState()));
    }
}

}  // namespace slipway::gui
