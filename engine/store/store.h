// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/core/result.h"
#include "engine/store/key_value.h"
#include "engine/store/watch.h"

namespace slipway::store {

namespace detail {
class SqliteLog;
class WatchCache;
class WatchHub;
}  // namespace detail

/// Limits of a Store; the defaults suit a local cluster of ~10,000 objects.
struct StoreOptions {
    /// Revisions kept for watch-from-revision and for paged lists pinned to a revision. The
    /// store compacts automatically so that at most this many (plus one batch) are kept.
    std::size_t historyLimit = 10'000;
    /// Live events a watcher may have queued before it is ended with Gone.
    std::size_t watchQueueLimit = 1'000;
    /// Writes committed together in one transaction, under one fsync.
    std::size_t maxBatchSize = 512;
    /// Writes waiting for the commit thread; beyond it writes fail with TooManyRequests.
    std::size_t maxQueuedWrites = 10'000;
    /// Largest value accepted (Kubernetes' request limit is 3 MiB); RequestTooLarge beyond.
    std::size_t maxValueBytes = 3 * 1024 * 1024;
};

/// A write for Store::submit.
struct Mutation {
    enum class Kind {
        Create,  ///< AlreadyExists if the key is present
        Update,  ///< NotFound if absent; Conflict if expectedModRevision is stale
        Delete,  ///< NotFound if absent; Conflict if expectedModRevision is stale
    };

    Kind kind = Kind::Create;
    std::string key;
    std::string value;
    /// For Update and Delete: the key's modRevision the caller last saw; 0 = unconditional.
    std::int64_t expectedModRevision = 0;
    /// A write re-made after it lost a race (the API server's re-read of an unconditional
    /// patch): queued ahead of first attempts, so that it is first in its batch and writers
    /// of one busy key take turns instead of one losing every time.
    bool retry = false;
};

/// What Store::list reads.
struct ListOptions {
    /// Keys starting with this; "/registry/pods/" for all pods, "/registry/pods/ns/" for one
    /// namespace.
    std::string prefix;
    /// Most items in one page; 0 = all.
    std::size_t limit = 0;
    /// From the previous page's ListResult; resumes after its last key at its revision.
    std::string continueToken;
    /// 0 = the current revision; otherwise exactly this one (Gone if compacted, Timeout if
    /// not reached yet). Not allowed together with continueToken.
    std::int64_t revision = 0;
    /// Selects items before they count toward `limit`. Runs under the cache's read lock:
    /// keep it fast and do not call into the Store from it.
    std::function<bool(const KeyValue&)> filter;
};

/// A list whose items are shared with the store's cache instead of copied: what a large LIST
/// answer is assembled from. The values stay valid for as long as the pointers are held.
struct SharedListResult {
    std::vector<std::shared_ptr<const KeyValue>> items;
    std::int64_t revision = 0;
    std::string continueToken;
};

struct ListResult {
    std::vector<KeyValue> items;
    /// The revision the whole list was read at (its resourceVersion).
    std::int64_t revision = 0;
    /// Non-empty when more items follow: pass it back as ListOptions::continueToken.
    std::string continueToken;
};

/// Called once with the outcome of a submitted write.
using WriteCallback = std::function<void(core::Result<KeyValue>)>;

/// A revisioned key-value store: SQLite in WAL mode for durability, an in-memory watch cache
/// for every read.
///
/// Every write gets the next cluster-wide revision (Kubernetes' resourceVersion), is fsynced
/// before it is acknowledged, and is published to watchers in revision order. A single commit
/// thread owns the SQLite connection: writers queue their mutations and it commits whatever
/// has queued as one transaction under one fsync (group commit). Reads (get, list, watch)
/// never touch SQLite; the file is read only at open, to rebuild the cache and the history.
///
/// Thread-safe. Reads see only committed writes, and a write's effect is visible to get/list
/// and queued to watchers before its caller is told it succeeded.
class Store {
public:
    /// Opens (creating if needed) the store in `file`. Conflict if another process or
    /// another Store holds the file; Io if it cannot be read.
    static core::Result<std::unique_ptr<Store>> open(const std::filesystem::path& file,
                                                     StoreOptions options = {});

    /// Commits every write already queued, closes the file and ends every watch with
    /// Unavailable.
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// Creates `key`; AlreadyExists if present. Returns the stored object.
    core::Result<KeyValue> create(std::string key, std::string value);
    /// Replaces the value of `key`, if its modRevision is still `expectedModRevision` (0 =
    /// unconditional). NotFound if absent, Conflict if stale (the value is left unchanged).
    core::Result<KeyValue> update(std::string key, std::string value,
                                  std::int64_t expectedModRevision = 0);
    /// Deletes `key`, preconditioned like update(). Returns the object as it was, with
    /// modRevision set to the revision of the deletion.
    core::Result<KeyValue> remove(std::string key, std::int64_t expectedModRevision = 0);

    /// Queues a write without waiting. `done` runs once, after the write is durable and
    /// published, on the commit thread (or at once, on the caller's thread, if the write is
    /// refused before queueing). It must not block, and must not call the synchronous write
    /// methods (they would wait for the thread that runs it: they return Internal instead).
    void submit(Mutation mutation, WriteCallback done);

    /// Drops history at and below `revision` (watches and continue tokens from before it get
    /// Gone). Already-compacted revisions are a no-op; a future one is BadRequest.
    core::Result<void> compact(std::int64_t revision);

    /// The current value of `key`; NotFound if absent.
    core::Result<KeyValue> get(std::string_view key) const;
    /// A page of keys under a prefix, in key order, all at one revision.
    core::Result<ListResult> list(const ListOptions& options) const;
    /// The same list without copying the values (10,000 pods: 18 MB neither copied nor
    /// allocated, which glibc would keep as the process's memory afterwards).
    core::Result<SharedListResult> listShared(const ListOptions& options) const;
    /// Watches the keys under `prefix` for writes with revision > `fromRevision`: the history
    /// after it is replayed first, then live writes follow. Gone if `fromRevision` is below
    /// compactedRevision(). A revision not reached yet is fine: its events come when written.
    /// `notifier` is described at Watch.
    core::Result<std::unique_ptr<Watch>> watch(std::string prefix, std::int64_t fromRevision,
                                               std::function<void()> notifier = {});

    /// Revision of the last committed write (0 for a new store).
    std::int64_t currentRevision() const;
    /// History at and below this revision is gone.
    std::int64_t compactedRevision() const;
    /// Live keys.
    std::size_t size() const;

private:
    struct PendingWrite {
        Mutation mutation;
        bool compact = false;
        std::int64_t compactRevision = 0;
        WriteCallback done;
    };

    Store(std::unique_ptr<detail::SqliteLog> log, StoreOptions options);
    core::Result<void> load();
    void enqueue(PendingWrite write);
    core::Result<KeyValue> submitAndWait(PendingWrite write);
    void commitLoop();
    void commitBatch(std::vector<PendingWrite>& batch);

    const StoreOptions m_options;
    std::unique_ptr<detail::SqliteLog> m_log;

    mutable std::shared_mutex m_cacheMutex;
    std::unique_ptr<detail::WatchCache> m_cache;
    std::shared_ptr<detail::WatchHub> m_hub;

    std::mutex m_queueMutex;
    std::condition_variable m_queueChanged;
    std::deque<PendingWrite> m_queue;
    std::size_t m_queuedRetries = 0;  ///< at the front of m_queue
    bool m_stopping = false;
    std::optional<core::Error> m_failure;

    std::thread m_commitThread;
    std::thread::id m_commitThreadId;
};

}  // namespace slipway::store
