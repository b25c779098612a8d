// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/podautoscaler/replica_calculator.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "engine/core/duration.h"
#include "engine/core/quantity.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers::podautoscaler {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* name) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(name);
    return it == object.end() ? kNull : *it;
}

std::string stringField(const json& object, const char* name) {
    const json& value = field(object, name);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<std::chrono::system_clock::time_point> timeField(const json& object,
                                                               const char* name) {
    const json& value = field(object, name);
    return value.is_string() ? core::parseTimestamp(value.get<std::string>()) : std::nullopt;
}

std::optional<std::int64_t> milliOf(const json& value) {
    if (value.is_null()) {
        return std::nullopt;
    }
    auto quantity = core::Quantity::fromJson(value);
    if (!quantity) {
        return std::nullopt;
    }
    return quantity->milliValue();
}

/// kube's metricsclient.GetResourceUtilizationRatio: the ratio of usage to requests over the
/// pods that have both, against the target percentage.
struct Utilization {
    double ratio = 0;
    std::int32_t utilization = 0;
    std::int64_t rawAverage = 0;
};
core::Result<Utilization> utilizationRatio(const PodMetricsInfo& metrics,
                                           const std::map<std::string, std::int64_t>& requests,
                                           std::int32_t targetUtilization) {
    std::int64_t metricsTotal = 0;
    std::int64_t requestsTotal = 0;
    std::int64_t entries = 0;
    for (const auto& [pod, metric] : metrics) {
        const auto request = requests.find(pod);
        if (request == requests.end()) {
            continue;
        }
        metricsTotal += metric.value;
        requestsTotal += request->second;
        ++entries;
    }
    // Requests of zero: "if the set of requests is completely empty".
    if (requestsTotal == 0) {
        return core::Error(core::ErrorCode::BadRequest, "no metrics returned matched known pods");
    }
    Utilization result;
    result.utilization = static_cast<std::int32_t>((metricsTotal * 100) / requestsTotal);
    result.ratio = static_cast<double>(result.utilization) / static_cast<double>(targetUtilization);
    result.rawAverage = metricsTotal / entries;
    return result;
}

/// kube's metricsclient.GetMetricUsageRatio: average usage per pod against the target.
std::pair<double, std::int64_t> usageRatio(const PodMetricsInfo& metrics,
                                           std::int64_t targetUsage) {
    std::int64_t total = 0;
    for (const auto& [pod, metric] : metrics) {
        total += metric.value;
    }
    const std::int64_t usage =
        metrics.empty() ? 0 : total / static_cast<std::int64_t>(metrics.size());
    return {static_cast<double>(usage) / static_cast<double>(targetUsage), usage};
}

void removeMetricsFor(PodMetricsInfo& metrics, const std::vector<std::string>& pods) {
    for (const auto& pod : pods) {
        metrics.erase(pod);
    }
}

std::int32_t ceilReplicas(double value) {
    return static_cast<std::int32_t>(std::ceil(value));
}

}  // namespace

std::chrono::milliseconds parseGoDuration(const std::string& text) {
    auto parsed = core::parseGoDuration(text);
    return parsed ? std::chrono::duration_cast<std::chrono::milliseconds>(*parsed)
                  : std::chrono::milliseconds(0);
}

PodMetricsInfo podMetricsFromList(const json& podMetricsList, const std::string& resource,
                                  const std::string& container) {
    PodMetricsInfo info;
    const json& items = field(podMetricsList, "items");
    if (!items.is_array()) {
        return info;
    }
    for (const auto& item : items) {
        const std::string name = stringField(field(item, "metadata"), "name");
        const json& containers = field(item, "containers");
        if (name.empty() || !containers.is_array()) {
            continue;
        }
        PodMetric metric;
        metric.timestamp = timeField(item, "timestamp").value_or(std::chrono::system_clock::now());
        metric.window = parseGoDuration(stringField(item, "window"));
        bool complete = !containers.empty();
        bool found = container.empty();
        for (const auto& entry : containers) {
            if (!container.empty() && stringField(entry, "name") != container) {
                continue;
            }
            found = true;
            const auto value = milliOf(field(field(entry, "usage"), resource.c_str()));
            if (!value) {
                complete = false;
                break;
            }
            metric.value += *value;
        }
        if (complete && found) {
            info[name] = metric;
        }
    }
    return info;
}

