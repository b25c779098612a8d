// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/agent/runtime/runtime.h"
#include "engine/client/informer.h"
#include "engine/metrics/metrics_source.h"

namespace slipway::agent::kubelet {

/// The resource metrics of a real node, as metrics-server gets them from a kubelet's summary:
/// each running container's CPU rate and memory working set from its cgroup, and the node's
/// from /proc (CPU time of all CPUs, MemTotal − MemAvailable). sample() takes a reading; a
/// usage is the rate between the last two readings, so figures appear after the second one
/// (metrics-server's first scrape also has none). Thread-safe.
class KubeletMetricsSource final : public metrics::MetricsSource {
public:
    /// `pods` is the kubelet's pod informer (labels, names); both must outlive this object.
    KubeletMetricsSource(std::string nodeName, runtime::Runtime& runtime,
                         const client::Informer& pods);

    /// Reads every running container's cgroup counters and the node's.
    void sample();

    std::vector<metrics::NodeUsage> nodeUsage() const override;
    std::optional<metrics::NodeUsage> nodeUsage(std::string_view name) const override;
    std::vector<metrics::PodUsage> podUsage(std::string_view nameSpace,
                                            const core::LabelSelector& selector) const override;
    std::optional<metrics::PodUsage> podUsage(std::string_view nameSpace,
                                              std::string_view name) const override;

private:
    struct Reading {
        std::chrono::system_clock::time_point at;
        std::uint64_t cpuNanos = 0;
        std::uint64_t memoryBytes = 0;
    };
    struct Series {
        std::optional<Reading> previous;
        std::optional<Reading> latest;
        std::string podUid;
        std::string container;
    };
    std::optional<metrics::ContainerUsage> usageOf(const Series& series) const;
    std::optional<metrics::PodUsage> podUsageLocked(const nlohmann::json& pod) const;

    const std::string m_nodeName;
    runtime::Runtime& m_runtime;
    const client::Informer& m_pods;
    mutable std::mutex m_mutex;
    std::map<std::string, Series> m_containers;  ///< by container id
    Series m_node;
};

}  // namespace slipway::agent::kubelet
