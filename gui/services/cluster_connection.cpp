// SPDX-License-Identifier: Apache-2.0
#include "gui/services/cluster_connection.h"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include <QMetaObject>
#include <QThreadPool>
#include <QTimer>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/client/rest_client.h"
#include "engine/client/shared_informers.h"
#include "engine/pki/kubeconfig.h"

namespace slipway::gui {

namespace {

client::ResourceRef resourceOf(ResourceKind kind) {
    using namespace client::resources;
    switch (kind) {
        case ResourceKind::Namespace:
            return namespaces();
        case ResourceKind::Node:
            return nodes();
        case ResourceKind::Pod:
            return pods();
        case ResourceKind::Deployment:
            return deployments();
        case ResourceKind::ReplicaSet:
            return replicaSets();
        case ResourceKind::StatefulSet:
            return statefulSets();
        case ResourceKind::DaemonSet:
            return daemonSets();
        case ResourceKind::Job:
            return jobs();
        case ResourceKind::Service:
            return services();
        case ResourceKind::EndpointSlice:
            return {"discovery.k8s.io", "v1", "endpointslices"};
    }
    return pods();
}

/// Studio shows what kubectl get -o yaml shows, minus managedFields: they are most of a
/// pod's size and nobody reads them in a side panel.
nlohmann::json withoutManagedFields(nlohmann::json object) {
    if (auto metadata = object.find("metadata");
        metadata != object.end() && metadata->is_object()) {
        metadata->erase("managedFields");
    }
    return object;
}

core::Result<client::ClientConfig> configOf(const ConnectionTarget& target) {
    auto kubeconfig = pki::Kubeconfig::load(target.kubeconfigPath.toStdString());
    if (!kubeconfig.ok()) {
        return kubeconfig.error();
    }
    return client::ClientConfig::fromKubeconfig(kubeconfig.value(), target.context.toStdString());
}

}  // namespace

/// What the informers' threads and the pool tasks share with the connection. The connection
/// unhooks itself (receiver = null) under `mutex` when it is destroyed, so a thread either
/// posts to a live receiver (and the post is discarded with the receiver's other events if it
/// goes before delivery) or sees null.
struct ClusterConnection::Shared {
    std::mutex mutex;
    ClusterConnection* receiver = nullptr;         // guarded by mutex
    std::map<std::string, ResourceEvent> pending;  // guarded by mutex; latest change per object
    bool flushScheduled = false;                   // guarded by mutex
    std::chrono::milliseconds batchInterval = kDefaultBatchInterval;

    /// Guards the client's and informers' creation against a teardown running meanwhile.
    std::mutex lifecycle;
    bool stopped = false;  // guarded by lifecycle
    // Shared with the connecting task, which waits on the informers outside the lock: whoever
    // lets go last destroys them (the informers first, as the task declares them after the
    // client).
    std::shared_ptr<client::HttpsClient> client;
    std::shared_ptr<client::SharedInformers> informers;

    void record(ResourceEvent::Type type, ResourceKind kind, const client::ObjectPtr& object) {
        if (!object) {
            return;
        }
        std::string key = std::to_string(static_cast<int>(kind)) + '/' + client::objectKey(*object);
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        pending[std::move(key)] = ResourceEvent{type, kind, object};
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        ClusterConnection* target = receiver;
        const auto delay = batchInterval;
        QMetaObject::invokeMethod(
            target,
            [target, delay] { QTimer::singleShot(delay, target, &ClusterConnection::flush); },
            Qt::QueuedConnection);
    }

    /// Posts `function` to the receiver's thread, if there still is a receiver.
    template <typename Function>
    void post(Function function) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        ClusterConnection* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, function = std::move(function)]() mutable { function(*target); },
            Qt::QueuedConnection);
    }

    void teardown() {
        std::shared_ptr<client::HttpsClient> oldClient;
        std::shared_ptr<client::SharedInformers> oldInformers;
        {
            const std::lock_guard lock(lifecycle);
            stopped = true;
            oldClient = std::move(client);
            oldInformers = std::move(informers);
        }
        if (oldInformers) {
            oldInformers->stop();  // also ends a connecting task's waitForSync
        }
        // Informers first: they hold a reference to the client.
        oldInformers.reset();
        oldClient.reset();
    }
};

ClusterConnection::ClusterConnection(ConnectionTarget target, QObject* parent)
    : QObject(parent), m_target(std::move(target)), m_shared(std::make_shared<Shared>()) {
    m_shared->receiver = this;
}

ClusterConnection::~ClusterConnection() {
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->receiver = nullptr;
        m_shared->pending.clear();
    }
    // Stopping an informer waits for its thread, which may be in the middle of a list: never
    // on the GUI thread.
    QThreadPool::globalInstance()->start([shared = m_shared] { shared->teardown(); });
}

std::chrono::milliseconds ClusterConnection::batchInterval() const {
    return m_shared->batchInterval;
}

void ClusterConnection::setBatchInterval(std::chrono::milliseconds interval) {
    m_shared->batchInterval = interval;
}

void ClusterConnection::setState(State state) {
    if (state == m_state) {
        return;
    }
    m_state = state;
    emit stateChanged(state);
}

