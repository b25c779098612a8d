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
    /// How long start waits for /readyz before giving up.
    std::chrono::milliseconds startTimeout = std::chrono::seconds(60);
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
    /// is ready. Starting a running cluster is a no-op. `cancel` is polled while waiting.
    core::Result<ClusterStatus> start(const ClusterSpec& spec,
                                      const ProgressCallback& progress = {},
                                      const std::atomic<bool>* cancel = nullptr);
    /// Graceful stop with a deadline, then a forced one. Stopping a stopped cluster succeeds.
    core::Result<void> stop(const std::string& name, const ProgressCallback& progress = {});
    /// Stops the cluster if needed and removes its folder. Unknown clusters are NotFound.
    core::Result<void> remove(const std::string& name, const ProgressCallback& progress = {});
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

    ClusterManagerOptions m_options;
    std::unique_ptr<Driver> m_localDriver;
};

}  // namespace slipway::vm
