// SPDX-License-Identifier: Apache-2.0
#include "engine/api/defaulting.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "engine/api/json_fields.h"
#include "engine/api/volume_sources.h"
#include "engine/core/quantity.h"

namespace slipway::api {

using detail::ensureObject;
using detail::member;
using detail::setDefault;
using nlohmann::json;

namespace {

constexpr int kDefaultMode = 420;  // 0644, the mode of projected files
constexpr int kDefaultTolerationSeconds = 300;

bool isEmptyString(const json& parent, std::string_view key) {
    return detail::unsetOrEmpty(parent, key);
}

void setIfEmpty(json& parent, std::string_view key, const json& value) {
    if (!parent.is_object()) {
        return;
    }
    if (isEmptyString(parent, key)) {
        parent[std::string(key)] = value;
    }
}

template <typename Fn>
void forEachObject(json& parent, std::string_view key, Fn&& fn) {
    json* list = member(parent, key);
    if (list == nullptr || !list->is_array()) {
        return;
    }
    for (auto& element : *list) {
        if (element.is_object()) {
            fn(element);
        }
    }
}

json* childObject(json& parent, std::string_view key) {
    json* child = member(parent, key);
    return child != nullptr && child->is_object() ? child : nullptr;
}

// SetDefaults_ResourceList: values finer than a thousandth are rounded up to one ("0.5m" → "1m").
void defaultResourceList(json& parent, std::string_view key) {
    json* list = childObject(parent, key);
    if (list == nullptr) {
        return;
    }
    for (auto& [name, value] : list->items()) {
        auto quantity = core::Quantity::fromJson(value);
        if (!quantity) {
            continue;  // validation reports it
        }
        const auto rounded = core::Quantity::fromMilli(quantity->milliValue(), quantity->format());
        if (rounded != *quantity) {
            value = rounded.toJson();
        }
    }
}

void defaultHttpGet(json& handler) {
    if (json* httpGet = childObject(handler, "httpGet")) {
        setIfEmpty(*httpGet, "path", "/");
        setIfEmpty(*httpGet, "scheme", "HTTP");
    }
    if (json* grpc = childObject(handler, "grpc")) {
        setDefault(*grpc, "service", "");
    }
}

void defaultProbe(json& container, std::string_view key) {
    json* probe = childObject(container, key);
    if (probe == nullptr) {
        return;
    }
    // SetDefaults_Probe: a zero counts as unset.
    for (const auto& [field, value] : {std::pair<const char*, int>{"timeoutSeconds", 1},
                                       {"periodSeconds", 10},
                                       {"successThreshold", 1},
                                       {"failureThreshold", 3}}) {
        const json* current = member(*probe, field);
        if (current == nullptr || current->is_null() || detail::asInt(*current) == 0) {
            (*probe)[field] = value;
        }
    }
    defaultHttpGet(*probe);
}

void defaultFieldRef(json& holder) {
    if (json* fieldRef = childObject(holder, "fieldRef")) {
        setIfEmpty(*fieldRef, "apiVersion", "v1");
    }
    if (json* resourceFieldRef = childObject(holder, "resourceFieldRef")) {
        // A zero Quantity serialises as "0": kube-apiserver always shows the divisor.
        setDefault(*resourceFieldRef, "divisor", "0");
    }
}

void defaultContainer(json& container) {
    if (isEmptyString(container, "imagePullPolicy")) {
        container["imagePullPolicy"] =
            defaultImagePullPolicy(detail::stringAt(container, {"image"}));
    }
    setIfEmpty(container, "terminationMessagePath", "/dev/termination-log");
    setIfEmpty(container, "terminationMessagePolicy", "File");
    forEachObject(container, "ports", [](json& port) { setIfEmpty(port, "protocol", "TCP"); });
    forEachObject(container, "env", [](json& variable) {
        if (json* valueFrom = childObject(variable, "valueFrom")) {
            defaultFieldRef(*valueFrom);
        }
    });
    // ResourceRequirements is a struct: Kubernetes always serialises it, as {} when empty.
    json& resources = ensureObject(container, "resources");
    defaultResourceList(resources, "limits");
    defaultResourceList(resources, "requests");
    for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
        defaultProbe(container, probe);
    }
    if (json* lifecycle = childObject(container, "lifecycle")) {
        for (const char* hook : {"postStart", "preStop"}) {
            if (json* handler = childObject(*lifecycle, hook)) {
                defaultHttpGet(*handler);
            }
        }
    }
}

void defaultPersistentVolumeClaimSpec(json& spec) {
    setDefault(spec, "volumeMode", "Filesystem");
    if (json* resources = childObject(spec, "resources")) {
        defaultResourceList(*resources, "requests");
        defaultResourceList(*resources, "limits");
    }
}

void defaultVolume(json& volume) {
    const bool anySource =
        std::any_of(std::begin(kVolumeSources), std::end(kVolumeSources),
                    [&](std::string_view key) { return detail::has(volume, {key}); });
    // SetDefaults_Volume: a volume naming no source is an emptyDir.
    if (!anySource) {
        volume["emptyDir"] = json::object();
    }
    for (const char* source : {"secret", "configMap", "downwardAPI", "projected"}) {
        if (json* value = childObject(volume, source)) {
            setDefault(*value, "defaultMode", kDefaultMode);
        }
    }
    if (json* downward = childObject(volume, "downwardAPI")) {
        forEachObject(*downward, "items", [](json& item) { defaultFieldRef(item); });
    }
    if (json* projected = childObject(volume, "projected")) {
        forEachObject(*projected, "sources", [](json& source) {
            if (json* token = childObject(source, "serviceAccountToken")) {
                setDefault(*token, "expirationSeconds", 3600);
            }
            if (json* downward = childObject(source, "downwardAPI")) {
                forEachObject(*downward, "items", [](json& item) { defaultFieldRef(item); });
            }
        });
    }
    if (json* hostPath = childObject(volume, "hostPath")) {
        setDefault(*hostPath, "type", "");
    }
    if (json* iscsi = childObject(volume, "iscsi")) {
        setIfEmpty(*iscsi, "iscsiInterface", "default");
    }
    if (json* rbd = childObject(volume, "rbd")) {
        setIfEmpty(*rbd, "pool", "rbd");
        setIfEmpty(*rbd, "user", "admin");
        setIfEmpty(*rbd, "keyring", "/etc/ceph/keyring");
    }
    if (json* ephemeral = childObject(volume, "ephemeral")) {
        if (json* claimTemplate = childObject(*ephemeral, "volumeClaimTemplate")) {
            if (json* spec = childObject(*claimTemplate, "spec")) {
                defaultPersistentVolumeClaimSpec(*spec);
            }
        }
    }
}

// The ServiceAccount admission plugin and the v1 conversion: serviceAccount (deprecated) mirrors
// serviceAccountName.
void mirrorServiceAccount(json& spec, bool defaultName) {
    if (isEmptyString(spec, "serviceAccountName") && !isEmptyString(spec, "serviceAccount")) {
        spec["serviceAccountName"] = spec["serviceAccount"];
    }
    if (defaultName) {
        setIfEmpty(spec, "serviceAccountName", "default");
    }
    if (!isEmptyString(spec, "serviceAccountName")) {
        spec["serviceAccount"] = spec["serviceAccountName"];
    }
}

void defaultPod(json& pod) {
    json& spec = ensureObject(pod, "spec");
    // SetDefaults_Pod: requests default to limits for resources with a limit only.
    for (const char* list : {"containers", "initContainers"}) {
        forEachObject(spec, list, [](json& container) {
            json* limits = member(container, "resources") != nullptr
                               ? childObject(container["resources"], "limits")
                               : nullptr;
            if (limits == nullptr) {
                return;
            }
            json& requests = ensureObject(container["resources"], "requests");
            for (const auto& [name, value] : limits->items()) {
                if (!requests.contains(name)) {
                    requests[name] = value;
                }
            }
        });
    }
    setDefault(spec, "enableServiceLinks", true);
    if (detail::boolAt(spec, {"hostNetwork"})) {
        for (const char* list : {"containers", "initContainers"}) {
            forEachObject(spec, list, [](json& container) {
                forEachObject(container, "ports", [](json& port) {
                    if (detail::intAt(port, {"hostPort"}) == 0 && port.contains("containerPort")) {
                        port["hostPort"] = port["containerPort"];
                    }
                });
            });
        }
    }
    defaultPodSpec(spec);
    forEachObject(spec, "ephemeralContainers",
                  [](json& container) { defaultContainer(container); });
    mirrorServiceAccount(spec, true);

    // Priority admission: no priorityClassName (and no global default class) means priority 0.
    if (isEmptyString(spec, "priorityClassName")) {
        setDefault(spec, "priority", 0);
    }
    setDefault(spec, "preemptionPolicy", "PreemptLowerPriority");

    // DefaultTolerationSeconds admission: tolerate not-ready and unreachable nodes for 300 s
    // unless the pod already tolerates those taints with NoExecute.
    json& tolerations = spec["tolerations"];
    if (!tolerations.is_array()) {
        tolerations = json::array();
    }
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
        const bool tolerated =
            std::any_of(tolerations.begin(), tolerations.end(), [&](const json& toleration) {
                const std::string effect = detail::stringAt(toleration, {"effect"});
                const std::string tolerationKey = detail::stringAt(toleration, {"key"});
                const std::string op = detail::stringAt(toleration, {"operator"});
                return (effect.empty() || effect == "NoExecute") &&
                       (tolerationKey == key || (tolerationKey.empty() && op == "Exists"));
            });
        if (!tolerated) {
            tolerations.push_back({{"key", key},
                                   {"operator", "Exists"},
                                   {"effect", "NoExecute"},
                                   {"tolerationSeconds", kDefaultTolerationSeconds}});
        }
    }
}

