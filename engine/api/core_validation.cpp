// SPDX-License-Identifier: Apache-2.0
// core/v1 kinds other than pods (pkg/apis/core/validation): services, config, storage, nodes,
// namespaces, quotas, events.
#include <algorithm>
#include <set>

#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"
#include "engine/core/quantity.h"

namespace slipway::api::detail {
namespace {

const std::vector<std::string> kProtocols = {"SCTP", "TCP", "UDP"};
const std::vector<std::string> kAccessModes = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
                                               "ReadWriteOncePod"};
constexpr std::int64_t kMaxSecretSize = 1024 * 1024;
constexpr std::int64_t kNodePortMin = 30000;
constexpr std::int64_t kNodePortMax = 32767;

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string clusterIpOf(const json& spec) {
    const json& ips = arrayAt(spec, {"clusterIPs"});
    if (!ips.empty() && ips[0].is_string()) {
        return ips[0].get<std::string>();
    }
    return stringAt(spec, {"clusterIP"});
}

bool isHeadless(const json& spec) {
    return stringAt(spec, {"type"}, "ClusterIP") == "ClusterIP" && clusterIpOf(spec) == "None";
}

bool externallyAccessible(const json& spec) {
    const std::string type = stringAt(spec, {"type"});
    return type == "LoadBalancer" || type == "NodePort" ||
           (type == "ClusterIP" && !arrayAt(spec, {"externalIPs"}).empty());
}

// Go's %#v of the ServicePort key kube-apiserver uses to find duplicate ports.
std::string goServicePortKey(const std::string& protocol, std::int64_t port,
                             std::int64_t nodePort) {
    return "core.ServicePort{Name:\"\", Protocol:" + goQuote(protocol) +
           ", AppProtocol:(*string)(nil), Port:" + std::to_string(port) +
           ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:" +
           std::to_string(nodePort) + "}";
}

FieldCauses validateServicePort(const json& port, bool requireName, std::set<std::string>& names,
                                const FieldPath& path) {
    FieldCauses causes;
    const std::string name = stringAt(port, {"name"});
    if (requireName && name.empty()) {
        causes.push_back(field::required(path.child("name")));
    } else if (!name.empty()) {
        append(causes, validateDns1123Label(name, path.child("name")));
        if (!names.insert(name).second) {
            causes.push_back(field::duplicate(path.child("name"), name));
        }
    }
    const auto number = intAt(port, {"port"});
    for (const auto& message : isValidPortNum(number)) {
        causes.push_back(field::invalid(path.child("port"), number, message));
    }
    const std::string protocol = stringAt(port, {"protocol"});
    if (protocol.empty()) {
        causes.push_back(field::required(path.child("protocol")));
    } else if (!contains(kProtocols, protocol)) {
        causes.push_back(field::notSupported(path.child("protocol"), protocol, kProtocols));
    }
    const json* targetPort = member(port, "targetPort");
    append(causes, validatePortNumOrName(targetPort != nullptr ? *targetPort : json(0),
                                         path.child("targetPort")));
    if (const json* appProtocol = member(port, "appProtocol"); appProtocol != nullptr) {
        for (const auto& message : isQualifiedName(asString(*appProtocol))) {
            causes.push_back(field::invalid(path.child("appProtocol"), *appProtocol, message));
        }
    }
    return causes;
}

// Go's base64.StdEncoding.DecodeString, returning the decoded length or the offset of the
// first bad byte (as "illegal base64 data at input byte N" reports it).
bool decodedBase64Length(const std::string& text, std::size_t& length, std::size_t& badByte) {
    const auto isAlphabet = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
    };
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r' || c == '\n') {
            continue;
        }
        if (c == '=') {
            ++padding;
            if (padding > 2 || (symbols % 4) < 2) {
                badByte = i;
                return false;
            }
            continue;
        }
        if (padding > 0 || !isAlphabet(c)) {
            badByte = i;
            return false;
        }
        ++symbols;
    }
    if ((symbols + padding) % 4 != 0) {
        badByte = text.size() - (text.size() % 4 == 0 ? 0 : text.size() % 4);
        return false;
    }
    length = symbols * 3 / 4;
    return true;
}

