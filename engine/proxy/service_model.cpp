// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/service_model.h"

#include <algorithm>
#include <cctype>

namespace slipway::proxy {

using nlohmann::json;

namespace {

std::string stringAt(const json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int intAt(const json& object, const char* key) {
    if (!object.is_object()) {
        return 0;
    }
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

const json& arrayAt(const json& object, const char* key) {
    static const json empty = json::array();
    if (!object.is_object()) {
        return empty;
    }
    auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

const json& objectAt(const json& object, const char* key) {
    static const json empty = json::object();
    if (!object.is_object()) {
        return empty;
    }
    auto it = object.find(key);
    return it != object.end() && it->is_object() ? *it : empty;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

std::string ServicePort::key() const {
    return nameSpace + "/" + name + ":" + portName + "/" + protocol;
}

std::string ServicePort::displayName() const {
    return nameSpace + "/" + name + "/" + protocol + "/" + portName;
}

std::vector<ServicePort> servicePortsOf(const json& service, const std::vector<json>& slices,
                                        const std::string& nodeName) {
    std::vector<ServicePort> ports;
    const json& spec = objectAt(service, "spec");
    const std::string type = stringAt(spec, "type");
    const std::string clusterIp = stringAt(spec, "clusterIP");
    if (type == "ExternalName" || clusterIp.empty() || clusterIp == "None") {
        return ports;
    }
    const json& metadata = objectAt(service, "metadata");
    std::vector<std::string> externalIps;
    for (const auto& ip : arrayAt(spec, "externalIPs")) {
        if (ip.is_string()) {
            externalIps.push_back(ip.get<std::string>());
        }
    }
    if (type == "LoadBalancer") {
        for (const auto& ingress :
             arrayAt(objectAt(objectAt(service, "status"), "loadBalancer"), "ingress")) {
            // ipMode Proxy (Kubernetes 1.30): the load balancer delivers to the node port
            // itself (`slipway tunnel` forwards 127.0.0.1 of the host there), so its address is
            // not one this node should answer; 127.0.0.1 of the guest least of all.
            if (const std::string ip = stringAt(ingress, "ip");
                !ip.empty() && stringAt(ingress, "ipMode") != "Proxy") {
                externalIps.push_back(ip);
            }
        }
    }
    const bool external = type == "NodePort" || type == "LoadBalancer" || !externalIps.empty();
    int affinity = 0;
    if (stringAt(spec, "sessionAffinity") == "ClientIP") {
        affinity =
            intAt(objectAt(objectAt(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds");
        if (affinity <= 0) {
            affinity = 10800;
        }
    }
    for (const auto& specPort : arrayAt(spec, "ports")) {
        ServicePort port;
        port.nameSpace = stringAt(metadata, "namespace");
        port.name = stringAt(metadata, "name");
        port.portName = stringAt(specPort, "name");
        const std::string protocol = stringAt(specPort, "protocol");
        port.protocol = protocol.empty() ? "tcp" : lower(protocol);
        port.clusterIp = clusterIp;
        port.port = intAt(specPort, "port");
        port.nodePort =
            type == "NodePort" || type == "LoadBalancer" ? intAt(specPort, "nodePort") : 0;
        port.externalIps = externalIps;
        port.externalLocal = external && stringAt(spec, "externalTrafficPolicy") == "Local";
        port.affinitySeconds = affinity;
        for (const auto& slice : slices) {
            const std::string family = stringAt(slice, "addressType");
            if (!family.empty() && family != "IPv4") {
                continue;
            }
            int target = 0;
            for (const auto& slicePort : arrayAt(slice, "ports")) {
                const std::string sliceProtocol = stringAt(slicePort, "protocol");
                if (stringAt(slicePort, "name") == port.portName &&
                    (sliceProtocol.empty() ? "tcp" : lower(sliceProtocol)) == port.protocol) {
                    target = intAt(slicePort, "port");
                }
            }
            if (target == 0) {
                continue;
            }
            for (const auto& endpoint : arrayAt(slice, "endpoints")) {
                const json& addresses = arrayAt(endpoint, "addresses");
                if (addresses.empty() || !addresses[0].is_string()) {
                    continue;
                }
                Endpoint backend;
                backend.ip = addresses[0].get<std::string>();
                backend.port = target;
                const json& conditions = objectAt(endpoint, "conditions");
                auto ready = conditions.find("ready");
                backend.ready =
                    ready == conditions.end() || !ready->is_boolean() || ready->get<bool>();
                backend.local = !nodeName.empty() && stringAt(endpoint, "nodeName") == nodeName;
                auto same = std::find_if(
                    port.endpoints.begin(), port.endpoints.end(), [&](const Endpoint& other) {
                        return other.ip == backend.ip && other.port == backend.port;
                    });
                if (same == port.endpoints.end()) {
                    port.endpoints.push_back(backend);
                } else {
                    same->ready = same->ready || backend.ready;
                    same->local = same->local || backend.local;
                }
            }
        }
        std::sort(port.endpoints.begin(), port.endpoints.end(),
                  [](const Endpoint& a, const Endpoint& b) {
                      return std::tie(a.ip, a.port) < std::tie(b.ip, b.port);
                  });
        ports.push_back(std::move(port));
    }
    return ports;
}

}  // namespace slipway::proxy
