// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/api_discovery.h"
#include "engine/client/client.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// Settings of the garbage collector.
struct GarbageCollectorOptions {
    /// How often discovery is read again, so that resources added later (CRDs) are watched
    /// too (kube-controller-manager: 30 s).
    std::chrono::milliseconds resourceResync = std::chrono::seconds(30);
    /// Failures of one object before the collector gives up on it until its next change.
    int maxRetries = 15;
};

/// Kubernetes' garbage collector (pkg/controller/garbagecollector): deletes objects whose
/// owners are gone, and carries out the two deletion policies that wait for it:
///
/// - Background: when an owner disappears, each dependent whose owners are all gone is
///   deleted; a dependent with an owner left only loses the dangling ownerReference.
/// - Foreground: an owner being deleted with the `foregroundDeletion` finalizer has its
///   dependents deleted first; the finalizer comes off (and the API server removes the owner)
///   once no dependent with `blockOwnerDeletion: true` is left.
/// - Orphan: an owner being deleted with the `orphan` finalizer has its ownerReference removed
///   from every dependent, then loses the finalizer.
///
/// It watches every deletable resource that discovery lists (events excepted), keeping only
/// metadata, and maintains the owner→dependents graph from those watches. Decisions are taken
/// on the live objects, read again before every deletion or patch, never on the cache alone:
/// a dependent whose ownerReference was just removed must not be deleted for it.
///
/// Talks to the API only through the Client, so it works in-process and against any cluster.
class GarbageCollector {
public:
    GarbageCollector(const client::Client& client, GarbageCollectorOptions options = {});
    ~GarbageCollector();
    GarbageCollector(const GarbageCollector&) = delete;
    GarbageCollector& operator=(const GarbageCollector&) = delete;

    /// Discovers resources, starts their informers and the two workers. Once only.
    void start();
    /// Stops workers and informers; idempotent.
    void stop();
    /// True once every watched resource has been listed.
    bool waitForSync(std::chrono::milliseconds timeout) const;
    /// Resources being watched, "group/resource" ("/pods", "apps/deployments").
    std::vector<std::string> monitoredResources() const;

private:
    /// What the graph knows of an object: enough to find it again and to follow ownership.
    struct Identity {
        std::string apiVersion;
        std::string kind;
        std::string nameSpace;
        std::string name;
        std::string uid;
    };
    struct Node {
        Identity identity;
        nlohmann::json ownerReferences = nlohmann::json::array();
        std::set<std::string> dependents;  ///< uids
        /// Known only as somebody's owner; whether it exists is still to be checked.
        bool isVirtual = false;
        bool deletingDependents = false;
    };

    void refreshMonitors();
    void onUpsert(const nlohmann::json& object);
    void onDelete(const nlohmann::json& object);
    void linkOwner(const std::string& uid, const Identity& dependent, const nlohmann::json& owner);
    void unlinkOwner(const std::string& uid, const std::string& ownerUid);

    core::Result<void> attemptToDelete(const std::string& uid);
    core::Result<void> attemptToOrphan(const std::string& uid);

    /// The resource that serves `apiVersion`'s `kind`, from the last discovery.
    std::optional<client::ApiResource> resourceFor(const std::string& apiVersion,
                                                   const std::string& kind) const;
    std::optional<client::ResourceRef> refFor(const Identity& identity) const;
    /// The object as it is now, or nullopt when it is gone or has another uid.
    core::Result<std::optional<nlohmann::json>> getLive(const Identity& identity) const;
    /// Patches `identity`'s metadata.`field` (a list) without the items `drop` selects,
    /// conditional on the resourceVersion it was read at.
    core::Result<void> removeFromList(const Identity& identity, const std::string& field,
                                      const std::function<bool(const nlohmann::json&)>& drop);

    const client::Client& m_client;
    const GarbageCollectorOptions m_options;

    mutable std::mutex m_resourcesMutex;
    std::vector<client::ApiResource> m_resources;
    std::map<std::string, std::unique_ptr<client::Informer>> m_monitors;

    std::mutex m_graphMutex;
    std::unordered_map<std::string, Node> m_graph;

    client::WorkQueue m_attemptToDelete;
    client::WorkQueue m_attemptToOrphan;

    std::mutex m_stopMutex;
    std::condition_variable m_stopChanged;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace slipway::controllers
