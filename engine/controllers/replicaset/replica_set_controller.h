// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/controllers/replicaset/controller_utils.h"

namespace slipway::controllers {

/// Settings of the ReplicaSetController.
struct ReplicaSetControllerOptions {
    /// Most pods created or deleted by one sync (kube's burstReplicas).
    std::int64_t burstReplicas = 500;
};

/// kube-controller-manager's ReplicaSet controller (pkg/controller/replicaset): keeps
/// spec.replicas pods from spec.template running for every ReplicaSet.
///
/// sync(key) reads the ReplicaSet and the pods it owns or could adopt (an index by controller
/// uid, so 10,000 pods are not scanned for each set), claims them (adopting orphans that match
/// the selector, releasing its pods that no longer do), and, once the pods it created or
/// deleted last time have shown up in the cache (ControllerExpectations), creates the missing
/// pods in slow-start batches of 1, 2, 4, … (at most burstReplicas a sync) or deletes the
/// surplus in kube's order. It then writes status: replicas, fullyLabeledReplicas,
/// readyReplicas, availableReplicas (minReadySeconds), observedGeneration and a
/// ReplicaFailure condition when creating or deleting failed. Events: SuccessfulCreate,
/// FailedCreate, SuccessfulDelete, FailedDelete.
class ReplicaSetController : public Controller {
public:
    explicit ReplicaSetController(const ControllerContext& context,
                                  ReplicaSetControllerOptions options = {});
    ~ReplicaSetController() override;

    std::string_view name() const override { return "replicaset"; }
    void run(int workers) override;
    void stop() override;

    /// One level-triggered pass over the ReplicaSet "namespace/name".
    core::Result<void> sync(const std::string& key);

    /// The index of pods (and ReplicaSets) by their controller's uid; orphans are filed under
    /// "orphan/<namespace>". Shared with the deployment controller.
    static constexpr const char* kControllerUidIndex = "controllerUid";
    static client::IndexFunction controllerUidIndex();

private:
    void enqueue(const nlohmann::json& replicaSet);
    void enqueueAfter(const nlohmann::json& replicaSet, std::chrono::nanoseconds delay);
    void onPodAdd(const client::ObjectPtr& pod);
    void onPodUpdate(const client::ObjectPtr& oldPod, const client::ObjectPtr& newPod);
    void onPodDelete(const client::ObjectPtr& pod);
    /// The ReplicaSet a controllerRef names, if it is cached with that uid.
    client::ObjectPtr resolveControllerRef(const std::string& nameSpace,
                                           const nlohmann::json& controllerRef) const;
    /// ReplicaSets whose selector matches an orphan pod.
    std::vector<client::ObjectPtr> replicaSetsSelecting(const nlohmann::json& pod) const;

    core::Result<void> manageReplicas(const std::vector<client::ObjectPtr>& pods,
                                      const nlohmann::json& replicaSet, const std::string& key);
    core::Result<void> createPod(const nlohmann::json& replicaSet,
                                 const nlohmann::json& podTemplate);
    std::vector<client::ObjectPtr> relatedPods(const nlohmann::json& replicaSet) const;

    const client::Client& m_client;
    const ReplicaSetControllerOptions m_options;
    client::Informer& m_replicaSets;
    client::Informer& m_pods;
    client::Lister m_replicaSetLister;
    client::Lister m_podLister;
    std::unique_ptr<client::EventRecorder> m_recorder;
    ControllerExpectations m_expectations;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
