// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/framework.h"

#include <algorithm>
#include <map>

#include "engine/scheduler/plugins.h"

namespace slipway::scheduler {

namespace {

// numFeasibleNodesToFind's bounds.
constexpr std::size_t kMinFeasibleNodesToFind = 100;
constexpr int kMinFeasibleNodesPercentageToFind = 5;

/// "0/3 nodes are available: " followed by the reasons histogram, "N reason" sorted as strings
/// (as kube's sortReasonsHistogram does), and a period.
std::string availabilityMessage(std::size_t numAllNodes,
                                const std::map<std::string, std::size_t>& reasons) {
    std::string message = "0/" + std::to_string(numAllNodes) + " nodes are available:";
    std::vector<std::string> histogram;
    histogram.reserve(reasons.size());
    for (const auto& [reason, count] : reasons) {
        histogram.push_back(std::to_string(count) + " " + reason);
    }
    std::sort(histogram.begin(), histogram.end());
    if (!histogram.empty()) {
        message += " ";
        for (std::size_t i = 0; i < histogram.size(); ++i) {
            if (i > 0) {
                message += ", ";
            }
            message += histogram[i];
        }
        message += ".";
    }
    return message;
}

}  // namespace

std::string FitError::message() const {
    std::map<std::string, std::size_t> reasons;
    for (const auto& [node, status] : nodeStatuses) {
        for (const auto& reason : status.reasons()) {
            ++reasons[reason];
        }
    }
    std::string message = availabilityMessage(numAllNodes, reasons);
    if (!postFilterMessage.empty()) {
        message += " " + postFilterMessage;
    }
    return message;
}

Framework::Framework(FrameworkOptions options) : m_options(options), m_random(options.seed) {
    // The default profile's order (apis/config/v1 default plugins).
    m_plugins.push_back(std::make_unique<NodeUnschedulablePlugin>());
    m_plugins.push_back(std::make_unique<NodeNamePlugin>());
    m_plugins.push_back(std::make_unique<TaintTolerationPlugin>());
    m_plugins.push_back(std::make_unique<NodeAffinityPlugin>());
    m_plugins.push_back(std::make_unique<NodePortsPlugin>());
    m_plugins.push_back(std::make_unique<NodeResourcesFitPlugin>());
    m_plugins.push_back(std::make_unique<PodTopologySpreadPlugin>());
    m_plugins.push_back(std::make_unique<InterPodAffinityPlugin>());
    m_plugins.push_back(std::make_unique<BalancedAllocationPlugin>());
    for (const auto& plugin : m_plugins) {
        if (plugin->hasFilter()) {
            m_filters.push_back(plugin.get());
        }
        if (plugin->weight() > 0) {
            m_scorers.push_back(plugin.get());
        }
    }
}

Framework::~Framework() = default;

std::size_t Framework::feasibleNodesToFind(std::size_t allNodes) const {
    // 1,000 nodes: 50 - 1000/125 = 42% → 420; 5,000 nodes: 50 - 40 = 10% → 500.
    if (allNodes < kMinFeasibleNodesToFind) {
        return allNodes;
    }
    int percentage = m_options.percentageOfNodesToScore;
    if (percentage <= 0) {
        percentage = 50 - static_cast<int>(allNodes / 125);
        percentage = std::max(percentage, kMinFeasibleNodesPercentageToFind);
    }
    if (percentage >= 100) {
        return allNodes;
    }
    const std::size_t count = allNodes * static_cast<std::size_t>(percentage) / 100;
    return std::max(count, kMinFeasibleNodesToFind);
}

std::string Framework::preemptionMessage(const PodInfo& pod, const FitError& error) const {
    if (pod.preemptionNever) {
        return "not eligible due to preemptionPolicy=Never.";
    }
    // DefaultPreemption looks for victims only where a filter said Unschedulable (removing pods
    // could help); the other nodes are "not helpful". Slipway does not evict, so no candidate
    // is ever found: the message kube gives when no lower-priority victims exist.
    std::map<std::string, std::size_t> reasons;
    for (const auto& [node, status] : error.nodeStatuses) {
        if (status.code == Status::Code::UnschedulableAndUnresolvable) {
            ++reasons["Preemption is not helpful for scheduling"];
        } else {
            ++reasons["No preemption victims found for incoming pod"];
        }
    }
    return "preemption: " + availabilityMessage(error.numAllNodes, reasons);
}

ScheduleResult Framework::schedule(const PodInfo& pod, const ClusterView& cluster) {
    ScheduleResult result;
    const std::size_t numNodes = cluster.nodes.size();
    if (numNodes == 0) {
        result.error = "no nodes available to schedule pods";
        return result;
    }

    m_activeFilters.clear();
    for (Plugin* plugin : m_filters) {
        const Status status = plugin->preFilter(pod, cluster);
        if (status.code != Status::Code::Skip) {
            m_activeFilters.push_back(plugin);
        }
    }

    // Filter from where the last cycle stopped, until enough feasible nodes are found.
    const std::size_t toFind = feasibleNodesToFind(numNodes);
    m_feasible.clear();
    m_failures.clear();
    std::size_t processed = 0;
    std::size_t index = m_nextStartNodeIndex % numNodes;
    for (; processed < numNodes && m_feasible.size() < toFind; ++processed) {
        const NodeInfo* node = cluster.nodes[index];
        if (++index == numNodes) {
            index = 0;
        }
        bool fits = true;
        for (Plugin* plugin : m_activeFilters) {
            Status status = plugin->filter(pod, *node);
            if (!status.ok()) {
                result.fitError.unschedulablePlugins |= maskOf(status.plugin);
                m_failures.emplace_back(node, std::move(status));
                fits = false;
                break;
            }
        }
        if (fits) {
            m_feasible.push_back(node);
        }
    }
    m_nextStartNodeIndex = (m_nextStartNodeIndex + processed) % numNodes;
    result.evaluatedNodes = processed;
    result.feasibleNodes = m_feasible.size();

    if (m_feasible.empty()) {
        result.fitError.numAllNodes = numNodes;
        result.fitError.nodeStatuses.reserve(m_failures.size());
        for (auto& [node, status] : m_failures) {
            result.fitError.nodeStatuses.emplace_back(node->name(), std::move(status));
        }
        result.fitError.postFilterMessage = preemptionMessage(pod, result.fitError);
        return result;
    }
    if (m_feasible.size() == 1) {
        result.node = m_feasible.front()->name();
        return result;
    }

    // Score: each plugin's normalised score times its weight, summed.
    const std::size_t count = m_feasible.size();
    m_totals.assign(count, 0);
    m_scores.resize(count);
    for (Plugin* plugin : m_scorers) {
        if (!plugin->preScore(pod, m_feasible, cluster)) {
            continue;
        }
        for (std::size_t i = 0; i < count; ++i) {
            m_scores[i] = plugin->score(pod, *m_feasible[i]);
        }
        plugin->normalize(m_feasible, m_scores);
        const std::int64_t weight = plugin->weight();
        for (std::size_t i = 0; i < count; ++i) {
            m_totals[i] += m_scores[i] * weight;
        }
    }

    // The best score; ties broken uniformly at random (reservoir sampling, as selectHost).
    std::size_t best = 0;
    std::size_t ties = 1;
    for (std::size_t i = 1; i < count; ++i) {
        if (m_totals[i] > m_totals[best]) {
            best = i;
            ties = 1;
        } else if (m_totals[i] == m_totals[best]) {
            ++ties;
            if (m_random() % ties == 0) {
                best = i;
            }
        }
    }
    result.node = m_feasible[best]->name();
    return result;
}

}  // namespace slipway::scheduler
