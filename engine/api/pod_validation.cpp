// SPDX-License-Identifier: Apache-2.0
// Pods and pod templates: the rules of pkg/apis/core/validation (ValidatePodSpec and friends) that
// a hand-written manifest can break. Field paths and messages are kube-apiserver 1.32's.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"
#include "engine/api/volume_sources.h"
#include "engine/core/quantity.h"

namespace slipway::api::detail {
namespace {

const std::vector<std::string> kProtocols = {"SCTP", "TCP", "UDP"};

bool isStandardContainerResource(std::string_view name) {
    return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
           name.substr(0, 10) == "hugepages-";
}

// Native resources live in the kubernetes.io domain (or have no domain); the others are
// extended resources, which may not be overcommitted and must be whole numbers.
bool isNativeResource(std::string_view name) {
    const auto slash = name.find('/');
    if (slash == std::string_view::npos) {
        return true;
    }
    const std::string_view domain = name.substr(0, slash);
    return domain == "kubernetes.io" ||
           (domain.size() > 14 && domain.substr(domain.size() - 14) == ".kubernetes.io");
}

bool isOvercommitAllowed(std::string_view name) {
    return isNativeResource(name) && name.substr(0, 10) != "hugepages-";
}

FieldCauses validateContainerResourceName(const std::string& name, const FieldPath& path) {
    FieldCauses causes;
    for (const auto& message : isQualifiedName(name)) {
        causes.push_back(field::invalid(path, name, message));
    }
    if (name.find('/') == std::string::npos) {
        if (!isStandardContainerResource(name)) {
            causes.push_back(
                field::invalid(path, name, "must be a standard resource for containers"));
        }
    } else if (!isNativeResource(name) &&
               (name.rfind("requests.", 0) == 0 || !isQualifiedName("requests." + name).empty())) {
        causes.push_back(
            field::invalid(path, name, "doesn't follow extended resource name standard"));
    }
    return causes;
}

std::optional<core::Quantity> quantityOf(const json& value, const FieldPath& path,
                                         FieldCauses& causes) {
    auto quantity = core::Quantity::fromJson(value);
    if (!quantity) {
        causes.push_back(field::invalid(path, value, quantity.error().message()));
        return std::nullopt;
    }
    if (quantity->sign() < 0) {
        causes.push_back(
            field::invalid(path, quantity->toString(), "must be greater than or equal to 0"));
    }
    return *quantity;
}

FieldCauses validateProbe(const json* probe, const FieldPath& path, bool successMustBeOne) {
    FieldCauses causes;
    if (probe == nullptr || probe->is_null()) {
        return causes;
    }
    int handlers = 0;
    for (const std::string_view handler : {"exec", "httpGet", "tcpSocket", "grpc"}) {
        const json* action = member(*probe, handler);
        if (action == nullptr || action->is_null()) {
            continue;
        }
        if (handlers > 0) {
            causes.push_back(
                field::forbidden(path.child(handler), "may not specify more than 1 handler type"));
            continue;
        }
        ++handlers;
        const FieldPath at = path.child(handler);
        if (handler == "exec") {
            if (arrayAt(*action, {"command"}).empty()) {
                causes.push_back(field::required(at.child("command")));
            }
        } else if (handler == "httpGet") {
            if (stringAt(*action, {"path"}).empty()) {
                causes.push_back(field::required(at.child("path")));
            }
            append(causes, validatePortNumOrName(
                               member(*action, "port") ? *member(*action, "port") : json(),
                               at.child("port")));
            const std::string scheme = stringAt(*action, {"scheme"});
            if (!scheme.empty() && scheme != "HTTP" && scheme != "HTTPS") {
                causes.push_back(
                    field::notSupported(at.child("scheme"), scheme, {"HTTP", "HTTPS"}));
            }
        } else if (handler == "tcpSocket") {
            append(causes, validatePortNumOrName(
                               member(*action, "port") ? *member(*action, "port") : json(),
                               at.child("port")));
        } else {
            const auto port = intAt(*action, {"port"});
            for (const auto& message : isValidPortNum(port)) {
                causes.push_back(field::invalid(at.child("port"), port, message));
            }
        }
    }
    if (handlers == 0) {
        causes.push_back(field::required(path, "must specify a handler type"));
    }
    for (const std::string_view key : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                                       "successThreshold", "failureThreshold"}) {
        checkNonnegative(causes, *probe, key, path);
    }
    if (successMustBeOne) {
        if (const auto success = optionalIntAt(*probe, {"successThreshold"});
            success && *success != 1) {
            causes.push_back(field::invalid(path.child("successThreshold"), *success, "must be 1"));
        }
    }
    return causes;
}

FieldCauses validateContainerPorts(const json& ports, const FieldPath& path) {
    FieldCauses causes;
    std::set<std::string> names;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const json& port = ports[i];
        const FieldPath at = path.index(i);
        const std::string name = stringAt(port, {"name"});
        if (!name.empty()) {
            const auto messages = isValidPortName(name);
            for (const auto& message : messages) {
                causes.push_back(field::invalid(at.child("name"), name, message));
            }
            if (messages.empty() && !names.insert(name).second) {
                causes.push_back(field::duplicate(at.child("name"), name));
            }
        }
        const auto containerPort = intAt(port, {"containerPort"});
        if (containerPort == 0) {
            causes.push_back(field::required(at.child("containerPort")));
        } else {
            for (const auto& message : isValidPortNum(containerPort)) {
                causes.push_back(field::invalid(at.child("containerPort"), containerPort, message));
            }
        }
        if (const auto hostPort = intAt(port, {"hostPort"}); hostPort != 0) {
            for (const auto& message : isValidPortNum(hostPort)) {
                causes.push_back(field::invalid(at.child("hostPort"), hostPort, message));
            }
        }
        const std::string protocol = stringAt(port, {"protocol"});
        if (protocol.empty()) {
            causes.push_back(field::required(at.child("protocol")));
        } else if (std::find(kProtocols.begin(), kProtocols.end(), protocol) == kProtocols.end()) {
            causes.push_back(field::notSupported(at.child("protocol"), protocol, kProtocols));
        }
    }
    return causes;
}

