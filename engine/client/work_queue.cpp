// SPDX-License-Identifier: Apache-2.0
#include "engine/client/work_queue.h"

#include <spdlog/spdlog.h>

namespace slipway::client {

WorkQueue::WorkQueue(WorkQueueOptions options)
    : m_options(std::move(options)), m_rateLimiter(m_options.rateLimiter) {}

WorkQueue::~WorkQueue() {
    shutDown();
}

bool WorkQueue::addLocked(const std::string& key) {
    if (m_shuttingDown) {
        return false;
    }
    if (m_dirty.count(key) != 0) {
        return true;  // already queued (or re-added while processing): once is enough
    }
    if (m_dirty.size() >= m_options.maxLength) {
        ++m_dropped;
        return false;
    }
    m_dirty.insert(key);
    if (m_processing.count(key) != 0) {
        return true;  // done() queues it again, so that no two workers hold it at once
    }
    m_queue.push_back(key);
    m_changed.notify_one();
    return true;
}

void WorkQueue::promoteDueLocked() {
    const auto now = Clock::now();
    while (!m_delayedByTime.empty() && m_delayedByTime.begin()->first <= now) {
        auto node = m_delayedByTime.extract(m_delayedByTime.begin());
        m_delayedByKey.erase(node.value().second);
        addLocked(node.value().second);
    }
}

bool WorkQueue::add(const std::string& key) {
    std::lock_guard lock(m_mutex);
    return addLocked(key);
}

std::optional<std::string> WorkQueue::get() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        promoteDueLocked();
        if (!m_queue.empty()) {
            break;
        }
        if (m_shuttingDown) {
            return std::nullopt;
        }
        if (m_delayedByTime.empty()) {
            m_changed.wait(lock);
        } else {
            m_changed.wait_until(lock, m_delayedByTime.begin()->first);
        }
    }
    std::string key = std::move(m_queue.front());
    m_queue.pop_front();
    m_processing.insert(key);
    m_dirty.erase(key);
    return key;
}

void WorkQueue::done(const std::string& key) {
    std::lock_guard lock(m_mutex);
    m_processing.erase(key);
    if (m_dirty.count(key) != 0) {
        m_queue.push_back(key);
    }
    // Wakes a getter for the re-queued key, and shutDownWithDrain() when nothing is left.
    m_changed.notify_all();
}

bool WorkQueue::addAfter(const std::string& key, std::chrono::nanoseconds delay) {
    std::lock_guard lock(m_mutex);
    if (m_shuttingDown) {
        return false;
    }
    if (delay <= std::chrono::nanoseconds::zero()) {
        return addLocked(key);
    }
    const auto readyAt = Clock::now() + std::chrono::duration_cast<Clock::duration>(delay);
    if (const auto it = m_delayedByKey.find(key); it != m_delayedByKey.end()) {
        if (readyAt < it->second) {
            m_delayedByTime.erase({it->second, key});
            it->second = readyAt;
            m_delayedByTime.emplace(readyAt, key);
            m_changed.notify_all();
        }
        return true;
    }
    if (m_delayedByKey.size() >= m_options.maxLength) {
        ++m_dropped;
        return false;
    }
    m_delayedByKey.emplace(key, readyAt);
    m_delayedByTime.emplace(readyAt, key);
    // A getter may be waiting for a later key, or for nothing: let it recompute its wake-up.
    m_changed.notify_all();
    return true;
}

bool WorkQueue::addRateLimited(const std::string& key) {
    return addAfter(key, m_rateLimiter.when(key));
}

void WorkQueue::forget(const std::string& key) {
    m_rateLimiter.forget(key);
}

int WorkQueue::numRequeues(const std::string& key) const {
    return m_rateLimiter.numRequeues(key);
}

void WorkQueue::shutDown() {
    {
        std::lock_guard lock(m_mutex);
        m_shuttingDown = true;
        m_delayedByKey.clear();
        m_delayedByTime.clear();
    }
    m_changed.notify_all();
}

void WorkQueue::shutDownWithDrain() {
    shutDown();
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_processing.empty(); });
}

bool WorkQueue::shuttingDown() const {
    std::lock_guard lock(m_mutex);
    return m_shuttingDown;
}

std::size_t WorkQueue::len() {
    std::lock_guard lock(m_mutex);
    promoteDueLocked();
    return m_queue.size();
}

std::size_t WorkQueue::delayed() const {
    std::lock_guard lock(m_mutex);
    return m_delayedByKey.size();
}

std::size_t WorkQueue::processing() const {
    std::lock_guard lock(m_mutex);
    return m_processing.size();
}

std::uint64_t WorkQueue::dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void WorkQueue::processUntilShutDown(
    const std::function<core::Result<void>(const std::string& key)>& sync, int maxRetries) {
    while (auto key = get()) {
        core::Result<void> synced;
        // An object of an unexpected shape must not take the process down with it: a sync that
        // throws is a failed sync, retried like any other.
        try {
            synced = sync(*key);
        } catch (const std::exception& error) {
            synced =
                core::Error(core::ErrorCode::Internal, std::string("sync failed: ") + error.what());
        }
        if (synced) {
            forget(*key);
        } else if (numRequeues(*key) < maxRetries) {
            spdlog::debug("{}: {}: {}; retrying", m_options.name, *key, synced.error().message());
            addRateLimited(*key);
        } else {
            spdlog::warn("{}: {}: {}; giving up", m_options.name, *key, synced.error().message());
            forget(*key);
        }
        done(*key);
    }
}

}  // namespace slipway::client
