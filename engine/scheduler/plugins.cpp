// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/plugins.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slipway::scheduler {

namespace {

const std::string* labelOf(const NodeInfo& node, const std::string& key) {
    const auto& labels = node.labels();
    const auto it = labels.find(key);
    return it == labels.end() ? nullptr : &it->second;
}

/// framework's DefaultNormalizeScore: scale so that the best node gets kMaxNodeScore; `reverse`
/// turns it round (fewest untolerated taints best).
void defaultNormalize(std::span<std::int64_t> scores, bool reverse) {
    std::int64_t max = 0;
    for (const auto score : scores) {
        max = std::max(max, score);
    }
    if (max == 0) {
        if (reverse) {
            std::fill(scores.begin(), scores.end(), kMaxNodeScore);
        }
        return;
    }
    for (auto& score : scores) {
        score = kMaxNodeScore * score / max;
        if (reverse) {
            score = kMaxNodeScore - score;
        }
    }
}

bool toleratesAll(const std::vector<Toleration>& tolerations, const Taint& taint) {
    return std::any_of(tolerations.begin(), tolerations.end(),
                       [&](const Toleration& t) { return t.tolerates(taint); });
}

/// The first NoSchedule / NoExecute taint no toleration tolerates, or null.
const Taint* untoleratedTaint(const PodInfo& pod, const NodeInfo& node) {
    if (!node.spec().hasHardTaints) {
        return nullptr;
    }
    for (const auto& taint : node.spec().taints) {
        if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") {
            continue;
        }
        if (!toleratesAll(pod.tolerations, taint)) {
            return &taint;
        }
    }
    return nullptr;
}

bool hasAllKeys(const NodeInfo& node, const std::vector<SpreadConstraint>& constraints) {
    return std::all_of(constraints.begin(), constraints.end(), [&](const SpreadConstraint& c) {
        return labelOf(node, c.topologyKey) != nullptr;
    });
}

/// Whether the spread constraint counts pods on `node` (its nodeAffinityPolicy and
/// nodeTaintsPolicy).
bool includesNode(const SpreadConstraint& constraint, const PodInfo& pod, const NodeInfo& node) {
    if (constraint.honorNodeAffinity && !matchesNodeSelectorAndAffinity(pod, node)) {
        return false;
    }
    if (constraint.honorTaints && untoleratedTaint(pod, node) != nullptr) {
        return false;
    }
    return true;
}

std::int64_t countMatching(const NodeInfo& node, const SpreadConstraint& constraint,
                           const std::string& nameSpace) {
    std::int64_t count = 0;
    for (const auto& existing : node.pods()) {
        if (existing->terminating || existing->nameSpace != nameSpace) {
            continue;
        }
        if (constraint.selector.matches(existing->labels)) {
            ++count;
        }
    }
    return count;
}

bool matchesAllTerms(const std::vector<AffinityTerm>& terms, const PodInfo& pod) {
    if (terms.empty()) {
        return false;
    }
    return std::all_of(terms.begin(), terms.end(), [&](const AffinityTerm& term) {
        return term.matches(pod.nameSpace, pod.labels);
    });
}

}  // namespace

std::string topologyPair(const std::string& key, const std::string& value) {
    std::string pair;
    pair.reserve(key.size() + value.size() + 1);
    pair.append(key).push_back('\x1f');
    pair.append(value);
    return pair;
}

bool matchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node) {
    const auto& labels = node.labels();
    for (const auto& [key, value] : pod.nodeSelector) {
        const auto it = labels.find(key);
        if (it == labels.end() || it->second != value) {
            return false;
        }
    }
    if (pod.requiredNodeAffinity) {
        const auto& terms = *pod.requiredNodeAffinity;
        return std::any_of(terms.begin(), terms.end(), [&](const NodeSelectorTerm& term) {
            return term.matches(node.name(), labels);
        });
    }
    return true;
}

// ---- NodeUnschedulable --------------------------------------------------------------------

