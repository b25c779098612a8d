// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/scheduler_cache.h"

#include <algorithm>

namespace slipway::scheduler {

NodeInfo& SchedulerCache::nodeInfoFor(const std::string& name) {
    auto& slot = m_nodes[name];
    if (!slot) {
        slot = std::make_unique<NodeInfo>();
    }
    return *slot;
}

void SchedulerCache::dropIfEmpty(const std::string& name) {
    const auto it = m_nodes.find(name);
    if (it != m_nodes.end() && !it->second->hasNode() && it->second->pods().empty()) {
        m_nodes.erase(it);
    }
}

bool SchedulerCache::addNode(NodeSpec node) {
    std::lock_guard lock(m_mutex);
    NodeInfo& info = nodeInfoFor(node.name);
    const bool known = info.hasNode();
    if (known && info.spec() == node) {
        return false;
    }
    info.setNode(std::move(node));
    if (!known) {
        m_nodeList.push_back(&info);
    }
    return true;
}

void SchedulerCache::removeNode(const std::string& name) {
    std::lock_guard lock(m_mutex);
    const auto it = m_nodes.find(name);
    if (it == m_nodes.end() || !it->second->hasNode()) {
        return;
    }
    NodeInfo* info = it->second.get();
    info->clearNode();
    const auto listed = std::find(m_nodeList.begin(), m_nodeList.end(), info);
    if (listed != m_nodeList.end()) {
        m_nodeList.erase(listed);
    }
    // Pods of a deleted node stay counted until their own deletion arrives, as in kube.
    dropIfEmpty(name);
}

const NodeInfo* SchedulerCache::node(const std::string& name) const {
    const auto it = m_nodes.find(name);
    return it == m_nodes.end() || !it->second->hasNode() ? nullptr : it->second.get();
}

void SchedulerCache::placeLocked(const PodInfoPtr& pod, const std::string& node) {
    if (pod->hasAffinityTerms()) {
        ++m_podsWithAffinity;
    }
    if (!pod->requiredAntiAffinity.empty()) {
        ++m_podsWithRequiredAntiAffinity;
    }
    nodeInfoFor(node).addPod(pod);
}

void SchedulerCache::unplaceLocked(const std::string& key, const PodInfoPtr& pod,
                                   const std::string& node) {
    const auto it = m_nodes.find(node);
    if (it == m_nodes.end() || !it->second->removePod(key)) {
        return;
    }
    if (pod->hasAffinityTerms()) {
        --m_podsWithAffinity;
    }
    if (!pod->requiredAntiAffinity.empty()) {
        --m_podsWithRequiredAntiAffinity;
    }
    dropIfEmpty(node);
}

void SchedulerCache::addPod(PodInfoPtr pod) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(pod->key);
    if (it != m_pods.end()) {
        // Assumed (or seen before): replace with the informer's state, on the node it names.
        unplaceLocked(pod->key, it->second.pod, it->second.node);
        m_pods.erase(it);
    }
    const std::string node = pod->nodeName;
    placeLocked(pod, node);
    std::string key = pod->key;
    m_pods.emplace(std::move(key), PodState{std::move(pod), node, false, false});
}

void SchedulerCache::updatePod(PodInfoPtr pod) {
    addPod(std::move(pod));
}

void SchedulerCache::removePod(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    if (it == m_pods.end()) {
        return;
    }
    unplaceLocked(key, it->second.pod, it->second.node);
    m_pods.erase(it);
}

bool SchedulerCache::assumePod(PodInfoPtr pod, const std::string& node) {
    std::lock_guard lock(m_mutex);
    if (m_pods.contains(pod->key)) {
        return false;
    }
    placeLocked(pod, node);
    std::string key = pod->key;
    m_pods.emplace(std::move(key), PodState{std::move(pod), node, true, false});
    return true;
}

void SchedulerCache::finishBinding(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    if (it != m_pods.end() && it->second.assumed) {
        it->second.bindingFinished = true;
    }
}

void SchedulerCache::forgetPod(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    if (it == m_pods.end() || !it->second.assumed) {
        return;
    }
    unplaceLocked(key, it->second.pod, it->second.node);
    m_pods.erase(it);
}

bool SchedulerCache::isAssumed(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    return it != m_pods.end() && it->second.assumed;
}

std::string SchedulerCache::nodeOf(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    return it == m_pods.end() ? std::string() : it->second.node;
}

std::size_t SchedulerCache::nodeCount() const {
    std::lock_guard lock(m_mutex);
    return m_nodeList.size();
}

std::size_t SchedulerCache::podCount() const {
    std::lock_guard lock(m_mutex);
    return m_pods.size();
}

std::size_t SchedulerCache::assumedCount() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(std::count_if(
        m_pods.begin(), m_pods.end(), [](const auto& entry) { return entry.second.assumed; }));
}

}  // namespace slipway::scheduler
