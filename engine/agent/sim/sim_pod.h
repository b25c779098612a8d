// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agent/pod_status.h"
#include "engine/agent/sim/sim_config.h"

namespace slipway::agent::sim {

/// An event a simulated kubelet records about a pod (or one of its containers).
struct SimEvent {
    /// "spec.containers{web}", "spec.initContainers{init}", or "" for the pod.
    std::string fieldPath;
    std::string type;  ///< "Normal" or "Warning"
    std::string reason;
    std::string message;
};

/// The node's image store as a pod sees it: whether an image is present, and recording a pull.
struct ImageStore {
    std::function<bool(const std::string& image)> present;
    std::function<void(const std::string& image)> pulled;
};

/// True for images a simulated node cannot pull: the name or tag contains "doesnotexist" or
/// "invalid" (so that a typo in a lesson behaves as on a real cluster).
bool isUnpullableImage(const std::string& image);
/// The image as containerd reports it: "nginx" → "docker.io/library/nginx:latest".
std::string normalizedImage(const std::string& image);
/// Parses "5s", "500ms", "1m30s", "2h", "1.5s" (Go durations); nullopt if it is not one.
std::optional<std::chrono::milliseconds> parseGoDuration(const std::string& text);

/// One pod's life on a simulated node: a discrete-event state machine per container, in the
/// shape of what kubelet and a container runtime do, driven by the pod's spec, its
/// sim.slipway.dev/* annotations and the SimConfig's delays.
///
/// Each container: ContainerCreating (Pulling, then Pulled/Created/Started after startDelay;
/// an unpullable image goes ErrImagePull → ImagePullBackOff with kubelet's back-off instead)
/// → Running (ready after the readiness delay) → it exits after the run duration when the pod's
/// restartPolicy is Never/OnFailure or an exit annotation is set → Completed/Error, then
/// restarted under the restartPolicy: at once the first time, then after kubelet's back-off
/// (CrashLoopBackOff, 10 s doubling to 5 min by default). Init containers run one after the
/// other before the regular ones; a restartable init container (a sidecar) keeps running.
///
/// advance(now) runs every transition due up to `now` in simulated-time order (a pod on a
/// node that was stopped for a while catches up), returning the events to record; the
/// caller writes the status from runtime() and calls back at nextTransition(). Not
/// thread-safe: one worker at a time handles a pod.
class SimPod {
public:
    SimPod(const nlohmann::json& pod, const SimConfig& config, TimePoint now);

    /// A pod the node ran before the agent restarted: its containers continue from the
    /// status stored in `pod` (running containers keep running since their startedAt).
    static SimPod adopt(const nlohmann::json& pod, const SimConfig& config, TimePoint now);

    std::vector<SimEvent> advance(TimePoint now, const ImageStore& images);
    std::optional<TimePoint> nextTransition() const;
    /// Containers and sandbox, without addresses (the caller sets hostIp and podIp).
    PodRuntimeStatus runtime() const;
    /// Names of the containers running now (those a deletion stops: Killing events).
    std::vector<std::string> runningContainers() const;
    /// Every regular container has stopped for good.
    bool terminal() const;

private:
    enum class Stage {
        NotStarted,
        Creating,
        PullFailed,
        PullBackOff,
        Running,
        CrashBackOff,
        Exited
    };

    struct Container {
        std::string name;
        std::string image;
        std::string pullPolicy;
        bool init = false;
        bool sidecar = false;  ///< an init container with restartPolicy Always
        std::optional<std::chrono::milliseconds> readinessDelay;  ///< none: never ready
        bool hasReadinessProbe = false;
        std::string probeFailure;  ///< Unhealthy message
        std::chrono::milliseconds probePeriod{10'000};

        Stage stage = Stage::NotStarted;
        std::optional<TimePoint> at;  ///< when the current stage's next transition is due
        TimePoint startedAt;
        TimePoint finishedAt;
        int exitCode = 0;
        std::optional<TimePoint> readyAt;
        std::optional<TimePoint> exitAt;
        std::optional<TimePoint> unhealthyAt;
        bool ready = false;
        bool started = false;
        bool pulling = false;
        int pullFailures = 0;
        TimePoint pullFailedAt;
        int exits = 0;
        int restartCount = 0;
        std::optional<ContainerTermination> lastTermination;
        std::string containerId;
        std::string imageId;
        std::string waitingMessage;
    };

    SimPod(const nlohmann::json& pod, const SimConfig& config);
    std::string fieldPath(const Container& c) const;
    std::chrono::milliseconds backoff(int failures) const;
    bool exits(const Container& c) const;
    bool restarts(int exitCode) const;
    /// Processes the earliest due transition; false when none is due at `now`.
    bool step(TimePoint now, const ImageStore& images, std::vector<SimEvent>& events);
    void transition(Container& c, TimePoint t, const ImageStore& images,
                    std::vector<SimEvent>& events);
    void beginCreate(Container& c, TimePoint t, const ImageStore& images,
                     std::vector<SimEvent>& events);
    void start(Container& c, TimePoint t, std::vector<SimEvent>& events, bool pulled);
    void exit(Container& c, TimePoint t, std::vector<SimEvent>& events);
    /// Makes the containers whose turn it is (after init container `index`) eligible at `t`.
    void unlockAfter(std::size_t index, TimePoint t);
    std::optional<TimePoint> dueOf(const Container& c) const;
    std::string newContainerId(const Container& c) const;

    SimConfig m_config;
    std::string m_podName;
    std::string m_podNamespace;
    std::string m_podUid;
    std::string m_restartPolicy;
    std::optional<int> m_exitCode;
    std::optional<std::chrono::milliseconds> m_runDuration;
    bool m_sandboxReady = false;
    TimePoint m_createdAt;
    std::vector<Container> m_containers;  ///< init containers first, in spec order
};

}  // namespace slipway::agent::sim
