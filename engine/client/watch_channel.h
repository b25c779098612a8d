// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client/watch.h"
#include "engine/core/result.h"

namespace slipway::client {

/// The bounded queue between a watch's transport (producer) and its Watch handle (consumer).
/// For Client implementations and test doubles; callers only ever see Watch.
///
/// Flow control works in both transport styles through one "demand" hook:
/// - push style (HTTPS: an I/O thread reads the socket): the producer pushes events and calls
///   pauseIfFull() before reading more; when it says full, the producer stops, and the demand
///   hook runs (on a consumer thread, with no lock held) as soon as a consumer has made room.
///   The hook must not block: post to the I/O thread.
/// - pull style (in-process: a ResponseStream that must not block its notifier): the
///   producer's wake-up only calls signal(); the consumer then runs the demand hook itself
///   before taking events, and the hook reads, parses and pushes what is available.
class WatchChannel {
public:
    using Clock = std::chrono::steady_clock;

    explicit WatchChannel(std::size_t capacity);
    WatchChannel(const WatchChannel&) = delete;
    WatchChannel& operator=(const WatchChannel&) = delete;

    // ---- producer side --------------------------------------------------------------------

    /// Installs the hooks. `demand` is described above; `cancel` runs once, outside any lock,
    /// when the consumer cancels (close the connection, stop the stream). Either may be empty.
    void setHooks(std::function<void()> demand, std::function<void()> cancel);
    /// Drops the hooks: the transport is going away. Safe against a concurrent cancel().
    void clearHooks();
    /// After this instant the consumer runs the demand hook even without signal(), so a pull
    /// producer can end the stream at its deadline.
    void setDeadline(Clock::time_point deadline);

    /// Queues an event (ignored once finished or cancelled).
    void push(WatchEvent event);
    /// Parses one line of a newline-delimited watch body and queues its event. A line that is
    /// not a watch event is a protocol error: the channel finishes with it and false is
    /// returned. Blank lines are skipped.
    bool pushLine(std::string_view line);
    /// True when the queue is full: stop producing; the demand hook runs once there is room.
    bool pauseIfFull();
    /// A pull producer has something new: consumers run the demand hook before taking events.
    void signal();
    /// The stream has ended; `error` as Watch::error() describes. Later calls are ignored.
    void finish(std::optional<core::Error> error);

    bool finished() const;
    bool cancelled() const;
    std::size_t capacity() const { return m_capacity; }

    // ---- consumer side (through Watch) ----------------------------------------------------

    std::vector<WatchEvent> poll(std::size_t max);
    std::optional<WatchEvent> next(std::chrono::milliseconds timeout);
    void setNotifier(std::function<void()> notifier);
    bool ended() const;
    std::optional<core::Error> error() const;
    void cancel();

private:
    /// Under m_mutex: the demand hook to run now, or empty.
    std::function<void()> takeDemandLocked();
    void runDemand();
    void notify();

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<WatchEvent> m_events;
    bool m_finished = false;
    bool m_cancelled = false;
    bool m_wantDemand = false;
    std::optional<core::Error> m_error;
    std::optional<Clock::time_point> m_deadline;
    std::function<void()> m_demand;
    std::function<void()> m_cancelHook;

    // The notifier has a lock of its own, held while it runs, so that cancel() can wait for a
    // running notifier; recursive so that a notifier may cancel its own watch.
    std::recursive_mutex m_notifyMutex;
    std::function<void()> m_notifier;
};

/// Splits complete lines off the front of `buffer` and pushes each to `channel` while there is
/// room (pauseIfFull). Returns false on a protocol error (the channel has finished). Bytes of
/// an incomplete last line stay in `buffer`.
bool pushLines(WatchChannel& channel, std::string& buffer);

}  // namespace slipway::client