Status NodeUnschedulablePlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    if (!node.spec().unschedulable) {
        return Status::success();
    }
    static const Taint kUnschedulable{"node.kubernetes.io/unschedulable", "", "NoSchedule"};
    if (toleratesAll(pod.tolerations, kUnschedulable)) {
        return Status::success();
    }
    return Status::unresolvable(id(), kReason);
}

// ---- NodeName -----------------------------------------------------------------------------

Status NodeNamePlugin::preFilter(const PodInfo& pod, const ClusterView& cluster) {
    (void)cluster;
    return pod.nodeName.empty() ? Status::skip() : Status::success();
}

Status NodeNamePlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    if (pod.nodeName.empty() || pod.nodeName == node.name()) {
        return Status::success();
    }
    return Status::unresolvable(id(), kReason);
}

// ---- TaintToleration ----------------------------------------------------------------------

Status TaintTolerationPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    const Taint* taint = untoleratedTaint(pod, node);
    if (taint == nullptr) {
        return Status::success();
    }
    return Status::unresolvable(
        id(), "node(s) had untolerated taint {" + taint->key + ": " + taint->value + "}");
}

bool TaintTolerationPlugin::preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                                     const ClusterView& cluster) {
    (void)cluster;
    // No PreferNoSchedule taint on any feasible node: every node would get 100, which moves no
    // node ahead of another, so the plugin is left out (as if it added the same to all).
    if (std::none_of(feasible.begin(), feasible.end(),
                     [](const NodeInfo* node) { return node->spec().hasPreferNoScheduleTaints; })) {
        return false;
    }
    m_preferTolerations.clear();
    for (const auto& toleration : pod.tolerations) {
        if (toleration.effect.empty() || toleration.effect == "PreferNoSchedule") {
            m_preferTolerations.push_back(&toleration);
        }
    }
    return true;
}

std::int64_t TaintTolerationPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    (void)pod;
    if (!node.spec().hasPreferNoScheduleTaints) {
        return 0;
    }
    std::int64_t intolerable = 0;
    for (const auto& taint : node.spec().taints) {
        if (taint.effect != "PreferNoSchedule") {
            continue;
        }
        const bool tolerated =
            std::any_of(m_preferTolerations.begin(), m_preferTolerations.end(),
                        [&](const Toleration* t) { return t->tolerates(taint); });
        if (!tolerated) {
            ++intolerable;
        }
    }
    return intolerable;
}

void TaintTolerationPlugin::normalize(std::span<const NodeInfo* const> nodes,
                                      std::span<std::int64_t> scores) const {
    (void)nodes;
    defaultNormalize(scores, true);
}

// ---- NodeAffinity -------------------------------------------------------------------------

Status NodeAffinityPlugin::preFilter(const PodInfo& pod, const ClusterView& cluster) {
    (void)cluster;
    return pod.nodeSelector.empty() && !pod.requiredNodeAffinity ? Status::skip()
                                                                 : Status::success();
}

Status NodeAffinityPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    return matchesNodeSelectorAndAffinity(pod, node) ? Status::success()
                                                     : Status::unresolvable(id(), kReason);
}

bool NodeAffinityPlugin::preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                                  const ClusterView& cluster) {
    (void)feasible;
    (void)cluster;
    return !pod.preferredNodeAffinity.empty();
}

std::int64_t NodeAffinityPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    std::int64_t total = 0;
    for (const auto& preferred : pod.preferredNodeAffinity) {
        if (preferred.weight != 0 && preferred.term.matches(node.name(), node.labels())) {
            total += preferred.weight;
        }
    }
    return total;
}

void NodeAffinityPlugin::normalize(std::span<const NodeInfo* const> nodes,
                                   std::span<std::int64_t> scores) const {
    (void)nodes;
    defaultNormalize(scores, false);
}

// ---- NodePorts ----------------------------------------------------------------------------

Status NodePortsPlugin::preFilter(const PodInfo& pod, const ClusterView& cluster) {
    (void)cluster;
    return pod.hostPorts.empty() ? Status::skip() : Status::success();
}

