// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scheduler/node_info.h"

namespace slipway::scheduler {

/// The plugins of kube-scheduler's default profile that Slipway runs, as bits: a pod that failed
/// remembers which plugins rejected it, and a cluster event moves it back only if it may help
/// one of them (kube's cluster-event map).
enum class PluginId : std::uint32_t {
    NodeUnschedulable = 0,
    NodeName,
    TaintToleration,
    NodeAffinity,
    NodePorts,
    NodeResourcesFit,
    PodTopologySpread,
    InterPodAffinity,
    NodeResourcesBalancedAllocation,
};
using PluginMask = std::uint32_t;
constexpr PluginMask maskOf(PluginId id) {
    return PluginMask{1} << static_cast<std::uint32_t>(id);
}
constexpr PluginMask kAllPlugins = ~PluginMask{0};

/// A plugin's verdict, as framework.Status: Unschedulable may change when pods go (preemption
/// could help), UnschedulableAndUnresolvable does not. Reasons are kube's exact sentences, as
/// they appear in the FailedScheduling message.
struct Status {
    enum class Code { Success, Unschedulable, UnschedulableAndUnresolvable, Error, Skip };

    Code code = Code::Success;
    PluginId plugin = PluginId::NodeUnschedulable;
    /// The first reason when it is a fixed sentence: rejecting a node allocates nothing.
    const char* reason = nullptr;
    /// Further reasons, and reasons built at run time ("node(s) had untolerated taint {a: b}").
    std::vector<std::string> moreReasons;

    static Status success() { return {}; }
    static Status skip() { return {Code::Skip, {}, nullptr, {}}; }
    static Status unschedulable(PluginId plugin, const char* reason) {
        return {Code::Unschedulable, plugin, reason, {}};
    }
    static Status unresolvable(PluginId plugin, const char* reason) {
        return {Code::UnschedulableAndUnresolvable, plugin, reason, {}};
    }
    static Status unresolvable(PluginId plugin, std::string reason) {
        return {Code::UnschedulableAndUnresolvable, plugin, nullptr, {std::move(reason)}};
    }
    bool ok() const { return code == Code::Success; }
    bool rejected() const {
        return code == Code::Unschedulable || code == Code::UnschedulableAndUnresolvable;
    }
    /// Every reason, in order.
    std::vector<std::string> reasons() const {
        std::vector<std::string> all;
        if (reason != nullptr) {
            all.emplace_back(reason);
        }
        all.insert(all.end(), moreReasons.begin(), moreReasons.end());
        return all;
    }
};

/// What plugins see of the cluster in a cycle: every node, and the cache's affinity counters.
struct ClusterView {
    std::span<NodeInfo* const> nodes;
    std::size_t podsWithAffinity = 0;
    std::size_t podsWithRequiredAntiAffinity = 0;
};

/// The highest score a plugin gives a node (framework.MaxNodeScore).
constexpr std::int64_t kMaxNodeScore = 100;

/// One plugin of the scheduling framework, at the extension points Slipway runs: PreFilter and
/// Filter, PreScore, Score and NormalizeScore. A plugin keeps what PreFilter / PreScore computed
/// for the pod in its own members (kube keeps it in the CycleState): a Framework runs one cycle
/// at a time, so plugins reuse that memory from pod to pod.
class Plugin {
public:
    virtual ~Plugin() = default;
    virtual std::string_view name() const = 0;
    virtual PluginId id() const = 0;

    virtual bool hasFilter() const { return false; }
    /// Skip when filter() has nothing to check for this pod.
    virtual Status preFilter(const PodInfo& pod, const ClusterView& cluster) {
        (void)pod;
        (void)cluster;
        return Status::success();
    }
    virtual Status filter(const PodInfo& pod, const NodeInfo& node) const {
        (void)pod;
        (void)node;
        return Status::success();
    }

    /// The plugin's weight in the default profile; 0 = no Score extension.
    virtual std::int64_t weight() const { return 0; }
    /// False when the plugin has nothing to score for this pod (every node gets 0).
    virtual bool preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                          const ClusterView& cluster) {
        (void)pod;
        (void)feasible;
        (void)cluster;
        return true;
    }
    /// 0..kMaxNodeScore after normalize().
    virtual std::int64_t score(const PodInfo& pod, const NodeInfo& node) const {
        (void)pod;
        (void)node;
        return 0;
    }
    virtual void normalize(std::span<const NodeInfo* const> nodes,
                           std::span<std::int64_t> scores) const {
        (void)nodes;
        (void)scores;
    }
};

/// Why a pod fits no node: the status of every node, rendered as kube's FitError.
struct FitError {
    std::size_t numAllNodes = 0;
    /// The nodes that failed and why (every node, when no node fits).
    std::vector<std::pair<std::string, Status>> nodeStatuses;
    /// The PostFilter's (preemption's) message, appended after the filter reasons.
    std::string postFilterMessage;
    /// The plugins that rejected some node.
    PluginMask unschedulablePlugins = 0;

    /// "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/
    /// control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption
    /// is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    std::string message() const;
};

/// The outcome of one scheduling decision.
struct ScheduleResult {
    /// The node chosen; empty when the pod fits none (fitError) or there are no nodes (error).
    std::string node;
    std::size_t evaluatedNodes = 0;
    std::size_t feasibleNodes = 0;
    FitError fitError;
    /// "no nodes available to schedule pods"
    std::string error;

    bool scheduled() const { return !node.empty(); }
};

struct FrameworkOptions {
    /// percentageOfNodesToScore: 0 is kube's adaptive default (50% minus 1% per 125 nodes, at
    /// least 5%, and never fewer than 100 nodes).
    int percentageOfNodesToScore = 0;
    /// Seed of the tie-break among equally scored nodes.
    std::uint32_t seed = 5489;
};

/// kube-scheduler's default profile and its schedulePod(): PreFilter, Filter over nodes from a
/// rotating start until enough feasible ones are found, PreScore, Score, NormalizeScore, the
/// weighted sum, and a random pick among the best. Not thread-safe: one cycle at a time.
class Framework {
public:
    explicit Framework(FrameworkOptions options = {});
    ~Framework();
    Framework(const Framework&) = delete;
    Framework& operator=(const Framework&) = delete;

    ScheduleResult schedule(const PodInfo& pod, const ClusterView& cluster);

    /// How many feasible nodes a cycle looks for among `allNodes` (numFeasibleNodesToFind).
    std::size_t feasibleNodesToFind(std::size_t allNodes) const;

    const std::vector<std::unique_ptr<Plugin>>& plugins() const { return m_plugins; }

private:
    /// DefaultPreemption's message when no node can be made to fit (Slipway does not evict).
    std::string preemptionMessage(const PodInfo& pod, const FitError& error) const;

    FrameworkOptions m_options;
    std::vector<std::unique_ptr<Plugin>> m_plugins;
    std::vector<Plugin*> m_filters;
    std::vector<Plugin*> m_scorers;
    std::size_t m_nextStartNodeIndex = 0;
    /// A cheap generator: only tie-breaks use it, and it runs once per tied node.
    std::minstd_rand m_random;

    // Reused from cycle to cycle.
    std::vector<Plugin*> m_activeFilters;
    std::vector<const NodeInfo*> m_feasible;
    std::vector<std::pair<const NodeInfo*, Status>> m_failures;
    std::vector<std::int64_t> m_totals;
    std::vector<std::int64_t> m_scores;
};

}  // namespace slipway::scheduler
