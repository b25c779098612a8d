// SPDX-License-Identifier: Apache-2.0
// The cluster-administration kinds: rbac.authorization.k8s.io, storage.k8s.io,
// scheduling.k8s.io, policy, autoscaling, coordination.k8s.io, events.k8s.io and
// apiextensions.k8s.io (pkg/apis/*/validation, apiextensions-apiserver's validation).
#include <algorithm>
#include <set>

#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"

namespace slipway::api::detail {
namespace {

constexpr std::string_view kRbacGroup = "rbac.authorization.k8s.io";

FieldCauses validatePathSegment(const std::string& value, const FieldPath& path) {
    FieldCauses causes;
    for (const auto& message : isValidPathSegmentName(value)) {
        causes.push_back(field::invalid(path, value, message));
    }
    return causes;
}

FieldCauses validateRules(const json& object, bool namespaced) {
    FieldCauses causes;
    const json& rules = arrayAt(object, {"rules"});
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const json& rule = rules[i];
        const FieldPath at = FieldPath("rules").index(i);
        if (arrayAt(rule, {"verbs"}).empty()) {
            causes.push_back(
                field::required(at.child("verbs"), "verbs must contain at least one value"));
        }
        const json& urls = arrayAt(rule, {"nonResourceURLs"});
        if (!urls.empty()) {
            if (namespaced) {
                causes.push_back(field::invalid(at.child("nonResourceURLs"), urls,
                                                "namespaced rules cannot apply to non-resource "
                                                "URLs"));
            }
            if (!arrayAt(rule, {"apiGroups"}).empty() || !arrayAt(rule, {"resources"}).empty() ||
                !arrayAt(rule, {"resourceNames"}).empty()) {
                causes.push_back(field::invalid(at.child("nonResourceURLs"), urls,
                                                "rules cannot apply to both regular resources and "
                                                "non-resource URLs"));
            }
            continue;
        }
        if (arrayAt(rule, {"apiGroups"}).empty()) {
            causes.push_back(field::required(at.child("apiGroups"),
                                             "resource rules must supply at least one api group"));
        }
        if (arrayAt(rule, {"resources"}).empty()) {
            causes.push_back(field::required(at.child("resources"),
                                             "resource rules must supply at least one resource"));
        }
    }
    return causes;
}

std::string goRoleRef(const json& roleRef) {
    return "rbac.RoleRef{APIGroup:" + goQuote(stringAt(roleRef, {"apiGroup"})) +
           ", Kind:" + goQuote(stringAt(roleRef, {"kind"})) +
           ", Name:" + goQuote(stringAt(roleRef, {"name"})) + "}";
}

FieldCauses validateBinding(const json& object, const json* old, bool namespaced) {
    FieldCauses causes;
    const json& roleRef = objectAt(object, {"roleRef"});
    const FieldPath refPath("roleRef");
    const std::string apiGroup = stringAt(roleRef, {"apiGroup"});
    if (apiGroup != kRbacGroup) {
        causes.push_back(
            field::notSupported(refPath.child("apiGroup"), apiGroup, {std::string(kRbacGroup)}));
    }
    const std::string kind = stringAt(roleRef, {"kind"});
    if (namespaced && kind != "Role" && kind != "ClusterRole") {
        causes.push_back(field::notSupported(refPath.child("kind"), kind, {"Role", "ClusterRole"}));
    } else if (!namespaced && kind != "ClusterRole") {
        causes.push_back(field::notSupported(refPath.child("kind"), kind, {"ClusterRole"}));
    }
    const std::string name = stringAt(roleRef, {"name"});
    if (name.empty()) {
        causes.push_back(field::required(refPath.child("name")));
    } else {
        append(causes, validatePathSegment(name, refPath.child("name")));
    }
    const json& subjects = arrayAt(object, {"subjects"});
    for (std::size_t i = 0; i < subjects.size(); ++i) {
        const json& subject = subjects[i];
        const FieldPath at = FieldPath("subjects").index(i);
        const std::string subjectName = stringAt(subject, {"name"});
        const std::string subjectGroup = stringAt(subject, {"apiGroup"});
        if (subjectName.empty()) {
            causes.push_back(field::required(at.child("name")));
        }
        const std::string subjectKind = stringAt(subject, {"kind"});
        if (subjectKind == "ServiceAccount") {
            if (!subjectName.empty()) {
                append(causes, validateDns1123Subdomain(subjectName, at.child("name")));
            }
            if (!subjectGroup.empty()) {
                causes.push_back(field::notSupported(at.child("apiGroup"), subjectGroup, {""}));
            }
            if (!namespaced && stringAt(subject, {"namespace"}).empty()) {
                causes.push_back(field::required(at.child("namespace")));
            }
        } else if (subjectKind == "User" || subjectKind == "Group") {
            if (subjectGroup != kRbacGroup) {
                causes.push_back(field::notSupported(at.child("apiGroup"), subjectGroup,
                                                     {std::string(kRbacGroup)}));
            }
        } else {
            causes.push_back(field::notSupported(at.child("kind"), subjectKind,
                                                 {"ServiceAccount", "User", "Group"}));
        }
    }
    if (old != nullptr && objectAt(*old, {"roleRef"}) != roleRef) {
        causes.push_back(
            field::invalidRendered(refPath, goRoleRef(roleRef), "cannot change roleRef"));
    }
    return causes;
}

}  // namespace

