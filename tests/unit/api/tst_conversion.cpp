// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/api/conversion.h"

using namespace slipway::api;
using nlohmann::json;

class TstConversion : public QObject {
    Q_OBJECT
private slots:
    void cpuTargetIsV1sPercentage() {
        const json v1 = horizontalPodAutoscalerV2ToV1(json::parse(R"({
          "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
          "metadata": {"name": "web", "namespace": "default"},
          "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                   "minReplicas": 1, "maxReplicas": 4,
                   "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                "target": {"type": "Utilization", "averageUtilization": 60}}}]},
          "status": {"currentReplicas": 2, "desiredReplicas": 3,
                     "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu",
                                         "current": {"averageUtilization": 75}}}]}})"));
        QCOMPARE(v1.at("apiVersion"), json("autoscaling/v1"));
        QCOMPARE(v1.at("spec").at("targetCPUUtilizationPercentage"), json(60));
        QCOMPARE(v1.at("status").at("currentCPUUtilizationPercentage"), json(75));
        QCOMPARE(v1.at("status").at("desiredReplicas"), json(3));
        QVERIFY(!v1.at("metadata").contains("annotations"));
    }

    void whatV1CannotSayRoundTripsThroughAnnotations() {
        const json v2 = json::parse(R"({
          "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
          "metadata": {"name": "web", "annotations": {"team": "blue"}},
          "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                   "maxReplicas": 10,
                   "metrics": [
                     {"type": "Resource", "resource": {"name": "cpu",
                      "target": {"type": "Utilization", "averageUtilization": 50}}},
                     {"type": "Resource", "resource": {"name": "memory",
                      "target": {"type": "AverageValue", "averageValue": "500Mi"}}}],
                   "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}},
          "status": {"currentReplicas": 1, "desiredReplicas": 1,
                     "conditions": [{"type": "AbleToScale", "status": "True"}]}})");
        const json v1 = horizontalPodAutoscalerV2ToV1(v2);
        const auto& annotations = v1.at("metadata").at("annotations");
        QVERIFY(annotations.contains("autoscaling.alpha.kubernetes.io/metrics"));
        QVERIFY(annotations.contains("autoscaling.alpha.kubernetes.io/behavior"));
        QVERIFY(annotations.contains("autoscaling.alpha.kubernetes.io/conditions"));
        QCOMPARE(annotations.at("team"), json("blue"));
        QCOMPARE(horizontalPodAutoscalerV1ToV2(v1), v2);
    }
};

QTEST_GUILESS_MAIN(TstConversion)
#include "tst_conversion.moc"