void validateQuantityMap(FieldCauses& causes, const json& map, const FieldPath& path,
                         bool positive) {
    if (!map.is_object()) {
        return;
    }
    for (const auto& [name, value] : map.items()) {
        const FieldPath at = path.key(name);
        auto quantity = core::Quantity::fromJson(value);
        if (!quantity) {
            causes.push_back(field::invalid(at, value, quantity.error().message()));
        } else if (positive && quantity->sign() <= 0) {
            causes.push_back(field::invalid(at, quantity->toString(), "must be greater than zero"));
        } else if (quantity->sign() < 0) {
            causes.push_back(
                field::invalid(at, quantity->toString(), "must be greater than or equal to 0"));
        }
    }
}

void validateAccessModes(FieldCauses& causes, const json& spec, const FieldPath& path,
                         std::string_view requiredDetail) {
    const json& modes = arrayAt(spec, {"accessModes"});
    if (modes.empty()) {
        causes.push_back(field::required(path.child("accessModes"), requiredDetail));
    }
    bool once = false;
    bool other = false;
    for (const auto& mode : modes) {
        const std::string value = asString(mode);
        if (!contains(kAccessModes, value)) {
            causes.push_back(field::notSupported(path.child("accessModes"), mode, kAccessModes));
        }
        (value == "ReadWriteOncePod" ? once : other) = true;
    }
    if (once && other) {
        causes.push_back(field::forbidden(path.child("accessModes"),
                                          "may not use ReadWriteOncePod with other access modes"));
    }
}

void validateVolumeMode(FieldCauses& causes, const json& spec, const FieldPath& path) {
    if (const json* mode = member(spec, "volumeMode"); mode != nullptr && !mode->is_null()) {
        const std::string value = asString(*mode);
        if (value != "Block" && value != "Filesystem") {
            causes.push_back(
                field::notSupported(path.child("volumeMode"), *mode, {"Block", "Filesystem"}));
        }
    }
}

}  // namespace

