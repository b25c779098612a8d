// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "vm/cluster.h"
#include "vm/service_tunnel.h"

namespace slipway::vm {

class Driver;

/// Receives one line per phase of a long operation ("Starting slipwayd", "Waiting for the API
/// server"). Called on the thread that runs the operation.
using ProgressCallback = std::function<void(const std::string& phase)>;

/// Options of a ClusterManager; the defaults are what a user's session wants.
struct ClusterManagerOptions {
    /// Where cluster folders live; default $XDG_DATA_HOME/slipway/clusters (or
    /// ~/.local/share/slipway/clusters).
    std::filesystem::path clustersRoot;
    /// slipwayd to run for the local driver; default: beside this executable, then $PATH.
    std::filesystem::path slipwaydPath;
    /// How long start waits for /readyz before giving up (local driver).
    std::chrono::milliseconds startTimeout = std::chrono::seconds(60);
    /// How long start waits for a VM to boot, serve /readyz and report its node Ready
    /// (libvirt driver; TCG is slow).
    std::chrono::milliseconds vmStartTimeout = std::chrono::seconds(300);
    /// The guest image's folder for the libvirt driver; empty: image::locateGuestImage().
    std::filesystem::path guestImageDir;
    /// How long stop waits for a graceful exit before killing.
    std::chrono::milliseconds stopTimeout = std::chrono::seconds(30);
    /// The user's kubeconfig: start merges the cluster's context into it (and makes it
    /// current), delete takes it out again, as minikube does. Default: userKubeconfigPath()
    /// ($KUBECONFIG, else ~/.kube/config), read when the manager is made.
    std::filesystem::path userKubeconfig;
    /// Whether to touch the user's kubeconfig at all.
    bool mergeKubeconfig = true;
};

/// The one library both `slipway` and `slipway-studio` drive clusters through: it keeps each
/// cluster's folder (`<clustersRoot>/<name>/`) and hands the machine work to a driver.
/// All methods block; the GUI calls them off its thread. Safe to use from several processes
/// at once (state lives on disk, not in this object).
class ClusterManager {
public:
    explicit ClusterManager(ClusterManagerOptions options = {});
    ~ClusterManager();
    ClusterManager(const ClusterManager&) = delete;
    ClusterManager& operator=(const ClusterManager&) = delete;

    const ClusterManagerOptions& options() const { return m_options; }

