// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "engine/agent/network/policy/nft_runner.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::agent::network::policy {

/// Options of the NetworkPolicy enforcer.
struct NetworkPolicyControllerOptions {
    /// The network namespace to program; empty: this process's (the node's).
    std::string netnsPath;
    /// An unchanged script is written again only when the last write is this old (policies
    /// also resync this often), so that a table removed by hand comes back while pod status
    /// churn does not cost an nft transaction each.
    std::chrono::milliseconds resyncPeriod = std::chrono::seconds(60);
};

/// Enforces NetworkPolicies on a node: informers of Pods, Namespaces and NetworkPolicies; any
/// change queues one key, and sync() compiles every policy against every pod with an IP and
/// replaces table `inet slipway-policy` in one nft transaction (when the script changed).
/// Rules are keyed by pod IP, so the node's forward hook (bridged pod traffic reaches it
/// through br_netfilter) filters traffic between pods wherever they run.
///
/// One worker thread plus the informers'. The Client must outlive it.
class NetworkPolicyController {
public:
    NetworkPolicyController(const client::Client& client, NetworkPolicyControllerOptions options);
    ~NetworkPolicyController();
    NetworkPolicyController(const NetworkPolicyController&) = delete;
    NetworkPolicyController& operator=(const NetworkPolicyController&) = delete;

    /// Starts the informers and, once they have synced, the worker (which writes the table).
    void start(std::chrono::milliseconds syncTimeout = std::chrono::seconds(10));
    /// Stops the worker and informers and removes the table. Idempotent.
    void stop();

    /// Writes the table for what the caches hold now.
    core::Result<void> sync();
    /// The script last applied (for tests and diagnostics).
    std::string appliedScript() const;

private:
    const NetworkPolicyControllerOptions m_options;
    NftRunner m_nft;
    client::Informer m_pods;
    client::Informer m_namespaces;
    client::Informer m_policies;
    client::WorkQueue m_queue;
    std::thread m_worker;
    mutable std::mutex m_mutex;
    std::string m_applied;
    std::chrono::steady_clock::time_point m_appliedAt;
    bool m_started = false;
};

}  // namespace slipway::agent::network::policy
