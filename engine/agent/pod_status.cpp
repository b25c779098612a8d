// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/pod_status.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "engine/core/timestamp.h"

namespace slipway::agent {

namespace {

using nlohmann::json;

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const auto value = object.value(pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

json arrayAt(const json& object, const json::json_pointer& pointer) {
    const auto value = object.value(pointer, json());
    return value.is_array() ? value : json::array();
}

/// "[a b]": Go's %s of a []string, as kubelet's messages print container lists.
std::string goList(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : " ") + names[i];
    }
    return out + "]";
}

json stateJson(ContainerPhase phase, const std::string& reason, const std::string& message,
               TimePoint startedAt, TimePoint finishedAt, int exitCode,
               const std::string& containerId) {
    switch (phase) {
        case ContainerPhase::Waiting: {
            json waiting = {{"reason", reason}};
            if (!message.empty()) {
                waiting["message"] = message;
            }
            return {{"waiting", waiting}};
        }
        case ContainerPhase::Running:
            return {{"running", {{"startedAt", core::formatTimestamp(startedAt)}}}};
        case ContainerPhase::Terminated: {
            json terminated = {{"exitCode", exitCode},
                               {"reason", reason},
                               {"startedAt", core::formatTimestamp(startedAt)},
                               {"finishedAt", core::formatTimestamp(finishedAt)}};
            if (!message.empty()) {
                terminated["message"] = message;
            }
            if (!containerId.empty()) {
                terminated["containerID"] = containerId;
            }
            return {{"terminated", terminated}};
        }
    }
    return json::object();
}

bool isRestartableInit(const json& container) {
    return container.value("restartPolicy", "") == "Always";
}

const ContainerRuntimeStatus* findStatus(const std::vector<ContainerRuntimeStatus>& statuses,
                                         const std::string& name) {
    const auto it = std::find_if(statuses.begin(), statuses.end(),
                                 [&](const ContainerRuntimeStatus& s) { return s.name == name; });
    return it == statuses.end() ? nullptr : &*it;
}

json condition(const std::string& type, bool status, const std::string& reason = {},
               const std::string& message = {}) {
    json out = {{"type", type}, {"status", status ? "True" : "False"}};
    if (!reason.empty()) {
        out["reason"] = reason;
    }
    if (!message.empty()) {
        out["message"] = message;
    }
    return out;
}

/// ContainersReady (kubelet status/generate.go GenerateContainersReadyCondition).
json containersReadyCondition(const json& pod, const PodRuntimeStatus& runtime,
                              const std::string& phase) {
    std::vector<std::string> unknown;
    std::vector<std::string> unready;
    for (const auto& container : arrayAt(pod, "/spec/initContainers"_json_pointer)) {
        if (!isRestartableInit(container)) {
            continue;
        }
        const std::string name = container.value("name", "");
        const auto* status = findStatus(runtime.initContainers, name);
        if (status == nullptr) {
            unknown.push_back(name);
        } else if (!status->ready) {
            unready.push_back(name);
        }
    }
    for (const auto& container : arrayAt(pod, "/spec/containers"_json_pointer)) {
        const std::string name = container.value("name", "");
        const auto* status = findStatus(runtime.containers, name);
        if (status == nullptr) {
            unknown.push_back(name);
        } else if (!status->ready) {
            unready.push_back(name);
        }
    }
    if (phase == "Succeeded" && unknown.empty()) {
        return condition("ContainersReady", false, "PodCompleted");
    }
    if (phase == "Failed") {
        return condition("ContainersReady", false, "PodFailed");
    }
    std::string message;
    if (!unknown.empty()) {
        message = "containers with unknown status: " + goList(unknown);
    }
    if (!unready.empty()) {
        message += (message.empty() ? "" : ", ") + std::string("containers with unready status: ") +
                   goList(unready);
    }
    if (!message.empty()) {
        return condition("ContainersReady", false, "ContainersNotReady", message);
    }
    return condition("ContainersReady", true);
}

/// Ready: ContainersReady, then the readiness gates (GeneratePodReadyCondition).
json readyCondition(const json& pod, const json& containersReady, const json& otherConditions) {
    if (containersReady.value("status", "") != "True") {
        json ready = containersReady;
        ready["type"] = "Ready";
        return ready;
    }
    std::vector<std::string> messages;
    for (const auto& gate : arrayAt(pod, "/spec/readinessGates"_json_pointer)) {
        const std::string type = gate.value("conditionType", "");
        const auto it = std::find_if(otherConditions.begin(), otherConditions.end(),
                                     [&](const json& c) { return c.value("type", "") == type; });
        if (it == otherConditions.end()) {
            messages.push_back("corresponding condition of pod readiness gate \"" + type +
                               "\" does not exist.");
        } else if (it->value("status", "") != "True") {
            messages.push_back("the status of pod readiness gate \"" + type +
                               "\" is not \"True\", but " + it->value("status", ""));
        }
    }
    if (!messages.empty()) {
        std::string message;
        for (const auto& m : messages) {
            message += (message.empty() ? "" : ", ") + m;
        }
        return condition("Ready", false, "ReadinessGatesNotReady", message);
    }
    return condition("Ready", true);
}

/// Initialized (GeneratePodInitializedCondition).
json initializedCondition(const json& pod, const PodRuntimeStatus& runtime,
                          const std::string& phase) {
    std::vector<std::string> unknown;
    std::vector<std::string> incomplete;
    for (const auto& container : arrayAt(pod, "/spec/initContainers"_json_pointer)) {
        const std::string name = container.value("name", "");
        const auto* status = findStatus(runtime.initContainers, name);
        if (status == nullptr) {
            unknown.push_back(name);
            continue;
        }
        const bool done =
            isRestartableInit(container)
                ? status->started
                : (status->phase == ContainerPhase::Terminated && status->exitCode == 0);
        if (!done) {
            incomplete.push_back(name);
        }
    }
    if (phase == "Succeeded" && unknown.empty()) {
        return condition("Initialized", true, "PodCompleted");
    }
    const bool anyRegularStarted = std::any_of(
        runtime.containers.begin(), runtime.containers.end(), [](const ContainerRuntimeStatus& s) {
            return s.phase != ContainerPhase::Waiting || s.lastTermination;
        });
    if (anyRegularStarted) {
        return condition("Initialized", true);
    }
    std::string message;
    if (!unknown.empty()) {
        message = "containers with unknown status: " + goList(unknown);
    }
    if (!incomplete.empty()) {
        message += (message.empty() ? "" : ", ") +
                   std::string("containers with incomplete status: ") + goList(incomplete);
    }
    if (!message.empty()) {
        return condition("Initialized", false, "ContainersNotInitialized", message);
    }
    return condition("Initialized", true);
}

}  // namespace