FieldCauses validateRole(const json& object, const json* /*old*/) {
    return validateRules(object, true);
}

FieldCauses validateClusterRole(const json& object, const json* /*old*/) {
    FieldCauses causes = validateRules(object, false);
    if (const json* aggregation = member(object, "aggregationRule");
        aggregation != nullptr && !aggregation->is_null()) {
        const FieldPath path = FieldPath("aggregationRule").child("clusterRoleSelectors");
        const json& selectors = arrayAt(*aggregation, {"clusterRoleSelectors"});
        if (selectors.empty()) {
            causes.push_back(field::required(path,
                                             "at least one clusterRoleSelector required if "
                                             "aggregationRule is non-nil"));
        }
        for (std::size_t i = 0; i < selectors.size(); ++i) {
            append(causes, validateLabelSelector(selectors[i], path.index(i)));
        }
    }
    return causes;
}

FieldCauses validateRoleBinding(const json& object, const json* old) {
    return validateBinding(object, old, true);
}

FieldCauses validateClusterRoleBinding(const json& object, const json* old) {
    return validateBinding(object, old, false);
}

FieldCauses validateStorageClass(const json& object, const json* old) {
    FieldCauses causes;
    const std::string provisioner = stringAt(object, {"provisioner"});
    if (provisioner.empty()) {
        causes.push_back(field::required(FieldPath("provisioner"), provisioner));
    } else {
        std::string lower = provisioner;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        for (const auto& message : isQualifiedName(lower)) {
            causes.push_back(field::invalid(FieldPath("provisioner"), provisioner, message));
        }
    }
    const std::string reclaim = stringAt(object, {"reclaimPolicy"});
    if (!reclaim.empty() && reclaim != "Delete" && reclaim != "Retain") {
        causes.push_back(
            field::notSupported(FieldPath("reclaimPolicy"), reclaim, {"Delete", "Retain"}));
    }
    const json* mode = member(object, "volumeBindingMode");
    if (mode == nullptr || mode->is_null()) {
        causes.push_back(field::required(FieldPath("volumeBindingMode")));
    } else if (asString(*mode) != "Immediate" && asString(*mode) != "WaitForFirstConsumer") {
        causes.push_back(field::notSupported(FieldPath("volumeBindingMode"), *mode,
                                             {"Immediate", "WaitForFirstConsumer"}));
    }
    if (old != nullptr) {
        if (objectAt(object, {"parameters"}) != objectAt(*old, {"parameters"})) {
            causes.push_back(
                field::forbidden(FieldPath("parameters"), "updates to parameters are forbidden."));
        }
        if (provisioner != stringAt(*old, {"provisioner"})) {
            causes.push_back(field::forbidden(FieldPath("provisioner"),
                                              "updates to provisioner are forbidden."));
        }
        if (reclaim != stringAt(*old, {"reclaimPolicy"})) {
            causes.push_back(field::forbidden(FieldPath("reclaimPolicy"),
                                              "updates to reclaimPolicy are forbidden."));
        }
        append(causes, validateImmutable(stringAt(object, {"volumeBindingMode"}),
                                         stringAt(*old, {"volumeBindingMode"}),
                                         FieldPath("volumeBindingMode")));
    }
    return causes;
}