Status NodePortsPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    for (const auto& wanted : pod.hostPorts) {
        for (const auto& used : node.usedPorts()) {
            if (wanted.conflicts(used)) {
                return Status::unschedulable(id(), kReason);
            }
        }
    }
    return Status::success();
}

// ---- NodeResourcesFit ---------------------------------------------------------------------

Status NodeResourcesFitPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    Status status;
    const auto fail = [&](const char* reason) {
        status.code = Status::Code::Unschedulable;
        status.plugin = id();
        if (status.reason == nullptr && status.moreReasons.empty()) {
            status.reason = reason;
        } else {
            status.moreReasons.emplace_back(reason);
        }
    };
    const NodeSpec& spec = node.spec();
    if (static_cast<std::int64_t>(node.pods().size()) + 1 > spec.allowedPods) {
        fail("Too many pods");
    }
    const ResourceVector& want = pod.requests;
    const ResourceVector& used = node.requested();
    const ResourceVector& have = spec.allocatable;
    if (want.milliCpu > 0 && want.milliCpu > have.milliCpu - used.milliCpu) {
        fail("Insufficient cpu");
    }
    if (want.memory > 0 && want.memory > have.memory - used.memory) {
        fail("Insufficient memory");
    }
    if (want.ephemeralStorage > 0 &&
        want.ephemeralStorage > have.ephemeralStorage - used.ephemeralStorage) {
        fail("Insufficient ephemeral-storage");
    }
    for (const auto& [resource, amount] : want.scalar) {
        if (amount > 0 && amount > have.scalarValue(resource) - used.scalarValue(resource)) {
            status.code = Status::Code::Unschedulable;
            status.plugin = id();
            status.moreReasons.push_back("Insufficient " + resource);
        }
    }
    return status;
}

std::int64_t NodeResourcesFitPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    // LeastAllocated: (allocatable - requested) * 100 / allocatable per resource, cpu and
    // memory weighted 1 each. 4 cores with 1 requested and a 500m pod: (4000-1500)*100/4000 = 62.
    const auto least = [](std::int64_t requested, std::int64_t capacity) -> std::int64_t {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * kMaxNodeScore / capacity;
    };
    const NodeSpec& spec = node.spec();
    const std::int64_t cpu =
        least(node.nonZeroMilliCpu() + pod.nonZeroMilliCpu, spec.allocatable.milliCpu);
    const std::int64_t memory =
        least(node.nonZeroMemory() + pod.nonZeroMemory, spec.allocatable.memory);
    return (cpu + memory) / 2;
}

// ---- NodeResourcesBalancedAllocation ------------------------------------------------------

std::int64_t BalancedAllocationPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    // With cpu at 50% and memory at 30% once the pod is placed, the standard deviation of the
    // two fractions is |0.5 - 0.3| / 2 = 0.1, and the score (1 - 0.1) * 100 = 90.
    const NodeSpec& spec = node.spec();
    double fractions[2];
    int count = 0;
    const auto fraction = [&](std::int64_t requested, std::int64_t capacity) {
        if (capacity <= 0) {
            return;
        }
        fractions[count++] =
            std::min(1.0, static_cast<double>(requested) / static_cast<double>(capacity));
    };
    fraction(node.requested().milliCpu + pod.requests.milliCpu, spec.allocatable.milliCpu);
    fraction(node.requested().memory + pod.requests.memory, spec.allocatable.memory);
    double deviation = 0;
    if (count == 2) {
        deviation = std::abs(fractions[0] - fractions[1]) / 2;
    }
    return static_cast<std::int64_t>((1 - deviation) * static_cast<double>(kMaxNodeScore));
}

// ---- PodTopologySpread --------------------------------------------------------------------

