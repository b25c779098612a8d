// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/label_selector.h"

namespace slipway::scheduler {

/// Defaults kube-scheduler assumes for a container that requests no cpu or memory, when it
/// scores (not when it filters): 100m and 200Mi, so that best-effort pods still spread.
constexpr std::int64_t kDefaultMilliCpuRequest = 100;
constexpr std::int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

/// Amounts of resources as plain integers: cpu in millicores, memory and ephemeral storage in
/// bytes, and the other (extended, hugepages) resources by name. Parsed once from quantities, so
/// that filtering and scoring compare integers only.
struct ResourceVector {
    std::int64_t milliCpu = 0;
    std::int64_t memory = 0;
    std::int64_t ephemeralStorage = 0;
    /// Extended resources ("nvidia.com/gpu", "hugepages-2Mi"), sorted by name.
    std::vector<std::pair<std::string, std::int64_t>> scalar;

    std::int64_t scalarValue(std::string_view name) const;
    void add(const ResourceVector& other);
    void subtract(const ResourceVector& other);
    /// Each resource the larger of the two (an init container's share against the rest).
    void setMax(const ResourceVector& other);
    void addScalar(std::string_view name, std::int64_t value);

    /// Reads a container's requests (or a node's allocatable) map. `pods` receives the "pods"
    /// entry when it is given.
    static ResourceVector fromJson(const nlohmann::json& list, std::int64_t* pods = nullptr);
};

/// A host port a pod's container asks for: hostIP "" or "0.0.0.0" means every address.
struct HostPort {
    std::string protocol;  ///< "TCP", "UDP", "SCTP"
    std::string hostIp;
    std::int32_t port = 0;

    /// Whether two host ports would collide on one node (NodePorts' rule).
    bool conflicts(const HostPort& other) const;
};

/// A node's taint.
struct Taint {
    std::string key;
    std::string value;
    std::string effect;  ///< "NoSchedule", "PreferNoSchedule", "NoExecute"
};

/// A pod's toleration.
struct Toleration {
    std::string key;
    bool exists = false;  ///< operator Exists (else Equal)
    std::string value;
    std::string effect;  ///< "" tolerates every effect

    /// v1helper's ToleratesTaint: effect, key (an empty key with Exists matches every key) and
    /// value (Equal) or any value (Exists).
    bool tolerates(const Taint& taint) const;
};

/// One requirement of a NodeSelectorTerm: on labels (matchExpressions) or on fields
/// (matchFields, only metadata.name).
struct NodeSelectorRequirement {
    enum class Operator { In, NotIn, Exists, DoesNotExist, Gt, Lt };
    std::string key;
    Operator op = Operator::In;
    std::vector<std::string> values;

    bool matches(const core::Labels& labels) const;
    /// For matchFields: `value` is the field's (the node name for metadata.name).
    bool matchesValue(const std::string* value) const;
};

/// A NodeSelectorTerm: every requirement holds. A term with no requirement matches nothing.
struct NodeSelectorTerm {
    std::vector<NodeSelectorRequirement> expressions;
    std::vector<NodeSelectorRequirement> fields;

    bool matches(const std::string& nodeName, const core::Labels& labels) const;
};

struct PreferredSchedulingTerm {
    std::int32_t weight = 0;
    NodeSelectorTerm term;
};

/// A PodAffinityTerm, resolved: which pods it selects (a selector, in which namespaces) and
/// the topology key that defines "together".
struct AffinityTerm {
    core::LabelSelector selector = core::LabelSelector::nothing();
    std::vector<std::string> namespaces;  ///< sorted
    /// namespaceSelector `{}`: pods of every namespace.
    bool allNamespaces = false;
    std::string topologyKey;

