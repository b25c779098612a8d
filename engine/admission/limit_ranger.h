// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::admission {

/// kube-apiserver's LimitRanger admission for pods, as two steps:
///
/// Defaults: every container without a request or limit for a resource that a `Container`
/// limit of `limitRanges` defaults gets `defaultRequest` / `default` (a limit without a request
/// makes the request equal to the limit), and the pod is annotated
/// `kubernetes.io/limit-ranger: "LimitRanger plugin set: cpu request for container app"`.
void applyLimitRangeDefaults(nlohmann::json& pod, const std::vector<nlohmann::json>& limitRanges);

/// Violations of the `Container` and `Pod` limits (min, max, maxLimitRequestRatio) in kube's
/// words: "maximum cpu usage per Container is 1, but limit is 2", "minimum memory usage per Pod
/// is 64Mi, but request is 32Mi". Empty when the pod is within every range.
std::vector<std::string> limitRangeViolations(const nlohmann::json& pod,
                                              const std::vector<nlohmann::json>& limitRanges);

/// The same for a PersistentVolumeClaim against `PersistentVolumeClaim` limits (storage min
/// and max): "maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi".
std::vector<std::string> claimLimitViolations(const nlohmann::json& claim,
                                              const std::vector<nlohmann::json>& limitRanges);

}  // namespace slipway::admission
