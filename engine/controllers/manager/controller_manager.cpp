// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/manager/controller_manager.h"

#include <string>

#include <spdlog/spdlog.h>

#include "engine/controllers/clusterroleaggregation/cluster_role_aggregation_controller.h"
#include "engine/controllers/cronjob/cron_job_controller.h"
#include "engine/controllers/daemonset/daemonset_controller.h"
#include "engine/controllers/deployment/deployment_controller.h"
#include "engine/controllers/endpoints/endpoints_controller.h"
#include "engine/controllers/endpointslice/endpoint_slice_controller.h"
#include "engine/controllers/garbagecollector/garbage_collector.h"
#include "engine/controllers/job/job_controller.h"
#include "engine/controllers/namespace/namespace_controller.h"
#include "engine/controllers/nodeipam/node_ipam_controller.h"
#include "engine/controllers/nodelifecycle/node_lifecycle_controller.h"
#include "engine/controllers/podautoscaler/horizontal_controller.h"
#include "engine/controllers/replicaset/replica_set_controller.h"
#include "engine/controllers/resourcequota/resource_quota_controller.h"
#include "engine/controllers/rootcacertpublisher/root_ca_cert_publisher.h"
#include "engine/controllers/statefulset/statefulset_controller.h"
#include "engine/controllers/volume/persistent_volume_controller.h"

namespace slipway::controllers {

namespace {

/// How long start() waits for the shared informers before it starts the workers anyway (they
/// then work from a partial cache, and the informers' events catch them up).
constexpr std::chrono::seconds kSyncTimeout{30};

}  // namespace

ControllerManager::ControllerManager(const client::Client& client, ControllerOptions options)
    : m_client(client),
      m_options(options),
      m_ownInformers(std::make_unique<client::SharedInformers>(client)),
      m_informers(*m_ownInformers) {}

ControllerManager::ControllerManager(const client::Client& client,
                                     client::SharedInformers& informers, ControllerOptions options)
    : m_client(client), m_options(options), m_informers(informers) {}

ControllerManager::~ControllerManager() {
    stop();
}

void ControllerManager::start() {
    const ControllerContext context{m_client, m_informers, m_options};
    // Controllers built on the shared informers: one line each.
    (void)context;
    m_controllers.push_back(std::make_unique<DaemonSetController>(context));
    m_controllers.push_back(std::make_unique<StatefulSetController>(context));
    m_controllers.push_back(std::make_unique<PersistentVolumeController>(context));
    m_controllers.push_back(std::make_unique<ResourceQuotaController>(context));
    m_controllers.push_back(std::make_unique<EndpointsController>(context));
    m_controllers.push_back(std::make_unique<EndpointSliceController>(context));
    m_controllers.push_back(std::make_unique<JobController>(context));
    m_controllers.push_back(std::make_unique<TtlAfterFinishedController>(context));
    m_controllers.push_back(std::make_unique<CronJobController>(context));
    m_controllers.push_back(std::make_unique<ReplicaSetController>(context));
    m_controllers.push_back(std::make_unique<DeploymentController>(context));
    m_controllers.push_back(std::make_unique<NodeLifecycleController>(context));
    m_controllers.push_back(std::make_unique<NodeIpamController>(context));
    m_controllers.push_back(std::make_unique<RootCaCertPublisher>(context));
    HorizontalControllerOptions hpaOptions;
    hpaOptions.syncPeriod = context.options.hpaSyncPeriod;
    m_controllers.push_back(std::make_unique<HorizontalController>(context, hpaOptions));

    m_namespaces = std::make_unique<NamespaceController>(m_client);
    m_garbageCollector = std::make_unique<GarbageCollector>(m_client);
    m_namespaces->start();
    m_garbageCollector->start();
    m_clusterRoleAggregation = std::make_unique<ClusterRoleAggregationController>(m_client);
    m_clusterRoleAggregation->start();

    m_informers.start();
    if (!m_informers.waitForSync(kSyncTimeout)) {
        spdlog::warn("controller informers did not sync in {} s; starting anyway",
                     kSyncTimeout.count());
    }
    std::string names = "namespace, garbage-collector, clusterrole-aggregation";
    for (auto& controller : m_controllers) {
        controller->run(2);
        names += ", ";
        names += controller->name();
    }
    spdlog::info("controllers started: {}", names);
}

void ControllerManager::stop() {
    for (auto it = m_controllers.rbegin(); it != m_controllers.rend(); ++it) {
        (*it)->stop();
    }
    m_informers.stop();
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
           m_clusterRoleAggregation->waitForSync(left()) && m_informers.waitForSync(left());
}

}  // namespace slipway::controllers