void defaultTemplateAt(json& parent, std::string_view key) {
    json* podTemplate = member(parent, key);
    if (podTemplate == nullptr || !podTemplate->is_object()) {
        return;
    }
    defaultPodTemplateSpec(*podTemplate);
}

void defaultDeployment(json& object) {
    json& spec = ensureObject(object, "spec");
    setDefault(spec, "replicas", 1);
    json& strategy = ensureObject(spec, "strategy");
    setIfEmpty(strategy, "type", "RollingUpdate");
    if (detail::stringAt(strategy, {"type"}) == "RollingUpdate") {
        json& rollingUpdate = ensureObject(strategy, "rollingUpdate");
        // 25%: 10 replicas roll with at most 13 pods and at least 8 available.
        setDefault(rollingUpdate, "maxUnavailable", "25%");
        setDefault(rollingUpdate, "maxSurge", "25%");
    }
    setDefault(spec, "revisionHistoryLimit", 10);
    setDefault(spec, "progressDeadlineSeconds", 600);
    defaultTemplateAt(spec, "template");
}

void defaultReplicaSet(json& object) {
    json& spec = ensureObject(object, "spec");
    setDefault(spec, "replicas", 1);
    defaultTemplateAt(spec, "template");
}

void defaultStatefulSet(json& object) {
    json& spec = ensureObject(object, "spec");
    setIfEmpty(spec, "podManagementPolicy", "OrderedReady");
    json& strategy = ensureObject(spec, "updateStrategy");
    if (isEmptyString(strategy, "type")) {
        strategy["type"] = "RollingUpdate";
        ensureObject(strategy, "rollingUpdate");
    }
    if (detail::stringAt(strategy, {"type"}) == "RollingUpdate") {
        if (json* rollingUpdate = childObject(strategy, "rollingUpdate")) {
            setDefault(*rollingUpdate, "partition", 0);
        }
    }
    json& retention = ensureObject(spec, "persistentVolumeClaimRetentionPolicy");
    setIfEmpty(retention, "whenDeleted", "Retain");
    setIfEmpty(retention, "whenScaled", "Retain");
    setDefault(spec, "replicas", 1);
    setDefault(spec, "revisionHistoryLimit", 10);
    defaultTemplateAt(spec, "template");
    forEachObject(spec, "volumeClaimTemplates", [](json& claim) {
        // Stored as full PersistentVolumeClaims, as kube-apiserver shows them.
        setDefault(claim, "apiVersion", "v1");
        setDefault(claim, "kind", "PersistentVolumeClaim");
        json& metadata = ensureObject(claim, "metadata");
        if (!metadata.contains("creationTimestamp")) {
            metadata["creationTimestamp"] = nullptr;
        }
        defaultPersistentVolumeClaimSpec(ensureObject(claim, "spec"));
        setIfEmpty(ensureObject(claim, "status"), "phase", "Pending");
    });
}

