// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/scheduler/types.h"

namespace slipway::scheduler {

/// kube-scheduler's NodeInfo: a node and what the pods bound (or assumed) to it use, kept up to
/// date incrementally so that a scheduling decision reads integers: allocatable against
/// requested for the filter, against the non-zero requests for scoring.
class NodeInfo {
public:
    NodeInfo() = default;
    explicit NodeInfo(NodeSpec spec) : m_spec(std::move(spec)), m_hasNode(true) {}

    const std::string& name() const { return m_spec.name; }
    const NodeSpec& spec() const { return m_spec; }
    const core::Labels& labels() const { return m_spec.labels; }
    /// False for a NodeInfo that holds pods of a node the cache has not seen (or no longer has).
    bool hasNode() const { return m_hasNode; }
    void setNode(NodeSpec spec) {
        m_spec = std::move(spec);
        m_hasNode = true;
    }
    void clearNode() { m_hasNode = false; }

    const ResourceVector& requested() const { return m_requested; }
    std::int64_t nonZeroMilliCpu() const { return m_nonZeroMilliCpu; }
    std::int64_t nonZeroMemory() const { return m_nonZeroMemory; }

    const std::vector<PodInfoPtr>& pods() const { return m_pods; }
    /// Pods with any (anti-)affinity term, and those with a required anti-affinity term.
    const std::vector<PodInfoPtr>& podsWithAffinity() const { return m_podsWithAffinity; }
    const std::vector<PodInfoPtr>& podsWithRequiredAntiAffinity() const {
        return m_podsWithRequiredAntiAffinity;
    }
    const std::vector<HostPort>& usedPorts() const { return m_usedPorts; }

    void addPod(PodInfoPtr pod);
    /// Removes the pod with `key`; false if it was not here.
    bool removePod(const std::string& key);

    /// Bumped by every change: lets tests and callers see that something moved.
    std::uint64_t generation() const { return m_generation; }

private:
    NodeSpec m_spec;
    bool m_hasNode = false;
    ResourceVector m_requested;
    std::int64_t m_nonZeroMilliCpu = 0;
    std::int64_t m_nonZeroMemory = 0;
    std::vector<PodInfoPtr> m_pods;
    std::vector<PodInfoPtr> m_podsWithAffinity;
    std::vector<PodInfoPtr> m_podsWithRequiredAntiAffinity;
    std::vector<HostPort> m_usedPorts;
    std::uint64_t m_generation = 0;
};

}  // namespace slipway::scheduler
