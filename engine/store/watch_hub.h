// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/error.h"
#include "engine/store/key_value.h"

namespace slipway::store::detail {

/// The shared half of a Watch: its queues, its end state and its notifier. The commit thread
/// pushes into it; the Watch handle polls it.
class WatchState {
public:
    WatchState(std::string prefix, std::int64_t fromRevision, std::size_t queueLimit,
               std::function<void()> notifier, std::deque<WatchEventPtr> replay);

    const std::string& prefix() const { return m_prefix; }
    std::int64_t fromRevision() const { return m_fromRevision; }

    /// Queues the events of one committed batch that this watch selects. True if the notifier
    /// must run (the queue was empty, or the watch just ended by overflowing).
    bool deliver(const std::vector<WatchEventPtr>& events);
    /// Ends the watch with `error` (keeping pending events unless `dropPending`). True if the
    /// notifier must run (the watch had not ended before).
    bool end(core::Error error, bool dropPending);
    /// Runs the notifier unless the watch was stopped; call with no lock held.
    void notify();
    /// Ends with Cancelled and waits until no notifier call is running (unless the caller is
    /// that notifier).
    void cancel();

    std::vector<WatchEventPtr> poll(std::size_t max);
    bool wait(std::chrono::milliseconds timeout);
    std::optional<core::Error> error() const;

private:
    bool pendingLocked() const { return !m_replay.empty() || !m_live.empty(); }

    const std::string m_prefix;
    const std::int64_t m_fromRevision;
    const std::size_t m_queueLimit;
    const std::function<void()> m_notifier;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    // The replay is bounded by the history, not by the queue limit: a watch from 5,000
    // revisions ago must not be ended for being behind before it has started.
    std::deque<WatchEventPtr> m_replay;
    std::deque<WatchEventPtr> m_live;
    std::optional<core::Error> m_error;
    bool m_cancelled = false;
    int m_notifying = 0;
    std::thread::id m_notifyingThread;
};

/// The registry of live watches and the fan-out of committed batches to them. The list is
/// copy-on-write so the commit thread takes a snapshot in O(1) under the cache lock and
/// delivers outside it.
class WatchHub {
public:
    using Snapshot = std::shared_ptr<const std::vector<std::shared_ptr<WatchState>>>;

    /// Registers a watch; false if the hub was closed (the store is closing).
    bool add(std::shared_ptr<WatchState> state);
    void remove(const WatchState* state);
    Snapshot snapshot() const;

    /// Delivers a batch to every selecting watch, then runs the notifiers with no lock held.
    static void publish(const Snapshot& watchers, const std::vector<WatchEventPtr>& events);
    /// Ends every watch with `error` and refuses new ones.
    void close(const core::Error& error);

    std::size_t size() const;

private:
    mutable std::mutex m_mutex;
    Snapshot m_watchers = std::make_shared<const std::vector<std::shared_ptr<WatchState>>>();
    bool m_closed = false;
};

}  // namespace slipway::store::detail
