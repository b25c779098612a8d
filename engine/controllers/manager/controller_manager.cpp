// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/manager/controller_manager.h"

#include <spdlog/spdlog.h>

#include "engine/controllers/clusterroleaggregation/cluster_role_aggregation_controller.h"
#include "engine/controllers/garbagecollector/garbage_collector.h"
#include "engine/controllers/namespace/namespace_controller.h"

namespace slipway::controllers {

ControllerManager::ControllerManager(const client::Client& client) : m_client(client) {}

ControllerManager::~ControllerManager() {
    stop();
}

void ControllerManager::start() {
    m_namespaces = std::make_unique<NamespaceController>(m_client);
    m_garbageCollector = std::make_unique<GarbageCollector>(m_client);
    m_namespaces->start();
    m_garbageCollector->start();
    m_clusterRoleAggregation = std::make_unique<ClusterRoleAggregationController>(m_client);
    m_clusterRoleAggregation->start();
    spdlog::info("controllers started: namespace, garbage-collector, clusterrole-aggregation");
}

void ControllerManager::stop() {
    if (m_clusterRoleAggregation) {
        m_clusterRoleAggregation->stop();
    }
    if (m_garbageCollector) {
        m_garbageCollector->stop();
    }
    if (m_namespaces) {
        m_namespaces->stop();
    }
}

bool ControllerManager::waitForSync(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto left = [&deadline] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };
    return m_namespaces && m_garbageCollector && m_namespaces->waitForSync(left()) &&
           m_garbageCollector->waitForSync(left()) && m_clusterRoleAggregation &&
           m_clusterRoleAggregation->waitForSync(left());
}

}  // namespace slipway::controllers
