// SPDX-License-Identifier: Apache-2.0
// apps/v1 workloads and the core ReplicationController (pkg/apis/apps/validation and the RC part
// of pkg/apis/core/validation): selectors that match their template, restart policy Always,
// rollout strategies, immutable selectors.
#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"

namespace slipway::api::detail {
namespace {

// apimachinery's semantic equality treats a missing, null or empty map or list alike.
json normalizedSelector(const json* selector) {
    if (selector == nullptr || selector->is_null()) {
        return json();
    }
    json out = json::object();
    if (const json& labels = objectAt(*selector, {"matchLabels"}); !labels.empty()) {
        out["matchLabels"] = labels;
    }
    if (const json& expressions = arrayAt(*selector, {"matchExpressions"}); !expressions.empty()) {
        out["matchExpressions"] = expressions;
    }
    return out;
}

FieldCauses validateSelectorImmutable(const json& object, const json& old) {
    const json* selector = at(object, {"spec", "selector"});
    const json* oldSelector = at(old, {"spec", "selector"});
    if (normalizedSelector(selector) == normalizedSelector(oldSelector)) {
        return {};
    }
    return {field::invalidRendered(FieldPath("spec").child("selector"),
                                   selector != nullptr && !selector->is_null()
                                       ? goLabelSelector(*selector)
                                       : std::string("null"),
                                   "field is immutable")};
}

// spec.selector must exist, be valid and be non-empty. `what` names the kind in the message
// ("deployment": kube-apiserver reuses the Deployment wording for ReplicaSets).
void checkSelector(FieldCauses& causes, const json& spec, const FieldPath& path,
                   std::string_view what, bool required = true) {
    const json* selector = member(spec, "selector");
    if (selector == nullptr || selector->is_null()) {
        if (required) {
            causes.push_back(field::required(path.child("selector")));
        }
        return;
    }
    append(causes, validateLabelSelector(*selector, path.child("selector")));
    if (selectorEmpty(*selector)) {
        causes.push_back(
            field::invalidRendered(path.child("selector"), goLabelSelector(*selector),
                                   "empty selector is invalid for " + std::string(what)));
    }
}

// The selector-matches-template check of ValidatePodTemplateSpecForReplicaSet & co.: an empty
// selector matches everything and is reported elsewhere; an absent one matches nothing.
void checkTemplateLabels(FieldCauses& causes, const json& spec, const FieldPath& path) {
    const json* selector = member(spec, "selector");
    if (selector != nullptr && selector->is_object() && selectorEmpty(*selector)) {
        return;
    }
    const json* labels = at(spec, {"template", "metadata", "labels"});
    bool valid = true;
    const bool matches =
        selectorMatches(selector, labels != nullptr ? *labels : json::object(), &valid);
    if (!valid && selector != nullptr && !selector->is_null()) {
        causes.push_back(field::invalidRendered(path.child("selector"), goLabelSelector(*selector),
                                                "invalid label selector"));
        return;
    }
    if (!matches) {
        causes.push_back(field::invalidRendered(
            path.child("template").child("metadata").child("labels"), goStringMap(labels),
            "`selector` does not match template `labels`"));
    }
}

// Restart policy Always and no activeDeadlineSeconds: controllers keep their pods running.
void checkLongRunningTemplate(FieldCauses& causes, const json& spec, const FieldPath& path,
                              std::string_view kind) {
    const FieldPath templateSpec = path.child("template").child("spec");
    const std::string restartPolicy = stringAt(spec, {"template", "spec", "restartPolicy"});
    if (restartPolicy != "Always") {
        causes.push_back(
            field::notSupported(templateSpec.child("restartPolicy"), restartPolicy, {"Always"}));
    }
    if (has(spec, {"template", "spec", "activeDeadlineSeconds"})) {
        causes.push_back(field::forbidden(
            templateSpec.child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in " + std::string(kind) + " is not Supported"));
    }
}

FieldCauses validateDeploymentStrategy(const json& spec, const FieldPath& path) {
    FieldCauses causes;
    const json& strategy = objectAt(spec, {"strategy"});
    const std::string type = stringAt(strategy, {"type"});
    const json* rollingUpdate = member(strategy, "rollingUpdate");
    const bool hasRollingUpdate = rollingUpdate != nullptr && !rollingUpdate->is_null();
    if (type == "Recreate") {
        if (hasRollingUpdate) {
            causes.push_back(
                field::forbidden(path.child("rollingUpdate"),
                                 "may not be specified when strategy `type` is 'Recreate'"));
        }
    } else if (type == "RollingUpdate") {
        if (!hasRollingUpdate) {
            causes.push_back(field::required(path.child("rollingUpdate"),
                                             "this should be defaulted and never be nil"));
            return causes;
        }
        const FieldPath at = path.child("rollingUpdate");
        const json maxUnavailable = member(*rollingUpdate, "maxUnavailable")
                                        ? *member(*rollingUpdate, "maxUnavailable")
                                        : json(0);
        const json maxSurge =
            member(*rollingUpdate, "maxSurge") ? *member(*rollingUpdate, "maxSurge") : json(0);
        append(causes, validatePositiveIntOrPercent(maxUnavailable, at.child("maxUnavailable")));
        append(causes, validatePositiveIntOrPercent(maxSurge, at.child("maxSurge")));
        if (intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0) {
            // 10 replicas with maxSurge 0 and maxUnavailable 0 could never replace a pod.
            causes.push_back(field::invalidRendered(at.child("maxUnavailable"),
                                                    goIntOrString(maxUnavailable),
                                                    "may not be 0 when `maxSurge` is 0"));
        }
        append(causes, validateNotMoreThan100Percent(maxUnavailable, at.child("maxUnavailable")));
    } else {
        causes.push_back(
            field::notSupported(path.child("type"), type, {"Recreate", "RollingUpdate"}));
    }
    return causes;
}

FieldCauses validateDaemonSetStrategy(const json& spec, const FieldPath& path) {
    FieldCauses causes;
    const json& strategy = objectAt(spec, {"updateStrategy"});
    const std::string type = stringAt(strategy, {"type"});
    if (type == "OnDelete") {
        return causes;
    }
    if (type != "RollingUpdate") {
        causes.push_back(
            field::notSupported(path.child("type"), type, {"RollingUpdate", "OnDelete"}));
        return causes;
    }
    const json* rollingUpdate = member(strategy, "rollingUpdate");
    if (rollingUpdate == nullptr || rollingUpdate->is_null()) {
        causes.push_back(field::required(path.child("rollingUpdate")));
        return causes;
    }
    const FieldPath at = path.child("rollingUpdate");
    const json maxUnavailable = member(*rollingUpdate, "maxUnavailable")
                                    ? *member(*rollingUpdate, "maxUnavailable")
                                    : json(0);
    const json maxSurge =
        member(*rollingUpdate, "maxSurge") ? *member(*rollingUpdate, "maxSurge") : json(0);
    append(causes, validatePositiveIntOrPercent(maxUnavailable, at.child("maxUnavailable")));
    append(causes, validatePositiveIntOrPercent(maxSurge, at.child("maxSurge")));
    append(causes, validateNotMoreThan100Percent(maxUnavailable, at.child("maxUnavailable")));
    append(causes, validateNotMoreThan100Percent(maxSurge, at.child("maxSurge")));
    const bool hasUnavailable = intOrPercentValue(maxUnavailable) != 0;
    const bool hasSurge = intOrPercentValue(maxSurge) != 0;
    if (hasUnavailable && hasSurge) {
        causes.push_back(field::invalidRendered(at.child("maxSurge"), goIntOrString(maxSurge),
                                                "may not be set when maxUnavailable is non-zero"));
    } else if (!hasUnavailable && !hasSurge) {
        causes.push_back(
            field::required(at.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
    }
    return causes;
}

}  // namespace

FieldCauses validateDeployment(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    checkNonnegative(causes, spec, "replicas", path);
    checkSelector(causes, spec, path, "deployment");
    checkTemplateLabels(causes, spec, path);
    append(causes, validatePodTemplateSpec(objectAt(spec, {"template"}), path.child("template")));
    checkLongRunningTemplate(causes, spec, path, "ReplicaSet");
    append(causes, validateDeploymentStrategy(spec, path.child("strategy")));
    checkNonnegative(causes, spec, "minReadySeconds", path);
    checkNonnegative(causes, spec, "revisionHistoryLimit", path);
    if (const auto deadline = optionalIntAt(spec, {"progressDeadlineSeconds"})) {
        checkNonnegative(causes, spec, "progressDeadlineSeconds", path);
        if (*deadline <= intAt(spec, {"minReadySeconds"})) {
            causes.push_back(field::invalid(path.child("progressDeadlineSeconds"), *deadline,
                                            "must be greater than minReadySeconds"));
        }
    }
    if (old != nullptr) {
        append(causes, validateSelectorImmutable(object, *old));
    }
    return causes;
}

FieldCauses validateReplicaSet(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    checkNonnegative(causes, spec, "replicas", path);
    checkNonnegative(causes, spec, "minReadySeconds", path);
    checkSelector(causes, spec, path, "deployment");
    checkTemplateLabels(causes, spec, path);
    append(causes, validatePodTemplateSpec(objectAt(spec, {"template"}), path.child("template")));
    checkLongRunningTemplate(causes, spec, path, "ReplicaSet");
    if (old != nullptr) {
        append(causes, validateSelectorImmutable(object, *old));
    }
    return causes;
}

FieldCauses validateStatefulSet(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const std::string policy = stringAt(spec, {"podManagementPolicy"});
    if (policy.empty()) {
        causes.push_back(field::required(path.child("podManagementPolicy")));
    } else if (policy != "OrderedReady" && policy != "Parallel") {
        causes.push_back(field::invalid(path.child("podManagementPolicy"), policy,
                                        "must be 'OrderedReady' or 'Parallel'"));
    }
    const json& strategy = objectAt(spec, {"updateStrategy"});
    const std::string type = stringAt(strategy, {"type"});
    const json* rollingUpdate = member(strategy, "rollingUpdate");
    const bool hasRollingUpdate = rollingUpdate != nullptr && !rollingUpdate->is_null();
    if (type.empty()) {
        causes.push_back(field::required(path.child("updateStrategy")));
    } else if (type == "OnDelete") {
        if (hasRollingUpdate) {
            causes.push_back(field::invalid(path.child("updateStrategy").child("rollingUpdate"),
                                            *rollingUpdate,
                                            "only allowed for updateStrategy 'RollingUpdate'"));
        }
    } else if (type == "RollingUpdate") {
        if (hasRollingUpdate) {
            const FieldPath at = path.child("updateStrategy").child("rollingUpdate");
            checkNonnegative(causes, *rollingUpdate, "partition", at);
            if (const json* maxUnavailable = member(*rollingUpdate, "maxUnavailable")) {
                append(causes,
                       validatePositiveIntOrPercent(*maxUnavailable, at.child("maxUnavailable")));
                if (intOrPercentValue(*maxUnavailable) == 0) {
                    causes.push_back(field::invalidRendered(at.child("maxUnavailable"),
                                                            goIntOrString(*maxUnavailable),
                                                            "must be greater than 0"));
                }
                append(causes,
                       validateNotMoreThan100Percent(*maxUnavailable, at.child("maxUnavailable")));
            }
        }
    } else {
        causes.push_back(field::invalid(path.child("updateStrategy"), strategy,
                                        "must be 'RollingUpdate' or 'OnDelete'"));
    }
    const json& retention = objectAt(spec, {"persistentVolumeClaimRetentionPolicy"});
    for (const std::string_view key : {"whenDeleted", "whenScaled"}) {
        const std::string value = stringAt(retention, {key});
        if (!value.empty() && value != "Retain" && value != "Delete") {
            causes.push_back(
                field::notSupported(path.child("persistentVolumeClaimRetentionPolicy").child(key),
                                    value, {"Retain", "Delete"}));
        }
    }
    checkNonnegative(causes, spec, "replicas", path);
    checkNonnegative(causes, spec, "minReadySeconds", path);
    checkSelector(causes, spec, path, "statefulset");
    checkTemplateLabels(causes, spec, path);
    // Volume mounts may name a volumeClaimTemplate as well as a volume.
    json podTemplate = objectAt(spec, {"template"});
    const json& claims = arrayAt(spec, {"volumeClaimTemplates"});
    if (!claims.empty() && podTemplate.is_object()) {
        json& volumes = ensureObject(podTemplate, "spec")["volumes"];
        if (!volumes.is_array()) {
            volumes = json::array();
        }
        for (const auto& claim : claims) {
            volumes.push_back({{"name", stringAt(claim, {"metadata", "name"})},
                               {"persistentVolumeClaim",
                                {{"claimName", stringAt(claim, {"metadata", "name"})}}}});
        }
    }
    append(causes, validatePodTemplateSpec(podTemplate, path.child("template")));
    checkLongRunningTemplate(causes, spec, path, "StatefulSet");
    if (old != nullptr) {
        const json& oldSpec = objectAt(*old, {"spec"});
        json comparable = spec;
        for (const char* key :
             {"replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
              "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy"}) {
            if (const json* value = member(oldSpec, key)) {
                comparable[key] = *value;
            } else {
                comparable.erase(key);
            }
        }
        json oldComparable = oldSpec;
        comparable["selector"] = normalizedSelector(member(comparable, "selector"));
        oldComparable["selector"] = normalizedSelector(member(oldSpec, "selector"));
        if (comparable != oldComparable) {
            causes.push_back(field::forbidden(
                path,
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                "'template', 'updateStrategy', 'revisionHistoryLimit', "
                "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
                "forbidden"));
        }
    }
    return causes;
}

FieldCauses validateDaemonSet(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    checkSelector(causes, spec, path, "daemonset");
    checkTemplateLabels(causes, spec, path);
    append(causes, validatePodTemplateSpec(objectAt(spec, {"template"}), path.child("template")));
    checkLongRunningTemplate(causes, spec, path, "DaemonSet");
    checkNonnegative(causes, spec, "minReadySeconds", path);
    checkNonnegative(causes, spec, "templateGeneration", path);
    append(causes, validateDaemonSetStrategy(spec, path.child("updateStrategy")));
    checkNonnegative(causes, spec, "revisionHistoryLimit", path);
    if (old != nullptr) {
        append(causes, validateSelectorImmutable(object, *old));
    }
    return causes;
}

FieldCauses validateControllerRevision(const json& object, const json* old) {
    FieldCauses causes;
    if (!has(object, {"data"})) {
        causes.push_back(field::required(FieldPath("data"), "data is mandatory"));
    }
    checkNonnegative(causes, object, "revision", FieldPath());
    if (old != nullptr) {
        const json* data = member(object, "data");
        const json* oldData = member(*old, "data");
        append(causes,
               validateImmutable(data != nullptr ? *data : json(),
                                 oldData != nullptr ? *oldData : json(), FieldPath("data")));
    }
    return causes;
}

FieldCauses validateReplicationController(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    checkNonnegative(causes, spec, "minReadySeconds", path);
    const json& selector = objectAt(spec, {"selector"});
    if (selector.empty()) {
        causes.push_back(field::required(path.child("selector")));
    }
    if (!has(spec, {"replicas"})) {
        causes.push_back(field::required(path.child("replicas")));
    } else {
        checkNonnegative(causes, spec, "replicas", path);
    }
    const json* podTemplate = member(spec, "template");
    if (podTemplate == nullptr || podTemplate->is_null()) {
        causes.push_back(field::required(path.child("template")));
        return causes;
    }
    if (!selector.empty()) {
        const json& labels = objectAt(*podTemplate, {"metadata", "labels"});
        bool matches = true;
        for (const auto& [key, value] : selector.items()) {
            const json* label = member(labels, key);
            matches = matches && label != nullptr && *label == value;
        }
        if (!matches) {
            causes.push_back(
                field::invalidRendered(path.child("template").child("metadata").child("labels"),
                                       goStringMap(at(*podTemplate, {"metadata", "labels"})),
                                       "`selector` does not match template `labels`"));
        }
    }
    append(causes, validatePodTemplateSpec(*podTemplate, path.child("template")));
    checkLongRunningTemplate(causes, spec, path, "ReplicationController");
    return causes;
}

}  // namespace slipway::api::detail
