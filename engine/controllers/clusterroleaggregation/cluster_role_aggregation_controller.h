// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's clusterrole-aggregation controller
/// (pkg/controller/clusterroleaggregation): a ClusterRole with an aggregationRule gets as its
/// rules those of every other ClusterRole that one of its clusterRoleSelectors selects — in
/// selector order, each selector's roles by name, each rule once. This is how the default
/// admin, edit and view roles grow when a CRD's installer adds a ClusterRole labelled
/// rbac.authorization.k8s.io/aggregate-to-edit: "true".
///
/// Any ClusterRole added, changed or deleted may change what any aggregated role selects, and
/// there are few ClusterRoles, so every event enqueues every aggregated role (as kube does).
/// Chains resolve by themselves: view's new rules change view, which enqueues edit, whose
/// change enqueues admin.
///
/// informer → work queue → level-triggered sync, through the Client only. The Client must
/// outlive it and be allowed to update clusterroles with any rules (system:masters, or the
/// `escalate` verb).
class ClusterRoleAggregationController {
public:
    explicit ClusterRoleAggregationController(const client::Client& client);
    /// Stops the controller.
    ~ClusterRoleAggregationController();
    ClusterRoleAggregationController(const ClusterRoleAggregationController&) = delete;
    ClusterRoleAggregationController& operator=(const ClusterRoleAggregationController&) = delete;

    /// Starts the informer, and the worker that syncs once the informer has listed.
    void start();
    /// Stops the worker and the informer. Idempotent.
    void stop();
    bool waitForSync(std::chrono::milliseconds timeout) const;

    /// Brings the rules of ClusterRole `name` in line with its aggregationRule (level-
    /// triggered: reads the lister; a role that is gone or has no aggregationRule is done).
    core::Result<void> sync(const std::string& name);

    /// The rules `clusterRole`'s aggregationRule gathers from `clusterRoles` (kube's
    /// aggregation, usable without a server). Invalid when a selector is.
    static core::Result<nlohmann::json> aggregatedRules(
        const nlohmann::json& clusterRole, const std::vector<client::ObjectPtr>& clusterRoles);

private:
    void enqueueAggregated();

    const client::Client& m_client;
    client::Informer m_informer;
    client::WorkQueue m_queue;
    std::thread m_worker;
};

}  // namespace slipway::controllers