json containerStatusJson(const ContainerRuntimeStatus& container) {
    json status = {
        {"name", container.name},
        {"state",
         stateJson(container.phase, container.reason, container.message, container.startedAt,
                   container.finishedAt, container.exitCode, container.containerId)},
        {"lastState", json::object()},
        {"ready", container.ready},
        {"restartCount", container.restartCount},
        {"image", container.image},
        {"imageID", container.imageId},
        {"started", container.started},
    };
    if (container.lastTermination) {
        const auto& last = *container.lastTermination;
        status["lastState"] =
            stateJson(ContainerPhase::Terminated, last.reason, last.message, last.startedAt,
                      last.finishedAt, last.exitCode, last.containerId);
    }
    if (!container.containerId.empty()) {
        status["containerID"] = container.containerId;
    }
    return status;
}

bool isTerminalPhase(const std::string& phase) {
    return phase == "Succeeded" || phase == "Failed";
}

std::string podPhase(const json& pod, const PodRuntimeStatus& runtime) {
    const std::string restartPolicy = stringAt(pod, "/spec/restartPolicy"_json_pointer);
    const json initSpecs = arrayAt(pod, "/spec/initContainers"_json_pointer);
    const json specs = arrayAt(pod, "/spec/containers"_json_pointer);

    // Init containers: pending until every regular one has succeeded (a failed one under
    // restartPolicy Never fails the pod).
    bool pendingInitialization = false;
    bool anyRegularStarted = false;
    for (const auto& status : runtime.containers) {
        if (status.phase != ContainerPhase::Waiting || status.lastTermination) {
            anyRegularStarted = true;
        }
    }
    for (const auto& spec : initSpecs) {
        const auto* status = findStatus(runtime.initContainers, spec.value("name", ""));
        if (status == nullptr) {
            pendingInitialization = true;
            continue;
        }
        if (isRestartableInit(spec)) {
            if (!status->started) {
                pendingInitialization = true;
            }
            continue;
        }
        if (status->phase == ContainerPhase::Terminated) {
            if (status->exitCode == 0) {
                continue;
            }
            if (restartPolicy == "Never") {
                return "Failed";
            }
            pendingInitialization = true;
            continue;
        }
        pendingInitialization = true;
    }
    if (pendingInitialization && !anyRegularStarted) {
        return "Pending";
    }

    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (const auto& spec : specs) {
        const auto* status = findStatus(runtime.containers, spec.value("name", ""));
        if (status == nullptr) {
            ++waiting;
            continue;
        }
        switch (status->phase) {
            case ContainerPhase::Running:
                ++running;
                break;
            case ContainerPhase::Terminated:
                ++stopped;
                if (status->exitCode == 0) {
                    ++succeeded;
                }
                break;
            case ContainerPhase::Waiting:
                if (status->lastTermination) {
                    ++stopped;
                } else {
                    ++waiting;
                }
                break;
        }
    }
    if (waiting > 0) {
        return "Pending";
    }
    if (running > 0) {
        return "Running";
    }
    if (stopped > 0) {
        if (restartPolicy == "Always") {
            return "Running";  // restarting
        }
        if (stopped == succeeded) {
            return "Succeeded";
        }
        if (restartPolicy == "Never") {
            return "Failed";
        }
        return "Running";  // OnFailure: restarting the failed ones
    }
    return "Pending";
}

