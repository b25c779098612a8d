// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace slipway::agent::sim {

using Millis = std::chrono::milliseconds;

/// Settings of the simulated nodes (`slipwayd server --sim-nodes N` and its --sim-* flags).
struct SimConfig {
    /// Nodes sim-node-1 … sim-node-N.
    int nodeCount = 0;
    std::string namePrefix = "sim-node-";
    std::string cpu = "4";
    std::string memory = "8Gi";
    std::string pods = "110";
    /// topology.kubernetes.io/zone values, spread round-robin over the nodes.
    std::vector<std::string> zones = {"zone-a"};
    std::string kubeletVersion;

    /// Pod lifecycle. A container waits in ContainerCreating this long (the simulated image
    /// pull and start), then runs.
    Millis startDelay{500};
    /// A running container becomes ready after this long (a readinessProbe's
    /// initialDelaySeconds, or the pod's sim.slipway.dev/ready-after, overrides it).
    Millis readyDelay{1000};
    /// Containers of pods with restartPolicy Never or OnFailure exit after this long.
    Millis runDuration{2000};
    /// kubelet's restart and image pull back-off: initial, doubling up to the maximum.
    Millis backoffInitial{10'000};
    Millis backoffMax{300'000};

    /// Heartbeats: the Lease is renewed every renewInterval with leaseDurationSeconds; the
    /// node status is posted when it changes and at least every statusReportInterval.
    Millis renewInterval{10'000};
    int leaseDurationSeconds = 40;
    Millis statusReportInterval{300'000};

    /// Threads that write pod status and node heartbeats (API calls block on durable writes).
    int podWorkers = 8;
    int nodeWorkers = 2;
};

/// Pod annotations that steer a simulated pod (documented in docs/ARCHITECTURE.md).
namespace annotations {
inline constexpr const char* kExitCode = "sim.slipway.dev/exit-code";
inline constexpr const char* kRunDuration = "sim.slipway.dev/run-duration";
inline constexpr const char* kReady = "sim.slipway.dev/ready";
inline constexpr const char* kReadyAfter = "sim.slipway.dev/ready-after";
/// On a Node: "true" cuts the node's power (no heartbeats, pods frozen).
inline constexpr const char* kStopped = "sim.slipway.dev/stopped";
}  // namespace annotations

}  // namespace slipway::agent::sim
