// SPDX-License-Identifier: Apache-2.0
#include "engine/api/printers.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "engine/api/json_fields.h"
#include "engine/core/duration.h"
#include "engine/core/label_selector.h"
#include "engine/core/quantity.h"

namespace slipway::api {

using nlohmann::json;
using Clock = std::chrono::system_clock;
using detail::arrayAt;
using detail::at;
using detail::boolAt;
using detail::intAt;
using detail::member;
using detail::objectAt;
using detail::stringAt;

namespace {

constexpr const char* kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
constexpr const char* kAgeDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";
constexpr const char* kContainersDescription = "Names of each container in the template.";
constexpr const char* kImagesDescription = "Images referenced by each container in the template.";

TableColumn column(std::string name, std::string type, std::string description, int priority = 0) {
    return TableColumn{std::move(name), std::move(type), {}, std::move(description), priority};
}

TableColumn nameColumn() {
    return TableColumn{"Name", "string", "name", kNameDescription, 0};
}

TableColumn ageColumn() {
    return column("Age", "string", kAgeDescription);
}

std::string nameOf(const json& object) {
    return stringAt(object, {"metadata", "name"});
}

std::string age(const json& object, Clock::time_point now) {
    return detail::ageAt(object, {"metadata", "creationTimestamp"}, now);
}

std::string since(std::optional<Clock::time_point> time, Clock::time_point now) {
    if (!time) {
        return "<unknown>";
    }
    return core::humanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *time));
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

std::string quantityString(const json* value) {
    if (value == nullptr) {
        return "0";
    }
    auto quantity = core::Quantity::fromJson(*value);
    return quantity ? quantity->toString() : detail::asString(*value);
}

// layoutContainerCells: container names and images, comma-separated.
std::pair<std::string, std::string> containerCells(const json& podSpec) {
    std::vector<std::string> names;
    std::vector<std::string> images;
    for (const auto& container : arrayAt(podSpec, {"containers"})) {
        names.push_back(stringAt(container, {"name"}));
        images.push_back(stringAt(container, {"image"}));
    }
    return {join(names, ","), join(images, ",")};
}

std::string selectorString(const json* selector) {
    // Deployments print their selector with LabelSelectorAsSelector: "" when absent.
    auto parsed = core::LabelSelector::fromJson(selector != nullptr ? *selector : json());
    return parsed ? parsed->toString() : "<invalid>";
}

std::string boolPointer(const json* value) {
    if (value == nullptr || !value->is_boolean()) {
        return "<unset>";
    }
    return value->get<bool>() ? "True" : "False";
}

// --- Pods ------------------------------------------------------------------------------

void latest(std::optional<Clock::time_point>& current, const json& containerStatus) {
    const auto finished = detail::parseTimestamp(
        stringAt(containerStatus, {"lastState", "terminated", "finishedAt"}));
    if (finished && (!current || *current < *finished)) {
        current = finished;
    }
}

bool conditionTrue(const json& status, std::string_view type) {
    for (const auto& condition : arrayAt(status, {"conditions"})) {
        if (stringAt(condition, {"type"}) == type) {
            return stringAt(condition, {"status"}) == "True";
        }
    }
    return false;
}

struct PodSummary {
    std::string reason;
    int ready = 0;
    int total = 0;
    int restarts = 0;
    std::optional<Clock::time_point> lastRestart;
};

PodSummary summarisePod(const json& pod) {
    PodSummary summary;
    const json& spec = objectAt(pod, {"spec"});
    const json& status = objectAt(pod, {"status"});
    summary.total = static_cast<int>(arrayAt(spec, {"containers"}).size());
    const std::string phase = stringAt(status, {"phase"});
    summary.reason = phase;
    if (const std::string reason = stringAt(status, {"reason"}); !reason.empty()) {
        summary.reason = reason;
    }
    for (const auto& condition : arrayAt(status, {"conditions"})) {
        if (stringAt(condition, {"type"}) == "PodScheduled" &&
            stringAt(condition, {"reason"}) == "SchedulingGated") {
            summary.reason = "SchedulingGated";
        }
    }

    // Sidecars are init containers with restartPolicy Always: they count as containers.
    std::set<std::string> restartable;
    const json& initContainers = arrayAt(spec, {"initContainers"});
    for (const auto& container : initContainers) {
        if (stringAt(container, {"restartPolicy"}) == "Always") {
            restartable.insert(stringAt(container, {"name"}));
            ++summary.total;
        }
    }

    int restartableRestarts = 0;
    std::optional<Clock::time_point> lastRestartableRestart;
    bool initializing = false;
    const json& initStatuses = arrayAt(status, {"initContainerStatuses"});
    for (std::size_t i = 0; i < initStatuses.size(); ++i) {
        const json& container = initStatuses[i];
        const auto count = static_cast<int>(intAt(container, {"restartCount"}));
        summary.restarts += count;
        latest(summary.lastRestart, container);
        const bool isRestartable = restartable.contains(stringAt(container, {"name"}));
        if (isRestartable) {
            restartableRestarts += count;
            latest(lastRestartableRestart, container);
        }
        const json* terminated = at(container, {"state", "terminated"});
        const bool hasTerminated = terminated != nullptr && terminated->is_object();
        const json* waiting = at(container, {"state", "waiting"});
        const std::string waitingReason =
            waiting != nullptr ? stringAt(*waiting, {"reason"}) : std::string();
        if (hasTerminated && intAt(*terminated, {"exitCode"}) == 0) {
            continue;
        }
        if (isRestartable && boolAt(container, {"started"})) {
            if (boolAt(container, {"ready"})) {
                ++summary.ready;
            }
            continue;
        }
        if (hasTerminated) {
            const std::string reason = stringAt(*terminated, {"reason"});
            if (reason.empty()) {
                const auto signal = intAt(*terminated, {"signal"});
                summary.reason = signal != 0 ? "Init:Signal:" + std::to_string(signal)
                                             : "Init:ExitCode:" +
                                                   std::to_string(intAt(*terminated, {"exitCode"}));
            } else {
                summary.reason = "Init:" + reason;
            }
        } else if (!waitingReason.empty() && waitingReason != "PodInitializing") {
            summary.reason = "Init:" + waitingReason;
        } else {
            summary.reason =
                "Init:" + std::to_string(i) + "/" + std::to_string(initContainers.size());
        }
        initializing = true;
        break;
    }

    if (!initializing || conditionTrue(status, "Initialized")) {
        summary.restarts = restartableRestarts;
        summary.lastRestart = lastRestartableRestart;
        bool hasRunning = false;
        const json& statuses = arrayAt(status, {"containerStatuses"});
        // Backwards, so that the first container's state wins, as kubectl's printer does.
        for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
            const json& container = *it;
            summary.restarts += static_cast<int>(intAt(container, {"restartCount"}));
            latest(summary.lastRestart, container);
            const json* terminated = at(container, {"state", "terminated"});
            const bool hasTerminated = terminated != nullptr && terminated->is_object();
            const std::string waitingReason = stringAt(container, {"state", "waiting", "reason"});
            if (!waitingReason.empty()) {
                summary.reason = waitingReason;
            } else if (hasTerminated && !stringAt(*terminated, {"reason"}).empty()) {
                summary.reason = stringAt(*terminated, {"reason"});
            } else if (hasTerminated) {
                const auto signal = intAt(*terminated, {"signal"});
                summary.reason =
                    signal != 0 ? "Signal:" + std::to_string(signal)
                                : "ExitCode:" + std::to_string(intAt(*terminated, {"exitCode"}));
            } else if (boolAt(container, {"ready"}) &&
                       detail::has(container, {"state", "running"})) {
                hasRunning = true;
                ++summary.ready;
            }
        }
        // A pod whose last container completed but another still runs is Running.
        if (summary.reason == "Completed" && hasRunning) {
            summary.reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
        }
    }

