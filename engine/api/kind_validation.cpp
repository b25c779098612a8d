// SPDX-License-Identifier: Apache-2.0
#include "engine/api/kind_validation.h"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/api/json_fields.h"
#include "engine/core/label_selector.h"

namespace slipway::api {
namespace detail {

namespace {
constexpr std::int64_t kTotalAnnotationSizeLimit = 256 * 1024;
}  // namespace

void append(FieldCauses& causes, FieldCauses more) {
    causes.insert(causes.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
}

void checkNonnegative(FieldCauses& causes, const json& object, std::string_view key,
                      const FieldPath& path) {
    if (const auto value = optionalIntAt(object, {key}); value && *value < 0) {
        causes.push_back(
            field::invalid(path.child(key), *value, "must be greater than or equal to 0"));
    }
}

FieldCauses validateAnnotations(const json& annotations, const FieldPath& path) {
    FieldCauses causes;
    if (!annotations.is_object()) {
        return causes;
    }
    std::int64_t total = 0;
    for (const auto& [key, value] : annotations.items()) {
        // Annotation keys are qualified names, whatever their case.
        std::string lower = key;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        for (const auto& message : isQualifiedName(lower)) {
            causes.push_back(field::invalid(path, key, message));
        }
        total += static_cast<std::int64_t>(key.size() + asString(value).size());
    }
    if (total > kTotalAnnotationSizeLimit) {
        causes.push_back(field::tooLong(path, kTotalAnnotationSizeLimit));
    }
    return causes;
}

FieldCauses validatePortNumOrName(const json& port, const FieldPath& path) {
    FieldCauses causes;
    if (const auto number = asInt(port)) {
        for (const auto& message : isValidPortNum(*number)) {
            causes.push_back(field::invalid(path, *number, message));
        }
    } else if (port.is_string()) {
        for (const auto& message : isValidPortName(port.get_ref<const std::string&>())) {
            causes.push_back(field::invalid(path, port, message));
        }
    } else {
        causes.push_back(field::invalid(path, port, "must be a port number or name"));
    }
    return causes;
}

FieldCauses validatePositiveIntOrPercent(const json& value, const FieldPath& path) {
    FieldCauses causes;
    if (value.is_string()) {
        for (const auto& message : isValidPercent(value.get_ref<const std::string&>())) {
            causes.push_back(field::invalidRendered(path, goIntOrString(value), message));
        }
    } else if (const auto number = asInt(value); number && *number < 0) {
        causes.push_back(field::invalid(path, *number, "must be greater than or equal to 0"));
    }
    return causes;
}

std::int64_t intOrPercentValue(const json& value) {
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (isValidPercent(text).empty()) {
            return std::stoll(text.substr(0, text.size() - 1));
        }
        return 0;
    }
    return asInt(value).value_or(0);
}

FieldCauses validateNotMoreThan100Percent(const json& value, const FieldPath& path) {
    FieldCauses causes;
    if (value.is_string() && isValidPercent(value.get_ref<const std::string&>()).empty() &&
        intOrPercentValue(value) > 100) {
        causes.push_back(
            field::invalidRendered(path, goIntOrString(value), "must not be greater than 100%"));
    }
    return causes;
}

FieldCauses validateDns1123Label(std::string_view value, const FieldPath& path) {
    FieldCauses causes;
    for (const auto& message : isDns1123Label(value)) {
        causes.push_back(field::invalid(path, std::string(value), message));
    }
    return causes;
}

FieldCauses validateDns1123Subdomain(std::string_view value, const FieldPath& path) {
    FieldCauses causes;
    for (const auto& message : isDns1123Subdomain(value)) {
        causes.push_back(field::invalid(path, std::string(value), message));
    }
    return causes;
}

FieldCauses validateImmutable(const json& now, const json& then, const FieldPath& path,
                              const std::string& rendered) {
    if (now == then) {
        return {};
    }
    return {field::invalidRendered(path, rendered.empty() ? goValue(now) : rendered,
                                   "field is immutable")};
}

std::string goStringMap(const json* map) {
    if (map == nullptr || map->is_null()) {
        return "map[string]string(nil)";
    }
    if (map->is_object() && map->empty()) {
        return "map[string]string{}";
    }
    return goValue(*map);
}

namespace {

std::string goStringSlice(const json* list) {
    if (list == nullptr || !list->is_array()) {
        return "[]string(nil)";
    }
    return goValue(*list);
}

}  // namespace

std::string goLabelSelector(const json& selector, bool pointer) {
    std::string out = pointer ? "&v1.LabelSelector{MatchLabels:" : "v1.LabelSelector{MatchLabels:";
    out += goStringMap(member(selector, "matchLabels"));
    out += ", MatchExpressions:";
    const json* expressions = member(selector, "matchExpressions");
    if (expressions == nullptr || !expressions->is_array()) {
        out += "[]v1.LabelSelectorRequirement(nil)";
    } else {
        out += "[]v1.LabelSelectorRequirement{";
        bool first = true;
        for (const auto& expression : *expressions) {
            if (!first) {
                out += ", ";
            }
            first = false;
            out += "v1.LabelSelectorRequirement{Key:" + goQuote(stringAt(expression, {"key"})) +
                   ", Operator:" + goQuote(stringAt(expression, {"operator"})) +
                   ", Values:" + goStringSlice(member(expression, "values")) + "}";
        }
        out += "}";
    }
    return out + "}";
}

std::string goIntOrString(const json& value) {
    if (value.is_string()) {
        return "intstr.IntOrString{Type:1, IntVal:0, StrVal:" +
               goQuote(value.get_ref<const std::string&>()) + "}";
    }
    return "intstr.IntOrString{Type:0, IntVal:" + std::to_string(asInt(value).value_or(0)) +
           ", StrVal:\"\"}";
}

bool selectorMatches(const json* selector, const json& labels, bool* valid) {
    auto parsed = core::LabelSelector::fromJson(selector != nullptr ? *selector : json());
    if (valid != nullptr) {
        *valid = parsed.ok();
    }
    if (!parsed) {
        return false;
    }
    return parsed->matches(labels.is_object() ? labels : json::object());
}

bool selectorEmpty(const json& selector) {
    return arrayAt(selector, {"matchExpressions"}).empty() &&
           objectAt(selector, {"matchLabels"}).empty();
}

FieldCauses validatePodTemplate(const json& object, const json* /*old*/) {
    return validatePodTemplateSpec(objectAt(object, {"template"}), FieldPath("template"));
}

FieldCauses validateServiceAccount(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const json& secrets = arrayAt(object, {"secrets"});
    for (std::size_t i = 0; i < secrets.size(); ++i) {
        if (stringAt(secrets[i], {"name"}).empty()) {
            causes.push_back(field::required(FieldPath("secrets").index(i).child("name")));
        }
    }
    return causes;
}

}  // namespace detail

std::function<FieldCauses(const nlohmann::json& object, const nlohmann::json* old)>
builtinValidator(std::string_view group, std::string_view kind) {
    using Validator = FieldCauses (*)(const nlohmann::json&, const nlohmann::json*);
    static const std::map<std::pair<std::string_view, std::string_view>, Validator> kValidators = {
        {{"", "Pod"}, &detail::validatePod},
        {{"", "PodTemplate"}, &detail::validatePodTemplate},
        {{"", "Service"}, &detail::validateService},
        {{"", "Endpoints"}, &detail::validateEndpoints},
        {{"", "ConfigMap"}, &detail::validateConfigMap},
        {{"", "Secret"}, &detail::validateSecret},
        {{"", "Namespace"}, &detail::validateNamespace},
        {{"", "Node"}, &detail::validateNode},
        {{"", "PersistentVolume"}, &detail::validatePersistentVolume},
        {{"", "PersistentVolumeClaim"}, &detail::validatePersistentVolumeClaim},
        {{"", "ServiceAccount"}, &detail::validateServiceAccount},
        {{"", "LimitRange"}, &detail::validateLimitRange},
        {{"", "ResourceQuota"}, &detail::validateResourceQuota},
        {{"", "Event"}, &detail::validateEvent},
        {{"", "ReplicationController"}, &detail::validateReplicationController},
        {{"apps", "Deployment"}, &detail::validateDeployment},
        {{"apps", "ReplicaSet"}, &detail::validateReplicaSet},
        {{"apps", "StatefulSet"}, &detail::validateStatefulSet},
        {{"apps", "DaemonSet"}, &detail::validateDaemonSet},
        {{"apps", "ControllerRevision"}, &detail::validateControllerRevision},
        {{"batch", "Job"}, &detail::validateJob},
        {{"batch", "CronJob"}, &detail::validateCronJob},
        {{"networking.k8s.io", "Ingress"}, &detail::validateIngress},
        {{"networking.k8s.io", "IngressClass"}, &detail::validateIngressClass},
        {{"networking.k8s.io", "NetworkPolicy"}, &detail::validateNetworkPolicy},
        {{"discovery.k8s.io", "EndpointSlice"}, &detail::validateEndpointSlice},
        {{"rbac.authorization.k8s.io", "Role"}, &detail::validateRole},
        {{"rbac.authorization.k8s.io", "ClusterRole"}, &detail::validateClusterRole},
        {{"rbac.authorization.k8s.io", "RoleBinding"}, &detail::validateRoleBinding},
        {{"rbac.authorization.k8s.io", "ClusterRoleBinding"}, &detail::validateClusterRoleBinding},
        {{"storage.k8s.io", "StorageClass"}, &detail::validateStorageClass},
        {{"scheduling.k8s.io", "PriorityClass"}, &detail::validatePriorityClass},
        {{"policy", "PodDisruptionBudget"}, &detail::validatePodDisruptionBudget},
        {{"autoscaling", "HorizontalPodAutoscaler"}, &detail::validateHorizontalPodAutoscaler},
        {{"coordination.k8s.io", "Lease"}, &detail::validateLease},
        {{"events.k8s.io", "Event"}, &detail::validateEventsV1Event},
        {{"apiextensions.k8s.io", "CustomResourceDefinition"},
         &detail::validateCustomResourceDefinition},
    };
    const auto it = kValidators.find({group, kind});
    if (it == kValidators.end()) {
        return {};
    }
    return it->second;
}

}  // namespace slipway::api
