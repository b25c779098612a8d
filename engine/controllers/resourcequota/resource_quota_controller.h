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
#include "engine/core/result.h"

namespace slipway::controllers {

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
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
