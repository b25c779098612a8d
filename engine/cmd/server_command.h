// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace slipway::cmd {

/// Flags of `slipwayd server`.
struct ServerFlags {
    std::filesystem::path dataDir = "/var/lib/slipway";
    std::string listen = "127.0.0.1:6443";
    std::filesystem::path kubeconfigOut;
    std::string clusterName = "slipway";
    /// One per core. A create does not hold its thread while it is made durable (its answer
    /// is resumed by the store's commit), so two threads keep 64 writers in one group commit;
    /// more threads halve GET throughput and slow lists on two cores (BENCHMARKS.md).
    int threads = 2;
    std::string logLevel = "info";
    /// Plain HTTP with no authentication: for tests only, never the default.
    bool insecureHttp = false;
};

/// Runs the control plane until SIGTERM or SIGINT; returns the process exit code.
int runServer(const ServerFlags& flags);

}  // namespace slipway::cmd
