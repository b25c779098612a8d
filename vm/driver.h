// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "vm/cluster.h"
#include "vm/cluster_manager.h"

namespace slipway::vm {

/// What a driver sees of a machine's processes: running or not, and why not.
struct MachineState {
    bool running = false;
    std::string message;      ///< e.g. "pid file names a process that is not slipwayd"
    bool paused = false;      ///< running but frozen (pause)
    std::string accelerator;  ///< "kvm" or "tcg" for VMs, empty for host processes
    /// The control plane runs but some other machine of the cluster does not (an agent VM
    /// was killed): start launches what is missing.
    bool partial = false;

    static MachineState stopped(std::string why = {}) {
        return {false, std::move(why), false, {}, false};
    }
};

/// One node machine a driver runs.
struct NodeMachine {
    std::string name;     ///< the Kubernetes Node's name
    std::string role;     ///< "server" (runs the control plane) or "agent"
    std::string address;  ///< its InternalIP (the private network's address on VMs)
    bool running = false;
    bool paused = false;
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

    /// Freezes the running machines (their state stays in memory). Pausing a paused machine
    /// succeeds. Unsupported by default.
    virtual core::Result<void> pause(const ClusterSpec& spec, const std::filesystem::path& dir) {
        (void)dir;
        return unsupported(spec, "pause");
    }
    /// Lets paused machines run again. Resuming a running machine succeeds.
    virtual core::Result<void> resume(const ClusterSpec& spec, const std::filesystem::path& dir) {
        (void)dir;
        return unsupported(spec, "unpause");
    }
    /// The log that tells what the machine did: the guest's console for VMs, the daemon's
    /// output for processes.
    virtual std::filesystem::path logPath(const ClusterSpec& spec,
                                          const std::filesystem::path& dir) const = 0;
    /// Makes `guestPort` of the (first) node reachable on 127.0.0.1 of the host and returns
    /// the host port. Asking again for the same guest port returns the same host port; the
    /// forward is kept across restarts. Unsupported by default (a host process needs none).
    virtual core::Result<std::uint16_t> exposePort(const ClusterSpec& spec,
                                                   const std::filesystem::path& dir,
                                                   std::uint16_t guestPort) {
        (void)dir;
        (void)guestPort;
        return unsupported(spec, "exposing a node port");
    }
    /// A forward from exactly 127.0.0.1:`hostPort` to `guestPort` of the (first) node, for
    /// as long as the machine runs or until unforwardHostPort: not recorded, not re-made at the
    /// next start (`slipway tunnel`'s forwards). Fails when the host port cannot be taken.
    /// Unsupported by default.
    virtual core::Result<void> forwardHostPort(const ClusterSpec& spec,
                                               const std::filesystem::path& dir,
                                               std::uint16_t hostPort, std::uint16_t guestPort) {
        (void)dir;
        (void)hostPort;
        (void)guestPort;
        return unsupported(spec, "forwarding a host port");
    }
    /// Removes the forward from 127.0.0.1:`hostPort`; one that is not there (or a machine
    /// that does not run) is success. Unsupported by default.
    virtual core::Result<void> unforwardHostPort(const ClusterSpec& spec,
                                                 const std::filesystem::path& dir,
                                                 std::uint16_t hostPort) {
        (void)dir;
        (void)hostPort;
        return unsupported(spec, "forwarding a host port");
    }
    /// The nodes the machines register, server first, whose readiness start waits for;
    /// empty when the driver runs no node.
    virtual std::vector<NodeMachine> nodes(const ClusterSpec& spec,
                                           const std::filesystem::path& dir) const {
        (void)spec;
        (void)dir;
        return {};
    }
    /// Adds an agent node to the running cluster and boots it; returns it. Unsupported by
    /// default.
    virtual core::Result<NodeMachine> addNode(const ClusterSpec& spec,
                                              const std::filesystem::path& dir,
                                              const ProgressCallback& progress) {
        (void)dir;
        (void)progress;
        return unsupported(spec, "adding a node");
    }
    /// Removes the agent node `node`: its machine and its disk. Unsupported by default.
    virtual core::Result<void> removeNode(const ClusterSpec& spec, const std::filesystem::path& dir,
                                          const std::string& node,
                                          const ProgressCallback& progress) {
        (void)dir;
        (void)node;
        (void)progress;
        return unsupported(spec, "deleting a node");
    }

protected:
    static core::Error unsupported(const ClusterSpec& spec, const std::string& what) {
        return core::Error(core::ErrorCode::BadRequest, what + " is not supported by the " +
                                                            std::string(driverName(spec.driver)) +
                                                            " driver of cluster \"" + spec.name +
                                                            "\"");
    }
};

}  // namespace slipway::vm
