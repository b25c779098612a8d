// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/podautoscaler/scaling_behavior.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slipway::controllers::podautoscaler {
namespace {

using nlohmann::json;

ScalingRules rulesFrom(const json& rules, bool scaleUp) {
    ScalingRules result;
    if (scaleUp) {
        result.stabilizationWindowSeconds = 0;
    }
    if (rules.is_object()) {
        if (const auto it = rules.find("stabilizationWindowSeconds");
            it != rules.end() && it->is_number_integer()) {
            result.stabilizationWindowSeconds = it->get<std::int32_t>();
        }
        if (const auto it = rules.find("selectPolicy"); it != rules.end() && it->is_string()) {
            result.selectPolicy = it->get<std::string>();
        }
        if (const auto it = rules.find("policies"); it != rules.end() && it->is_array()) {
            for (const auto& policy : *it) {
                if (policy.is_object()) {
                    result.policies.push_back({policy.value("type", std::string()),
                                               policy.value("value", 0),
                                               policy.value("periodSeconds", 0)});
                }
            }
        }
    }
    if (result.policies.empty()) {
        if (scaleUp) {
            result.policies = {{"Pods", 4, 15}, {"Percent", 100, 15}};
        } else {
            result.policies = {{"Percent", 100, 15}};
        }
    }
    return result;
}

/// Replicas added (or removed) by the events within the last `periodSeconds`.
std::int32_t changeInPeriod(std::int32_t periodSeconds,
                            const std::vector<TimestampedScaleEvent>& events,
                            Clock::time_point now) {
    const auto cutoff = now - std::chrono::seconds(periodSeconds);
    std::int32_t replicas = 0;
    for (const auto& event : events) {
        if (event.timestamp > cutoff) {
            replicas += event.replicaChange;
        }
    }
    return replicas;
}

std::int32_t longestPolicyPeriod(const ScalingRules& rules) {
    std::int32_t longest = 0;
    for (const auto& policy : rules.policies) {
        longest = std::max(longest, policy.periodSeconds);
    }
    return longest;
}

void record(std::vector<TimestampedScaleEvent>& events, std::int32_t change,
            std::int32_t longestPeriod, Clock::time_point now) {
    const auto cutoff = now - std::chrono::seconds(longestPeriod);
    std::optional<std::size_t> reusable;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].timestamp < cutoff) {
            events[i].outdated = true;
        }
        if (events[i].outdated) {
            reusable = i;
        }
    }
    const TimestampedScaleEvent event{change, now, false};
    if (reusable) {
        events[*reusable] = event;
    } else {
        events.push_back(event);
    }
}

}  // namespace

std::optional<ScalingBehavior> ScalingBehavior::fromSpec(const json& spec) {
    const auto it = spec.find("behavior");
    if (it == spec.end() || !it->is_object()) {
        return std::nullopt;
    }
    ScalingBehavior behavior;
    behavior.scaleUp = rulesFrom(it->value("scaleUp", json()), true);
    behavior.scaleDown = rulesFrom(it->value("scaleDown", json()), false);
    return behavior;
}

std::int32_t stabilizeRecommendation(ScalingHistory& history, std::int32_t desired,
                                     std::chrono::seconds window, Clock::time_point now) {
    std::int32_t highest = desired;
    std::optional<std::size_t> old;
    const auto cutoff = now - window;
    for (std::size_t i = 0; i < history.recommendations.size(); ++i) {
        const auto& recommendation = history.recommendations[i];
        if (recommendation.timestamp < cutoff) {
            old = i;
        } else {
            highest = std::max(highest, recommendation.recommendation);
        }
    }
    if (old) {
        history.recommendations[*old] = {desired, now};
    } else {
        history.recommendations.push_back({desired, now});
    }
    return highest;
}

LimitedReplicas convertDesiredReplicasWithRules(std::int32_t current, std::int32_t desired,
                                                std::int32_t minReplicas,
                                                std::int32_t maxReplicas) {
    // Never more than double (and at least 4) in one step: a bogus usage spike must not
    // explode the target.
    const std::int32_t limit = std::max(2 * current, 4);
    std::int32_t maximum = maxReplicas;
    LimitedReplicas limited{0, "TooManyReplicas",
                            "the desired replica count is more than the maximum replica count"};
    if (maxReplicas > limit) {
        maximum = limit;
        limited.reason = "ScaleUpLimit";
        limited.message =
            "the desired replica count is increasing faster than the maximum scale rate";
    }
    if (desired < minReplicas) {
        return {minReplicas, "TooFewReplicas",
                "the desired replica count is less than the minimum replica count"};
    }
    if (desired > maximum) {
        limited.replicas = maximum;
        return limited;
    }
    return {desired, "DesiredWithinRange", "the desired count is within the acceptable range"};
}

