// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/client/client.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// Settings of the namespace controller.
struct NamespaceControllerOptions {
    /// A namespace that still holds objects (pods waiting for their node, objects with
    /// finalizers) is looked at again after this long.
    std::chrono::milliseconds recheckDelay{500};
};

/// Kubernetes' namespace controller (pkg/controller/namespace): a namespace being deleted
/// (deletionTimestamp set, `kubernetes` in spec.finalizers) is emptied — every namespaced
/// resource that discovery lists is deleted in it, deletecollection where served — and once
/// nothing is left its `kubernetes` finalizer is removed through the finalize subresource,
/// after which the API server removes the namespace. While objects remain, the namespace's
/// status says which (the NamespaceContentRemaining condition `kubectl describe ns` shows).
///
/// informer → key → work queue → level-triggered sync, through the Client only.
class NamespaceController {
public:
    NamespaceController(const client::Client& client, NamespaceControllerOptions options = {});
    ~NamespaceController();
    NamespaceController(const NamespaceController&) = delete;
    NamespaceController& operator=(const NamespaceController&) = delete;

    void start();
    void stop();
    bool waitForSync(std::chrono::milliseconds timeout) const;

private:
    void enqueue(const nlohmann::json& nameSpace);
    core::Result<void> sync(const std::string& name);
    /// Deletes what is left in `name`; returns how many objects remain, per resource.
    core::Result<std::vector<std::pair<std::string, std::size_t>>> deleteContent(
        const std::string& name);
    core::Result<void> setContentCondition(
        const nlohmann::json& nameSpace,
        const std::vector<std::pair<std::string, std::size_t>>& remaining);

    const client::Client& m_client;
    const NamespaceControllerOptions m_options;
    client::Informer m_informer;
    client::WorkQueue m_queue;
    std::thread m_worker;
};

}  // namespace slipway::controllers
