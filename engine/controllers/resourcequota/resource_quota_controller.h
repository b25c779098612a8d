// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/quantity.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// What a pod counts against a quota: its effective requests and limits (kube's PodRequests:
/// the larger of the containers' sum and any init container, plus overhead), by resource
/// name ("cpu", "memory", "ephemeral-storage").
struct PodResources {
    std::map<std::string, core::Quantity> requests;
    std::map<std::string, core::Quantity> limits;
};
PodResources podResources(const nlohmann::json& pod);

/// The usage of a namespace for the resources a ResourceQuota's spec.hard names (kube's
/// quota evaluators): object counts (pods, services, services.nodeports,
/// services.loadbalancers, configmaps, secrets, persistentvolumeclaims, count/<resource>),
/// compute (requests.cpu, requests.memory, limits.cpu, limits.memory, cpu, memory) over pods
/// that are not terminal, and requests.storage over claims. Honours the Terminating,
/// NotTerminating, BestEffort and NotBestEffort scopes for pods.
nlohmann::json quotaUsage(const nlohmann::json& quota, const std::vector<nlohmann::json>& pods,
                          const std::map<std::string, std::vector<nlohmann::json>>& others);

/// kube-controller-manager's resource quota controller: keeps every ResourceQuota's
/// status.hard (= spec.hard) and status.used true as objects of its namespace come and go,
/// so `kubectl describe quota` shows what is used. Admission (refusing what would exceed a
/// quota) is the API server's part.
class ResourceQuotaController final : public Controller {
public:
    explicit ResourceQuotaController(const ControllerContext& context);
    ~ResourceQuotaController() override;

    std::string_view name() const override { return "resourcequota"; }
    void run(int workers) override;
    void stop() override;

    /// Recomputes the quota `key` ("namespace/name").
    core::Result<void> sync(const std::string& key);

private:
    void enqueueNamespace(const std::string& nameSpace);

    const client::Client& m_client;
    client::Informer& m_quotas;
    client::Informer& m_pods;
    /// Counted kinds by their quota name ("services", "configmaps", ...).
    std::map<std::string, client::Informer*> m_counted;
    client::WorkQueue m_queue;
    std::vector<std::thread> m_workers;
};

}  // namespace slipway::controllers
