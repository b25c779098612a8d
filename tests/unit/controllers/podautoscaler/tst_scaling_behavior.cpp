// SPDX-License-Identifier: Apache-2.0
// The HPA's stabilization windows and scaling policies, with and without spec.behavior.
#include <QtTest>

#include "engine/controllers/podautoscaler/scaling_behavior.h"

using namespace slipway::controllers::podautoscaler;
using nlohmann::json;
using std::chrono::seconds;

namespace {

const Clock::time_point kT0 = Clock::now();

ScalingBehavior behavior(const json& spec) {
    auto parsed = ScalingBehavior::fromSpec({{"behavior", spec}});
    return parsed.value_or(ScalingBehavior{});
}

}  // namespace

class TstScalingBehavior : public QObject {
    Q_OBJECT

private slots:
    void defaultsOfABehavior() {
        QVERIFY(!ScalingBehavior::fromSpec(json::object()).has_value());
        const auto defaults = behavior(json::object());
        QCOMPARE(defaults.scaleUp.stabilizationWindowSeconds.value_or(-1), 0);
        QCOMPARE(defaults.scaleUp.selectPolicy, std::string("Max"));
        QCOMPARE(defaults.scaleUp.policies.size(), std::size_t{2});
        QVERIFY(!defaults.scaleDown.stabilizationWindowSeconds.has_value());
        QCOMPARE(defaults.scaleDown.policies.at(0).type, std::string("Percent"));
    }

    void rulesWithoutBehavior() {
        // At most max(2 × current, 4) in one step.
        auto limited = convertDesiredReplicasWithRules(2, 10, 1, 20);
        QCOMPARE(limited.replicas, 4);
        QCOMPARE(limited.reason, std::string("ScaleUpLimit"));
        limited = convertDesiredReplicasWithRules(2, 10, 1, 3);
        QCOMPARE(limited.replicas, 3);
        QCOMPARE(limited.reason, std::string("TooManyReplicas"));
        limited = convertDesiredReplicasWithRules(3, 0, 1, 10);
        QCOMPARE(limited.replicas, 1);
        QCOMPARE(limited.reason, std::string("TooFewReplicas"));
        limited = convertDesiredReplicasWithRules(3, 5, 1, 10);
        QCOMPARE(limited.replicas, 5);
        QCOMPARE(limited.reason, std::string("DesiredWithinRange"));
        QCOMPARE(limited.message, std::string("the desired count is within the acceptable range"));
    }

    void downscaleStabilizationWithoutBehavior() {
        // Recommendations 5 (t0) and 3 (t0+60 s) in a 300 s window: asking for 2 at t0+120
        // gets 5; at t0+400 both have aged out and 2 is the answer.
        ScalingHistory history;
        QCOMPARE(stabilizeRecommendation(history, 5, seconds(300), kT0), 5);
        QCOMPARE(stabilizeRecommendation(history, 3, seconds(300), kT0 + seconds(60)), 5);
        QCOMPARE(stabilizeRecommendation(history, 2, seconds(300), kT0 + seconds(120)), 5);
        QCOMPARE(stabilizeRecommendation(history, 2, seconds(300), kT0 + seconds(400)), 2);
        // Old samples are reused, not appended for ever.
        QVERIFY(history.recommendations.size() <= 3);
    }

    void scaleUpPolicies() {
        // Default scale-up: 4 pods or 100% per 15 s, the larger: 10 → 20.
        ScalingHistory history;
        const auto defaults = behavior(json::object());
        QCOMPARE(scaleUpLimit(10, history, defaults.scaleUp, kT0), 20);
        auto minimum = defaults.scaleUp;
        minimum.selectPolicy = "Min";
        QCOMPARE(scaleUpLimit(10, history, minimum, kT0), 14);
        auto disabled = defaults.scaleUp;
        disabled.selectPolicy = "Disabled";
        QCOMPARE(scaleUpLimit(10, history, disabled, kT0), 10);

        // 4 → 10 five seconds ago: the period started at 4, so at most 8 now (less than the
        // current 10: no scale-up until the event leaves the 15 s period).
        storeScaleEvent(history, defaults, 4, 10, kT0 - seconds(5));
        QCOMPARE(scaleUpLimit(10, history, defaults.scaleUp, kT0), 8);
        NormalizationArgs args{defaults, 1, 50, 10, 30};
        auto limited = convertDesiredReplicasWithBehaviorRate(history, args, kT0);
        QCOMPARE(limited.replicas, 10);
        QCOMPARE(limited.reason, std::string("ScaleUpLimit"));
        QCOMPARE(limited.message,
                 std::string("the desired replica count is increasing faster than the maximum "
                             "scale rate"));
        // Once it has, 20 again.
        QCOMPARE(scaleUpLimit(10, history, defaults.scaleUp, kT0 + seconds(11)), 20);
    }