FieldCauses validateEnv(const json& env, const FieldPath& path) {
    FieldCauses causes;
    for (std::size_t i = 0; i < env.size(); ++i) {
        const json& variable = env[i];
        const FieldPath at = path.index(i);
        const std::string name = stringAt(variable, {"name"});
        if (name.empty()) {
            causes.push_back(field::required(at.child("name")));
        } else {
            for (const auto& message : isEnvVarName(name)) {
                causes.push_back(field::invalid(at.child("name"), name, message));
            }
        }
        const json* valueFrom = member(variable, "valueFrom");
        if (valueFrom == nullptr || valueFrom->is_null()) {
            continue;
        }
        const FieldPath from = at.child("valueFrom");
        int sources = 0;
        for (const std::string_view source :
             {"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"}) {
            const json* ref = member(*valueFrom, source);
            if (ref == nullptr || ref->is_null()) {
                continue;
            }
            ++sources;
            if (source == "fieldRef") {
                if (stringAt(*ref, {"fieldPath"}).empty()) {
                    causes.push_back(field::required(from.child(source).child("fieldPath")));
                }
            } else if (source == "resourceFieldRef") {
                if (stringAt(*ref, {"resource"}).empty()) {
                    causes.push_back(field::required(from.child(source).child("resource")));
                }
            } else {
                if (stringAt(*ref, {"key"}).empty()) {
                    causes.push_back(field::required(from.child(source).child("key")));
                } else {
                    for (const auto& message : isConfigMapKey(stringAt(*ref, {"key"}))) {
                        causes.push_back(field::invalid(from.child(source).child("key"),
                                                        stringAt(*ref, {"key"}), message));
                    }
                }
                if (stringAt(*ref, {"name"}).empty()) {
                    causes.push_back(field::required(from.child(source).child("name")));
                }
            }
        }
        if (sources == 0) {
            causes.push_back(field::invalid(from, "",
                                            "must specify one of: `fieldRef`, "
                                            "`resourceFieldRef`, `configMapKeyRef` or "
                                            "`secretKeyRef`"));
        } else if (sources > 1) {
            causes.push_back(field::invalid(from, "",
                                            "may not have more than one field specified at a "
                                            "time"));
        }
        if (!stringAt(variable, {"value"}).empty() && sources != 0) {
            causes.push_back(
                field::invalid(from, "", "may not be specified when `value` is not empty"));
        }
    }
    return causes;
}

