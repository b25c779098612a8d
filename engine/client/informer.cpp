// SPDX-License-Identifier: Apache-2.0
#include "engine/client/informer.h"

#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

namespace slipway::client {

using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

/// How long one next() waits when no resync is due: stop() cancels the watch, which wakes it
/// at once, so this only bounds how stale the resync check can get.
constexpr auto kIdleWait = std::chrono::seconds(5);

double randomUnit() {
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string resourceVersionOf(const json& object) {
    return object.value("/metadata/resourceVersion"_json_pointer, std::string());
}

/// Failures that say nothing about the data: the server is unreachable or busy. The watch is
/// retried from the same resourceVersion, as client-go's reflector does for connection refused
/// and 429, instead of paying for a relist.
bool transient(core::ErrorCode code) {
    return code == core::ErrorCode::Network || code == core::ErrorCode::Timeout ||
           code == core::ErrorCode::Unavailable || code == core::ErrorCode::TooManyRequests;
}

}  // namespace

Informer::Informer(const Client& client, InformerOptions options)
    : m_client(client), m_options(std::move(options)), m_indexer(std::make_shared<Indexer>()) {}

Informer::~Informer() {
    stop();
}

void Informer::addIndex(const std::string& name, IndexFunction function) {
    m_indexer->addIndex(name, std::move(function));
}

void Informer::addEventHandler(EventHandlers handlers) {
    std::lock_guard lock(m_handlersMutex);
    if (handlers.onAdd) {
        for (const auto& object : m_indexer->list()) {
            handlers.onAdd(object);
        }
    }
    m_handlers.push_back(std::move(handlers));
}

void Informer::start() {
    std::lock_guard lock(m_mutex);
    if (m_started || m_stopping) {
        return;
    }
    m_started = true;
    m_thread = std::thread([this] { run(); });
}

void Informer::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_watch.cancel();
    }
    m_changed.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) {
        m_thread.join();
    }
}

bool Informer::stopping() const {
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

bool Informer::hasSynced() const {
    std::lock_guard lock(m_mutex);
    return m_synced;
}

bool Informer::waitForSync(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, timeout, [this] { return m_synced || m_stopping; });
    return m_synced;
}

std::string Informer::lastSyncResourceVersion() const {
    std::lock_guard lock(m_mutex);
    return m_resourceVersion;
}

InformerStats Informer::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

std::chrono::seconds Informer::jitteredWatchTimeout() const {
    const auto base = static_cast<double>(m_options.watchTimeout.count());
    return std::chrono::seconds(
        std::max<std::int64_t>(1, static_cast<std::int64_t>(base * (1.0 + randomUnit()))));
}

void Informer::backOff(std::chrono::milliseconds& delay) {
    // Up to half as long again at random, so that informers failing together retry apart.
    const auto wait = std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(delay.count()) * (1.0 + 0.5 * randomUnit())));
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, wait, [this] { return m_stopping; });
    }
    delay = std::min(m_options.maxBackoff, delay * 2);
}

void Informer::run() {
    const std::string what = m_options.resource.describe();
    auto delay = m_options.initialBackoff;
    bool needList = true;
    while (!stopping()) {
        if (needList) {
            if (auto listed = listAndReplace(); !listed) {
                spdlog::warn("informer: listing {} failed: {}", what, listed.error().message());
                {
                    std::lock_guard lock(m_mutex);
                    ++m_stats.failures;
                }
                backOff(delay);
                continue;
            }
            needList = false;
        }

        WatchOptions options;
        options.labelSelector = m_options.labelSelector;
        options.fieldSelector = m_options.fieldSelector;
        options.resourceVersion = lastSyncResourceVersion();
        options.allowBookmarks = true;
        options.timeout = jitteredWatchTimeout();
        options.bufferCapacity = m_options.watchBufferCapacity;
        auto opened = m_client.watch(m_options.resource, options);
        if (!opened) {
            const auto code = opened.error().code();
            std::lock_guard lock(m_mutex);
            if (code == core::ErrorCode::Gone) {
                ++m_stats.expired;
                needList = true;
                continue;
            }
            ++m_stats.failures;
            needList = !transient(code);
        } else {
            {
                std::lock_guard lock(m_mutex);
                ++m_stats.watches;
                if (m_stopping) {
                    break;
                }
                m_watch = std::move(*opened);
            }
            const WatchEnd end = consume();
            {
                std::lock_guard lock(m_mutex);
                m_watch = Watch();
                if (end == WatchEnd::Expired) {
                    ++m_stats.expired;
                } else if (end == WatchEnd::Failed || end == WatchEnd::ErrorEvent) {
                    ++m_stats.failures;
                }
            }
            if (end == WatchEnd::Stopped) {
                break;
            }
            if (end == WatchEnd::Clean) {
                delay = m_options.initialBackoff;
                continue;
            }
            if (end == WatchEnd::Expired) {
                // The revision we would resume from is gone: what happened meanwhile can only
                // be learnt by listing again. No backoff: the server is fine.
                needList = true;
                continue;
            }
            needList = end == WatchEnd::ErrorEvent;
        }
        if (!stopping()) {
            spdlog::info("informer: watch of {} failed; retrying", what);
            backOff(delay);
        }
    }
}