    if (detail::has(pod, {"metadata", "deletionTimestamp"})) {
        if (stringAt(status, {"reason"}) == "NodeLost") {
            summary.reason = "Unknown";
        } else if (phase != "Succeeded" && phase != "Failed") {
            summary.reason = "Terminating";
        }
    }
    return summary;
}

json podCells(const json& pod, Clock::time_point now) {
    const PodSummary summary = summarisePod(pod);
    std::string restarts = std::to_string(summary.restarts);
    if (summary.restarts != 0 && summary.lastRestart) {
        restarts += " (" + since(summary.lastRestart, now) + " ago)";
    }
    const json& spec = objectAt(pod, {"spec"});
    const json& status = objectAt(pod, {"status"});
    // v1 pods carry podIPs; a pod written with podIP only is converted as if podIPs held it.
    const json& podIps = arrayAt(status, {"podIPs"});
    std::string ip = podIps.empty() ? stringAt(status, {"podIP"}) : stringAt(podIps[0], {"ip"});
    if (ip.empty()) {
        ip = "<none>";
    }
    std::string node = stringAt(spec, {"nodeName"});
    if (node.empty()) {
        node = "<none>";
    }
    std::string nominated = stringAt(status, {"nominatedNodeName"});
    if (nominated.empty()) {
        nominated = "<none>";
    }
    std::string gates = "<none>";
    const json& readinessGates = arrayAt(spec, {"readinessGates"});
    if (!readinessGates.empty()) {
        int satisfied = 0;
        for (const auto& gate : readinessGates) {
            for (const auto& condition : arrayAt(status, {"conditions"})) {
                if (stringAt(condition, {"type"}) == stringAt(gate, {"conditionType"})) {
                    satisfied += stringAt(condition, {"status"}) == "True" ? 1 : 0;
                    break;
                }
            }
        }
        gates = std::to_string(satisfied) + "/" + std::to_string(readinessGates.size());
    }
    return json::array({nameOf(pod),
                        std::to_string(summary.ready) + "/" + std::to_string(summary.total),
                        summary.reason, restarts, age(pod, now), ip, node, nominated, gates});
}

Printer podPrinter() {
    return {{nameColumn(),
             column("Ready", "string",
                    "The aggregate readiness state of this pod for accepting traffic."),
             column("Status", "string", "The aggregate status of the containers in this pod."),
             column("Restarts", "string",
                    "The number of times the containers in this pod have been restarted and "
                    "when the last container in this pod has restarted."),
             ageColumn(),
             column("IP", "string",
                    "podIP address allocated to the pod. Routable at least within the cluster. "
                    "Empty if not yet allocated.",
                    1),
             column("Node", "string",
                    "NodeName indicates in which node this pod is scheduled. If empty, this pod "
                    "is a candidate for scheduling by the scheduler defined in schedulerName.",
                    1),
             column("Nominated Node", "string",
                    "nominatedNodeName is set only when this pod preempts other pods on the "
                    "node, but it cannot be scheduled right away as preemption victims receive "
                    "their graceful termination periods.",
                    1),
             column("Readiness Gates", "string",
                    "If specified, all readiness gates will be evaluated for pod readiness.", 1)},
            &podCells};
}

// --- Workloads -----------------------------------------------------------------------------

Printer deploymentPrinter() {
    return {
        {nameColumn(), column("Ready", "string", "Number of the pod with ready state"),
         column("Up-to-date", "string",
                "Total number of non-terminated pods targeted by this deployment that have "
                "the desired template spec."),
         column("Available", "string",
                "Total number of available pods (ready for at least minReadySeconds) "
                "targeted by this deployment."),
         ageColumn(), column("Containers", "string", kContainersDescription, 1),
         column("Images", "string", kImagesDescription, 1),
         column("Selector", "string", "Label selector for pods.", 1)},
        [](const json& object, Clock::time_point now) {
            const auto [names, images] =
                containerCells(objectAt(object, {"spec", "template", "spec"}));
            return json::array({nameOf(object),
                                std::to_string(intAt(object, {"status", "readyReplicas"})) + "/" +
                                    std::to_string(intAt(object, {"spec", "replicas"})),
                                intAt(object, {"status", "updatedReplicas"}),
                                intAt(object, {"status", "availableReplicas"}), age(object, now),
                                names, images, selectorString(at(object, {"spec", "selector"}))});
        }};
}

Printer replicaSetPrinter() {
    return {
        {nameColumn(),
         column("Desired", "integer",
                "Replicas is the number of desired replicas. This is a pointer to "
                "distinguish between explicit zero and unspecified. Defaults to 1."),
         column("Current", "integer", "Replicas is the most recently observed number of replicas."),
         column("Ready", "integer", "The number of ready replicas for this replica set."),
         ageColumn(), column("Containers", "string", kContainersDescription, 1),
         column("Images", "string", kImagesDescription, 1),
         column("Selector", "string",
                "Selector is a label query over pods that should match the replica count.", 1)},
        [](const json& object, Clock::time_point now) {
            const auto [names, images] =
                containerCells(objectAt(object, {"spec", "template", "spec"}));
            return json::array({nameOf(object), intAt(object, {"spec", "replicas"}),
                                intAt(object, {"status", "replicas"}),
                                intAt(object, {"status", "readyReplicas"}), age(object, now), names,
                                images, formatLabelSelector(at(object, {"spec", "selector"}))});
        }};
}

Printer replicationControllerPrinter() {
    Printer printer = replicaSetPrinter();
    printer.cells = [](const json& object, Clock::time_point now) {
        const auto [names, images] = containerCells(objectAt(object, {"spec", "template", "spec"}));
        return json::array({nameOf(object), intAt(object, {"spec", "replicas"}),
                            intAt(object, {"status", "replicas"}),
                            intAt(object, {"status", "readyReplicas"}), age(object, now), names,
                            images, formatLabels(objectAt(object, {"spec", "selector"}))});
    };
    return printer;
}

Printer statefulSetPrinter() {
    return {{nameColumn(), column("Ready", "string", "Number of the pod with ready state"),
             ageColumn(), column("Containers", "string", kContainersDescription, 1),
             column("Images", "string", kImagesDescription, 1)},
            [](const json& object, Clock::time_point now) {
                const auto [names, images] =
                    containerCells(objectAt(object, {"spec", "template", "spec"}));
                return json::array({nameOf(object),
                                    std::to_string(intAt(object, {"status", "readyReplicas"})) +
                                        "/" + std::to_string(intAt(object, {"spec", "replicas"})),
                                    age(object, now), names, images});
            }};
}

Printer daemonSetPrinter() {
    return {{nameColumn(),
             column("Desired", "integer",
                    "The total number of nodes that should be running the daemon pod."),
             column("Current", "integer",
                    "The number of nodes that are running at least 1 daemon pod and are "
                    "supposed to run the daemon pod."),
             column("Ready", "integer",
                    "The number of nodes that should be running the daemon pod and have one or "
                    "more of the daemon pod running and ready."),
             column("Up-to-date", "integer",
                    "The total number of nodes that are running updated daemon pod"),
             column("Available", "integer",
                    "The number of nodes that should be running the daemon pod and have one or "
                    "more of the daemon pod running and available."),
             column("Node Selector", "string",
                    "NodeSelector is a selector which must be true for the pod to fit on a "
                    "node."),
             ageColumn(), column("Containers", "string", kContainersDescription, 1),
             column("Images", "string", kImagesDescription, 1),
             column("Selector", "string",
                    "A label query over pods that are managed by the "
                    "daemon set.",
                    1)},
            [](const json& object, Clock::time_point now) {
                const auto [names, images] =
                    containerCells(objectAt(object, {"spec", "template", "spec"}));
                return json::array(
                    {nameOf(object), intAt(object, {"status", "desiredNumberScheduled"}),
                     intAt(object, {"status", "currentNumberScheduled"}),
                     intAt(object, {"status", "numberReady"}),
                     intAt(object, {"status", "updatedNumberScheduled"}),
                     intAt(object, {"status", "numberAvailable"}),
                     formatLabels(objectAt(object, {"spec", "template", "spec", "nodeSelector"})),
                     age(object, now), names, images,
                     formatLabelSelector(at(object, {"spec", "selector"}))});
            }};
}

