// SPDX-License-Identifier: Apache-2.0
// networking.k8s.io/v1 and discovery.k8s.io/v1 (pkg/apis/networking/validation,
// pkg/apis/discovery/validation): ingress rules and backends, network policy peers, slices.
#include <array>
#include <set>

#include <arpa/inet.h>

#include "engine/api/json_fields.h"
#include "engine/api/kind_validation.h"

namespace slipway::api::detail {
namespace {

const std::vector<std::string> kPathTypes = {"Exact", "ImplementationSpecific", "Prefix"};
constexpr std::string_view kCidrMessage =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

FieldCauses validateBackend(const json& backend, const FieldPath& path) {
    FieldCauses causes;
    const json* resource = member(backend, "resource");
    const json* service = member(backend, "service");
    const bool hasResource = resource != nullptr && !resource->is_null();
    const bool hasService = service != nullptr && !service->is_null();
    if (hasResource && hasService) {
        causes.push_back(field::invalid(path, "", "cannot set both resource and service backends"));
        return causes;
    }
    if (hasResource) {
        if (stringAt(*resource, {"kind"}).empty()) {
            causes.push_back(field::required(path.child("resource").child("kind")));
        }
        if (stringAt(*resource, {"name"}).empty()) {
            causes.push_back(field::required(path.child("resource").child("name")));
        }
        return causes;
    }
    if (!hasService) {
        causes.push_back(field::invalid(path, "", "resource or service backend is required"));
        return causes;
    }
    const std::string name = stringAt(*service, {"name"});
    if (name.empty()) {
        causes.push_back(field::required(path.child("service").child("name")));
    } else {
        for (const auto& message : isDns1035Label(name)) {
            causes.push_back(field::invalid(path.child("service").child("name"), name, message));
        }
    }
    const std::string portName = stringAt(*service, {"port", "name"});
    const auto portNumber = intAt(*service, {"port", "number"});
    if (!portName.empty() && portNumber != 0) {
        causes.push_back(field::invalid(path, "", "cannot set both port name & port number"));
    } else if (!portName.empty()) {
        for (const auto& message : isValidPortName(portName)) {
            causes.push_back(field::invalid(path.child("service").child("port").child("name"),
                                            portName, message));
        }
    } else if (portNumber != 0) {
        for (const auto& message : isValidPortNum(portNumber)) {
            causes.push_back(field::invalid(path.child("service").child("port").child("number"),
                                            portNumber, message));
        }
    } else {
        causes.push_back(field::required(path, "port name or number is required"));
    }
    return causes;
}

FieldCauses validateIngressPath(const json& ingressPath, const FieldPath& path) {
    FieldCauses causes;
    const json* pathType = member(ingressPath, "pathType");
    if (pathType == nullptr || pathType->is_null()) {
        causes.push_back(field::required(path.child("pathType"), "pathType must be specified"));
        return causes;
    }
    const std::string type = asString(*pathType);
    const std::string value = stringAt(ingressPath, {"path"});
    if (type == "Exact" || type == "Prefix") {
        if (value.empty() || value.front() != '/') {
            causes.push_back(field::invalid(path.child("path"), value, "must be an absolute path"));
        }
        if (!value.empty()) {
            for (const std::string_view sequence : {"//", "/./", "/../", "%2f", "%2F"}) {
                if (value.find(sequence) != std::string::npos) {
                    causes.push_back(
                        field::invalid(path.child("path"), value,
                                       "must not contain '" + std::string(sequence) + "'"));
                }
            }
            for (const std::string_view suffix : {"/..", "/."}) {
                if (value.size() >= suffix.size() &&
                    value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0) {
                    causes.push_back(
                        field::invalid(path.child("path"), value,
                                       "cannot end with '" + std::string(suffix) + "'"));
                }
            }
        }
    } else if (type == "ImplementationSpecific") {
        if (!value.empty() && value.front() != '/') {
            causes.push_back(field::invalid(path.child("path"), value, "must be an absolute path"));
        }
    } else {
        causes.push_back(field::notSupported(path.child("pathType"), *pathType, kPathTypes));
    }
    append(causes, validateBackend(objectAt(ingressPath, {"backend"}), path.child("backend")));
    return causes;
}

FieldCauses validateHost(const std::string& host, const FieldPath& path, bool& wildcard) {
    FieldCauses causes;
    if (isValidIp(host)) {
        causes.push_back(field::invalid(path, host, "must be a DNS name, not an IP address"));
    }
    wildcard = host.find('*') != std::string::npos;
    for (const auto& message :
         wildcard ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host)) {
        causes.push_back(field::invalid(path, host, message));
    }
    return causes;
}

bool isIpv4(const std::string& text) {
    std::array<unsigned char, 4> buffer{};
    return inet_pton(AF_INET, text.c_str(), buffer.data()) == 1;
}

bool isIpv6(const std::string& text) {
    std::array<unsigned char, 16> buffer{};
    return inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1;
}

FieldCauses validatePeer(const json& peer, const FieldPath& path) {
    FieldCauses causes;
    int peers = 0;
    for (const std::string_view key : {"podSelector", "namespaceSelector"}) {
        if (const json* selector = member(peer, key); selector != nullptr && !selector->is_null()) {
            ++peers;
            append(causes, validateLabelSelector(*selector, path.child(key)));
        }
    }
    const json* ipBlock = member(peer, "ipBlock");
    const bool hasIpBlock = ipBlock != nullptr && !ipBlock->is_null();
    if (hasIpBlock) {
        ++peers;
        const std::string cidr = stringAt(*ipBlock, {"cidr"});
        const FieldPath at = path.child("ipBlock");
        if (cidr.empty()) {
            causes.push_back(field::required(at.child("cidr")));
        } else if (!isValidCidr(cidr)) {
            causes.push_back(field::invalid(at.child("cidr"), cidr, kCidrMessage));
        }
        const json& except = arrayAt(*ipBlock, {"except"});
        for (std::size_t i = 0; i < except.size(); ++i) {
            const std::string value = asString(except[i]);
            if (!isValidCidr(value)) {
                causes.push_back(field::invalid(at.child("except").index(i), value, kCidrMessage));
            }
        }
    }
    if (peers == 0) {
        causes.push_back(field::required(path, "must specify a peer"));
    } else if (peers > 1 && hasIpBlock) {
        causes.push_back(field::forbidden(path, "may not specify both ipBlock and another peer"));
    }
    return causes;
}

FieldCauses validatePolicyPort(const json& port, const FieldPath& path) {
    FieldCauses causes;
    if (const json* protocol = member(port, "protocol");
        protocol != nullptr && !protocol->is_null()) {
        const std::string value = asString(*protocol);
        if (value != "TCP" && value != "UDP" && value != "SCTP") {
            causes.push_back(
                field::notSupported(path.child("protocol"), *protocol, {"TCP", "UDP", "SCTP"}));
        }
    }
    const json* number = member(port, "port");
    const auto endPort = optionalIntAt(port, {"endPort"});
    if (number != nullptr && !number->is_null()) {
        if (const auto value = asInt(*number)) {
            for (const auto& message : isValidPortNum(*value)) {
                causes.push_back(field::invalid(path.child("port"), *value, message));
            }
            if (endPort) {
                if (*endPort < *value) {
                    causes.push_back(field::invalid(path.child("endPort"), *value,
                                                    "must be greater than or equal to `port`"));
                }
                for (const auto& message : isValidPortNum(*endPort)) {
                    causes.push_back(field::invalid(path.child("endPort"), *endPort, message));
                }
            }
        } else {
            if (endPort) {
                causes.push_back(field::invalid(path.child("endPort"), *endPort,
                                                "may not be specified when `port` is non-numeric"));
            }
            for (const auto& message : isValidPortName(asString(*number))) {
                causes.push_back(field::invalid(path.child("port"), *number, message));
            }
        }
    } else if (endPort) {
        causes.push_back(field::invalid(path.child("endPort"), *endPort,
                                        "may not be specified when `port` is not specified"));
    }
    return causes;
}

}  // namespace