core::Result<void> Informer::listAndReplace() {
    ListOptions options;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    options.limit = m_options.pageSize;
    auto listed = m_client.listAll(m_options.resource, options, m_options.transform);
    if (!listed) {
        return listed.error();
    }
    std::vector<ObjectPtr> objects;
    objects.reserve(listed->items.size());
    for (auto& item : listed->items) {
        objects.push_back(std::make_shared<const json>(std::move(item)));  // transformed
    }
    auto previous = m_indexer->replace(objects);
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.lists;
        m_resourceVersion = listed->resourceVersion;
    }
    // The difference between what was cached and what is there now: an object missing from
    // the list was deleted while we were not watching.
    for (const auto& object : objects) {
        const std::string key = objectKey(*object);
        const auto old = previous.find(key);
        if (old == previous.end()) {
            notifyAdd(object);
            continue;
        }
        if (resourceVersionOf(*old->second) != resourceVersionOf(*object)) {
            notifyUpdate(old->second, object);
        }
        previous.erase(old);
    }
    for (const auto& [key, object] : previous) {
        notifyDelete(object);
    }
    {
        std::lock_guard lock(m_mutex);
        m_synced = true;
    }
    m_changed.notify_all();
    return core::success();
}

Informer::WatchEnd Informer::consume() {
    auto nextResync = m_options.resyncPeriod.count() > 0 ? Clock::now() + m_options.resyncPeriod
                                                         : Clock::time_point::max();
    for (;;) {
        const auto now = Clock::now();
        if (now >= nextResync) {
            resync();
            nextResync = now + m_options.resyncPeriod;
        }
        const auto wait = std::min<Clock::duration>(kIdleWait, nextResync - now);
        // m_watch is replaced only by this thread; stop() cancels it under the lock, which is
        // safe alongside next().
        auto event = m_watch.next(std::chrono::duration_cast<std::chrono::milliseconds>(wait));
        if (event) {
            if (event->type == WatchEventType::Error) {
                const auto error = event->statusError();
                spdlog::info("informer: watch of {} ended: {}", m_options.resource.describe(),
                             error.message());
                return error.code() == core::ErrorCode::Gone ? WatchEnd::Expired
                                                             : WatchEnd::ErrorEvent;
            }
            apply(std::move(*event));
            continue;
        }
        if (!m_watch.ended()) {
            continue;
        }
        if (stopping()) {
            return WatchEnd::Stopped;
        }
        const auto error = m_watch.error();
        return error ? WatchEnd::Failed : WatchEnd::Clean;
    }
}

void Informer::apply(WatchEvent event) {
    const std::string resourceVersion = event.resourceVersion();
    switch (event.type) {
        case WatchEventType::Added:
        case WatchEventType::Modified: {
            auto object = std::make_shared<const json>(transformed(std::move(event.object)));
            auto old = m_indexer->upsert(object);
            if (old) {
                notifyUpdate(old, object);
            } else {
                notifyAdd(object);
            }
            break;
        }
        case WatchEventType::Deleted: {
            auto object = std::make_shared<const json>(transformed(std::move(event.object)));
            m_indexer->erase(objectKey(*object));
            notifyDelete(object);
            break;
        }
        case WatchEventType::Bookmark:
        case WatchEventType::Error:
            break;
    }
    if (!resourceVersion.empty()) {
        std::lock_guard lock(m_mutex);
        m_resourceVersion = resourceVersion;
    }
}

json Informer::transformed(json object) const {
    return m_options.transform ? m_options.transform(std::move(object)) : object;
}

void Informer::resync() {
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.resyncs;
    }
    for (const auto& object : m_indexer->list()) {
        notifyUpdate(object, object);
    }
}

void Informer::notifyAdd(const ObjectPtr& object) {
    std::lock_guard lock(m_handlersMutex);
    for (const auto& handlers : m_handlers) {
        if (handlers.onAdd) {
            handlers.onAdd(object);
        }
    }
}

void Informer::notifyUpdate(const ObjectPtr& oldObject, const ObjectPtr& newObject) {
    std::lock_guard lock(m_handlersMutex);
    for (const auto& handlers : m_handlers) {
        if (handlers.onUpdate) {
            handlers.onUpdate(oldObject, newObject);
        }
    }
}

void Informer::notifyDelete(const ObjectPtr& object) {
    std::lock_guard lock(m_handlersMutex);
    for (const auto& handlers : m_handlers) {
        if (handlers.onDelete) {
            handlers.onDelete(object);
        }
    }
}

}  // namespace slipway::client
