// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/client.h"
#include "engine/client/indexer.h"
#include "engine/client/lister.h"

namespace slipway::client {

/// What an informer keeps in sync, and how.
struct InformerOptions {
    InformerOptions() = default;
    explicit InformerOptions(ResourceRef watched) : resource(std::move(watched)) {}

    /// The collection: group, version, resource, and a namespace or "" for all namespaces.
    ResourceRef resource;
    std::string labelSelector;
    std::string fieldSelector;
    /// Every this often, onUpdate(object, object) runs for every cached object, so that a
    /// controller re-checks what no event mentioned. Zero: never.
    std::chrono::milliseconds resyncPeriod{0};
    /// Items per list page, as client-go's pager (500).
    std::int64_t pageSize = 500;
    /// Each watch asks the server to end it after this long times a random 1–2 (client-go:
    /// 5–10 minutes), so that watches of many informers do not all restart at once.
    std::chrono::seconds watchTimeout{300};
    /// After a failure, wait initialBackoff, doubling up to maxBackoff (client-go's reflector:
    /// 800 ms to 30 s); reset once a watch has run to its clean end.
    std::chrono::milliseconds initialBackoff{800};
    std::chrono::milliseconds maxBackoff = std::chrono::seconds(30);
    /// Events buffered between the watch transport and the informer's thread.
    std::size_t watchBufferCapacity = 1024;
    /// Applied to every object before it is cached and handed to handlers (client-go's
    /// SetTransform): a controller that reads only metadata keeps only metadata. It must keep
    /// metadata.name, namespace and resourceVersion.
    std::function<nlohmann::json(nlohmann::json)> transform;
};

/// Callbacks of an informer. Per STYLE.md they only compute a key and enqueue it: they run on
/// the informer's thread, one at a time, and a slow handler delays every other.
struct EventHandlers {
    std::function<void(const ObjectPtr& object)> onAdd;
    /// Also called by resyncs, with the same object twice.
    std::function<void(const ObjectPtr& oldObject, const ObjectPtr& newObject)> onUpdate;
    /// The object's last state: from the DELETED event, or the cached one when the deletion
    /// was noticed by a relist (the object may have changed once more before it went).
    std::function<void(const ObjectPtr& object)> onDelete;
};

/// Counters of what an informer has done, for tests and diagnostics.
struct InformerStats {
    std::uint64_t lists = 0;     ///< complete lists (the first, and every relist)
    std::uint64_t watches = 0;   ///< watches opened
    std::uint64_t expired = 0;   ///< watches refused or ended with 410 Expired
    std::uint64_t failures = 0;  ///< lists or watches that failed otherwise
    std::uint64_t resyncs = 0;
};

/// client-go's shared informer for one collection: lists it (in pages), then watches from the
/// list's resourceVersion and applies every event to a thread-safe cache (read through
/// lister()) before telling the handlers. When the watch ends cleanly it watches again from the
/// last resourceVersion seen (bookmarks keep it recent); when the server says 410 Expired (the
/// revision was compacted while the watch was down) it lists again, and the difference between
/// cache and list becomes add, update and delete notifications, so deletions missed while
/// disconnected are not lost. Other failures back off exponentially.
///
/// Runs one thread. The Client must outlive the informer.
class Informer {
public:
    Informer(const Client& client, InformerOptions options);
    /// Stops the informer.
    ~Informer();
    Informer(const Informer&) = delete;
    Informer& operator=(const Informer&) = delete;

    /// Adds an index to the cache (byIndex on the lister). The function must be pure and
    /// quick: it runs under the cache's write lock.
    void addIndex(const std::string& name, IndexFunction function);
    /// Adds handlers; a handler added after start() first gets onAdd for every cached object.
    void addEventHandler(EventHandlers handlers);

    /// Starts the list-and-watch thread. Once only.
    void start();
    /// Stops the thread and its watch; returns once it has ended. Idempotent.
    void stop();

    /// True once the first list has been applied to the cache and handlers.
    bool hasSynced() const;
    /// Waits until hasSynced(), at most `timeout`; false if it did not happen (or stop()).
    bool waitForSync(std::chrono::milliseconds timeout) const;

    Lister lister() const { return Lister(m_indexer); }
    /// The resourceVersion of the last list or event applied.
    std::string lastSyncResourceVersion() const;
    InformerStats stats() const;
    const InformerOptions& options() const { return m_options; }

private:
    enum class WatchEnd { Clean, Expired, Failed, ErrorEvent, Stopped };

    void run();
    core::Result<void> listAndReplace();
    WatchEnd consume();
    void apply(WatchEvent event);
    void resync();
    nlohmann::json transformed(nlohmann::json object) const;
    bool stopping() const;
    /// Waits the current backoff (or until stop()), then doubles it.
    void backOff(std::chrono::milliseconds& delay);
    std::chrono::seconds jitteredWatchTimeout() const;

    void notifyAdd(const ObjectPtr& object);
    void notifyUpdate(const ObjectPtr& oldObject, const ObjectPtr& newObject);
    void notifyDelete(const ObjectPtr& object);

    const Client& m_client;
    const InformerOptions m_options;
    std::shared_ptr<Indexer> m_indexer;

    std::mutex m_handlersMutex;
    std::vector<EventHandlers> m_handlers;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    bool m_started = false;
    bool m_stopping = false;
    bool m_synced = false;
    std::string m_resourceVersion;
    InformerStats m_stats;
    /// The watch the thread consumes; replaced only by that thread, under m_mutex, so that
    /// stop() can cancel it.
    Watch m_watch;

    std::thread m_thread;
};

}  // namespace slipway::client