Status PodTopologySpreadPlugin::preFilter(const PodInfo& pod, const ClusterView& cluster) {
    m_filter.clear();
    for (const auto& constraint : pod.spreadConstraints) {
        if (constraint.doNotSchedule) {
            m_filter.push_back({&constraint, {}, 0, constraint.selector.matches(pod.labels)});
        }
    }
    if (m_filter.empty()) {
        return Status::skip();
    }
    // Count matching pods per domain over the eligible nodes: those the constraints' inclusion
    // policies admit and that carry every constraint's topology key.
    for (const NodeInfo* node : cluster.nodes) {
        if (!hasAllKeys(*node, pod.spreadConstraints)) {
            continue;
        }
        for (auto& entry : m_filter) {
            if (!includesNode(*entry.constraint, pod, *node)) {
                continue;
            }
            const std::string& value = *labelOf(*node, entry.constraint->topologyKey);
            entry.counts[value] += countMatching(*node, *entry.constraint, pod.nameSpace);
        }
    }
    for (auto& entry : m_filter) {
        // Fewer domains than minDomains: the global minimum is taken as 0.
        if (static_cast<std::int64_t>(entry.counts.size()) < entry.constraint->minDomains ||
            entry.counts.empty()) {
            entry.minMatch = 0;
            continue;
        }
        std::int64_t min = std::numeric_limits<std::int64_t>::max();
        for (const auto& [value, count] : entry.counts) {
            min = std::min(min, count);
        }
        entry.minMatch = min;
    }
    return Status::success();
}

Status PodTopologySpreadPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    (void)pod;
    for (const auto& entry : m_filter) {
        const std::string* value = labelOf(node, entry.constraint->topologyKey);
        if (value == nullptr) {
            return Status::unresolvable(id(), kMissingLabelReason);
        }
        const auto it = entry.counts.find(*value);
        const std::int64_t matching = it == entry.counts.end() ? 0 : it->second;
        // maxSkew 1, domains a:2 b:1: a pod matching itself on a gives 2+1-1 = 2 > 1.
        const std::int64_t skew = matching + (entry.selfMatch ? 1 : 0) - entry.minMatch;
        if (skew > entry.constraint->maxSkew) {
            return Status::unschedulable(id(), kReason);
        }
    }
    return Status::success();
}

bool PodTopologySpreadPlugin::preScore(const PodInfo& pod,
                                       std::span<const NodeInfo* const> feasible,
                                       const ClusterView& cluster) {
    m_score.clear();
    m_ignored.clear();
    for (const auto& constraint : pod.spreadConstraints) {
        if (!constraint.doNotSchedule) {
            m_score.push_back({&constraint, {}, 0});
        }
    }
    if (m_score.empty()) {
        return false;
    }
    std::vector<std::unordered_set<std::string>> domains(m_score.size());
    std::size_t hostnames = 0;
    for (const NodeInfo* node : feasible) {
        bool complete = true;
        for (const auto& entry : m_score) {
            if (labelOf(*node, entry.constraint->topologyKey) == nullptr) {
                complete = false;
                break;
            }
        }
        if (!complete) {
            m_ignored.insert(node);
            continue;
        }
        ++hostnames;
        for (std::size_t i = 0; i < m_score.size(); ++i) {
            const std::string& key = m_score[i].constraint->topologyKey;
            if (key != kHostnameLabel) {
                const std::string& value = *labelOf(*node, key);
                domains[i].insert(value);
                m_score[i].counts.emplace(value, 0);
            }
        }
    }
    for (std::size_t i = 0; i < m_score.size(); ++i) {
        const bool hostname = m_score[i].constraint->topologyKey == kHostnameLabel;
        const std::size_t size = hostname ? hostnames : domains[i].size();
        m_score[i].weight = std::log(static_cast<double>(size + 2));
    }
    // Pods of every eligible node count towards the domains the feasible nodes are in.
    for (const NodeInfo* node : cluster.nodes) {
        for (auto& entry : m_score) {
            const std::string& key = entry.constraint->topologyKey;
            if (key == kHostnameLabel || !includesNode(*entry.constraint, pod, *node)) {
                continue;
            }
            const std::string* value = labelOf(*node, key);
            if (value == nullptr) {
                continue;
            }
            const auto it = entry.counts.find(*value);
            if (it != entry.counts.end()) {
                it->second += countMatching(*node, *entry.constraint, pod.nameSpace);
            }
        }
    }
    return true;
}

