// SPDX-License-Identifier: Apache-2.0
#include "engine/store/store.h"

#include <algorithm>
#include <future>
#include <unordered_map>
#include <utility>

#include "engine/store/continue_token.h"
#include "engine/store/sqlite_log.h"
#include "engine/store/watch_cache.h"
#include "engine/store/watch_hub.h"

namespace slipway::store {

namespace {

std::string quotedKey(std::string_view key) {
    std::string text;
    text.reserve(key.size() + 2);
    text.append("\"").append(key).append("\"");
    return text;
}

StoreOptions sanitized(StoreOptions options) {
    options.historyLimit = std::max<std::size_t>(options.historyLimit, 1);
    options.watchQueueLimit = std::max<std::size_t>(options.watchQueueLimit, 1);
    options.maxBatchSize = std::max<std::size_t>(options.maxBatchSize, 1);
    options.maxQueuedWrites = std::max<std::size_t>(options.maxQueuedWrites, 1);
    return options;
}

}  // namespace

Store::Store(std::unique_ptr<detail::SqliteLog> log, StoreOptions options)
    : m_options(sanitized(options)),
      m_log(std::move(log)),
      m_cache(std::make_unique<detail::WatchCache>()),
      m_hub(std::make_shared<detail::WatchHub>()) {}

core::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file,
                                                 StoreOptions options) {
    auto log = detail::SqliteLog::open(file);
    if (!log) {
        return log.error();
    }
    std::unique_ptr<Store> store(new Store(std::move(*log), options));
    if (auto loaded = store->load(); !loaded) {
        return loaded.error();
    }
    store->m_commitThread = std::thread([raw = store.get()] { raw->commitLoop(); });
    store->m_commitThreadId = store->m_commitThread.get_id();
    return store;
}

Store::~Store() {
    {
        std::lock_guard lock(m_queueMutex);
        m_stopping = true;
    }
    m_queueChanged.notify_all();
    if (m_commitThread.joinable()) {
        m_commitThread.join();
    }
    m_hub->close(core::Error(core::ErrorCode::Unavailable, "the store was closed"));
}

core::Result<void> Store::load() {
    auto meta = m_log->readMeta();
    if (!meta) {
        return meta.error();
    }
    m_cache->reset(meta->compacted);
    auto loaded = m_log->load([this](detail::LogRow&& row) {
        auto previous = m_cache->latestShared(row.key);
        if (row.deleted) {
            // A tombstone with nothing before it deletes nothing; compaction never leaves one.
            if (previous != nullptr) {
                m_cache->apply(detail::makeDeleteEvent(std::move(previous), row.revision));
            }
            return;
        }
        m_cache->apply(detail::makePutEvent(std::move(row.key), std::move(row.value), row.revision,
                                            row.createRevision, std::move(previous)));
    });
    if (!loaded) {
        return loaded.error();
    }
    m_cache->advanceRevision(meta->revision);
    return core::success();
}

core::Result<KeyValue> Store::create(std::string key, std::string value) {
    PendingWrite write;
    write.mutation = Mutation{Mutation::Kind::Create, std::move(key), std::move(value), 0};
    return submitAndWait(std::move(write));
}

core::Result<KeyValue> Store::update(std::string key, std::string value,
                                     std::int64_t expectedModRevision) {
    PendingWrite write;
    write.mutation =
        Mutation{Mutation::Kind::Update, std::move(key), std::move(value), expectedModRevision};
    return submitAndWait(std::move(write));
}

core::Result<KeyValue> Store::remove(std::string key, std::int64_t expectedModRevision) {
    PendingWrite write;
    write.mutation = Mutation{Mutation::Kind::Delete, std::move(key), {}, expectedModRevision};
    return submitAndWait(std::move(write));
}

void Store::submit(Mutation mutation, WriteCallback done) {
    PendingWrite write;
    write.mutation = std::move(mutation);
    write.done = std::move(done);
    enqueue(std::move(write));
}

core::Result<void> Store::compact(std::int64_t revision) {
    if (revision <= compactedRevision()) {
        return core::success();
    }
    PendingWrite write;
    write.compact = true;
    write.compactRevision = revision;
    auto result = submitAndWait(std::move(write));
    if (!result) {
        return result.error();
    }
    return core::success();
}