FieldCauses validateIngress(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    const json* rules = member(spec, "rules");
    const json& ruleList = arrayAt(spec, {"rules"});
    const json* defaultBackend = member(spec, "defaultBackend");
    const bool hasDefault = defaultBackend != nullptr && !defaultBackend->is_null();
    if (ruleList.empty() && !hasDefault) {
        causes.push_back(field::invalidRendered(
            path,
            rules != nullptr && rules->is_array() ? "[]networking.IngressRule{}"
                                                  : "[]networking.IngressRule(nil)",
            "either `defaultBackend` or `rules` must be specified"));
    }
    if (hasDefault) {
        append(causes, validateBackend(*defaultBackend, path.child("defaultBackend")));
    }
    for (std::size_t i = 0; i < ruleList.size(); ++i) {
        const FieldPath at = path.child("rules").index(i);
        const std::string host = stringAt(ruleList[i], {"host"});
        if (!host.empty()) {
            bool wildcard = false;
            append(causes, validateHost(host, at.child("host"), wildcard));
        }
        const json* http = member(ruleList[i], "http");
        if (http == nullptr || http->is_null()) {
            continue;
        }
        const json& paths = arrayAt(*http, {"paths"});
        if (paths.empty()) {
            causes.push_back(field::required(at.child("http").child("paths")));
        }
        for (std::size_t p = 0; p < paths.size(); ++p) {
            append(causes, validateIngressPath(paths[p], at.child("http").child("paths").index(p)));
        }
    }
    const json& tls = arrayAt(spec, {"tls"});
    for (std::size_t i = 0; i < tls.size(); ++i) {
        const json& hosts = arrayAt(tls[i], {"hosts"});
        for (std::size_t h = 0; h < hosts.size(); ++h) {
            const std::string host = asString(hosts[h]);
            const FieldPath at = path.child("tls").index(i).child("hosts").index(h);
            const bool wildcard = host.find('*') != std::string::npos;
            for (const auto& message :
                 wildcard ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host)) {
                causes.push_back(field::invalid(at, host, message));
            }
        }
    }
    if (const json* className = member(spec, "ingressClassName");
        className != nullptr && !className->is_null()) {
        append(causes,
               validateDns1123Subdomain(asString(*className), path.child("ingressClassName")));
    }
    return causes;
}