FieldCauses validatePriorityClass(const json& object, const json* old) {
    FieldCauses causes;
    const std::string name = stringAt(object, {"metadata", "name"});
    const auto value = intAt(object, {"value"});
    if (name.rfind("system-", 0) == 0) {
        // Only the two classes kube-apiserver creates itself may use the prefix.
        std::string error;
        if (name == "system-cluster-critical" || name == "system-node-critical") {
            const std::int64_t expected = name == "system-node-critical" ? 2000001000 : 2000000000;
            if (value != expected) {
                error = "value of " + name + " PriorityClass must be " + std::to_string(expected);
            } else if (boolAt(object, {"globalDefault"})) {
                error = "globalDefault of " + name + " PriorityClass must be false";
            }
        } else {
            error = name + " is not a known system priority class";
        }
        if (!error.empty()) {
            causes.push_back(field::forbidden(FieldPath("metadata").child("name"),
                                              "priority class names with 'system-' prefix are "
                                              "reserved for system use only. error: " +
                                                  error));
        }
    } else if (value > 1000000000) {
        causes.push_back(field::forbidden(FieldPath("value"),
                                          "maximum allowed value of a user defined priority is "
                                          "1000000000"));
    }
    if (const json* policy = member(object, "preemptionPolicy");
        policy != nullptr && !policy->is_null()) {
        const std::string text = asString(*policy);
        if (text != "Never" && text != "PreemptLowerPriority") {
            causes.push_back(field::notSupported(FieldPath("preemptionPolicy"), *policy,
                                                 {"PreemptLowerPriority", "Never"}));
        }
    }
    if (old != nullptr) {
        if (value != intAt(*old, {"value"})) {
            causes.push_back(
                field::forbidden(FieldPath("value"), "may not be changed in an update."));
        }
        append(causes, validateImmutable(stringAt(object, {"preemptionPolicy"}),
                                         stringAt(*old, {"preemptionPolicy"}),
                                         FieldPath("preemptionPolicy")));
    }
    return causes;
}

FieldCauses validatePodDisruptionBudget(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const json* minAvailable = member(spec, "minAvailable");
    const json* maxUnavailable = member(spec, "maxUnavailable");
    const bool hasMin = minAvailable != nullptr && !minAvailable->is_null();
    const bool hasMax = maxUnavailable != nullptr && !maxUnavailable->is_null();
    if (hasMin && hasMax) {
        causes.push_back(field::invalidRendered(path, "policy.PodDisruptionBudgetSpec{...}",
                                                "minAvailable and maxUnavailable cannot be both "
                                                "set"));
    }
    if (hasMin) {
        append(causes, validatePositiveIntOrPercent(*minAvailable, path.child("minAvailable")));
        append(causes, validateNotMoreThan100Percent(*minAvailable, path.child("minAvailable")));
    }
    if (hasMax) {
        append(causes, validatePositiveIntOrPercent(*maxUnavailable, path.child("maxUnavailable")));
        append(causes,
               validateNotMoreThan100Percent(*maxUnavailable, path.child("maxUnavailable")));
    }
    if (const json* selector = member(spec, "selector")) {
        append(causes, validateLabelSelector(*selector, path.child("selector")));
    }
    if (const json* policy = member(spec, "unhealthyPodEvictionPolicy");
        policy != nullptr && !policy->is_null()) {
        const std::string text = asString(*policy);
        if (text != "AlwaysAllow" && text != "IfHealthyBudget") {
            causes.push_back(field::notSupported(path.child("unhealthyPodEvictionPolicy"), *policy,
                                                 {"AlwaysAllow", "IfHealthyBudget"}));
        }
    }
    return causes;
}