LimitedReplicas stabilizeRecommendationWithBehaviors(ScalingHistory& history,
                                                     const NormalizationArgs& args,
                                                     Clock::time_point now) {
    const auto upWindow =
        std::chrono::seconds(args.behavior.scaleUp.stabilizationWindowSeconds.value_or(0));
    const auto downWindow =
        std::chrono::seconds(args.behavior.scaleDown.stabilizationWindowSeconds.value_or(300));
    const auto upCutoff = now - upWindow;
    const auto downCutoff = now - downWindow;
    std::int32_t up = args.desiredReplicas;
    std::int32_t down = args.desiredReplicas;
    std::optional<std::size_t> old;
    for (std::size_t i = 0; i < history.recommendations.size(); ++i) {
        const auto& recommendation = history.recommendations[i];
        if (recommendation.timestamp > upCutoff) {
            up = std::min(recommendation.recommendation, up);
        }
        if (recommendation.timestamp > downCutoff) {
            down = std::max(recommendation.recommendation, down);
        }
        if (recommendation.timestamp < upCutoff && recommendation.timestamp < downCutoff) {
            old = i;
        }
    }
    // Current replicas, raised to the lowest recent recommendation and lowered to the highest.
    std::int32_t recommendation = args.currentReplicas;
    recommendation = std::max(recommendation, up);
    recommendation = std::min(recommendation, down);
    if (old) {
        history.recommendations[*old] = {args.desiredReplicas, now};
    } else {
        history.recommendations.push_back({args.desiredReplicas, now});
    }
    if (args.desiredReplicas >= args.currentReplicas) {
        return {recommendation, "ScaleUpStabilized",
                "recent recommendations were lower than current one, applying the lowest recent "
                "recommendation"};
    }
    return {recommendation, "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent "
            "recommendation"};
}

std::int32_t scaleUpLimit(std::int32_t current, const ScalingHistory& history,
                          const ScalingRules& rules, Clock::time_point now) {
    if (rules.selectPolicy == "Disabled") {
        return current;
    }
    const bool minChange = rules.selectPolicy == "Min";
    std::int32_t result = minChange ? std::numeric_limits<std::int32_t>::max()
                                    : std::numeric_limits<std::int32_t>::min();
    for (const auto& policy : rules.policies) {
        const std::int32_t periodStart =
            current - changeInPeriod(policy.periodSeconds, history.scaleUpEvents, now) +
            changeInPeriod(policy.periodSeconds, history.scaleDownEvents, now);
        std::int32_t proposed = periodStart;
        if (policy.type == "Pods") {
            proposed = periodStart + policy.value;
        } else if (policy.type == "Percent") {
            // Rounded up, or a small target could never grow: 1 replica at 10% → 2.
            proposed = static_cast<std::int32_t>(
                std::ceil(static_cast<double>(periodStart) * (1 + policy.value / 100.0)));
        }
        result = minChange ? std::min(result, proposed) : std::max(result, proposed);
    }
    return result;
}

std::int32_t scaleDownLimit(std::int32_t current, const ScalingHistory& history,
                            const ScalingRules& rules, Clock::time_point now) {
    if (rules.selectPolicy == "Disabled") {
        return current;
    }
    const bool minChange = rules.selectPolicy == "Min";
    std::int32_t result = minChange ? std::numeric_limits<std::int32_t>::min()
                                    : std::numeric_limits<std::int32_t>::max();
    for (const auto& policy : rules.policies) {
        const std::int32_t periodStart =
            current - changeInPeriod(policy.periodSeconds, history.scaleUpEvents, now) +
            changeInPeriod(policy.periodSeconds, history.scaleDownEvents, now);
        std::int32_t proposed = periodStart;
        if (policy.type == "Pods") {
            proposed = periodStart - policy.value;
        } else if (policy.type == "Percent") {
            // Truncated: 10 replicas at 15% → 8 (8.5 rounded down).
            proposed = static_cast<std::int32_t>(static_cast<double>(periodStart) *
                                                 (1 - policy.value / 100.0));
        }
        result = minChange ? std::max(result, proposed) : std::min(result, proposed);
    }
    return result;
}

LimitedReplicas convertDesiredReplicasWithBehaviorRate(const ScalingHistory& history,
                                                       const NormalizationArgs& args,
                                                       Clock::time_point now) {
    if (args.desiredReplicas > args.currentReplicas) {
        const std::int32_t limit =
            std::max(scaleUpLimit(args.currentReplicas, history, args.behavior.scaleUp, now),
                     args.currentReplicas);
        LimitedReplicas limited{args.maxReplicas, "TooManyReplicas",
                                "the desired replica count is more than the maximum replica count"};
        if (args.maxReplicas > limit) {
            limited = {limit, "ScaleUpLimit",
                       "the desired replica count is increasing faster than the maximum scale "
                       "rate"};
        }
        if (args.desiredReplicas > limited.replicas) {
            return limited;
        }
    } else if (args.desiredReplicas < args.currentReplicas) {
        const std::int32_t limit =
            std::min(scaleDownLimit(args.currentReplicas, history, args.behavior.scaleDown, now),
                     args.currentReplicas);
        LimitedReplicas limited{args.minReplicas, "TooFewReplicas",
                                "the desired replica count is less than the minimum replica count"};
        if (args.minReplicas < limit) {
            limited = {limit, "ScaleDownLimit",
                       "the desired replica count is decreasing faster than the maximum scale "
                       "rate"};
        }
        if (args.desiredReplicas < limited.replicas) {
            return limited;
        }
    }
    return {args.desiredReplicas, "DesiredWithinRange",
            "the desired count is within the acceptable range"};
}

void storeScaleEvent(ScalingHistory& history, const ScalingBehavior& behavior,
                     std::int32_t previous, std::int32_t replicas, Clock::time_point now) {
    if (replicas > previous) {
        record(history.scaleUpEvents, replicas - previous, longestPolicyPeriod(behavior.scaleUp),
               now);
    } else if (replicas < previous) {
        record(history.scaleDownEvents, previous - replicas,
               longestPolicyPeriod(behavior.scaleDown), now);
    }
}

}  // namespace slipway::controllers::podautoscaler
