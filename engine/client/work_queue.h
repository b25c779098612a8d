// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "engine/client/rate_limiter.h"
#include "engine/core/result.h"

namespace slipway::client {

/// Settings of a WorkQueue.
struct WorkQueueOptions {
    /// For logs and metrics: "deployment", "replicaset".
    std::string name;
    /// Most keys queued (ready, or re-added while processing), and separately most keys
    /// delayed. A key already there is always accepted, since it costs nothing; a new key
    /// beyond the limit is refused and counted in dropped(). Controllers are level-triggered and
    /// resync periodically, so a refused key comes back later instead of memory growing without
    /// bound. 100,000 keys is ten times the objects a local cluster holds.
    std::size_t maxLength = 100'000;
    RateLimiterOptions rateLimiter;
};

/// A controller's work queue in the shape of client-go's workqueue (util/workqueue/queue.go,
/// delaying_queue.go, rate_limiting_queue.go):
///
/// - a dirty set and a processing set: a key added many times before a worker takes it is
///   processed once; a key is never handed to two workers at once; a key added while a worker
///   processes it is handed out again after that worker calls done();
/// - get() blocks until a key is ready or the queue shuts down;
/// - addAfter() delays a key; addRateLimited() delays it by the RateLimiter (per-key
///   exponential backoff from 5 ms to 1000 s, and a 10 qps / burst 100 bucket overall);
///   forget() resets a key's backoff, numRequeues() counts its failures (for a retry cap);
/// - shutDown() wakes every blocked get(); keys already queued are still handed out, after
///   which get() returns nothing; delayed keys are dropped.
///
/// The usual worker loop:
///   while (auto key = queue.get()) {
///       auto synced = sync(*key);
///       if (synced) { queue.forget(*key); }
///       else if (queue.numRequeues(*key) < kMaxRetries) { queue.addRateLimited(*key); }
///       else { queue.forget(*key); }  // give up; a later event or resync brings it back
///       queue.done(*key);
///   }
///
/// Thread-safe. Delayed keys need no thread of their own: whoever waits in get() wakes when the
/// earliest one is due.
class WorkQueue {
public:
    explicit WorkQueue(WorkQueueOptions options = {});
    /// Shuts the queue down (getters return empty).
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    /// Marks `key` as needing processing. False if refused (full or shutting down).
    bool add(const std::string& key);
    /// The next key to process, blocking until there is one; empty once the queue is shut down
    /// and drained. The caller must call done(key) when it has finished with it.
    std::optional<std::string> get();
    /// The worker has finished with `key`; if it was added meanwhile it is queued again.
    void done(const std::string& key);

    /// Adds `key` after `delay` (at once if it is not positive). A key already waiting keeps the
    /// earlier of its two times. False if refused.
    bool addAfter(const std::string& key, std::chrono::nanoseconds delay);
    /// Adds `key` after the rate limiter's delay for it, counting one more failure.
    bool addRateLimited(const std::string& key);
    /// Clears the failures of `key`.
    void forget(const std::string& key);
    /// Failures counted for `key` since it was last forgotten.
    int numRequeues(const std::string& key) const;

    /// Stops the queue: no new keys; blocked get() calls return; delayed keys are dropped.
    void shutDown();
    /// The usual worker loop above, run until shutDown(): each key goes to `sync`; a failure is
    /// retried with the rate limiter's backoff, at most `maxRetries` times, then dropped until
    /// the key is added again (controllers are level-triggered). Failures are logged under the
    /// queue's name; a sync that throws counts as failed.
    void processUntilShutDown(const std::function<core::Result<void>(const std::string& key)>& sync,
                              int maxRetries);
    /// shutDown(), then waits until every key handed out has been done().
    void shutDownWithDrain();
    bool shuttingDown() const;

    /// Keys ready to be handed out now (delayed keys that are due included).
    std::size_t len();
    /// Keys waiting for their delay.
    std::size_t delayed() const;
    /// Keys a worker holds.
    std::size_t processing() const;
    /// New keys refused because the queue was full.
    std::uint64_t dropped() const;

private:
    using Clock = std::chrono::steady_clock;

    bool addLocked(const std::string& key);
    void promoteDueLocked();

    const WorkQueueOptions m_options;
    RateLimiter m_rateLimiter;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::string> m_queue;
    std::set<std::string, std::less<>> m_dirty;
    std::set<std::string, std::less<>> m_processing;
    std::map<std::string, Clock::time_point, std::less<>> m_delayedByKey;
    std::set<std::pair<Clock::time_point, std::string>> m_delayedByTime;
    bool m_shuttingDown = false;
    std::uint64_t m_dropped = 0;
};

}  // namespace slipway::client
