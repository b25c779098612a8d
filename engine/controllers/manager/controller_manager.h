// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>

#include "engine/client/client.h"

namespace slipway::controllers {

class ClusterRoleAggregationController;
class GarbageCollector;
class NamespaceController;

/// slipwayd's kube-controller-manager: starts every controller against one Client (the
/// in-process one inside slipwayd) and stops them, in reverse order, on shutdown. Controllers
/// of later issues (deployment, replicaset, job, endpoints, …) are added here.
class ControllerManager {
public:
    /// The client must outlive the manager.
    explicit ControllerManager(const client::Client& client);
    ~ControllerManager();
    ControllerManager(const ControllerManager&) = delete;
    ControllerManager& operator=(const ControllerManager&) = delete;

    void start();
    void stop();
    /// True once every controller's informers have listed what they watch.
    bool waitForSync(std::chrono::milliseconds timeout) const;

private:
    const client::Client& m_client;
    std::unique_ptr<NamespaceController> m_namespaces;
    std::unique_ptr<GarbageCollector> m_garbageCollector;
    std::unique_ptr<ClusterRoleAggregationController> m_clusterRoleAggregation;
};

}  // namespace slipway::controllers
