// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/kubelet/kubelet_metrics.h"

#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "engine/client/indexer.h"

namespace slipway::agent::kubelet {

using nlohmann::json;

namespace {

/// CPU time of every CPU since boot, from /proc/stat's first line (user … steal), in ns.
std::uint64_t hostCpuNanos() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    std::uint64_t total = 0;
    std::uint64_t value = 0;
    int field = 0;
    while (field < 8 && in >> value) {
        if (field != 3 && field != 4) {  // idle and iowait are not usage
            total += value;
        }
        ++field;
    }
    const long ticks = ::sysconf(_SC_CLK_TCK);
    return total * (1'000'000'000ULL / static_cast<std::uint64_t>(ticks > 0 ? ticks : 100));
}

std::uint64_t hostMemoryInUse() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t value = 0;
    std::string unit;
    std::uint64_t total = 0;
    std::uint64_t available = 0;
    while (in >> key >> value >> unit) {
        if (key == "MemTotal:") {
            total = value * 1024;
        } else if (key == "MemAvailable:") {
            available = value * 1024;
        }
    }
    return total > available ? total - available : 0;
}

}  // namespace

KubeletMetricsSource::KubeletMetricsSource(std::string nodeName, runtime::Runtime& runtime,
                                           const client::Informer& pods)
    : m_nodeName(std::move(nodeName)), m_runtime(runtime), m_pods(pods) {}

void KubeletMetricsSource::sample() {
    const auto now = std::chrono::system_clock::now();
    std::map<std::string, Reading> readings;
    std::map<std::string, std::pair<std::string, std::string>> owners;
    for (const auto& container : m_runtime.listContainers()) {
        if (container.state != runtime::ContainerState::Running) {
            continue;
        }
        auto stats = m_runtime.stats(container.config.id);
        if (!stats) {
            continue;
        }
        readings[container.config.id] = {now, stats->cpuUsageNanos, stats->memoryWorkingSetBytes};
        owners[container.config.id] = {container.config.podUid, container.config.containerName};
    }
    const Reading node{now, hostCpuNanos(), hostMemoryInUse()};
    std::lock_guard lock(m_mutex);
    std::erase_if(m_containers, [&](const auto& entry) { return !readings.contains(entry.first); });
    for (auto& [id, reading] : readings) {
        Series& series = m_containers[id];
        series.previous = series.latest;
        series.latest = reading;
        series.podUid = owners[id].first;
        series.container = owners[id].second;
    }
    m_node.previous = m_node.latest;
    m_node.latest = node;
}

std::optional<metrics::ContainerUsage> KubeletMetricsSource::usageOf(const Series& series) const {
    if (!series.previous || !series.latest) {
        return std::nullopt;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(series.latest->at -
                                                                              series.previous->at)
                             .count();
    if (elapsed <= 0) {
        return std::nullopt;
    }
    const std::uint64_t used = series.latest->cpuNanos >= series.previous->cpuNanos
                                   ? series.latest->cpuNanos - series.previous->cpuNanos
                                   : 0;
    metrics::ContainerUsage usage;
    usage.name = series.container;
    // Cores as a rate, in millicores (metrics-server rounds to nanocores; kubectl shows m).
    usage.cpu = core::Quantity::fromMilli(
        static_cast<std::int64_t>(used * 1000 / static_cast<std::uint64_t>(elapsed)));
    usage.memory = core::Quantity::fromValue(static_cast<std::int64_t>(series.latest->memoryBytes),
                                             core::Quantity::Format::BinarySI);
    return usage;
}

std::optional<metrics::PodUsage> KubeletMetricsSource::podUsageLocked(const json& pod) const {
    const std::string uid = client::metadataString(pod, "uid");
    metrics::PodUsage usage;
    usage.nameSpace = client::metadataString(pod, "namespace");
    usage.name = client::metadataString(pod, "name");
    usage.labels = pod["metadata"].value("labels", json::object());
    for (const auto& [id, series] : m_containers) {
        if (series.podUid != uid) {
            continue;
        }
        if (auto container = usageOf(series)) {
            usage.containers.push_back(std::move(*container));
            usage.timestamp = series.latest->at;
            usage.window = std::chrono::duration_cast<std::chrono::milliseconds>(
                series.latest->at - series.previous->at);
        }
    }
    if (usage.containers.empty()) {
        return std::nullopt;
    }
    return usage;
}

std::vector<metrics::NodeUsage> KubeletMetricsSource::nodeUsage() const {
    if (auto node = nodeUsage(m_nodeName)) {
        return {*node};
    }
    return {};
}

std::optional<metrics::NodeUsage> KubeletMetricsSource::nodeUsage(std::string_view name) const {
    if (name != m_nodeName) {
        return std::nullopt;
    }
    std::lock_guard lock(m_mutex);
    Series node = m_node;
    node.container = m_nodeName;
    auto usage = usageOf(node);
    if (!usage) {
        return std::nullopt;
    }
    metrics::NodeUsage out;
    out.name = m_nodeName;
    out.timestamp = node.latest->at;
    out.window =
        std::chrono::duration_cast<std::chrono::milliseconds>(node.latest->at - node.previous->at);
    out.cpu = usage->cpu;
    out.memory = usage->memory;
    return out;
}

std::vector<metrics::PodUsage> KubeletMetricsSource::podUsage(
    std::string_view nameSpace, const core::LabelSelector& selector) const {
    std::vector<metrics::PodUsage> out;
    std::lock_guard lock(m_mutex);
    for (const auto& pod : m_pods.lister().list()) {
        if (!nameSpace.empty() && client::metadataString(*pod, "namespace") != nameSpace) {
            continue;
        }
        if (!selector.matches((*pod)["metadata"].value("labels", json::object()))) {
            continue;
        }
        if (auto usage = podUsageLocked(*pod)) {
            out.push_back(std::move(*usage));
        }
    }
    return out;
}

std::optional<metrics::PodUsage> KubeletMetricsSource::podUsage(std::string_view nameSpace,
                                                                std::string_view name) const {
    const auto pod = m_pods.lister().get(nameSpace, name);
    if (!pod) {
        return std::nullopt;
    }
    std::lock_guard lock(m_mutex);
    return podUsageLocked(*pod);
}

}  // namespace slipway::agent::kubelet
