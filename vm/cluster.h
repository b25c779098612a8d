// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "vm/accelerator.h"

namespace slipway::vm {

/// How a cluster's machines are provided.
enum class DriverKind {
    Local,    ///< slipwayd as a process on this host
    Libvirt,  ///< one libvirt VM per node
};

std::string_view driverName(DriverKind kind);
core::Result<DriverKind> parseDriver(std::string_view name);

/// What a cluster is doing, as `slipway status` reports it.
enum class ClusterState {
    Stopped,   ///< no process / machine running
    Starting,  ///< running but the API server does not answer /readyz yet
    Running,   ///< API server answers /readyz
    Paused,    ///< machine frozen
    Error,     ///< something is running that does not behave
};

std::string_view stateName(ClusterState state);

/// What `slipway start --cpus/--memory/--disk` asks to change on an existing cluster; unset
/// fields stay as they are.
struct ClusterSettingsChange {
    std::optional<int> cpus;
    std::optional<std::int64_t> memoryMiB;
    std::optional<std::int64_t> diskGiB;
};

/// A cluster as the user configured it; persisted as cluster.json in the cluster's folder.
struct ClusterSpec {
    std::string name = "slipway";
    DriverKind driver = DriverKind::Local;
    int cpus = 2;
    std::int64_t memoryMiB = 2048;
    std::int64_t diskGiB = 20;
    /// How many nodes (machines) the cluster has: the server and nodes-1 agents. Kept up to
    /// date by `slipway node add|delete`.
    int nodes = 1;
    /// Loopback port of the API server; 0 until the first start chooses one, then kept so the
    /// kubeconfig stays valid across restarts.
    std::uint16_t apiPort = 0;
    /// libvirt driver: the accelerator asked for (auto probes KVM at each start).
    Accelerator accel = Accelerator::Auto;
    /// libvirt driver: the connection URI; empty means qemu:///system as root and
    /// qemu:///session otherwise.
    std::string libvirtUri;
    std::chrono::system_clock::time_point createdAt{};
};

/// A cluster as observed now.
struct ClusterStatus {
    ClusterSpec spec;
    ClusterState state = ClusterState::Stopped;
    std::string accelerator;     ///< the VMs' accelerator while running ("kvm", "tcg")
    int nodes = 0;               ///< nodes the driver runs (0: none, e.g. local without root)
    int nodesReady = 0;          ///< of those, Nodes whose Ready condition is True
    std::string apiServerUrl;    ///< "https://127.0.0.1:PORT" while running, else empty
    std::string kubeconfigPath;  ///< the cluster's own kubeconfig (exists once started)
    std::string message;         ///< why it is in Error, or empty
};

/// One node of a cluster as `slipway node list` shows it.
struct NodeStatus {
    std::string name;
    std::string role;     ///< "server" or "agent"
    std::string state;    ///< Ready or NotReady while its machine runs, else Stopped or Paused
    std::string address;  ///< the node's InternalIP
};

/// Checks a cluster name: a DNS-1123 label (lower-case alphanumerics and '-', 1–63
/// characters, starting and ending alphanumeric), because it names folders, VMs and contexts.
core::Result<void> validateClusterName(std::string_view name);

/// The kubeconfig context of a cluster: "slipway" for the default cluster, "slipway-<name>"
/// for the others, as minikube names its profiles' contexts.
std::string contextName(std::string_view clusterName);

/// Writes a spec as JSON (atomically) to `file`, normally `<cluster dir>/cluster.json`.
core::Result<void> saveClusterSpec(const std::filesystem::path& file, const ClusterSpec& spec);
/// Reads a spec written by saveClusterSpec; NotFound if absent, Invalid if malformed.
core::Result<ClusterSpec> loadClusterSpec(const std::filesystem::path& file);

}  // namespace slipway::vm
