// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/scheduling_queue.h"

#include <algorithm>
#include <vector>

namespace slipway::scheduler {

namespace {

/// Whether an update of a parked pod may change the verdict: anything but its status and
/// bookkeeping metadata (kube's isPodUpdated).
bool schedulingRelevantChange(const PodInfo& before, const PodInfo& after) {
    if (before.object == nullptr || after.object == nullptr) {
        return true;
    }
    const auto field = [](const nlohmann::json& pod, const char* name) -> const nlohmann::json& {
        static const nlohmann::json kNull;
        const auto it = pod.find(name);
        return it == pod.end() ? kNull : *it;
    };
    if (field(*before.object, "spec") != field(*after.object, "spec")) {
        return true;
    }
    return before.labels != after.labels;
}

}  // namespace

SchedulingQueue::SchedulingQueue(SchedulingQueueOptions options) : m_options(std::move(options)) {}

SchedulingQueue::Clock::time_point SchedulingQueue::now() const {
    return m_options.now ? m_options.now() : Clock::now();
}

SchedulingQueue::Clock::duration SchedulingQueue::backoffFor(int attempts) const {
    // 1 s after the first failure, 2 s after the second, 4 s, 8 s, then 10 s for good.
    Clock::duration duration = m_options.initialBackoff;
    for (int i = 1; i < attempts; ++i) {
        duration *= 2;
        if (duration > m_options.maxBackoff) {
            return m_options.maxBackoff;
        }
    }
    return std::min<Clock::duration>(duration, m_options.maxBackoff);
}

bool SchedulingQueue::backingOff(const Entry& entry, Clock::time_point now) const {
    return now < entry.lastFailure + backoffFor(entry.queued.attempts);
}

void SchedulingQueue::pushActive(const std::string& key, Entry& entry) {
    entry.where = Where::Active;
    m_active.insert({entry.queued.pod->priority, entry.sequence, key});
    m_changed.notify_one();
}

void SchedulingQueue::pushBackoff(const std::string& key, Entry& entry) {
    entry.where = Where::Backoff;
    entry.backoffExpiry = entry.lastFailure + backoffFor(entry.queued.attempts);
    m_backoff.emplace(entry.backoffExpiry, key);
    m_changed.notify_one();
}

void SchedulingQueue::unlink(const std::string& key, Entry& entry) {
    switch (entry.where) {
        case Where::Active:
            m_active.erase({entry.queued.pod->priority, entry.sequence, key});
            break;
        case Where::Backoff:
            m_backoff.erase({entry.backoffExpiry, key});
            break;
        case Where::Unschedulable:
            m_unschedulable.erase(key);
            break;
        case Where::InFlight:
            break;
    }
}

void SchedulingQueue::add(PodInfoPtr pod) {
    std::lock_guard lock(m_mutex);
    const std::string key = pod->key;
    const auto it = m_pods.find(key);
    if (it == m_pods.end()) {
        Entry entry;
        entry.queued.pod = std::move(pod);
        entry.sequence = ++m_sequence;
        auto& stored = m_pods.emplace(key, std::move(entry)).first->second;
        pushActive(key, stored);
        return;
    }
    Entry& entry = it->second;
    switch (entry.where) {
        case Where::InFlight:
            entry.queued.pod = std::move(pod);
            return;
        case Where::Active:
            unlink(key, entry);
            entry.queued.pod = std::move(pod);
            pushActive(key, entry);
            return;
        case Where::Backoff:
            entry.queued.pod = std::move(pod);
            return;
        case Where::Unschedulable: {
            const bool relevant = schedulingRelevantChange(*entry.queued.pod, *pod);
            entry.queued.pod = std::move(pod);
            if (relevant) {
                unlink(key, entry);
                moveLocked(key, entry, now());
            }
            return;
        }
    }
}

void SchedulingQueue::remove(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    if (it == m_pods.end()) {
        return;
    }
    unlink(key, it->second);
    m_pods.erase(it);
}

void SchedulingQueue::moveLocked(const std::string& key, Entry& entry, Clock::time_point now) {
    if (backingOff(entry, now)) {
        pushBackoff(key, entry);
    } else {
        pushActive(key, entry);
    }
}

void SchedulingQueue::flushLocked(Clock::time_point now) {
    while (!m_backoff.empty() && m_backoff.begin()->first <= now) {
        const std::string key = m_backoff.begin()->second;
        m_backoff.erase(m_backoff.begin());
        const auto it = m_pods.find(key);
        if (it != m_pods.end()) {
            pushActive(key, it->second);
        }
    }
    // Every 30 s, as kube's flushUnschedulablePodsLeftover.
    if (now - m_lastLeftoverFlush < std::chrono::seconds(30) &&
        m_lastLeftoverFlush != Clock::time_point{}) {
        return;
    }
    m_lastLeftoverFlush = now;
    std::vector<std::string> leftover;
    for (const auto& key : m_unschedulable) {
        const Entry& entry = m_pods.at(key);
        if (now - entry.unschedulableSince > m_options.maxInUnschedulable) {
            leftover.push_back(key);
        }
    }
    for (const auto& key : leftover) {
        Entry& entry = m_pods.at(key);
        unlink(key, entry);
        moveLocked(key, entry, now);
    }
}

void SchedulingQueue::flush() {
    std::lock_guard lock(m_mutex);
    flushLocked(now());
}

std::optional<QueuedPod> SchedulingQueue::pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (m_closed) {
            return std::nullopt;
        }
        flushLocked(now());
        if (!m_active.empty()) {
            const ActiveKey top = *m_active.begin();
            m_active.erase(m_active.begin());
            Entry& entry = m_pods.at(top.key);
            entry.where = Where::InFlight;
            ++entry.queued.attempts;
            ++m_schedulingCycle;
            return entry.queued;
        }
        const auto realNow = std::chrono::steady_clock::now();
        if (realNow >= deadline) {
            return std::nullopt;
        }
        // Wake for the next backoff expiry, the timeout, or a push.
        auto wake = std::min(deadline, realNow + std::chrono::seconds(1));
        if (!m_backoff.empty()) {
            const auto untilExpiry = m_backoff.begin()->first - now();
            wake = std::min(wake, realNow + std::max<Clock::duration>(
                                                untilExpiry, std::chrono::milliseconds(1)));
        }
        m_changed.wait_until(lock, wake);
    }
}

