// SPDX-License-Identifier: Apache-2.0
// Objects the DNS tests create: Services, EndpointSlices and Pods as the API server stores them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/client.h"

namespace slipway::testing::dns {

inline client::ResourceRef endpointSlices() {
    return {"discovery.k8s.io", "v1", "endpointslices"};
}

inline nlohmann::json service(const std::string& nameSpace, const std::string& name,
                              const std::string& clusterIp, const nlohmann::json& ports) {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", nameSpace}}},
            {"spec", {{"clusterIP", clusterIp}, {"ports", ports}}}};
}

inline nlohmann::json port(const std::string& name, int number, const std::string& protocol) {
    return {{"name", name}, {"port", number}, {"protocol", protocol}};
}

/// An endpoint of a slice: address, readiness, hostname ("" for none).
struct SliceEndpoint {
    std::string address;
    bool ready = true;
    std::string hostname;
};

inline nlohmann::json endpointSlice(const std::string& nameSpace, const std::string& service,
                                    const std::string& name,
                                    const std::vector<SliceEndpoint>& endpoints,
                                    const nlohmann::json& ports) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& endpoint : endpoints) {
        nlohmann::json entry = {{"addresses", nlohmann::json::array({endpoint.address})},
                                {"conditions", {{"ready", endpoint.ready}}}};
        if (!endpoint.hostname.empty()) {
            entry["hostname"] = endpoint.hostname;
        }
        list.push_back(entry);
    }
    return {{"apiVersion", "discovery.k8s.io/v1"},
            {"kind", "EndpointSlice"},
            {"metadata",
             {{"name", name},
              {"namespace", nameSpace},
              {"labels", {{"kubernetes.io/service-name", service}}}}},
            {"addressType", "IPv4"},
            {"endpoints", list},
            {"ports", ports}};
}

inline nlohmann::json pod(const std::string& nameSpace, const std::string& name,
                          const std::string& ip) {
    return {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", {{"name", name}, {"namespace", nameSpace}}},
        {"spec", {{"containers", nlohmann::json::array({{{"name", "c"}, {"image", "busybox"}}})}}},
        {"status", {{"podIP", ip}, {"podIPs", nlohmann::json::array({{{"ip", ip}}})}}}};
}

}  // namespace slipway::testing::dns
