// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "gui/models/event_model.h"
#include "gui/services/cluster_connection.h"

namespace slipway::gui {

/// The cluster's Events, all namespaces, from an informer on its own thread, delivered to this
/// object's thread in batches (as ClusterConnection does for the other kinds): the first list,
/// then every change. Nothing here blocks the GUI thread.
class EventStream : public QObject {
    Q_OBJECT

public:
    explicit EventStream(ConnectionTarget target, QObject* parent = nullptr);
    /// Stops the informer on a pool thread.
    ~EventStream() override;

public slots:
    /// Once only.
    void start();

signals:
    void eventsReceived(const slipway::gui::EventChanges& changes);
    /// The first list has been delivered.
    void synced();
    void errorOccurred(const QString& message);

private:
    struct Shared;
    void flush();

    std::shared_ptr<Shared> m_shared;
    bool m_started = false;
};

}  // namespace slipway::gui
