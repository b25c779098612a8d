// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/deployment/deployment_util.h"

#include <algorithm>
#include <cmath>

#include "engine/core/timestamp.h"

namespace slipway::controllers::deployment {

namespace {

const json::json_pointer kAnnotations("/metadata/annotations");

std::optional<std::int64_t> parseInt(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const auto value = std::stoll(text, &used);
        return used == text.size() ? std::optional<std::int64_t>(value) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool creationLess(const json& a, const json& b) {
    const auto ta = creationTime(a);
    const auto tb = creationTime(b);
    if (ta != tb) {
        return ta < tb;
    }
    return stringAt(a, json::json_pointer("/metadata/name")) <
           stringAt(b, json::json_pointer("/metadata/name"));
}

void setAnnotation(json& object, const std::string& name, const std::string& value) {
    json& metadata = object["metadata"];
    if (!metadata.contains("annotations") || !metadata["annotations"].is_object()) {
        metadata["annotations"] = json::object();
    }
    metadata["annotations"][name] = value;
}

bool skipCopy(const std::string& name) {
    return name == "kubectl.kubernetes.io/last-applied-configuration" ||
           name == kRevisionAnnotation || name == kRevisionHistoryAnnotation ||
           name == kDesiredReplicasAnnotation || name == kMaxReplicasAnnotation ||
           name == "deprecated.deployment.rollback.to";
}

void removeHashLabel(json& podTemplate) {
    if (podTemplate.contains(json::json_pointer("/metadata/labels"))) {
        json& labels = podTemplate["metadata"]["labels"];
        labels.erase(kPodTemplateHashLabel);
        if (labels.empty()) {
            podTemplate["metadata"].erase("labels");
        }
    }
}

/// Null, false, 0, "", {} and []: what a typed Go struct cannot tell from absent.
bool semanticallyEmpty(const json& value) {
    return value.is_null() || (value.is_boolean() && !value.get<bool>()) ||
           (value.is_number() && value == 0) || (value.is_string() && value.empty()) ||
           ((value.is_object() || value.is_array()) && value.empty());
}

/// A copy without zero values at any depth, so that templates compare as kube's
/// Semantic.DeepEqual compares structs: kubectl's rollback sends "creationTimestamp": null and
/// "resources": {}, which the stored set's template may lack.
json withoutZeroValues(const json& value) {
    if (value.is_object()) {
        json result = json::object();
        for (const auto& [key, member] : value.items()) {
            json cleaned = withoutZeroValues(member);
            if (!semanticallyEmpty(cleaned)) {
                result[key] = std::move(cleaned);
            }
        }
        return result;
    }
    if (value.is_array()) {
        json result = json::array();
        for (const auto& element : value) {
            result.push_back(withoutZeroValues(element));
        }
        return result;
    }
    return value;
}

}  // namespace

std::int64_t replicasOf(const json& object) {
    return intAt(object, json::json_pointer("/spec/replicas"), 1);
}

std::string annotation(const json& object, const std::string& name) {
    return stringAt(object, kAnnotations / name);
}

std::int64_t revisionOf(const json& replicaSet) {
    return parseInt(annotation(replicaSet, kRevisionAnnotation)).value_or(0);
}

std::int64_t maxRevision(const std::vector<json>& replicaSets) {
    std::int64_t max = 0;
    for (const auto& rs : replicaSets) {
        max = std::max(max, revisionOf(rs));
    }
    return max;
}

std::string computeHash(const json& podTemplate, std::optional<std::int64_t> collisionCount) {
    std::uint32_t hash = 2166136261U;
    const auto mix = [&hash](unsigned char byte) {
        hash ^= byte;
        hash *= 16777619U;
    };
    for (const char c : podTemplate.dump()) {
        mix(static_cast<unsigned char>(c));
    }
    if (collisionCount) {
        const auto count = static_cast<std::uint32_t>(*collisionCount);
        for (int i = 0; i < 8; ++i) {
            mix(i < 4 ? static_cast<unsigned char>((count >> (8 * i)) & 0xFFU) : 0);
        }
    }
    static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string encoded = std::to_string(hash);
    for (char& c : encoded) {
        c = kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
    }
    return encoded;
}

bool equalIgnoreHash(json a, json b) {
    removeHashLabel(a);
    removeHashLabel(b);
    return withoutZeroValues(a) == withoutZeroValues(b);
}

std::int64_t scaledValue(const json& intOrPercent, std::int64_t total, bool roundUp) {
    if (intOrPercent.is_number_integer()) {
        return intOrPercent.get<std::int64_t>();
    }
    if (!intOrPercent.is_string()) {
        return 0;
    }
    std::string text = intOrPercent.get<std::string>();
    if (text.empty() || text.back() != '%') {
        return parseInt(text).value_or(0);
    }
    text.pop_back();
    const auto percent = parseInt(text).value_or(0);
    // 25% of 10 is 2.5: 3 when rounding up (surge), 2 when down (unavailable).
    const auto product = percent * total;
    return roundUp ? (product + 99) / 100 : product / 100;
}

bool isRollingUpdate(const json& deployment) {
    return stringAt(deployment, json::json_pointer("/spec/strategy/type")) != "Recreate";
}

std::pair<std::int64_t, std::int64_t> resolveFenceposts(const json& deployment,
                                                        std::int64_t desired) {
    const json::json_pointer surgePath("/spec/strategy/rollingUpdate/maxSurge");
    const json::json_pointer unavailablePath("/spec/strategy/rollingUpdate/maxUnavailable");
    const json surgeValue = deployment.contains(surgePath) ? deployment.at(surgePath) : json("25%");
    const json unavailableValue =
        deployment.contains(unavailablePath) ? deployment.at(unavailablePath) : json("25%");
    const auto surge = scaledValue(surgeValue, desired, true);
    auto unavailable = scaledValue(unavailableValue, desired, false);
    if (surge == 0 && unavailable == 0) {
        // Both zero would stall the rollout: kube allows one unavailable pod.
        unavailable = 1;
    }
    return {surge, unavailable};
}

std::int64_t maxSurge(const json& deployment) {
    if (!isRollingUpdate(deployment)) {
        return 0;
    }
    return resolveFenceposts(deployment, replicasOf(deployment)).first;
}

std::int64_t maxUnavailable(const json& deployment) {
    const auto replicas = replicasOf(deployment);
    if (!isRollingUpdate(deployment) || replicas == 0) {
        return 0;
    }
    return std::min(resolveFenceposts(deployment, replicas).second, replicas);
}

std::int64_t specReplicaCount(const std::vector<json>& replicaSets) {
    std::int64_t sum = 0;
    for (const auto& rs : replicaSets) {
        sum += replicasOf(rs);
    }
    return sum;
}

std::int64_t actualReplicaCount(const std::vector<json>& replicaSets) {
    std::int64_t sum = 0;
    for (const auto& rs : replicaSets) {
        sum += intAt(rs, json::json_pointer("/status/replicas"));
    }
    return sum;
}

std::int64_t readyReplicaCount(const std::vector<json>& replicaSets) {
    std::int64_t sum = 0;
    for (const auto& rs : replicaSets) {
        sum += intAt(rs, json::json_pointer("/status/readyReplicas"));
    }
    return sum;
}

std::int64_t availableReplicaCount(const std::vector<json>& replicaSets) {
    std::int64_t sum = 0;
    for (const auto& rs : replicaSets) {
        sum += intAt(rs, json::json_pointer("/status/availableReplicas"));
    }
    return sum;
}

std::vector<json> activeReplicaSets(const std::vector<json>& replicaSets) {
    std::vector<json> active;
    for (const auto& rs : replicaSets) {
        if (replicasOf(rs) > 0) {
            active.push_back(rs);
        }
    }
    return active;
}

void sortByCreation(std::vector<json>& replicaSets) {
    std::stable_sort(replicaSets.begin(), replicaSets.end(), creationLess);
}

void sortByRevision(std::vector<json>& replicaSets) {
    std::stable_sort(replicaSets.begin(), replicaSets.end(), [](const json& a, const json& b) {
        if (revisionOf(a) != revisionOf(b)) {
            return revisionOf(a) < revisionOf(b);
        }
        return creationLess(a, b);
    });
}

void sortBySizeNewer(std::vector<json>& replicaSets) {
    std::stable_sort(replicaSets.begin(), replicaSets.end(), [](const json& a, const json& b) {
        if (replicasOf(a) == replicasOf(b)) {
            return creationLess(b, a);
        }
        return replicasOf(a) > replicasOf(b);
    });
}

void sortBySizeOlder(std::vector<json>& replicaSets) {
    std::stable_sort(replicaSets.begin(), replicaSets.end(), [](const json& a, const json& b) {
        if (replicasOf(a) == replicasOf(b)) {
            return creationLess(a, b);
        }
        return replicasOf(a) > replicasOf(b);
    });
}

std::int64_t newReplicaSetReplicas(const json& deployment, const std::vector<json>& allReplicaSets,
                                   const json& newReplicaSet) {
    const auto desired = replicasOf(deployment);
    if (!isRollingUpdate(deployment)) {
        return desired;
    }
    // 10 replicas, maxSurge 3: at most 13 pods. With 12 counted, the new set may grow by 1,
    // and never beyond the 10 it is to have.
    const auto [surge, unavailable] = resolveFenceposts(deployment, desired);
    (void)unavailable;
    const auto current = specReplicaCount(allReplicaSets);
    const auto maxTotal = desired + surge;
    const auto newReplicas = replicasOf(newReplicaSet);
    if (current >= maxTotal) {
        return newReplicas;
    }
    const auto scaleUp = std::min(maxTotal - current, desired - newReplicas);
    return newReplicas + scaleUp;
}

std::int64_t replicaSetProportion(const json& replicaSet, const json& deployment,
                                  std::int64_t toAdd, std::int64_t added) {
    const auto replicas = replicasOf(replicaSet);
    if (replicas == 0 || toAdd == 0 || toAdd == added) {
        return 0;
    }
    std::int64_t fraction = 0;
    const auto desired = replicasOf(deployment);
    if (desired == 0) {
        fraction = -replicas;
    } else {
        // The set's share of the Deployment's new size, by the size it was given when the
        // Deployment last had max-replicas (or, without it, the Deployment's status.replicas).
        const auto deploymentReplicas = desired + maxSurge(deployment);
        auto annotated = parseInt(annotation(replicaSet, kMaxReplicasAnnotation));
        const auto base =
            annotated ? *annotated : intAt(deployment, json::json_pointer("/status/replicas"));
        const double size = base == 0 ? 0.0
                                      : static_cast<double>(replicas * deploymentReplicas) /
                                            static_cast<double>(base);
        fraction = static_cast<std::int64_t>(std::round(size)) - replicas;
    }
    const auto allowed = toAdd - added;
    return toAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

bool isSaturated(const json& deployment, const json* replicaSet) {
    if (replicaSet == nullptr) {
        return false;
    }
    const auto desired = parseInt(annotation(*replicaSet, kDesiredReplicasAnnotation));
    if (!desired) {
        return false;
    }
    const auto replicas = replicasOf(deployment);
    return replicasOf(*replicaSet) == replicas && *desired == replicas &&
           intAt(*replicaSet, json::json_pointer("/status/availableReplicas")) == replicas;
}

bool setReplicasAnnotations(json& replicaSet, std::int64_t desired, std::int64_t max) {
    bool changed = false;
    const std::string desiredText = std::to_string(desired);
    const std::string maxText = std::to_string(max);
    if (annotation(replicaSet, kDesiredReplicasAnnotation) != desiredText) {
        setAnnotation(replicaSet, kDesiredReplicasAnnotation, desiredText);
        changed = true;
    }
    if (annotation(replicaSet, kMaxReplicasAnnotation) != maxText) {
        setAnnotation(replicaSet, kMaxReplicasAnnotation, maxText);
        changed = true;
    }
    return changed;
}

bool replicasAnnotationsNeedUpdate(const json& replicaSet, std::int64_t desired, std::int64_t max) {
    return annotation(replicaSet, kDesiredReplicasAnnotation) != std::to_string(desired) ||
           annotation(replicaSet, kMaxReplicasAnnotation) != std::to_string(max);
}

bool setNewReplicaSetAnnotations(const json& deployment, json& replicaSet,
                                 const std::string& newRevision, bool exists) {
    bool changed = false;
    if (deployment.contains(kAnnotations) && deployment.at(kAnnotations).is_object()) {
        for (const auto& [name, value] : deployment.at(kAnnotations).items()) {
            if (skipCopy(name) || !value.is_string() ||
                annotation(replicaSet, name) == value.get<std::string>()) {
                continue;
            }
            setAnnotation(replicaSet, name, value.get<std::string>());
            changed = true;
        }
    }
    const std::string oldRevision = annotation(replicaSet, kRevisionAnnotation);
    const bool hadRevision = replicaSet.contains(kAnnotations / kRevisionAnnotation);
    std::int64_t oldNumber = 0;
    if (!oldRevision.empty()) {
        const auto parsed = parseInt(oldRevision);
        if (!parsed) {
            return false;
        }
        oldNumber = *parsed;
    }
    const auto newNumber = parseInt(newRevision).value_or(0);
    if (oldNumber < newNumber) {
        setAnnotation(replicaSet, kRevisionAnnotation, newRevision);
        changed = true;
        if (hadRevision) {
            // Rolled back to this set: remember the revisions it had, oldest dropped first
            // when the list grows past 2000 characters.
            const std::string history = annotation(replicaSet, kRevisionHistoryAnnotation);
            if (history.empty()) {
                setAnnotation(replicaSet, kRevisionHistoryAnnotation, oldRevision);
            } else {
                std::vector<std::string> revisions;
                std::size_t start = 0;
                while (start <= history.size()) {
                    const auto comma = history.find(',', start);
                    const auto end = comma == std::string::npos ? history.size() : comma;
                    revisions.push_back(history.substr(start, end - start));
                    start = end + 1;
                }
                std::size_t total = history.size() + oldRevision.size() + 1;
                std::size_t first = 0;
                while (total > kMaxRevisionHistoryLength && first < revisions.size()) {
                    total -= revisions[first].size() + 1;
                    ++first;
                }
                if (total <= kMaxRevisionHistoryLength) {
                    std::string joined;
                    for (std::size_t i = first; i < revisions.size(); ++i) {
                        joined += revisions[i] + ",";
                    }
                    joined += oldRevision;
                    setAnnotation(replicaSet, kRevisionHistoryAnnotation, joined);
                }
            }
        }
    }
    if (!exists) {
        const auto replicas = replicasOf(deployment);
        if (setReplicasAnnotations(replicaSet, replicas, replicas + maxSurge(deployment))) {
            changed = true;
        }
    }
    return changed;
}

json newCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message) {
    const std::string now = core::formatTimestamp(Clock::now());
    return {{"type", type},          {"status", status},
            {"lastUpdateTime", now}, {"lastTransitionTime", now},
            {"reason", reason},      {"message", message}};
}

const json* findCondition(const json& status, const std::string& type) {
    if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) {
        return nullptr;
    }
    for (const auto& condition : status["conditions"]) {
        if (condition.value("type", "") == type) {
            return &condition;
        }
    }
    return nullptr;
}

void removeCondition(json& status, const std::string& type) {
    if (!status.contains("conditions") || !status["conditions"].is_array()) {
        return;
    }
    json kept = json::array();
    for (const auto& condition : status["conditions"]) {
        if (condition.value("type", "") != type) {
            kept.push_back(condition);
        }
    }
    status["conditions"] = kept;
}

void setCondition(json& status, json condition) {
    const std::string type = condition.value("type", "");
    if (const json* current = findCondition(status, type)) {
        if (current->value("status", "") == condition.value("status", "") &&
            current->value("reason", "") == condition.value("reason", "")) {
            return;
        }
        if (current->value("status", "") == condition.value("status", "")) {
            condition["lastTransitionTime"] = current->value("lastTransitionTime", "");
        }
    }
    removeCondition(status, type);
    if (!status.contains("conditions") || !status["conditions"].is_array()) {
        status["conditions"] = json::array();
    }
    status["conditions"].push_back(std::move(condition));
}

bool hasProgressDeadline(const json& deployment) {
    const json::json_pointer path("/spec/progressDeadlineSeconds");
    return deployment.contains(path) && deployment.at(path).is_number_integer() &&
           deployment.at(path).get<std::int64_t>() != 2147483647;
}

bool deploymentComplete(const json& deployment, const json& newStatus) {
    const auto replicas = replicasOf(deployment);
    return intAt(newStatus, json::json_pointer("/updatedReplicas")) == replicas &&
           intAt(newStatus, json::json_pointer("/replicas")) == replicas &&
           intAt(newStatus, json::json_pointer("/availableReplicas")) == replicas &&
           intAt(newStatus, json::json_pointer("/observedGeneration")) >=
               intAt(deployment, json::json_pointer("/metadata/generation"), 1);
}

bool deploymentProgressing(const json& deployment, const json& newStatus) {
    const json oldStatus = deployment.value("status", json::object());
    const auto field = [](const json& status, const char* name) {
        return intAt(status, json::json_pointer(std::string("/") + name));
    };
    const auto oldOld = field(oldStatus, "replicas") - field(oldStatus, "updatedReplicas");
    const auto newOld = field(newStatus, "replicas") - field(newStatus, "updatedReplicas");
    return field(newStatus, "updatedReplicas") > field(oldStatus, "updatedReplicas") ||
           newOld < oldOld ||
           field(newStatus, "readyReplicas") > field(oldStatus, "readyReplicas") ||
           field(newStatus, "availableReplicas") > field(oldStatus, "availableReplicas");
}

bool deploymentTimedOut(const json& deployment, const json& newStatus, Clock::time_point now) {
    if (!hasProgressDeadline(deployment)) {
        return false;
    }
    const json* condition = findCondition(newStatus, "Progressing");
    if (condition == nullptr) {
        return false;
    }
    const std::string reason = condition->value("reason", "");
    if (reason == kNewReplicaSetAvailable) {
        return false;
    }
    if (reason == kProgressDeadlineExceeded) {
        return true;
    }
    const auto from = core::parseTimestamp(condition->value("lastUpdateTime", ""));
    if (!from) {
        return false;
    }
    const auto deadline = std::chrono::seconds(
        intAt(deployment, json::json_pointer("/spec/progressDeadlineSeconds")));
    return *from + deadline < now;
}

}  // namespace slipway::controllers::deployment
