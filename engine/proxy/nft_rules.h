// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/proxy/service_model.h"

namespace slipway::proxy {

/// What the rules depend on apart from the Services.
struct RuleConfig {
    /// The table, family ip (IPv4 only, as the cluster network).
    std::string table = "slipway-proxy";
    /// Node ports are served on these addresses; empty: on every local address but loopback.
    std::vector<std::string> nodeIps;
    /// Traffic to cluster IPs is always masqueraded (kube-proxy --masquerade-all): the replies
    /// of an endpoint on the same bridge then come back through the node even without
    /// br_netfilter, and hairpin traffic (a pod reaching itself through its Service) works.
    bool masqueradeAll = true;
    /// The pods' addresses: their traffic to a Local node port or external IP is sent to the
    /// cluster-wide service chain (masqueraded), so a pod can reach itself that way too.
    std::string clusterCidr = "10.244.0.0/16";
    /// The packet mark of traffic to masquerade (kube-proxy's 0x4000).
    std::uint32_t masqueradeMark = 0x4000;
};

/// The nftables objects that serve one Service port: its chains (name → rules), its
/// affinity sets (name → declaration body) and its elements in the shared verdict maps.
struct PortRules {
    std::map<std::string, std::vector<std::string>> chains;
    std::map<std::string, std::string> sets;
    /// map name → (key → verdict).
    std::map<std::string, std::map<std::string, std::string>> elements;

    friend bool operator==(const PortRules&, const PortRules&) = default;
};

/// kube-proxy's nftables rules for one Service port:
///  - service chain: mark for masquerade, affinity lookups, then
///    `numgen random mod N vmap { 0 : goto endpoint-…, … }` over the READY endpoints;
///  - one endpoint chain per ready endpoint: hairpin mark (unless masqueradeAll already marked
///    every packet to the Service), affinity update, DNAT;
///  - external chain (node ports, load-balancer and external IPs): Cluster policy marks and
///    goes to the service chain; Local keeps the source and goes to local endpoints only;
///  - map elements: `service-ips` (cluster IP, external IPs), `service-nodeports`, or, with no
///    ready endpoint, `no-endpoint-services` / `no-endpoint-nodeports` → reject.
PortRules portRules(const RuleConfig& config, const ServicePort& port);

/// The base of the table: the hooked chains, the masquerade chains, the verdict maps and the
/// node-port address set. In nft syntax, to be preceded by a table delete for a full sync.
std::string baseRules(const RuleConfig& config);

/// One transaction that replaces the whole table with the base and `ports` (full sync).
std::string fullSync(const RuleConfig& config, const std::map<std::string, PortRules>& ports);

/// One transaction that turns the table programmed as `before` into `after`: only the ports
/// whose rules differ are touched (their chains flushed and refilled, their map elements
/// replaced), chains and sets no longer used are deleted.
std::string partialSync(const RuleConfig& config, const std::map<std::string, PortRules>& before,
                        const std::map<std::string, PortRules>& after);

}  // namespace slipway::proxy
