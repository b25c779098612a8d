// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::controllers::podautoscaler {

/// One pod's usage of a resource as the metrics API reported it, in milli-units (millicores,
/// millibytes), as kube's metrics client keeps it.
struct PodMetric {
    std::int64_t value = 0;
    std::chrono::system_clock::time_point timestamp;
    std::chrono::milliseconds window{0};
};
/// By pod name.
using PodMetricsInfo = std::map<std::string, PodMetric>;

/// The pods' usage of `resource` ("cpu", "memory") from a metrics.k8s.io PodMetricsList: the
/// sum over the pod's containers, or only `container`'s when given. A pod lacking the resource
/// in any container it sums is left out (kube's getPodMetrics / getContainerMetrics).
PodMetricsInfo podMetricsFromList(const nlohmann::json& podMetricsList, const std::string& resource,
                                  const std::string& container = {});

/// Parses a Go duration as metav1.Duration writes it ("10s", "1m30s", "1.5s", "250ms").
std::chrono::milliseconds parseGoDuration(const std::string& text);

/// The knobs of kube's replica calculator (kube-controller-manager flags).
struct ReplicaCalculatorOptions {
    /// --horizontal-pod-autoscaler-tolerance: no change while |1 - usage/target| <= 0.1.
    double tolerance = 0.1;
    /// --horizontal-pod-autoscaler-cpu-initialization-period.
    std::chrono::seconds cpuInitializationPeriod{300};
    /// --horizontal-pod-autoscaler-initial-readiness-delay.
    std::chrono::seconds delayOfInitialReadinessStatus{30};
};

/// The answer for a Utilization target.
struct UtilizationReplicas {
    std::int32_t replicas = 0;
    std::int32_t utilization = 0;     ///< percent of requests, over the pods with metrics
    std::int64_t rawUtilization = 0;  ///< average usage per pod, milli-units
};

/// The answer for an AverageValue target.
struct AverageValueReplicas {
    std::int32_t replicas = 0;
    std::int64_t usage = 0;  ///< average usage per pod, milli-units
};

/// kube's ReplicaCalculator (pkg/controller/podautoscaler/replica_calculator.go) on the pods
/// the target's selector selects and their metrics:
///   desired = ceil(currentReplicas * usage / target), kept at currentReplicas within the
///   tolerance. Failed and deleted pods are ignored; Pending pods, and for cpu pods not yet
///   ready (within their initialization period), count as unready; pods without metrics as
///   missing. When some are unready or missing the ratio is computed again with missing pods
///   at 100% of their request (or the target, if higher) on a scale-down and at 0 on a
///   scale-up, and unready pods at 0 on a scale-up; if that flips the direction or lands in
///   the tolerance, nothing changes.
///
/// Errors carry kube's messages ("missing request for cpu in container web of Pod web-1",
/// "did not receive metrics for targeted pods (pods might be unready)").
class ReplicaCalculator {
public:
    explicit ReplicaCalculator(ReplicaCalculatorOptions options = {}) : m_options(options) {}

    /// Replicas for `targetUtilization` percent of the pods' requests of `resource`.
    core::Result<UtilizationReplicas> resourceReplicas(
        std::int32_t currentReplicas, std::int32_t targetUtilization, const std::string& resource,
        const std::string& container, const std::vector<nlohmann::json>& pods,
        PodMetricsInfo metrics, std::chrono::system_clock::time_point now) const;

    /// Replicas for an average usage per pod of `targetUsage` milli-units of `resource`.
    core::Result<AverageValueReplicas> rawResourceReplicas(
        std::int32_t currentReplicas, std::int64_t targetUsage, const std::string& resource,
        const std::string& container, const std::vector<nlohmann::json>& pods,
        PodMetricsInfo metrics, std::chrono::system_clock::time_point now) const;

    const ReplicaCalculatorOptions& options() const { return m_options; }

private:
    struct Groups {
        int readyPodCount = 0;
        std::vector<std::string> unready;
        std::vector<std::string> missing;
        std::vector<std::string> ignored;
    };
    Groups groupPods(const std::vector<nlohmann::json>& pods, const PodMetricsInfo& metrics,
                     const std::string& resource, std::chrono::system_clock::time_point now) const;

    ReplicaCalculatorOptions m_options;
};

/// The requests of `resource` per pod in milli-units: the sum over its containers (and
/// restartable init containers), or only `container`'s. Fails when a counted container has no
/// request.
core::Result<std::map<std::string, std::int64_t>> podRequests(
    const std::vector<nlohmann::json>& pods, const std::string& container,
    const std::string& resource);

}  // namespace slipway::controllers::podautoscaler
