// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::api {

/// autoscaling/v1 HorizontalPodAutoscaler ↔ autoscaling/v2 (the stored version), as
/// kube-apiserver converts them: v1's targetCPUUtilizationPercentage is v2's cpu Utilization
/// metric, and what v1 cannot say (other metrics, behavior, conditions, current metrics)
/// travels in the `autoscaling.alpha.kubernetes.io/*` annotations, so that a v1 client's
/// read-modify-write loses nothing.
nlohmann::json horizontalPodAutoscalerV2ToV1(nlohmann::json v2);
nlohmann::json horizontalPodAutoscalerV1ToV2(nlohmann::json v1);

/// A type served in another version of `stored`'s group, sharing its storage: its objects
/// are converted with `fromStored` / `toStored`, and the stored version's defaulting,
/// validation and printing run on the converted object.
ResourceType convertedVersion(const ResourceType& stored, std::string version,
                              std::function<nlohmann::json(nlohmann::json)> fromStored,
                              std::function<nlohmann::json(nlohmann::json)> toStored);

}  // namespace slipway::api