void ClusterConnection::start() {
    if (m_state != State::Idle) {
        return;
    }
    setState(State::Connecting);
    QThreadPool::globalInstance()->start([shared = m_shared, target = m_target] {
        try {
            auto config = configOf(target);
            if (!config.ok()) {
                const QString message = QString::fromStdString(config.error().message());
                shared->post([message](ClusterConnection& c) { c.deliverFailure(message); });
                return;
            }
            client::HttpsClientOptions options;
            options.userAgent = "slipway-studio";
            auto https = std::make_shared<client::HttpsClient>(std::move(config).value(), options);
            // One quick request first: an unreachable server or bad credentials are reported at
            // once, instead of as informers backing off in silence.
            auto version = https->send(client::Request("GET", "/version"));
            std::optional<core::Error> failure;
            if (!version.ok()) {
                failure = version.error();
            } else {
                failure = client::Client::failureOf(version.value());
            }
            if (failure) {
                const QString message = QString::fromStdString(failure->message());
                shared->post([message](ClusterConnection& c) { c.deliverFailure(message); });
                return;
            }
            std::shared_ptr<client::SharedInformers> informers;
            {
                const std::lock_guard lock(shared->lifecycle);
                if (shared->stopped) {
                    return;
                }
                shared->client = https;
                informers = std::make_shared<client::SharedInformers>(*https);
                shared->informers = informers;
                for (int i = 0; i < kResourceKindCount; ++i) {
                    const auto kind = static_cast<ResourceKind>(i);
                    client::InformerOptions informerOptions(resourceOf(kind));
                    informerOptions.transform = withoutManagedFields;
                    client::Informer& informer = informers->informerFor(informerOptions);
                    Shared* raw = shared.get();
                    informer.addEventHandler(client::EventHandlers{
                        [raw, kind](const client::ObjectPtr& object) {
                            raw->record(ResourceEvent::Type::Added, kind, object);
                        },
                        [raw, kind](const client::ObjectPtr&, const client::ObjectPtr& object) {
                            raw->record(ResourceEvent::Type::Modified, kind, object);
                        },
                        [raw, kind](const client::ObjectPtr& object) {
                            raw->record(ResourceEvent::Type::Deleted, kind, object);
                        }});
                }
                informers->start();
            }
            // Waits outside the lifecycle lock, so that a teardown can stop the informers (which
            // ends this wait) meanwhile.
            if (informers->waitForSync(std::chrono::minutes(2))) {
                shared->post([](ClusterConnection& c) { c.deliverSynced(); });
            }
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            shared->post([message](ClusterConnection& c) { c.deliverFailure(message); });
        }
    });
}

void ClusterConnection::fetchObjectEvents(const QString& requestId, const QString& kind,
                                          const QString& nameSpace, const QString& name) {
    QThreadPool::globalInstance()->start([shared = m_shared, requestId, kind = kind.toStdString(),
                                          nameSpace = nameSpace.toStdString(),
                                          name = name.toStdString()] {
        std::shared_ptr<client::HttpsClient> api;
        {
            const std::lock_guard lock(shared->lifecycle);
            api = shared->client;
        }
        if (!api) {
            return;
        }
        client::ListOptions options;
        options.fieldSelector = "involvedObject.name=" + name;
        core::Result<client::ObjectList> list =
            api->list(client::resources::events().in(nameSpace), options);
        if (!list.ok()) {
            const QString message = QString::fromStdString(list.error().message());
            shared->post([message](ClusterConnection& c) { emit c.errorOccurred(message); });
            return;
        }
        std::vector<nlohmann::json> events;
        for (auto& event : list.value().items) {
            if (event.value("/involvedObject/kind"_json_pointer, std::string()) == kind) {
                events.push_back(std::move(event));
            }
        }
        auto timeOf = [](const nlohmann::json& event) {
            for (const char* field : {"lastTimestamp", "eventTime", "firstTimestamp"}) {
                if (auto it = event.find(field); it != event.end() && it->is_string()) {
                    return it->get<std::string>();
                }
            }
            return event.value("/metadata/creationTimestamp"_json_pointer, std::string());
        };
        // RFC 3339 timestamps of one server sort as strings.
        std::stable_sort(events.begin(), events.end(),
                         [&](const auto& a, const auto& b) { return timeOf(a) < timeOf(b); });
        shared->post([requestId, events = std::move(events)](ClusterConnection& c) {
            emit c.objectEventsFetched(requestId, events);
        });
    });
}

void ClusterConnection::flush() {
    ResourceEvents batch;
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->flushScheduled = false;
        batch.reserve(m_shared->pending.size());
        for (auto& [key, event] : m_shared->pending) {
            batch.push_back(std::move(event));
        }
        m_shared->pending.clear();
    }
    if (!batch.empty()) {
        emit eventsReceived(batch);
    }
}

void ClusterConnection::deliverSynced() {
    flush();  // what the first lists brought, before saying they are complete
    setState(State::Connected);
    emit synced();
}

void ClusterConnection::deliverFailure(const QString& message) {
    m_error = message;
    setState(State::Failed);
    emit errorOccurred(message);
}

}  // namespace slipway::gui