json generatePodStatus(const json& pod, const PodRuntimeStatus& runtime, TimePoint now) {
    const json current = pod.value("status", json::object());
    const std::string phase = podPhase(pod, runtime);

    // Conditions owned by others (PodScheduled from the scheduler, DisruptionTarget, readiness
    // gates' conditions) are kept as they are.
    static const char* const kKubeletOwned[] = {"PodReadyToStartContainers", "Initialized", "Ready",
                                                "ContainersReady"};
    json others = json::array();
    std::map<std::string, json> before;
    for (const auto& existing : arrayAt(current, "/conditions"_json_pointer)) {
        const std::string type = existing.value("type", "");
        before[type] = existing;
        if (std::find(std::begin(kKubeletOwned), std::end(kKubeletOwned), type) ==
            std::end(kKubeletOwned)) {
            others.push_back(existing);
        }
    }

    const json containersReady = containersReadyCondition(pod, runtime, phase);
    json ready = readyCondition(pod, containersReady, others);
    if (isTerminalPhase(phase)) {
        ready = condition("Ready", false, phase == "Succeeded" ? "PodCompleted" : "PodFailed");
    }
    json conditions =
        json::array({condition("PodReadyToStartContainers", runtime.sandboxReady),
                     initializedCondition(pod, runtime, phase), ready, containersReady});
    const bool hasScheduled = std::any_of(others.begin(), others.end(), [](const json& c) {
        return c.value("type", "") == "PodScheduled";
    });
    if (!hasScheduled) {
        conditions.push_back(condition("PodScheduled", true));
    }
    const std::string timestamp = core::formatTimestamp(now);
    for (auto& generated : conditions) {
        generated["lastProbeTime"] = nullptr;
        const auto it = before.find(generated.value("type", ""));
        generated["lastTransitionTime"] =
            it != before.end() && it->second.value("status", "") == generated.value("status", "")
                ? it->second.value("lastTransitionTime", json(timestamp))
                : json(timestamp);
    }
    // Kubelet's order: its own conditions, then the others as they were.
    for (const auto& other : others) {
        conditions.push_back(other);
    }

    json status = {{"phase", phase}, {"conditions", conditions}};
    if (current.contains("qosClass")) {
        status["qosClass"] = current["qosClass"];
    }
    if (!runtime.hostIp.empty()) {
        status["hostIP"] = runtime.hostIp;
        status["hostIPs"] = json::array({{{"ip", runtime.hostIp}}});
    }
    if (!runtime.podIp.empty()) {
        status["podIP"] = runtime.podIp;
        status["podIPs"] = json::array({{{"ip", runtime.podIp}}});
    }
    if (current.contains("startTime")) {
        status["startTime"] = current["startTime"];
    } else if (runtime.startTime) {
        status["startTime"] = core::formatTimestamp(*runtime.startTime);
    }
    // Statuses in spec order, as kubelet sorts them.
    const auto inOrder = [](const json& specs, const std::vector<ContainerRuntimeStatus>& all) {
        json out = json::array();
        for (const auto& spec : specs) {
            if (const auto* found = findStatus(all, spec.value("name", ""))) {
                out.push_back(containerStatusJson(*found));
            }
        }
        return out;
    };
    const json initSpecs = arrayAt(pod, "/spec/initContainers"_json_pointer);
    if (!initSpecs.empty()) {
        status["initContainerStatuses"] = inOrder(initSpecs, runtime.initContainers);
    }
    status["containerStatuses"] =
        inOrder(arrayAt(pod, "/spec/containers"_json_pointer), runtime.containers);
    // Fields of the pod's status the kubelet does not own (nominatedNodeName, reason, message,
    // resize, ephemeralContainerStatuses) are kept.
    for (const auto& [key, value] : current.items()) {
        if (!status.contains(key) && key != "podIP" && key != "podIPs" && key != "hostIP" &&
            key != "hostIPs" && key != "initContainerStatuses") {
            status[key] = value;
        }
    }
    return status;
}

