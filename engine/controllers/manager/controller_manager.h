// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "engine/client/client.h"
#include "engine/client/shared_informers.h"
#include "engine/controllers/manager/controller.h"

namespace slipway::controllers {

class ClusterRoleAggregationController;
class GarbageCollector;
class NamespaceController;

/// slipwayd's kube-controller-manager: creates every controller against one Client (the
/// in-process one inside slipwayd) and one set of shared informers, starts the informers, then
/// the controllers' workers, and stops them, in reverse order, on shutdown.
class ControllerManager {
public:
    /// The client must outlive the manager. The manager makes its own shared informers.
    explicit ControllerManager(const client::Client& client, ControllerOptions options = {});
    /// The same on informers shared with other components of the process (slipwayd's
    /// scheduler and metrics read the same pod cache), so that every collection is cached once.
    /// The informers must outlive the manager; start() starts them, stop() stops them.
    ControllerManager(const client::Client& client, client::SharedInformers& informers,
                      ControllerOptions options = {});
    ~ControllerManager();
    ControllerManager(const ControllerManager&) = delete;
    ControllerManager& operator=(const ControllerManager&) = delete;

    void start();
    void stop();
    /// True once every controller's informers have listed what they watch.
    bool waitForSync(std::chrono::milliseconds timeout) const;

private:
    const client::Client& m_client;
    const ControllerOptions m_options;
    std::unique_ptr<client::SharedInformers> m_ownInformers;
    client::SharedInformers& m_informers;
    std::vector<std::unique_ptr<Controller>> m_controllers;
    std::unique_ptr<NamespaceController> m_namespaces;
    std::unique_ptr<GarbageCollector> m_garbageCollector;
    std::unique_ptr<ClusterRoleAggregationController> m_clusterRoleAggregation;
};

}  // namespace slipway::controllers
