// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/quantity.h"

namespace slipway::admission {

/// What a pod counts against a quota: its effective requests and limits (kube's PodRequests:
/// the larger of the containers' sum and any init container, plus overhead), by resource
/// name ("cpu", "memory", "ephemeral-storage").
struct PodResources {
    std::map<std::string, core::Quantity> requests;
    std::map<std::string, core::Quantity> limits;
};
PodResources podResources(const nlohmann::json& pod);

/// True when a pod counts against `quota`: it is not terminal and the quota's scopes
/// (BestEffort, NotBestEffort, Terminating, NotTerminating) select it.
bool podCounts(const nlohmann::json& quota, const nlohmann::json& pod);

/// The resource whose objects a quota's resource name counts: "pods" for "pods",
/// "requests.cpu" or "limits.memory"; "services" for "services.nodeports";
/// "persistentvolumeclaims" for "requests.storage"; "deployments.apps" for
/// "count/deployments.apps".
std::string countedResource(const std::string& quotaResourceName);

/// Objects of a namespace by the name a quota counts them under ("pods", "services",
/// "configmaps", "secrets", "persistentvolumeclaims", "resourcequotas", …).
using NamespaceObjects = std::map<std::string, std::vector<nlohmann::json>>;

/// The usage of a namespace for the resources `quota`'s spec.hard names (kube's quota
/// evaluators): object counts (pods, services, services.nodeports, services.loadbalancers,
/// configmaps, secrets, persistentvolumeclaims, count/<resource>), compute (requests.cpu,
/// requests.memory, limits.cpu, limits.memory, cpu, memory) over the pods that count, and
/// requests.storage over claims. Resources it cannot count are left out.
nlohmann::json quotaUsage(const nlohmann::json& quota, const NamespaceObjects& objects);

/// Whether creating `object` (a `resource` such as "pods") in a namespace whose current
/// objects are `objects` stays within `quota`; if not, kube's words for why:
/// "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=800m, limited:
/// requests.cpu=1", or "failed quota: compute: must specify limits.cpu,requests.cpu" for a pod
/// that names no value for a compute resource the quota limits.
std::optional<std::string> quotaViolation(const nlohmann::json& quota,
                                          const NamespaceObjects& objects,
                                          const std::string& resource,
                                          const nlohmann::json& object);

}  // namespace slipway::admission
