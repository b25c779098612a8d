// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"
#include "engine/ingress/routing_table.h"

namespace slipway::ingress {

/// What the ingress controller serves and reports.
struct IngressControllerOptions {
    /// The IngressClass whose Ingresses it serves (created at start if missing, as the default).
    std::string className = kIngressClassName;
    bool createIngressClass = true;
    /// Written to status.loadBalancer.ingress[0].ip of every served Ingress (the node IP, as
    /// k3s' servicelb reports it); empty: status is left alone.
    std::string nodeIp;
};

/// The IngressClass `name` (spec.controller kControllerName, the default-class annotation
/// "true"), created if missing; one that exists is left as its owner made it.
core::Result<void> ensureIngressClass(const client::Client& client, const std::string& name);

/// slipwayd's ingress controller, shaped as ingress-nginx's: informers over IngressClasses,
/// Ingresses, Services, EndpointSlices and Secrets; every event enqueues the one key
/// "routing-table" (the work queue's dirty set folds a burst of events into one rebuild) and,
/// for an Ingress, its own key (its status). A table sync reads the listers, builds a new
/// RoutingTable and hands it to the table listener (the proxy); an Ingress sync writes
/// status.loadBalancer when it differs.
///
/// One worker thread plus the informers'. The Client must outlive it.
class IngressController {
public:
    using TableListener = std::function<void(std::shared_ptr<const RoutingTable>)>;

    IngressController(const client::Client& client, IngressControllerOptions options);
    /// Stops the controller.
    ~IngressController();
    IngressController(const IngressController&) = delete;
    IngressController& operator=(const IngressController&) = delete;

    /// Called with every new table, on the worker thread. Set before start().
    void setTableListener(TableListener listener);

    /// Makes the IngressClass (if asked to), starts the informers and, once they have synced
    /// (or `syncTimeout` has passed), the worker. Fails only if the class cannot be made.
    core::Result<void> start(std::chrono::milliseconds syncTimeout = std::chrono::seconds(10));
    /// Stops the worker and the informers. Idempotent.
    void stop();

    /// The current table (an empty one before the first sync).
    std::shared_ptr<const RoutingTable> table() const;

    /// Level-triggered: "routing-table" rebuilds the table; "namespace/name" brings that
    /// Ingress's status up to date (gone or not ours: done).
    core::Result<void> sync(const std::string& key);

private:
    bool classIsDefault() const;
    bool serves(const nlohmann::json& ingress) const;
    core::Result<void> syncTable();
    core::Result<void> syncStatus(const std::string& key);

    const client::Client& m_client;
    const IngressControllerOptions m_options;
    client::Informer m_classes;
    client::Informer m_ingresses;
    client::Informer m_services;
    client::Informer m_endpointSlices;
    client::Informer m_secrets;
    client::WorkQueue m_queue;
    TableListener m_listener;
    mutable std::mutex m_tableMutex;
    std::shared_ptr<const RoutingTable> m_table;
    std::thread m_worker;
};

}  // namespace slipway::ingress