bool jobCondition(const json& object, std::string_view type) {
    for (const auto& condition : arrayAt(object, {"status", "conditions"})) {
        if (stringAt(condition, {"type"}) == type) {
            return stringAt(condition, {"status"}) == "True";
        }
    }
    return false;
}

Printer jobPrinter() {
    return {
        {nameColumn(), column("Status", "string", "Status of the job."),
         column("Completions", "string", "The number of pods which reached phase Succeeded."),
         column("Duration", "string", "Time required to complete the job."), ageColumn(),
         column("Containers", "string", kContainersDescription, 1),
         column("Images", "string", kImagesDescription, 1),
         column("Selector", "string",
                "A label query over pods that should match the pod "
                "count.",
                1)},
        [](const json& object, Clock::time_point now) {
            const auto succeeded = intAt(object, {"status", "succeeded"});
            std::string completions;
            if (const auto wanted = detail::optionalIntAt(object, {"spec", "completions"})) {
                completions = std::to_string(succeeded) + "/" + std::to_string(*wanted);
            } else {
                const auto parallelism = intAt(object, {"spec", "parallelism"});
                completions = std::to_string(succeeded) + "/1";
                if (parallelism > 1) {
                    completions += " of " + std::to_string(parallelism);
                }
            }
            std::string duration;
            const auto start = detail::parseTimestamp(stringAt(object, {"status", "startTime"}));
            if (start) {
                const auto end =
                    detail::parseTimestamp(stringAt(object, {"status", "completionTime"}));
                duration = core::humanDuration(
                    std::chrono::duration_cast<std::chrono::seconds>(end.value_or(now) - *start));
            }
            std::string status = "Running";
            if (jobCondition(object, "Complete")) {
                status = "Complete";
            } else if (jobCondition(object, "Failed")) {
                status = "Failed";
            } else if (detail::has(object, {"metadata", "deletionTimestamp"})) {
                status = "Terminating";
            } else if (jobCondition(object, "Suspended")) {
                status = "Suspended";
            } else if (jobCondition(object, "FailureTarget")) {
                status = "FailureTarget";
            }
            const auto [names, images] =
                containerCells(objectAt(object, {"spec", "template", "spec"}));
            return json::array({nameOf(object), status, completions, duration, age(object, now),
                                names, images,
                                formatLabelSelector(at(object, {"spec", "selector"}))});
        }};
}

Printer cronJobPrinter() {
    return {{nameColumn(), column("Schedule", "string", "The schedule in Cron format."),
             column("Timezone", "string", "The time zone name for the given schedule."),
             column("Suspend", "boolean",
                    "This flag tells the controller to suspend subsequent executions."),
             column("Active", "integer", "A list of pointers to currently running jobs."),
             column("Last Schedule", "string",
                    "Information when was the last time the job was successfully scheduled."),
             ageColumn(), column("Containers", "string", kContainersDescription, 1),
             column("Images", "string", kImagesDescription, 1),
             column("Selector", "string",
                    "A label query over pods that should match the pod "
                    "count.",
                    1)},
            [](const json& object, Clock::time_point now) {
                std::string lastSchedule = "<none>";
                if (detail::has(object, {"status", "lastScheduleTime"})) {
                    lastSchedule = detail::ageAt(object, {"status", "lastScheduleTime"}, now);
                }
                std::string timeZone = stringAt(object, {"spec", "timeZone"});
                if (!detail::has(object, {"spec", "timeZone"})) {
                    timeZone = "<none>";
                }
                const auto [names, images] = containerCells(
                    objectAt(object, {"spec", "jobTemplate", "spec", "template", "spec"}));
                return json::array(
                    {nameOf(object), stringAt(object, {"spec", "schedule"}), timeZone,
                     boolPointer(at(object, {"spec", "suspend"})),
                     static_cast<std::int64_t>(arrayAt(object, {"status", "active"}).size()),
                     lastSchedule, age(object, now), names, images,
                     formatLabelSelector(at(object, {"spec", "jobTemplate", "spec", "selector"}))});
            }};
}