    /// Creates the cluster if it does not exist, then starts it and waits until its API server
    /// is ready. Starting a running cluster is a no-op. `cancel` is checked between phases and
    /// polled while waiting; a cancelled create is rolled back (machines halted, folder
    /// removed) and the Cancelled error says whether anything is left.
    core::Result<ClusterStatus> start(const ClusterSpec& spec,
                                      const ProgressCallback& progress = {},
                                      const std::atomic<bool>* cancel = nullptr);
    /// Graceful stop with a deadline, then a forced one. Stopping a stopped cluster succeeds.
    /// `cancel` is checked before anything is done (a stop under way is not interrupted).
    core::Result<void> stop(const std::string& name, const ProgressCallback& progress = {},
                            const std::atomic<bool>* cancel = nullptr);
    /// Stops the cluster if needed and removes its folder. Unknown clusters are NotFound.
    /// `cancel` is checked between stopping, releasing and removing.
    core::Result<void> remove(const std::string& name, const ProgressCallback& progress = {},
                              const std::atomic<bool>* cancel = nullptr);
    /// Changes the CPUs and memory of a stopped cluster's nodes, kept in its cluster.json for
    /// this and every later start (each start defines the machines afresh). NotFound for an
    /// unknown cluster; Conflict while it runs or is paused ("stop it first"); BadRequest for
    /// a data disk of another size (a disk keeps its size: delete and create to change it).
    /// Returns the settings as saved.
    core::Result<ClusterSpec> changeSettings(const std::string& name,
                                             const ClusterSettingsChange& change);
    /// Freezes the cluster's machines (libvirt: virDomainSuspend). Pausing a paused cluster
    /// succeeds; a stopped one is Unavailable.
    core::Result<void> pause(const std::string& name);
    /// Lets a paused cluster run again. Unpausing a running cluster succeeds.
    core::Result<void> unpause(const std::string& name);
    /// The log of the cluster's (first) machine: the guest console for VMs, slipwayd's
    /// output for the local driver. The file may not exist yet.
    core::Result<std::filesystem::path> logPath(const std::string& name) const;
    /// The same for a cluster given by its spec (it may not exist yet); touches no file.
    std::filesystem::path logPathFor(const ClusterSpec& spec) const;
    /// Makes `guestPort` of the cluster's node reachable on 127.0.0.1 and returns the host
    /// port (libvirt: a QEMU host forward, kept across restarts). BadRequest for drivers whose
    /// node is the host itself.
    core::Result<std::uint16_t> exposeNodePort(const std::string& name, std::uint16_t guestPort);
    /// A forward from exactly 127.0.0.1:`hostPort` to `guestPort` of the cluster's node while
    /// it runs, not kept across restarts (`slipway tunnel`); fails if the port cannot be
    /// taken. BadRequest for drivers whose node is the host itself.
    core::Result<void> forwardHostPort(const std::string& name, std::uint16_t hostPort,
                                       std::uint16_t guestPort);
    /// Removes that forward; one already gone is success.
    core::Result<void> unforwardHostPort(const std::string& name, std::uint16_t hostPort);
    /// `slipway service --url` on a VM cluster: forwards a free 127.0.0.1 port to the node
    /// port of each TCP port of the Service (kept across restarts, the same port when asked
    /// again) and returns the URLs. An empty list when the Service has no node ports
    /// (ClusterIP: the caller tunnels through the API server instead). NotFound: `service
    /// "NAME" not found in namespace "NS"`.
    core::Result<std::vector<ServiceUrl>> exposeService(const std::string& name,
                                                        const std::string& nameSpace,
                                                        const std::string& service);
    /// Adds an agent node to the running cluster (libvirt: a VM `<cluster>-mNN` on the
    /// cluster's private network), waits until it is Ready and returns it. Unavailable when
    /// the cluster does not run; BadRequest for drivers without nodes of their own.
    core::Result<NodeStatus> addNode(const std::string& name, const ProgressCallback& progress = {},
                                     const std::atomic<bool>* cancel = nullptr);
    /// Deletes agent node `node` without draining it: its VM and disk, its Node object and
    /// the pods bound to it (as the pod garbage collector does for a node that is gone).
    /// NotFound for an unknown node; BadRequest for the server node.
    core::Result<void> removeNode(const std::string& name, const std::string& node,
                                  const ProgressCallback& progress = {});
    /// The cluster's nodes, server first, with their machine's state and readiness.
    core::Result<std::vector<NodeStatus>> nodes(const std::string& name) const;
    /// The cluster's current state; NotFound if it was never created.
    core::Result<ClusterStatus> status(const std::string& name) const;
    /// Every cluster under the root, sorted by name.
    core::Result<std::vector<ClusterStatus>> list() const;

    /// The folder of a cluster (it may not exist).
    std::filesystem::path clusterDir(const std::string& name) const;

    /// The default root: $XDG_DATA_HOME/slipway/clusters or ~/.local/share/slipway/clusters.
    static std::filesystem::path defaultClustersRoot();

private:
    Driver& driverFor(DriverKind kind) const;
    core::Result<ClusterSpec> loadSpec(const std::string& name) const;
    /// Undoes a create: halts what was launched, releases it and removes the folder.
    core::Result<void> rollBackCreate(const ClusterSpec& spec, const ProgressCallback& progress);
    core::Result<void> waitForNodes(const ClusterSpec& spec, Driver& driver,
                                    std::chrono::steady_clock::time_point deadline,
                                    const ProgressCallback& progress,
                                    const std::atomic<bool>* cancel) const;

    ClusterManagerOptions m_options;
    std::unique_ptr<Driver> m_localDriver;
    std::unique_ptr<Driver> m_libvirtDriver;
};

}  // namespace slipway::vm
