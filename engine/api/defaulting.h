// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace slipway::api {

/// The defaulter of a built-in kind (ResourceType::defaulter): the defaults kube-apiserver 1.32
/// sets when it decodes an object (pkg/apis/<group>/v1/defaults.go and the generated
/// zz_generated.defaults.go), plus what its create strategies and default admission plugins add
/// to every object of the kind, so that a stored object reads back as it would from a real
/// cluster. Defaulting is idempotent and runs on create and on update, before validation.
/// Empty for kinds kube-apiserver does not default (ConfigMap, ServiceAccount, Role, Lease, …).
///
/// Steps that need more than the object itself:
/// - Job: the generated selector and the pod labels `controller-uid`,
///   `batch.kubernetes.io/controller-uid`, `job-name` and `batch.kubernetes.io/job-name`
///   (kube's job strategy PrepareForCreate) need metadata.uid and metadata.name: the REST layer
///   sets both before it calls the defaulter on create. Without a uid the selector is left
///   alone (validation then reports `spec.selector: Required value`).
/// - Namespace: spec.finalizers ["kubernetes"] (the namespace strategy's PrepareForCreate) is
///   added whenever spec.finalizers is absent and the namespace is not being deleted, so the
///   finalize subresource must not run the defaulter (it does not: only plain updates do).
/// - Pod: the DefaultTolerationSeconds, Priority and ServiceAccount admission plugins' visible
///   effects (not-ready/unreachable tolerations for 300 s, priority 0 with
///   preemptionPolicy PreemptLowerPriority, serviceAccountName "default"); the service-account
///   token volume is not added here. status is the REST layer's.
/// - Service: fields that kube-apiserver drops when the type changes (nodePort,
///   externalTrafficPolicy, healthCheckNodePort, allocateLoadBalancerNodePorts,
///   loadBalancerClass) are dropped whenever the type does not allow them; cluster IP allocation
///   is the REST layer's.
std::function<void(nlohmann::json& object)> builtinDefaulter(std::string_view group,
                                                             std::string_view kind);

/// Applies the defaults of (group, kind) to `object`; a no-op for kinds without defaults.
void applyDefaults(std::string_view group, std::string_view kind, nlohmann::json& object);

/// SetDefaults_PodSpec and everything below it (containers, init containers, probes, ports,
/// volumes), as applied to every pod template and to pods.
void defaultPodSpec(nlohmann::json& spec);
/// A PodTemplateSpec: its spec, and metadata.creationTimestamp null as Kubernetes serialises
/// an embedded ObjectMeta.
void defaultPodTemplateSpec(nlohmann::json& podTemplate);

/// The image pull policy Kubernetes defaults for `image`: Always for ":latest" or no tag,
/// IfNotPresent otherwise (a digest counts as no tag only when there is no tag either).
std::string defaultImagePullPolicy(std::string_view image);

}  // namespace slipway::api
