// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/agent/kubelet/kubelet.h"
#include "engine/core/file_lock.h"
#include "engine/core/result.h"

namespace CLI {
class App;
}

namespace slipway::cmd {

/// Flags of a node agent: the same for the server's own node (`slipwayd server --node-agent`)
/// and for a node that joins one (`slipwayd agent`).
struct NodeFlags {
    /// The node's name; empty: the cluster name (server) or the host name (agent).
    std::string nodeName;
    /// The node's InternalIP, where the API server reaches its streaming server and other
    /// nodes route to its pods.
    std::string nodeIp = "127.0.0.1";
    /// The streaming server's port (status.daemonEndpoints); 0 picks a free one.
    int kubeletPort = 10250;
    /// Image tarballs (files, or folders of *.tar) loaded at start; empty: the demo images
    /// installed beside slipwayd.
    std::vector<std::string> preloadImages;
    /// The first crash-loop back-off (doubling up to the maximum), as the kubelet's 10 s / 5 m.
    std::string crashLoopBackoff = "10s";
    std::string crashLoopBackoffMax = "5m";
    /// The node's pod network: "bridge" (a bridge, a veth pair and an address per pod,
    /// engine/agent/network) or "none" (pods get only loopback; then no Service proxy, cluster
    /// DNS or ingress runs either: what runs in the host's own namespace uses it).
    std::string podNetwork = "bridge";
    /// The node's podCIDR. The server's node has 10.244.0.0/24 of the cluster CIDR by default;
    /// empty (an agent's default): the one the server's node IPAM controller assigns.
    std::string podCidr = "10.244.0.0/24";
    /// How the node serves Services: nftables, userspace or none (engine/proxy).
    std::string proxyMode = "nftables";
    /// The node's addresses that serve node ports (kube-proxy's --nodeport-addresses); empty:
    /// the node IP alone. A VM node adds its user-mode address, where host forwards arrive.
    std::vector<std::string> nodePortAddresses;
};

/// The addresses the Service proxy serves node ports on: --nodeport-addresses, else the node IP.
std::vector<std::string> nodePortAddresses(const NodeFlags& flags);

/// Blocks SIGTERM and SIGINT; called before any thread starts, so every thread inherits the
/// mask and the main thread alone receives them through sigwait on the returned set.
sigset_t blockShutdownSignals();

/// Makes `dataDir` if missing and locks it for this process (flock on slipwayd.lock), so two
/// slipwayd never share one; the error names the dir and why, for the log.
core::Result<core::FileLock> lockDataDir(const std::filesystem::path& dataDir);

/// Adds the NodeFlags options to `command`.
void addNodeFlags(CLI::App& command, NodeFlags& flags);

/// A flag's Go duration ("500ms", "10s", "5m"), or an error naming the flag.
core::Result<std::chrono::milliseconds> durationFlag(const std::string& text, const char* flag);

/// A node agent's settings: named `flags.nodeName` (else `defaultName`), its state under
/// `dataDir`/agent, its streaming server on the node IP with `streamingTls` (plain without).
core::Result<agent::kubelet::KubeletOptions> kubeletOptions(
    const NodeFlags& flags, const std::string& defaultName, const std::filesystem::path& dataDir,
    std::optional<agent::streaming::StreamingTls> streamingTls);

}  // namespace slipway::cmd
