// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/controllers/replicaset/controller_utils.h"

/// The arithmetic of kube's pkg/controller/deployment/util on JSON Deployments and
/// ReplicaSets: template hashes, revisions and their annotations, maxSurge/maxUnavailable,
/// proportions and conditions.
namespace slipway::controllers::deployment {

using nlohmann::json;

inline constexpr const char* kPodTemplateHashLabel = "pod-template-hash";
inline constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr const char* kRevisionHistoryAnnotation =
    "deployment.kubernetes.io/revision-history";
inline constexpr const char* kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr const char* kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
/// Longest revision-history annotation, in characters.
inline constexpr std::size_t kMaxRevisionHistoryLength = 2000;

// Progressing and Available reasons, as kube writes them.
inline constexpr const char* kNewReplicaSetCreated = "NewReplicaSetCreated";
inline constexpr const char* kFoundNewReplicaSet = "FoundNewReplicaSet";
inline constexpr const char* kReplicaSetUpdated = "ReplicaSetUpdated";
inline constexpr const char* kNewReplicaSetAvailable = "NewReplicaSetAvailable";
inline constexpr const char* kProgressDeadlineExceeded = "ProgressDeadlineExceeded";
inline constexpr const char* kDeploymentPaused = "DeploymentPaused";
inline constexpr const char* kDeploymentResumed = "DeploymentResumed";
inline constexpr const char* kFailedReplicaSetCreate = "ReplicaSetCreateError";
inline constexpr const char* kMinimumReplicasAvailable = "MinimumReplicasAvailable";
inline constexpr const char* kMinimumReplicasUnavailable = "MinimumReplicasUnavailable";

std::int64_t replicasOf(const json& object);
std::string annotation(const json& object, const std::string& name);
/// The revision annotation as a number; 0 when absent or unreadable.
std::int64_t revisionOf(const json& replicaSet);
std::int64_t maxRevision(const std::vector<json>& replicaSets);

/// The pod-template-hash of a template: FNV-1a (32 bits) over its canonical JSON and the
/// collisionCount's four little-endian bytes (when set, as kube hashes it into eight), printed
/// in decimal and spelled with kube's safe alphabet (no vowels, no look-alikes).
std::string computeHash(const json& podTemplate, std::optional<std::int64_t> collisionCount);
/// The two templates are equal once pod-template-hash labels are ignored.
bool equalIgnoreHash(json a, json b);

/// int or "25%" of `total`: percentages round up (maxSurge) or down (maxUnavailable).
std::int64_t scaledValue(const json& intOrPercent, std::int64_t total, bool roundUp);
/// maxSurge and maxUnavailable for `desired` replicas; both 0 becomes unavailable 1.
std::pair<std::int64_t, std::int64_t> resolveFenceposts(const json& deployment,
                                                        std::int64_t desired);
bool isRollingUpdate(const json& deployment);
std::int64_t maxSurge(const json& deployment);
std::int64_t maxUnavailable(const json& deployment);

/// Sums over ReplicaSets: spec.replicas, status.replicas, readyReplicas, availableReplicas.
std::int64_t specReplicaCount(const std::vector<json>& replicaSets);
std::int64_t actualReplicaCount(const std::vector<json>& replicaSets);
std::int64_t readyReplicaCount(const std::vector<json>& replicaSets);
std::int64_t availableReplicaCount(const std::vector<json>& replicaSets);
/// The ReplicaSets with spec.replicas > 0.
std::vector<json> activeReplicaSets(const std::vector<json>& replicaSets);

/// Sorts: oldest first (name breaks ties); by revision (then age); larger first with newer (or
/// older) first among equals.
void sortByCreation(std::vector<json>& replicaSets);
void sortByRevision(std::vector<json>& replicaSets);
void sortBySizeNewer(std::vector<json>& replicaSets);
void sortBySizeOlder(std::vector<json>& replicaSets);

/// How many replicas the new ReplicaSet should have now (kube's NewRSNewReplicas).
std::int64_t newReplicaSetReplicas(const json& deployment, const std::vector<json>& allReplicaSets,
                                   const json& newReplicaSet);
/// The share of a proportional scale of `toAdd` replicas that falls to `replicaSet`.
std::int64_t replicaSetProportion(const json& replicaSet, const json& deployment,
                                  std::int64_t toAdd, std::int64_t added);
/// The new ReplicaSet has every replica and the Deployment's current size.
bool isSaturated(const json& deployment, const json* replicaSet);

/// Copies the Deployment's annotations (but kube's skipped ones) to the ReplicaSet, moves its
/// revision forward (keeping the old one in revision-history), and for a new set, desired and
/// max replicas. Returns whether anything changed.
bool setNewReplicaSetAnnotations(const json& deployment, json& replicaSet,
                                 const std::string& newRevision, bool exists);
/// Sets desired-replicas and max-replicas; true if they changed.
bool setReplicasAnnotations(json& replicaSet, std::int64_t desired, std::int64_t max);
bool replicasAnnotationsNeedUpdate(const json& replicaSet, std::int64_t desired, std::int64_t max);

/// Conditions of a Deployment's status.
json newCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message);
const json* findCondition(const json& status, const std::string& type);
/// kube's SetDeploymentCondition: no change when status and reason are the same; the
/// transition time kept when only the reason changes; the condition moves to the end.
void setCondition(json& status, json condition);
void removeCondition(json& status, const std::string& type);

bool hasProgressDeadline(const json& deployment);
/// Updated, total and available replicas all at spec.replicas, and the generation observed.
bool deploymentComplete(const json& deployment, const json& newStatus);
/// More updated, fewer old, more ready or more available replicas than last written.
bool deploymentProgressing(const json& deployment, const json& newStatus);
/// Progressing has not been updated for progressDeadlineSeconds.
bool deploymentTimedOut(const json& deployment, const json& newStatus, Clock::time_point now);

}  // namespace slipway::controllers::deployment
