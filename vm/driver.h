// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>

#include "engine/core/result.h"
#include "vm/cluster.h"
#include "vm/cluster_manager.h"

namespace slipway::vm {

/// What a driver sees of a machine's processes: running or not, and why not.
struct MachineState {
    bool running = false;
    std::string message;  ///< e.g. "pid file names a process that is not slipwayd"
};

/// Provides the machines of a cluster. The ClusterManager owns the cluster's folder and the
/// readiness wait; a driver only starts, stops and observes what runs.
class Driver {
public:
    virtual ~Driver() = default;

    /// Launches the cluster's control plane. May choose resources it records in `spec` (e.g.
    /// the API port); the manager saves the spec afterwards. Returns once launched, not ready.
    virtual core::Result<void> launch(ClusterSpec& spec, const std::filesystem::path& dir,
                                      const ProgressCallback& progress) = 0;
    /// Stops gracefully within `grace`, then by force. Stopping a stopped machine succeeds.
    virtual core::Result<void> halt(const ClusterSpec& spec, const std::filesystem::path& dir,
                                    std::chrono::milliseconds grace,
                                    const ProgressCallback& progress) = 0;
    /// Whether the machine runs now.
    virtual MachineState observe(const ClusterSpec& spec,
                                 const std::filesystem::path& dir) const = 0;
    /// Releases what a halted machine still holds outside its folder (containers the local
    /// node left running, mounts) before the folder is removed. Nothing by default.
    virtual core::Result<void> release(const ClusterSpec& spec, const std::filesystem::path& dir,
                                       const ProgressCallback& progress) {
        (void)spec;
        (void)dir;
        (void)progress;
        return core::success();
    }
};

}  // namespace slipway::vm