core::Result<KeyValue> Store::submitAndWait(PendingWrite write) {
    if (std::this_thread::get_id() == m_commitThreadId) {
        return core::Error(core::ErrorCode::Internal,
                           "a synchronous store write from a watch notifier or write callback "
                           "would wait for itself; use Store::submit there");
    }
    // The promise lives in the callback, not on this stack: the commit thread may still be
    // inside set_value when get() returns here.
    auto promise = std::make_shared<std::promise<core::Result<KeyValue>>>();
    auto future = promise->get_future();
    write.done = [promise](core::Result<KeyValue> result) {
        promise->set_value(std::move(result));
    };
    enqueue(std::move(write));
    return future.get();
}

void Store::enqueue(PendingWrite write) {
    std::optional<core::Error> refused;
    if (!write.compact) {
        const Mutation& mutation = write.mutation;
        if (mutation.key.empty()) {
            refused = core::Error(core::ErrorCode::BadRequest, "a store key must not be empty");
        } else if (mutation.value.size() > m_options.maxValueBytes) {
            refused = core::Error(core::ErrorCode::RequestTooLarge,
                                  "value of " + quotedKey(mutation.key) + " is " +
                                      std::to_string(mutation.value.size()) +
                                      " bytes, more than the limit of " +
                                      std::to_string(m_options.maxValueBytes));
        }
    }
    if (!refused) {
        std::unique_lock lock(m_queueMutex);
        if (m_stopping) {
            refused = core::Error(core::ErrorCode::Unavailable, "the store is closing");
        } else if (m_failure) {
            refused = *m_failure;
        } else if (m_queue.size() >= m_options.maxQueuedWrites) {
            refused = core::Error(core::ErrorCode::TooManyRequests,
                                  std::to_string(m_queue.size()) +
                                      " writes are already waiting for the store; retry later");
        } else {
            if (!write.compact && write.mutation.retry) {
                // After the retries already waiting, before every first attempt.
                m_queue.insert(m_queue.begin() + static_cast<std::ptrdiff_t>(m_queuedRetries),
                               std::move(write));
                ++m_queuedRetries;
            } else {
                m_queue.push_back(std::move(write));
            }
            lock.unlock();
            m_queueChanged.notify_one();
            return;
        }
    }
    if (write.done) {
        write.done(std::move(*refused));
    }
}

void Store::commitLoop() {
    std::vector<PendingWrite> batch;
    batch.reserve(m_options.maxBatchSize);
    while (true) {
        {
            std::unique_lock lock(m_queueMutex);
            m_queueChanged.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                return;  // stopping, and everything queued before has been committed
            }
            // No waiting for stragglers: while one batch is being fsynced the next one
            // queues up by itself. 64 writers and a 2 ms fsync: one writer's batch, then
            // batches of ~63 (everyone who queued during that fsync).
            while (!m_queue.empty() && batch.size() < m_options.maxBatchSize) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
                m_queuedRetries -= m_queuedRetries > 0 ? 1 : 0;
            }
        }
        commitBatch(batch);
        batch.clear();
    }
}

