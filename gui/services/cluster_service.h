// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include <QObject>
#include <QString>
#include <QTimer>
#include <nlohmann/json.hpp>

#include "vm/cluster.h"
#include "vm/cluster_manager.h"
#include "vm/host_capabilities.h"

namespace slipway::gui {

/// The GUI's bridge to vm::ClusterManager, whose calls all block: they run on a thread-pool
/// thread and their results come back to this object's thread as signals, so the GUI thread
/// never waits on the disk, a process or libvirt.
///
/// While active, the clusters are listed every pollInterval() (2 s by default). At most one
/// listing runs at a time; a refresh() asked for meanwhile runs once that one has finished.
///
/// Lifecycle operations (create, start, stop, pause, resume, delete) run the same way, one at a
/// time per cluster: operationStarted, then operationProgress for each phase the manager
/// reports (the lines `slipway` prints), then operationFinished; each is followed by a refresh.
/// cancelOperation() raises the operation's flag, which the manager checks between phases.
class ClusterService : public QObject {
    Q_OBJECT

public:
    enum class Operation { Create, Start, Stop, Pause, Resume, Delete };
    Q_ENUM(Operation)

    /// What checkHost() found: the bounds and drivers of the create wizard.
    struct HostCheck {
        vm::HostResources resources;
        vm::DriverAvailability local;
        vm::DriverAvailability libvirt;
        /// Several nodes on the URI new libvirt clusters get.
        vm::DriverAvailability multiNode;
        QString libvirtUri;
    };

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

    /// Probes the host (resources, drivers) off this thread; answers with hostChecked.
    void checkHost();

    /// Creates and starts `spec`, then applies `exampleObjects` (the wizard's example apps)
    /// to it as `kubectl apply` would. Cancellable: a cancelled create leaves nothing.
    void create(const vm::ClusterSpec& spec, std::vector<nlohmann::json> exampleObjects = {});
    void start(const QString& name);
    void stop(const QString& name);
    void pause(const QString& name);
    void resume(const QString& name);
    /// Stops and deletes the cluster (the view asks for confirmation first).
    void remove(const QString& name);
    /// Asks the operation running on `name` to stop at its next phase.
    void cancelOperation(const QString& name);

public:
    /// An operation on `name` has been started and has not finished.
    bool isBusy(const QString& name) const;
    /// The boot log of a cluster (guest console, or slipwayd's log); no file is read.
    QString logPathFor(const vm::ClusterSpec& spec) const;
    /// The cluster's folder (the working directory of *Open terminal here*).
    QString clusterDir(const QString& name) const;

signals:
    void operationStarted(slipway::gui::ClusterService::Operation operation, const QString& name,
                          const QString& logPath);
    /// One phase of a running operation ("Waiting for the API server on 127.0.0.1:6443").
    void operationProgress(slipway::gui::ClusterService::Operation operation, const QString& name,
                           const QString& phase);
    /// `message`: the error when !ok, else a summary (e.g. what the example apps did).
    void operationFinished(slipway::gui::ClusterService::Operation operation, const QString& name,
                           bool ok, const QString& message);
    void hostChecked(const slipway::gui::ClusterService::HostCheck& check);

    /// A fresh listing, sorted by name; emitted on this object's thread.
    void clustersChanged(const std::vector<slipway::vm::ClusterStatus>& clusters);
    /// Listing failed; `message` is the manager's error, fit to show to a user.
    void errorOccurred(const QString& message);

private:
    struct Shared;

    void deliver(core::Result<std::vector<vm::ClusterStatus>> result);
    using Work = std::function<core::Result<QString>(vm::ClusterManager& manager,
                                                     const vm::ProgressCallback& progress,
                                                     const std::atomic<bool>* cancel)>;
    void runOperation(Operation operation, const QString& name, const QString& logPath, Work work);
    /// Called on this thread when an operation's work has returned.
    void finishOperation(Operation operation, const QString& name, core::Result<QString> result);

    std::shared_ptr<Shared> m_shared;
    /// Cancellation flags of the operations in flight, by cluster name.
    std::map<QString, std::shared_ptr<std::atomic<bool>>> m_operations;
    QTimer m_pollTimer;
    bool m_inFlight = false;
    bool m_refreshPending = false;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::ClusterService::HostCheck)
