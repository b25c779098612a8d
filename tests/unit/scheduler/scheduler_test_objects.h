// SPDX-License-Identifier: Apache-2.0
// Nodes and pods as the API serves them, for the scheduler's tests and benchmark.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace slipway::testing {

/// A Ready Node with status.allocatable (and capacity) `cpu`, `memory`, `pods`, and the
/// hostname label; `labels` and `taints` are added.
inline nlohmann::json schedulerNode(const std::string& name, const std::string& cpu = "4",
                                    const std::string& memory = "8Gi", int pods = 110,
                                    const nlohmann::json& labels = nlohmann::json::object(),
                                    const nlohmann::json& taints = nlohmann::json::array()) {
    nlohmann::json allLabels = labels;
    allLabels["kubernetes.io/hostname"] = name;
    const nlohmann::json resources = {
        {"cpu", cpu}, {"memory", memory}, {"pods", std::to_string(pods)}};
    nlohmann::json node = {
        {"apiVersion", "v1"},
        {"kind", "Node"},
        {"metadata", {{"name", name}, {"labels", allLabels}}},
        {"spec", nlohmann::json::object()},
        {"status",
         {{"capacity", resources},
          {"allocatable", resources},
          {"conditions",
           nlohmann::json::array({{{"type", "Ready"},
                                   {"status", "True"},
                                   {"reason", "KubeletReady"},
                                   {"message", "kubelet is posting ready status"}}})}}}};
    if (!taints.empty()) {
        node["spec"]["taints"] = taints;
    }
    return node;
}

/// A pod with one container requesting `cpu` and `memory` ("" leaves the request out).
inline nlohmann::json schedulerPod(const std::string& name, const std::string& cpu = "",
                                   const std::string& memory = "",
                                   const nlohmann::json& labels = nlohmann::json::object(),
                                   const std::string& nameSpace = "default") {
    nlohmann::json requests = nlohmann::json::object();
    if (!cpu.empty()) {
        requests["cpu"] = cpu;
    }
    if (!memory.empty()) {
        requests["memory"] = memory;
    }
    nlohmann::json container = {{"name", "app"}, {"image", "nginx:1.27"}};
    if (!requests.empty()) {
        container["resources"] = {{"requests", requests}};
    }
    return {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", name}, {"namespace", nameSpace}, {"uid", "uid-" + name}, {"labels", labels}}},
        {"spec",
         {{"schedulerName", "default-scheduler"},
          {"priority", 0},
          {"containers", nlohmann::json::array({container})}}},
        {"status", {{"phase", "Pending"}}}};
}

}  // namespace slipway::testing
