// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/label_selector.h"
#include "engine/core/quantity.h"

namespace slipway::metrics {

/// What one container uses now: cpu in cores ("250m"), memory in bytes ("64Mi").
struct ContainerUsage {
    std::string name;
    core::Quantity cpu;
    core::Quantity memory;
};

/// A pod's usage over the last `window`, measured at `timestamp` (a PodMetrics).
struct PodUsage {
    std::string nameSpace;
    std::string name;
    /// The pod's labels (an object), so that the API can select by label as metrics-server does.
    nlohmann::json labels = nlohmann::json::object();
    std::chrono::system_clock::time_point timestamp;
    std::chrono::milliseconds window{0};
    std::vector<ContainerUsage> containers;
};

/// A node's usage (a NodeMetrics): everything running on it, the system included.
struct NodeUsage {
    std::string name;
    nlohmann::json labels = nlohmann::json::object();
    std::chrono::system_clock::time_point timestamp;
    std::chrono::milliseconds window{0};
    core::Quantity cpu;
    core::Quantity memory;
};

/// Where the resource metrics API gets its numbers, as metrics-server gets them from kubelets'
/// summaries. Each source covers its own nodes and their pods: SimulatedMetricsSource the
/// simulated nodes; a node agent's cgroup reader (issue 5) will cover a real node, reporting
/// what its cgroups counted over the last window. CompositeMetricsSource puts them together.
///
/// Implementations are thread-safe: the API server calls them from every I/O thread.
class MetricsSource {
public:
    virtual ~MetricsSource() = default;

    /// Every node this source measures.
    virtual std::vector<NodeUsage> nodeUsage() const = 0;
    /// One node, if this source measures it.
    virtual std::optional<NodeUsage> nodeUsage(std::string_view name) const = 0;
    /// The pods this source measures in `nameSpace` ("" = all namespaces) whose labels
    /// `selector` matches. Only pods that run (Running, on a node) have usage.
    virtual std::vector<PodUsage> podUsage(std::string_view nameSpace,
                                           const core::LabelSelector& selector) const = 0;
    /// One pod, if this source measures it.
    virtual std::optional<PodUsage> podUsage(std::string_view nameSpace,
                                             std::string_view name) const = 0;
};

/// Several sources answering as one (each covering different nodes).
class CompositeMetricsSource : public MetricsSource {
public:
    /// The sources must outlive this object.
    explicit CompositeMetricsSource(std::vector<const MetricsSource*> sources)
        : m_sources(std::move(sources)) {}

    std::vector<NodeUsage> nodeUsage() const override;
    std::optional<NodeUsage> nodeUsage(std::string_view name) const override;
    std::vector<PodUsage> podUsage(std::string_view nameSpace,
                                   const core::LabelSelector& selector) const override;
    std::optional<PodUsage> podUsage(std::string_view nameSpace,
                                     std::string_view name) const override;

private:
    std::vector<const MetricsSource*> m_sources;
};

}  // namespace slipway::metrics