FieldCauses validateIngressClass(const json& object, const json* old) {
    FieldCauses causes;
    const FieldPath path = FieldPath("spec").child("controller");
    const std::string controller = stringAt(object, {"spec", "controller"});
    if (controller.size() > 250) {
        causes.push_back(field::tooLong(path, 250));
    }
    const auto slash = controller.find('/');
    if (controller.empty()) {
        causes.push_back(field::required(path));
    } else if (slash == std::string::npos || slash == 0 || slash + 1 == controller.size()) {
        causes.push_back(field::invalid(
            path, controller, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
    } else {
        const std::string host = controller.substr(0, slash);
        for (const auto& message : isDns1123Subdomain(host)) {
            causes.push_back(field::invalid(path, host, message));
        }
    }
    if (const json* parameters = at(object, {"spec", "parameters"});
        parameters != nullptr && parameters->is_object()) {
        const FieldPath at = FieldPath("spec").child("parameters");
        if (stringAt(*parameters, {"kind"}).empty()) {
            causes.push_back(field::required(at.child("kind")));
        }
        if (stringAt(*parameters, {"name"}).empty()) {
            causes.push_back(field::required(at.child("name")));
        }
        const std::string scope = stringAt(*parameters, {"scope"});
        if (!scope.empty() && scope != "Cluster" && scope != "Namespace") {
            causes.push_back(
                field::notSupported(at.child("scope"), scope, {"Cluster", "Namespace"}));
        }
        if (scope == "Namespace" && stringAt(*parameters, {"namespace"}).empty()) {
            causes.push_back(
                field::required(at.child("namespace"), "`parameters.scope` is set to 'Namespace'"));
        }
    }
    if (old != nullptr) {
        append(causes, validateImmutable(controller, stringAt(*old, {"spec", "controller"}), path));
    }
    return causes;
}

FieldCauses validateNetworkPolicy(const json& object, const json* /*old*/) {
    FieldCauses causes;
    const FieldPath path("spec");
    const json& spec = objectAt(object, {"spec"});
    append(causes,
           validateLabelSelector(objectAt(spec, {"podSelector"}), path.child("podSelector")));
    for (const auto& [direction, peers] :
         {std::pair<std::string_view, std::string_view>{"ingress", "from"}, {"egress", "to"}}) {
        const json& rules = arrayAt(spec, {direction});
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const FieldPath at = path.child(direction).index(i);
            const json& ports = arrayAt(rules[i], {"ports"});
            for (std::size_t p = 0; p < ports.size(); ++p) {
                append(causes, validatePolicyPort(ports[p], at.child("ports").index(p)));
            }
            const json& list = arrayAt(rules[i], {peers});
            for (std::size_t p = 0; p < list.size(); ++p) {
                append(causes, validatePeer(list[p], at.child(peers).index(p)));
            }
        }
    }
    const json& types = arrayAt(spec, {"policyTypes"});
    if (types.size() > 2) {
        causes.push_back(field::invalid(path.child("policyTypes"), types,
                                        "may not specify more than two policyTypes"));
        return causes;
    }
    for (std::size_t i = 0; i < types.size(); ++i) {
        const std::string type = asString(types[i]);
        if (type != "Ingress" && type != "Egress") {
            causes.push_back(field::notSupported(path.child("policyTypes").index(i), types[i],
                                                 {"Ingress", "Egress"}));
        }
    }
    return causes;
}

FieldCauses validateEndpointSlice(const json& object, const json* old) {
    FieldCauses causes;
    const std::string addressType = stringAt(object, {"addressType"});
    if (addressType.empty()) {
        causes.push_back(field::required(FieldPath("addressType")));
    } else if (addressType != "IPv4" && addressType != "IPv6" && addressType != "FQDN") {
        causes.push_back(
            field::notSupported(FieldPath("addressType"), addressType, {"FQDN", "IPv4", "IPv6"}));
    }
    const json& endpoints = arrayAt(object, {"endpoints"});
    if (endpoints.size() > 1000) {
        causes.push_back(field::tooMany(FieldPath("endpoints"),
                                        static_cast<std::int64_t>(endpoints.size()), 1000));
    }
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        const FieldPath at = FieldPath("endpoints").index(i);
        const json& addresses = arrayAt(endpoints[i], {"addresses"});
        if (addresses.empty()) {
            causes.push_back(
                field::required(at.child("addresses"), "must contain at least 1 address"));
        } else if (addresses.size() > 100) {
            causes.push_back(field::tooMany(at.child("addresses"),
                                            static_cast<std::int64_t>(addresses.size()), 100));
        }
        for (std::size_t a = 0; a < addresses.size(); ++a) {
            const std::string address = asString(addresses[a]);
            const FieldPath addressPath = at.child("addresses").index(a);
            if (addressType == "IPv4" && !isIpv4(address)) {
                causes.push_back(
                    field::invalid(addressPath, address, "must be a valid IPv4 address"));
            } else if (addressType == "IPv6" && !isIpv6(address)) {
                causes.push_back(
                    field::invalid(addressPath, address, "must be a valid IPv6 address"));
            } else if (addressType == "FQDN") {
                append(causes, validateDns1123Subdomain(address, addressPath));
            }
        }
        const std::string nodeName = stringAt(endpoints[i], {"nodeName"});
        if (!nodeName.empty()) {
            append(causes, validateDns1123Subdomain(nodeName, at.child("nodeName")));
        }
        const std::string hostname = stringAt(endpoints[i], {"hostname"});
        if (!hostname.empty()) {
            append(causes, validateDns1123Label(hostname, at.child("hostname")));
        }
    }
    const json& ports = arrayAt(object, {"ports"});
    if (ports.size() > 100) {
        causes.push_back(
            field::tooMany(FieldPath("ports"), static_cast<std::int64_t>(ports.size()), 100));
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const FieldPath at = FieldPath("ports").index(i);
        const std::string name = stringAt(ports[i], {"name"});
        if (!name.empty()) {
            append(causes, validateDns1123Label(name, at.child("name")));
        }
        if (!names.insert(name).second) {
            causes.push_back(field::duplicate(at.child("name"), name));
        }
        const json* protocol = member(ports[i], "protocol");
        if (protocol == nullptr || protocol->is_null()) {
            causes.push_back(field::required(at.child("protocol")));
        } else if (asString(*protocol) != "TCP" && asString(*protocol) != "UDP" &&
                   asString(*protocol) != "SCTP") {
            causes.push_back(
                field::notSupported(at.child("protocol"), *protocol, {"SCTP", "TCP", "UDP"}));
        }
    }
    if (old != nullptr && stringAt(*old, {"addressType"}) != addressType) {
        causes.push_back(
            field::invalid(FieldPath("addressType"), addressType, "field is immutable"));
    }
    return causes;
}

}  // namespace slipway::api::detail