std::uint64_t SchedulingQueue::schedulingCycle() const {
    std::lock_guard lock(m_mutex);
    return m_schedulingCycle;
}

void SchedulingQueue::addUnschedulable(const QueuedPod& pod, std::uint64_t cycle,
                                       PluginMask plugins, bool error) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(pod.pod->key);
    if (it == m_pods.end() || it->second.where != Where::InFlight) {
        return;  // deleted (or bound) meanwhile
    }
    Entry& entry = it->second;
    entry.queued.unschedulablePlugins = error ? 0 : plugins;
    const auto current = now();
    entry.lastFailure = current;
    if (error || m_moveRequestCycle >= cycle) {
        pushBackoff(pod.pod->key, entry);
        return;
    }
    entry.where = Where::Unschedulable;
    entry.unschedulableSince = current;
    m_unschedulable.insert(pod.pod->key);
}

void SchedulingQueue::done(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_pods.find(key);
    if (it != m_pods.end() && it->second.where == Where::InFlight) {
        m_pods.erase(it);
    }
}

void SchedulingQueue::moveAllToActiveOrBackoff(PluginMask plugins) {
    std::lock_guard lock(m_mutex);
    m_moveRequestCycle = m_schedulingCycle;
    if (m_unschedulable.empty()) {
        return;
    }
    const auto current = now();
    std::vector<std::string> moving;
    for (const auto& key : m_unschedulable) {
        const Entry& entry = m_pods.at(key);
        const PluginMask rejected = entry.queued.unschedulablePlugins;
        if (rejected == 0 || (rejected & plugins) != 0) {
            moving.push_back(key);
        }
    }
    for (const auto& key : moving) {
        Entry& entry = m_pods.at(key);
        unlink(key, entry);
        moveLocked(key, entry, current);
    }
}

void SchedulingQueue::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
}

std::size_t SchedulingQueue::activeCount() const {
    std::lock_guard lock(m_mutex);
    return m_active.size();
}

std::size_t SchedulingQueue::backoffCount() const {
    std::lock_guard lock(m_mutex);
    return m_backoff.size();
}

std::size_t SchedulingQueue::unschedulableCount() const {
    std::lock_guard lock(m_mutex);
    return m_unschedulable.size();
}

bool SchedulingQueue::contains(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    return m_pods.contains(key);
}

}  // namespace slipway::scheduler
