// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/garbagecollector/garbage_collector.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace slipway::controllers {

using nlohmann::json;

namespace {

constexpr const char* kForegroundDeletion = "foregroundDeletion";
constexpr const char* kOrphan = "orphan";

/// kube-controller-manager's default ignored resources: events churn and own nothing.
bool ignored(const client::ApiResource& resource) {
    return resource.resource == "events" &&
           (resource.group.empty() || resource.group == "events.k8s.io");
}

std::string monitorKey(const client::ApiResource& resource) {
    return resource.group + "/" + resource.resource;
}

std::string groupOf(const std::string& apiVersion) {
    const auto slash = apiVersion.find('/');
    return slash == std::string::npos ? std::string() : apiVersion.substr(0, slash);
}

/// What the collector keeps of an object (its informers' transform).
json metadataOnly(json object) {
    json metadata = json::object();
    if (const auto it = object.find("metadata"); it != object.end() && it->is_object()) {
        for (const char* field : {"name", "namespace", "uid", "resourceVersion", "ownerReferences",
                                  "finalizers", "deletionTimestamp"}) {
            if (const auto value = it->find(field); value != it->end()) {
                metadata[field] = std::move(*value);
            }
        }
    }
    return {{"apiVersion", object.value("apiVersion", "")},
            {"kind", object.value("kind", "")},
            {"metadata", std::move(metadata)}};
}

bool hasFinalizer(const json& object, const char* finalizer) {
    const auto finalizers = object.value("/metadata/finalizers"_json_pointer, json::array());
    return std::find(finalizers.begin(), finalizers.end(), json(finalizer)) != finalizers.end();
}

bool beingDeleted(const json& object) {
    return object.contains("/metadata/deletionTimestamp"_json_pointer);
}

}  // namespace

