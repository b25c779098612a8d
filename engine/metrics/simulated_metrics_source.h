// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/client/informer.h"
#include "engine/client/shared_informers.h"
#include "engine/metrics/metrics_source.h"

namespace slipway::metrics {

/// Settings of a SimulatedMetricsSource.
struct SimulatedMetricsOptions {
    /// A running pod with no usage annotation anywhere uses this much (split over its
    /// containers).
    core::Quantity defaultPodCpu = core::Quantity::fromMilli(1);
    core::Quantity defaultPodMemory =
        core::Quantity::fromValue(8 * 1024 * 1024, core::Quantity::Format::BinarySI);
    /// What a node uses besides its pods (its system daemons).
    core::Quantity nodeBaseCpu = core::Quantity::fromMilli(50);
    core::Quantity nodeBaseMemory =
        core::Quantity::fromValue(128 * 1024 * 1024, core::Quantity::Format::BinarySI);
    /// The window every measurement covers (metrics-server's resolution).
    std::chrono::milliseconds window = std::chrono::seconds(10);
    /// Which nodes are simulated (and so measured here); unset: every node.
    std::function<bool(const nlohmann::json& node)> isSimulatedNode;
    /// The time of a measurement; unset: the system clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// Usage of simulated nodes, decided by annotations so that a lesson or a test can make load:
///
///   sim.slipway.dev/cpu-usage: "400m"      sim.slipway.dev/memory-usage: "96Mi"
///
/// on the pod itself, or else on its controller (its ReplicaSet), or else on that one's
/// controller (the Deployment). Annotating a Deployment's own metadata changes no pod
/// template, so it starts no rollout: the pods keep running and their usage changes at once.
/// Without an annotation a pod uses a small default. The value is the pod's usage, split
/// evenly over its containers. Only Running pods bound to a node use anything. A node uses the
/// sum of its pods plus a base.
///
/// Reads informers of pods (indexed by node), nodes, ReplicaSets and Deployments from the
/// given factory; the caller starts it. Thread-safe.
class SimulatedMetricsSource : public MetricsSource {
public:
    static constexpr const char* kCpuUsageAnnotation = "sim.slipway.dev/cpu-usage";
    static constexpr const char* kMemoryUsageAnnotation = "sim.slipway.dev/memory-usage";

    explicit SimulatedMetricsSource(client::SharedInformers& informers,
                                    SimulatedMetricsOptions options = {});

    std::vector<NodeUsage> nodeUsage() const override;
    std::optional<NodeUsage> nodeUsage(std::string_view name) const override;
    std::vector<PodUsage> podUsage(std::string_view nameSpace,
                                   const core::LabelSelector& selector) const override;
    std::optional<PodUsage> podUsage(std::string_view nameSpace,
                                     std::string_view name) const override;

    /// The usage of one pod object, or nothing when it does not run (not Running, not bound).
    std::optional<PodUsage> usageOf(const nlohmann::json& pod,
                                    std::chrono::system_clock::time_point now) const;

private:
    std::chrono::system_clock::time_point now() const;
    NodeUsage usageOfNode(const nlohmann::json& node,
                          std::chrono::system_clock::time_point now) const;
    bool measured(std::string_view nodeName) const;
    /// The annotation on the pod, else on its controllers (ReplicaSet, then Deployment).
    std::optional<core::Quantity> annotatedUsage(const nlohmann::json& pod,
                                                 const char* annotation) const;

    SimulatedMetricsOptions m_options;
    client::Lister m_pods;
    client::Lister m_nodes;
    client::Lister m_replicaSets;
    client::Lister m_deployments;
};

}  // namespace slipway::metrics