FieldCauses validateHorizontalPodAutoscaler(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const auto minReplicas = optionalIntAt(spec, {"minReplicas"});
    const auto maxReplicas = intAt(spec, {"maxReplicas"});
    if (minReplicas && *minReplicas < 1) {
        causes.push_back(field::invalid(path.child("minReplicas"), *minReplicas,
                                        "must be greater than or equal to 1"));
    }
    if (maxReplicas < 1) {
        causes.push_back(
            field::invalid(path.child("maxReplicas"), maxReplicas, "must be greater than 0"));
    }
    if (minReplicas && maxReplicas < *minReplicas) {
        causes.push_back(field::invalid(path.child("maxReplicas"), maxReplicas,
                                        "must be greater than or equal to `minReplicas`"));
    }
    FieldCauses refCauses;
    const FieldPath refPath = path.child("scaleTargetRef");
    for (const std::string_view key : {"kind", "name"}) {
        const std::string value = stringAt(spec, {"scaleTargetRef", key});
        if (value.empty()) {
            refCauses.push_back(field::required(refPath.child(key)));
        } else {
            append(refCauses, validatePathSegment(value, refPath.child(key)));
        }
    }
    if (!refCauses.empty()) {
        append(causes, std::move(refCauses));
        return causes;
    }
    static const std::vector<std::pair<std::string, std::string>> kSources = {
        {"Object", "object"},
        {"Pods", "pods"},
        {"Resource", "resource"},
        {"External", "external"},
        {"ContainerResource", "containerResource"}};
    const json& metrics = arrayAt(spec, {"metrics"});
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const FieldPath at = path.child("metrics").index(i);
        const std::string type = stringAt(metrics[i], {"type"});
        if (type.empty()) {
            causes.push_back(
                field::required(at.child("type"), "must specify a metric source type"));
            continue;
        }
        const auto source = std::find_if(kSources.begin(), kSources.end(),
                                         [&](const auto& entry) { return entry.first == type; });
        if (source == kSources.end()) {
            causes.push_back(field::notSupported(
                at.child("type"), type,
                {"Object", "Pods", "Resource", "External", "ContainerResource"}));
            continue;
        }
        if (!has(metrics[i], {source->second})) {
            causes.push_back(field::required(at.child(source->second),
                                             "must populate information for the given metric "
                                             "source"));
        }
        for (const auto& [otherType, otherField] : kSources) {
            if (otherField != source->second && has(metrics[i], {otherField})) {
                causes.push_back(field::forbidden(at.child(otherField),
                                                  "must populate the given metric source only"));
            }
        }
        if (type == "Resource" || type == "ContainerResource") {
            const json& resource = objectAt(metrics[i], {source->second});
            if (stringAt(resource, {"name"}).empty()) {
                causes.push_back(field::required(at.child(source->second).child("name"),
                                                 "must specify a resource name"));
            }
            const FieldPath targetPath = at.child(source->second).child("target");
            const std::string targetType = stringAt(resource, {"target", "type"});
            if (targetType.empty()) {
                causes.push_back(
                    field::required(targetPath.child("type"), "must specify a metric target type"));
            } else if (targetType != "Utilization" && targetType != "Value" &&
                       targetType != "AverageValue") {
                causes.push_back(field::notSupported(targetPath.child("type"), targetType,
                                                     {"Utilization", "Value", "AverageValue"}));
            }
            if (const auto utilization = optionalIntAt(resource, {"target", "averageUtilization"});
                utilization && *utilization <= 0) {
                causes.push_back(field::invalid(targetPath.child("averageUtilization"),
                                                *utilization, "must be greater than 0"));
            }
        }
    }
    return causes;
}

FieldCauses validateLease(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    if (const auto duration = optionalIntAt(object, {"spec", "leaseDurationSeconds"});
        duration && *duration <= 0) {
        causes.push_back(field::invalid(path.child("leaseDurationSeconds"), *duration,
                                        "must be greater than 0"));
    }
    if (const auto transitions = optionalIntAt(object, {"spec", "leaseTransitions"});
        transitions && *transitions < 0) {
        causes.push_back(field::invalid(path.child("leaseTransitions"), *transitions,
                                        "must be greater than or equal to 0"));
    }
    return causes;
}

FieldCauses validateEventsV1Event(const json& object, const json* /*old*/) {
    FieldCauses causes;
    if (stringAt(object, {"eventTime"}).empty()) {
        causes.push_back(field::required(FieldPath("eventTime")));
    }
    const std::string type = stringAt(object, {"type"});
    if (type != "Normal" && type != "Warning") {
        causes.push_back(field::invalid(FieldPath("type"), "", "has invalid value: " + type));
    }
    const std::string controller = stringAt(object, {"reportingController"});
    if (controller.empty()) {
        causes.push_back(field::required(FieldPath("reportingController")));
    }
    for (const auto& message : isQualifiedName(controller)) {
        causes.push_back(field::invalid(FieldPath("reportingController"), controller, message));
    }
    for (const std::string_view key : {"reportingInstance", "action", "reason"}) {
        const std::string value = stringAt(object, {key});
        if (value.empty()) {
            causes.push_back(field::required(FieldPath(std::string(key))));
        } else if (value.size() > 128) {
            causes.push_back(
                field::invalid(FieldPath(std::string(key)), "", "can have at most 128 characters"));
        }
    }
    if (stringAt(object, {"note"}).size() > 1024) {
        causes.push_back(field::invalid(FieldPath("note"), "", "can have at most 1024 characters"));
    }
    if (has(object, {"deprecatedFirstTimestamp"})) {
        causes.push_back(
            field::invalid(FieldPath("deprecatedFirstTimestamp"), "", "needs to be unset"));
    }
    if (has(object, {"deprecatedLastTimestamp"})) {
        causes.push_back(
            field::invalid(FieldPath("deprecatedLastTimestamp"), "", "needs to be unset"));
    }
    return causes;
}

