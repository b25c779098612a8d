// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/core/file_lock.h"
#include "engine/core/result.h"
#include "engine/store/key_value.h"

struct sqlite3;
struct sqlite3_stmt;

namespace slipway::store::detail {

/// One row of the on-disk log: a version of a key written at `revision`.
struct LogRow {
    std::int64_t revision = 0;
    std::string key;
    bool deleted = false;
    std::int64_t createRevision = 0;
    std::string value;
};

/// The durable half of the store: one SQLite file in WAL mode with synchronous=FULL, so a
/// COMMIT returns only after the WAL is fsynced.
///
/// Schema: `log(revision INTEGER PRIMARY KEY, key, deleted, create_revision, value)` holds the
/// versions the in-memory cache holds (each write appends one row; compaction deletes the rows
/// the cache drops, by revision), and `meta` holds the current and compacted revisions, so a
/// reopened store continues after a compacted-away delete. Nothing reads by key: reads are
/// served from memory, and the file is scanned once, in revision order, at open.
///
/// Checkpoints (copying the WAL into the database file, which costs an fsync of that file:
/// 27-51 ms measured here while a parallel build wrote to the disk) run on a background
/// thread with a second connection, so the commit thread, and every writer waiting on it,
/// only ever waits for the WAL's own fsync. Only if the WAL outgrows kForceCheckpointFrames
/// because sustained writes never let that thread catch up does the commit thread checkpoint
/// itself, which bounds the WAL at the cost of one stall.
///
/// A lock file beside the database ("<file>.lock") is held while open: a second slipwayd on
/// the same file gets Conflict instead of a split brain. The writing connection is used by one
/// thread at a time.
class SqliteLog {
public:
    struct Meta {
        std::int64_t revision = 0;
        std::int64_t compacted = 0;
    };

    /// Start a background checkpoint each time the WAL has grown by this many frames (~4 MiB,
    /// SQLite's own default for automatic checkpoints).
    static constexpr int kCheckpointFrames = 1000;
    /// Checkpoint on the commit thread once the WAL holds this many frames (~64 MiB).
    static constexpr int kForceCheckpointFrames = 16000;

    /// Opens or creates the file; Conflict if another Store holds it, Io otherwise.
    static core::Result<std::unique_ptr<SqliteLog>> open(const std::filesystem::path& file);
    ~SqliteLog();
    SqliteLog(const SqliteLog&) = delete;
    SqliteLog& operator=(const SqliteLog&) = delete;

    core::Result<Meta> readMeta();
    /// Calls `row` for every stored version in revision order.
    core::Result<void> load(const std::function<void(LogRow&&)>& row);

    /// One durable transaction: appends `events`, deletes the `purge` revisions and records
    /// the revisions. On failure it is rolled back; healthy() tells whether the file can take
    /// another transaction.
    core::Result<void> commit(const std::vector<WatchEventPtr>& events,
                              const std::vector<std::int64_t>& purge, const Meta& meta);

    /// False after a failure SQLite cannot promise to have rolled back cleanly (an I/O error
    /// during the write or the fsync). The store then refuses writes: after a failed fsync
    /// the kernel may have dropped the dirty pages, so retrying could report a write durable
    /// that is not (PostgreSQL's "fsyncgate").
    bool healthy() const { return m_healthy; }

private:
    explicit SqliteLog(core::FileLock lock) : m_lock(std::move(lock)) {}
    static int onWalCommit(void* self, sqlite3* db, const char* name, int frames);
    core::Result<void> startCheckpointer();
    void checkpointLoop();
    void stopCheckpointer();
    core::Error failure(std::string_view what) const;
    core::Result<void> exec(const char* sql);
    core::Result<void> prepare(const char* sql, sqlite3_stmt** statement);
    core::Result<void> commitLocked(const std::vector<WatchEventPtr>& events,
                                    const std::vector<std::int64_t>& purge, const Meta& meta);

    core::FileLock m_lock;
    std::string m_path;
    sqlite3* m_db = nullptr;
    // Frames in the WAL after the last commit, as SQLite's WAL hook reports them, and when
    // the last background checkpoint was asked for.
    int m_walFrames = 0;
    int m_walFramesAtRequest = 0;
    sqlite3_stmt* m_insert = nullptr;
    sqlite3_stmt* m_delete = nullptr;
    sqlite3_stmt* m_setMeta = nullptr;
    bool m_healthy = true;

    sqlite3* m_checkpointDb = nullptr;
    std::thread m_checkpointer;
    std::mutex m_checkpointMutex;
    std::condition_variable m_checkpointWanted;
    bool m_checkpointRequested = false;
    bool m_checkpointerStopping = false;
};

}  // namespace slipway::store::detail
