// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/agent/network/ipam.h"
#include "engine/core/result.h"

namespace slipway::agent::network {

/// The node's share of the cluster network.
struct PodNetworkOptions {
    std::string podCidr = "10.244.0.0/24";      ///< this node's pods
    std::string clusterCidr = "10.244.0.0/16";  ///< every node's pods
    std::string bridge = "slipway0";
    /// IPAM state: <stateDir>/ipam/<one file per address in use>.
    std::filesystem::path stateDir;
    int mtu = 1500;
    /// Pod traffic leaving the cluster CIDR is masqueraded behind the node's address.
    bool masquerade = true;
};

/// Where a pod was attached.
struct PodAttachment {
    std::string ip;
    std::string gateway;
    std::string hostInterface;  ///< the host end of the pod's veth pair
};

/// The pod network of one node, done the way the CNI bridge and host-local plugins do it:
/// a bridge holding the podCIDR's gateway, one veth pair per pod with `eth0` inside the pod's
/// network namespace, an address from a persistent IPAM, a default route via the gateway, and
/// (table `ip slipway-podnet`) masquerade for traffic leaving the cluster CIDR. It also turns
/// on IPv4 forwarding and bridge-nf-call-iptables, so that bridged pod-to-pod packets pass the
/// ip/inet hooks where Services and NetworkPolicies are enforced.
///
/// Everything happens in the network namespace of the thread that calls setUp/attach/detach
/// (the node's). Thread-safe.
class PodNetwork {
public:
    /// The table this class owns.
    static constexpr const char* kTable = "slipway-podnet";

    /// Creates (or adopts) the bridge, its gateway address, the sysctls and the masquerade
    /// table. Idempotent: an agent restarted on the same node finds everything in place.
    static core::Result<std::unique_ptr<PodNetwork>> setUp(PodNetworkOptions options);
    /// Removes what setUp made (the bridge, the table, the IPAM state): `slipwayd reset-node`.
    /// Pods' veth pairs go with their network namespaces.
    static core::Result<void> tearDown(const PodNetworkOptions& options);

    /// Gives the sandbox `id` (whose namespace is at `netnsPath`) its address and link.
    /// Idempotent: a sandbox attached before (this run or a previous one) keeps its address.
    core::Result<PodAttachment> attach(const std::string& id,
                                       const std::filesystem::path& netnsPath);
    /// Deletes the sandbox's link and frees its address. Nothing to undo is success.
    core::Result<void> detach(const std::string& id);
    /// The sandbox's address, if it holds one.
    std::optional<std::string> addressOf(const std::string& id) const;
    /// Frees the addresses whose sandbox `keep` says is gone (those a crash left behind).
    void releaseUnless(const std::function<bool(const std::string& id)>& keep);

    /// The podCIDR's gateway (the bridge's address): where node-local services such as the
    /// cluster DNS listen for pods.
    std::string gateway() const { return m_ipam.gateway(); }
    const PodNetworkOptions& options() const { return m_options; }

    /// "veth" and the first 11 hexadecimal digits of the id (Linux allows 15 characters).
    static std::string hostInterfaceName(const std::string& id);

private:
    PodNetwork(PodNetworkOptions options, Ipv4Cidr podCidr, int bridgeIndex);

    PodNetworkOptions m_options;
    Ipam m_ipam;
    int m_bridgeIndex;
};

}  // namespace slipway::agent::network
