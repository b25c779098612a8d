// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <QObject>
#include <QString>
#include <QTimer>

#include "vm/cluster.h"
#include "vm/cluster_manager.h"

namespace slipway::gui {

/// The GUI's bridge to vm::ClusterManager, whose calls all block: they run on a thread-pool
/// thread and their results come back to this object's thread as signals, so the GUI thread
/// never waits on the disk, a process or libvirt.
///
/// While active, the clusters are listed every pollInterval() (2 s by default). At most one
/// listing runs at a time; a refresh() asked for meanwhile runs once that one has finished.
class ClusterService : public QObject {
    Q_OBJECT

public:
    /// The interval a user sees state changes within without the disk being polled hard.
    static constexpr std::chrono::milliseconds kDefaultPollInterval{2000};

    explicit ClusterService(vm::ClusterManagerOptions options, QObject* parent = nullptr);
    /// Does not wait for a listing in flight: its result is dropped when it arrives.
    ~ClusterService() override;

    /// Where the clusters listed live (the manager's clustersRoot, defaulted).
    QString clustersRoot() const;

    bool isActive() const;
    std::chrono::milliseconds pollInterval() const;
    void setPollInterval(std::chrono::milliseconds interval);

public slots:
    /// Starts (with an immediate refresh) or stops polling.
    void setActive(bool active);
    /// Lists the clusters now, off this thread; answers with clustersChanged or errorOccurred.
    void refresh();

signals:
    /// A fresh listing, sorted by name; emitted on this object's thread.
    void clustersChanged(const std::vector<slipway::vm::ClusterStatus>& clusters);
    /// Listing failed; `message` is the manager's error, fit to show to a user.
    void errorOccurred(const QString& message);

private:
    struct Shared;

    void deliver(core::Result<std::vector<vm::ClusterStatus>> result);

    std::shared_ptr<Shared> m_shared;
    QTimer m_pollTimer;
    bool m_inFlight = false;
    bool m_refreshPending = false;
};

}  // namespace slipway::gui
