// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's ServiceAccountsController (pkg/controller/serviceaccount): every
/// active namespace has a ServiceAccount named "default". It watches namespaces (an added or
/// changed namespace is checked) and service accounts (a deleted "default" is re-created),
/// and syncs one namespace at a time from its listers, through the Client only.
///
/// One worker thread plus the two informers' threads. The Client must outlive it.
class ServiceAccountsController {
public:
    explicit ServiceAccountsController(const client::Client& client,
                                       std::vector<std::string> serviceAccounts = {"default"});
    /// Stops the controller.
    ~ServiceAccountsController();
    ServiceAccountsController(const ServiceAccountsController&) = delete;
    ServiceAccountsController& operator=(const ServiceAccountsController&) = delete;

    /// Starts the informers and, once both have synced (or `syncTimeout` has passed), the worker.
    void start(std::chrono::milliseconds syncTimeout = std::chrono::seconds(10));
    /// Stops the worker and the informers. Idempotent.
    void stop();

    /// Makes sure the service accounts of `nameSpace` exist (level-triggered: reads the
    /// listers; a namespace that is gone or terminating is done).
    core::Result<void> sync(const std::string& nameSpace);

private:
    const client::Client& m_client;
    const std::vector<std::string> m_serviceAccounts;
    client::Informer m_namespaces;
    client::Informer m_serviceAccountInformer;
    client::WorkQueue m_queue;
    std::thread m_worker;
};

}  // namespace slipway::controllers
