// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// Does `toleration` tolerate `taint` (both as in the API)? The scheduler's and the taint
/// manager's rule: the effect matches or is empty; an empty key with operator Exists matches
/// every key; Exists matches any value, Equal (the default) the same value.
bool toleratesTaint(const nlohmann::json& toleration, const nlohmann::json& taint);

/// kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle) with the
/// taint eviction controller (pkg/controller/tainteviction):
///
/// - every nodeMonitorPeriod it checks each node's heartbeats (its Lease's renewTime and its
///   Ready condition's lastHeartbeatTime, timed by this controller's own clock); a node silent
///   for longer than nodeMonitorGracePeriod gets Ready, MemoryPressure, DiskPressure and
///   PIDPressure set to Unknown ("NodeStatusUnknown", "Kubelet stopped posting node status."),
///   a NodeNotReady event, and its pods' Ready condition set False;
/// - nodes get the NoSchedule taints of their conditions (not-ready, unreachable, pressure,
///   unschedulable) as node updates arrive, and the NoExecute not-ready/unreachable taint while
///   not Ready, added at most evictionRate per second per zone (0.1: one node every 10 s),
///   none while every zone is fully disrupted, and removed once the node is Ready again;
/// - pods on a node with NoExecute taints are deleted (event TaintManagerEviction, condition
///   DisruptionTarget) at once if they do not tolerate a taint, or after the least
///   tolerationSeconds of the tolerations they use (300 s from the API's default tolerations);
///   evictions are cancelled when the taints go.
///
/// Not here yet: the PartialDisruption slow-down for zones of more than 50 nodes is computed but
/// there is no secondary eviction of pods without taints (kube removed it too), nor DaemonSet
/// exemptions.
class NodeLifecycleController : public Controller {
public:
    explicit NodeLifecycleController(const ControllerContext& context);
    ~NodeLifecycleController() override;

    std::string_view name() const override { return "nodelifecycle"; }
    void run(int workers) override;
    void stop() override;

    /// One pass of the health check (run() does it every nodeMonitorPeriod).
    void monitorNodeHealth();

private:
    struct Health {
        std::chrono::steady_clock::time_point probe;
        std::string heartbeat;
        std::string renewTime;
    };
    struct Eviction {
        std::chrono::steady_clock::time_point createdAt;
        std::chrono::steady_clock::time_point fireAt;
    };
    struct Bucket {
        double tokens = 1.0;
        std::chrono::steady_clock::time_point refilled;
    };

    core::Result<void> sync(const std::string& key);
    core::Result<void> syncNoScheduleTaints(const std::string& nodeName);
    core::Result<void> syncTaintedNode(const std::string& nodeName);
    core::Result<void> syncTaintedPod(const std::string& podKey);
    core::Result<void> evict(const std::string& podKey);
    void processPodOnNode(const std::string& podKey, const nlohmann::json& pod,
                          const std::vector<nlohmann::json>& taints);
    void cancelEviction(const std::string& podKey, const std::string& nameSpace,
                        const std::string& name);
    /// Adds `add` (matching key and effect replaced) and removes taints whose key and effect are
    /// in `remove`, with a conditional update of the Node.
    core::Result<bool> swapTaints(const std::string& nodeName,
                                  const std::vector<nlohmann::json>& add,
                                  const std::vector<std::pair<std::string, std::string>>& remove);
    void markPodsNotReady(const std::string& nodeName);
    bool takeToken(const std::string& zone, double qps);

    const client::Client& m_client;
    const ControllerOptions m_options;
    client::Informer& m_nodes;
    client::Informer& m_pods;
    client::Informer& m_leases;
    client::WorkQueue m_queue;
    std::unique_ptr<client::EventRecorder> m_nodeRecorder;
    std::unique_ptr<client::EventRecorder> m_evictionRecorder;

    std::mutex m_mutex;
    std::map<std::string, Health> m_health;
    std::map<std::string, Eviction> m_evictions;
    std::map<std::string, std::vector<nlohmann::json>> m_taintedNodes;
    std::map<std::string, Bucket> m_buckets;
    bool m_allDisrupted = false;

    std::mutex m_stopMutex;
    std::condition_variable m_stopChanged;
    bool m_stopping = false;
    std::thread m_monitor;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
