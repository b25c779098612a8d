// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/core/result.h"
#include "engine/proxy/conntrack.h"
#include "engine/proxy/nft_rules.h"
#include "engine/proxy/service_health_server.h"

namespace slipway::agent::network {
class Nftables;
}

namespace slipway::proxy {

class UserspaceProxy;

/// How Services are served: kube-proxy's nftables mode, a userspace relay of node ports
/// (where nftables cannot be used), or not at all.
enum class ProxyMode { Nftables, Userspace, None };

/// "nftables", "userspace" or "none"; an error for anything else.
core::Result<ProxyMode> parseProxyMode(const std::string& text);

struct ProxyOptions {
    /// This node: its endpoints are the local ones (externalTrafficPolicy Local).
    std::string nodeName;
    ProxyMode mode = ProxyMode::Nftables;
    /// Node ports are served on these addresses (and only them); the table name; masquerading.
    RuleConfig rules;
    /// A network namespace (e.g. /run/netns/x) the rules go into; empty: this process's own.
    std::string networkNamespace;
    /// Bursts of changes are programmed together, at most one sync this often
    /// (kube-proxy's --nftables-min-sync-period).
    std::chrono::milliseconds minSyncInterval{100};
    /// After a failed sync, the next (a full one) comes this much later.
    std::chrono::milliseconds retryInterval{1000};
    /// Every this often the whole table is written again even if nothing changed, so that
    /// rules someone removed or altered by hand come back (kube-proxy's nftables mode: an
    /// hour). Zero: never.
    std::chrono::milliseconds fullResyncInterval = std::chrono::hours(1);
};

/// What the proxy has done, for tests, benchmarks and diagnostics.
struct ProxyStats {
    std::uint64_t syncs = 0;      ///< transactions applied
    std::uint64_t fullSyncs = 0;  ///< of which full (start, after an error, periodic)
    std::uint64_t failures = 0;
    std::chrono::microseconds lastSyncDuration{0};
    std::size_t servicePorts = 0;  ///< Service ports programmed
    std::string lastError;
};

/// kube-proxy for Slipway: watches Services and EndpointSlices through the Client and programs
/// table `ip slipway-proxy` with libnftables (see nft_rules.h for the rules). Changes mark
/// their Service dirty; a worker thread recomputes only dirty Services, and writes only the
/// chains and map elements that changed, in one transaction, at most once per
/// minSyncInterval. The first sync, and the one after any failure, rewrites the whole table.
///
/// Runs the informers' threads and one worker (which enters `networkNamespace`). The Client
/// must outlive the proxy.
class ServiceProxy {
public:
    ServiceProxy(const client::Client& client, ProxyOptions options);
    ~ServiceProxy();
    ServiceProxy(const ServiceProxy&) = delete;
    ServiceProxy& operator=(const ServiceProxy&) = delete;

    /// Starts the informers and the worker.
    void start();
    /// Stops them; the table stays as programmed (kube-proxy leaves its rules on exit).
    void stop();
    /// Removes the table (kube-proxy --cleanup), in `networkNamespace`.
    static core::Result<void> cleanup(const ProxyOptions& options);

    /// True once the informers have synced and a sync after that has been applied.
    bool waitForSync(std::chrono::milliseconds timeout) const;
    /// Waits until every change seen so far has been programmed (or `timeout`).
    bool waitForIdle(std::chrono::milliseconds timeout) const;
    ProxyStats stats() const;
    /// The mode actually running (Userspace after a fallback).
    ProxyMode mode() const;

private:
    void markDirty(const std::string& serviceKey);
    void run();
    /// Recomputes the dirty Services into m_desired.
    void recompute(const std::set<std::string>& dirty);
    core::Result<void> apply(bool full);
    /// Notes the UDP flows to endpoints that `before` had ready and `after` has not.
    void noteStaleUdpFlows(const std::vector<ServicePort>& before,
                           const std::vector<ServicePort>& after);
    /// Deletes the noted flows' conntrack entries (nftables mode only).
    void clearStaleUdpFlows();
    /// The health check of `service` (LoadBalancer, externalTrafficPolicy Local), if it has one.
    void noteHealthCheck(const std::string& key, const nlohmann::json* service,
                         const std::vector<ServicePort>& ports);

    const client::Client& m_client;
    ProxyOptions m_options;
    client::Informer m_services;
    client::Informer m_slices;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::set<std::string> m_dirty;
    bool m_allDirty = true;
    bool m_stopping = false;
    bool m_busy = false;
    bool m_synced = false;
    ProxyStats m_stats;
    ProxyMode m_mode;

    /// Worker-thread state: desired and programmed rules by ServicePort key.
    std::map<std::string, std::vector<ServicePort>> m_ports;  ///< service key → its ports
    std::map<std::string, PortRules> m_desired;
    std::map<std::string, PortRules> m_programmed;
    /// "map key" → the ServicePort key whose element it is (one verdict per key).
    std::map<std::string, std::string> m_claims;
    bool m_needFull = true;
    /// UDP flows noted by recompute(), deleted once the sync that drops their endpoints is
    /// applied (kept across a failed sync).
    std::vector<StaleUdpFlow> m_staleFlows;
    /// service key → its healthCheckNodePort and what it answers; served by m_health.
    std::map<std::string, std::pair<int, ServiceHealth>> m_healthChecks;
    std::unique_ptr<ServiceHealthServer> m_health;
    std::unique_ptr<agent::network::Nftables> m_nft;
    std::unique_ptr<UserspaceProxy> m_userspace;
    std::thread m_worker;
};

}  // namespace slipway::proxy
