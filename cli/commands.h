// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "vm/cluster.h"

namespace slipway::vm {
class ClusterManager;
}

namespace slipway::cli {

/// Exit codes. `status` follows minikube: 7 means the cluster is not running.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 7;

/// Options shared by every command.
struct GlobalOptions {
    std::string cluster = "slipway";
    std::string output = "text";  ///< text or json
};

/// `nodesGiven`: --nodes was on the command line (it only shapes a new cluster). `change`:
/// the --cpus, --memory and --disk given, which change an existing, stopped cluster.
int startCommand(vm::ClusterManager& manager, const GlobalOptions& global, vm::ClusterSpec spec,
                 bool nodesGiven = false, const vm::ClusterSettingsChange& change = {});
int stopCommand(vm::ClusterManager& manager, const GlobalOptions& global);
int deleteCommand(vm::ClusterManager& manager, const GlobalOptions& global, bool all);
int statusCommand(vm::ClusterManager& manager, const GlobalOptions& global);
/// Prints the path of the cluster's kubeconfig (for `--kubeconfig` or `export KUBECONFIG=`).
int kubeconfigCommand(vm::ClusterManager& manager, const GlobalOptions& global);
int listCommand(vm::ClusterManager& manager, const GlobalOptions& global);
/// `slipway pause` / `unpause`: freeze and thaw the cluster's VMs (libvirt driver).
int pauseCommand(vm::ClusterManager& manager, const GlobalOptions& global);
int unpauseCommand(vm::ClusterManager& manager, const GlobalOptions& global);
/// `slipway logs [-f]`: the guest console (libvirt) or slipwayd's output (local); `follow`
/// keeps printing what is appended until interrupted.
int logsCommand(vm::ClusterManager& manager, const GlobalOptions& global, bool follow);
/// Replaces this process with slipway-studio (the one beside slipway, else from $PATH), opened
/// on the cluster's topology when it runs, with `arguments` added. Returns only on failure.
int studioCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                  const std::vector<std::string>& arguments);
/// `slipway node add`: a new agent node, printed once Ready.
int nodeAddCommand(vm::ClusterManager& manager, const GlobalOptions& global);
/// `slipway node delete NAME`: the node's VM, disk and Node object go (no drain).
int nodeDeleteCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                      const std::string& node);
/// `slipway node list`: NAME ROLE STATE IP, or JSON with -o json.
int nodeListCommand(vm::ClusterManager& manager, const GlobalOptions& global);
/// `slipway service NAME [-n NS] [--url]` (minikube's `service`): prints a URL on 127.0.0.1
/// per TCP port of the Service. On a VM cluster, a Service with node ports gets host forwards
/// to them (they stay, the command returns at once); otherwise connections are forwarded to
/// its ready endpoints through the API server until interrupted (the terminal must stay
/// open). `urlOnly`: the URLs alone, one per line.
int serviceCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                   const std::string& name, const std::string& nameSpace, bool urlOnly);
/// `slipway tunnel` (minikube's `tunnel`): on a VM cluster, runs a vm::LoadBalancerTunnel in
/// the foreground until SIGINT/SIGTERM, printing one line per Service (or Ingress) exposed or
/// withdrawn; on stopping, its forwards and the addresses it wrote go. A local cluster needs
/// none (its LoadBalancer Services get the host's own address): says so and returns 0.
int tunnelCommand(vm::ClusterManager& manager, const GlobalOptions& global);

/// `slipway image load FILE`: loads a `docker save` or OCI-layout tarball into every node of
/// the cluster (cli/image_command.cpp).
int imageLoadCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                     const std::string& file);

}  // namespace slipway::cli
