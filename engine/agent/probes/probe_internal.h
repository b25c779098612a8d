// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pieces shared by the probe kinds; not part of the library's API.

#include <chrono>
#include <string>
#include <vector>

#include "engine/agent/probes/prober.h"

namespace slipway::agent::probes::detail {

using Clock = std::chrono::steady_clock;

/// "10.244.0.5:8080", "[fd00::1]:8080" (Go's net.JoinHostPort).
std::string joinHostPort(const std::string& host, int port);

/// Go's text of an errno as net errors print it: "connection refused", "no route to host".
std::string errnoText(int error);

/// A connected TCP socket, or why not.
struct Dialed {
    int fd = -1;
    bool timedOut = false;
    /// Go's dial error: "dial tcp 127.0.0.1:81: connect: connection refused",
    /// "dial tcp 10.0.0.1:80: i/o timeout".
    std::string error;
};

/// Connects to host:port from inside `netnsPath` before `deadline`. The fd is blocking-free
/// (O_NONBLOCK) and the caller owns it.
Dialed dial(const std::string& netnsPath, const std::string& host, int port,
            Clock::time_point deadline);

/// One HTTP GET probe (redirects included).
struct HttpProbeRequest {
    std::string scheme;  ///< "http" or "https"
    std::string host;
    int port = 0;
    std::string path;  ///< with query, starting with '/'
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds timeout{1000};
};
ProbeOutcome runHttpProbe(const HttpProbeRequest& request, const std::string& netnsPath,
                          const ProberOptions& options);

/// One grpc.health.v1.Health/Check over h2c.
ProbeOutcome runGrpcProbe(const std::string& host, int port, const std::string& service,
                          std::chrono::milliseconds timeout, const std::string& netnsPath,
                          const ProberOptions& options);

/// Go's time.Duration text of a whole number of milliseconds: "1s", "500ms", "1m30s".
std::string goDuration(std::chrono::milliseconds duration);

}  // namespace slipway::agent::probes::detail