void Store::commitBatch(std::vector<PendingWrite>& batch) {
    // Only this thread changes the cache, so reading it here needs no lock.
    const std::int64_t base = m_cache->revision();
    std::int64_t next = base;
    std::vector<WatchEventPtr> events;
    events.reserve(batch.size());
    std::vector<WatchEventPtr> outcomes(batch.size());
    std::vector<std::optional<core::Error>> errors(batch.size());
    // Later writes in a batch must see earlier ones: create then update of one key in one
    // batch is valid. nullptr marks a key deleted in this batch.
    std::unordered_map<std::string_view, std::shared_ptr<const KeyValue>> written;
    const auto latest = [&](const std::string& key) -> std::shared_ptr<const KeyValue> {
        const auto it = written.find(key);
        return it != written.end() ? it->second : m_cache->latestShared(key);
    };
    std::int64_t compactTarget = 0;

    for (std::size_t i = 0; i < batch.size(); ++i) {
        PendingWrite& write = batch[i];
        if (write.compact) {
            if (write.compactRevision > base) {
                errors[i] = core::Error(core::ErrorCode::BadRequest,
                                        "cannot compact to revision " +
                                            std::to_string(write.compactRevision) +
                                            ", after the current revision " + std::to_string(base));
            } else {
                compactTarget = std::max(compactTarget, write.compactRevision);
            }
            continue;
        }
        Mutation& mutation = write.mutation;
        std::shared_ptr<const KeyValue> current = latest(mutation.key);
        WatchEventPtr event;
        if (mutation.kind == Mutation::Kind::Create) {
            if (current != nullptr) {
                errors[i] = core::Error(core::ErrorCode::AlreadyExists,
                                        "key " + quotedKey(mutation.key) + " already exists");
                continue;
            }
            ++next;
            event = detail::makePutEvent(std::move(mutation.key), std::move(mutation.value), next,
                                         next, nullptr);
        } else {
            if (current == nullptr) {
                errors[i] = core::Error(core::ErrorCode::NotFound,
                                        "key " + quotedKey(mutation.key) + " not found");
                continue;
            }
            if (mutation.expectedModRevision != 0 &&
                mutation.expectedModRevision != current->modRevision) {
                errors[i] = core::Error(core::ErrorCode::Conflict,
                                        "key " + quotedKey(mutation.key) +
                                            " was modified: expected modRevision " +
                                            std::to_string(mutation.expectedModRevision) +
                                            ", current " + std::to_string(current->modRevision));
                continue;
            }
            ++next;
            const std::int64_t createRevision = current->createRevision;
            event = mutation.kind == Mutation::Kind::Update
                        ? detail::makePutEvent(std::move(mutation.key), std::move(mutation.value),
                                               next, createRevision, std::move(current))
                        : detail::makeDeleteEvent(std::move(current), next);
        }
        written[event->kv.key] = event->type == WatchEvent::Type::Put ? event->state() : nullptr;
        outcomes[i] = event;
        events.push_back(std::move(event));
    }

    // Automatic compaction keeps the last historyLimit revisions, trimmed every batch so the
    // cost is spread evenly: limit 10,000 at revision 20,064 after a batch of 64 compacts to
    // 10,064, dropping 64 events. Capped at the revision before the batch, because those are
    // the versions the cache holds now: a batch larger than the limit overshoots it by at
    // most one batch until the next one.
    const std::int64_t limit = static_cast<std::int64_t>(m_options.historyLimit);
    compactTarget = std::max(compactTarget, std::min(next - limit, base));
    if (compactTarget <= m_cache->compactedRevision()) {
        compactTarget = 0;
    }

    core::Result<void> committed = core::success();
    if (!events.empty() || compactTarget != 0) {
        const std::vector<std::int64_t> purge = compactTarget != 0
                                                    ? m_cache->compactionPurge(compactTarget)
                                                    : std::vector<std::int64_t>{};
        committed = m_log->commit(
            events, purge,
            {next, compactTarget != 0 ? compactTarget : m_cache->compactedRevision()});
    }

    if (!committed) {
        // Nothing of the batch is visible and its revisions are reused by the next one.
        const core::Error error = committed.error();
        if (!m_log->healthy()) {
            std::lock_guard lock(m_queueMutex);
            m_failure = error;
        }
        for (PendingWrite& write : batch) {
            if (write.done) {
                write.done(error);
            }
        }
        return;
    }

    detail::WatchHub::Snapshot watchers;
    {
        std::unique_lock lock(m_cacheMutex);
        for (const WatchEventPtr& event : events) {
            m_cache->apply(event);
        }
        if (compactTarget != 0) {
            m_cache->compact(compactTarget);
        }
        // Taken under the cache lock: a watch registered before this point replayed a history
        // without this batch and gets it live; one registered after replays it. None gets it
        // twice or never.
        watchers = m_hub->snapshot();
    }
    if (!events.empty()) {
        detail::WatchHub::publish(watchers, events);
    }

    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!batch[i].done) {
            continue;
        }
        if (errors[i]) {
            batch[i].done(std::move(*errors[i]));
        } else if (outcomes[i]) {
            batch[i].done(outcomes[i]->kv);
        } else {
            batch[i].done(KeyValue{});
        }
    }
}

