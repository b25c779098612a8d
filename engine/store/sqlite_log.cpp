// SPDX-License-Identifier: Apache-2.0
#include "engine/store/sqlite_log.h"

#include <string_view>

#include <sqlite3.h>

namespace slipway::store::detail {

namespace {

constexpr int kSchemaVersion = 1;

// Keys are bytes, not text, so they are stored as BLOBs: SQLite never reinterprets them.
constexpr const char* kSchema = R"sql(
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS log (
    revision INTEGER PRIMARY KEY,
    key BLOB NOT NULL,
    deleted INTEGER NOT NULL,
    create_revision INTEGER NOT NULL,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0), ('compacted', 0);
PRAGMA user_version = 1;
COMMIT;
)sql";

constexpr const char* kCacheSize = "PRAGMA cache_size = -512";

bool isBusy(int rc) {
    const int primary = rc & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

std::string columnBytes(sqlite3_stmt* statement, int column) {
    // column_blob before column_bytes, as SQLite documents; an empty BLOB comes back as NULL.
    const void* data = sqlite3_column_blob(statement, column);
    const int size = sqlite3_column_bytes(statement, column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

void bindBytes(sqlite3_stmt* statement, int index, std::string_view bytes) {
    // string_view::data() of an empty value is still non-null, so SQLite stores an empty BLOB
    // rather than a NULL; SQLITE_STATIC is safe because the event outlives the step.
    static constexpr char kEmpty[] = "";
    sqlite3_bind_blob(statement, index, bytes.empty() ? kEmpty : bytes.data(),
                      static_cast<int>(bytes.size()), SQLITE_STATIC);
}

}  // namespace

core::Result<std::unique_ptr<SqliteLog>> SqliteLog::open(const std::filesystem::path& file) {
    // Taken before SQLite touches the file, so a second slipwayd never even recovers the WAL
    // of the first one.
    auto lock = core::FileLock::acquire(file.string() + ".lock");
    if (!lock) {
        return lock.error().code() == core::ErrorCode::Conflict
                   ? core::Error(core::ErrorCode::Conflict,
                                 "store " + file.string() + " is in use by another process")
                   : lock.error();
    }
    std::unique_ptr<SqliteLog> log(new SqliteLog(std::move(*lock)));
    log->m_path = file.string();
    const int rc =
        sqlite3_open_v2(log->m_path.c_str(), &log->m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        return log->failure("opening store");
    }
    sqlite3_extended_result_codes(log->m_db, 1);
    // Only the checkpointer connection competes for SQLite's locks; a forced checkpoint waits
    // for it rather than failing.
    sqlite3_busy_timeout(log->m_db, 10'000);

    sqlite3_stmt* journal = nullptr;
    if (auto ok = log->prepare("PRAGMA journal_mode = WAL", &journal); !ok) {
        return ok.error();
    }
    const int journalRc = sqlite3_step(journal);
    const std::string mode = journalRc == SQLITE_ROW ? columnBytes(journal, 0) : std::string();
    sqlite3_finalize(journal);
    if (journalRc != SQLITE_ROW) {
        return log->failure("opening store");
    }
    if (mode != "wal") {
        return core::Error(core::ErrorCode::Io, "store " + log->m_path +
                                                    " cannot use write-ahead logging (journal "
                                                    "mode \"" +
                                                    mode + "\")");
    }
    // FULL: in WAL mode every COMMIT fsyncs the WAL, so an acknowledged write survives power
    // loss; NORMAL (what kine runs) would only fsync at checkpoints.
    if (auto ok = log->exec("PRAGMA synchronous = FULL"); !ok) {
        return ok.error();
    }
    // Reads come from the watch cache, never from SQLite after load; writes append at the end
    // of the table and its index. 512 KiB of pages hold the paths to those ends; SQLite's
    // default (2 MB per connection) would only keep a copy of what the load read.
    if (auto ok = log->exec(kCacheSize); !ok) {
        return ok.error();
    }

    sqlite3_stmt* version = nullptr;
    if (auto ok = log->prepare("PRAGMA user_version", &version); !ok) {
        return ok.error();
    }
    const int versionRc = sqlite3_step(version);
    const std::int64_t schema = versionRc == SQLITE_ROW ? sqlite3_column_int64(version, 0) : 0;
    sqlite3_finalize(version);
    if (versionRc != SQLITE_ROW) {
        return log->failure("opening store");
    }
    if (schema > kSchemaVersion) {
        return core::Error(core::ErrorCode::Io, "store " + log->m_path + " has schema version " +
                                                    std::to_string(schema) +
                                                    ", newer than this slipwayd understands (" +
                                                    std::to_string(kSchemaVersion) + ")");
    }
    if (auto ok = log->exec(kSchema); !ok) {
        if (!sqlite3_get_autocommit(log->m_db)) {
            sqlite3_exec(log->m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        return ok.error();
    }

    if (auto ok = log->prepare("INSERT INTO log (revision, key, deleted, create_revision, value) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               &log->m_insert);
        !ok) {
        return ok.error();
    }
    if (auto ok = log->prepare("DELETE FROM log WHERE revision = ?1", &log->m_delete); !ok) {
        return ok.error();
    }
    if (auto ok =
            log->prepare("UPDATE meta SET value = CASE name WHEN 'revision' THEN ?1 ELSE ?2 END "
                         "WHERE name IN ('revision', 'compacted')",
                         &log->m_setMeta);
        !ok) {
        return ok.error();
    }
    // Installing a WAL hook turns SQLite's automatic checkpoints off: they would run inside
    // COMMIT on the commit thread.
    sqlite3_wal_hook(log->m_db, &SqliteLog::onWalCommit, log.get());
    if (auto ok = log->startCheckpointer(); !ok) {
        return ok.error();
    }
    return log;
}

int SqliteLog::onWalCommit(void* self, sqlite3* /*db*/, const char* /*name*/, int frames) {
    static_cast<SqliteLog*>(self)->m_walFrames = frames;
    return SQLITE_OK;
}

core::Result<void> SqliteLog::startCheckpointer() {
    if (sqlite3_open_v2(m_path.c_str(), &m_checkpointDb,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
        sqlite3_exec(m_checkpointDb, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr) !=
            SQLITE_OK ||
        sqlite3_exec(m_checkpointDb, kCacheSize, nullptr, nullptr, nullptr) != SQLITE_OK) {
        const std::string detail =
            m_checkpointDb != nullptr ? sqlite3_errmsg(m_checkpointDb) : "out of memory";
        return core::Error(core::ErrorCode::Io,
                           "opening checkpoint connection to store " + m_path + ": " + detail);
    }
    m_checkpointer = std::thread([this] { checkpointLoop(); });
    return core::success();
}

void SqliteLog::checkpointLoop() {
    while (true) {
        {
            std::unique_lock lock(m_checkpointMutex);
            m_checkpointWanted.wait(
                lock, [this] { return m_checkpointRequested || m_checkpointerStopping; });
            if (m_checkpointerStopping) {
                return;
            }
            m_checkpointRequested = false;
        }
        // PASSIVE never waits for the writer: it copies what is committed and fsyncs the
        // database file while commits go on appending to the WAL. A failure leaves the WAL
        // as it was (still durable), and the next request retries.
        sqlite3_wal_checkpoint_v2(m_checkpointDb, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
    }
}

void SqliteLog::stopCheckpointer() {
    {
        std::lock_guard lock(m_checkpointMutex);
        m_checkpointerStopping = true;
    }
    m_checkpointWanted.notify_all();
    if (m_checkpointer.joinable()) {
        m_checkpointer.join();
    }
    sqlite3_close_v2(m_checkpointDb);
    m_checkpointDb = nullptr;
}

SqliteLog::~SqliteLog() {
    stopCheckpointer();
    sqlite3_finalize(m_insert);
    sqlite3_finalize(m_delete);
    sqlite3_finalize(m_setMeta);
    // Closing the last connection checkpoints the WAL into the database and removes it.
    sqlite3_close_v2(m_db);
}

core::Error SqliteLog::failure(std::string_view what) const {
    const int rc = m_db != nullptr ? sqlite3_extended_errcode(m_db) : SQLITE_CANTOPEN;
    const std::string detail = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    const auto code = isBusy(rc) ? core::ErrorCode::Conflict : core::ErrorCode::Io;
    std::string message(what);
    message.append(" ").append(m_path).append(": ").append(detail);
    if (isBusy(rc)) {
        message.append(" (in use by another process)");
    }
    return core::Error(code, std::move(message));
}

core::Result<void> SqliteLog::exec(const char* sql) {
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return failure("store");
    }
    return core::success();
}

core::Result<void> SqliteLog::prepare(const char* sql, sqlite3_stmt** statement) {
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
        SQLITE_OK) {
        return failure("preparing statement for store");
    }
    return core::success();
}

core::Result<SqliteLog::Meta> SqliteLog::readMeta() {
    sqlite3_stmt* statement = nullptr;
    if (auto ok = prepare("SELECT name, value FROM meta", &statement); !ok) {
        return ok.error();
    }
    Meta meta;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        const std::string name = columnBytes(statement, 0);
        const std::int64_t value = sqlite3_column_int64(statement, 1);
        if (name == "revision") {
            meta.revision = value;
        } else if (name == "compacted") {
            meta.compacted = value;
        }
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) {
        return failure("reading store");
    }
    return meta;
}

core::Result<void> SqliteLog::load(const std::function<void(LogRow&&)>& row) {
    sqlite3_stmt* statement = nullptr;
    if (auto ok = prepare(
            "SELECT revision, key, deleted, create_revision, value FROM log ORDER BY revision",
            &statement);
        !ok) {
        return ok.error();
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        LogRow next;
        next.revision = sqlite3_column_int64(statement, 0);
        next.key = columnBytes(statement, 1);
        next.deleted = sqlite3_column_int(statement, 2) != 0;
        next.createRevision = sqlite3_column_int64(statement, 3);
        next.value = columnBytes(statement, 4);
        row(std::move(next));
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) {
        return failure("reading store");
    }
    return core::success();
}

core::Result<void> SqliteLog::commit(const std::vector<WatchEventPtr>& events,
                                     const std::vector<std::int64_t>& purge, const Meta& meta) {
    if (!m_healthy) {
        return core::Error(
            core::ErrorCode::Io,
            "store " + m_path + " refuses writes after an earlier I/O failure; restart slipwayd");
    }
    auto result = commitLocked(events, purge, meta);
    if (!result) {
        const int rc = sqlite3_extended_errcode(m_db);
        bool rolledBack = true;
        if (!sqlite3_get_autocommit(m_db)) {
            rolledBack = sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
        }
        // A full disk fails before anything is synced and rolls back cleanly: the next batch
        // may succeed once space is freed. Any other failure may have hit the fsync.
        if (!rolledBack || (rc & 0xFF) != SQLITE_FULL) {
            m_healthy = false;
        }
        return result;
    }
    if (m_walFrames < m_walFramesAtRequest) {
        m_walFramesAtRequest = 0;  // the WAL restarted from its beginning
    }
    if (m_walFrames >= kForceCheckpointFrames) {
        // Sustained writes never left a moment in which a background pass had copied the whole
        // WAL, which is when the next commit restarts it. At 16,000 frames (~64 MiB) RESTART
        // waits for a background pass in progress, copies the rest and makes the next commit
        // start over: one stall per 64 MiB written instead of one per 4 MiB. Its failure loses
        // nothing (the WAL keeps every commit) and the next commit tries again.
        sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
        m_walFramesAtRequest = 0;
    } else if (m_walFrames - m_walFramesAtRequest >= kCheckpointFrames) {
        // Once per 1,000 new frames, not after every commit past 1,000: a pass per commit
        // would double the fsyncs (measured: 1,230 passes for 2,000 single-writer commits).
        m_walFramesAtRequest = m_walFrames;
        {
            std::lock_guard lock(m_checkpointMutex);
            m_checkpointRequested = true;
        }
        m_checkpointWanted.notify_one();
    }
    return result;
}

core::Result<void> SqliteLog::commitLocked(const std::vector<WatchEventPtr>& events,
                                           const std::vector<std::int64_t>& purge,
                                           const Meta& meta) {
    if (auto ok = exec("BEGIN"); !ok) {
        return ok;
    }
    for (const WatchEventPtr& event : events) {
        const bool deleted = event->type == WatchEvent::Type::Delete;
        sqlite3_bind_int64(m_insert, 1, event->revision);
        bindBytes(m_insert, 2, event->kv.key);
        sqlite3_bind_int(m_insert, 3, deleted ? 1 : 0);
        sqlite3_bind_int64(m_insert, 4, event->kv.createRevision);
        // A tombstone needs no value: loading rebuilds the deleted object from the version
        // before it, which compaction always keeps while the tombstone is in the history.
        bindBytes(m_insert, 5, deleted ? std::string_view() : std::string_view(event->kv.value));
        const int rc = sqlite3_step(m_insert);
        sqlite3_reset(m_insert);
        if (rc != SQLITE_DONE) {
            return failure("writing store");
        }
    }
    for (const std::int64_t revision : purge) {
        sqlite3_bind_int64(m_delete, 1, revision);
        const int rc = sqlite3_step(m_delete);
        sqlite3_reset(m_delete);
        if (rc != SQLITE_DONE) {
            return failure("compacting store");
        }
    }
    sqlite3_bind_int64(m_setMeta, 1, meta.revision);
    sqlite3_bind_int64(m_setMeta, 2, meta.compacted);
    const int rc = sqlite3_step(m_setMeta);
    sqlite3_reset(m_setMeta);
    if (rc != SQLITE_DONE) {
        return failure("writing store");
    }
    return exec("COMMIT");
}

}  // namespace slipway::store::detail
