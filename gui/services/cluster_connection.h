// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <QObject>
#include <QString>
#include <nlohmann/json.hpp>

#include "gui/models/resource_event.h"

namespace slipway::gui {

/// Which API server to talk to: a context of a kubeconfig file, Slipway's own or the user's.
struct ConnectionTarget {
    QString kubeconfigPath;
    /// The context to use; empty for the file's current context.
    QString context;
    /// What the user calls it ("slipway", "prod-eu (~/.kube/config)"); for titles.
    QString displayName;
};

/// The GUI's live link to one cluster: engine/client informers for the kinds of ResourceKind,
/// running on their own threads, whose add/update/delete notifications come to this object's
/// thread in batches as eventsReceived.
///
/// Batching is what keeps the GUI responsive at scale: notifications arriving within
/// batchInterval() (50 ms by default) of the first one are delivered together, and a batch
/// holds only the latest change of each object, so 2,000 pods starting cost a handful of
/// deliveries, not thousands of queued events. The first list of every informer arrives the
/// same way, followed by synced().
///
/// Works against any Kubernetes API server the kubeconfig names (HTTPS with a CA, client
/// certificates or bearer tokens, or plain HTTP), with the same Client the CLI uses. Nothing
/// here blocks the GUI thread: connecting, listing, watching and tearing down run elsewhere.
class ClusterConnection : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, Connecting, Connected, Failed };
    Q_ENUM(State)

    static constexpr std::chrono::milliseconds kDefaultBatchInterval{50};

    explicit ClusterConnection(ConnectionTarget target, QObject* parent = nullptr);
    /// Stops the informers on a pool thread; pending notifications are dropped.
    ~ClusterConnection() override;

    const ConnectionTarget& target() const { return m_target; }
    State state() const { return m_state; }
    QString errorMessage() const { return m_error; }

    std::chrono::milliseconds batchInterval() const;
    /// Set before start().
    void setBatchInterval(std::chrono::milliseconds interval);

public slots:
    /// Loads the kubeconfig, checks that the server answers, and starts the informers, all off
    /// this thread. Once only.
    void start();
    /// Lists the Events whose involvedObject is `kind` `nameSpace`/`name`; answers with
    /// objectEventsFetched(`requestId`, ...) or errorOccurred.
    void fetchObjectEvents(const QString& requestId, const QString& kind, const QString& nameSpace,
                           const QString& name);

signals:
    void stateChanged(slipway::gui::ClusterConnection::State state);
    /// A batch of changes, on this object's thread.
    void eventsReceived(const slipway::gui::ResourceEvents& events);
    /// Every informer has listed once and its objects have been delivered.
    void synced();
    /// Connecting failed (bad kubeconfig, unknown context, server unreachable, forbidden) or a
    /// request did; `message` is fit to show to a user.
    void errorOccurred(const QString& message);
    /// The Events of an object, oldest first (core/v1 Event objects).
    void objectEventsFetched(const QString& requestId, const std::vector<nlohmann::json>& events);

private:
    struct Shared;

    void setState(State state);
    void flush();
    void deliverSynced();
    void deliverFailure(const QString& message);

    const ConnectionTarget m_target;
    std::shared_ptr<Shared> m_shared;
    State m_state = State::Idle;
    QString m_error;
};

}  // namespace slipway::gui
