// SPDX-License-Identifier: Apache-2.0
#include "engine/store/watch_hub.h"

#include <algorithm>
#include <utility>

namespace slipway::store::detail {

WatchState::WatchState(std::string prefix, std::int64_t fromRevision, std::size_t queueLimit,
                       std::function<void()> notifier, std::deque<WatchEventPtr> replay)
    : m_prefix(std::move(prefix)),
      m_fromRevision(fromRevision),
      m_queueLimit(queueLimit),
      m_notifier(std::move(notifier)),
      m_replay(std::move(replay)) {}

bool WatchState::deliver(const std::vector<WatchEventPtr>& events) {
    const auto selects = [this](const WatchEventPtr& event) {
        return event->revision > m_fromRevision && event->kv.key.starts_with(m_prefix);
    };
    // Counting first keeps the common case cheap: of 1,000 watches most select nothing from
    // a batch and never take their lock.
    const auto selected =
        static_cast<std::size_t>(std::count_if(events.begin(), events.end(), selects));
    if (selected == 0) {
        return false;
    }
    std::lock_guard lock(m_mutex);
    if (m_error) {
        return false;
    }
    if (m_live.size() + selected > m_queueLimit) {
        // Waiting for the consumer would stall every writer behind one slow client, and
        // buffering without bound would let it take the memory; Kubernetes ends such a watch
        // and its reflector relists, which is what the Gone error asks for.
        m_replay.clear();
        m_live.clear();
        m_error = core::Error(core::ErrorCode::Gone,
                              "watch on \"" + m_prefix + "\" fell more than " +
                                  std::to_string(m_queueLimit) +
                                  " events behind and was ended; list again and watch from "
                                  "the list's revision");
        m_changed.notify_all();
        return true;
    }
    const bool wasEmpty = !pendingLocked();
    for (const WatchEventPtr& event : events) {
        if (selects(event)) {
            m_live.push_back(event);
        }
    }
    m_changed.notify_all();
    return wasEmpty;
}

bool WatchState::end(core::Error error, bool dropPending) {
    std::lock_guard lock(m_mutex);
    if (m_error) {
        return false;
    }
    m_error = std::move(error);
    if (dropPending) {
        m_replay.clear();
        m_live.clear();
    }
    m_changed.notify_all();
    return true;
}

void WatchState::notify() {
    if (!m_notifier) {
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled) {
            return;
        }
        ++m_notifying;
        m_notifyingThread = std::this_thread::get_id();
    }
    m_notifier();
    {
        std::lock_guard lock(m_mutex);
        --m_notifying;
    }
    m_changed.notify_all();
}

void WatchState::cancel() {
    std::unique_lock lock(m_mutex);
    m_cancelled = true;
    if (!m_error) {
        m_error = core::Error(core::ErrorCode::Cancelled, "watch on \"" + m_prefix + "\" stopped");
    }
    m_replay.clear();
    m_live.clear();
    m_changed.notify_all();
    if (m_notifying > 0 && m_notifyingThread == std::this_thread::get_id()) {
        return;
    }
    m_changed.wait(lock, [this] { return m_notifying == 0; });
}

std::vector<WatchEventPtr> WatchState::poll(std::size_t max) {
    std::vector<WatchEventPtr> events;
    std::lock_guard lock(m_mutex);
    const std::size_t take = std::min(max, m_replay.size() + m_live.size());
    events.reserve(take);
    while (events.size() < take && !m_replay.empty()) {
        events.push_back(std::move(m_replay.front()));
        m_replay.pop_front();
    }
    while (events.size() < take) {
        events.push_back(std::move(m_live.front()));
        m_live.pop_front();
    }
    return events;
}

bool WatchState::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return pendingLocked() || m_error; });
}

std::optional<core::Error> WatchState::error() const {
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool WatchHub::add(std::shared_ptr<WatchState> state) {
    std::lock_guard lock(m_mutex);
    if (m_closed) {
        return false;
    }
    auto next = std::make_shared<std::vector<std::shared_ptr<WatchState>>>(*m_watchers);
    next->push_back(std::move(state));
    m_watchers = std::move(next);
    return true;
}

void WatchHub::remove(const WatchState* state) {
    std::lock_guard lock(m_mutex);
    auto next = std::make_shared<std::vector<std::shared_ptr<WatchState>>>();
    next->reserve(m_watchers->size());
    for (const auto& watcher : *m_watchers) {
        if (watcher.get() != state) {
            next->push_back(watcher);
        }
    }
    m_watchers = std::move(next);
}

WatchHub::Snapshot WatchHub::snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_watchers;
}

void WatchHub::publish(const Snapshot& watchers, const std::vector<WatchEventPtr>& events) {
    std::vector<WatchState*> toNotify;
    for (const auto& watcher : *watchers) {
        if (watcher->deliver(events)) {
            toNotify.push_back(watcher.get());
        }
    }
    // The snapshot keeps every state alive while its notifier runs.
    for (WatchState* watcher : toNotify) {
        watcher->notify();
    }
}

void WatchHub::close(const core::Error& error) {
    Snapshot watchers;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        watchers = std::exchange(
            m_watchers, std::make_shared<const std::vector<std::shared_ptr<WatchState>>>());
    }
    for (const auto& watcher : *watchers) {
        if (watcher->end(error, false)) {
            watcher->notify();
        }
    }
}

std::size_t WatchHub::size() const {
    std::lock_guard lock(m_mutex);
    return m_watchers->size();
}

}  // namespace slipway::store::detail
