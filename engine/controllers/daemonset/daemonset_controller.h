// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/event_recorder.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// Whether a DaemonSet's pod belongs on a node (kube's NodeShouldRunDaemonPod): `run` when the
/// node selector, required node affinity and the pod's tolerations of NoSchedule/NoExecute
/// taints allow a new pod; `keepRunning` when a pod already there may stay (only untolerated
/// NoExecute taints or a mismatched selector evict it).
struct DaemonPlacement {
    bool run = false;
    bool keepRunning = false;
};
DaemonPlacement daemonPlacement(const nlohmann::json& podTemplateSpec, const nlohmann::json& node);

/// The template of a DaemonSet's pods as the controller creates them: the tolerations every
/// daemon pod gets (not-ready and unreachable NoExecute, the pressure and unschedulable
/// NoSchedule taints, network-unavailable for hostNetwork pods) added to the user's.
nlohmann::json daemonPodSpec(const nlohmann::json& templateSpec);

/// kube-controller-manager's DaemonSet controller (pkg/controller/daemon): one pod of the
/// template on every eligible node, created with required node affinity to that node (the
/// scheduler binds it), failed pods replaced, pods on nodes that no longer qualify deleted.
/// Template changes roll out node by node (RollingUpdate: at most maxUnavailable nodes without
/// an available pod at a time; or OnDelete). Revisions are ControllerRevisions named
/// `<daemonset>-<hash>`, whose hash labels the pods (controller-revision-hash), so `kubectl
/// rollout history|undo|status daemonset/x` work. Status counts as kube computes them.
class DaemonSetController final : public Controller {
public:
    explicit DaemonSetController(const ControllerContext& context);
    ~DaemonSetController() override;

    std::string_view name() const override { return "daemonset"; }
    void run(int workers) override;
    void stop() override;

    /// Makes the DaemonSet `key` ("namespace/name") what its spec asks for.
    core::Result<void> sync(const std::string& key);

private:
    void enqueueDaemonSet(const nlohmann::json& daemonSet);
    void enqueueOwnerOf(const nlohmann::json& pod);
    void enqueueAll();

    const client::Client& m_client;
    client::Informer& m_daemonSets;
    client::Informer& m_pods;
    client::Informer& m_nodes;
    client::Informer& m_revisions;
    std::unique_ptr<client::EventRecorder> m_recorder;
    /// kube's expectations: pods created but not yet seen by the informer, by DaemonSet key
    /// and node, so that a sync on a stale cache does not create a second pod.
    std::mutex m_expectationsMutex;
    std::map<std::string, std::map<std::string, std::chrono::steady_clock::time_point>>
        m_expectedCreates;
    /// And pods deleted but still shown live by the informer, by DaemonSet key and pod name, so
    /// that a rolling update never takes more than maxUnavailable nodes down.
    std::map<std::string, std::map<std::string, std::chrono::steady_clock::time_point>>
        m_expectedDeletes;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
