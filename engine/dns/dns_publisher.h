// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "engine/client/client.h"
#include "engine/core/result.h"
#include "engine/dns/dns_server.h"

namespace slipway::dns {

/// How the cluster DNS makes itself known to pods.
struct DnsPublication {
    std::string nameSpace = "kube-system";
    std::string name = "kube-dns";
    /// Requested spec.clusterIP: pods' resolv.conf names it (kubelet's clusterDNS).
    std::string clusterIp = "10.96.0.10";
    /// The addresses the server listens on: the Endpoints and the EndpointSlice list them
    /// (IPv4 only; the port of the first is the target port).
    std::vector<HostPort> addresses;
};

/// Creates or updates the selector-less Service `kube-system/kube-dns` (label k8s-app=kube-dns,
/// ports dns 53/UDP and dns-tcp 53/TCP), its Endpoints and an EndpointSlice (managed by
/// "slipway-cluster-dns") listing the server's addresses, so that the Service proxy sends
/// 10.96.0.10:53 to the server. A clusterIP already set is kept (it is immutable).
core::Result<void> publishClusterDns(const client::Client& client,
                                     const DnsPublication& publication);

}  // namespace slipway::dns