void defaultDaemonSet(json& object) {
    json& spec = ensureObject(object, "spec");
    json& strategy = ensureObject(spec, "updateStrategy");
    setIfEmpty(strategy, "type", "RollingUpdate");
    if (detail::stringAt(strategy, {"type"}) == "RollingUpdate") {
        json& rollingUpdate = ensureObject(strategy, "rollingUpdate");
        setDefault(rollingUpdate, "maxUnavailable", 1);
        setDefault(rollingUpdate, "maxSurge", 0);
    }
    setDefault(spec, "revisionHistoryLimit", 10);
    defaultTemplateAt(spec, "template");
}

void defaultReplicationController(json& object) {
    json& spec = ensureObject(object, "spec");
    const json& templateLabels = detail::objectAt(spec, {"template", "metadata", "labels"});
    if (!templateLabels.empty()) {
        if (detail::objectAt(spec, {"selector"}).empty()) {
            spec["selector"] = templateLabels;
        }
        if (detail::objectAt(object, {"metadata", "labels"}).empty()) {
            ensureObject(object, "metadata")["labels"] = templateLabels;
        }
    }
    setDefault(spec, "replicas", 1);
    defaultTemplateAt(spec, "template");
}

void defaultJobSpec(json& spec) {
    // A Job with neither completions nor parallelism runs one pod to completion.
    if (!detail::has(spec, {"completions"}) && !detail::has(spec, {"parallelism"})) {
        spec["completions"] = 1;
        spec["parallelism"] = 1;
    }
    setDefault(spec, "parallelism", 1);
    setDefault(spec, "backoffLimit", detail::has(spec, {"backoffLimitPerIndex"}) ? 2147483647 : 6);
    setDefault(spec, "completionMode", "NonIndexed");
    setDefault(spec, "suspend", false);
    if (json* failurePolicy = childObject(spec, "podFailurePolicy")) {
        forEachObject(*failurePolicy, "rules", [](json& rule) {
            forEachObject(rule, "onPodConditions",
                          [](json& condition) { setIfEmpty(condition, "status", "True"); });
        });
    }
    setDefault(spec, "podReplacementPolicy",
               detail::has(spec, {"podFailurePolicy"}) ? "Failed" : "TerminatingOrFailed");
}