core::Result<KeyValue> Store::get(std::string_view key) const {
    std::shared_lock lock(m_cacheMutex);
    const KeyValue* kv = m_cache->latest(key);
    if (kv == nullptr) {
        return core::Error(core::ErrorCode::NotFound, "key " + quotedKey(key) + " not found");
    }
    return *kv;
}

core::Result<ListResult> Store::list(const ListOptions& options) const {
    auto shared = listShared(options);
    if (!shared) {
        return shared.error();
    }
    ListResult result;
    result.items.reserve(shared->items.size());
    for (const auto& kv : shared->items) {
        result.items.push_back(*kv);
    }
    result.revision = shared->revision;
    result.continueToken = std::move(shared->continueToken);
    return result;
}

core::Result<SharedListResult> Store::listShared(const ListOptions& options) const {
    std::int64_t revision = options.revision;
    bool resume = false;
    std::string after;
    if (!options.continueToken.empty()) {
        if (options.revision != 0) {
            return core::Error(core::ErrorCode::BadRequest,
                               "specifying a revision is not allowed when using continue");
        }
        auto token = detail::decodeContinueToken(options.continueToken);
        if (!token) {
            return token.error();
        }
        if (!token->lastKey.starts_with(options.prefix)) {
            return core::Error(
                core::ErrorCode::BadRequest,
                "continue token does not belong to a list of " + quotedKey(options.prefix));
        }
        revision = token->revision;
        resume = true;
        after = std::move(token->lastKey);
    }

    std::shared_lock lock(m_cacheMutex);
    const std::int64_t current = m_cache->revision();
    const std::int64_t compacted = m_cache->compactedRevision();
    if (revision == 0) {
        revision = current;
    } else if (revision > current) {
        // Kubernetes' wording: the apiserver waits a little for its cache, then says this.
        return core::Error(core::ErrorCode::Timeout,
                           "Too large resource version: " + std::to_string(revision) +
                               ", current resource version: " + std::to_string(current));
    }
    if (revision < compacted) {
        if (resume) {
            return core::Error(core::ErrorCode::Gone,
                               "The provided continue parameter is too old to display a "
                               "consistent list result. You can start a new list without the "
                               "continue parameter.");
        }
        return core::Error(core::ErrorCode::Gone,
                           "too old resource version: " + std::to_string(revision) + " (" +
                               std::to_string(compacted) + ")");
    }
    auto page =
        m_cache->list(options.prefix, resume, after, revision, options.limit, options.filter);
    lock.unlock();

    SharedListResult result;
    result.items = std::move(page.items);
    result.revision = revision;
    if (page.more) {
        result.continueToken = detail::encodeContinueToken({revision, result.items.back()->key});
    }
    return result;
}

core::Result<std::unique_ptr<Watch>> Store::watch(std::string prefix, std::int64_t fromRevision,
                                                  std::function<void()> notifier) {
    // Shared is enough: the commit thread applies a batch and snapshots the watch list under
    // the exclusive lock, so this replay and this registration both fall on one side of it.
    std::shared_lock lock(m_cacheMutex);
    const std::int64_t compacted = m_cache->compactedRevision();
    if (fromRevision < compacted) {
        return core::Error(core::ErrorCode::Gone,
                           "too old resource version: " + std::to_string(fromRevision) + " (" +
                               std::to_string(compacted) + ")");
    }
    auto replay = m_cache->replay(prefix, fromRevision);
    auto state = std::make_shared<detail::WatchState>(std::move(prefix), fromRevision,
                                                      m_options.watchQueueLimit,
                                                      std::move(notifier), std::move(replay));
    if (!m_hub->add(state)) {
        return core::Error(core::ErrorCode::Unavailable, "the store is closing");
    }
    return std::unique_ptr<Watch>(new Watch(std::move(state), m_hub));
}

std::int64_t Store::currentRevision() const {
    std::shared_lock lock(m_cacheMutex);
    return m_cache->revision();
}

std::int64_t Store::compactedRevision() const {
    std::shared_lock lock(m_cacheMutex);
    return m_cache->compactedRevision();
}

std::size_t Store::size() const {
    std::shared_lock lock(m_cacheMutex);
    return m_cache->size();
}

}  // namespace slipway::store
