// SPDX-License-Identifier: Apache-2.0
#include "gui/services/cluster_service.h"

#include <exception>
#include <mutex>
#include <utility>

#include <QMetaObject>
#include <QStringList>
#include <QThreadPool>
#include <unistd.h>

#include "gui/services/apply_service.h"
#include "vm/libvirt_connection.h"

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
    /// The example apps a create in flight applies once the cluster is up, by cluster name.
    std::map<QString, std::vector<nlohmann::json>> examples;  // GUI thread only

    /// Posts `deliver` to the service's thread if the service still exists.
    template <typename F>
    void post(F&& deliver) {
        const std::lock_guard lock(mutex);
        if (receiver != nullptr) {
            QMetaObject::invokeMethod(receiver, std::forward<F>(deliver), Qt::QueuedConnection);
        }
    }
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

void ClusterService::checkHost() {
    QThreadPool::globalInstance()->start([shared = m_shared] {
        HostCheck check;
        const auto& options = shared->manager.options();
        check.resources = vm::probeHostResources(options.clustersRoot);
        check.local = vm::localDriverAvailability(options.slipwaydPath, ::geteuid() == 0);
        const std::string uri = vm::defaultLibvirtUri();
        check.libvirtUri = QString::fromStdString(uri);
        check.libvirt = vm::libvirtDriverAvailability(uri, options.guestImageDir);
        check.multiNode = vm::multiNodeAvailability(uri);
        ClusterService* receiver = nullptr;
        {
            const std::lock_guard lock(shared->mutex);
            receiver = shared->receiver;
        }
        shared->post([receiver, check] { emit receiver->hostChecked(check); });
    });
}

bool ClusterService::isBusy(const QString& name) const {
    return m_operations.count(name) != 0;
}

QString ClusterService::logPathFor(const vm::ClusterSpec& spec) const {
    return QString::fromStdString(m_shared->manager.logPathFor(spec).string());
}

QString ClusterService::clusterDir(const QString& name) const {
    return QString::fromStdString(m_shared->manager.clusterDir(name.toStdString()).string());
}

void ClusterService::create(const vm::ClusterSpec& spec,
                            std::vector<nlohmann::json> exampleObjects) {
    const QString name = QString::fromStdString(spec.name);
    if (isBusy(name)) {
        emit operationFinished(Operation::Create, name, false,
                               tr("Another operation on \"%1\" is still running.").arg(name));
        return;
    }
    m_shared->examples[name] = std::move(exampleObjects);
    runOperation(Operation::Create, name, logPathFor(spec),
                 [spec](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>* cancel) -> core::Result<QString> {
                     // A name taken since the wizard checked it must not start someone
                     // else's cluster.
                     if (manager.status(spec.name).ok()) {
                         return core::Error(core::ErrorCode::AlreadyExists,
                                            "cluster \"" + spec.name + "\" already exists");
                     }
                     auto started = manager.start(spec, progress, cancel);
                     if (!started) {
                         return started.error();
                     }
                     return QString::fromStdString(started->kubeconfigPath);
                 });
}

void ClusterService::start(const QString& name) {
    runOperation(Operation::Start, name, {},
                 [name](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>* cancel) -> core::Result<QString> {
                     auto status = manager.status(name.toStdString());
                     if (!status) {
                         return status.error();
                     }
                     auto started = manager.start(status->spec, progress, cancel);
                     if (!started) {
                         return started.error();
                     }
                     return QString();
                 });
}

void ClusterService::stop(const QString& name) {
    runOperation(Operation::Stop, name, {},
                 [name](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>* cancel) -> core::Result<QString> {
                     auto stopped = manager.stop(name.toStdString(), progress, cancel);
                     if (!stopped) {
                         return stopped.error();
                     }
                     return QString();
                 });
}

void ClusterService::pause(const QString& name) {
    runOperation(Operation::Pause, name, {},
                 [name](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>*) -> core::Result<QString> {
                     progress("Pausing \"" + name.toStdString() + "\"");
                     auto paused = manager.pause(name.toStdString());
                     if (!paused) {
                         return paused.error();
                     }
                     return QString();
                 });
}

void ClusterService::resume(const QString& name) {
    runOperation(Operation::Resume, name, {},
                 [name](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>*) -> core::Result<QString> {
                     progress("Resuming \"" + name.toStdString() + "\"");
                     auto resumed = manager.unpause(name.toStdString());
                     if (!resumed) {
                         return resumed.error();
                     }
                     return QString();
                 });
}