core::Result<std::map<std::string, std::int64_t>> podRequests(const std::vector<json>& pods,
                                                              const std::string& container,
                                                              const std::string& resource) {
    std::map<std::string, std::int64_t> requests;
    for (const auto& pod : pods) {
        const std::string podName = stringField(field(pod, "metadata"), "name");
        const json& spec = field(pod, "spec");
        // Regular containers and restartable init containers (sidecars) run alongside.
        std::vector<const json*> containers;
        if (const json& list = field(spec, "containers"); list.is_array()) {
            for (const auto& c : list) {
                containers.push_back(&c);
            }
        }
        if (const json& list = field(spec, "initContainers"); list.is_array()) {
            for (const auto& c : list) {
                if (stringField(c, "restartPolicy") == "Always") {
                    containers.push_back(&c);
                }
            }
        }
        std::int64_t sum = 0;
        for (const json* c : containers) {
            const std::string name = stringField(*c, "name");
            if (!container.empty() && container != name) {
                continue;
            }
            const auto request =
                milliOf(field(field(field(*c, "resources"), "requests"), resource.c_str()));
            if (!request) {
                return core::Error(core::ErrorCode::BadRequest, "missing request for " + resource +
                                                                    " in container " + name +
                                                                    " of Pod " + podName);
            }
            sum += *request;
        }
        requests[podName] = sum;
    }
    return requests;
}

ReplicaCalculator::Groups ReplicaCalculator::groupPods(
    const std::vector<json>& pods, const PodMetricsInfo& metrics, const std::string& resource,
    std::chrono::system_clock::time_point now) const {
    Groups groups;
    for (const auto& pod : pods) {
        const json& metadata = field(pod, "metadata");
        const std::string name = stringField(metadata, "name");
        const json& status = field(pod, "status");
        const std::string phase = stringField(status, "phase");
        if (!field(metadata, "deletionTimestamp").is_null() || phase == "Failed") {
            groups.ignored.push_back(name);
            continue;
        }
        // Pending pods count as unready.
        if (phase == "Pending") {
            groups.unready.push_back(name);
            continue;
        }
        const auto metric = metrics.find(name);
        if (metric == metrics.end()) {
            groups.missing.push_back(name);
            continue;
        }
        if (resource == "cpu") {
            // A pod's cpu right after start is not representative: ignore it while the pod is
            // not ready, or was ready only after the metric's window began.
            const json* ready = nullptr;
            if (const json& conditions = field(status, "conditions"); conditions.is_array()) {
                for (const auto& condition : conditions) {
                    if (stringField(condition, "type") == "Ready") {
                        ready = &condition;
                    }
                }
            }
            const auto startTime = timeField(status, "startTime");
            bool unready = false;
            if (ready == nullptr || !startTime) {
                unready = true;
            } else {
                const bool readyNow = stringField(*ready, "status") == "True";
                const auto transition =
                    timeField(*ready, "lastTransitionTime").value_or(*startTime);
                if (*startTime + m_options.cpuInitializationPeriod > now) {
                    // Within the initialization period: unready, or ready too recently for
                    // the metric to cover only ready time.
                    unready =
                        !readyNow || metric->second.timestamp < transition + metric->second.window;
                } else {
                    // After it: unready only if it has never been ready.
                    unready = stringField(*ready, "status") == "False" &&
                              *startTime + m_options.delayOfInitialReadinessStatus > transition;
                }
            }
            if (unready) {
                groups.unready.push_back(name);
                continue;
            }
        }
        ++groups.readyPodCount;
    }
    return groups;
}

