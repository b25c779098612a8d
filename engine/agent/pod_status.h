// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::agent {

using TimePoint = std::chrono::system_clock::time_point;

/// Where a container is, as the runtime reports it (CRI's container states).
enum class ContainerPhase { Waiting, Running, Terminated };

/// How a container ended.
struct ContainerTermination {
    int exitCode = 0;
    std::string reason;  ///< "Completed", "Error", "OOMKilled"
    std::string message;
    TimePoint startedAt;
    TimePoint finishedAt;
    std::string containerId;
};

/// One container as the runtime sees it: what a kubelet turns into a v1.ContainerStatus.
struct ContainerRuntimeStatus {
    std::string name;
    std::string image;
    std::string imageId;      ///< empty until pulled
    std::string containerId;  ///< "sim://…", "containerd://…"; empty before the first create
    ContainerPhase phase = ContainerPhase::Waiting;
    /// Waiting: "ContainerCreating", "PodInitializing", "ErrImagePull", "ImagePullBackOff",
    /// "CrashLoopBackOff". Terminated: "Completed", "Error".
    std::string reason = "ContainerCreating";
    std::string message;
    TimePoint startedAt;   ///< Running and Terminated
    TimePoint finishedAt;  ///< Terminated
    int exitCode = 0;      ///< Terminated
    std::optional<ContainerTermination> lastTermination;
    int restartCount = 0;
    bool ready = false;
    bool started = false;
};

/// A pod as the node sees it: the sandbox, its addresses and every container.
struct PodRuntimeStatus {
    /// The sandbox exists with its network: PodReadyToStartContainers.
    bool sandboxReady = false;
    std::string hostIp;
    std::string podIp;
    /// When the agent first saw the pod (status.startTime); kept from the pod once set.
    std::optional<TimePoint> startTime;
    std::vector<ContainerRuntimeStatus> initContainers;
    std::vector<ContainerRuntimeStatus> containers;
};

/// The v1.ContainerStatus of one container.
nlohmann::json containerStatusJson(const ContainerRuntimeStatus& container);

/// The pod phase a kubelet derives from its containers (kubelet_pods.go getPhase): Pending
/// while an init container has not succeeded or a container waits without having run;
/// Running while any runs (or restarts); Succeeded/Failed once every container has stopped
/// for good under the pod's restartPolicy.
std::string podPhase(const nlohmann::json& pod, const PodRuntimeStatus& runtime);

/// The whole status a kubelet posts for `pod` (its spec and current status as stored) given
/// what the runtime reports: phase, the kubelet's conditions (PodReadyToStartContainers,
/// Initialized, Ready, ContainersReady) with kubelet's reasons and messages, PodScheduled
/// True, conditions owned by others (DisruptionTarget, readiness gates) kept,
/// lastTransitionTime kept for a condition whose status did not change, hostIP(s), podIP(s),
/// startTime, qosClass, initContainerStatuses and containerStatuses in spec order.
nlohmann::json generatePodStatus(const nlohmann::json& pod, const PodRuntimeStatus& runtime,
                                 TimePoint now);

/// True for a pod whose phase is Succeeded or Failed.
bool isTerminalPhase(const std::string& phase);

/// A Go time.Duration as Go prints it ("0s", "512ms", "1.5s", "2m0s"): kubelet messages use it.
std::string goDuration(std::chrono::nanoseconds duration);

}  // namespace slipway::agent