    void scaleDownPolicies() {
        const auto rules = behavior(
            {{"scaleDown",
              {{"policies",
                json::array({{{"type", "Percent"}, {"value", 50}, {"periodSeconds", 60}},
                             {{"type", "Pods"}, {"value", 2}, {"periodSeconds", 60}}})}}}});
        ScalingHistory history;
        // Max picks the largest change: 50% of 10 (to 5) rather than 2 pods (to 8).
        QCOMPARE(scaleDownLimit(10, history, rules.scaleDown, kT0), 5);
        NormalizationArgs args{rules, 1, 10, 10, 1};
        auto limited = convertDesiredReplicasWithBehaviorRate(history, args, kT0);
        QCOMPARE(limited.replicas, 5);
        QCOMPARE(limited.reason, std::string("ScaleDownLimit"));
        // After 10 → 5 within the period, the period started at 10: no further step now.
        storeScaleEvent(history, rules, 10, 5, kT0);
        QCOMPARE(scaleDownLimit(5, history, rules.scaleDown, kT0 + seconds(10)), 5);
        args.currentReplicas = 5;
        limited = convertDesiredReplicasWithBehaviorRate(history, args, kT0 + seconds(10));
        QCOMPARE(limited.replicas, 5);
        // minReplicas wins over a policy that allows more.
        args = NormalizationArgs{rules, 4, 10, 10, 1};
        limited = convertDesiredReplicasWithBehaviorRate(ScalingHistory{}, args, kT0);
        QCOMPARE(limited.replicas, 5);
        args = NormalizationArgs{rules, 6, 10, 10, 1};
        limited = convertDesiredReplicasWithBehaviorRate(ScalingHistory{}, args, kT0);
        QCOMPARE(limited.replicas, 6);
        QCOMPARE(limited.reason, std::string("TooFewReplicas"));
    }

    void stabilizationWithBehavior() {
        auto rules = behavior({{"scaleDown", {{"stabilizationWindowSeconds", 60}}},
                               {"scaleUp", {{"stabilizationWindowSeconds", 30}}}});
        ScalingHistory history;
        // 8 was recommended 20 s ago; now 3 is: held at 8 within the 60 s down window.
        history.recommendations.push_back({8, kT0 - seconds(20)});
        NormalizationArgs args{rules, 1, 10, 8, 3};
        auto stabilized = stabilizeRecommendationWithBehaviors(history, args, kT0);
        QCOMPARE(stabilized.replicas, 8);
        QCOMPARE(stabilized.reason, std::string("ScaleDownStabilized"));
        // 70 s later only recommendations of 3 are in the window.
        args.desiredReplicas = 3;
        stabilized = stabilizeRecommendationWithBehaviors(history, args, kT0 + seconds(70));
        QCOMPARE(stabilized.replicas, 3);

        // Up: the lowest recommendation of the last 30 s. 3 then 9 asked: 3 now.
        ScalingHistory up;
        up.recommendations.push_back({3, kT0 - seconds(10)});
        args = NormalizationArgs{rules, 1, 10, 3, 9};
        stabilized = stabilizeRecommendationWithBehaviors(up, args, kT0);
        QCOMPARE(stabilized.replicas, 3);
        QCOMPARE(stabilized.reason, std::string("ScaleUpStabilized"));
        stabilized = stabilizeRecommendationWithBehaviors(up, args, kT0 + seconds(31));
        QCOMPARE(stabilized.replicas, 9);
    }
};

QTEST_GUILESS_MAIN(TstScalingBehavior)
#include "tst_scaling_behavior.moc"
