// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::agent::probes {

/// What one run of a probe found (the kubelet's probe.Result).
enum class ProbeResult {
    Success,
    /// Success with a remark: an HTTP probe whose redirect to another host was not followed
    /// ("Probe terminated redirects, Response body: …"). Counts as Success; the kubelet records
    /// a `ProbeWarning` event.
    Warning,
    Failure,
    /// The probe could not be run (bad spec, no exec callback, …). Counts as Failure.
    Unknown,
};

/// "Success", "Warning", "Failure", "Unknown".
const char* probeResultName(ProbeResult result);

/// The three kinds of container probe.
enum class ProbeType { Liveness, Readiness, Startup };

/// "Liveness", "Readiness", "Startup" (as in "Readiness probe failed: …").
const char* probeTypeName(ProbeType type);

/// A result and the text the kubelet keeps with it: the body or command output on success, the
/// failure message otherwise ("HTTP probe failed with statuscode: 500").
struct ProbeOutcome {
    ProbeResult result = ProbeResult::Unknown;
    std::string message;
};

/// An exec probe's command, run inside the container by the caller.
struct ExecRequest {
    std::vector<std::string> command;
    /// timeoutSeconds of the probe: the caller stops waiting (and kills the process) after it.
    std::chrono::milliseconds timeout{1000};
};

/// How an exec probe's command ended.
struct ExecResponse {
    int exitCode = 0;
    /// stdout and stderr together (the prober keeps at most 10 KiB of it).
    std::string output;
    /// The command did not finish within the timeout (the kubelet's failure:
    /// `command "…" timed out`).
    bool timedOut = false;
};

/// Runs an exec probe's command in the container (the runtime's exec). An Error means it could
/// not be run at all (the probe is then Unknown with the error's message).
using ExecCallback = std::function<core::Result<ExecResponse>(const ExecRequest& request)>;

/// Where a probe goes: the pod's address and network namespace, and the container.
struct ProbeTarget {
    /// status.podIP, the default host of httpGet, tcpSocket and grpc.
    std::string podIp;
    /// A network namespace file (/run/slipway/netns/<sandboxId>, /proc/<pid>/ns/net). Sockets
    /// are created inside it, so 127.0.0.1 is the pod's loopback. Empty: the agent's own
    /// namespace.
    std::string netnsPath;
    /// The container's spec (v1.Container): named ports of httpGet/tcpSocket are looked up in
    /// its `ports`.
    nlohmann::json container = nlohmann::json::object();
    /// For exec probes.
    ExecCallback exec;
};

/// Settings of a Prober.
struct ProberOptions {
    /// The User-Agent of HTTP and gRPC probes unless httpHeaders sets one.
    std::string userAgent = "kube-probe/1.32";
    /// Largest HTTP response body read (the rest is ignored, as the kubelet does: 10 KiB).
    std::size_t maxBodyBytes = 10 * 1024;
    /// Same-host redirects followed before failing ("stopped after 10 redirects").
    int maxRedirects = 10;
};

/// Runs one probe of a v1.Probe: httpGet, tcpSocket, exec or grpc, with timeoutSeconds as its
/// deadline, and answers as the kubelet's prober does, messages included:
///
///   httpGet   `HTTP probe failed with statuscode: 500`,
///             `Get "http://10.244.0.5:8080/healthz": dial tcp 10.244.0.5:8080: connect:
///             connection refused`,
///             `Get "http://…": context deadline exceeded (Client.Timeout exceeded while
///             awaiting headers)`
///   tcpSocket `dial tcp 127.0.0.1:81: connect: connection refused`, `dial tcp …: i/o timeout`
///   exec      the command's output on a non-zero exit; `command "…" timed out`
///   grpc      `service unhealthy (responded with "NOT_SERVING")`,
///             `timeout: failed to connect service "…" within 1s: context deadline exceeded`
///
/// HTTPS is not verified (as the kubelet). Thread-safe; each call blocks until the probe ends
/// (at most timeoutSeconds plus a little).
class Prober {
public:
    explicit Prober(ProberOptions options = {});

    /// Runs `probe` (a v1.Probe) against `target`.
    ProbeOutcome run(const nlohmann::json& probe, const ProbeTarget& target) const;

    const ProberOptions& options() const { return m_options; }

private:
    ProberOptions m_options;
};

/// A TCP socket created inside the network namespace `netnsPath` (empty: the caller's): a
/// short-lived helper thread enters the namespace and makes the socket, which keeps that
/// namespace wherever it is used. Returns the file descriptor (non-blocking, close-on-exec).
core::Result<int> socketInNamespace(const std::string& netnsPath, int family);

}  // namespace slipway::agent::probes