GarbageCollector::GarbageCollector(const client::Client& client, GarbageCollectorOptions options)
    : m_client(client),
      m_options(options),
      m_attemptToDelete(client::WorkQueueOptions{"garbage-collector-delete", 100'000, {}}),
      m_attemptToOrphan(client::WorkQueueOptions{"garbage-collector-orphan", 100'000, {}}) {}

GarbageCollector::~GarbageCollector() {
    stop();
}

void GarbageCollector::start() {
    refreshMonitors();
    m_threads.emplace_back([this] {
        m_attemptToDelete.processUntilShutDown(
            [this](const std::string& uid) { return attemptToDelete(uid); }, m_options.maxRetries);
    });
    m_threads.emplace_back([this] {
        m_attemptToOrphan.processUntilShutDown(
            [this](const std::string& uid) { return attemptToOrphan(uid); }, m_options.maxRetries);
    });
    m_threads.emplace_back([this] {
        std::unique_lock lock(m_stopMutex);
        while (!m_stopChanged.wait_for(lock, m_options.resourceResync,
                                       [this] { return m_stopping; })) {
            lock.unlock();
            refreshMonitors();
            lock.lock();
        }
    });
}

void GarbageCollector::stop() {
    {
        std::lock_guard lock(m_stopMutex);
        if (m_stopping) {
            return;
        }
        m_stopping = true;
    }
    m_stopChanged.notify_all();
    m_attemptToDelete.shutDown();
    m_attemptToOrphan.shutDown();
    for (auto& thread : m_threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    std::lock_guard lock(m_resourcesMutex);
    for (auto& [key, informer] : m_monitors) {
        informer->stop();
    }
}

bool GarbageCollector::waitForSync(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<client::Informer*> informers;
    {
        std::lock_guard lock(m_resourcesMutex);
        for (const auto& [key, informer] : m_monitors) {
            informers.push_back(informer.get());
        }
    }
    for (auto* informer : informers) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !informer->waitForSync(left)) {
            return false;
        }
    }
    return !informers.empty();
}

std::vector<std::string> GarbageCollector::monitoredResources() const {
    std::lock_guard lock(m_resourcesMutex);
    std::vector<std::string> keys;
    for (const auto& [key, informer] : m_monitors) {
        keys.push_back(key);
    }
    return keys;
}

void GarbageCollector::refreshMonitors() {
    auto discovered = client::discoverPreferredResources(m_client);
    if (!discovered) {
        spdlog::warn("garbage collector: discovery failed: {}", discovered.error().message());
        return;
    }
    std::lock_guard lock(m_resourcesMutex);
    m_resources = *discovered;
    std::set<std::string> wanted;
    for (const auto& resource : m_resources) {
        if (ignored(resource) || !resource.allows("delete") || !resource.allows("list") ||
            !resource.allows("watch")) {
            continue;
        }
        const std::string key = monitorKey(resource);
        wanted.insert(key);
        if (m_monitors.count(key) != 0) {
            continue;
        }
        client::InformerOptions options(resource.ref());
        options.transform = metadataOnly;
        auto informer = std::make_unique<client::Informer>(m_client, std::move(options));
        client::EventHandlers handlers;
        handlers.onAdd = [this](const client::ObjectPtr& object) { onUpsert(*object); };
        handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& object) {
            onUpsert(*object);
        };
        handlers.onDelete = [this](const client::ObjectPtr& object) { onDelete(*object); };
        informer->addEventHandler(std::move(handlers));
        informer->start();
        m_monitors.emplace(key, std::move(informer));
    }
    // A resource that went away (its CRD was deleted) is no longer watched.
    for (auto it = m_monitors.begin(); it != m_monitors.end();) {
        if (wanted.count(it->first) == 0) {
            it->second->stop();
            it = m_monitors.erase(it);
        } else {
            ++it;
        }
    }
}

// ---- the graph ---------------------------------------------------------------------------------

void GarbageCollector::onUpsert(const json& object) {
    const std::string uid = client::metadataString(object, "uid");
    if (uid.empty()) {
        return;
    }
    Identity identity{object.value("apiVersion", ""), object.value("kind", ""),
                      client::metadataString(object, "namespace"),
                      client::metadataString(object, "name"), uid};
    json owners = object.value("/metadata/ownerReferences"_json_pointer, json::array());
    if (!owners.is_array()) {
        owners = json::array();
    }
    std::lock_guard lock(m_graphMutex);
    Node& node = m_graph[uid];
    const bool wasVirtual = node.isVirtual;
    node.identity = identity;
    node.isVirtual = false;
    // Owners removed from the object: unlink them, and let an owner waiting for its dependents
    // look again.
    for (const auto& old : node.ownerReferences) {
        const std::string ownerUid = old.value("uid", "");
        const bool kept = std::any_of(owners.begin(), owners.end(), [&](const json& owner) {
            return owner.value("uid", "") == ownerUid;
        });
        if (!kept) {
            unlinkOwner(uid, ownerUid);
        }
    }
    for (const auto& owner : owners) {
        linkOwner(uid, identity, owner);
    }
    node.ownerReferences = owners;
    if (wasVirtual) {
        // It exists after all: whatever was queued to check it can find it now.
        m_attemptToDelete.add(uid);
    }
    node.deletingDependents = beingDeleted(object) && hasFinalizer(object, kForegroundDeletion);
    if (beingDeleted(object) && hasFinalizer(object, kOrphan)) {
        m_attemptToOrphan.add(uid);
    }
    if (node.deletingDependents) {
        m_attemptToDelete.add(uid);
        for (const auto& dependent : node.dependents) {
            m_attemptToDelete.add(dependent);
        }
    }
}

void GarbageCollector::onDelete(const json& object) {
    const std::string uid = client::metadataString(object, "uid");
    std::lock_guard lock(m_graphMutex);
    const auto it = m_graph.find(uid);
    if (it == m_graph.end()) {
        return;
    }
    // Its dependents may be orphans now; its owners may have been waiting for it.
    for (const auto& dependent : it->second.dependents) {
        m_attemptToDelete.add(dependent);
    }
    const json owners = it->second.ownerReferences;
    if (it->second.dependents.empty()) {
        m_graph.erase(it);
    } else {
        // Dependents still point at it: keep it as a node whose absence is to be confirmed.
        it->second.isVirtual = true;
        it->second.ownerReferences = json::array();
        m_attemptToDelete.add(uid);
    }
    for (const auto& owner : owners) {
        unlinkOwner(uid, owner.value("uid", ""));
    }
}

void GarbageCollector::linkOwner(const std::string& uid, const Identity& dependent,
                                 const json& owner) {
    const std::string ownerUid = owner.value("uid", "");
    if (ownerUid.empty()) {
        return;
    }
    auto [it, inserted] = m_graph.try_emplace(ownerUid);
    Node& ownerNode = it->second;
    if (inserted) {
        // Known only through the reference: the owner lives in the dependent's namespace if
        // its kind is namespaced (cluster-scoped dependents have cluster-scoped owners).
        ownerNode.identity = Identity{owner.value("apiVersion", ""), owner.value("kind", ""),
                                      dependent.nameSpace, owner.value("name", ""), ownerUid};
        ownerNode.isVirtual = true;
        m_attemptToDelete.add(ownerUid);
    }
    ownerNode.dependents.insert(uid);
}

void GarbageCollector::unlinkOwner(const std::string& uid, const std::string& ownerUid) {
    const auto it = m_graph.find(ownerUid);
    if (it == m_graph.end()) {
        return;
    }
    it->second.dependents.erase(uid);
    if (it->second.deletingDependents || it->second.isVirtual) {
        m_attemptToDelete.add(ownerUid);
    }
}

// ---- the workers -------------------------------------------------------------------------------

core::Result<void> GarbageCollector::attemptToDelete(const std::string& uid) {
    Node node;
    {
        std::lock_guard lock(m_graphMutex);
        const auto it = m_graph.find(uid);
        if (it == m_graph.end()) {
            return core::success();
        }
        node = it->second;
    }
    auto live = getLive(node.identity);
    if (!live) {
        return live.error();
    }
    if (!*live) {
        // Gone (or replaced by an object of the same name). A virtual node is forgotten and
        // its dependents checked; a real one waits for its informer's delete event.
        if (node.isVirtual) {
            std::lock_guard lock(m_graphMutex);
            const auto it = m_graph.find(uid);
            if (it != m_graph.end() && it->second.isVirtual) {
                for (const auto& dependent : it->second.dependents) {
                    m_attemptToDelete.add(dependent);
                }
                m_graph.erase(it);
            }
        }
        return core::success();
    }
    const json& object = **live;
    if (beingDeleted(object) && !hasFinalizer(object, kForegroundDeletion)) {
        return core::success();  // on its way already
    }
    if (beingDeleted(object)) {
        // Foreground: delete the dependents; the finalizer goes once none blocks any more.
        std::vector<std::string> blocking;
        {
            std::lock_guard lock(m_graphMutex);
            for (const auto& dependentUid : node.dependents) {
                const auto dependent = m_graph.find(dependentUid);
                if (dependent == m_graph.end() || dependent->second.isVirtual) {
                    continue;
                }
                for (const auto& owner : dependent->second.ownerReferences) {
                    if (owner.value("uid", "") == uid && owner.value("blockOwnerDeletion", false)) {
                        blocking.push_back(dependentUid);
                    }
                }
                m_attemptToDelete.add(dependentUid);
            }
        }
        if (blocking.empty()) {
            return removeFromList(node.identity, "finalizers", [](const json& finalizer) {
                return finalizer == kForegroundDeletion;
            });
        }
        return core::success();  // a dependent's deletion brings the owner back here
    }

    // A dependent: what are its owners now? Read from the live object, never the cache.
    const json owners = object.value("/metadata/ownerReferences"_json_pointer, json::array());
    if (!owners.is_array() || owners.empty()) {
        return core::success();
    }
    std::vector<std::string> solid;
    std::vector<std::string> dangling;
    std::vector<std::string> waiting;
    for (const auto& owner : owners) {
        const Identity ownerIdentity{owner.value("apiVersion", ""), owner.value("kind", ""),
                                     node.identity.nameSpace, owner.value("name", ""),
                                     owner.value("uid", "")};
        auto ownerLive = getLive(ownerIdentity);
        if (!ownerLive) {
            return ownerLive.error();
        }
        if (!*ownerLive) {
            dangling.push_back(ownerIdentity.uid);
        } else if (beingDeleted(**ownerLive) && hasFinalizer(**ownerLive, kForegroundDeletion)) {
            waiting.push_back(ownerIdentity.uid);
        } else {
            solid.push_back(ownerIdentity.uid);
        }
    }
    if (!solid.empty()) {
        if (dangling.empty() && waiting.empty()) {
            return core::success();
        }
        // It stays with its living owners; the references to the others go.
        std::set<std::string> drop(dangling.begin(), dangling.end());
        drop.insert(waiting.begin(), waiting.end());
        return removeFromList(node.identity, "ownerReferences", [&drop](const json& owner) {
            return drop.count(owner.value("uid", "")) != 0;
        });
    }
    // Every owner is gone or going: so is it. An owner deleted in the foreground keeps
    // blocking through a dependent that has dependents of its own.
    client::DeleteOptions options;
    options.preconditionUid = uid;
    if (hasFinalizer(object, kOrphan)) {
        options.propagationPolicy = client::PropagationPolicy::Orphan;
    } else if (hasFinalizer(object, kForegroundDeletion) ||
               (!waiting.empty() && !node.dependents.empty())) {
        options.propagationPolicy = client::PropagationPolicy::Foreground;
    } else {
        options.propagationPolicy = client::PropagationPolicy::Background;
    }
    const auto ref = refFor(node.identity);
    if (!ref) {
        return core::success();
    }
    spdlog::debug("garbage collector: deleting {} (owners gone)", ref->describe());
    auto removed = m_client.remove(*ref, options);
    if (!removed && removed.error().code() != core::ErrorCode::NotFound &&
        removed.error().code() != core::ErrorCode::Conflict) {
        return removed.error();
    }
    return core::success();
}

core::Result<void> GarbageCollector::attemptToOrphan(const std::string& uid) {
    Node node;
    std::vector<Identity> dependents;
    {
        std::lock_guard lock(m_graphMutex);
        const auto it = m_graph.find(uid);
        if (it == m_graph.end()) {
            return core::success();
        }
        node = it->second;
        for (const auto& dependentUid : node.dependents) {
            const auto dependent = m_graph.find(dependentUid);
            if (dependent != m_graph.end() && !dependent->second.isVirtual) {
                dependents.push_back(dependent->second.identity);
            }
        }
    }
    for (const auto& dependent : dependents) {
        auto released = removeFromList(dependent, "ownerReferences", [&uid](const json& owner) {
            return owner.value("uid", "") == uid;
        });
        if (!released) {
            return released;
        }
    }
    return removeFromList(node.identity, "finalizers",
                          [](const json& finalizer) { return finalizer == kOrphan; });
}

// ---- API access --------------------------------------------------------------------------------

std::optional<client::ApiResource> GarbageCollector::resourceFor(const std::string& apiVersion,
                                                                 const std::string& kind) const {
    // References may name any served version of the group; the preferred one reads the same
    // object.
    const std::string group = groupOf(apiVersion);
    std::lock_guard lock(m_resourcesMutex);
    for (const auto& resource : m_resources) {
        if (resource.group == group && resource.kind == kind) {
            return resource;
        }
    }
    return std::nullopt;
}

std::optional<client::ResourceRef> GarbageCollector::refFor(const Identity& identity) const {
    const auto resource = resourceFor(identity.apiVersion, identity.kind);
    if (!resource) {
        return std::nullopt;
    }
    return resource->ref(resource->namespaced ? identity.nameSpace : std::string())
        .named(identity.name);
}

core::Result<std::optional<json>> GarbageCollector::getLive(const Identity& identity) const {
    const auto ref = refFor(identity);
    if (!ref) {
        // A kind nobody serves (its CRD is gone): nothing of it can exist.
        return std::optional<json>();
    }
    auto object = m_client.get(*ref);
    if (!object) {
        if (object.error().code() == core::ErrorCode::NotFound) {
            return std::optional<json>();
        }
        return object.error();
    }
    if (client::metadataString(*object, "uid") != identity.uid) {
        return std::optional<json>();
    }
    return std::optional<json>(std::move(*object));
}

core::Result<void> GarbageCollector::removeFromList(const Identity& identity,
                                                    const std::string& field,
                                                    const std::function<bool(const json&)>& drop) {
    auto live = getLive(identity);
    if (!live) {
        return live.error();
    }
    if (!*live) {
        return core::success();
    }
    const json list = (*live)->value(json::json_pointer("/metadata/" + field), json::array());
    json kept = json::array();
    for (const auto& item : list) {
        if (!drop(item)) {
            kept.push_back(item);
        }
    }
    if (kept.size() == list.size()) {
        return core::success();
    }
    // A merge patch replaces the list whole; the resourceVersion makes it conditional, so a
    // concurrent change is not overwritten (Conflict, and the worker tries again).
    const json patch = {{"metadata",
                         {{field, kept.empty() ? json() : kept},
                          {"resourceVersion", client::metadataString(**live, "resourceVersion")}}}};
    auto patched = m_client.patch(*refFor(identity), client::PatchType::Merge, patch);
    if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
        return patched.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