FieldCauses validateService(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const std::string type = stringAt(spec, {"type"});
    const json& ports = arrayAt(spec, {"ports"});
    const bool headless = isHeadless(spec);

    if (ports.empty() && !headless && type != "ExternalName") {
        causes.push_back(field::required(path.child("ports")));
    }
    if (type == "LoadBalancer" || type == "NodePort") {
        if (clusterIpOf(spec) == "None") {
            causes.push_back(field::invalid(path.child("clusterIPs").index(0), "None",
                                            "may not be set to 'None' for " + type + " services"));
        }
        if (type == "LoadBalancer") {
            for (std::size_t i = 0; i < ports.size(); ++i) {
                if (intAt(ports[i], {"port"}) == 10250) {
                    causes.push_back(field::invalid(path.child("ports").index(i), 10250,
                                                    "may not expose port 10250 externally since "
                                                    "it is used by kubelet"));
                }
            }
        }
    } else if (type == "ExternalName") {
        if (!clusterIpOf(spec).empty()) {
            causes.push_back(field::forbidden(path.child("clusterIPs"),
                                              "may not be set for ExternalName services"));
        }
        if (!arrayAt(spec, {"ipFamilies"}).empty()) {
            causes.push_back(field::forbidden(path.child("ipFamilies"),
                                              "may not be set for ExternalName services"));
        }
        if (has(spec, {"ipFamilyPolicy"})) {
            causes.push_back(field::forbidden(path.child("ipFamilyPolicy"),
                                              "may not be set for ExternalName services"));
        }
        std::string cname = stringAt(spec, {"externalName"});
        if (!cname.empty() && cname.back() == '.') {
            cname.pop_back();
        }
        if (cname.empty()) {
            causes.push_back(field::required(path.child("externalName")));
        } else {
            append(causes, validateDns1123Subdomain(cname, path.child("externalName")));
        }
    }

    std::set<std::string> names;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        append(causes, validateServicePort(ports[i], ports.size() > 1, names,
                                           path.child("ports").index(i)));
    }
    if (const json* selector = member(spec, "selector")) {
        append(causes, validateLabels(*selector, path.child("selector")));
    }

    const std::string affinity = stringAt(spec, {"sessionAffinity"});
    if (affinity.empty()) {
        causes.push_back(field::required(path.child("sessionAffinity")));
    } else if (affinity != "ClientIP" && affinity != "None") {
        causes.push_back(
            field::notSupported(path.child("sessionAffinity"), affinity, {"ClientIP", "None"}));
    }
    if (affinity == "ClientIP") {
        const auto timeout =
            optionalIntAt(spec, {"sessionAffinityConfig", "clientIP", "timeoutSeconds"});
        const FieldPath at =
            path.child("sessionAffinityConfig").child("clientIP").child("timeoutSeconds");
        if (!timeout) {
            causes.push_back(field::required(at));
        } else if (*timeout <= 0 || *timeout > 86400) {
            causes.push_back(
                field::invalid(at, *timeout, "must be greater than 0 and less than 86400"));
        }
    } else if (affinity == "None" && has(spec, {"sessionAffinityConfig"})) {
        causes.push_back(field::forbidden(path.child("sessionAffinityConfig"),
                                          "must not be set when session affinity is None"));
    }

    const std::string clusterIp = clusterIpOf(spec);
    if (!clusterIp.empty() && clusterIp != "None" && !isValidIp(clusterIp)) {
        causes.push_back(field::invalid(path.child("clusterIPs").index(0), clusterIp,
                                        "must be a valid IP address, (e.g. 10.9.8.7 or "
                                        "2001:db8::ffff)"));
    }
    if (const json* policy = member(spec, "ipFamilyPolicy");
        policy != nullptr && !policy->is_null()) {
        const std::string value = asString(*policy);
        if (value != "SingleStack" && value != "PreferDualStack" && value != "RequireDualStack") {
            causes.push_back(
                field::notSupported(path.child("ipFamilyPolicy"), *policy,
                                    {"PreferDualStack", "RequireDualStack", "SingleStack"}));
        }
    }
    const json& families = arrayAt(spec, {"ipFamilies"});
    for (std::size_t i = 0; i < families.size(); ++i) {
        const std::string family = asString(families[i]);
        if (family != "IPv4" && family != "IPv6") {
            causes.push_back(field::notSupported(path.child("ipFamilies").index(i), families[i],
                                                 {"IPv4", "IPv6"}));
        }
    }
    const json& externalIps = arrayAt(spec, {"externalIPs"});
    for (std::size_t i = 0; i < externalIps.size(); ++i) {
        const std::string ip = asString(externalIps[i]);
        if (!isValidIp(ip)) {
            causes.push_back(field::invalid(path.child("externalIPs").index(i), ip,
                                            "must be a valid IP address, (e.g. 10.9.8.7 or "
                                            "2001:db8::ffff)"));
        }
    }

    if (type.empty()) {
        causes.push_back(field::required(path.child("type")));
    } else if (type != "ClusterIP" && type != "ExternalName" && type != "LoadBalancer" &&
               type != "NodePort") {
        causes.push_back(field::notSupported(
            path.child("type"), type, {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
    }
    if (type == "ClusterIP") {
        for (std::size_t i = 0; i < ports.size(); ++i) {
            if (intAt(ports[i], {"nodePort"}) != 0) {
                causes.push_back(field::forbidden(path.child("ports").index(i).child("nodePort"),
                                                  "may not be used when `type` is 'ClusterIP'"));
            }
        }
    }
    std::set<std::pair<std::string, std::int64_t>> nodePorts;
    std::set<std::pair<std::string, std::int64_t>> servicePorts;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const FieldPath at = path.child("ports").index(i);
        const std::string protocol = stringAt(ports[i], {"protocol"});
        const auto nodePort = intAt(ports[i], {"nodePort"});
        if (nodePort != 0) {
            if (!nodePorts.insert({protocol, nodePort}).second) {
                causes.push_back(field::duplicate(at.child("nodePort"), nodePort));
            }
            // The allocator of kube-apiserver rejects ports outside --service-node-port-range.
            if (type != "ClusterIP" && (nodePort < kNodePortMin || nodePort > kNodePortMax)) {
                causes.push_back(field::invalid(
                    at.child("nodePort"), nodePort,
                    "provided port is not in the valid range. The range of valid ports is " +
                        std::to_string(kNodePortMin) + "-" + std::to_string(kNodePortMax)));
            }
        }
        const auto port = intAt(ports[i], {"port"});
        if (!servicePorts.insert({protocol, port}).second) {
            causes.push_back(field::duplicateRendered(at, goServicePortKey(protocol, port, 0)));
        }
    }

    const std::string externalPolicy = stringAt(spec, {"externalTrafficPolicy"});
    if (!externallyAccessible(spec)) {
        if (!externalPolicy.empty()) {
            causes.push_back(field::invalid(path.child("externalTrafficPolicy"), externalPolicy,
                                            "may only be set for externally-accessible services"));
        }
    } else if (externalPolicy.empty()) {
        causes.push_back(field::required(path.child("externalTrafficPolicy")));
    } else if (externalPolicy != "Cluster" && externalPolicy != "Local") {
        causes.push_back(field::notSupported(path.child("externalTrafficPolicy"), externalPolicy,
                                             {"Cluster", "Local"}));
    }
    const json* internalPolicy = member(spec, "internalTrafficPolicy");
    if (internalPolicy == nullptr || internalPolicy->is_null()) {
        if (type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP") {
            causes.push_back(field::required(path.child("internalTrafficPolicy")));
        }
    } else if (asString(*internalPolicy) != "Cluster" && asString(*internalPolicy) != "Local") {
        causes.push_back(field::notSupported(path.child("internalTrafficPolicy"), *internalPolicy,
                                             {"Cluster", "Local"}));
    }

    if (old != nullptr) {
        const json& oldSpec = objectAt(*old, {"spec"});
        const std::string oldIp = clusterIpOf(oldSpec);
        const bool externalName =
            type == "ExternalName" || stringAt(oldSpec, {"type"}) == "ExternalName";
        if (!externalName && !oldIp.empty() && !clusterIp.empty() && oldIp != clusterIp) {
            const json& ips = arrayAt(spec, {"clusterIPs"});
            causes.push_back(field::invalid(path.child("clusterIPs").index(0),
                                            ips.empty() ? json::array({clusterIp}) : ips,
                                            "may not change once set"));
        }
    }
    return causes;
}

FieldCauses validateEndpoints(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const json& subsets = arrayAt(object, {"subsets"});
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        const FieldPath at = FieldPath("subsets").index(i);
        const json& addresses = arrayAt(subsets[i], {"addresses"});
        const json& notReady = arrayAt(subsets[i], {"notReadyAddresses"});
        if (addresses.empty() && notReady.empty()) {
            causes.push_back(
                field::required(at, "must specify `addresses` or `notReadyAddresses`"));
        }
        for (const auto& [list, key] :
             {std::pair{&addresses, "addresses"}, std::pair{&notReady, "notReadyAddresses"}}) {
            for (std::size_t a = 0; a < list->size(); ++a) {
                const std::string ip = stringAt((*list)[a], {"ip"});
                if (!isValidIp(ip)) {
                    causes.push_back(field::invalid(at.child(key).index(a).child("ip"), ip,
                                                    "must be a valid IP address, (e.g. 10.9.8.7 "
                                                    "or 2001:db8::ffff)"));
                }
            }
        }
        const json& ports = arrayAt(subsets[i], {"ports"});
        for (std::size_t p = 0; p < ports.size(); ++p) {
            const FieldPath portPath = at.child("ports").index(p);
            const std::string name = stringAt(ports[p], {"name"});
            if (ports.size() > 1 && name.empty()) {
                causes.push_back(field::required(portPath.child("name")));
            } else if (!name.empty()) {
                append(causes, validateDns1123Label(name, portPath.child("name")));
            }
            const auto port = intAt(ports[p], {"port"});
            for (const auto& message : isValidPortNum(port)) {
                causes.push_back(field::invalid(portPath.child("port"), port, message));
            }
            const std::string protocol = stringAt(ports[p], {"protocol"});
            if (protocol.empty()) {
                causes.push_back(field::required(portPath.child("protocol")));
            } else if (!contains(kProtocols, protocol)) {
                causes.push_back(
                    field::notSupported(portPath.child("protocol"), protocol, kProtocols));
            }
        }
    }
    return causes;
}