FieldCauses validateVolumeMounts(const json& mounts, const std::set<std::string>& volumes,
                                 const FieldPath& path) {
    FieldCauses causes;
    std::set<std::string> mountPoints;
    for (std::size_t i = 0; i < mounts.size(); ++i) {
        const json& mount = mounts[i];
        const FieldPath at = path.index(i);
        const std::string name = stringAt(mount, {"name"});
        if (name.empty()) {
            causes.push_back(field::required(at.child("name")));
        }
        if (!volumes.contains(name)) {
            causes.push_back(field::notFound(at.child("name"), name));
        }
        const std::string mountPath = stringAt(mount, {"mountPath"});
        if (mountPath.empty()) {
            causes.push_back(field::required(at.child("mountPath")));
        }
        if (!mountPoints.insert(mountPath).second) {
            causes.push_back(field::invalid(at.child("mountPath"), mountPath, "must be unique"));
        }
        const std::string subPath = stringAt(mount, {"subPath"});
        if (!subPath.empty()) {
            if (subPath.front() == '/') {
                causes.push_back(
                    field::invalid(path.child("subPath"), subPath, "must be a relative path"));
            }
            if (subPath == ".." || subPath.substr(0, 3) == "../" ||
                subPath.find("/../") != std::string::npos ||
                (subPath.size() >= 3 && subPath.substr(subPath.size() - 3) == "/..")) {
                causes.push_back(
                    field::invalid(path.child("subPath"), subPath, "must not contain '..'"));
            }
        }
    }
    return causes;
}

enum class ContainerKind { Regular, Init, Ephemeral };

FieldCauses validateContainer(const json& container, const std::set<std::string>& volumes,
                              const FieldPath& at, ContainerKind kind) {
    FieldCauses causes;
    const std::string name = stringAt(container, {"name"});
    if (name.empty()) {
        causes.push_back(field::required(at.child("name")));
    } else {
        append(causes, validateDns1123Label(name, at.child("name")));
    }
    if (stringAt(container, {"image"}).empty()) {
        causes.push_back(field::required(at.child("image")));
    }
    const std::string messagePolicy = stringAt(container, {"terminationMessagePolicy"});
    if (messagePolicy.empty()) {
        causes.push_back(field::required(at.child("terminationMessagePolicy")));
    } else if (messagePolicy != "File" && messagePolicy != "FallbackToLogsOnError") {
        causes.push_back(field::notSupported(at.child("terminationMessagePolicy"), messagePolicy,
                                             {"File", "FallbackToLogsOnError"}));
    }
    append(causes, validateContainerPorts(arrayAt(container, {"ports"}), at.child("ports")));
    append(causes, validateEnv(arrayAt(container, {"env"}), at.child("env")));
    append(causes, validateVolumeMounts(arrayAt(container, {"volumeMounts"}), volumes,
                                        at.child("volumeMounts")));
    const std::string pullPolicy = stringAt(container, {"imagePullPolicy"});
    if (pullPolicy.empty()) {
        causes.push_back(field::required(at.child("imagePullPolicy")));
    } else if (pullPolicy != "Always" && pullPolicy != "IfNotPresent" && pullPolicy != "Never") {
        causes.push_back(field::notSupported(at.child("imagePullPolicy"), pullPolicy,
                                             {"Always", "IfNotPresent", "Never"}));
    }
    append(causes,
           validateResourceRequirements(objectAt(container, {"resources"}), at.child("resources")));
    const json* restartPolicy = member(container, "restartPolicy");
    const bool sidecar = restartPolicy != nullptr && restartPolicy->is_string() &&
                         restartPolicy->get_ref<const std::string&>() == "Always";
    if (kind == ContainerKind::Regular) {
        append(causes,
               validateProbe(member(container, "livenessProbe"), at.child("livenessProbe"), true));
        append(causes, validateProbe(member(container, "readinessProbe"),
                                     at.child("readinessProbe"), false));
        append(causes,
               validateProbe(member(container, "startupProbe"), at.child("startupProbe"), true));
        if (restartPolicy != nullptr && !restartPolicy->is_null()) {
            causes.push_back(field::forbidden(at.child("restartPolicy"),
                                              "may not be set for non-init containers"));
        }
    } else if (kind == ContainerKind::Init) {
        if (restartPolicy != nullptr && !restartPolicy->is_null() && !sidecar) {
            causes.push_back(
                field::notSupported(at.child("restartPolicy"), *restartPolicy, {"Always"}));
        }
        if (sidecar) {
            append(causes, validateProbe(member(container, "livenessProbe"),
                                         at.child("livenessProbe"), true));
            append(causes, validateProbe(member(container, "readinessProbe"),
                                         at.child("readinessProbe"), false));
            append(causes, validateProbe(member(container, "startupProbe"),
                                         at.child("startupProbe"), true));
        } else {
            for (const std::string_view probe :
                 {"livenessProbe", "readinessProbe", "startupProbe"}) {
                if (has(container, {probe})) {
                    causes.push_back(field::forbidden(at.child(probe),
                                                      "may not be set for init containers without "
                                                      "restartPolicy=Always"));
                }
            }
        }
    }
    return causes;
}

