// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/client/client.h"
#include "engine/client/event_recorder.h"
#include "engine/client/shared_informers.h"
#include "engine/client/work_queue.h"

namespace slipway::controllers {

/// Settings of the controllers that take any (kube-controller-manager's flags).
struct ControllerOptions {
    /// Node lifecycle: how often node heartbeats are checked, and how long a node may go
    /// without one before it is marked Unknown (--node-monitor-period,
    /// --node-monitor-grace-period).
    std::chrono::milliseconds nodeMonitorPeriod{5000};
    std::chrono::milliseconds nodeMonitorGracePeriod{40000};
    /// How often every HorizontalPodAutoscaler is reconciled
    /// (--horizontal-pod-autoscaler-sync-period).
    std::chrono::milliseconds hpaSyncPeriod{15000};
    /// The cluster CA (PEM) the root-CA publisher puts in every namespace's kube-root-ca.crt;
    /// empty without TLS.
    std::string rootCaPem;
    /// Node IPAM (--cluster-cidr, --node-cidr-mask-size): the range each node's podCIDR is cut
    /// from; empty leaves podCIDRs to the nodes.
    std::string clusterCidr;
    int nodeCidrMaskSize = 24;
    /// podCIDRs that nodes will bring themselves (the server's own node, --pod-cidr): never
    /// handed out, even to a node that registers before the one that owns it.
    std::vector<std::string> reservedPodCidrs;
};

/// What every controller is given: the Client it writes through, the informers it shares with
/// the other controllers (ask for them in the constructor, add handlers and indexes there), and
/// a factory of event recorders.
struct ControllerContext {
    const client::Client& client;
    client::SharedInformers& informers;
    ControllerOptions options = {};

    /// A recorder whose events name `component` as their source ("deployment-controller").
    std::unique_ptr<client::EventRecorder> recorder(std::string component) const {
        return std::make_unique<client::EventRecorder>(
            client, client::EventSource{std::move(component), {}});
    }
};

/// A controller that ControllerManager runs, in the shape of kube-controller-manager's: it is
/// constructed with a ControllerContext (and registers its informers' handlers then); run()
/// starts its workers once the shared informers have synced; stop() shuts its queue down and
/// joins them. Handlers only enqueue keys; the workers do the level-triggered syncs.
class Controller {
public:
    virtual ~Controller() = default;
    /// "deployment", "replicaset": for logs.
    virtual std::string_view name() const = 0;
    /// Starts `workers` worker threads. Called once, after the informers have synced.
    virtual void run(int workers) = 0;
    /// Stops the workers and returns once they have ended. Idempotent.
    virtual void stop() = 0;
};

/// The worker threads of a controller: `count` threads running
/// `queue.processUntilShutDown(sync, maxRetries)`, shut down and joined by stop(). What every
/// Controller's run() and stop() do.
class ControllerWorkers {
public:
    ~ControllerWorkers() { stop(); }

    void start(client::WorkQueue& queue, int count,
               std::function<core::Result<void>(const std::string& key)> sync, int maxRetries) {
        m_queue = &queue;
        for (int i = 0; i < count; ++i) {
            m_threads.emplace_back(
                [&queue, sync, maxRetries] { queue.processUntilShutDown(sync, maxRetries); });
        }
    }
    /// Shuts the queue down and joins the threads. Idempotent.
    void stop() {
        if (m_queue != nullptr) {
            m_queue->shutDown();
        }
        for (auto& thread : m_threads) {
            if (thread.joinable()) {
                thread.join();
            }
        }
        m_threads.clear();
    }

private:
    client::WorkQueue* m_queue = nullptr;
    std::vector<std::thread> m_threads;
};

}  // namespace slipway::controllers
