// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/agent/probes/prober.h"

namespace slipway::agent::probes {

/// One probe run as the ProbeManager reports it to the pod worker. Every run is reported (the
/// kubelet records an `Unhealthy` event for every failed run, not only at the threshold);
/// `changed` says whether the container's ready/started/live state moved.
struct ProbeReport {
    std::string podUid;
    std::string container;
    std::string containerId;
    ProbeType type = ProbeType::Readiness;
    /// This run's result and message.
    ProbeResult result = ProbeResult::Unknown;
    std::string output;
    /// The state after applying successThreshold / failureThreshold: for readiness "ready",
    /// for startup "started", for liveness "alive".
    bool state = false;
    /// `state` differs from the previous report's.
    bool changed = false;
    /// Liveness or startup reached failureThreshold: kill the container and restart it as its
    /// restartPolicy says. The worker stays on hold until containerStarted() gives a new id.
    bool restart = false;
    /// The probe's own terminationGracePeriodSeconds, when set: the grace of that kill.
    std::optional<std::int64_t> terminationGracePeriodSeconds;

    /// The event the kubelet records for this run, or empty: for Failure
    /// "Readiness probe failed: <output>" (reason `Unhealthy`, type Warning); for Unknown
    /// "Readiness probe errored: <output>" (`Unhealthy`); for Warning
    /// "Readiness probe warning: <output>" (reason `ProbeWarning`).
    std::string eventReason() const;
    std::string eventMessage() const;
    /// For a restart: "Container web failed liveness probe, will be restarted" (the message of
    /// the kubelet's `Killing` event).
    std::string killMessage() const;
};

using ProbeCallback = std::function<void(const ProbeReport& report)>;

/// What the ProbeManager needs of a container: its spec (probes and ports) and where to probe.
struct ContainerProbeSpec {
    std::string podUid;
    /// The v1.Container; livenessProbe, readinessProbe and startupProbe are read from it.
    nlohmann::json container = nlohmann::json::object();
    ProbeTarget target;  ///< podIp, netnsPath, exec (target.container is filled from above)
};

/// Settings of a ProbeManager.
struct ProbeManagerOptions {
    /// Threads running probes. A probe blocks its thread for at most timeoutSeconds, so this
    /// bounds how many slow probes run at once; timers cost no thread.
    std::size_t threads = 4;
    /// Multiplies every probe duration (initialDelaySeconds, periodSeconds, timeoutSeconds);
    /// 1.0 in production. Tests keep 1.0 and use small second values instead.
    double timeScale = 1.0;
};

/// The kubelet's probe manager: a worker per container and probe type, all driven by timers on
/// a small thread pool (no thread per probe).
///
/// Each worker follows the kubelet's worker.go:
///   - nothing runs until containerStarted(); initialDelaySeconds counts from its startedAt;
///   - then one run every periodSeconds, each with timeoutSeconds as its deadline;
///   - successThreshold consecutive successes / failureThreshold consecutive failures change the
///     state; readiness starts false (until its first success), liveness true, startup false;
///   - while a startup probe exists and has not succeeded, liveness and readiness do not run;
///     once it has, the startup worker stops;
///   - a liveness or startup failure at the threshold reports restart=true and holds the worker
///     until the container starts again (a new containerId resets every worker).
///
/// Callbacks come from the pool's threads, one at a time per worker; a callback may call back
/// into the manager.
class ProbeManager {
public:
    ProbeManager(const Prober& prober, ProbeCallback callback, ProbeManagerOptions options = {});
    /// Stops every worker and waits for running probes to end.
    ~ProbeManager();
    ProbeManager(const ProbeManager&) = delete;
    ProbeManager& operator=(const ProbeManager&) = delete;

    /// Registers a container's probes (idempotent; a changed spec replaces the old one). Workers
    /// wait for containerStarted().
    void addContainer(ContainerProbeSpec spec);
    /// The container (instance `containerId`) is running since `startedAt`. A new id resets the
    /// workers (readiness false, startup false, liveness true) and ends a hold.
    void containerStarted(const std::string& podUid, const std::string& container,
                          const std::string& containerId,
                          std::chrono::system_clock::time_point startedAt);
    /// The container is no longer running: its workers pause and readiness becomes false.
    void containerStopped(const std::string& podUid, const std::string& container);
    /// Updates where a pod's probes go (podIp known later, sandbox recreated).
    void updateTarget(const std::string& podUid, const std::string& podIp,
                      const std::string& netnsPath);
    /// The pod is being deleted: liveness and startup workers stop with a quiet Success (no
    /// restart during the grace period), readiness keeps running (as the kubelet's worker.go).
    void podTerminating(const std::string& podUid);
    void removeContainer(const std::string& podUid, const std::string& container);
    void removePod(const std::string& podUid);

    /// Current states; nullopt for a container or probe that is not registered.
    /// ready: readiness state (true when there is no readiness probe and it is running).
    std::optional<bool> ready(const std::string& podUid, const std::string& container) const;
    /// started: true when there is no startup probe and it is running.
    std::optional<bool> started(const std::string& podUid, const std::string& container) const;

    /// Probe runs so far (for tests and metrics).
    std::uint64_t runs() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace slipway::agent::probes
