// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/scheduler/framework.h"

namespace slipway::scheduler {

/// The plugins of kube-scheduler's default profile, with its reasons (kube 1.32's sentences)
/// and weights. Filter order is the profile's: NodeUnschedulable, NodeName, TaintToleration,
/// NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity.

/// The label kube's hostname topology uses.
inline constexpr const char* kHostnameLabel = "kubernetes.io/hostname";

/// Whether `pod` can go to `node` by its nodeSelector and required node affinity.
bool matchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node);

/// spec.unschedulable nodes (cordoned) take only pods tolerating node.kubernetes.io/unschedulable.
class NodeUnschedulablePlugin final : public Plugin {
public:
    static constexpr const char* kReason = "node(s) were unschedulable";
    std::string_view name() const override { return "NodeUnschedulable"; }
    PluginId id() const override { return PluginId::NodeUnschedulable; }
    bool hasFilter() const override { return true; }
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
};

/// spec.nodeName, when the pod names one.
class NodeNamePlugin final : public Plugin {
public:
    static constexpr const char* kReason = "node(s) didn't match the requested node name";
    std::string_view name() const override { return "NodeName"; }
    PluginId id() const override { return PluginId::NodeName; }
    bool hasFilter() const override { return true; }
    Status preFilter(const PodInfo& pod, const ClusterView& cluster) override;
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
};

/// NoSchedule / NoExecute taints must be tolerated; untolerated PreferNoSchedule taints lower the
/// score. Weight 3.
class TaintTolerationPlugin final : public Plugin {
public:
    std::string_view name() const override { return "TaintToleration"; }
    PluginId id() const override { return PluginId::TaintToleration; }
    bool hasFilter() const override { return true; }
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
    std::int64_t weight() const override { return 3; }
    bool preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                  const ClusterView& cluster) override;
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
    void normalize(std::span<const NodeInfo* const> nodes,
                   std::span<std::int64_t> scores) const override;

private:
    std::vector<const Toleration*> m_preferTolerations;
};

/// nodeSelector and required node affinity; preferred terms' weights as the score. Weight 2.
class NodeAffinityPlugin final : public Plugin {
public:
    static constexpr const char* kReason = "node(s) didn't match Pod's node affinity/selector";
    std::string_view name() const override { return "NodeAffinity"; }
    PluginId id() const override { return PluginId::NodeAffinity; }
    bool hasFilter() const override { return true; }
    Status preFilter(const PodInfo& pod, const ClusterView& cluster) override;
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
    std::int64_t weight() const override { return 2; }
    bool preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                  const ClusterView& cluster) override;
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
    void normalize(std::span<const NodeInfo* const> nodes,
                   std::span<std::int64_t> scores) const override;
};

/// Host ports already taken on the node.
class NodePortsPlugin final : public Plugin {
public:
    static constexpr const char* kReason =
        "node(s) didn't have free ports for the requested pod ports";
    std::string_view name() const override { return "NodePorts"; }
    PluginId id() const override { return PluginId::NodePorts; }
    bool hasFilter() const override { return true; }
    Status preFilter(const PodInfo& pod, const ClusterView& cluster) override;
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
};

/// Requests against allocatable minus requested (and the pod count); the LeastAllocated score
/// over cpu and memory (weights 1 and 1) with the non-zero requests. Weight 1.
class NodeResourcesFitPlugin final : public Plugin {
public:
    std::string_view name() const override { return "NodeResourcesFit"; }
    PluginId id() const override { return PluginId::NodeResourcesFit; }
    bool hasFilter() const override { return true; }
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
    std::int64_t weight() const override { return 1; }
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
};

/// How evenly the node's cpu and memory would be used (1 - standard deviation of the fractions).
/// Weight 1.
class BalancedAllocationPlugin final : public Plugin {
public:
    std::string_view name() const override { return "NodeResourcesBalancedAllocation"; }
    PluginId id() const override { return PluginId::NodeResourcesBalancedAllocation; }
    std::int64_t weight() const override { return 1; }
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
};

/// A topology pair's key: "<topologyKey>\x1f<value>".
std::string topologyPair(const std::string& key, const std::string& value);

/// topologySpreadConstraints: DoNotSchedule ones filter (skew against the least loaded eligible
/// domain), ScheduleAnyway ones score. Weight 2.
class PodTopologySpreadPlugin final : public Plugin {
public:
    static constexpr const char* kReason = "node(s) didn't match pod topology spread constraints";
    static constexpr const char* kMissingLabelReason =
        "node(s) didn't match pod topology spread constraints (missing required label)";
    std::string_view name() const override { return "PodTopologySpread"; }
    PluginId id() const override { return PluginId::PodTopologySpread; }
    bool hasFilter() const override { return true; }
    Status preFilter(const PodInfo& pod, const ClusterView& cluster) override;
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
    std::int64_t weight() const override { return 2; }
    bool preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                  const ClusterView& cluster) override;
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
    void normalize(std::span<const NodeInfo* const> nodes,
                   std::span<std::int64_t> scores) const override;

private:
    struct FilterConstraint {
        const SpreadConstraint* constraint;
        std::unordered_map<std::string, std::int64_t> counts;  ///< by topology value
        std::int64_t minMatch = 0;
        bool selfMatch = false;
    };
    struct ScoreConstraint {
        const SpreadConstraint* constraint;
        std::unordered_map<std::string, std::int64_t> counts;
        double weight = 0;
    };
    std::vector<FilterConstraint> m_filter;
    std::vector<ScoreConstraint> m_score;
    std::unordered_set<const NodeInfo*> m_ignored;
};

/// Required pod affinity and anti-affinity (the pod's, and the existing pods' anti-affinity
/// against it); preferred terms, both ways, as the score. Weight 2.
class InterPodAffinityPlugin final : public Plugin {
public:
    static constexpr const char* kAffinityReason = "node(s) didn't match pod affinity rules";
    static constexpr const char* kAntiAffinityReason =
        "node(s) didn't match pod anti-affinity rules";
    static constexpr const char* kExistingAntiAffinityReason =
        "node(s) didn't satisfy existing pods anti-affinity rules";
    /// hardPodAffinityWeight of the default profile.
    static constexpr std::int64_t kHardPodAffinityWeight = 1;

    std::string_view name() const override { return "InterPodAffinity"; }
    PluginId id() const override { return PluginId::InterPodAffinity; }
    bool hasFilter() const override { return true; }
    Status preFilter(const PodInfo& pod, const ClusterView& cluster) override;
    Status filter(const PodInfo& pod, const NodeInfo& node) const override;
    std::int64_t weight() const override { return 2; }
    bool preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                  const ClusterView& cluster) override;
    std::int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
    void normalize(std::span<const NodeInfo* const> nodes,
                   std::span<std::int64_t> scores) const override;

private:
    using Counts = std::unordered_map<std::string, std::int64_t>;
    Counts m_existingAntiAffinity;  ///< pairs where an existing pod's anti-affinity forbids us
    Counts m_affinity;              ///< pairs with pods matching all our affinity terms
    Counts m_antiAffinity;          ///< pairs with pods matching one of our anti-affinity terms
    /// topologyKey → value → score.
    std::unordered_map<std::string, std::unordered_map<std::string, std::int64_t>> m_topologyScore;
};

}  // namespace slipway::scheduler
