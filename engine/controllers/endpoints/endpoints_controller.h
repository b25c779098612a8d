// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/endpoints/endpoints_util.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's endpoints controller (pkg/controller/endpoint): every Service with
/// a selector has a core/v1 Endpoints of the same name listing its pods: ready ones under
/// `addresses`, the others under `notReadyAddresses` (all under `addresses` when the Service
/// publishes not-ready addresses), each with its IP, node and a targetRef to the pod, grouped
/// into subsets by the ports their targetPorts resolve to (numbers, or container port names).
/// Pods without an IP, finished ones and (unless publishNotReadyAddresses) terminating ones are
/// left out. An Endpoints that would not change is not written; the Endpoints of a deleted
/// Service are deleted.
///
/// Watches Services, pods and Endpoints through the shared informers; syncs one Service key
/// ("ns/name") at a time.
class EndpointsController : public Controller {
public:
    explicit EndpointsController(const ControllerContext& context);
    ~EndpointsController() override;

    std::string_view name() const override { return "endpoints"; }
    void run(int workers) override;
    void stop() override;

    /// Brings the Endpoints of the Service `key` in line with its pods.
    core::Result<void> sync(const std::string& key);

    /// Kubernetes' maxCapacity: an Endpoints lists at most this many addresses; beyond it the
    /// list is truncated and annotated endpoints.kubernetes.io/over-capacity=truncated.
    static constexpr std::size_t kMaxCapacity = 1000;

private:
    void enqueuePodServices(const client::ObjectPtr& pod);

    const client::Client& m_client;
    client::Informer& m_services;
    client::Informer& m_pods;
    client::Informer& m_endpoints;
    client::WorkQueue m_queue;
    endpoints::TriggerTimeTracker m_triggers;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
