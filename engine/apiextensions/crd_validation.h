// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiextensions {

/// The finalizer that holds a deleted CRD until all its custom resources are gone.
inline constexpr const char* kCustomResourceCleanupFinalizer =
    "customresourcecleanup.apiextensions.k8s.io";

/// apiextensions/v1 defaulting: names.singular (the lower-cased kind), names.listKind
/// (kind + "List"), conversion.strategy None, and on create status.storedVersions (the storage
/// version) when absent.
void defaultCustomResourceDefinition(nlohmann::json& crd);

/// apiextensions-apiserver's ValidateCustomResourceDefinition (and ...Update when `old` is set):
/// metadata.name == <plural>.<group>; group a DNS subdomain with a dot; scope Namespaced or
/// Cluster; names plural, singular, kind and listKind present and DNS-1035 (kinds in mixed
/// case), kind != listKind; versions unique DNS-1035 names, exactly one storage version, a
/// structural openAPIV3Schema per version; scale subresource paths; printer columns. On update
/// group and plural are immutable, and scope and kind once the CRD is Established.
api::FieldCauses validateCustomResourceDefinition(const nlohmann::json& crd,
                                                  const nlohmann::json* old);

/// What the CRD's DELETE does first (apiextensions' REST Delete): add the cleanup finalizer
/// and a Terminating condition (InstanceDeletionPending), so that the CRD controller removes
/// the custom resources before the CRD goes.
void prepareCustomResourceDefinitionForDelete(nlohmann::json& crd,
                                              std::chrono::system_clock::time_point now);

/// Attaches the behaviour above to the CustomResourceDefinition kind of `registry`.
void installCustomResourceDefinitionStrategy(api::KindRegistry& registry);

/// Sets condition `type` of status.conditions: lastTransitionTime changes only when the status
/// does, as apiextensions' SetCRDCondition.
void setCondition(nlohmann::json& crd, const std::string& type, const std::string& status,
                  const std::string& reason, const std::string& message,
                  std::chrono::system_clock::time_point now);
/// The condition `type` of status.conditions, or null.
const nlohmann::json* findCondition(const nlohmann::json& crd, const std::string& type);

}  // namespace slipway::apiextensions
