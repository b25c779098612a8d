// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <bitset>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agent/node_status.h"
#include "engine/agent/sim/sim_config.h"
#include "engine/agent/sim/sim_pod.h"
#include "engine/client/client.h"
#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/shared_informers.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::agent::sim {

/// Simulated nodes built into slipwayd, in the manner of KWOK: N Nodes that register, renew
/// their Leases in kube-node-lease, post kubelet-shaped node status, and run the pods bound to
/// them through SimPod's state machine (statuses, IPs from the node's podCIDR, kubelet's events,
/// deletion as a kubelet finishes it).
///
/// However many nodes, it runs one pod informer (indexed by spec.nodeName), one node informer,
/// two work queues whose delayed keys are the timers (a pod's next transition, a node's next
/// heartbeat) and a small fixed pool of workers: no thread or watch per node or pod.
///
/// A Node annotated sim.slipway.dev/stopped=true loses power: no Lease renewals, no status,
/// its pods are left as they are; removing the annotation brings it back.
///
/// Talks to the API only through the Client, which must outlive it.
class SimulatedNodes {
public:
    SimulatedNodes(const client::Client& client, SimConfig config);
    /// The same reading pods and nodes from informers shared with the rest of the process
    /// (slipwayd's controllers and scheduler), so that 10,000 pods are cached once. The
    /// informers must outlive this object, and their owner stops them before stop().
    SimulatedNodes(const client::Client& client, client::SharedInformers& informers,
                   SimConfig config);
    /// Stops.
    ~SimulatedNodes();
    SimulatedNodes(const SimulatedNodes&) = delete;
    SimulatedNodes& operator=(const SimulatedNodes&) = delete;

    /// Starts the informers and workers; the nodes register in the background.
    void start();
    /// Stops the workers and informers. Idempotent.
    void stop();
    /// Waits until every node has registered (Node, status and Lease written).
    bool waitForRegistered(std::chrono::milliseconds timeout) const;
    std::size_t registeredCount() const { return m_registered.load(); }
    std::vector<std::string> nodeNames() const;

    /// The podCIDR of node number `index` (1-based): 10.244.index.0/24 for the first 255, then
    /// on through 10.245…10.255.
    static std::string podCidrOf(int index);
    /// The InternalIP of node number `index`: from 198.18.0.0/15 (RFC 2544's benchmarking
    /// range, never routed and never contacted).
    static std::string internalIpOf(int index);

private:
    SimulatedNodes(const client::Client& client, std::unique_ptr<client::SharedInformers>&& own,
                   SimConfig config);
    // `own` is the informers' owner when they are not shared (null otherwise).
    SimulatedNodes(const client::Client& client, client::SharedInformers& informers,
                   std::unique_ptr<client::SharedInformers>&& own, SimConfig config);
    struct Node {
        NodeConfig config;
        int index = 0;
        // The node worker's (one at a time per node).
        bool registered = false;
        std::string uid;
        std::optional<nlohmann::json> lease;
        std::optional<std::chrono::steady_clock::time_point> lastRenew;
        std::optional<std::chrono::steady_clock::time_point> lastReport;
        // Shared with pod workers, under mutex.
        std::mutex mutex;
        std::bitset<256> usedIps;
        std::set<std::string> images;
    };
    struct Pod {
        std::string uid;
        std::string node;
        std::string ip;
        bool ipHeld = false;
        bool killed = false;
        std::optional<SimPod> sim;
    };

    core::Result<void> syncPod(const std::string& key);
    core::Result<void> syncNode(const std::string& name);
    core::Result<void> registerNode(Node& node);
    core::Result<void> renewLease(Node& node, std::chrono::system_clock::time_point now);
    bool stopped(const std::string& nodeName) const;
    std::shared_ptr<Pod> podState(const std::string& key, const std::string& uid,
                                  const std::string& node);
    void forgetPod(const std::string& key);
    void releaseIp(Pod& pod);
    std::string allocateIp(Node& node, const std::string& wanted);
    void record(const nlohmann::json& pod, const std::string& node, const SimEvent& event);
    void enqueuePodsOf(const std::string& nodeName);

    const client::Client& m_client;
    const SimConfig m_config;
    std::map<std::string, std::unique_ptr<Node>> m_nodes;     ///< fixed after construction
    std::unique_ptr<client::SharedInformers> m_ownInformers;  ///< unless shared
    client::Informer& m_podInformer;
    client::Informer& m_nodeInformer;
    client::WorkQueue m_podQueue;
    client::WorkQueue m_nodeQueue;
    client::EventRecorder m_recorder;

    std::mutex m_podsMutex;
    std::unordered_map<std::string, std::shared_ptr<Pod>> m_pods;

    std::atomic<std::size_t> m_registered{0};
    std::vector<std::thread> m_workers;
    bool m_started = false;
};

}  // namespace slipway::agent::sim