FieldCauses validateConfigMap(const json& object, const json* old) {
    FieldCauses causes;
    std::int64_t total = 0;
    const json& data = objectAt(object, {"data"});
    const json& binaryData = objectAt(object, {"binaryData"});
    for (const auto& [key, value] : data.items()) {
        for (const auto& message : isConfigMapKey(key)) {
            causes.push_back(field::invalid(FieldPath("data").key(key), key, message));
        }
        if (binaryData.contains(key)) {
            causes.push_back(field::invalid(FieldPath("data").key(key), key,
                                            "duplicate of key present in binaryData"));
        }
        total += static_cast<std::int64_t>(asString(value).size());
    }
    for (const auto& [key, value] : binaryData.items()) {
        for (const auto& message : isConfigMapKey(key)) {
            causes.push_back(field::invalid(FieldPath("binaryData").key(key), key, message));
        }
        if (data.contains(key)) {
            causes.push_back(field::invalid(FieldPath("binaryData").key(key), key,
                                            "duplicate of key present in data"));
        }
        total += static_cast<std::int64_t>(asString(value).size() * 3 / 4);
    }
    if (total > kMaxSecretSize) {
        causes.push_back(field::tooLong(FieldPath(), kMaxSecretSize));
    }
    if (old != nullptr && boolAt(*old, {"immutable"})) {
        if (!boolAt(object, {"immutable"})) {
            causes.push_back(field::forbidden(FieldPath("immutable"),
                                              "field is immutable when `immutable` is set"));
        }
        if (objectAt(object, {"data"}) != objectAt(*old, {"data"})) {
            causes.push_back(
                field::forbidden(FieldPath("data"), "field is immutable when `immutable` is set"));
        }
        if (objectAt(object, {"binaryData"}) != objectAt(*old, {"binaryData"})) {
            causes.push_back(field::forbidden(FieldPath("binaryData"),
                                              "field is immutable when `immutable` is set"));
        }
    }
    return causes;
}