void defaultJob(json& object) {
    json& spec = ensureObject(object, "spec");
    defaultJobSpec(spec);
    json& metadata = ensureObject(object, "metadata");
    const auto copyTemplateLabels = [&] {
        const json& labels = detail::objectAt(spec, {"template", "metadata", "labels"});
        if (!labels.empty() && detail::objectAt(metadata, {"labels"}).empty()) {
            metadata["labels"] = labels;
        }
    };
    // Decoding defaults the Job's labels from the template's as the user wrote them; the labels
    // generated below reach the Job's own labels the same way when it had none.
    copyTemplateLabels();

    const std::string uid = detail::stringAt(metadata, {"uid"});
    const std::string name = detail::stringAt(metadata, {"name"});
    if (!detail::boolAt(spec, {"manualSelector"}) && !uid.empty()) {
        json& podTemplate = ensureObject(spec, "template");
        json& labels = ensureObject(ensureObject(podTemplate, "metadata"), "labels");
        for (const char* key : {"batch.kubernetes.io/job-name", "job-name"}) {
            setDefault(labels, key, name);
        }
        for (const char* key : {"batch.kubernetes.io/controller-uid", "controller-uid"}) {
            setDefault(labels, key, uid);
        }
        json& selector = ensureObject(spec, "selector");
        setDefault(ensureObject(selector, "matchLabels"), "batch.kubernetes.io/controller-uid",
                   uid);
    }
    copyTemplateLabels();
    defaultTemplateAt(spec, "template");
}

void defaultCronJob(json& object) {
    json& spec = ensureObject(object, "spec");
    setIfEmpty(spec, "concurrencyPolicy", "Allow");
    setDefault(spec, "suspend", false);
    setDefault(spec, "successfulJobsHistoryLimit", 3);
    setDefault(spec, "failedJobsHistoryLimit", 1);
    json& jobTemplate = ensureObject(spec, "jobTemplate");
    if (!ensureObject(jobTemplate, "metadata").contains("creationTimestamp")) {
        jobTemplate["metadata"]["creationTimestamp"] = nullptr;
    }
    defaultTemplateAt(ensureObject(jobTemplate, "spec"), "template");
}