Printer controllerRevisionPrinter() {
    return {{nameColumn(), column("Controller", "string", "Controller of the object"),
             column("Revision", "string",
                    "Revision indicates the revision of the state "
                    "represented by Data."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                std::string controller = "<none>";
                for (const auto& owner : arrayAt(object, {"metadata", "ownerReferences"})) {
                    if (!boolAt(owner, {"controller"})) {
                        continue;
                    }
                    const std::string apiVersion = stringAt(owner, {"apiVersion"});
                    const auto slash = apiVersion.find('/');
                    const std::string group =
                        slash == std::string::npos ? std::string() : apiVersion.substr(0, slash);
                    std::string kind = stringAt(owner, {"kind"});
                    if (!group.empty()) {
                        kind += "." + group;
                    }
                    std::transform(kind.begin(), kind.end(), kind.begin(), [](char c) {
                        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                    });
                    controller = kind + "/" + stringAt(owner, {"name"});
                    break;
                }
                return json::array(
                    {nameOf(object), controller, intAt(object, {"revision"}), age(object, now)});
            }};
}

// --- Services and networking -----------------------------------------------------------

std::string loadBalancerAddresses(const json& loadBalancer) {
    std::set<std::string> addresses;
    for (const auto& ingress : arrayAt(loadBalancer, {"ingress"})) {
        if (const std::string ip = stringAt(ingress, {"ip"}); !ip.empty()) {
            addresses.insert(ip);
        } else if (const std::string host = stringAt(ingress, {"hostname"}); !host.empty()) {
            addresses.insert(host);
        }
    }
    // kube-apiserver prints for -o wide, so the list is never shortened to 16 characters.
    return join(std::vector<std::string>(addresses.begin(), addresses.end()), ",");
}

std::string serviceExternalIp(const json& service) {
    const std::string type = stringAt(service, {"spec", "type"});
    std::vector<std::string> external;
    for (const auto& ip : arrayAt(service, {"spec", "externalIPs"})) {
        external.push_back(detail::asString(ip));
    }
    if (type == "ClusterIP" || type == "NodePort") {
        return external.empty() ? "<none>" : join(external, ",");
    }
    if (type == "LoadBalancer") {
        const std::string lb = loadBalancerAddresses(objectAt(service, {"status", "loadBalancer"}));
        if (!external.empty()) {
            std::vector<std::string> all;
            if (!lb.empty()) {
                all.push_back(lb);
            }
            all.insert(all.end(), external.begin(), external.end());
            return join(all, ",");
        }
        return lb.empty() ? "<pending>" : lb;
    }
    if (type == "ExternalName") {
        return stringAt(service, {"spec", "externalName"});
    }
    return "<unknown>";
}

std::string servicePorts(const json& service) {
    std::vector<std::string> pieces;
    for (const auto& port : arrayAt(service, {"spec", "ports"})) {
        std::string piece = std::to_string(intAt(port, {"port"}));
        if (const auto nodePort = intAt(port, {"nodePort"}); nodePort > 0) {
            piece += ":" + std::to_string(nodePort);
        }
        pieces.push_back(piece + "/" + stringAt(port, {"protocol"}));
    }
    const std::string ports = join(pieces, ",");
    return ports.empty() ? "<none>" : ports;
}

Printer servicePrinter() {
    return {
        {nameColumn(),
         column("Type", "string",
                "type determines how the Service is exposed. Defaults to ClusterIP."),
         column("Cluster-IP", "string",
                "clusterIP is the IP address of the service and is usually assigned "
                "randomly."),
         column("External-IP", "string",
                "externalIPs is a list of IP addresses for which nodes in the cluster will "
                "also accept traffic for this service."),
         column("Port(s)", "string", "The list of ports that are exposed by this service."),
         ageColumn(),
         column("Selector", "string",
                "Route service traffic to pods with label keys and values matching this "
                "selector.",
                1)},
        [](const json& object, Clock::time_point now) {
            std::string clusterIp = "<none>";
            if (const json& ips = arrayAt(object, {"spec", "clusterIPs"}); !ips.empty()) {
                clusterIp = detail::asString(ips[0]);
            }
            return json::array({nameOf(object), stringAt(object, {"spec", "type"}), clusterIp,
                                serviceExternalIp(object), servicePorts(object), age(object, now),
                                formatLabels(objectAt(object, {"spec", "selector"}))});
        }};
}

std::string hostPort(const std::string& ip, std::int64_t port) {
    if (ip.find(':') != std::string::npos) {
        return "[" + ip + "]:" + std::to_string(port);
    }
    return ip + ":" + std::to_string(port);
}

std::string formatEndpoints(const json& endpoints) {
    const json& subsets = arrayAt(endpoints, {"subsets"});
    if (subsets.empty()) {
        return "<none>";
    }
    constexpr std::size_t kMax = 3;
    std::vector<std::string> list;
    bool more = false;
    std::size_t count = 0;
    for (const auto& subset : subsets) {
        const json& addresses = arrayAt(subset, {"addresses"});
        const json& ports = arrayAt(subset, {"ports"});
        if (ports.empty()) {
            count += addresses.size();
            for (const auto& address : addresses) {
                if (list.size() == kMax) {
                    more = true;
                    break;
                }
                list.push_back(stringAt(address, {"ip"}));
            }
            continue;
        }
        for (const auto& port : ports) {
            count += addresses.size();
            for (const auto& address : addresses) {
                if (list.size() == kMax) {
                    more = true;
                    break;
                }
                list.push_back(hostPort(stringAt(address, {"ip"}), intAt(port, {"port"})));
            }
        }
    }
    std::string result = join(list, ",");
    if (more) {
        result += " + " + std::to_string(count - kMax) + " more...";
    }
    return result;
}

std::string listWithMore(const std::vector<std::string>& list, bool more, std::size_t count,
                         std::size_t max) {
    std::string result = join(list, ",");
    if (more) {
        return result + " + " + std::to_string(count - max) + " more...";
    }
    return result.empty() ? "<unset>" : result;
}

Printer endpointsPrinter() {
    return {{nameColumn(),
             column("Endpoints", "string", "The set of all endpoints is the union of all subsets."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                return json::array({nameOf(object), formatEndpoints(object), age(object, now)});
            }};
}

Printer endpointSlicePrinter() {
    return {{nameColumn(),
             column("AddressType", "string",
                    "addressType specifies the type of address carried by this EndpointSlice."),
             column("Ports", "string",
                    "ports specifies the list of network ports exposed by "
                    "each endpoint in this slice."),
             column("Endpoints", "string",
                    "endpoints is a list of unique endpoints in this "
                    "slice."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                constexpr std::size_t kMax = 3;
                std::vector<std::string> ports;
                bool morePorts = false;
                std::size_t portCount = 0;
                for (const auto& port : arrayAt(object, {"ports"})) {
                    if (ports.size() < kMax) {
                        std::string value = "*";
                        if (const auto number = detail::optionalIntAt(port, {"port"})) {
                            value = std::to_string(*number);
                        } else if (detail::has(port, {"name"})) {
                            value = stringAt(port, {"name"});
                        }
                        ports.push_back(value);
                    } else if (ports.size() == kMax) {
                        morePorts = true;
                    }
                    ++portCount;
                }
                std::vector<std::string> addresses;
                bool moreAddresses = false;
                std::size_t addressCount = 0;
                for (const auto& endpoint : arrayAt(object, {"endpoints"})) {
                    for (const auto& address : arrayAt(endpoint, {"addresses"})) {
                        if (addresses.size() < kMax) {
                            addresses.push_back(detail::asString(address));
                        } else if (addresses.size() == kMax) {
                            moreAddresses = true;
                        }
                        ++addressCount;
                    }
                }
                return json::array({nameOf(object), stringAt(object, {"addressType"}),
                                    listWithMore(ports, morePorts, portCount, kMax),
                                    listWithMore(addresses, moreAddresses, addressCount, kMax),
                                    age(object, now)});
            }};
}

Printer ingressPrinter() {
    return {
        {nameColumn(),
         column("Class", "string",
                "The name of the IngressClass resource that should be used for additional "
                "configuration"),
         column("Hosts", "string",
                "Hosts that incoming requests are matched against before the ingress rule"),
         column("Address", "string",
                "Address is a list containing ingress points for the load-balancer"),
         column("Ports", "string", "Ports of TLS configurations that open"), ageColumn()},
        [](const json& object, Clock::time_point now) {
            std::string className = "<none>";
            if (detail::has(object, {"spec", "ingressClassName"})) {
                className = stringAt(object, {"spec", "ingressClassName"});
            }
            constexpr std::size_t kMax = 3;
            const json& rules = arrayAt(object, {"spec", "rules"});
            std::vector<std::string> hosts;
            bool more = false;
            for (const auto& rule : rules) {
                if (hosts.size() == kMax) {
                    more = true;
                }
                if (!more && !stringAt(rule, {"host"}).empty()) {
                    hosts.push_back(stringAt(rule, {"host"}));
                }
            }
            std::string hostText = hosts.empty() ? "*" : join(hosts, ",");
            if (!hosts.empty() && more) {
                hostText += " + " + std::to_string(rules.size() - kMax) + " more...";
            }
            const std::string ports = arrayAt(object, {"spec", "tls"}).empty() ? "80" : "80, 443";
            return json::array({nameOf(object), className, hostText,
                                loadBalancerAddresses(objectAt(object, {"status", "loadBalancer"})),
                                ports, age(object, now)});
        }};
}

Printer ingressClassPrinter() {
    return {
        {nameColumn(),
         column("Controller", "string", "Controller that is responsible for handling this class"),
         column("Parameters", "string", "A reference to a resource with additional parameters"),
         ageColumn()},
        [](const json& object, Clock::time_point now) {
            std::string parameters = "<none>";
            if (const json* reference = at(object, {"spec", "parameters"});
                reference != nullptr && reference->is_object()) {
                parameters = stringAt(*reference, {"kind"});
                if (detail::has(*reference, {"apiGroup"})) {
                    parameters += "." + stringAt(*reference, {"apiGroup"});
                }
                parameters += "/" + stringAt(*reference, {"name"});
            }
            return json::array({nameOf(object), stringAt(object, {"spec", "controller"}),
                                parameters, age(object, now)});
        }};
}

Printer networkPolicyPrinter() {
    return {{nameColumn(),
             column("Pod-Selector", "string",
                    "Selects the pods to which this NetworkPolicy object applies."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                const json* selector = at(object, {"spec", "podSelector"});
                // The pod selector is a struct: absent means empty, which selects every pod.
                const json empty = json::object();
                return json::array({nameOf(object),
                                    formatLabelSelector(selector != nullptr ? selector : &empty),
                                    age(object, now)});
            }};
}

// --- Configuration and core objects ------------------------------------------------------

Printer configMapPrinter() {
    return {
        {nameColumn(), column("Data", "string", "Data contains the configuration data."),
         ageColumn()},
        [](const json& object, Clock::time_point now) {
            return json::array({nameOf(object),
                                static_cast<std::int64_t>(objectAt(object, {"data"}).size() +
                                                          objectAt(object, {"binaryData"}).size()),
                                age(object, now)});
        }};
}

Printer secretPrinter() {
    return {{nameColumn(),
             column("Type", "string",
                    "Used to facilitate programmatic handling of "
                    "secret data."),
             column("Data", "string", "Data contains the secret data."), ageColumn()},
            [](const json& object, Clock::time_point now) {
                return json::array({nameOf(object), stringAt(object, {"type"}),
                                    static_cast<std::int64_t>(objectAt(object, {"data"}).size()),
                                    age(object, now)});
            }};
}

Printer namespacePrinter() {
    return {{nameColumn(), column("Status", "string", "The status of the namespace"), ageColumn()},
            [](const json& object, Clock::time_point now) {
                return json::array(
                    {nameOf(object), stringAt(object, {"status", "phase"}), age(object, now)});
            }};
}

Printer serviceAccountPrinter() {
    return {{nameColumn(),
             column("Secrets", "string",
                    "Secrets is a list of the secrets in the same namespace that pods running "
                    "using this ServiceAccount are allowed to use."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                return json::array({nameOf(object),
                                    static_cast<std::int64_t>(arrayAt(object, {"secrets"}).size()),
                                    age(object, now)});
            }};
}

std::string nodeAddress(const json& node, std::string_view type) {
    for (const auto& address : arrayAt(node, {"status", "addresses"})) {
        if (stringAt(address, {"type"}) == type) {
            return stringAt(address, {"address"});
        }
    }
    return "<none>";
}

Printer nodePrinter() {
    return {
        {nameColumn(), column("Status", "string", "The status of the node"),
         column("Roles", "string", "The roles of the node"), ageColumn(),
         column("Version", "string", "Kubelet Version reported by the node."),
         column("Internal-IP", "string", "List of addresses reachable to the node.", 1),
         column("External-IP", "string", "List of addresses reachable to the node.", 1),
         column("OS-Image", "string", "OS Image reported by the node from /etc/os-release.", 1),
         column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r'.",
                1),
         column("Container-Runtime", "string",
                "ContainerRuntime Version reported by the node through runtime remote API.", 1)},
        [](const json& object, Clock::time_point now) {
            std::vector<std::string> status;
            for (const auto& condition : arrayAt(object, {"status", "conditions"})) {
                if (stringAt(condition, {"type"}) == "Ready") {
                    status.push_back(stringAt(condition, {"status"}) == "True" ? "Ready"
                                                                               : "NotReady");
                }
            }
            if (status.empty()) {
                status.emplace_back("Unknown");
            }
            if (boolAt(object, {"spec", "unschedulable"})) {
                status.emplace_back("SchedulingDisabled");
            }
            std::set<std::string> roles;
            for (const auto& [key, value] : objectAt(object, {"metadata", "labels"}).items()) {
                constexpr std::string_view kPrefix = "node-role.kubernetes.io/";
                if (key.rfind(kPrefix, 0) == 0 && key.size() > kPrefix.size()) {
                    roles.insert(key.substr(kPrefix.size()));
                } else if (key == "kubernetes.io/role" && !detail::asString(value).empty()) {
                    roles.insert(detail::asString(value));
                }
            }
            std::string roleText = join(std::vector<std::string>(roles.begin(), roles.end()), ",");
            if (roleText.empty()) {
                roleText = "<none>";
            }
            const json& info = objectAt(object, {"status", "nodeInfo"});
            const auto orUnknown = [&](std::string_view key) {
                const std::string value = stringAt(info, {key});
                return value.empty() ? std::string("<unknown>") : value;
            };
            return json::array({nameOf(object), join(status, ","), roleText, age(object, now),
                                stringAt(info, {"kubeletVersion"}),
                                nodeAddress(object, "InternalIP"),
                                nodeAddress(object, "ExternalIP"), orUnknown("osImage"),
                                orUnknown("kernelVersion"), orUnknown("containerRuntimeVersion")});
        }};
}

// helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order.
std::string accessModes(const json& modes) {
    std::vector<std::string> out;
    const auto hasMode = [&](std::string_view mode) {
        return std::any_of(modes.begin(), modes.end(),
                           [&](const json& value) { return detail::asString(value) == mode; });
    };
    for (const auto& [mode, abbreviation] :
         {std::pair<std::string_view, const char*>{"ReadWriteOnce", "RWO"},
          {"ReadOnlyMany", "ROX"},
          {"ReadWriteMany", "RWX"},
          {"ReadWriteOncePod", "RWOP"}}) {
        if (hasMode(mode)) {
            out.emplace_back(abbreviation);
        }
    }
    return join(out, ",");
}

std::string storageClassOf(const json& object) {
    const json& annotations = objectAt(object, {"metadata", "annotations"});
    if (const json* beta = member(annotations, "volume.beta.kubernetes.io/storage-class")) {
        return detail::asString(*beta);
    }
    return stringAt(object, {"spec", "storageClassName"});
}

Printer persistentVolumePrinter() {
    return {{nameColumn(),
             column("Capacity", "string",
                    "capacity is the description of the persistent volume's resources and "
                    "capacity."),
             column("Access Modes", "string",
                    "accessModes contains all ways the volume can be "
                    "mounted."),
             column("Reclaim Policy", "string",
                    "persistentVolumeReclaimPolicy defines what happens to a persistent volume "
                    "when released from its claim."),
             column("Status", "string",
                    "phase indicates if a volume is available, bound to a "
                    "claim, or released by a claim."),
             column("Claim", "string",
                    "claimRef is part of a bi-directional binding between "
                    "PersistentVolume and PersistentVolumeClaim."),
             column("StorageClass", "string", "StorageClass of the pv"),
             column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
             column("Reason", "string",
                    "reason is a brief CamelCase string that describes any "
                    "failure and is meant for machine parsing and tidy "
                    "display in the CLI."),
             ageColumn(),
             column("VolumeMode", "string",
                    "volumeMode defines if a volume is intended to be "
                    "used with a formatted filesystem or to remain in raw "
                    "block state.",
                    1)},
            [](const json& object, Clock::time_point now) {
                std::string claim;
                if (const json* ref = at(object, {"spec", "claimRef"});
                    ref != nullptr && ref->is_object()) {
                    claim = stringAt(*ref, {"namespace"}) + "/" + stringAt(*ref, {"name"});
                }
                std::string phase = stringAt(object, {"status", "phase"});
                if (detail::has(object, {"metadata", "deletionTimestamp"})) {
                    phase = "Terminating";
                }
                const std::string volumeMode = detail::has(object, {"spec", "volumeMode"})
                                                   ? stringAt(object, {"spec", "volumeMode"})
                                                   : std::string("<unset>");
                const std::string attributesClass =
                    detail::has(object, {"spec", "volumeAttributesClassName"})
                        ? stringAt(object, {"spec", "volumeAttributesClassName"})
                        : std::string("<unset>");
                return json::array(
                    {nameOf(object), quantityString(at(object, {"spec", "capacity", "storage"})),
                     accessModes(arrayAt(object, {"spec", "accessModes"})),
                     stringAt(object, {"spec", "persistentVolumeReclaimPolicy"}), phase, claim,
                     storageClassOf(object), attributesClass,
                     stringAt(object, {"status", "reason"}), age(object, now), volumeMode});
            }};
}

Printer persistentVolumeClaimPrinter() {
    return {
        {nameColumn(),
         column("Status", "string",
                "phase represents the current phase of "
                "PersistentVolumeClaim."),
         column("Volume", "string",
                "volumeName is the binding reference to the "
                "PersistentVolume backing this claim."),
         column("Capacity", "string",
                "capacity represents the actual resources of the "
                "underlying volume."),
         column("Access Modes", "string",
                "accessModes contains the actual access modes the "
                "volume backing the PVC has."),
         column("StorageClass", "string", "StorageClass of the pvc"),
         column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"), ageColumn(),
         column("VolumeMode", "string",
                "volumeMode defines what type of volume is required "
                "by the claim.",
                1)},
        [](const json& object, Clock::time_point now) {
            std::string phase = stringAt(object, {"status", "phase"});
            if (detail::has(object, {"metadata", "deletionTimestamp"})) {
                phase = "Terminating";
            }
            const std::string volumeName = stringAt(object, {"spec", "volumeName"});
            std::string capacity;
            std::string modes;
            if (!volumeName.empty()) {
                modes = accessModes(arrayAt(object, {"status", "accessModes"}));
                capacity = quantityString(at(object, {"status", "capacity", "storage"}));
            }
            const std::string volumeMode = detail::has(object, {"spec", "volumeMode"})
                                               ? stringAt(object, {"spec", "volumeMode"})
                                               : std::string("<unset>");
            const std::string attributesClass =
                detail::has(object, {"spec", "volumeAttributesClassName"})
                    ? stringAt(object, {"spec", "volumeAttributesClassName"})
                    : std::string("<unset>");
            return json::array({nameOf(object), phase, volumeName, capacity, modes,
                                storageClassOf(object), attributesClass, age(object, now),
                                volumeMode});
        }};
}

Printer resourceQuotaPrinter() {
    return {{nameColumn(),
             column("Request", "string",
                    "Request represents a minimum amount of cpu/memory that a container may "
                    "consume."),
             column("Limit", "string",
                    "Limits control the maximum amount of cpu/memory that a container may use "
                    "independent of contention on the node."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                std::string requests;
                std::string limits;
                const json& used = objectAt(object, {"status", "used"});
                for (const auto& [name, hard] : objectAt(object, {"status", "hard"}).items()) {
                    std::string& target = name.rfind("limits.", 0) == 0 ? limits : requests;
                    target += name + ": " + quantityString(member(used, name)) + "/" +
                              quantityString(&hard) + ", ";
                }
                for (std::string* text : {&requests, &limits}) {
                    if (text->size() >= 2) {
                        text->resize(text->size() - 2);
                    }
                }
                return json::array({nameOf(object), requests, limits, age(object, now)});
            }};
}

Printer podTemplatePrinter() {
    return {{nameColumn(), column("Containers", "string", kContainersDescription),
             column("Images", "string", kImagesDescription),
             column("Pod Labels", "string", "The labels for the pod template.")},
            [](const json& object, Clock::time_point /*now*/) {
                const auto [names, images] = containerCells(objectAt(object, {"template", "spec"}));
                return json::array(
                    {nameOf(object), names, images,
                     formatLabels(objectAt(object, {"template", "metadata", "labels"}))});
            }};
}

// Core events and events.k8s.io events share kube-apiserver's printer; the v1 field names of
// the latter differ (regarding, note, deprecated*).
Printer eventPrinter() {
    return {{column("Last Seen", "string",
                    "The time at which the most recent occurrence of this "
                    "event was recorded."),
             column("Type", "string",
                    "Type of this event (Normal, Warning), new types could be "
                    "added in the future"),
             column("Reason", "string",
                    "This should be a short, machine understandable string "
                    "that gives the reason for the transition into the "
                    "object's current status."),
             column("Object", "string", "The object that this event is about."),
             column("Subobject", "string",
                    "If referring to a piece of an object instead of an "
                    "entire object, this string should contain a valid "
                    "JSON/Go field access statement.",
                    1),
             column("Source", "string", "The component reporting this event.", 1),
             column("Message", "string",
                    "A human-readable description of the status of this "
                    "operation."),
             column("First Seen", "string", "The time at which the event was first recorded.", 1),
             column("Count", "string", "The number of times this event has occurred.", 1),
             TableColumn{"Name", "string", "name", kNameDescription, 1}},
            [](const json& object, Clock::time_point now) {
                const bool v1 = object.contains("regarding") || object.contains("note") ||
                                stringAt(object, {"apiVersion"}) == "events.k8s.io/v1";
                const json& involved = objectAt(object, {v1 ? "regarding" : "involvedObject"});
                const std::string firstKey = v1 ? "deprecatedFirstTimestamp" : "firstTimestamp";
                const std::string lastKey = v1 ? "deprecatedLastTimestamp" : "lastTimestamp";
                std::string first = detail::has(object, {firstKey})
                                        ? detail::ageAt(object, {firstKey}, now)
                                        : detail::ageAt(object, {"eventTime"}, now);
                std::string last =
                    detail::has(object, {lastKey}) ? detail::ageAt(object, {lastKey}, now) : first;
                auto count = intAt(object, {v1 ? "deprecatedCount" : "count"});
                if (const json* series = member(object, "series");
                    series != nullptr && series->is_object()) {
                    last = detail::ageAt(*series, {"lastObservedTime"}, now);
                    count = intAt(*series, {"count"});
                } else if (count == 0) {
                    count = 1;  // singleton events of the new API carry no count
                }
                std::string kind = stringAt(involved, {"kind"});
                std::transform(kind.begin(), kind.end(), kind.begin(), [](char c) {
                    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                });
                const std::string involvedName = stringAt(involved, {"name"});
                const std::string target = involvedName.empty() ? kind : kind + "/" + involvedName;
                const json& source = objectAt(object, {v1 ? "deprecatedSource" : "source"});
                std::string component = stringAt(source, {"component"});
                if (component.empty()) {
                    component = stringAt(object, {"reportingController"});
                    if (component.empty()) {
                        component = stringAt(object, {"reportingComponent"});
                    }
                }
                std::string host = stringAt(source, {"host"});
                if (host.empty()) {
                    host = stringAt(object, {"reportingInstance"});
                }
                const std::string sourceText = host.empty() ? component : component + ", " + host;
                std::string message = stringAt(object, {v1 ? "note" : "message"});
                const auto begin = message.find_first_not_of(" \t\r\n\v\f");
                const auto end = message.find_last_not_of(" \t\r\n\v\f");
                message = begin == std::string::npos ? std::string()
                                                     : message.substr(begin, end - begin + 1);
                return json::array({last, stringAt(object, {"type"}), stringAt(object, {"reason"}),
                                    target, stringAt(involved, {"fieldPath"}), sourceText, message,
                                    first, count, nameOf(object)});
            }};
}

// --- Cluster administration --------------------------------------------------------------

std::pair<std::string, std::string> subjectCells(const json& object, std::string* groups) {
    std::vector<std::string> users;
    std::vector<std::string> groupList;
    std::vector<std::string> accounts;
    for (const auto& subject : arrayAt(object, {"subjects"})) {
        const std::string kind = stringAt(subject, {"kind"});
        const std::string name = stringAt(subject, {"name"});
        if (kind == "ServiceAccount") {
            accounts.push_back(stringAt(subject, {"namespace"}) + "/" + name);
        } else if (kind == "User") {
            users.push_back(name);
        } else if (kind == "Group") {
            groupList.push_back(name);
        }
    }
    *groups = join(groupList, ", ");
    return {join(users, ", "), join(accounts, ", ")};
}

Printer bindingPrinter(std::string_view what) {
    const std::string kind(what);
    return {{nameColumn(),
             column("Role", "string",
                    "RoleRef can only reference the current namespace. It can "
                    "reference a ClusterRole in the global namespace."),
             ageColumn(), column("Users", "string", "Users in the " + kind, 1),
             column("Groups", "string", "Groups in the " + kind, 1),
             column("ServiceAccounts", "string", "ServiceAccounts in the " + kind, 1)},
            [](const json& object, Clock::time_point now) {
                std::string groups;
                const auto [users, accounts] = subjectCells(object, &groups);
                return json::array({nameOf(object),
                                    stringAt(object, {"roleRef", "kind"}) + "/" +
                                        stringAt(object, {"roleRef", "name"}),
                                    age(object, now), users, groups, accounts});
            }};
}

Printer storageClassPrinter() {
    return {
        {nameColumn(),
         column("Provisioner", "string",
                "provisioner indicates the type of the "
                "provisioner."),
         column("ReclaimPolicy", "string",
                "reclaimPolicy controls the reclaimPolicy for "
                "dynamically provisioned PersistentVolumes of this "
                "storage class. Defaults to Delete."),
         column("VolumeBindingMode", "string",
                "volumeBindingMode indicates how "
                "PersistentVolumeClaims should be provisioned "
                "and bound."),
         column("AllowVolumeExpansion", "string",
                "allowVolumeExpansion shows whether the "
                "storage class allow volume expand."),
         ageColumn()},
        [](const json& object, Clock::time_point now) {
            std::string name = nameOf(object);
            const json& annotations = objectAt(object, {"metadata", "annotations"});
            if (stringAt(annotations, {"storageclass.kubernetes.io/is-default-class"}) == "true" ||
                stringAt(annotations, {"storageclass.beta.kubernetes.io/is-default-class"}) ==
                    "true") {
                name += " (default)";
            }
            const std::string reclaim = stringAt(object, {"reclaimPolicy"}, "Delete");
            const std::string binding = stringAt(object, {"volumeBindingMode"}, "Immediate");
            return json::array({name, stringAt(object, {"provisioner"}), reclaim, binding,
                                boolAt(object, {"allowVolumeExpansion"}), age(object, now)});
        }};
}

Printer leasePrinter() {
    return {{nameColumn(),
             column("Holder", "string",
                    "holderIdentity contains the identity of the holder of a current lease."),
             ageColumn()},
            [](const json& object, Clock::time_point now) {
                return json::array({nameOf(object), stringAt(object, {"spec", "holderIdentity"}),
                                    age(object, now)});
            }};
}

Printer priorityClassPrinter() {
    return {{nameColumn(),
             column("Value", "integer",
                    "value represents the integer value of this priority "
                    "class."),
             column("Global-Default", "boolean",
                    "globalDefault specifies whether this "
                    "PriorityClass should be considered as the "
                    "default priority for pods that do not have any "
                    "priority class."),
             ageColumn(),
             column("PreemptionPolicy", "string",
                    "preemptionPolicy is the Policy for preempting "
                    "pods with lower priority.")},
            [](const json& object, Clock::time_point now) {
                return json::array({nameOf(object), intAt(object, {"value"}),
                                    boolAt(object, {"globalDefault"}), age(object, now),
                                    stringAt(object, {"preemptionPolicy"})});
            }};
}

std::string intOrString(const json* value) {
    if (value == nullptr || value->is_null()) {
        return "N/A";
    }
    if (const auto number = detail::asInt(*value)) {
        return std::to_string(*number);
    }
    return detail::asString(*value);
}

Printer podDisruptionBudgetPrinter() {
    return {
        {nameColumn(),
         column("Min Available", "string",
                "The minimum number of pods that must be "
                "available."),
         column("Max Unavailable", "string",
                "The maximum number of pods that may be "
                "unavailable."),
         column("Allowed Disruptions", "integer",
                "Calculated number of pods that may be "
                "disrupted at this time."),
         ageColumn()},
        [](const json& object, Clock::time_point now) {
            return json::array({nameOf(object), intOrString(at(object, {"spec", "minAvailable"})),
                                intOrString(at(object, {"spec", "maxUnavailable"})),
                                intAt(object, {"status", "disruptionsAllowed"}), age(object, now)});
        }};
}

// formatHPAMetrics: at most two metrics, "cpu: 40%/80%", "<unknown>" before the first sample.
std::string hpaMetrics(const json& object) {
    const json& specs = arrayAt(object, {"spec", "metrics"});
    if (specs.empty()) {
        return "<none>";
    }
    const json& statuses = arrayAt(object, {"status", "currentMetrics"});
    std::vector<std::string> list;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const json& spec = specs[i];
        const json* status = i < statuses.size() ? &statuses[i] : nullptr;
        const std::string type = stringAt(spec, {"type"});
        const auto currentOf = [&](std::string_view source, std::string_view field) {
            if (status == nullptr || !detail::has(*status, {source, "current", field})) {
                return std::string("<unknown>");
            }
            return quantityString(at(*status, {source, "current", field}));
        };
        if (type == "External" || type == "Object") {
            const std::string source = type == "External" ? "external" : "object";
            if (detail::has(spec, {source, "target", "averageValue"})) {
                list.push_back(currentOf(source, "averageValue") + "/" +
                               quantityString(at(spec, {source, "target", "averageValue"})) +
                               " (avg)");
            } else {
                list.push_back(currentOf(source, "value") + "/" +
                               quantityString(at(spec, {source, "target", "value"})));
            }
        } else if (type == "Pods") {
            list.push_back(currentOf("pods", "averageValue") + "/" +
                           quantityString(at(spec, {"pods", "target", "averageValue"})));
        } else if (type == "Resource" || type == "ContainerResource") {
            const std::string source = type == "Resource" ? "resource" : "containerResource";
            const std::string name = stringAt(spec, {source, "name"});
            if (detail::has(spec, {source, "target", "averageValue"})) {
                list.push_back(name + ": " + currentOf(source, "averageValue") + "/" +
                               quantityString(at(spec, {source, "target", "averageValue"})));
            } else {
                std::string current = "<unknown>";
                if (status != nullptr &&
                    detail::has(*status, {source, "current", "averageUtilization"})) {
                    current =
                        std::to_string(intAt(*status, {source, "current", "averageUtilization"})) +
                        "%";
                }
                std::string target = "<auto>";
                if (detail::has(spec, {source, "target", "averageUtilization"})) {
                    target =
                        std::to_string(intAt(spec, {source, "target", "averageUtilization"})) + "%";
                }
                list.push_back(name + ": " + current + "/" + target);
            }
        } else {
            list.emplace_back("<unknown type>");
        }
    }
    constexpr std::size_t kMax = 2;
    if (list.size() > kMax) {
        const std::size_t count = list.size();
        list.resize(kMax);
        return join(list, ", ") + " + " + std::to_string(count - kMax) + " more...";
    }
    return join(list, ", ");
}

Printer horizontalPodAutoscalerPrinter() {
    return {
        {nameColumn(),
         column("Reference", "string",
                "scaleTargetRef points to the target resource to "
                "scale."),
         column("Targets", "string",
                "metrics contains the specifications for which to use "
                "to calculate the desired replica count."),
         column("MinPods", "string",
                "minReplicas is the lower limit for the number of "
                "replicas to which the autoscaler can scale down."),
         column("MaxPods", "string",
                "maxReplicas is the upper limit for the number of "
                "replicas to which the autoscaler can scale up."),
         column("Replicas", "string",
                "currentReplicas is current number of replicas of "
                "pods managed by this autoscaler."),
         ageColumn()},
        [](const json& object, Clock::time_point now) {
            std::string minPods = "<unset>";
            if (const auto min = detail::optionalIntAt(object, {"spec", "minReplicas"})) {
                minPods = std::to_string(*min);
            }
            return json::array({nameOf(object),
                                stringAt(object, {"spec", "scaleTargetRef", "kind"}) + "/" +
                                    stringAt(object, {"spec", "scaleTargetRef", "name"}),
                                hpaMetrics(object), minPods, intAt(object, {"spec", "maxReplicas"}),
                                intAt(object, {"status", "currentReplicas"}), age(object, now)});
        }};
}

// --- Custom resources ---------------------------------------------------------------------

// A JSONPath of the simple form additionalPrinterColumns use: ".a.b", ".a[0].b", ".a['x.y']",
// ".a[?(@.type=="Ready")].status". Returns the first match.
const json* evaluateJsonPath(const json& root, std::string_view path) {
    if (!path.empty() && path.front() == '{' && path.back() == '}') {
        path = path.substr(1, path.size() - 2);
    }
    const json* current = &root;
    std::size_t i = 0;
    while (i < path.size() && current != nullptr) {
        if (path[i] == '.') {
            ++i;
            const std::size_t start = i;
            while (i < path.size() && path[i] != '.' && path[i] != '[') {
                ++i;
            }
            if (i == start) {
                continue;
            }
            current = member(*current, path.substr(start, i - start));
        } else if (path[i] == '[') {
            const auto close = path.find(']', i);
            if (close == std::string_view::npos) {
                return nullptr;
            }
            std::string_view inside = path.substr(i + 1, close - i - 1);
            i = close + 1;
            if (!inside.empty() && (inside.front() == '\'' || inside.front() == '"')) {
                current = member(*current, inside.substr(1, inside.size() - 2));
            } else if (inside.rfind("?(@.", 0) == 0 && inside.back() == ')') {
                // A filter on one field: ?(@.type=="Ready")
                const std::string_view condition = inside.substr(4, inside.size() - 5);
                const auto equals = condition.find("==");
                if (equals == std::string_view::npos || !current->is_array()) {
                    return nullptr;
                }
                const std::string_view key = condition.substr(0, equals);
                std::string_view wanted = condition.substr(equals + 2);
                if (wanted.size() >= 2 && (wanted.front() == '"' || wanted.front() == '\'')) {
                    wanted = wanted.substr(1, wanted.size() - 2);
                }
                const json* found = nullptr;
                for (const auto& element : *current) {
                    const json* value = member(element, key);
                    if (value != nullptr && (value->is_string() ? value->get<std::string>()
                                                                : value->dump()) == wanted) {
                        found = &element;
                        break;
                    }
                }
                current = found;
            } else {
                if (!current->is_array() || inside.empty() ||
                    !std::all_of(inside.begin(), inside.end(),
                                 [](char c) { return c >= '0' && c <= '9'; })) {
                    return nullptr;
                }
                const std::size_t index = std::stoul(std::string(inside));
                current = index < current->size() ? &(*current)[index] : nullptr;
            }
        } else {
            return nullptr;
        }
    }
    return current;
}

}  // namespace

std::string formatLabelSelector(const json* selector) {
    auto parsed = core::LabelSelector::fromJson(selector != nullptr ? *selector : json());
    if (!parsed) {
        return "<error>";
    }
    const std::string text = parsed->toString();
    return text.empty() ? "<none>" : text;
}

std::string formatLabels(const json& labels) {
    std::vector<std::string> pairs;
    if (labels.is_object()) {
        for (const auto& [key, value] : labels.items()) {
            pairs.push_back(key + "=" + detail::asString(value));
        }
    }
    return pairs.empty() ? "<none>" : join(pairs, ",");
}

std::string podStatus(const json& pod) {
    return summarisePod(pod).reason;
}

json rowConditions(std::string_view group, std::string_view kind, const json& object) {
    if (!group.empty() || kind != "Pod") {
        return nullptr;
    }
    const std::string phase = stringAt(object, {"status", "phase"});
    if (phase == "Succeeded") {
        return json::array({{{"type", "Completed"},
                             {"status", "True"},
                             {"reason", "Succeeded"},
                             {"message", "The pod has completed successfully."}}});
    }
    if (phase == "Failed") {
        return json::array({{{"type", "Completed"},
                             {"status", "True"},
                             {"reason", "Failed"},
                             {"message", "The pod failed."}}});
    }
    return nullptr;
}

Printer defaultPrinter() {
    return {{nameColumn(), column("Created At", "date", kAgeDescription)},
            [](const json& object, Clock::time_point /*now*/) {
                return json::array(
                    {nameOf(object), stringAt(object, {"metadata", "creationTimestamp"})});
            }};
}

Printer customResourcePrinter(const json& crdVersion) {
    struct CustomColumn {
        std::string type;
        std::string jsonPath;
    };
    Printer printer;
    printer.columns.push_back(nameColumn());
    std::vector<CustomColumn> custom;
    const json& columns = arrayAt(crdVersion, {"additionalPrinterColumns"});
    if (columns.empty()) {
        printer.columns.push_back(column("Age", "date", kAgeDescription));
        custom.push_back({"date", ".metadata.creationTimestamp"});
    }
    for (const auto& definition : columns) {
        printer.columns.push_back(
            TableColumn{stringAt(definition, {"name"}), stringAt(definition, {"type"}),
                        stringAt(definition, {"format"}), stringAt(definition, {"description"}),
                        static_cast<int>(intAt(definition, {"priority"}))});
        custom.push_back({stringAt(definition, {"type"}), stringAt(definition, {"jsonPath"})});
    }
    printer.cells = [custom](const json& object, Clock::time_point now) {
        json cells = json::array({nameOf(object)});
        for (const auto& definition : custom) {
            const json* value = evaluateJsonPath(object, definition.jsonPath);
            if (value == nullptr || value->is_null()) {
                cells.push_back(nullptr);
            } else if (definition.type == "date") {
                // apiextensions-apiserver prints dates as ages.
                const auto time = detail::parseTimestamp(detail::asString(*value));
                cells.push_back(time ? since(time, now) : std::string("<invalid>"));
            } else if (definition.type == "string") {
                cells.push_back(value->is_string() ? value->get<std::string>() : value->dump());
            } else {
                cells.push_back(*value);
            }
        }
        return cells;
    };
    return printer;
}

Printer builtinPrinter(std::string_view group, std::string_view kind) {
    using Factory = Printer (*)();
    static const std::map<std::pair<std::string_view, std::string_view>, Factory> kPrinters = {
        {{"", "Pod"}, &podPrinter},
        {{"", "PodTemplate"}, &podTemplatePrinter},
        {{"", "ReplicationController"}, &replicationControllerPrinter},
        {{"", "Service"}, &servicePrinter},
        {{"", "Endpoints"}, &endpointsPrinter},
        {{"", "ConfigMap"}, &configMapPrinter},
        {{"", "Secret"}, &secretPrinter},
        {{"", "Namespace"}, &namespacePrinter},
        {{"", "ServiceAccount"}, &serviceAccountPrinter},
        {{"", "Node"}, &nodePrinter},
        {{"", "Event"}, &eventPrinter},
        {{"", "PersistentVolume"}, &persistentVolumePrinter},
        {{"", "PersistentVolumeClaim"}, &persistentVolumeClaimPrinter},
        {{"", "ResourceQuota"}, &resourceQuotaPrinter},
        {{"apps", "Deployment"}, &deploymentPrinter},
        {{"apps", "ReplicaSet"}, &replicaSetPrinter},
        {{"apps", "StatefulSet"}, &statefulSetPrinter},
        {{"apps", "DaemonSet"}, &daemonSetPrinter},
        {{"apps", "ControllerRevision"}, &controllerRevisionPrinter},
        {{"batch", "Job"}, &jobPrinter},
        {{"batch", "CronJob"}, &cronJobPrinter},
        {{"autoscaling", "HorizontalPodAutoscaler"}, &horizontalPodAutoscalerPrinter},
        {{"networking.k8s.io", "Ingress"}, &ingressPrinter},
        {{"networking.k8s.io", "IngressClass"}, &ingressClassPrinter},
        {{"networking.k8s.io", "NetworkPolicy"}, &networkPolicyPrinter},
        {{"discovery.k8s.io", "EndpointSlice"}, &endpointSlicePrinter},
        {{"coordination.k8s.io", "Lease"}, &leasePrinter},
        {{"events.k8s.io", "Event"}, &eventPrinter},
        {{"storage.k8s.io", "StorageClass"}, &storageClassPrinter},
        {{"scheduling.k8s.io", "PriorityClass"}, &priorityClassPrinter},
        {{"policy", "PodDisruptionBudget"}, &podDisruptionBudgetPrinter},
    };
    if (group == "rbac.authorization.k8s.io" && kind == "RoleBinding") {
        return bindingPrinter("roleBinding");
    }
    if (group == "rbac.authorization.k8s.io" && kind == "ClusterRoleBinding") {
        return bindingPrinter("clusterRoleBinding");
    }
    const auto it = kPrinters.find({group, kind});
    return it == kPrinters.end() ? defaultPrinter() : it->second();
}

}  // namespace slipway::api
