// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::proxy {

/// One backend of a Service port, from an EndpointSlice endpoint.
struct Endpoint {
    std::string ip;
    int port = 0;
    /// conditions.ready (an absent condition counts as ready, as discovery/v1 says).
    bool ready = true;
    /// On this node (nodeName): the candidates of externalTrafficPolicy Local.
    bool local = false;

    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

/// One port of one Service, as the proxy programs it (kube-proxy's ServicePort plus its
/// endpoints). Headless and ExternalName Services have none.
struct ServicePort {
    std::string nameSpace;
    std::string name;
    /// spec.ports[].name ("" for a single unnamed port).
    std::string portName;
    /// "tcp", "udp" or "sctp" (nftables spelling).
    std::string protocol = "tcp";
    std::string clusterIp;
    int port = 0;
    /// 0 unless NodePort or LoadBalancer.
    int nodePort = 0;
    /// status.loadBalancer.ingress[].ip and spec.externalIPs: served like node ports.
    std::vector<std::string> externalIps;
    /// externalTrafficPolicy Local: external traffic only to this node's endpoints, source kept.
    bool externalLocal = false;
    /// sessionAffinity ClientIP: its timeout; 0 for None.
    int affinitySeconds = 0;
    std::vector<Endpoint> endpoints;

    /// "ns/name:portName/protocol", the key programmed state is tracked by.
    std::string key() const;
    /// "ns/name/protocol/portName": kube-proxy's chain name suffix.
    std::string displayName() const;
    friend bool operator==(const ServicePort&, const ServicePort&) = default;
};

/// The ports `service` exposes with the endpoints its EndpointSlices list for each
/// (slices are matched by the kubernetes.io/service-name label, ports by name and protocol;
/// duplicates across slices are merged). `nodeName` marks local endpoints.
std::vector<ServicePort> servicePortsOf(const nlohmann::json& service,
                                        const std::vector<nlohmann::json>& slices,
                                        const std::string& nodeName);

}  // namespace slipway::proxy
