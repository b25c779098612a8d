// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/sim/simulated_nodes.h"

#include <functional>
#include <random>

#include <spdlog/spdlog.h>

#include "engine/agent/pod_status.h"
#include "engine/client/resource_ref.h"

namespace slipway::agent::sim {

namespace {

using client::resources::leases;
using client::resources::nodes;
using client::resources::pods;
using nlohmann::json;

// Its own name: the pod informer may be shared with components that index it too.
constexpr const char* kNodeNameIndex = "sim:spec.nodeName";
/// A pod or node that keeps failing is retried this often, then left to its next event.
constexpr int kMaxRetries = 15;

client::WorkQueueOptions queueOptions(const char* name) {
    client::WorkQueueOptions options;
    options.name = name;
    // Retries of conflicts are per key; the overall bucket would throttle a thousand nodes.
    options.rateLimiter.qps = 1e6;
    options.rateLimiter.burst = 1'000'000;
    return options;
}

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const auto value = object.value(pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

/// Drops null members recursively: what a stored status reads back as, whatever its writer
/// sent, so that comparing it with what the agent would write finds real differences only.
json withoutNulls(const json& value) {
    if (value.is_object()) {
        json out = json::object();
        for (const auto& [key, member] : value.items()) {
            if (!member.is_null()) {
                out[key] = withoutNulls(member);
            }
        }
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const auto& item : value) {
            out.push_back(withoutNulls(item));
        }
        return out;
    }
    return value;
}

std::chrono::nanoseconds jittered(std::chrono::milliseconds period) {
    // kubelet's lease controller: up to 4% jitter, so that a thousand nodes do not renew in step.
    thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> factor(1.0, 1.04);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(period * factor(random));
}

}  // namespace

std::string SimulatedNodes::podCidrOf(int index) {
    return "10." + std::to_string(244 + index / 256) + "." + std::to_string(index % 256) + ".0/24";
}

std::string SimulatedNodes::internalIpOf(int index) {
    const int host = index - 1;
    return "198.18." + std::to_string(host / 254) + "." + std::to_string(host % 254 + 1);
}

SimulatedNodes::SimulatedNodes(const client::Client& client, SimConfig config)
    : SimulatedNodes(client, std::make_unique<client::SharedInformers>(client), std::move(config)) {
}

SimulatedNodes::SimulatedNodes(const client::Client& client, client::SharedInformers& informers,
                               SimConfig config)
    : SimulatedNodes(client, informers, nullptr, std::move(config)) {}

SimulatedNodes::SimulatedNodes(const client::Client& client,
                               std::unique_ptr<client::SharedInformers>&& own, SimConfig config)
    : SimulatedNodes(client, *own, std::move(own), std::move(config)) {}

SimulatedNodes::SimulatedNodes(const client::Client& client, client::SharedInformers& informers,
                               std::unique_ptr<client::SharedInformers>&& own, SimConfig config)
    : m_client(client),
      m_config(std::move(config)),
      m_ownInformers(std::move(own)),
      m_podInformer(informers.informerFor(pods())),
      m_nodeInformer(informers.informerFor(nodes())),
      m_podQueue(queueOptions("sim-pods")),
      m_nodeQueue(queueOptions("sim-nodes")),
      m_recorder(client, client::EventSource{"kubelet", {}}) {
    for (int i = 1; i <= m_config.nodeCount; ++i) {
        auto node = std::make_unique<Node>();
        node->index = i;
        NodeConfig& c = node->config;
        c.name = m_config.namePrefix + std::to_string(i);
        c.cpu = m_config.cpu;
        c.memory = m_config.memory;
        c.pods = m_config.pods;
        c.internalIp = internalIpOf(i);
        c.podCidr = podCidrOf(i);
        c.kubeletVersion = m_config.kubeletVersion;
        c.labels["type"] = "sim";
        c.labels["node.kubernetes.io/instance-type"] = "slipway-sim";
        if (!m_config.zones.empty()) {
            c.labels["topology.kubernetes.io/zone"] =
                m_config.zones[static_cast<std::size_t>(i - 1) % m_config.zones.size()];
        }
        node->usedIps.set(0);
        node->usedIps.set(1);  // the network and the gateway
        node->usedIps.set(255);
        m_nodes.emplace(c.name, std::move(node));
    }

    m_podInformer.addIndex(kNodeNameIndex, [](const json& pod) {
        std::string node = stringAt(pod, "/spec/nodeName"_json_pointer);
        return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
    });
    const auto enqueuePod = [this](const client::ObjectPtr& pod) {
        if (m_nodes.count(stringAt(*pod, "/spec/nodeName"_json_pointer)) != 0) {
            m_podQueue.add(client::objectKey(*pod));
        }
    };
    client::EventHandlers podHandlers;
    podHandlers.onAdd = enqueuePod;
    podHandlers.onUpdate = [enqueuePod](const client::ObjectPtr&, const client::ObjectPtr& pod) {
        enqueuePod(pod);
    };
    podHandlers.onDelete = [this](const client::ObjectPtr& pod) {
        if (m_nodes.count(stringAt(*pod, "/spec/nodeName"_json_pointer)) != 0) {
            m_podQueue.add(client::objectKey(*pod));
        }
    };
    m_podInformer.addEventHandler(std::move(podHandlers));

    client::EventHandlers nodeHandlers;
    nodeHandlers.onUpdate = [this](const client::ObjectPtr& before,
                                   const client::ObjectPtr& after) {
        const std::string name = client::metadataString(*after, "name");
        if (m_nodes.count(name) == 0) {
            return;
        }
        const auto stoppedIn = [](const json& node) {
            return stringAt(node, json::json_pointer(
                                      "/metadata/annotations/sim.slipway.dev~1stopped")) == "true";
        };
        if (stoppedIn(*before) && !stoppedIn(*after)) {
            spdlog::info("simulated node {} resumes", name);
            m_nodeQueue.add(name);  // heartbeat and status at once, not at the next period
            enqueuePodsOf(name);
        } else if (!stoppedIn(*before) && stoppedIn(*after)) {
            spdlog::info("simulated node {} stopped", name);
        }
        // A status someone else changed (the node lifecycle controller's Unknown) is put right
        // at once, as a kubelet does on its next status update.
        if (before->value("status", json()) != after->value("status", json())) {
            m_nodeQueue.add(name);
        }
    };
    m_nodeInformer.addEventHandler(std::move(nodeHandlers));
}

SimulatedNodes::~SimulatedNodes() {
    stop();
}

std::vector<std::string> SimulatedNodes::nodeNames() const {
    std::vector<std::string> names;
    for (const auto& [name, node] : m_nodes) {
        names.push_back(name);
    }
    return names;
}

void SimulatedNodes::start() {
    if (m_started) {
        return;
    }
    m_started = true;
    m_nodeInformer.start();
    m_podInformer.start();
    // Pods are run once the caches are there (a restarted agent adopts what it ran before).
    m_nodeInformer.waitForSync(std::chrono::seconds(30));
    m_podInformer.waitForSync(std::chrono::seconds(30));
    for (const auto& [name, node] : m_nodes) {
        m_nodeQueue.add(name);
    }
    for (int i = 0; i < std::max(1, m_config.nodeWorkers); ++i) {
        m_workers.emplace_back([this] {
            m_nodeQueue.processUntilShutDown(
                [this](const std::string& name) { return syncNode(name); }, kMaxRetries);
        });
    }
    for (int i = 0; i < std::max(1, m_config.podWorkers); ++i) {
        m_workers.emplace_back([this] {
            m_podQueue.processUntilShutDown([this](const std::string& key) { return syncPod(key); },
                                            kMaxRetries);
        });
    }
    spdlog::info("simulated nodes: {} ({} zone(s)), {} pod workers", m_nodes.size(),
                 m_config.zones.size(), m_config.podWorkers);
}

void SimulatedNodes::stop() {
    m_podQueue.shutDown();
    m_nodeQueue.shutDown();
    for (auto& worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    m_workers.clear();
    if (m_ownInformers) {
        m_ownInformers->stop();
    }
}

bool SimulatedNodes::waitForRegistered(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_registered.load() < m_nodes.size()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

bool SimulatedNodes::stopped(const std::string& nodeName) const {
    const auto node = m_nodeInformer.lister().get("", nodeName);
    return node &&
           stringAt(*node, json::json_pointer("/metadata/annotations/sim.slipway.dev~1stopped")) ==
               "true";
}

void SimulatedNodes::enqueuePodsOf(const std::string& nodeName) {
    for (const auto& pod : m_podInformer.lister().byIndex(kNodeNameIndex, nodeName)) {
        m_podQueue.add(client::objectKey(*pod));
    }
}

// ---- nodes ----------------------------------------------------------------------------------

core::Result<void> SimulatedNodes::registerNode(Node& node) {
    auto created = m_client.create(nodes(), nodeObject(node.config));
    if (created) {
        node.uid = client::metadataString(*created, "uid");
        return core::success();
    }
    if (created.error().code() != core::ErrorCode::AlreadyExists) {
        return created.error();
    }
    // Registered before (slipwayd restarted): a kubelet takes the existing Node over.
    auto existing = m_client.get(nodes().named(node.config.name));
    if (!existing) {
        return existing.error();
    }
    node.uid = client::metadataString(*existing, "uid");
    return core::success();
}

core::Result<void> SimulatedNodes::renewLease(Node& node,
                                              std::chrono::system_clock::time_point now) {
    const auto ref = leases().in(kNodeLeaseNamespace).named(node.config.name);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!node.lease) {
            auto created = m_client.create(
                leases().in(kNodeLeaseNamespace),
                leaseObject(node.config.name, node.uid, m_config.leaseDurationSeconds, now));
            if (created) {
                node.lease = std::move(*created);
                return core::success();
            }
            if (created.error().code() != core::ErrorCode::AlreadyExists) {
                return created.error();
            }
            auto existing = m_client.get(ref);
            if (!existing) {
                return existing.error();
            }
            node.lease = std::move(*existing);
        }
        json lease = *node.lease;
        const json fresh =
            leaseObject(node.config.name, node.uid, m_config.leaseDurationSeconds, now);
        lease["spec"] = fresh["spec"];
        lease["metadata"]["ownerReferences"] = fresh["metadata"]["ownerReferences"];
        auto updated = m_client.update(ref, lease);
        if (updated) {
            node.lease = std::move(*updated);
            return core::success();
        }
        node.lease.reset();
        if (updated.error().code() != core::ErrorCode::Conflict &&
            updated.error().code() != core::ErrorCode::NotFound) {
            return updated.error();
        }
    }
    return core::Error(core::ErrorCode::Conflict,
                       "lease of " + node.config.name + " kept changing");
}

core::Result<void> SimulatedNodes::syncNode(const std::string& name) {
    const auto it = m_nodes.find(name);
    if (it == m_nodes.end()) {
        return core::success();
    }
    Node& node = *it->second;
    const auto now = std::chrono::system_clock::now();
    const auto steadyNow = std::chrono::steady_clock::now();
    if (!node.registered) {
        if (auto registered = registerNode(node); !registered) {
            return registered;
        }
    } else if (stopped(name)) {
        m_nodeQueue.addAfter(name, jittered(m_config.renewInterval));
        return core::success();
    }

    // Heartbeat: the Lease every renewInterval (a little early rather than late).
    if (!node.lastRenew || steadyNow - *node.lastRenew >= m_config.renewInterval * 9 / 10) {
        if (auto renewed = renewLease(node, now); !renewed) {
            return renewed;
        }
        node.lastRenew = steadyNow;
    }

    // Status: when it changed, and at least every statusReportInterval.
    client::ObjectPtr cached = m_nodeInformer.lister().get("", name);
    json current;
    if (cached && client::metadataString(*cached, "uid") == node.uid) {
        current = *cached;
    } else {
        auto fetched = m_client.get(nodes().named(name));
        if (!fetched) {
            return fetched.error();
        }
        current = std::move(*fetched);
    }
    const json currentStatus = current.value("status", json::object());
    const json desired = nodeStatus(node.config, currentStatus, now);
    if (!node.lastReport || nodeStatusChanged(currentStatus, desired) ||
        steadyNow - *node.lastReport >= m_config.statusReportInterval) {
        current["status"] = desired;
        auto updated = m_client.updateStatus(nodes().named(name), current);
        if (!updated) {
            return updated.error();  // a conflict: retried with the informer's newer copy
        }
        node.lastReport = steadyNow;
    }
    if (!node.registered) {
        node.registered = true;
        ++m_registered;
        enqueuePodsOf(name);
    }
    m_nodeQueue.addAfter(name, jittered(m_config.renewInterval));
    return core::success();
}

// ---- pods -----------------------------------------------------------------------------------

std::shared_ptr<SimulatedNodes::Pod> SimulatedNodes::podState(const std::string& key,
                                                              const std::string& uid,
                                                              const std::string& node) {
    std::shared_ptr<Pod> previous;
    std::shared_ptr<Pod> state;
    {
        const std::scoped_lock lock(m_podsMutex);
        auto& slot = m_pods[key];
        if (slot && slot->uid == uid) {
            return slot;
        }
        previous = std::move(slot);
        slot = std::make_shared<Pod>();
        slot->uid = uid;
        slot->node = node;
        state = slot;
    }
    if (previous) {
        releaseIp(*previous);  // a pod of the same name replaced the one we ran
    }
    return state;
}

void SimulatedNodes::forgetPod(const std::string& key) {
    std::shared_ptr<Pod> previous;
    {
        const std::scoped_lock lock(m_podsMutex);
        const auto it = m_pods.find(key);
        if (it == m_pods.end()) {
            return;
        }
        previous = std::move(it->second);
        m_pods.erase(it);
    }
    releaseIp(*previous);
}

void SimulatedNodes::releaseIp(Pod& pod) {
    if (!pod.ipHeld) {
        return;
    }
    pod.ipHeld = false;
    const auto it = m_nodes.find(pod.node);
    if (it == m_nodes.end()) {
        return;
    }
    Node& node = *it->second;
    const auto lastDot = pod.ip.rfind('.');
    if (lastDot == std::string::npos ||
        pod.ip.substr(0, lastDot + 1) != node.config.podCidr.substr(0, lastDot + 1)) {
        return;
    }
    const int host = std::stoi(pod.ip.substr(lastDot + 1));
    const std::scoped_lock lock(node.mutex);
    if (host > 1 && host < 255) {
        node.usedIps.reset(static_cast<std::size_t>(host));
    }
}

std::string SimulatedNodes::allocateIp(Node& node, const std::string& wanted) {
    // Pod IPs come from the node's /24: .2 up, the lowest free first (as host-local IPAM
    // hands them out), so an address is reused once its pod is gone.
    const std::string prefix = node.config.podCidr.substr(0, node.config.podCidr.rfind('.') + 1);
    const std::scoped_lock lock(node.mutex);
    if (!wanted.empty() && wanted.rfind(prefix, 0) == 0) {
        const int host = std::atoi(wanted.c_str() + prefix.size());
        if (host > 1 && host < 255 && !node.usedIps.test(static_cast<std::size_t>(host))) {
            node.usedIps.set(static_cast<std::size_t>(host));
            return wanted;
        }
    }
    for (std::size_t host = 2; host < 255; ++host) {
        if (!node.usedIps.test(host)) {
            node.usedIps.set(host);
            return prefix + std::to_string(host);
        }
    }
    return {};
}

void SimulatedNodes::record(const json& pod, const std::string& node, const SimEvent& event) {
    client::ObjectReference ref = client::ObjectReference::to(pod, "v1", "Pod");
    ref.resourceVersion.clear();
    ref.fieldPath = event.fieldPath;
    m_recorder.event(ref, event.type, event.reason, event.message, node);
}

core::Result<void> SimulatedNodes::syncPod(const std::string& key) {
    const client::ObjectPtr pod = m_podInformer.lister().getByKey(key);
    if (!pod) {
        forgetPod(key);
        return core::success();
    }
    const std::string nodeName = stringAt(*pod, "/spec/nodeName"_json_pointer);
    const auto nodeIt = m_nodes.find(nodeName);
    if (nodeIt == m_nodes.end()) {
        forgetPod(key);
        return core::success();
    }
    Node& node = *nodeIt->second;
    if (!node.registered || stopped(nodeName)) {
        return core::success();  // the node's registration or resumption enqueues its pods
    }
    const std::string nameSpace = client::metadataString(*pod, "namespace");
    const std::string name = client::metadataString(*pod, "name");
    const std::string uid = client::metadataString(*pod, "uid");
    auto state = podState(key, uid, nodeName);
    const auto now = std::chrono::system_clock::now();

    if (pod->contains("/metadata/deletionTimestamp"_json_pointer)) {
        // kubelet stops the containers, then finishes the graceful deletion with grace 0.
        if (!state->killed && state->sim) {
            for (const auto& container : state->sim->runningContainers()) {
                record(*pod, nodeName,
                       {"spec.containers{" + container + "}", client::EventRecorder::kNormal,
                        "Killing", "Stopping container " + container});
            }
        }
        state->killed = true;
        client::DeleteOptions options;
        options.gracePeriodSeconds = 0;
        options.preconditionUid = uid;
        auto removed = m_client.remove(pods().in(nameSpace).named(name), options);
        if (!removed && removed.error().code() != core::ErrorCode::NotFound &&
            removed.error().code() != core::ErrorCode::Conflict) {
            return removed.error();
        }
        forgetPod(key);
        return core::success();
    }

    const json current = pod->value("status", json::object());
    if (!state->sim) {
        if (isTerminalPhase(current.value("phase", ""))) {
            return core::success();  // finished before this agent started: nothing to run
        }
        const bool ranBefore = !current.value("containerStatuses", json::array()).empty() &&
                               !current.value("podIP", "").empty();
        state->sim = ranBefore ? SimPod::adopt(*pod, m_config, now) : SimPod(*pod, m_config, now);
        if (pod->value("/spec/hostNetwork"_json_pointer, false)) {
            state->ip = node.config.internalIp;
        } else {
            state->ip = allocateIp(node, current.value("podIP", ""));
            state->ipHeld = !state->ip.empty();
        }
    }

    ImageStore images;
    images.present = [&node](const std::string& image) {
        const std::scoped_lock lock(node.mutex);
        return node.images.count(image) != 0;
    };
    images.pulled = [&node](const std::string& image) {
        const std::scoped_lock lock(node.mutex);
        node.images.insert(image);
    };
    for (const auto& event : state->sim->advance(now, images)) {
        record(*pod, nodeName, event);
    }
    PodRuntimeStatus runtime = state->sim->runtime();
    runtime.hostIp = node.config.internalIp;
    runtime.podIp = state->ip;
    const json desired = generatePodStatus(*pod, runtime, now);
    if (withoutNulls(desired) != withoutNulls(current)) {
        json updated = *pod;
        updated["status"] = desired;
        auto written = m_client.updateStatus(pods().in(nameSpace).named(name), updated);
        if (!written) {
            if (written.error().code() == core::ErrorCode::NotFound) {
                forgetPod(key);
                return core::success();
            }
            return written.error();  // a conflict: retried from the informer's newer copy
        }
    }
    if (state->sim->terminal()) {
        releaseIp(*state);  // the sandbox is gone; the address may go to the next pod
    }
    if (const auto next = state->sim->nextTransition()) {
        m_podQueue.addAfter(key, *next - now);
    }
    return core::success();
}

}  // namespace slipway::agent::sim