FieldCauses validateVolumes(const json& volumes, const FieldPath& path,
                            std::set<std::string>& names) {
    FieldCauses causes;
    for (std::size_t i = 0; i < volumes.size(); ++i) {
        const json& volume = volumes[i];
        const FieldPath at = path.index(i);
        FieldCauses own;
        int sources = 0;
        for (const std::string_view source : kVolumeSources) {
            const json* value = member(volume, source);
            if (value == nullptr || value->is_null()) {
                continue;
            }
            if (sources > 0) {
                own.push_back(
                    field::forbidden(at.child(source), "may not specify more than 1 volume type"));
                continue;
            }
            ++sources;
            const FieldPath sourcePath = at.child(source);
            if (source == "configMap" && stringAt(*value, {"name"}).empty()) {
                own.push_back(field::required(sourcePath.child("name")));
            } else if (source == "secret" && stringAt(*value, {"secretName"}).empty()) {
                own.push_back(field::required(sourcePath.child("secretName")));
            } else if (source == "persistentVolumeClaim" &&
                       stringAt(*value, {"claimName"}).empty()) {
                own.push_back(field::required(sourcePath.child("claimName")));
            } else if (source == "hostPath" && stringAt(*value, {"path"}).empty()) {
                own.push_back(field::required(sourcePath.child("path")));
            } else if (source == "nfs") {
                if (stringAt(*value, {"server"}).empty()) {
                    own.push_back(field::required(sourcePath.child("server")));
                }
                if (stringAt(*value, {"path"}).empty()) {
                    own.push_back(field::required(sourcePath.child("path")));
                }
            } else if (source == "emptyDir") {
                if (const json* medium = member(*value, "medium");
                    medium != nullptr && medium->is_string() && !medium->empty() &&
                    medium->get_ref<const std::string&>() != "Memory" &&
                    medium->get_ref<const std::string&>().substr(0, 9) != "HugePages") {
                    own.push_back(field::notSupported(sourcePath.child("medium"), *medium,
                                                      {"", "Memory", "HugePages"}));
                }
                if (const json* sizeLimit = member(*value, "sizeLimit")) {
                    quantityOf(*sizeLimit, sourcePath.child("sizeLimit"), own);
                }
            }
        }
        if (sources == 0) {
            own.push_back(field::required(at, "must specify a volume type"));
        }
        const std::string name = stringAt(volume, {"name"});
        if (name.empty()) {
            own.push_back(field::required(at.child("name")));
        } else {
            append(own, validateDns1123Label(name, at.child("name")));
        }
        if (names.contains(name)) {
            own.push_back(field::duplicate(at.child("name"), name));
        }
        if (own.empty()) {
            names.insert(name);
        }
        append(causes, std::move(own));
    }
    return causes;
}

