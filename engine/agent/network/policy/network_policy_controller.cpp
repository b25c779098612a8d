// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/policy/network_policy_controller.h"

#include <spdlog/spdlog.h>

#include "engine/agent/network/policy/policy_rules.h"

namespace slipway::agent::network::policy {
namespace {

/// The one key: every change rewrites the whole table (a local cluster's policies compile in
/// microseconds; one transaction keeps the rules consistent).
constexpr const char* kKey = "table";
constexpr int kMaxRetries = 15;

client::InformerOptions podOptions() {
    client::InformerOptions options(client::resources::pods());
    // Keep what policies read: labels, IPs, named ports, host network, phase.
    options.transform = [](nlohmann::json pod) {
        nlohmann::json kept = {
            {"metadata",
             {{"name", pod["metadata"].value("name", "")},
              {"namespace", pod["metadata"].value("namespace", "")},
              {"resourceVersion", pod["metadata"].value("resourceVersion", "")},
              {"labels", pod["metadata"].value("labels", nlohmann::json::object())}}},
            {"spec", nlohmann::json::object()},
            {"status", nlohmann::json::object()}};
        if (pod.contains("spec")) {
            for (const char* key : {"hostNetwork", "containers", "initContainers"}) {
                if (pod["spec"].contains(key)) {
                    kept["spec"][key] = pod["spec"][key];
                }
            }
        }
        if (pod.contains("status")) {
            for (const char* key : {"podIP", "podIPs", "phase"}) {
                if (pod["status"].contains(key)) {
                    kept["status"][key] = pod["status"][key];
                }
            }
        }
        return kept;
    };
    return options;
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "networkpolicy";
    return options;
}

client::InformerOptions withResync(client::ResourceRef ref, std::chrono::milliseconds period) {
    client::InformerOptions options(std::move(ref));
    options.resyncPeriod = period;
    return options;
}

}  // namespace

NetworkPolicyController::NetworkPolicyController(const client::Client& client,
                                                 NetworkPolicyControllerOptions options)
    : m_options(std::move(options)),
      m_nft(m_options.netnsPath),
      m_pods(client, podOptions()),
      m_namespaces(client, client::InformerOptions(client::resources::namespaces())),
      m_policies(client, withResync({"networking.k8s.io", "v1", "networkpolicies"},
                                    m_options.resyncPeriod)),
      m_queue(queueOptions()) {
    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr&) { m_queue.add(kKey); };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr&) {
        m_queue.add(kKey);
    };
    handlers.onDelete = [this](const client::ObjectPtr&) { m_queue.add(kKey); };
    m_pods.addEventHandler(handlers);
    m_namespaces.addEventHandler(handlers);
    m_policies.addEventHandler(handlers);
}

NetworkPolicyController::~NetworkPolicyController() {
    stop();
}

void NetworkPolicyController::start(std::chrono::milliseconds syncTimeout) {
    m_pods.start();
    m_namespaces.start();
    m_policies.start();
    if (!m_pods.waitForSync(syncTimeout) || !m_namespaces.waitForSync(syncTimeout) ||
        !m_policies.waitForSync(syncTimeout)) {
        spdlog::warn("network policy: caches not synced after {} ms", syncTimeout.count());
    }
    {
        const std::lock_guard lock(m_mutex);
        m_started = true;
    }
    m_queue.add(kKey);
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown([this](const std::string&) { return sync(); }, kMaxRetries);
    });
}

void NetworkPolicyController::stop() {
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_policies.stop();
    m_namespaces.stop();
    m_pods.stop();
    const std::lock_guard lock(m_mutex);
    if (m_started) {
        m_started = false;
        if (auto removed = m_nft.run(deletePolicyTableScript()); !removed) {
            spdlog::warn("network policy: removing the table: {}", removed.error().message());
        }
        m_applied.clear();
    }
}

core::Result<void> NetworkPolicyController::sync() {
    std::vector<nlohmann::json> policies;
    for (const auto& policy : m_policies.lister().list()) {
        policies.push_back(*policy);
    }
    std::vector<PodInfo> pods;
    for (const auto& pod : m_pods.lister().list()) {
        if (auto info = podInfoOf(*pod)) {
            pods.push_back(std::move(*info));
        }
    }
    std::vector<NamespaceInfo> namespaces;
    for (const auto& ns : m_namespaces.lister().list()) {
        namespaces.push_back(namespaceInfoOf(*ns));
    }
    const auto script = renderPolicyTable(compileNetworkPolicies(policies, pods, namespaces));
    const auto now = std::chrono::steady_clock::now();
    {
        const std::lock_guard lock(m_mutex);
        if (script == m_applied && now - m_appliedAt < m_options.resyncPeriod) {
            return core::success();  // a pod's status changed, not its rules
        }
    }
    if (auto applied = m_nft.run(script); !applied) {
        spdlog::warn("network policy: {}", applied.error().message());
        return applied.error();
    }
    const std::lock_guard lock(m_mutex);
    if (script != m_applied) {
        spdlog::info("network policy: {} polic(ies) over {} pod(s) applied", policies.size(),
                     pods.size());
    }
    m_applied = script;
    m_appliedAt = now;
    return core::success();
}

std::string NetworkPolicyController::appliedScript() const {
    const std::lock_guard lock(m_mutex);
    return m_applied;
}

}  // namespace slipway::agent::network::policy
