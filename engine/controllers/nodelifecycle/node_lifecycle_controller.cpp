// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/nodelifecycle/node_lifecycle_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/client/resource_ref.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kNodeNameIndex = "spec.nodeName";
constexpr const char* kNotReadyTaint = "node.kubernetes.io/not-ready";
constexpr const char* kUnreachableTaint = "node.kubernetes.io/unreachable";
constexpr const char* kNoExecute = "NoExecute";
constexpr const char* kNoSchedule = "NoSchedule";
constexpr int kMaxRetries = 15;
/// kube-controller-manager's --node-eviction-rate and --secondary-node-eviction-rate, and the
/// zone size beyond which a partly disrupted zone still evicts (--large-cluster-size-threshold).
constexpr double kEvictionRate = 0.1;
constexpr double kSecondaryEvictionRate = 0.01;
constexpr std::size_t kLargeClusterThreshold = 50;
constexpr double kUnhealthyZoneThreshold = 0.55;

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const auto value = object.value(pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

json arrayAt(const json& object, const json::json_pointer& pointer) {
    const auto value = object.value(pointer, json());
    return value.is_array() ? value : json::array();
}

const json* condition(const json& node, const std::string& type) {
    const auto it = node.find("status");
    if (it == node.end() || !it->contains("conditions") || !(*it)["conditions"].is_array()) {
        return nullptr;
    }
    for (const auto& c : (*it)["conditions"]) {
        if (c.value("type", "") == type) {
            return &c;
        }
    }
    return nullptr;
}

std::vector<json> noExecuteTaints(const json& node) {
    std::vector<json> taints;
    for (const auto& taint : arrayAt(node, "/spec/taints"_json_pointer)) {
        if (taint.value("effect", "") == kNoExecute) {
            taints.push_back(taint);
        }
    }
    return taints;
}

bool hasTaint(const json& node, const std::string& key, const std::string& effect) {
    for (const auto& taint : arrayAt(node, "/spec/taints"_json_pointer)) {
        if (taint.value("key", "") == key && taint.value("effect", "") == effect) {
            return true;
        }
    }
    return false;
}

/// The zone key of a node, as nodetopology.GetZoneKey: region and zone.
std::string zoneOf(const json& node) {
    const json labels = node.value("/metadata/labels"_json_pointer, json::object());
    const auto label = [&](const char* key) {
        const auto it = labels.find(key);
        return it != labels.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    return label("topology.kubernetes.io/region") + ":" + label("topology.kubernetes.io/zone");
}

json taint(const std::string& key, const std::string& effect, bool withTime) {
    json out = {{"key", key}, {"effect", effect}};
    if (withTime) {
        out["timeAdded"] = core::formatTimestamp(std::chrono::system_clock::now());
    }
    return out;
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "nodelifecycle";
    return options;
}

}  // namespace

bool toleratesTaint(const json& toleration, const json& taint) {
    const std::string effect = toleration.value("effect", "");
    if (!effect.empty() && effect != taint.value("effect", "")) {
        return false;
    }
    const std::string key = toleration.value("key", "");
    const std::string op = toleration.value("operator", "Equal");
    if (key.empty()) {
        return op == "Exists";
    }
    if (key != taint.value("key", "")) {
        return false;
    }
    if (op == "Exists") {
        return true;
    }
    return op == "Equal" && toleration.value("value", "") == taint.value("value", "");
}

NodeLifecycleController::NodeLifecycleController(const ControllerContext& context)
    : m_client(context.client),
      m_options(context.options),
      m_nodes(context.informers.informerFor(client::resources::nodes())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_leases(context.informers.informerFor(client::resources::leases())),
      m_queue(queueOptions()),
      m_nodeRecorder(context.recorder("node-controller")),
      m_evictionRecorder(context.recorder("taint-eviction-controller")) {
    m_pods.addIndex(kNodeNameIndex, [](const json& pod) {
        std::string node = stringAt(pod, "/spec/nodeName"_json_pointer);
        return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
    });

    client::EventHandlers nodeHandlers;
    nodeHandlers.onAdd = [this](const client::ObjectPtr& node) {
        const std::string name = client::metadataString(*node, "name");
        m_queue.add("noschedule/" + name);
        m_queue.add("taintnode/" + name);
    };
    nodeHandlers.onUpdate = [this](const client::ObjectPtr& before,
                                   const client::ObjectPtr& after) {
        const std::string name = client::metadataString(*after, "name");
        m_queue.add("noschedule/" + name);
        if (noExecuteTaints(*before) != noExecuteTaints(*after)) {
            m_queue.add("taintnode/" + name);
        }
    };
    nodeHandlers.onDelete = [this](const client::ObjectPtr& node) {
        m_queue.add("taintnode/" + client::metadataString(*node, "name"));
    };
    m_nodes.addEventHandler(std::move(nodeHandlers));

    client::EventHandlers podHandlers;
    podHandlers.onAdd = [this](const client::ObjectPtr& pod) {
        if (!stringAt(*pod, "/spec/nodeName"_json_pointer).empty()) {
            m_queue.add("taintpod/" + client::objectKey(*pod));
        }
    };
    podHandlers.onUpdate = [this](const client::ObjectPtr& before, const client::ObjectPtr& after) {
        if (stringAt(*before, "/spec/nodeName"_json_pointer) !=
                stringAt(*after, "/spec/nodeName"_json_pointer) ||
            arrayAt(*before, "/spec/tolerations"_json_pointer) !=
                arrayAt(*after, "/spec/tolerations"_json_pointer)) {
            m_queue.add("taintpod/" + client::objectKey(*after));
        }
    };
    podHandlers.onDelete = [this](const client::ObjectPtr& pod) {
        m_queue.add("taintpod/" + client::objectKey(*pod));
    };
    m_pods.addEventHandler(std::move(podHandlers));
}

NodeLifecycleController::~NodeLifecycleController() {
    stop();
}

void NodeLifecycleController::run(int workers) {
    m_workers.start(
        m_queue, std::max(1, workers), [this](const std::string& key) { return sync(key); },
        kMaxRetries);
    m_monitor = std::thread([this] {
        std::unique_lock lock(m_stopMutex);
        while (!m_stopping) {
            lock.unlock();
            monitorNodeHealth();
            lock.lock();
            m_stopChanged.wait_for(lock, m_options.nodeMonitorPeriod,
                                   [this] { return m_stopping; });
        }
    });
}

void NodeLifecycleController::stop() {
    {
        const std::scoped_lock lock(m_stopMutex);
        m_stopping = true;
    }
    m_stopChanged.notify_all();
    if (m_monitor.joinable()) {
        m_monitor.join();
    }
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

bool NodeLifecycleController::takeToken(const std::string& zone, double qps) {
    if (qps <= 0) {
        return false;
    }
    const auto now = Clock::now();
    auto [it, inserted] = m_buckets.try_emplace(zone);
    Bucket& bucket = it->second;
    if (inserted) {
        bucket.refilled = now;
    }
    bucket.tokens = std::min(
        1.0, bucket.tokens + std::chrono::duration<double>(now - bucket.refilled).count() * qps);
    bucket.refilled = now;
    if (bucket.tokens < 1.0) {
        return false;
    }
    bucket.tokens -= 1.0;
    return true;
}

void NodeLifecycleController::monitorNodeHealth() {
    const auto now = Clock::now();
    const std::string timestamp = core::formatTimestamp(std::chrono::system_clock::now());
    struct Decision {
        std::string name;
        std::string ready;  ///< "True", "False", "Unknown"
        std::string zone;
        json node;
    };
    std::vector<Decision> decisions;
    std::map<std::string, std::pair<std::size_t, std::size_t>> zones;  // total, not ready

    for (const auto& cached : m_nodes.lister().list()) {
        json node = *cached;
        const std::string name = client::metadataString(node, "name");
        const json* ready = condition(node, "Ready");
        const std::string heartbeat = ready ? ready->value("lastHeartbeatTime", "") : "";
        const auto lease = m_leases.lister().get("kube-node-lease", name);
        const std::string renewTime =
            lease ? stringAt(*lease, "/spec/renewTime"_json_pointer) : std::string();
        bool expired = false;
        {
            const std::scoped_lock lock(m_mutex);
            auto [it, added] = m_health.try_emplace(name);
            Health& health = it->second;
            if (added) {
                health = {now, heartbeat, renewTime};
                m_nodeRecorder->event(
                    client::ObjectReference{"v1", "Node", "", name,
                                            client::metadataString(node, "uid"), "", ""},
                    client::EventRecorder::kNormal, "RegisteredNode",
                    "Node " + name + " event: Registered Node " + name + " in Controller");
            }
            // Heartbeats are timed by this controller's clock, not the node's (clock skew).
            if (health.heartbeat != heartbeat) {
                health.heartbeat = heartbeat;
                health.probe = now;
            }
            if (!renewTime.empty() && health.renewTime != renewTime) {
                health.renewTime = renewTime;
                health.probe = now;
            }
            expired = now > health.probe + m_options.nodeMonitorGracePeriod;
        }
        const std::string observed = ready ? ready->value("status", "Unknown") : "Unknown";
        std::string current = observed;
        if (expired) {
            bool changed = false;
            json& conditions = node["status"]["conditions"];
            if (!conditions.is_array()) {
                conditions = json::array();
            }
            for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
                auto it = std::find_if(conditions.begin(), conditions.end(),
                                       [&](const json& c) { return c.value("type", "") == type; });
                if (it == conditions.end()) {
                    conditions.push_back(
                        {{"type", type},
                         {"status", "Unknown"},
                         {"reason", "NodeStatusNeverUpdated"},
                         {"message", "Kubelet never posted node status."},
                         {"lastHeartbeatTime", client::metadataString(node, "creationTimestamp")},
                         {"lastTransitionTime", timestamp}});
                    changed = true;
                } else if (it->value("status", "") != "Unknown") {
                    (*it)["status"] = "Unknown";
                    (*it)["reason"] = "NodeStatusUnknown";
                    (*it)["message"] = "Kubelet stopped posting node status.";
                    (*it)["lastTransitionTime"] = timestamp;
                    changed = true;
                }
            }
            if (changed && observed != "Unknown") {
                auto updated = m_client.updateStatus(client::resources::nodes().named(name), node);
                if (!updated) {
                    spdlog::warn("node lifecycle: marking {} Unknown: {}", name,
                                 updated.error().message());
                    continue;  // next pass
                }
                node = std::move(*updated);
                current = "Unknown";
                spdlog::info("node {} stopped posting status: Ready is Unknown", name);
            }
        }
        if (observed == "True" && current != "True") {
            m_nodeRecorder->event(
                client::ObjectReference{"v1", "Node", "", name, client::metadataString(node, "uid"),
                                        "", ""},
                client::EventRecorder::kNormal, "NodeNotReady",
                "Node " + name + " status is now: NodeNotReady");
            markPodsNotReady(name);
        }
        const std::string zone = zoneOf(node);
        if (node.value("/metadata/labels"_json_pointer, json::object())
                .contains("node.kubernetes.io/exclude-disruption") == false) {
            auto& [total, notReady] = zones[zone];
            ++total;
            if (current != "True") {
                ++notReady;
            }
        }
        decisions.push_back({name, current, zone, std::move(node)});
    }

    // Nodes that are gone: forget them (RemovingNode, as kube's classifyNodes).
    {
        std::set<std::string> seen;
        for (const auto& decision : decisions) {
            seen.insert(decision.name);
        }
        const std::scoped_lock lock(m_mutex);
        for (auto it = m_health.begin(); it != m_health.end();) {
            if (seen.count(it->first) != 0) {
                ++it;
                continue;
            }
            m_nodeRecorder->event(
                client::ObjectReference{"v1", "Node", "", it->first, "", "", ""},
                client::EventRecorder::kNormal, "RemovingNode",
                "Node " + it->first + " event: Removing Node " + it->first + " from Controller");
            it = m_health.erase(it);
        }
    }

    // Zone states (ComputeZoneState): FullDisruption when no node of a zone is ready,
    // PartialDisruption when more than 2 and at least 55% are not.
    bool allFull = !zones.empty();
    std::map<std::string, double> rates;
    for (const auto& [zone, counts] : zones) {
        const auto [total, notReady] = counts;
        const bool full = notReady > 0 && notReady == total;
        const bool partial =
            notReady > 2 &&
            static_cast<double>(notReady) / static_cast<double>(total) >= kUnhealthyZoneThreshold;
        allFull = allFull && full;
        rates[zone] =
            full ? kEvictionRate
                 : (partial ? (total > kLargeClusterThreshold ? kSecondaryEvictionRate : 0.0)
                            : kEvictionRate);
    }
    {
        const std::scoped_lock lock(m_mutex);
        if (allFull != m_allDisrupted) {
            spdlog::info(allFull ? "node lifecycle: every node is not ready; evictions stop "
                                   "(master disruption mode)"
                                 : "node lifecycle: some nodes are ready again; evictions resume");
        }
        m_allDisrupted = allFull;
    }

    for (const auto& decision : decisions) {
        const json& node = decision.node;
        const bool notReadyTaint = hasTaint(node, kNotReadyTaint, kNoExecute);
        const bool unreachableTaint = hasTaint(node, kUnreachableTaint, kNoExecute);
        core::Result<bool> swapped = false;
        if (decision.ready == "True" || allFull) {
            if (notReadyTaint || unreachableTaint) {
                swapped =
                    swapTaints(decision.name, {},
                               {{kNotReadyTaint, kNoExecute}, {kUnreachableTaint, kNoExecute}});
            }
        } else {
            const bool unknown = decision.ready == "Unknown";
            const char* wanted = unknown ? kUnreachableTaint : kNotReadyTaint;
            const char* opposite = unknown ? kNotReadyTaint : kUnreachableTaint;
            const bool has = unknown ? unreachableTaint : notReadyTaint;
            const bool hasOpposite = unknown ? notReadyTaint : unreachableTaint;
            bool allowed = hasOpposite;  // a swap is not rate limited
            if (!has && !allowed) {
                const std::scoped_lock lock(m_mutex);
                allowed = takeToken(decision.zone, rates[decision.zone]);
            }
            if (!has && allowed) {
                swapped = swapTaints(decision.name, {taint(wanted, kNoExecute, true)},
                                     {{opposite, kNoExecute}});
            }
        }
        if (!swapped) {
            spdlog::warn("node lifecycle: taints of {}: {}", decision.name,
                         swapped.error().message());
        }
    }
}

void NodeLifecycleController::markPodsNotReady(const std::string& nodeName) {
    const std::string timestamp = core::formatTimestamp(std::chrono::system_clock::now());
    for (const auto& cached : m_pods.lister().byIndex(kNodeNameIndex, nodeName)) {
        json pod = *cached;
        json& conditions = pod["status"]["conditions"];
        if (!conditions.is_array()) {
            continue;
        }
        bool changed = false;
        for (auto& c : conditions) {
            if (c.value("type", "") == "Ready" && c.value("status", "") != "False") {
                c["status"] = "False";
                c["lastTransitionTime"] = timestamp;
                changed = true;
            }
        }
        if (!changed) {
            continue;
        }
        auto updated = m_client.updateStatus(client::resources::pods()
                                                 .in(client::metadataString(pod, "namespace"))
                                                 .named(client::metadataString(pod, "name")),
                                             pod);
        if (updated) {
            m_nodeRecorder->event(pod, client::EventRecorder::kWarning, "NodeNotReady",
                                  "Node is not ready");
        }
    }
}

core::Result<bool> NodeLifecycleController::swapTaints(
    const std::string& nodeName, const std::vector<json>& add,
    const std::vector<std::pair<std::string, std::string>>& remove) {
    const auto ref = client::resources::nodes().named(nodeName);
    for (int attempt = 0; attempt < 3; ++attempt) {
        json node;
        if (attempt == 0) {
            const auto cached = m_nodes.lister().get("", nodeName);
            if (!cached) {
                return false;
            }
            node = *cached;
        } else {
            auto fetched = m_client.get(ref);
            if (!fetched) {
                return fetched.error().code() == core::ErrorCode::NotFound
                           ? core::Result<bool>(false)
                           : core::Result<bool>(fetched.error());
            }
            node = std::move(*fetched);
        }
        const json before = arrayAt(node, "/spec/taints"_json_pointer);
        json taints = json::array();
        for (const auto& existing : before) {
            const std::pair<std::string, std::string> id{existing.value("key", ""),
                                                         existing.value("effect", "")};
            const bool removed = std::find(remove.begin(), remove.end(), id) != remove.end();
            const bool replaced = std::any_of(add.begin(), add.end(), [&](const json& t) {
                return t.value("key", "") == id.first && t.value("effect", "") == id.second;
            });
            if (!removed && !replaced) {
                taints.push_back(existing);
            }
        }
        for (const auto& t : add) {
            const bool present = std::any_of(before.begin(), before.end(), [&](const json& e) {
                return e.value("key", "") == t.value("key", "") &&
                       e.value("effect", "") == t.value("effect", "");
            });
            if (present) {
                // Keep the existing one (and its timeAdded).
                for (const auto& e : before) {
                    if (e.value("key", "") == t.value("key", "") &&
                        e.value("effect", "") == t.value("effect", "")) {
                        taints.push_back(e);
                    }
                }
            } else {
                taints.push_back(t);
            }
        }
        if (taints == before) {
            return false;
        }
        if (taints.empty()) {
            node["spec"].erase("taints");
        } else {
            node["spec"]["taints"] = taints;
        }
        auto updated = m_client.update(ref, node);
        if (updated) {
            return true;
        }
        if (updated.error().code() != core::ErrorCode::Conflict) {
            return updated.error();
        }
    }
    return core::Error(core::ErrorCode::Conflict, "node " + nodeName + " kept changing");
}

core::Result<void> NodeLifecycleController::sync(const std::string& key) {
    const auto slash = key.find('/');
    const std::string kind = key.substr(0, slash);
    const std::string rest = key.substr(slash + 1);
    if (kind == "noschedule") {
        return syncNoScheduleTaints(rest);
    }
    if (kind == "taintnode") {
        return syncTaintedNode(rest);
    }
    if (kind == "taintpod") {
        return syncTaintedPod(rest);
    }
    if (kind == "evict") {
        return evict(rest);
    }
    return core::success();
}

core::Result<void> NodeLifecycleController::syncNoScheduleTaints(const std::string& nodeName) {
    const auto cached = m_nodes.lister().get("", nodeName);
    if (!cached) {
        return core::success();
    }
    const json& node = *cached;
    // nodeConditionToTaintKeyStatusMap: which condition status taints with what.
    static const struct {
        const char* condition;
        const char* status;
        const char* key;
    } kMap[] = {{"Ready", "False", kNotReadyTaint},
                {"Ready", "Unknown", kUnreachableTaint},
                {"MemoryPressure", "True", "node.kubernetes.io/memory-pressure"},
                {"DiskPressure", "True", "node.kubernetes.io/disk-pressure"},
                {"NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"},
                {"PIDPressure", "True", "node.kubernetes.io/pid-pressure"}};
    std::vector<json> wanted;
    std::vector<std::pair<std::string, std::string>> unwanted;
    for (const auto& entry : kMap) {
        const json* c = condition(node, entry.condition);
        if (c != nullptr && c->value("status", "") == entry.status) {
            wanted.push_back(taint(entry.key, kNoSchedule, false));
        } else {
            unwanted.emplace_back(entry.key, kNoSchedule);
        }
    }
    if (node.value("/spec/unschedulable"_json_pointer, false)) {
        wanted.push_back(taint("node.kubernetes.io/unschedulable", kNoSchedule, false));
    } else {
        unwanted.emplace_back("node.kubernetes.io/unschedulable", kNoSchedule);
    }
    // Both taint keys of Ready appear in kMap: a key wanted with one status is not unwanted.
    unwanted.erase(std::remove_if(unwanted.begin(), unwanted.end(),
                                  [&](const auto& id) {
                                      return std::any_of(wanted.begin(), wanted.end(),
                                                         [&](const json& t) {
                                                             return t.value("key", "") == id.first;
                                                         });
                                  }),
                   unwanted.end());
    bool needed = false;
    for (const auto& t : wanted) {
        needed = needed || !hasTaint(node, t.value("key", ""), kNoSchedule);
    }
    for (const auto& [key, effect] : unwanted) {
        needed = needed || hasTaint(node, key, effect);
    }
    if (!needed) {
        return core::success();
    }
    auto swapped = swapTaints(nodeName, wanted, unwanted);
    if (!swapped) {
        return swapped.error();
    }
    return core::success();
}

core::Result<void> NodeLifecycleController::syncTaintedNode(const std::string& nodeName) {
    const auto node = m_nodes.lister().get("", nodeName);
    std::vector<json> taints = node ? noExecuteTaints(*node) : std::vector<json>{};
    {
        const std::scoped_lock lock(m_mutex);
        if (taints.empty()) {
            m_taintedNodes.erase(nodeName);
        } else {
            m_taintedNodes[nodeName] = taints;
        }
    }
    for (const auto& pod : m_pods.lister().byIndex(kNodeNameIndex, nodeName)) {
        processPodOnNode(client::objectKey(*pod), *pod, taints);
    }
    return core::success();
}

core::Result<void> NodeLifecycleController::syncTaintedPod(const std::string& podKey) {
    const auto pod = m_pods.lister().getByKey(podKey);
    const auto parts = client::splitObjectKey(podKey);
    if (!pod) {
        cancelEviction(podKey, parts.nameSpace, parts.name);
        return core::success();
    }
    const std::string nodeName = stringAt(*pod, "/spec/nodeName"_json_pointer);
    std::vector<json> taints;
    {
        const std::scoped_lock lock(m_mutex);
        const auto it = m_taintedNodes.find(nodeName);
        if (it == m_taintedNodes.end()) {
            return core::success();
        }
        taints = it->second;
    }
    processPodOnNode(podKey, *pod, taints);
    return core::success();
}

void NodeLifecycleController::cancelEviction(const std::string& podKey,
                                             const std::string& nameSpace,
                                             const std::string& name) {
    bool cancelled = false;
    {
        const std::scoped_lock lock(m_mutex);
        cancelled = m_evictions.erase(podKey) > 0;
    }
    if (cancelled) {
        m_evictionRecorder->event(client::ObjectReference{"v1", "Pod", nameSpace, name, "", "", ""},
                                  client::EventRecorder::kNormal, "TaintManagerEviction",
                                  "Cancelling deletion of Pod " + nameSpace + "/" + name);
    }
}

void NodeLifecycleController::processPodOnNode(const std::string& podKey, const json& pod,
                                               const std::vector<json>& taints) {
    const std::string nameSpace = client::metadataString(pod, "namespace");
    const std::string name = client::metadataString(pod, "name");
    if (taints.empty()) {
        cancelEviction(podKey, nameSpace, name);
        return;
    }
    // GetMatchingTolerations: every taint needs a toleration; the ones used set the time.
    const json tolerations = arrayAt(pod, "/spec/tolerations"_json_pointer);
    bool allTolerated = true;
    std::vector<json> used;
    for (const auto& t : taints) {
        const auto it = std::find_if(tolerations.begin(), tolerations.end(),
                                     [&](const json& tol) { return toleratesTaint(tol, t); });
        if (it == tolerations.end()) {
            allTolerated = false;
            break;
        }
        used.push_back(*it);
    }
    const auto now = Clock::now();
    std::chrono::milliseconds delay{0};
    if (allTolerated) {
        // The least tolerationSeconds of the tolerations used; none at all: forever.
        std::optional<long long> least;
        for (const auto& tol : used) {
            if (tol.contains("tolerationSeconds") && tol["tolerationSeconds"].is_number()) {
                const long long seconds = std::max(0LL, tol["tolerationSeconds"].get<long long>());
                least = least ? std::min(*least, seconds) : seconds;
            }
        }
        if (!least) {
            cancelEviction(podKey, nameSpace, name);
            return;
        }
        delay = std::chrono::seconds(*least);
    }
    Clock::time_point fireAt;
    {
        const std::scoped_lock lock(m_mutex);
        auto [it, added] = m_evictions.try_emplace(podKey, Eviction{now, now + delay});
        if (!added) {
            // Counted from when the eviction was first scheduled.
            it->second.fireAt = std::min(it->second.fireAt, it->second.createdAt + delay);
        }
        fireAt = it->second.fireAt;
    }
    m_queue.addAfter("evict/" + podKey, fireAt - now);
}

core::Result<void> NodeLifecycleController::evict(const std::string& podKey) {
    const auto now = Clock::now();
    {
        const std::scoped_lock lock(m_mutex);
        const auto it = m_evictions.find(podKey);
        if (it == m_evictions.end()) {
            return core::success();  // cancelled
        }
        if (it->second.fireAt > now) {
            m_queue.addAfter("evict/" + podKey, it->second.fireAt - now);
            return core::success();
        }
        m_evictions.erase(it);
    }
    const auto pod = m_pods.lister().getByKey(podKey);
    if (!pod || pod->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();
    }
    const std::string nameSpace = client::metadataString(*pod, "namespace");
    const std::string name = client::metadataString(*pod, "name");
    m_evictionRecorder->event(client::ObjectReference{"v1", "Pod", nameSpace, name, "", "", ""},
                              client::EventRecorder::kNormal, "TaintManagerEviction",
                              "Marking for deletion Pod " + nameSpace + "/" + name);
    const auto ref = client::resources::pods().in(nameSpace).named(name);
    const json disruption = {
        {"status",
         {{"conditions",
           json::array({{{"type", "DisruptionTarget"},
                         {"status", "True"},
                         {"reason", "DeletionByTaintManager"},
                         {"message", "Taint manager: deleting due to NoExecute taint"},
                         {"lastTransitionTime",
                          core::formatTimestamp(std::chrono::system_clock::now())}}})}}}};
    auto patched = m_client.patch(ref.sub("status"), client::PatchType::StrategicMerge, disruption);
    if (!patched && patched.error().code() == core::ErrorCode::NotFound) {
        return core::success();
    }
    auto removed = m_client.remove(ref);
    if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
        return removed.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
