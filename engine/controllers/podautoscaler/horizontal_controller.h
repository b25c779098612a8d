// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/controllers/podautoscaler/replica_calculator.h"
#include "engine/controllers/podautoscaler/scaling_behavior.h"

namespace slipway::controllers {

/// Settings of the HorizontalController (kube-controller-manager's HPA flags).
struct HorizontalControllerOptions {
    /// --horizontal-pod-autoscaler-sync-period: every HPA is reconciled this often.
    std::chrono::milliseconds syncPeriod = std::chrono::seconds(15);
    /// --horizontal-pod-autoscaler-downscale-stabilization: the scale-down window of HPAs
    /// without spec.behavior (and of behaviors that leave it out).
    std::chrono::seconds downscaleStabilizationWindow{300};
    podautoscaler::ReplicaCalculatorOptions calculator;
    /// The time of a sync; unset: the system clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// kube-controller-manager's HorizontalPodAutoscaler controller
/// (pkg/controller/podautoscaler/horizontal.go) on autoscaling/v2 objects (v1 ones are the
/// same objects, converted by the API server).
///
/// Every sync period each HPA is reconciled: the target's scale subresource gives the current
/// replicas and the pod selector; the resource metrics API (metrics.k8s.io, read through the
/// Client as kube reads it) and the pods (shared informer) give a desired count per metric
/// (ReplicaCalculator), the highest wins; it is stabilized and limited by min/max replicas
/// and spec.behavior; a change is written through the scale subresource with a
/// SuccessfulRescale event ("New size: 4; reason: cpu resource utilization (percentage of
/// request) above target"). Status gets currentReplicas, desiredReplicas, currentMetrics,
/// lastScaleTime and the AbleToScale, ScalingActive and ScalingLimited conditions with
/// kube's reasons.
class HorizontalController : public Controller {
public:
    HorizontalController(const ControllerContext& context,
                         HorizontalControllerOptions options = {});
    ~HorizontalController() override;

    std::string_view name() const override { return "horizontalpodautoscaling"; }
    void run(int workers) override;
    void stop() override;

    /// Reconciles the HPA "namespace/name" once (level-triggered; gone means done).
    core::Result<void> sync(const std::string& key);

private:
    struct Scale {
        std::string resource;  ///< the target's plural, for the scale subresource
        nlohmann::json object;
    };
    struct MetricsResult {
        std::int32_t replicas = -1;
        std::string metricName;
        nlohmann::json statuses = nlohmann::json::array();
        std::optional<core::Error> error;
    };

    std::chrono::system_clock::time_point now() const;
    core::Result<void> reconcile(const std::string& key, const nlohmann::json& hpa);
    core::Result<std::string> resourceOf(const std::string& apiVersion, const std::string& kind);
    MetricsResult computeReplicasForMetrics(nlohmann::json& hpa, const nlohmann::json& scale);
    /// Why one metric failed: the reason of the ScalingActive condition and of the event, and
    /// the error they both show.
    struct MetricFailure {
        std::string reason;
        std::string message;
    };
    /// One metric's proposal (replicas and the metric's name); on failure also `failure`.
    core::Result<std::pair<std::int32_t, std::string>> computeReplicasForMetric(
        const nlohmann::json& hpa, const nlohmann::json& spec, std::int32_t specReplicas,
        const std::string& selector, nlohmann::json& status, MetricFailure& failure);
    std::int32_t normalizeDesiredReplicas(nlohmann::json& hpa, const std::string& key,
                                          std::int32_t current, std::int32_t desired,
                                          std::int32_t minReplicas);
    void event(const nlohmann::json& hpa, const std::string& type, const std::string& reason,
               const std::string& message);
    void setCondition(nlohmann::json& hpa, const std::string& type, const std::string& status,
                      const std::string& reason, const std::string& message);
    core::Result<void> updateStatusIfNeeded(const nlohmann::json& original,
                                            const nlohmann::json& hpa);

    const client::Client& m_client;
    HorizontalControllerOptions m_options;
    podautoscaler::ReplicaCalculator m_calculator;
    client::Informer& m_hpas;
    client::Informer& m_pods;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;

    std::mutex m_mutex;  ///< guards the two maps below
    std::map<std::string, podautoscaler::ScalingHistory> m_history;
    /// "apps/v1/Deployment" → "deployments", learnt from discovery.
    std::map<std::string, std::string> m_resources;
};

}  // namespace slipway::controllers