void ClusterService::remove(const QString& name) {
    runOperation(Operation::Delete, name, {},
                 [name](vm::ClusterManager& manager, const vm::ProgressCallback& progress,
                        const std::atomic<bool>* cancel) -> core::Result<QString> {
                     auto removed = manager.remove(name.toStdString(), progress, cancel);
                     if (!removed) {
                         return removed.error();
                     }
                     return QString();
                 });
}

void ClusterService::cancelOperation(const QString& name) {
    const auto it = m_operations.find(name);
    if (it != m_operations.end()) {
        it->second->store(true);
    }
}

void ClusterService::runOperation(Operation operation, const QString& name, const QString& logPath,
                                  Work work) {
    if (isBusy(name)) {
        emit operationFinished(operation, name, false,
                               tr("Another operation on \"%1\" is still running.").arg(name));
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_operations[name] = cancel;
    QString log = logPath;
    emit operationStarted(operation, name, log);
    QThreadPool::globalInstance()->start(
        [shared = m_shared, operation, name, cancel, work = std::move(work)] {
            ClusterService* receiver = nullptr;
            {
                const std::lock_guard lock(shared->mutex);
                receiver = shared->receiver;
            }
            if (receiver == nullptr) {
                return;
            }
            // Each operation gets a manager of its own: the drivers keep connections, and
            // operations on different clusters run side by side.
            vm::ClusterManager manager(shared->manager.options());
            const vm::ProgressCallback progress = [shared, receiver, operation,
                                                   name](const std::string& phase) {
                shared->post([receiver, operation, name, phase = QString::fromStdString(phase)] {
                    emit receiver->operationProgress(operation, name, phase);
                });
            };
            core::Result<QString> result = core::Error(core::ErrorCode::Internal, "not run");
            try {
                result = work(manager, progress, cancel.get());
            } catch (const std::exception& e) {
                result = core::Error(core::ErrorCode::Internal, e.what());
            }
            shared->post([receiver, operation, name, result = std::move(result)]() mutable {
                receiver->finishOperation(operation, name, std::move(result));
            });
        });
}

void ClusterService::finishOperation(Operation operation, const QString& name,
                                     core::Result<QString> result) {
    std::vector<nlohmann::json> examples;
    if (const auto it = m_shared->examples.find(name); it != m_shared->examples.end()) {
        examples = std::move(it->second);
        m_shared->examples.erase(it);
    }
    const bool cancelled = m_operations.count(name) != 0 && m_operations[name]->load();
    if (!result.ok() || operation != Operation::Create || examples.empty() || cancelled) {
        m_operations.erase(name);
        refresh();
        emit operationFinished(
            operation, name, result.ok(),
            result.ok() ? QString() : QString::fromStdString(result.error().message()));
        return;
    }
    // The cluster is up: apply the example apps as kubectl apply would, then finish.
    emit operationProgress(operation, name, tr("Deploying the example apps"));
    auto* apply = new ApplyService(this);
    apply->setTarget({result.value(), {}, name});
    const auto done = [this, apply, operation, name](bool ok, const QString& message) {
        apply->deleteLater();
        m_operations.erase(name);
        refresh();
        emit operationFinished(operation, name, ok, message);
    };
    connect(apply, &ApplyService::finished, this,
            [done](ApplyService::Operation, const QList<ApplyOutcome>& outcomes, const QString&) {
                QStringList lines;
                QStringList errors;
                for (const ApplyOutcome& outcome : outcomes) {
                    if (outcome.error.isEmpty()) {
                        lines << outcome.object + QLatin1Char(' ') + outcome.action;
                    } else {
                        errors << outcome.object + QStringLiteral(": ") + outcome.error;
                    }
                }
                if (!errors.isEmpty()) {
                    done(false, tr("The cluster runs, but deploying the examples failed: %1")
                                    .arg(errors.join(QStringLiteral("; "))));
                    return;
                }
                done(true, lines.join(QStringLiteral(", ")));
            });
    connect(apply, &ApplyService::failed, this,
            [done](ApplyService::Operation, const QString& message) {
                done(false,
                     tr("The cluster runs, but deploying the examples failed: %1").arg(message));
            });
    apply->apply(examples);
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
