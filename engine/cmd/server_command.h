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
    /// One per core. Handlers block while their write is made durable, so more threads let
    /// more writes share one fsync (8 threads: creates 1,600 → 2,000-2,400/s), but on two cores
    /// they halve GET throughput and slow lists (bench_apiserver, BENCHMARKS.md); the fix for
    /// writes is a commit that does not hold the I/O thread.
    int threads = 2;
    std::string logLevel = "info";
    /// Plain HTTP with no authentication: for tests only, never the default.
    bool insecureHttp = false;
};

/// Runs the control plane until SIGTERM or SIGINT; returns the process exit code.
int runServer(const ServerFlags& flags);

}  // namespace slipway::cmd
