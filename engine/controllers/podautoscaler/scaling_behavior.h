// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::controllers::podautoscaler {

using Clock = std::chrono::system_clock;

/// One policy of HPAScalingRules: change by `value` pods or percent per `periodSeconds`.
struct ScalingPolicy {
    std::string type;  ///< "Pods" or "Percent"
    std::int32_t value = 0;
    std::int32_t periodSeconds = 0;
};

/// autoscaling/v2 HPAScalingRules.
struct ScalingRules {
    std::optional<std::int32_t> stabilizationWindowSeconds;
    std::string selectPolicy = "Max";  ///< "Max", "Min" or "Disabled"
    std::vector<ScalingPolicy> policies;
};

/// spec.behavior, with the API's defaults for what it leaves out (scale up: no window, 4 pods or
/// 100% per 15 s; scale down: 100% per 15 s; the scale-down window comes from the controller).
struct ScalingBehavior {
    ScalingRules scaleUp;
    ScalingRules scaleDown;

    /// The behavior of an HPA's spec, or nothing when it has none.
    static std::optional<ScalingBehavior> fromSpec(const nlohmann::json& spec);
};

/// A past recommendation or scale change, kept per HPA by the controller.
struct TimestampedRecommendation {
    std::int32_t recommendation = 0;
    Clock::time_point timestamp;
};
struct TimestampedScaleEvent {
    std::int32_t replicaChange = 0;  ///< always positive
    Clock::time_point timestamp;
    bool outdated = false;
};

/// What the controller remembers about one HPA between syncs (kube keeps the same maps in
/// its HorizontalController).
struct ScalingHistory {
    std::vector<TimestampedRecommendation> recommendations;
    std::vector<TimestampedScaleEvent> scaleUpEvents;
    std::vector<TimestampedScaleEvent> scaleDownEvents;
};

/// A replica count and why: the reason and message of a condition.
struct LimitedReplicas {
    std::int32_t replicas = 0;
    std::string reason;
    std::string message;
};

/// Without spec.behavior: the highest recommendation of the last `window` (the downscale
/// stabilization window), recording this one. 5 recommendations of 3, 5, 4 within 5 minutes:
/// the answer is 5 until the 5 ages out.
std::int32_t stabilizeRecommendation(ScalingHistory& history, std::int32_t desired,
                                     std::chrono::seconds window, Clock::time_point now);

/// Without spec.behavior: min/max replicas and at most max(2 × current, 4) in one step.
LimitedReplicas convertDesiredReplicasWithRules(std::int32_t current, std::int32_t desired,
                                                std::int32_t minReplicas, std::int32_t maxReplicas);

/// The inputs of the behavior-driven normalization.
struct NormalizationArgs {
    ScalingBehavior behavior;
    std::int32_t minReplicas = 1;
    std::int32_t maxReplicas = 1;
    std::int32_t currentReplicas = 0;
    std::int32_t desiredReplicas = 0;
};

/// With spec.behavior: within each direction's stabilization window the recommendation may
/// not go above the lowest recent one (up) nor below the highest (down); records `desired`.
/// The reason is ScaleUpStabilized or ScaleDownStabilized.
LimitedReplicas stabilizeRecommendationWithBehaviors(ScalingHistory& history,
                                                     const NormalizationArgs& args,
                                                     Clock::time_point now);

/// With spec.behavior: min/max replicas and the policies' rate limits over the recent scale
/// events (reasons ScaleUpLimit, TooManyReplicas, ScaleDownLimit, TooFewReplicas,
/// DesiredWithinRange).
LimitedReplicas convertDesiredReplicasWithBehaviorRate(const ScalingHistory& history,
                                                       const NormalizationArgs& args,
                                                       Clock::time_point now);

/// The most replicas the scale-up rules allow now: each policy proposes from the replicas at
/// the start of its period (current − added + removed within it) plus its pods or percent;
/// selectPolicy Max takes the largest proposal, Min the smallest, Disabled keeps current.
std::int32_t scaleUpLimit(std::int32_t current, const ScalingHistory& history,
                          const ScalingRules& rules, Clock::time_point now);
/// The fewest replicas the scale-down rules allow now (Max: the largest change, so the lowest
/// proposal).
std::int32_t scaleDownLimit(std::int32_t current, const ScalingHistory& history,
                            const ScalingRules& rules, Clock::time_point now);

/// Records a rescale from `previous` to `replicas` for the rate limits (only with a behavior).
void storeScaleEvent(ScalingHistory& history, const ScalingBehavior& behavior,
                     std::int32_t previous, std::int32_t replicas, Clock::time_point now);

}  // namespace slipway::controllers::podautoscaler
