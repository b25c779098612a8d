// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/store/key_value.h"

namespace slipway::store {

namespace detail {
class WatchState;
class WatchHub;
}  // namespace detail

/// A subscription to the writes under one key prefix, made by Store::watch.
///
/// Events arrive in revision order: first the replay of the history after the requested
/// revision, then live writes as they commit. Writers never wait for a watcher: each one has a
/// bounded queue of live events, and a watcher that falls that far behind is ended with a Gone
/// error (Kubernetes' "Expired"), after which its client relists and watches again.
///
/// Delivery is pull-based, so it fits an Asio strand: the optional notifier given to
/// Store::watch runs with no lock held (on the store's commit thread, or on the thread closing
/// the store) whenever the queue goes from empty to non-empty and when the watch ends. It must
/// be quick and must not block, e.g. post to the session's strand; the consumer then calls
/// poll() until it returns nothing and checks error(). Poll once right after Store::watch
/// returns, since the replay is queued before any notifier could run; and expect the notifier
/// to run before Store::watch has returned, if a write commits in between.
///
/// poll(), wait() and error() may be called from any thread; stop() and destruction belong
/// to the owner.
class Watch {
public:
    static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    /// Stops the watch (see stop()).
    ~Watch();

    /// Takes up to `max` pending events, oldest first; empty when none are pending.
    std::vector<WatchEventPtr> poll(std::size_t max = kAll);

    /// Blocks until an event is pending or the watch has ended, or until `timeout` passes.
    /// True if poll() has something to return or the watch has ended.
    bool wait(std::chrono::milliseconds timeout);

    /// Why the watch ended, once it has: Gone when its queue overflowed, Unavailable when the
    /// store closed, Cancelled after stop(). Empty while it is live. Events queued before an
    /// Unavailable end are still delivered by poll(); an overflow or stop() drops them.
    std::optional<core::Error> error() const;

    /// Ends the watch: no more events are queued, and once stop() returns the notifier is not
    /// running and will never run again (unless stop() is called from the notifier itself).
    void stop();

    const std::string& prefix() const;
    /// Events delivered have revisions above this one.
    std::int64_t fromRevision() const;

private:
    friend class Store;
    Watch(std::shared_ptr<detail::WatchState> state, std::weak_ptr<detail::WatchHub> hub);

    std::shared_ptr<detail::WatchState> m_state;
    std::weak_ptr<detail::WatchHub> m_hub;
};

}  // namespace slipway::store