FieldCauses validateCustomResourceDefinition(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const std::string group = stringAt(spec, {"group"});
    const json& names = objectAt(spec, {"names"});
    const std::string plural = stringAt(names, {"plural"});
    const std::string name = stringAt(object, {"metadata", "name"});
    if (!name.empty() && name != plural + "." + group) {
        causes.push_back(field::invalid(FieldPath("metadata").child("name"), name,
                                        "must be spec.names.plural+\".\"+spec.group"));
    }
    if (group.empty()) {
        causes.push_back(field::required(path.child("group")));
    } else if (const auto errors = isDns1123Subdomain(group); !errors.empty()) {
        std::string joined;
        for (const auto& error : errors) {
            joined += (joined.empty() ? "" : ",") + error;
        }
        causes.push_back(field::invalid(path.child("group"), group, joined));
    } else if (group.find('.') == std::string::npos) {
        causes.push_back(
            field::invalid(path.child("group"), group, "should be a domain with at least one dot"));
    }
    const std::string scope = stringAt(spec, {"scope"});
    if (scope.empty()) {
        causes.push_back(field::required(path.child("scope")));
    } else if (scope != "Cluster" && scope != "Namespaced") {
        causes.push_back(
            field::notSupported(path.child("scope"), scope, {"Cluster", "Namespaced"}));
    }
    const json& versions = arrayAt(spec, {"versions"});
    const std::string renderedVersions =
        versions.empty() ? "[]apiextensions.CustomResourceDefinitionVersion(nil)"
                         : "[]apiextensions.CustomResourceDefinitionVersion{...}";
    int storage = 0;
    std::set<std::string> seen;
    bool unique = true;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const FieldPath at = path.child("versions").index(i);
        const std::string version = stringAt(versions[i], {"name"});
        if (boolAt(versions[i], {"storage"})) {
            ++storage;
        }
        unique = seen.insert(version).second && unique;
        if (const auto errors = isDns1035Label(version); !errors.empty()) {
            std::string joined;
            for (const auto& error : errors) {
                joined += (joined.empty() ? "" : ",") + error;
            }
            causes.push_back(field::invalid(at.child("name"), version, joined));
        }
        if (!has(versions[i], {"schema", "openAPIV3Schema"})) {
            causes.push_back(field::required(at.child("schema").child("openAPIV3Schema"),
                                             "schemas are required"));
        }
    }
    if (!unique) {
        causes.push_back(field::invalidRendered(path.child("versions"), renderedVersions,
                                                "must contain unique version names"));
    }
    if (storage != 1) {
        causes.push_back(field::invalidRendered(path.child("versions"), renderedVersions,
                                                "must have exactly one version marked as storage "
                                                "version"));
    }
    const FieldPath namesPath = path.child("names");
    for (const std::string_view key : {"plural", "singular", "kind", "listKind"}) {
        if (stringAt(names, {key}).empty()) {
            causes.push_back(field::required(namesPath.child(key)));
        }
    }
    const auto joinedDns1035 = [](const std::string& value) {
        std::string joined;
        for (const auto& error : isDns1035Label(value)) {
            joined += (joined.empty() ? "" : ",") + error;
        }
        return joined;
    };
    for (const std::string_view key : {"plural", "singular"}) {
        const std::string value = stringAt(names, {key});
        if (const std::string errors = joinedDns1035(value); !value.empty() && !errors.empty()) {
            causes.push_back(field::invalid(namesPath.child(key), value, errors));
        }
    }
    for (const std::string_view key : {"kind", "listKind"}) {
        const std::string value = stringAt(names, {key});
        std::string lower = value;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        if (!value.empty() && lower == value) {
            causes.push_back(
                field::invalid(namesPath.child(key), value,
                               "may have mixed case, but should otherwise match: "
                               "k8s.io/apimachinery/pkg/util/validation.IsDNS1035Label"));
        } else if (const std::string errors = joinedDns1035(lower);
                   !value.empty() && !errors.empty()) {
            causes.push_back(field::invalid(namesPath.child(key), value, errors));
        }
    }
    const json& shortNames = arrayAt(names, {"shortNames"});
    for (std::size_t i = 0; i < shortNames.size(); ++i) {
        const std::string value = asString(shortNames[i]);
        if (const std::string errors = joinedDns1035(value); !errors.empty()) {
            causes.push_back(field::invalid(namesPath.child("shortNames").index(i), value, errors));
        }
    }
    if (!stringAt(names, {"kind"}).empty() &&
        stringAt(names, {"kind"}) == stringAt(names, {"listKind"})) {
        causes.push_back(field::invalid(namesPath.child("listKind"), stringAt(names, {"listKind"}),
                                        "kind and listKind may not be the same"));
    }
    if (old != nullptr) {
        append(causes,
               validateImmutable(scope, stringAt(*old, {"spec", "scope"}), path.child("scope")));
    }
    return causes;
}

}  // namespace slipway::api::detail
