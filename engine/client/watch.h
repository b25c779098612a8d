// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace slipway::client {

class WatchChannel;

/// What a watch event says happened (kubectl-wire.md section 3).
enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

/// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR".
std::string_view watchEventTypeName(WatchEventType type);

/// One event of a watch: the object as it is now (Added, Modified), as it was last (Deleted),
/// only its metadata.resourceVersion (Bookmark), or a meta.k8s.io/v1 Status (Error).
struct WatchEvent {
    WatchEvent() = default;
    WatchEvent(WatchEventType eventType, nlohmann::json eventObject)
        : type(eventType), object(std::move(eventObject)) {}

    WatchEventType type = WatchEventType::Added;
    nlohmann::json object;

    /// For an Error event, its Status as an Error: Gone for 410 Expired, after which the
    /// watcher must list again.
    core::Error statusError() const;
    /// metadata.resourceVersion of the object, "" if absent.
    std::string resourceVersion() const;
};

/// A running watch, as Client::watch returns it. Move-only; destroying it cancels it.
///
/// Events are buffered between the transport and the consumer in a bounded queue (see
/// WatchOptions::bufferCapacity). When it is full the transport stops reading, so a slow
/// consumer pushes back on the server instead of growing memory; the server ends a watcher that
/// falls too far behind with a 410 Expired ERROR event, and the consumer lists again.
///
/// Two ways to consume, for the two kinds of caller:
/// - a thread of its own (a controller, an informer): call next(timeout) in a loop;
/// - an event loop (the Qt GUI): setNotifier() with a function that posts to the loop's thread
///   (QMetaObject::invokeMethod with Qt::QueuedConnection), and there poll() until it returns
///   nothing, then check ended().
/// poll(), next(), ended(), error() and cancel() are thread-safe.
class Watch {
public:
    static constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

    /// A watch that has ended with nothing to deliver.
    Watch() = default;
    /// For Client implementations: the consumer side of `channel`.
    explicit Watch(std::shared_ptr<WatchChannel> channel) : m_channel(std::move(channel)) {}
    ~Watch();
    Watch(Watch&&) noexcept = default;
    Watch& operator=(Watch&& other) noexcept;
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    /// Takes up to `max` buffered events, oldest first, without blocking.
    std::vector<WatchEvent> poll(std::size_t max = kAll);
    /// The next event, waiting up to `timeout` for it. Empty on timeout or once the watch has
    /// ended (tell them apart with ended()).
    std::optional<WatchEvent> next(std::chrono::milliseconds timeout);
    /// `notifier` runs whenever poll() may have something new or the watch has ended, and once
    /// at once if events are already waiting. It runs on a transport thread (the client's I/O
    /// thread, the store's commit thread, or a consumer's own thread inside poll/next), must be
    /// quick, must not block, must not call poll() or next() itself (post to whoever does) and
    /// must not call the Client; it may be spurious. Once cancel() has returned it never runs
    /// again.
    void setNotifier(std::function<void()> notifier);

    /// True once the stream has ended and every event has been taken.
    bool ended() const;
    /// Why the stream ended: empty for a clean end (the server's timeoutSeconds passed, which
    /// is routine: watch again from the last resourceVersion), Cancelled after cancel(),
    /// Network or Timeout when the connection failed. In-stream failures arrive as Error events.
    std::optional<core::Error> error() const;
    /// Stops the watch: buffered events are dropped, the connection is closed, and the
    /// notifier is not running on return (unless cancel() is called from it) and never runs
    /// again. Idempotent.
    void cancel();

private:
    std::shared_ptr<WatchChannel> m_channel;
};

}  // namespace slipway::client