std::int64_t PodTopologySpreadPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    if (m_ignored.contains(&node)) {
        return 0;
    }
    double total = 0;
    for (const auto& entry : m_score) {
        const std::string& key = entry.constraint->topologyKey;
        const std::string* value = labelOf(node, key);
        if (value == nullptr) {
            continue;
        }
        std::int64_t count = 0;
        if (key == kHostnameLabel) {
            count = countMatching(node, *entry.constraint, pod.nameSpace);
        } else if (const auto it = entry.counts.find(*value); it != entry.counts.end()) {
            count = it->second;
        }
        total += static_cast<double>(count) * entry.weight +
                 static_cast<double>(entry.constraint->maxSkew - 1);
    }
    return static_cast<std::int64_t>(std::round(total));
}

void PodTopologySpreadPlugin::normalize(std::span<const NodeInfo* const> nodes,
                                        std::span<std::int64_t> scores) const {
    // Fewer matching pods is better: max + min - score, scaled by max.
    std::int64_t min = std::numeric_limits<std::int64_t>::max();
    std::int64_t max = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (m_ignored.contains(nodes[i])) {
            continue;
        }
        min = std::min(min, scores[i]);
        max = std::max(max, scores[i]);
    }
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (m_ignored.contains(nodes[i])) {
            scores[i] = 0;
        } else if (max == 0) {
            scores[i] = kMaxNodeScore;
        } else {
            scores[i] = kMaxNodeScore * (max + min - scores[i]) / max;
        }
    }
}

// ---- InterPodAffinity ---------------------------------------------------------------------

Status InterPodAffinityPlugin::preFilter(const PodInfo& pod, const ClusterView& cluster) {
    m_existingAntiAffinity.clear();
    m_affinity.clear();
    m_antiAffinity.clear();
    const bool ownTerms = !pod.requiredAffinity.empty() || !pod.requiredAntiAffinity.empty();
    if (!ownTerms && cluster.podsWithRequiredAntiAffinity == 0) {
        return Status::skip();
    }
    for (const NodeInfo* node : cluster.nodes) {
        // Existing pods whose required anti-affinity selects this pod forbid their domain.
        for (const auto& existing : node->podsWithRequiredAntiAffinity()) {
            for (const auto& term : existing->requiredAntiAffinity) {
                const std::string* value = labelOf(*node, term.topologyKey);
                if (value != nullptr && term.matches(pod.nameSpace, pod.labels)) {
                    ++m_existingAntiAffinity[topologyPair(term.topologyKey, *value)];
                }
            }
        }
        if (!ownTerms) {
            continue;
        }
        for (const auto& existing : node->pods()) {
            if (matchesAllTerms(pod.requiredAffinity, *existing)) {
                for (const auto& term : pod.requiredAffinity) {
                    if (const std::string* value = labelOf(*node, term.topologyKey)) {
                        ++m_affinity[topologyPair(term.topologyKey, *value)];
                    }
                }
            }
            for (const auto& term : pod.requiredAntiAffinity) {
                const std::string* value = labelOf(*node, term.topologyKey);
                if (value != nullptr && term.matches(existing->nameSpace, existing->labels)) {
                    ++m_antiAffinity[topologyPair(term.topologyKey, *value)];
                }
            }
        }
    }
    return Status::success();
}