std::string goDuration(std::chrono::nanoseconds duration) {
    using namespace std::chrono;
    const long long ns = duration.count();
    if (ns == 0) {
        return "0s";
    }
    char buffer[64];
    if (ns < 1'000) {
        std::snprintf(buffer, sizeof(buffer), "%lldns", ns);
        return buffer;
    }
    const auto trimmed = [](double value, const char* unit) {
        char text[64];
        std::snprintf(text, sizeof(text), "%.9f", value);
        std::string s = text;
        while (!s.empty() && s.back() == '0') {
            s.pop_back();
        }
        if (!s.empty() && s.back() == '.') {
            s.pop_back();
        }
        return s + unit;
    };
    if (ns < 1'000'000) {
        return trimmed(static_cast<double>(ns) / 1e3, "µs");
    }
    if (ns < 1'000'000'000) {
        return trimmed(static_cast<double>(ns) / 1e6, "ms");
    }
    const long long hours = ns / 3'600'000'000'000LL;
    const long long minutes = (ns / 60'000'000'000LL) % 60;
    const double seconds = static_cast<double>(ns % 60'000'000'000LL) / 1e9;
    std::string out;
    if (hours > 0) {
        out += std::to_string(hours) + "h";
    }
    if (hours > 0 || minutes > 0) {
        out += std::to_string(minutes) + "m";
    }
    return out + trimmed(seconds, "s");
}

}  // namespace slipway::agent
