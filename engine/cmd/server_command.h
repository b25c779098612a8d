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
    /// Request handlers block while their write is made durable; more threads than cores let
    /// more writes share one fsync (group commit) instead of queueing behind two.
    int threads = 8;
    std::string logLevel = "info";
    /// Plain HTTP with no authentication: for tests only, never the default.
    bool insecureHttp = false;
};

/// Runs the control plane until SIGTERM or SIGINT; returns the process exit code.
int runServer(const ServerFlags& flags);

}  // namespace slipway::cmd