FieldCauses validateTolerations(const json& tolerations, const FieldPath& path) {
    FieldCauses causes;
    for (std::size_t i = 0; i < tolerations.size(); ++i) {
        const json& toleration = tolerations[i];
        const FieldPath at = path.index(i);
        const std::string key = stringAt(toleration, {"key"});
        const std::string op = stringAt(toleration, {"operator"});
        const std::string effect = stringAt(toleration, {"effect"});
        const std::string value = stringAt(toleration, {"value"});
        if (!key.empty()) {
            for (const auto& message : isQualifiedName(key)) {
                causes.push_back(field::invalid(at.child("key"), key, message));
            }
        }
        if (key.empty() && op != "Exists") {
            causes.push_back(field::invalid(at.child("operator"), op,
                                            "operator must be Exists when `key` is empty, which "
                                            "means \"match all values and all keys\""));
        }
        if (has(toleration, {"tolerationSeconds"}) && effect != "NoExecute") {
            causes.push_back(field::invalid(at.child("effect"), effect,
                                            "effect must be 'NoExecute' when `tolerationSeconds` "
                                            "is set"));
        }
        if (op.empty() || op == "Equal") {
            const auto messages = isValidLabelValue(value);
            if (!messages.empty()) {
                std::string joined;
                for (const auto& message : messages) {
                    joined += (joined.empty() ? "" : ";") + message;
                }
                causes.push_back(field::invalid(at.child("operator"), value, joined));
            }
        } else if (op == "Exists") {
            if (!value.empty()) {
                causes.push_back(field::invalid(at.child("operator"), toleration,
                                                "value must be empty when `operator` is "
                                                "'Exists'"));
            }
        } else {
            causes.push_back(field::notSupported(at.child("operator"), op, {"Equal", "Exists"}));
        }
        if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" &&
            effect != "NoExecute") {
            causes.push_back(field::notSupported(at.child("effect"), effect,
                                                 {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
        }
    }
    return causes;
}

}  // namespace

FieldCauses validateResourceList(const json& list, const FieldPath& path) {
    FieldCauses causes;
    if (!list.is_object()) {
        return causes;
    }
    for (const auto& [name, value] : list.items()) {
        quantityOf(value, path.key(name), causes);
    }
    return causes;
}

FieldCauses validateResourceRequirements(const json& resources, const FieldPath& path) {
    FieldCauses causes;
    const FieldPath limitsPath = path.child("limits");
    const FieldPath requestsPath = path.child("requests");
    const json& limits = objectAt(resources, {"limits"});
    const json& requests = objectAt(resources, {"requests"});
    std::map<std::string, core::Quantity> limitValues;
    for (const auto& [name, value] : limits.items()) {
        const FieldPath at = limitsPath.key(name);
        append(causes, validateContainerResourceName(name, at));
        if (auto quantity = quantityOf(value, at, causes)) {
            if (!isNativeResource(name) && quantity->milliValue() % 1000 != 0) {
                causes.push_back(field::invalid(at, quantity->toString(), "must be an integer"));
            }
            limitValues.emplace(name, *quantity);
        }
    }
    for (const auto& [name, value] : requests.items()) {
        const FieldPath at = requestsPath.key(name);
        append(causes, validateContainerResourceName(name, at));
        auto quantity = quantityOf(value, at, causes);
        if (!quantity) {
            continue;
        }
        if (!isNativeResource(name) && quantity->milliValue() % 1000 != 0) {
            causes.push_back(field::invalid(at, quantity->toString(), "must be an integer"));
        }
        const auto limit = limitValues.find(name);
        if (limit != limitValues.end()) {
            // Resources that may not be overcommitted need requests equal to limits.
            if (*quantity != limit->second && !isOvercommitAllowed(name)) {
                causes.push_back(field::invalid(
                    requestsPath, quantity->toString(),
                    "must be equal to " + name + " limit of " + limit->second.toString()));
            } else if (*quantity > limit->second) {
                causes.push_back(field::invalid(requestsPath, quantity->toString(),
                                                "must be less than or equal to " + name +
                                                    " limit of " + limit->second.toString()));
            }
        } else if (!isOvercommitAllowed(name) && !limits.contains(name)) {
            causes.push_back(
                field::required(limitsPath, "Limit must be set for non overcommitable resources"));
        }
    }
    return causes;
}

FieldCauses validatePodSpec(const json& spec, const FieldPath& path) {
    FieldCauses causes;
    std::set<std::string> volumes;
    append(causes, validateVolumes(arrayAt(spec, {"volumes"}), path.child("volumes"), volumes));

    const json& containers = arrayAt(spec, {"containers"});
    if (containers.empty()) {
        causes.push_back(field::required(path.child("containers")));
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < containers.size(); ++i) {
        const FieldPath at = path.child("containers").index(i);
        append(causes, validateContainer(containers[i], volumes, at, ContainerKind::Regular));
        const std::string name = stringAt(containers[i], {"name"});
        if (!names.insert(name).second) {
            causes.push_back(field::duplicate(at.child("name"), name));
        }
    }
    const json& initContainers = arrayAt(spec, {"initContainers"});
    for (std::size_t i = 0; i < initContainers.size(); ++i) {
        const FieldPath at = path.child("initContainers").index(i);
        append(causes, validateContainer(initContainers[i], volumes, at, ContainerKind::Init));
        const std::string name = stringAt(initContainers[i], {"name"});
        if (!names.insert(name).second) {
            causes.push_back(field::duplicate(at.child("name"), name));
        }
    }

    const std::string restartPolicy = stringAt(spec, {"restartPolicy"});
    if (restartPolicy.empty()) {
        causes.push_back(field::required(path.child("restartPolicy")));
    } else if (restartPolicy != "Always" && restartPolicy != "OnFailure" &&
               restartPolicy != "Never") {
        causes.push_back(field::notSupported(path.child("restartPolicy"), restartPolicy,
                                             {"Always", "OnFailure", "Never"}));
    }
    const std::string dnsPolicy = stringAt(spec, {"dnsPolicy"});
    if (dnsPolicy.empty()) {
        causes.push_back(field::required(path.child("dnsPolicy")));
    } else if (dnsPolicy != "ClusterFirstWithHostNet" && dnsPolicy != "ClusterFirst" &&
               dnsPolicy != "Default" && dnsPolicy != "None") {
        causes.push_back(
            field::notSupported(path.child("dnsPolicy"), dnsPolicy,
                                {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}));
    }
    if (const json* nodeSelector = member(spec, "nodeSelector")) {
        append(causes, validateLabels(*nodeSelector, path.child("nodeSelector")));
    }
    const json& pullSecrets = arrayAt(spec, {"imagePullSecrets"});
    for (std::size_t i = 0; i < pullSecrets.size(); ++i) {
        if (stringAt(pullSecrets[i], {"name"}).empty()) {
            causes.push_back(
                field::required(path.child("imagePullSecrets").index(i).child("name")));
        }
    }
    const json& gates = arrayAt(spec, {"readinessGates"});
    for (std::size_t i = 0; i < gates.size(); ++i) {
        const std::string condition = stringAt(gates[i], {"conditionType"});
        for (const auto& message : isQualifiedName(condition)) {
            causes.push_back(field::invalid(
                path.child("readinessGates").index(i).child("conditionType"), condition, message));
        }
    }
    for (const std::string_view key : {"serviceAccountName", "nodeName", "priorityClassName"}) {
        const std::string value = stringAt(spec, {key});
        if (!value.empty()) {
            append(causes, validateDns1123Subdomain(value, path.child(key)));
        }
    }
    if (const auto deadline = optionalIntAt(spec, {"activeDeadlineSeconds"});
        deadline && (*deadline < 1 || *deadline > 2147483647)) {
        causes.push_back(field::invalid(path.child("activeDeadlineSeconds"), *deadline,
                                        "must be between 1 and 2147483647, inclusive"));
    }
    for (const std::string_view key : {"hostname", "subdomain"}) {
        const std::string value = stringAt(spec, {key});
        if (!value.empty()) {
            append(causes, validateDns1123Label(value, path.child(key)));
        }
    }
    append(causes, validateTolerations(arrayAt(spec, {"tolerations"}), path.child("tolerations")));
    return causes;
}

FieldCauses validatePodTemplateSpec(const json& podTemplate, const FieldPath& path) {
    FieldCauses causes;
    const json& metadata = objectAt(podTemplate, {"metadata"});
    if (const json* labels = member(metadata, "labels")) {
        append(causes, validateLabels(*labels, path.child("labels")));
    }
    if (const json* annotations = member(metadata, "annotations")) {
        append(causes, validateAnnotations(*annotations, path.child("annotations")));
    }
    const json& spec = objectAt(podTemplate, {"spec"});
    append(causes, validatePodSpec(spec, path.child("spec")));
    if (!arrayAt(spec, {"ephemeralContainers"}).empty()) {
        causes.push_back(field::forbidden(path.child("spec").child("ephemeralContainers"),
                                          "ephemeral containers not allowed in pod template"));
    }
    return causes;
}

namespace {

// The fields of a running pod's spec that an update may change (ValidatePodUpdate).
json mungeUpdatableFields(json spec, const json& oldSpec) {
    if (!spec.is_object()) {
        return spec;
    }
    for (const char* list : {"containers", "initContainers"}) {
        json* containers = member(spec, list);
        const json& oldContainers = arrayAt(oldSpec, {list});
        if (containers == nullptr || !containers->is_array()) {
            continue;
        }
        for (std::size_t i = 0; i < containers->size() && i < oldContainers.size(); ++i) {
            if ((*containers)[i].is_object() && oldContainers[i].contains("image")) {
                (*containers)[i]["image"] = oldContainers[i]["image"];
            }
        }
    }
    for (const char* key : {"activeDeadlineSeconds", "terminationGracePeriodSeconds", "tolerations",
                            "schedulingGates"}) {
        if (const json* value = member(oldSpec, key)) {
            spec[key] = *value;
        } else {
            spec.erase(key);
        }
    }
    return spec;
}

}  // namespace

FieldCauses validatePod(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath specPath("spec");
    const json& spec = objectAt(object, {"spec"});
    append(causes, validatePodSpec(spec, specPath));
    if (old == nullptr) {
        if (!arrayAt(spec, {"ephemeralContainers"}).empty()) {
            causes.push_back(
                field::forbidden(specPath.child("ephemeralContainers"), "cannot be set on create"));
        }
        if (!stringAt(spec, {"nodeName"}).empty() && !arrayAt(spec, {"schedulingGates"}).empty()) {
            causes.push_back(field::forbidden(specPath.child("nodeName"),
                                              "cannot be set until all schedulingGates have been "
                                              "cleared"));
        }
        return causes;
    }
    const json& oldSpec = objectAt(*old, {"spec"});
    json oldComparable = oldSpec;
    oldComparable.erase("ephemeralContainers");
    json newComparable = mungeUpdatableFields(spec, oldSpec);
    newComparable.erase("ephemeralContainers");
    if (newComparable != oldComparable) {
        causes.push_back(field::forbidden(
            specPath,
            "pod updates may not change fields other than `spec.containers[*].image`,"
            "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
            "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            "(allow it to be set to 1 if it was previously negative)"));
    }
    // Tolerations may only be added to.
    const json& oldTolerations = arrayAt(oldSpec, {"tolerations"});
    const json& newTolerations = arrayAt(spec, {"tolerations"});
    for (const auto& toleration : oldTolerations) {
        if (std::find(newTolerations.begin(), newTolerations.end(), toleration) ==
            newTolerations.end()) {
            causes.push_back(field::forbidden(specPath.child("tolerations"),
                                              "existing toleration can not be modified except "
                                              "its tolerationSeconds"));
            break;
        }
    }
    return causes;
}

}  // namespace slipway::api::detail
