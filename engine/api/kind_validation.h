// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"
#include "engine/api/validation.h"

// The per-kind validators behind builtinValidator(), one file per API group, transcribing the
// rules of kube-apiserver 1.32 (pkg/apis/<group>/validation). Internal to engine/api.
namespace slipway::api::detail {

using nlohmann::json;

// --- Shared pieces -----------------------------------------------------------------------

/// Appends `more` to `causes`.
void append(FieldCauses& causes, FieldCauses more);
/// ValidateNonnegativeField for `object[key]` when it is present.
void checkNonnegative(FieldCauses& causes, const json& object, std::string_view key,
                      const FieldPath& path);
/// Annotation keys and total size (ValidateAnnotations).
FieldCauses validateAnnotations(const json& annotations, const FieldPath& path);
/// An IntOrString port: a number 1..65535 or an IANA_SVC_NAME.
FieldCauses validatePortNumOrName(const json& port, const FieldPath& path);
/// ValidatePositiveIntOrPercent: a non-negative integer or a "N%" string.
FieldCauses validatePositiveIntOrPercent(const json& value, const FieldPath& path);
/// The value of an IntOrString for "both zero" checks: the integer, or the percent's number.
std::int64_t intOrPercentValue(const json& value);
/// "must not be greater than 100%" for percent strings above 100.
FieldCauses validateNotMoreThan100Percent(const json& value, const FieldPath& path);
/// A DNS-1123 label field (ValidateDNS1123Label): one cause per message.
FieldCauses validateDns1123Label(std::string_view value, const FieldPath& path);
/// A DNS-1123 subdomain field.
FieldCauses validateDns1123Subdomain(std::string_view value, const FieldPath& path);
/// `field is immutable` when `now` differs from `then` (ValidateImmutableField); the bad value
/// rendered with `rendered` (goValue when empty).
FieldCauses validateImmutable(const json& now, const json& then, const FieldPath& path,
                              const std::string& rendered = {});

/// Go's %#v of a metav1.LabelSelector, as kube-apiserver prints it in messages:
/// v1.LabelSelector{MatchLabels:map[string]string{"app":"web"},
/// MatchExpressions:[]v1.LabelSelectorRequirement(nil)}; `pointer` prefixes '&'.
std::string goLabelSelector(const json& selector, bool pointer = false);
/// Go's %#v of an intstr.IntOrString: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}.
std::string goIntOrString(const json& value);
/// Go's %#v of a map[string]string that may be nil: map[string]string(nil) when absent.
std::string goStringMap(const json* map);

/// Whether `selector` (a metav1.LabelSelector) matches the label map `labels`; a null or
/// absent selector matches nothing, an empty one everything (LabelSelectorAsSelector).
/// `valid` is false when the selector cannot be converted.
bool selectorMatches(const json* selector, const json& labels, bool* valid = nullptr);
/// True for a present selector with neither matchLabels nor matchExpressions.
bool selectorEmpty(const json& selector);

// --- Pods and pod templates (pod_validation.cpp) ---------------------------------------------

/// ValidatePodSpec: volumes, containers, init containers, restart and DNS policy, node
/// selector, tolerations, service account and node names, hostname, priority class.
FieldCauses validatePodSpec(const json& spec, const FieldPath& path);
/// ValidatePodTemplateSpec: template labels and annotations (at `<path>.labels`, as Kubernetes
/// reports them) and the pod spec at `<path>.spec`.
FieldCauses validatePodTemplateSpec(const json& podTemplate, const FieldPath& path);
/// Container resources: names, quantities, requests ≤ limits.
FieldCauses validateResourceRequirements(const json& resources, const FieldPath& path);
/// A ResourceList whose quantities must parse and be non-negative.
FieldCauses validateResourceList(const json& list, const FieldPath& path);

FieldCauses validatePod(const json& object, const json* old);
FieldCauses validatePodTemplate(const json& object, const json* old);

// --- core/v1 (core_validation.cpp) ---------------------------------------------------------

FieldCauses validateService(const json& object, const json* old);
FieldCauses validateEndpoints(const json& object, const json* old);
FieldCauses validateConfigMap(const json& object, const json* old);
FieldCauses validateSecret(const json& object, const json* old);
FieldCauses validateNamespace(const json& object, const json* old);
FieldCauses validateNode(const json& object, const json* old);
FieldCauses validatePersistentVolume(const json& object, const json* old);
FieldCauses validatePersistentVolumeClaim(const json& object, const json* old);
FieldCauses validateServiceAccount(const json& object, const json* old);
FieldCauses validateLimitRange(const json& object, const json* old);
FieldCauses validateResourceQuota(const json& object, const json* old);
FieldCauses validateEvent(const json& object, const json* old);

// --- apps/v1 and the core ReplicationController (apps_validation.cpp) ----------------------

FieldCauses validateDeployment(const json& object, const json* old);
FieldCauses validateReplicaSet(const json& object, const json* old);
FieldCauses validateStatefulSet(const json& object, const json* old);
FieldCauses validateDaemonSet(const json& object, const json* old);
FieldCauses validateControllerRevision(const json& object, const json* old);
FieldCauses validateReplicationController(const json& object, const json* old);

// --- batch/v1 (batch_validation.cpp) -------------------------------------------------------

FieldCauses validateJob(const json& object, const json* old);
FieldCauses validateCronJob(const json& object, const json* old);

// --- networking.k8s.io/v1, discovery.k8s.io/v1 (networking_validation.cpp) -------------------

FieldCauses validateIngress(const json& object, const json* old);
FieldCauses validateIngressClass(const json& object, const json* old);
FieldCauses validateNetworkPolicy(const json& object, const json* old);
FieldCauses validateEndpointSlice(const json& object, const json* old);

// --- rbac, storage, scheduling, policy, coordination, autoscaling, apiextensions ------------
// (cluster_validation.cpp)

FieldCauses validateRole(const json& object, const json* old);
FieldCauses validateClusterRole(const json& object, const json* old);
FieldCauses validateRoleBinding(const json& object, const json* old);
FieldCauses validateClusterRoleBinding(const json& object, const json* old);
FieldCauses validateStorageClass(const json& object, const json* old);
FieldCauses validatePriorityClass(const json& object, const json* old);
FieldCauses validatePodDisruptionBudget(const json& object, const json* old);
FieldCauses validateHorizontalPodAutoscaler(const json& object, const json* old);
FieldCauses validateLease(const json& object, const json* old);
FieldCauses validateEventsV1Event(const json& object, const json* old);
FieldCauses validateCustomResourceDefinition(const json& object, const json* old);

}  // namespace slipway::api::detail
