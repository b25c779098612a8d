// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace slipway::agent {

/// What a node agent reports about its node: the parts of a Node a kubelet registers and
/// keeps up to date. The simulated nodes fill it from flags; the real agent (issue 5) from the
/// machine.
struct NodeConfig {
    std::string name;
    /// Besides the well-known labels nodeObject() adds (hostname, os, arch).
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> annotations;
    std::string cpu = "4";
    std::string memory = "8Gi";
    std::string pods = "110";
    std::string ephemeralStorage = "100Gi";
    std::string internalIp;
    std::string podCidr;  ///< "10.244.1.0/24"
    std::string kubeletVersion;
    std::string containerRuntimeVersion = "slipway-sim://1";
    std::string osImage = "Slipway simulated node";
    std::string kernelVersion = "6.1.0-slipway-sim";
    std::string operatingSystem = "linux";
    std::string architecture = "amd64";
    int kubeletPort = 10250;
};

/// The Node a kubelet registers: name, labels (kubernetes.io/hostname, kubernetes.io/os,
/// kubernetes.io/arch and their beta twins, plus config.labels), the controller-managed
/// attach-detach annotation, spec.podCIDR(s). No status (the API server drops it on create;
/// the agent writes it through nodes/status).
nlohmann::json nodeObject(const NodeConfig& config);

/// The node status a kubelet posts: conditions MemoryPressure, DiskPressure, PIDPressure and
/// Ready with kubelet's reasons and messages (lastHeartbeatTime `now`, lastTransitionTime kept
/// from `current` when the condition's status is unchanged), capacity and allocatable
/// (allocatable less kubelet's default hard eviction thresholds: memory.available 100Mi,
/// nodefs.available 10%), nodeInfo, addresses, daemonEndpoints and images (none).
/// `current` is the node's status as stored (may be null or empty).
nlohmann::json nodeStatus(const NodeConfig& config, const nlohmann::json& current,
                          std::chrono::system_clock::time_point now);

/// True when `desired` says something `current` does not, heartbeat times aside: what makes a
/// kubelet post its status before the report interval is up.
bool nodeStatusChanged(const nlohmann::json& current, const nlohmann::json& desired);

/// The node's Lease in kube-node-lease as a kubelet's lease controller makes it: holderIdentity
/// the node, leaseDurationSeconds, renewTime `now`, owned by the Node (uid `nodeUid`).
nlohmann::json leaseObject(const std::string& nodeName, const std::string& nodeUid,
                           int leaseDurationSeconds, std::chrono::system_clock::time_point now);

/// metav1.MicroTime as Kubernetes writes it: "2024-05-01T10:00:00.123456Z".
std::string formatMicroTime(std::chrono::system_clock::time_point time);

/// The namespace of node leases.
inline constexpr const char* kNodeLeaseNamespace = "kube-node-lease";

}  // namespace slipway::agent
