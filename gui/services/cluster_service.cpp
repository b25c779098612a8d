// SPDX-License-Identifier: Apache-2.0
#include "gui/services/cluster_service.h"

#include <exception>
#include <mutex>
#include <utility>

#include <QMetaObject>
#include <QThreadPool>

namespace slipway::gui {

namespace {

core::Result<std::vector<vm::ClusterStatus>> listClusters(const vm::ClusterManager& manager) {
    try {
        return manager.list();
    } catch (const std::exception& e) {
        // vm/ reports failures as Results; this only keeps a stray library exception from
        // terminating the process from a pool thread.
        return core::Error(core::ErrorCode::Internal, e.what());
    }
}

}  // namespace

/// What a listing on a pool thread needs, kept alive by the task itself: the manager, and the
/// service to answer to. The service unhooks itself under the mutex when it is destroyed, so a
/// task either posts its answer while the service still exists (and the answer is discarded
/// with the service's other pending events if it is destroyed before delivery) or sees null.
struct ClusterService::Shared {
    explicit Shared(vm::ClusterManagerOptions options) : manager(std::move(options)) {}

    const vm::ClusterManager manager;
    std::mutex mutex;
    ClusterService* receiver = nullptr;  // guarded by mutex
};

ClusterService::ClusterService(vm::ClusterManagerOptions options, QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>(std::move(options))), m_pollTimer(this) {
    m_shared->receiver = this;
    m_pollTimer.setInterval(kDefaultPollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &ClusterService::refresh);
}

ClusterService::~ClusterService() {
    const std::lock_guard lock(m_shared->mutex);
    m_shared->receiver = nullptr;
}

QString ClusterService::clustersRoot() const {
    std::filesystem::path root = m_shared->manager.options().clustersRoot;
    if (root.empty()) {
        root = vm::ClusterManager::defaultClustersRoot();
    }
    return QString::fromStdString(root.string());
}

bool ClusterService::isActive() const {
    return m_pollTimer.isActive();
}

std::chrono::milliseconds ClusterService::pollInterval() const {
    return m_pollTimer.intervalAsDuration();
}

void ClusterService::setPollInterval(std::chrono::milliseconds interval) {
    m_pollTimer.setInterval(interval);
}

void ClusterService::setActive(bool active) {
    if (active == isActive()) {
        return;
    }
    if (active) {
        m_pollTimer.start();
        refresh();
    } else {
        m_pollTimer.stop();
    }
}

void ClusterService::refresh() {
    if (m_inFlight) {
        // Coalesce: however many refreshes arrive while one listing runs, one more follows it.
        m_refreshPending = true;
        return;
    }
    m_inFlight = true;
    QThreadPool::globalInstance()->start([shared = m_shared] {
        core::Result<std::vector<vm::ClusterStatus>> result = listClusters(shared->manager);
        const std::lock_guard lock(shared->mutex);
        if (shared->receiver == nullptr) {
            return;
        }
        ClusterService* receiver = shared->receiver;
        QMetaObject::invokeMethod(
            receiver,
            [receiver, result = std::move(result)]() mutable {
                receiver->deliver(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

void ClusterService::deliver(core::Result<std::vector<vm::ClusterStatus>> result) {
    m_inFlight = false;
    if (result.ok()) {
        emit clustersChanged(result.value());
    } else {
        emit errorOccurred(QString::fromStdString(result.error().message()));
    }
    if (m_refreshPending) {
        m_refreshPending = false;
        refresh();
    }
}

}  // namespace slipway::gui