void defaultService(json& object) {
    json& spec = ensureObject(object, "spec");
    setIfEmpty(spec, "type", "ClusterIP");
    const std::string type = detail::stringAt(spec, {"type"});
    setIfEmpty(spec, "sessionAffinity", "None");
    const std::string affinity = detail::stringAt(spec, {"sessionAffinity"});
    if (affinity == "None") {
        spec.erase("sessionAffinityConfig");
    } else if (affinity == "ClientIP" &&
               !detail::has(spec, {"sessionAffinityConfig", "clientIP", "timeoutSeconds"})) {
        spec["sessionAffinityConfig"] = {{"clientIP", {{"timeoutSeconds", 10800}}}};
    }
    forEachObject(spec, "ports", [&](json& port) {
        setIfEmpty(port, "protocol", "TCP");
        const json* target = member(port, "targetPort");
        if (target == nullptr || target->is_null() || detail::asInt(*target) == 0 ||
            (target->is_string() && target->get_ref<const std::string&>().empty())) {
            if (port.contains("port")) {
                port["targetPort"] = port["port"];
            }
        }
        // Only NodePort and LoadBalancer services have node ports (dropTypeDependentFields).
        if (type != "NodePort" && type != "LoadBalancer") {
            port.erase("nodePort");
        }
    });
    const bool externallyAccessible =
        type == "NodePort" || type == "LoadBalancer" ||
        (type == "ClusterIP" && !detail::arrayAt(spec, {"externalIPs"}).empty());
    if (externallyAccessible) {
        setIfEmpty(spec, "externalTrafficPolicy", "Cluster");
    } else {
        spec.erase("externalTrafficPolicy");
    }
    if (type != "LoadBalancer") {
        spec.erase("healthCheckNodePort");
        spec.erase("allocateLoadBalancerNodePorts");
        spec.erase("loadBalancerClass");
    } else {
        setDefault(spec, "allocateLoadBalancerNodePorts", true);
    }
    if (type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP") {
        setDefault(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type != "ExternalName") {
        // One address family on Slipway's single-stack network. Headless services without a
        // selector default to RequireDualStack, as the allocator of kube-apiserver does.
        const bool headless = detail::stringAt(spec, {"clusterIP"}) == "None";
        const bool selectorless = detail::objectAt(spec, {"selector"}).empty();
        setDefault(spec, "ipFamilyPolicy",
                   headless && selectorless ? "RequireDualStack" : "SingleStack");
        if (detail::arrayAt(spec, {"ipFamilies"}).empty()) {
            spec["ipFamilies"] = json::array({"IPv4"});
        }
    }
    if (type == "LoadBalancer") {
        // IPMode of load-balancer ingress points defaults to VIP.
        if (json* status = childObject(object, "status")) {
            if (json* loadBalancer = childObject(*status, "loadBalancer")) {
                forEachObject(*loadBalancer, "ingress", [](json& ingress) {
                    if (!isEmptyString(ingress, "ip")) {
                        setDefault(ingress, "ipMode", "VIP");
                    }
                });
            }
        }
    }
    // ServiceStatus.LoadBalancer is a struct: always serialised.
    ensureObject(ensureObject(object, "status"), "loadBalancer");
}

void defaultNamespace(json& object) {
    json& metadata = ensureObject(object, "metadata");
    const std::string name = detail::stringAt(metadata, {"name"});
    if (!name.empty()) {
        ensureObject(metadata, "labels")["kubernetes.io/metadata.name"] = name;
    }
    if (!detail::has(metadata, {"deletionTimestamp"})) {
        json& spec = ensureObject(object, "spec");
        if (!detail::has(spec, {"finalizers"})) {
            spec["finalizers"] = json::array({"kubernetes"});
        }
    }
    setIfEmpty(ensureObject(object, "status"), "phase", "Active");
}

std::string base64Encode(const std::string& data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const auto n = (static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16) |
                       (static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8) |
                       static_cast<unsigned>(static_cast<unsigned char>(data[i + 2]));
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i < data.size()) {
        unsigned n = static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16;
        if (i + 1 < data.size()) {
            n |= static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8;
        }
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

void defaultSecret(json& object) {
    setIfEmpty(object, "type", "Opaque");
    // The v1 → internal conversion merges stringData into data (stringData wins) and the
    // stored object keeps data only.
    if (json* stringData = childObject(object, "stringData")) {
        json& data = ensureObject(object, "data");
        for (const auto& [key, value] : stringData->items()) {
            data[key] = base64Encode(detail::asString(value));
        }
    }
    object.erase("stringData");
}

void defaultNode(json& object) {
    json* status = childObject(object, "status");
    if (status == nullptr) {
        return;
    }
    defaultResourceList(*status, "capacity");
    if (!detail::has(*status, {"allocatable"}) && detail::has(*status, {"capacity"})) {
        (*status)["allocatable"] = (*status)["capacity"];
    }
}

void defaultPersistentVolume(json& object) {
    setIfEmpty(ensureObject(object, "status"), "phase", "Pending");
    json& spec = ensureObject(object, "spec");
    setIfEmpty(spec, "persistentVolumeReclaimPolicy", "Retain");
    setDefault(spec, "volumeMode", "Filesystem");
    defaultResourceList(spec, "capacity");
    if (json* hostPath = childObject(spec, "hostPath")) {
        setDefault(*hostPath, "type", "");
    }
}

void defaultPersistentVolumeClaim(json& object) {
    setIfEmpty(ensureObject(object, "status"), "phase", "Pending");
    defaultPersistentVolumeClaimSpec(ensureObject(object, "spec"));
}

void defaultEndpoints(json& object) {
    forEachObject(object, "subsets", [](json& subset) {
        forEachObject(subset, "ports", [](json& port) { setIfEmpty(port, "protocol", "TCP"); });
    });
}

void defaultEndpointSlice(json& object) {
    forEachObject(object, "ports", [](json& port) {
        setDefault(port, "name", "");
        setDefault(port, "protocol", "TCP");
    });
}

void defaultLimitRange(json& object) {
    json* spec = childObject(object, "spec");
    if (spec == nullptr) {
        return;
    }
    forEachObject(*spec, "limits", [](json& item) {
        for (const char* list :
             {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
            defaultResourceList(item, list);
        }
        if (detail::stringAt(item, {"type"}) != "Container") {
            return;
        }
        // A default limit comes from max; a default request from the default limit, else min.
        json& defaults = ensureObject(item, "default");
        json& defaultRequest = ensureObject(item, "defaultRequest");
        for (const auto& [name, value] : detail::objectAt(item, {"max"}).items()) {
            setDefault(defaults, name, value);
        }
        for (const auto& [name, value] : defaults.items()) {
            setDefault(defaultRequest, name, value);
        }
        for (const auto& [name, value] : detail::objectAt(item, {"min"}).items()) {
            setDefault(defaultRequest, name, value);
        }
    });
}

void defaultResourceQuota(json& object) {
    if (json* spec = childObject(object, "spec")) {
        defaultResourceList(*spec, "hard");
    }
}

void defaultPodTemplate(json& object) {
    defaultTemplateAt(object, "template");
}

void defaultHorizontalPodAutoscaler(json& object) {
    json& spec = ensureObject(object, "spec");
    setDefault(spec, "minReplicas", 1);
    if (detail::arrayAt(spec, {"metrics"}).empty()) {
        // An HPA without metrics scales on 80% CPU utilisation.
        spec["metrics"] =
            json::array({{{"type", "Resource"},
                          {"resource",
                           {{"name", "cpu"},
                            {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}});
    }
    json* behavior = childObject(spec, "behavior");
    if (behavior == nullptr) {
        return;
    }
    // Scale up by at most 4 pods or 100% every 15 s, whichever is more; scale down by 100%
    // every 15 s after a 5-minute stabilisation window.
    json& scaleUp = ensureObject(*behavior, "scaleUp");
    setDefault(scaleUp, "stabilizationWindowSeconds", 0);
    setIfEmpty(scaleUp, "selectPolicy", "Max");
    if (detail::arrayAt(scaleUp, {"policies"}).empty()) {
        scaleUp["policies"] =
            json::array({{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}},
                         {{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}});
    }
    json& scaleDown = ensureObject(*behavior, "scaleDown");
    setDefault(scaleDown, "stabilizationWindowSeconds", 300);
    setIfEmpty(scaleDown, "selectPolicy", "Max");
    if (detail::arrayAt(scaleDown, {"policies"}).empty()) {
        scaleDown["policies"] =
            json::array({{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}});
    }
}

void defaultNetworkPolicy(json& object) {
    json& spec = ensureObject(object, "spec");
    for (const char* direction : {"ingress", "egress"}) {
        forEachObject(spec, direction, [](json& rule) {
            forEachObject(rule, "ports", [](json& port) { setDefault(port, "protocol", "TCP"); });
        });
    }
    if (detail::arrayAt(spec, {"policyTypes"}).empty()) {
        json types = json::array({"Ingress"});
        if (!detail::arrayAt(spec, {"egress"}).empty()) {
            types.push_back("Egress");
        }
        spec["policyTypes"] = std::move(types);
    }
}

void defaultIngressClass(json& object) {
    if (json* spec = childObject(object, "spec")) {
        if (json* parameters = childObject(*spec, "parameters")) {
            setDefault(*parameters, "scope", "Cluster");
        }
    }
}

void defaultStorageClass(json& object) {
    setIfEmpty(object, "reclaimPolicy", "Delete");
    setIfEmpty(object, "volumeBindingMode", "Immediate");
}

void defaultBinding(json& object) {
    setIfEmpty(ensureObject(object, "roleRef"), "apiGroup", "rbac.authorization.k8s.io");
    forEachObject(object, "subjects", [](json& subject) {
        if (!detail::has(subject, {"apiGroup"})) {
            const std::string kind = detail::stringAt(subject, {"kind"});
            if (kind == "ServiceAccount") {
                subject["apiGroup"] = "";
            } else if (kind == "User" || kind == "Group") {
                subject["apiGroup"] = "rbac.authorization.k8s.io";
            }
        }
    });
}

void defaultPriorityClass(json& object) {
    setDefault(object, "preemptionPolicy", "PreemptLowerPriority");
}

void defaultCustomResourceDefinition(json& object) {
    json& spec = ensureObject(object, "spec");
    json& names = ensureObject(spec, "names");
    const std::string kind = detail::stringAt(names, {"kind"});
    if (isEmptyString(names, "singular")) {
        std::string lower = kind;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        names["singular"] = lower;
    }
    if (isEmptyString(names, "listKind") && !kind.empty()) {
        names["listKind"] = kind + "List";
    }
    setDefault(spec, "conversion", {{"strategy", "None"}});
    if (json* conversion = childObject(spec, "conversion")) {
        if (json* webhook = childObject(*conversion, "webhook")) {
            if (json* clientConfig = childObject(*webhook, "clientConfig")) {
                if (json* service = childObject(*clientConfig, "service")) {
                    setDefault(*service, "port", 443);
                }
            }
        }
    }
}

}  // namespace

std::string defaultImagePullPolicy(std::string_view image) {
    // parsers.ParseImageName: the tag follows the last ':' after the last '/'; a reference
    // with neither tag nor digest means ":latest"; an unparsable one has no tag.
    std::string_view reference = image;
    bool digest = false;
    if (const auto at = reference.find('@'); at != std::string_view::npos) {
        digest = true;
        reference = reference.substr(0, at);
    }
    const auto slash = reference.rfind('/');
    const auto colon = reference.rfind(':');
    std::string_view tag;
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        tag = reference.substr(colon + 1);
        reference = reference.substr(0, colon);
    }
    // Repository paths are lower case: "NGINX" does not parse, so it has no tag.
    const auto firstSlash = reference.find('/');
    const std::string_view firstPart = reference.substr(0, firstSlash);
    const bool hasDomain =
        firstSlash != std::string_view::npos &&
        (firstPart.find('.') != std::string_view::npos ||
         firstPart.find(':') != std::string_view::npos || firstPart == "localhost");
    const std::string_view path = hasDomain ? reference.substr(firstSlash + 1) : reference;
    const bool valid = !reference.empty() && std::none_of(path.begin(), path.end(), [](char c) {
        return c >= 'A' && c <= 'Z';
    });
    if (!valid) {
        return "IfNotPresent";
    }
    if (tag.empty() && !digest) {
        tag = "latest";
    }
    return tag == "latest" ? "Always" : "IfNotPresent";
}

void defaultPodSpec(json& spec) {
    if (!spec.is_object()) {
        return;
    }
    setIfEmpty(spec, "dnsPolicy", "ClusterFirst");
    setIfEmpty(spec, "restartPolicy", "Always");
    setDefault(spec, "securityContext", json::object());
    setDefault(spec, "terminationGracePeriodSeconds", 30);
    setIfEmpty(spec, "schedulerName", "default-scheduler");
    forEachObject(spec, "volumes", [](json& volume) { defaultVolume(volume); });
    forEachObject(spec, "initContainers", [](json& container) { defaultContainer(container); });
    forEachObject(spec, "containers", [](json& container) { defaultContainer(container); });
    defaultResourceList(spec, "overhead");
    mirrorServiceAccount(spec, false);
}

void defaultPodTemplateSpec(json& podTemplate) {
    if (!podTemplate.is_object()) {
        return;
    }
    // An embedded ObjectMeta serialises its zero creationTimestamp as null.
    json& metadata = ensureObject(podTemplate, "metadata");
    if (!metadata.contains("creationTimestamp")) {
        metadata["creationTimestamp"] = nullptr;
    }
    defaultPodSpec(ensureObject(podTemplate, "spec"));
}

std::function<void(json& object)> builtinDefaulter(std::string_view group, std::string_view kind) {
    using Defaulter = void (*)(json&);
    static const std::map<std::pair<std::string_view, std::string_view>, Defaulter> kDefaulters = {
        {{"", "Pod"}, &defaultPod},
        {{"", "PodTemplate"}, &defaultPodTemplate},
        {{"", "ReplicationController"}, &defaultReplicationController},
        {{"", "Service"}, &defaultService},
        {{"", "Endpoints"}, &defaultEndpoints},
        {{"", "Secret"}, &defaultSecret},
        {{"", "Namespace"}, &defaultNamespace},
        {{"", "Node"}, &defaultNode},
        {{"", "PersistentVolume"}, &defaultPersistentVolume},
        {{"", "PersistentVolumeClaim"}, &defaultPersistentVolumeClaim},
        {{"", "LimitRange"}, &defaultLimitRange},
        {{"", "ResourceQuota"}, &defaultResourceQuota},
        {{"apps", "Deployment"}, &defaultDeployment},
        {{"apps", "ReplicaSet"}, &defaultReplicaSet},
        {{"apps", "StatefulSet"}, &defaultStatefulSet},
        {{"apps", "DaemonSet"}, &defaultDaemonSet},
        {{"batch", "Job"}, &defaultJob},
        {{"batch", "CronJob"}, &defaultCronJob},
        {{"autoscaling", "HorizontalPodAutoscaler"}, &defaultHorizontalPodAutoscaler},
        {{"networking.k8s.io", "NetworkPolicy"}, &defaultNetworkPolicy},
        {{"networking.k8s.io", "IngressClass"}, &defaultIngressClass},
        {{"discovery.k8s.io", "EndpointSlice"}, &defaultEndpointSlice},
        {{"rbac.authorization.k8s.io", "RoleBinding"}, &defaultBinding},
        {{"rbac.authorization.k8s.io", "ClusterRoleBinding"}, &defaultBinding},
        {{"storage.k8s.io", "StorageClass"}, &defaultStorageClass},
        {{"scheduling.k8s.io", "PriorityClass"}, &defaultPriorityClass},
        {{"apiextensions.k8s.io", "CustomResourceDefinition"}, &defaultCustomResourceDefinition},
    };
    const auto it = kDefaulters.find({group, kind});
    if (it == kDefaulters.end()) {
        return {};
    }
    const Defaulter defaulter = it->second;
    return [defaulter](json& object) {
        if (object.is_object()) {
            defaulter(object);
        }
    };
}

void applyDefaults(std::string_view group, std::string_view kind, json& object) {
    if (const auto defaulter = builtinDefaulter(group, kind)) {
        defaulter(object);
    }
}

}  // namespace slipway::api