core::Result<UtilizationReplicas> ReplicaCalculator::resourceReplicas(
    std::int32_t currentReplicas, std::int32_t targetUtilization, const std::string& resource,
    const std::string& container, const std::vector<json>& pods, PodMetricsInfo metrics,
    std::chrono::system_clock::time_point now) const {
    if (pods.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "no pods returned by selector while calculating replica count");
    }
    const Groups groups = groupPods(pods, metrics, resource, now);
    removeMetricsFor(metrics, groups.ignored);
    removeMetricsFor(metrics, groups.unready);
    if (metrics.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "did not receive metrics for targeted pods (pods might be unready)");
    }
    auto requests = podRequests(pods, container, resource);
    if (!requests) {
        return requests.error();
    }
    auto first = utilizationRatio(metrics, *requests, targetUtilization);
    if (!first) {
        return first.error();
    }
    const double ratio = first->ratio;
    UtilizationReplicas result{currentReplicas, first->utilization, first->rawAverage};

    const bool scaleUpWithUnready = !groups.unready.empty() && ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing.empty()) {
        if (std::abs(1.0 - ratio) <= m_options.tolerance) {
            return result;  // within the tolerance: no change
        }
        // Only the ready pods with metrics count: 4 pods at 90% of a 50% target → ceil(4*1.8)=8.
        result.replicas = ceilReplicas(ratio * groups.readyPodCount);
        return result;
    }
    if (!groups.missing.empty()) {
        if (ratio < 1.0) {
            // Scaling down: a pod without metrics is assumed at 100% of its request (or at the
            // target, if that is higher), so that it holds the scale-down back.
            const std::int64_t fallback = std::max<std::int64_t>(100, targetUtilization);
            for (const auto& pod : groups.missing) {
                metrics[pod] = PodMetric{(*requests)[pod] * fallback / 100, {}, {}};
            }
        } else if (ratio > 1.0) {
            // Scaling up: assumed idle, so that it holds the scale-up back.
            for (const auto& pod : groups.missing) {
                metrics[pod] = PodMetric{0, {}, {}};
            }
        }
    }
    if (scaleUpWithUnready) {
        for (const auto& pod : groups.unready) {
            metrics[pod] = PodMetric{0, {}, {}};
        }
    }
    auto second = utilizationRatio(metrics, *requests, targetUtilization);
    if (!second) {
        return second.error();
    }
    const double newRatio = second->ratio;
    // The assumptions may not flip the direction nor land within the tolerance.
    if (std::abs(1.0 - newRatio) <= m_options.tolerance || (ratio < 1.0 && newRatio > 1.0) ||
        (ratio > 1.0 && newRatio < 1.0)) {
        return result;
    }
    const std::int32_t replicas = ceilReplicas(newRatio * static_cast<double>(metrics.size()));
    if ((newRatio < 1.0 && replicas > currentReplicas) ||
        (newRatio > 1.0 && replicas < currentReplicas)) {
        return result;
    }
    result.replicas = replicas;
    return result;
}

core::Result<AverageValueReplicas> ReplicaCalculator::rawResourceReplicas(
    std::int32_t currentReplicas, std::int64_t targetUsage, const std::string& resource,
    const std::string& /*container*/, const std::vector<json>& pods, PodMetricsInfo metrics,
    std::chrono::system_clock::time_point now) const {
    if (pods.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "no pods returned by selector while calculating replica count");
    }
    if (metrics.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "did not receive metrics for targeted pods (pods might be unready)");
    }
    if (targetUsage <= 0) {
        return core::Error(core::ErrorCode::BadRequest, "invalid target value");
    }
    const Groups groups = groupPods(pods, metrics, resource, now);
    removeMetricsFor(metrics, groups.ignored);
    removeMetricsFor(metrics, groups.unready);
    if (metrics.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "did not receive metrics for targeted pods (pods might be unready)");
    }
    const auto [ratio, usage] = usageRatio(metrics, targetUsage);
    AverageValueReplicas result{currentReplicas, usage};

    const bool scaleUpWithUnready = !groups.unready.empty() && ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing.empty()) {
        if (std::abs(1.0 - ratio) <= m_options.tolerance) {
            return result;
        }
        result.replicas = ceilReplicas(ratio * groups.readyPodCount);
        return result;
    }
    if (!groups.missing.empty()) {
        for (const auto& pod : groups.missing) {
            // Scaling down: a missing pod is assumed at the target; scaling up: idle.
            metrics[pod] = PodMetric{ratio < 1.0 ? targetUsage : 0, {}, {}};
        }
    }
    if (scaleUpWithUnready) {
        for (const auto& pod : groups.unready) {
            metrics[pod] = PodMetric{0, {}, {}};
        }
    }
    const double newRatio = usageRatio(metrics, targetUsage).first;
    if (std::abs(1.0 - newRatio) <= m_options.tolerance || (ratio < 1.0 && newRatio > 1.0) ||
        (ratio > 1.0 && newRatio < 1.0)) {
        return result;
    }
    const std::int32_t replicas = ceilReplicas(newRatio * static_cast<double>(metrics.size()));
    if ((newRatio < 1.0 && replicas > currentReplicas) ||
        (newRatio > 1.0 && replicas < currentReplicas)) {
        return result;
    }
    result.replicas = replicas;
    return result;
}

}  // namespace slipway::controllers::podautoscaler