FieldCauses validateSecret(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath dataPath("data");
    const json& data = objectAt(object, {"data"});
    std::int64_t total = 0;
    for (const auto& [key, value] : data.items()) {
        for (const auto& message : isConfigMapKey(key)) {
            causes.push_back(field::invalid(dataPath.key(key), key, message));
        }
        std::size_t length = 0;
        std::size_t badByte = 0;
        if (!value.is_string() || !decodedBase64Length(value.get<std::string>(), length, badByte)) {
            causes.push_back(
                field::invalid(dataPath.key(key), "<secret contents redacted>",
                               "illegal base64 data at input byte " + std::to_string(badByte)));
        }
        total += static_cast<std::int64_t>(length);
    }
    if (total > kMaxSecretSize) {
        causes.push_back(field::tooLong(dataPath, kMaxSecretSize));
    }
    const std::string type = stringAt(object, {"type"});
    const auto requireKey = [&](std::string_view key) {
        if (!data.contains(key)) {
            causes.push_back(field::required(dataPath.key(key)));
            return false;
        }
        return true;
    };
    if (type == "kubernetes.io/service-account-token") {
        if (stringAt(object, {"metadata", "annotations", "kubernetes.io/service-account.name"})
                .empty()) {
            causes.push_back(field::required(FieldPath("metadata")
                                                 .child("annotations")
                                                 .key("kubernetes.io/service-account.name")));
        }
    } else if (type == "kubernetes.io/dockercfg") {
        requireKey(".dockercfg");
    } else if (type == "kubernetes.io/dockerconfigjson") {
        requireKey(".dockerconfigjson");
    } else if (type == "kubernetes.io/basic-auth") {
        if (!data.contains("username") && !data.contains("password")) {
            causes.push_back(field::required(dataPath.key("username")));
            causes.push_back(field::required(dataPath.key("password")));
        }
    } else if (type == "kubernetes.io/ssh-auth") {
        if (stringAt(data, {"ssh-privatekey"}).empty()) {
            causes.push_back(field::required(dataPath.key("ssh-privatekey")));
        }
    } else if (type == "kubernetes.io/tls") {
        requireKey("tls.crt");
        requireKey("tls.key");
    }
    if (old != nullptr) {
        const std::string oldType = stringAt(*old, {"type"});
        if (type != oldType) {
            causes.push_back(field::invalid(FieldPath("type"), type, "field is immutable"));
        }
        if (boolAt(*old, {"immutable"})) {
            if (!boolAt(object, {"immutable"})) {
                causes.push_back(field::forbidden(FieldPath("immutable"),
                                                  "field is immutable when `immutable` is set"));
            }
            if (data != objectAt(*old, {"data"})) {
                causes.push_back(
                    field::forbidden(dataPath, "field is immutable when `immutable` is set"));
            }
        }
    }
    return causes;
}

