// SPDX-License-Identifier: Apache-2.0
#include "engine/api/conversion.h"

#include <utility>

namespace slipway::api {

using nlohmann::json;

namespace {

constexpr const char* kMetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
constexpr const char* kBehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";
constexpr const char* kConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
constexpr const char* kCurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";

bool isCpu(const json& metric) {
    return metric.value("type", "") == "Resource" &&
           metric.value("/resource/name"_json_pointer, std::string()) == "cpu";
}

void copyField(const json& from, json& to, const char* field) {
    if (const auto it = from.find(field); it != from.end() && !it->is_null()) {
        to[field] = *it;
    }
}

/// Moves `value` (when not empty) into annotation `name` as JSON text.
void stash(json& metadata, const char* name, const json& value) {
    if (!value.is_null() && !value.empty()) {
        metadata["annotations"][name] = value.dump();
    }
}

/// Takes annotation `name` back out of `metadata` as JSON; null when absent or unreadable.
json unstash(json& metadata, const char* name) {
    auto annotations = metadata.find("annotations");
    if (annotations == metadata.end() || !annotations->is_object()) {
        return nullptr;
    }
    const auto it = annotations->find(name);
    if (it == annotations->end()) {
        return nullptr;
    }
    json value = it->is_string() ? json::parse(it->get<std::string>(), nullptr, false) : json();
    annotations->erase(it);
    if (annotations->empty()) {
        metadata.erase(annotations);
    }
    return value.is_discarded() ? json() : value;
}

}  // namespace

json horizontalPodAutoscalerV2ToV1(json v2) {
    json v1 = {{"apiVersion", "autoscaling/v1"}, {"kind", "HorizontalPodAutoscaler"}};
    json metadata = v2.value("metadata", json::object());
    const json spec2 = v2.value("spec", json::object());
    json spec = json::object();
    for (const char* field : {"scaleTargetRef", "minReplicas", "maxReplicas"}) {
        copyField(spec2, spec, field);
    }
    json others = json::array();
    for (const auto& metric : spec2.value("metrics", json::array())) {
        if (isCpu(metric) &&
            metric.value("/resource/target/type"_json_pointer, std::string()) == "Utilization" &&
            !spec.contains("targetCPUUtilizationPercentage")) {
            spec["targetCPUUtilizationPercentage"] =
                metric.value("/resource/target/averageUtilization"_json_pointer, json());
        } else {
            others.push_back(metric);
        }
    }
    stash(metadata, kMetricsAnnotation, others);
    stash(metadata, kBehaviorAnnotation, spec2.value("behavior", json()));

    json status = json::object();
    if (const auto status2 = v2.find("status"); status2 != v2.end() && status2->is_object()) {
        for (const char* field :
             {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"}) {
            copyField(*status2, status, field);
        }
        json currentOthers = json::array();
        for (const auto& metric : status2->value("currentMetrics", json::array())) {
            if (isCpu(metric) &&
                metric.contains("/resource/current/averageUtilization"_json_pointer) &&
                !status.contains("currentCPUUtilizationPercentage")) {
                status["currentCPUUtilizationPercentage"] =
                    metric["resource"]["current"]["averageUtilization"];
            } else {
                currentOthers.push_back(metric);
            }
        }
        stash(metadata, kCurrentMetricsAnnotation, currentOthers);
        stash(metadata, kConditionsAnnotation, status2->value("conditions", json()));
    }
    v1["metadata"] = std::move(metadata);
    v1["spec"] = std::move(spec);
    if (v2.contains("status")) {
        v1["status"] = std::move(status);
    }
    return v1;
}

json horizontalPodAutoscalerV1ToV2(json v1) {
    json v2 = {{"apiVersion", "autoscaling/v2"}, {"kind", "HorizontalPodAutoscaler"}};
    json metadata = v1.value("metadata", json::object());
    const json spec1 = v1.value("spec", json::object());
    json spec = json::object();
    for (const char* field : {"scaleTargetRef", "minReplicas", "maxReplicas"}) {
        copyField(spec1, spec, field);
    }
    json metrics = json::array();
    if (spec1.contains("targetCPUUtilizationPercentage") &&
        !spec1["targetCPUUtilizationPercentage"].is_null()) {
        metrics.push_back(
            {{"type", "Resource"},
             {"resource",
              {{"name", "cpu"},
               {"target",
                {{"type", "Utilization"},
                 {"averageUtilization", spec1["targetCPUUtilizationPercentage"]}}}}}});
    }
    if (const json others = unstash(metadata, kMetricsAnnotation); others.is_array()) {
        metrics.insert(metrics.end(), others.begin(), others.end());
    }
    if (!metrics.empty()) {
        spec["metrics"] = std::move(metrics);
    }
    if (json behavior = unstash(metadata, kBehaviorAnnotation); behavior.is_object()) {
        spec["behavior"] = std::move(behavior);
    }

    json currentOthers = unstash(metadata, kCurrentMetricsAnnotation);
    json conditions = unstash(metadata, kConditionsAnnotation);
    json status = json::object();
    if (const auto status1 = v1.find("status"); status1 != v1.end() && status1->is_object()) {
        for (const char* field :
             {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"}) {
            copyField(*status1, status, field);
        }
        json currentMetrics = json::array();
        if (status1->contains("currentCPUUtilizationPercentage") &&
            !(*status1)["currentCPUUtilizationPercentage"].is_null()) {
            currentMetrics.push_back(
                {{"type", "Resource"},
                 {"resource",
                  {{"name", "cpu"},
                   {"current",
                    {{"averageUtilization", (*status1)["currentCPUUtilizationPercentage"]}}}}}});
        }
        if (currentOthers.is_array()) {
            currentMetrics.insert(currentMetrics.end(), currentOthers.begin(), currentOthers.end());
        }
        if (!currentMetrics.empty()) {
            status["currentMetrics"] = std::move(currentMetrics);
        }
        if (conditions.is_array()) {
            status["conditions"] = std::move(conditions);
        }
    }
    v2["metadata"] = std::move(metadata);
    v2["spec"] = std::move(spec);
    if (v1.contains("status")) {
        v2["status"] = std::move(status);
    }
    return v2;
}

ResourceType convertedVersion(const ResourceType& stored, std::string version,
                              std::function<json(json)> fromStored,
                              std::function<json(json)> toStored) {
    ResourceType type = stored;
    type.version = std::move(version);
    type.fromStorage = fromStored;
    type.toStorage = toStored;
    if (stored.defaulter) {
        type.defaulter = [defaulter = stored.defaulter, fromStored, toStored](json& object) {
            json converted = toStored(std::move(object));
            defaulter(converted);
            object = fromStored(std::move(converted));
        };
    }
    if (stored.validator) {
        type.validator = [validator = stored.validator, toStored](const json& object,
                                                                  const json* old) {
            const json converted = toStored(object);
            if (old == nullptr) {
                return validator(converted, nullptr);
            }
            const json convertedOld = toStored(*old);
            return validator(converted, &convertedOld);
        };
    }
    if (stored.cells) {
        type.cells = [cells = stored.cells, toStored](const json& object,
                                                      std::chrono::system_clock::time_point now) {
            return cells(toStored(object), now);
        };
    }
    return type;
}

}  // namespace slipway::api
