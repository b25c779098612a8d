// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/scheduler/node_info.h"

namespace slipway::scheduler {

/// kube-scheduler's cache (internal/cache): every node and the pods bound to it, fed by the node
/// and pod informers, plus the pods the scheduler has *assumed*: placed on a node the moment it
/// decides, before the binding is written and long before the informer shows the pod bound, so
/// that the next decision already counts them. The informer's bound pod confirms an assumed pod;
/// a failed binding forgets it.
///
/// Thread-safe: every mutator takes the lock. A scheduling cycle holds lock() while it reads
/// nodes() (the decision of one pod takes microseconds), instead of copying a snapshot.
class SchedulerCache {
public:
    SchedulerCache() = default;
    SchedulerCache(const SchedulerCache&) = delete;
    SchedulerCache& operator=(const SchedulerCache&) = delete;

    /// Adds or replaces a node; false when the node was known and nothing the scheduler reads
    /// changed (a status heartbeat).
    bool addNode(NodeSpec node);
    void removeNode(const std::string& name);

    /// A pod the informer shows bound. Confirms it if it was assumed (moving it if the binding
    /// named another node), else adds it.
    void addPod(PodInfoPtr pod);
    /// The informer's newer state of a bound pod (labels or resources may have changed).
    void updatePod(PodInfoPtr pod);
    /// The pod is gone (or terminal): whatever it held on its node is free again.
    void removePod(const std::string& key);

    /// Places `pod` on `node` ahead of the binding. False if the pod is already in the cache.
    bool assumePod(PodInfoPtr pod, const std::string& node);
    /// The binding call returned; the pod stays assumed until the informer confirms it.
    void finishBinding(const std::string& key);
    /// The binding failed: takes the assumed pod off its node.
    void forgetPod(const std::string& key);
    bool isAssumed(const std::string& key) const;
    /// The node the cache has `key` on, or "" when it does not hold the pod.
    std::string nodeOf(const std::string& key) const;

    /// The cache's lock, for reading nodes() and the counters below.
    std::unique_lock<std::mutex> lock() const { return std::unique_lock<std::mutex>(m_mutex); }
    /// Nodes the API has (not the placeholders for pods of unknown nodes), in a stable order.
    /// Call with lock() held.
    const std::vector<NodeInfo*>& nodes() const { return m_nodeList; }
    /// The node `name`, or null. Call with lock() held.
    const NodeInfo* node(const std::string& name) const;
    /// Bound or assumed pods with (anti-)affinity terms, and with required anti-affinity terms,
    /// across the cluster: when both are zero, InterPodAffinity has nothing to check for pods
    /// without terms. Call with lock() held.
    std::size_t podsWithAffinity() const { return m_podsWithAffinity; }
    std::size_t podsWithRequiredAntiAffinity() const { return m_podsWithRequiredAntiAffinity; }

    /// Counts, taking the lock.
    std::size_t nodeCount() const;
    std::size_t podCount() const;
    std::size_t assumedCount() const;

private:
    struct PodState {
        PodInfoPtr pod;
        std::string node;
        bool assumed = false;
        bool bindingFinished = false;
    };

    NodeInfo& nodeInfoFor(const std::string& name);
    void placeLocked(const PodInfoPtr& pod, const std::string& node);
    void unplaceLocked(const std::string& key, const PodInfoPtr& pod, const std::string& node);
    void dropIfEmpty(const std::string& name);

    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::unique_ptr<NodeInfo>> m_nodes;
    std::vector<NodeInfo*> m_nodeList;
    std::unordered_map<std::string, PodState> m_pods;
    std::size_t m_podsWithAffinity = 0;
    std::size_t m_podsWithRequiredAntiAffinity = 0;
};

}  // namespace slipway::scheduler