FieldCauses validateNamespace(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path = FieldPath("spec").child("finalizers");
    for (const auto& finalizer : arrayAt(object, {"spec", "finalizers"})) {
        const std::string name = asString(finalizer);
        for (const auto& message : isQualifiedName(name)) {
            causes.push_back(field::invalid(path, name, message));
        }
        if (name.find('/') == std::string::npos && name != "kubernetes") {
            causes.push_back(field::invalid(path, name,
                                            "name is neither a standard finalizer name nor is it "
                                            "fully qualified"));
        }
    }
    return causes;
}

FieldCauses validateNode(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath spec("spec");
    const json& cidrs = arrayAt(object, {"spec", "podCIDRs"});
    for (std::size_t i = 0; i < cidrs.size(); ++i) {
        const std::string cidr = asString(cidrs[i]);
        if (!isValidCidr(cidr)) {
            causes.push_back(field::invalid(spec.child("podCIDRs").index(i), cidr,
                                            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                            "2001:db8::/64)"));
        }
    }
    const json& taints = arrayAt(object, {"spec", "taints"});
    std::set<std::pair<std::string, std::string>> unique;
    for (std::size_t i = 0; i < taints.size(); ++i) {
        const FieldPath at = spec.child("taints").index(i);
        const std::string key = stringAt(taints[i], {"key"});
        for (const auto& message : isQualifiedName(key)) {
            causes.push_back(field::invalid(at.child("key"), key, message));
        }
        const std::string value = stringAt(taints[i], {"value"});
        if (const auto messages = isValidLabelValue(value); !messages.empty()) {
            std::string joined;
            for (const auto& message : messages) {
                joined += (joined.empty() ? "" : ";") + message;
            }
            causes.push_back(field::invalid(at.child("value"), value, joined));
        }
        const std::string effect = stringAt(taints[i], {"effect"});
        if (effect.empty()) {
            causes.push_back(field::required(at.child("effect")));
        } else if (effect != "NoSchedule" && effect != "PreferNoSchedule" &&
                   effect != "NoExecute") {
            causes.push_back(field::notSupported(at.child("effect"), effect,
                                                 {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
        }
        if (!unique.insert({effect, key}).second) {
            FieldCause duplicate = field::duplicate(at, taints[i]);
            duplicate.message += ": taints must be unique by key and effect pair";
            causes.push_back(std::move(duplicate));
        }
    }
    validateQuantityMap(causes, objectAt(object, {"status", "capacity"}),
                        FieldPath("status").child("capacity"), false);
    validateQuantityMap(causes, objectAt(object, {"status", "allocatable"}),
                        FieldPath("status").child("allocatable"), false);
    if (old != nullptr) {
        const json& oldCidrs = arrayAt(*old, {"spec", "podCIDRs"});
        if (!oldCidrs.empty() && oldCidrs != cidrs) {
            causes.push_back(field::forbidden(spec.child("podCIDRs"),
                                              "node updates may not change podCIDR except from "
                                              "\"\" to valid"));
        }
        const std::string oldProvider = stringAt(*old, {"spec", "providerID"});
        if (!oldProvider.empty() && oldProvider != stringAt(object, {"spec", "providerID"})) {
            causes.push_back(field::forbidden(spec.child("providerID"),
                                              "node updates may not change providerID except "
                                              "from \"\" to valid"));
        }
    }
    return causes;
}

FieldCauses validatePersistentVolume(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    validateAccessModes(causes, spec, path, {});
    const json& capacity = objectAt(spec, {"capacity"});
    if (capacity.empty()) {
        causes.push_back(field::required(path.child("capacity")));
    }
    if (!capacity.contains("storage") || capacity.size() > 1) {
        causes.push_back(field::notSupported(path.child("capacity"), capacity, {"storage"}));
    }
    validateQuantityMap(causes, capacity, path.child("capacity"), true);
    const std::string storageClass = stringAt(spec, {"storageClassName"});
    if (!storageClass.empty()) {
        append(causes, validateDns1123Subdomain(storageClass, path.child("storageClassName")));
    }
    validateVolumeMode(causes, spec, path);
    const std::string reclaim = stringAt(spec, {"persistentVolumeReclaimPolicy"});
    if (!reclaim.empty() && reclaim != "Delete" && reclaim != "Recycle" && reclaim != "Retain") {
        causes.push_back(field::notSupported(path.child("persistentVolumeReclaimPolicy"), reclaim,
                                             {"Delete", "Recycle", "Retain"}));
    }
    static constexpr std::string_view kSources[] = {"gcePersistentDisk",
                                                    "awsElasticBlockStore",
                                                    "hostPath",
                                                    "glusterfs",
                                                    "nfs",
                                                    "rbd",
                                                    "quobyte",
                                                    "cinder",
                                                    "cephfs",
                                                    "iscsi",
                                                    "flexVolume",
                                                    "fc",
                                                    "flocker",
                                                    "azureFile",
                                                    "vsphereVolume",
                                                    "azureDisk",
                                                    "photonPersistentDisk",
                                                    "portworxVolume",
                                                    "scaleIO",
                                                    "local",
                                                    "storageos",
                                                    "csi"};
    int sources = 0;
    for (const auto source : kSources) {
        if (!has(spec, {source})) {
            continue;
        }
        if (sources > 0) {
            causes.push_back(
                field::forbidden(path.child(source), "may not specify more than 1 volume type"));
            continue;
        }
        ++sources;
        if ((source == "hostPath" || source == "local") &&
            stringAt(spec, {source, "path"}).empty()) {
            causes.push_back(field::required(path.child(source).child("path")));
        }
    }
    if (sources == 0) {
        causes.push_back(field::required(path, "must specify a volume type"));
    }
    return causes;
}

FieldCauses validatePersistentVolumeClaim(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    validateAccessModes(causes, spec, path, "at least 1 access mode is required");
    if (const json* selector = member(spec, "selector")) {
        append(causes, validateLabelSelector(*selector, path.child("selector")));
    }
    const FieldPath storagePath = path.child("resources").key("storage");
    const json* storage = at(spec, {"resources", "requests", "storage"});
    if (storage == nullptr) {
        causes.push_back(field::required(storagePath));
    } else if (auto quantity = core::Quantity::fromJson(*storage); !quantity) {
        causes.push_back(field::invalid(storagePath, *storage, quantity.error().message()));
    } else if (quantity->sign() <= 0) {
        causes.push_back(
            field::invalid(storagePath, quantity->toString(), "must be greater than zero"));
    }
    const std::string storageClass = stringAt(spec, {"storageClassName"});
    if (!storageClass.empty()) {
        append(causes, validateDns1123Subdomain(storageClass, path.child("storageClassName")));
    }
    validateVolumeMode(causes, spec, path);
    if (old != nullptr) {
        const json& oldSpec = objectAt(*old, {"spec"});
        json comparable = spec;
        json oldComparable = oldSpec;
        // Bound claims may grow; the binder sets volumeName once.
        for (json* candidate : {&comparable, &oldComparable}) {
            if (candidate->is_object()) {
                if (json* resources = member(*candidate, "resources")) {
                    resources->erase("requests");
                }
                candidate->erase("volumeAttributesClassName");
            }
        }
        if (stringAt(oldSpec, {"volumeName"}).empty()) {
            oldComparable.erase("volumeName");
            comparable.erase("volumeName");
        }
        // A claim without a class may be given one (retroactive default StorageClass, 1.28).
        if (!has(oldSpec, {"storageClassName"})) {
            oldComparable.erase("storageClassName");
            comparable.erase("storageClassName");
        }
        if (comparable != oldComparable) {
            causes.push_back(field::forbidden(path,
                                              "spec is immutable after creation except "
                                              "resources.requests and "
                                              "volumeAttributesClassName for bound claims"));
        }
        const json* oldStorage = at(oldSpec, {"resources", "requests", "storage"});
        if (storage != nullptr && oldStorage != nullptr) {
            auto now = core::Quantity::fromJson(*storage);
            auto then = core::Quantity::fromJson(*oldStorage);
            if (now && then && *now < *then) {
                causes.push_back(
                    field::forbidden(path.child("resources").child("requests").child("storage"),
                                     "field can not be less than previous value"));
            }
        }
    }
    return causes;
}

FieldCauses validateLimitRange(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const json& limits = arrayAt(object, {"spec", "limits"});
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const FieldPath at = FieldPath("spec").child("limits").index(i);
        const std::string type = stringAt(limits[i], {"type"});
        if (type.empty()) {
            causes.push_back(field::required(at.child("type")));
        } else if (type != "Pod" && type != "Container" && type != "PersistentVolumeClaim") {
            causes.push_back(field::notSupported(at.child("type"), type,
                                                 {"Container", "PersistentVolumeClaim", "Pod"}));
        }
        for (const std::string_view key : {"max", "min", "default", "defaultRequest"}) {
            validateQuantityMap(causes, objectAt(limits[i], {key}), at.child(key), false);
        }
        if (type == "Pod") {
            for (const std::string_view key : {"default", "defaultRequest"}) {
                if (!objectAt(limits[i], {key}).empty()) {
                    causes.push_back(field::forbidden(at.child(key),
                                                      "may not be specified when `type` is "
                                                      "'Pod'"));
                }
            }
        }
        // min ≤ default request ≤ default limit ≤ max, resource by resource.
        const json& min = objectAt(limits[i], {"min"});
        const json& max = objectAt(limits[i], {"max"});
        for (const auto& [name, value] : min.items()) {
            if (!max.contains(name)) {
                continue;
            }
            auto low = core::Quantity::fromJson(value);
            auto high = core::Quantity::fromJson(max[name]);
            if (low && high && *low > *high) {
                causes.push_back(field::invalid(at.child("min").key(name), low->toString(),
                                                "min value " + low->toString() +
                                                    " is greater than max value " +
                                                    high->toString()));
            }
        }
    }
    return causes;
}

FieldCauses validateResourceQuota(const json& object, const json* /*old*/) {
    FieldCauses causes;
    validateQuantityMap(causes, objectAt(object, {"spec", "hard"}), FieldPath("spec").child("hard"),
                        false);
    static const std::vector<std::string> kScopes = {
        "BestEffort",           "CrossNamespacePodAffinity",
        "NotBestEffort",        "NotTerminating",
        "PriorityClass",        "Terminating",
        "VolumeAttributesClass"};
    const json& scopes = arrayAt(object, {"spec", "scopes"});
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        if (!contains(kScopes, asString(scopes[i]))) {
            causes.push_back(
                field::notSupported(FieldPath("spec").child("scopes"), scopes[i], kScopes));
        }
    }
    return causes;
}

FieldCauses validateEvent(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const std::string nameSpace = stringAt(object, {"metadata", "namespace"});
    const std::string involvedNamespace = stringAt(object, {"involvedObject", "namespace"});
    const FieldPath involvedPath = FieldPath("involvedObject").child("namespace");
    if (stringAt(object, {"eventTime"}).empty()) {
        // Old-style events: the namespace of the event and of its object agree.
        if (involvedNamespace.empty()) {
            if (!nameSpace.empty() && nameSpace != "default") {
                causes.push_back(field::invalid(involvedPath, involvedNamespace,
                                                "does not match event.namespace"));
            }
        } else if (nameSpace != involvedNamespace) {
            causes.push_back(
                field::invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
        }
    } else {
        if (involvedNamespace.empty() && nameSpace != "default" && nameSpace != "kube-system") {
            causes.push_back(
                field::invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
        }
        const std::string controller = stringAt(object, {"reportingComponent"});
        if (controller.empty()) {
            causes.push_back(field::required(FieldPath("reportingComponent")));
        }
        for (const auto& message : isQualifiedName(controller)) {
            causes.push_back(field::invalid(FieldPath("reportingComponent"), controller, message));
        }
        if (stringAt(object, {"reportingInstance"}).empty()) {
            causes.push_back(field::required(FieldPath("reportingInstance")));
        }
        if (stringAt(object, {"action"}).empty()) {
            causes.push_back(field::required(FieldPath("action")));
        }
        if (stringAt(object, {"reason"}).empty()) {
            causes.push_back(field::required(FieldPath("reason")));
        }
    }
    return causes;
}

}  // namespace slipway::api::detail
