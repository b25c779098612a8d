// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/dns_publisher.h"

#include <spdlog/spdlog.h>

namespace slipway::dns {
namespace {

using nlohmann::json;

constexpr const char* kManagedBy = "slipway-cluster-dns";

json labels() {
    return {{"k8s-app", "kube-dns"},
            {"kubernetes.io/cluster-service", "true"},
            {"kubernetes.io/name", "CoreDNS"}};
}

/// The Service's ports: what pods' resolv.conf reaches at 10.96.0.10:53.
json servicePorts(std::uint16_t targetPort) {
    return json::array(
        {{{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}, {"targetPort", targetPort}},
         {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}, {"targetPort", targetPort}}});
}

json endpointPorts(std::uint16_t port) {
    return json::array({{{"name", "dns"}, {"port", port}, {"protocol", "UDP"}},
                        {{"name", "dns-tcp"}, {"port", port}, {"protocol", "TCP"}}});
}

/// Creates `object`, or replaces what `merge` changes of the stored one.
core::Result<void> createOrUpdate(const client::Client& client, const client::ResourceRef& ref,
                                  const json& object,
                                  const std::function<void(json& stored)>& merge) {
    auto stored = client.get(ref);
    if (!stored) {
        if (stored.error().code() != core::ErrorCode::NotFound) {
            return stored.error();
        }
        auto created = client.create(ref.named(""), object);
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
        return core::success();
    }
    json updated = *stored;
    merge(updated);
    if (updated == *stored) {
        return core::success();
    }
    auto written = client.update(ref, updated);
    if (!written) {
        return written.error();
    }
    return core::success();
}

}  // namespace

core::Result<void> publishClusterDns(const client::Client& client,
                                     const DnsPublication& publication) {
    std::vector<std::string> addresses;
    for (const auto& address : publication.addresses) {
        if (address.address.find(':') == std::string::npos) {
            addresses.push_back(address.address);
        }
    }
    const std::uint16_t port = publication.addresses.empty() ? 53 : publication.addresses[0].port;

    json service = {
        {"apiVersion", "v1"},
        {"kind", "Service"},
        {"metadata",
         {{"name", publication.name}, {"namespace", publication.nameSpace}, {"labels", labels()}}},
        {"spec", {{"type", "ClusterIP"}, {"ports", servicePorts(port)}}}};
    if (!publication.clusterIp.empty()) {
        service["spec"]["clusterIP"] = publication.clusterIp;
    }
    const auto serviceRef =
        client::resources::services().in(publication.nameSpace).named(publication.name);
    if (auto done = createOrUpdate(client, serviceRef, service,
                                   [&](json& stored) {
                                       // clusterIP is immutable: an existing one stays. Ports and
                                       // labels follow us.
                                       stored["spec"]["ports"] = servicePorts(port);
                                       stored["spec"].erase("selector");
                                       const json ours = labels();
                                       for (const auto& [key, value] : ours.items()) {
                                           stored["metadata"]["labels"][key] = value;
                                       }
                                   });
        !done) {
        return done.error().wrap("publishing Service " + publication.nameSpace + "/" +
                                 publication.name);
    }

    json endpointAddresses = json::array();
    for (const auto& address : addresses) {
        endpointAddresses.push_back({{"ip", address}});
    }
    json subsets = json::array();
    if (!addresses.empty()) {
        subsets.push_back({{"addresses", endpointAddresses}, {"ports", endpointPorts(port)}});
    }
    const json endpoints = {
        {"apiVersion", "v1"},
        {"kind", "Endpoints"},
        {"metadata",
         {{"name", publication.name}, {"namespace", publication.nameSpace}, {"labels", labels()}}},
        {"subsets", subsets}};
    const auto endpointsRef =
        client::resources::endpoints().in(publication.nameSpace).named(publication.name);
    if (auto done = createOrUpdate(client, endpointsRef, endpoints,
                                   [&](json& stored) { stored["subsets"] = subsets; });
        !done) {
        return done.error().wrap("publishing Endpoints " + publication.name);
    }

    json sliceEndpoints = json::array();
    for (const auto& address : addresses) {
        sliceEndpoints.push_back(
            {{"addresses", json::array({address})},
             {"conditions", {{"ready", true}, {"serving", true}, {"terminating", false}}}});
    }
    json sliceLabels = labels();
    sliceLabels["kubernetes.io/service-name"] = publication.name;
    sliceLabels["endpointslice.kubernetes.io/managed-by"] = kManagedBy;
    const std::string sliceName = publication.name + "-slipway";
    const json slice = {
        {"apiVersion", "discovery.k8s.io/v1"},
        {"kind", "EndpointSlice"},
        {"metadata",
         {{"name", sliceName}, {"namespace", publication.nameSpace}, {"labels", sliceLabels}}},
        {"addressType", "IPv4"},
        {"endpoints", sliceEndpoints},
        {"ports", endpointPorts(port)}};
    const client::ResourceRef slices{"discovery.k8s.io", "v1", "endpointslices"};
    if (auto done = createOrUpdate(client, slices.in(publication.nameSpace).named(sliceName), slice,
                                   [&](json& stored) {
                                       stored["endpoints"] = sliceEndpoints;
                                       stored["ports"] = endpointPorts(port);
                                       stored["metadata"]["labels"] = sliceLabels;
                                   });
        !done) {
        return done.error().wrap("publishing EndpointSlice " + sliceName);
    }
    spdlog::debug("cluster dns: Service {}/{} published for {} address(es)", publication.nameSpace,
                  publication.name, addresses.size());
    return core::success();
}

}  // namespace slipway::dns