    /// Whether the term selects a pod with `labels` in `nameSpace`.
    bool matches(const std::string& nameSpace, const core::Labels& labels) const;
};

struct WeightedAffinityTerm {
    std::int32_t weight = 0;
    AffinityTerm term;
};

/// A topologySpreadConstraint, resolved (matchLabelKeys merged into the selector).
struct SpreadConstraint {
    std::int32_t maxSkew = 1;
    std::string topologyKey;
    bool doNotSchedule = true;  ///< whenUnsatisfiable DoNotSchedule (else ScheduleAnyway)
    core::LabelSelector selector = core::LabelSelector::nothing();
    std::int32_t minDomains = 1;
    bool honorNodeAffinity = true;  ///< nodeAffinityPolicy (default Honor)
    bool honorTaints = false;       ///< nodeTaintsPolicy (default Ignore)
};

/// Everything the scheduler needs of a pod, parsed once from its JSON when the informer hands it
/// over: the hot path never reads JSON.
struct PodInfo {
    std::string nameSpace;
    std::string name;
    std::string key;  ///< "namespace/name"
    std::string uid;
    std::string nodeName;
    std::string schedulerName;
    std::string phase;
    bool terminating = false;  ///< metadata.deletionTimestamp is set
    core::Labels labels;
    std::int32_t priority = 0;
    bool preemptionNever = false;

    /// What the pod asks for, as kube's resource helpers count it: the containers' sum (with
    /// restartable init containers), at least each init container's, plus the overhead.
    ResourceVector requests;
    /// The same with 100m / 200Mi for containers that name no cpu / memory request: scoring's.
    std::int64_t nonZeroMilliCpu = 0;
    std::int64_t nonZeroMemory = 0;
    std::vector<HostPort> hostPorts;

    std::map<std::string, std::string> nodeSelector;
    /// requiredDuringSchedulingIgnoredDuringExecution's terms (ORed); nullopt when absent.
    std::optional<std::vector<NodeSelectorTerm>> requiredNodeAffinity;
    std::vector<PreferredSchedulingTerm> preferredNodeAffinity;
    std::vector<Toleration> tolerations;

    std::vector<AffinityTerm> requiredAffinity;
    std::vector<AffinityTerm> requiredAntiAffinity;
    std::vector<WeightedAffinityTerm> preferredAffinity;
    std::vector<WeightedAffinityTerm> preferredAntiAffinity;
    std::vector<SpreadConstraint> spreadConstraints;

    /// The pod as the informer cached it (for events and status patches).
    std::shared_ptr<const nlohmann::json> object;

    bool hasAffinityTerms() const {
        return !requiredAffinity.empty() || !requiredAntiAffinity.empty() ||
               !preferredAffinity.empty() || !preferredAntiAffinity.empty();
    }
    bool assigned() const { return !nodeName.empty(); }
    /// Succeeded or Failed: holds no resources any more.
    bool terminal() const { return phase == "Succeeded" || phase == "Failed"; }

    /// Parses `pod`. Malformed parts (a selector that does not parse) select nothing, as the
    /// API server's validation keeps them out in the first place.
    static std::shared_ptr<const PodInfo> fromJson(std::shared_ptr<const nlohmann::json> pod);
    static std::shared_ptr<const PodInfo> fromJson(const nlohmann::json& pod) {
        return fromJson(std::make_shared<const nlohmann::json>(pod));
    }
};

using PodInfoPtr = std::shared_ptr<const PodInfo>;

/// What the scheduler needs of a Node, parsed once.
struct NodeSpec {
    std::string name;
    core::Labels labels;
    std::vector<Taint> taints;
    bool unschedulable = false;
    ResourceVector allocatable;
    std::int64_t allowedPods = 0;
    /// Whether any taint has effect NoSchedule or NoExecute / PreferNoSchedule: most nodes have
    /// none, and the taint plugins skip them at once.
    bool hasHardTaints = false;
    bool hasPreferNoScheduleTaints = false;

    static NodeSpec fromJson(const nlohmann::json& node);
    friend bool operator==(const NodeSpec& a, const NodeSpec& b);
};

bool operator==(const ResourceVector& a, const ResourceVector& b);

}  // namespace slipway::scheduler
