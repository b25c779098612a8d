// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/node_info.h"

#include <algorithm>

namespace slipway::scheduler {

namespace {

bool eraseByKey(std::vector<PodInfoPtr>& pods, const std::string& key) {
    const auto it =
        std::find_if(pods.begin(), pods.end(), [&](const PodInfoPtr& p) { return p->key == key; });
    if (it == pods.end()) {
        return false;
    }
    // Order does not matter: swap with the last.
    *it = std::move(pods.back());
    pods.pop_back();
    return true;
}

}  // namespace

void NodeInfo::addPod(PodInfoPtr pod) {
    m_requested.add(pod->requests);
    m_nonZeroMilliCpu += pod->nonZeroMilliCpu;
    m_nonZeroMemory += pod->nonZeroMemory;
    m_usedPorts.insert(m_usedPorts.end(), pod->hostPorts.begin(), pod->hostPorts.end());
    if (pod->hasAffinityTerms()) {
        m_podsWithAffinity.push_back(pod);
    }
    if (!pod->requiredAntiAffinity.empty()) {
        m_podsWithRequiredAntiAffinity.push_back(pod);
    }
    m_pods.push_back(std::move(pod));
    ++m_generation;
}

bool NodeInfo::removePod(const std::string& key) {
    const auto it = std::find_if(m_pods.begin(), m_pods.end(),
                                 [&](const PodInfoPtr& p) { return p->key == key; });
    if (it == m_pods.end()) {
        return false;
    }
    const PodInfoPtr pod = *it;
    m_requested.subtract(pod->requests);
    m_nonZeroMilliCpu -= pod->nonZeroMilliCpu;
    m_nonZeroMemory -= pod->nonZeroMemory;
    for (const auto& port : pod->hostPorts) {
        const auto used =
            std::find_if(m_usedPorts.begin(), m_usedPorts.end(), [&](const HostPort& p) {
                return p.port == port.port && p.protocol == port.protocol &&
                       p.hostIp == port.hostIp;
            });
        if (used != m_usedPorts.end()) {
            m_usedPorts.erase(used);
        }
    }
    eraseByKey(m_podsWithAffinity, key);
    eraseByKey(m_podsWithRequiredAntiAffinity, key);
    eraseByKey(m_pods, key);
    ++m_generation;
    return true;
}

}  // namespace slipway::scheduler