Status InterPodAffinityPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
    // The pod's required affinity: every term's domain must hold a pod matching all terms.
    if (!pod.requiredAffinity.empty()) {
        bool podsExist = true;
        for (const auto& term : pod.requiredAffinity) {
            const std::string* value = labelOf(node, term.topologyKey);
            if (value == nullptr) {
                return Status::unresolvable(id(), kAffinityReason);
            }
            const auto it = m_affinity.find(topologyPair(term.topologyKey, *value));
            if (it == m_affinity.end() || it->second <= 0) {
                podsExist = false;
            }
        }
        // The first pod of a group with affinity to itself may go anywhere.
        if (!podsExist && !(m_affinity.empty() && matchesAllTerms(pod.requiredAffinity, pod))) {
            return Status::unresolvable(id(), kAffinityReason);
        }
    }
    for (const auto& term : pod.requiredAntiAffinity) {
        const std::string* value = labelOf(node, term.topologyKey);
        if (value == nullptr) {
            continue;
        }
        const auto it = m_antiAffinity.find(topologyPair(term.topologyKey, *value));
        if (it != m_antiAffinity.end() && it->second > 0) {
            return Status::unschedulable(id(), kAntiAffinityReason);
        }
    }
    for (const auto& [label, value] : node.labels()) {
        if (m_existingAntiAffinity.empty()) {
            break;
        }
        const auto it = m_existingAntiAffinity.find(topologyPair(label, value));
        if (it != m_existingAntiAffinity.end() && it->second > 0) {
            return Status::unschedulable(id(), kExistingAntiAffinityReason);
        }
    }
    return Status::success();
}

bool InterPodAffinityPlugin::preScore(const PodInfo& pod, std::span<const NodeInfo* const> feasible,
                                      const ClusterView& cluster) {
    (void)feasible;
    m_topologyScore.clear();
    const bool constraints = !pod.preferredAffinity.empty() || !pod.preferredAntiAffinity.empty();
    if (!constraints && cluster.podsWithAffinity == 0) {
        return false;
    }
    const auto add = [&](const NodeInfo& node, const std::string& key, std::int64_t amount) {
        if (const std::string* value = labelOf(node, key)) {
            m_topologyScore[key][*value] += amount;
        }
    };
    for (const NodeInfo* node : cluster.nodes) {
        if (node->labels().empty()) {
            continue;
        }
        const auto& existingPods = constraints ? node->pods() : node->podsWithAffinity();
        for (const auto& existing : existingPods) {
            for (const auto& term : pod.preferredAffinity) {
                if (term.term.matches(existing->nameSpace, existing->labels)) {
                    add(*node, term.term.topologyKey, term.weight);
                }
            }
            for (const auto& term : pod.preferredAntiAffinity) {
                if (term.term.matches(existing->nameSpace, existing->labels)) {
                    add(*node, term.term.topologyKey, -term.weight);
                }
            }
            for (const auto& term : existing->requiredAffinity) {
                if (term.matches(pod.nameSpace, pod.labels)) {
                    add(*node, term.topologyKey, kHardPodAffinityWeight);
                }
            }
            for (const auto& term : existing->preferredAffinity) {
                if (term.term.matches(pod.nameSpace, pod.labels)) {
                    add(*node, term.term.topologyKey, term.weight);
                }
            }
            for (const auto& term : existing->preferredAntiAffinity) {
                if (term.term.matches(pod.nameSpace, pod.labels)) {
                    add(*node, term.term.topologyKey, -term.weight);
                }
            }
        }
    }
    return !m_topologyScore.empty();
}

std::int64_t InterPodAffinityPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
    (void)pod;
    std::int64_t total = 0;
    for (const auto& [key, values] : m_topologyScore) {
        const std::string* value = labelOf(node, key);
        if (value == nullptr) {
            continue;
        }
        if (const auto it = values.find(*value); it != values.end()) {
            total += it->second;
        }
    }
    return total;
}

void InterPodAffinityPlugin::normalize(std::span<const NodeInfo* const> nodes,
                                       std::span<std::int64_t> scores) const {
    (void)nodes;
    if (scores.empty()) {
        return;
    }
    const auto [minIt, maxIt] = std::minmax_element(scores.begin(), scores.end());
    const std::int64_t min = *minIt;
    const std::int64_t difference = *maxIt - min;
    for (auto& score : scores) {
        score = difference > 0 ? static_cast<std::int64_t>(static_cast<double>(kMaxNodeScore) *
                                                           (static_cast<double>(score - min) /
                                                            static_cast<double>(difference)))
                               : 0;
    }
}

}  // namespace slipway::scheduler
