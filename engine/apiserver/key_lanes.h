// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/apiserver/router.h"

namespace slipway::apiserver {

/// One lane per object key for the API server's read-modify-write requests that carry no
/// precondition (PATCH): one at a time per key, in arrival order, each answering before the
/// next reads. Writers of one busy object then take turns instead of re-reading the same
/// revision together and losing to each other until their five retries run out, which an
/// optimistic retry alone cannot avoid when they all resume in the same commit.
///
/// A waiting request holds no thread: it is a deferred answer (HttpResponse::deferred) that
/// the lane resumes when its turn comes. Thread-safe.
class KeyLanes {
public:
    /// Runs `work` now when no request of `key` is running, else once those before it have
    /// answered. `work` may answer deferred; the lane moves on once that answer is made.
    HttpResponse run(const std::string& key, std::function<HttpResponse()> work);

    /// Keys with a request running or waiting (for tests).
    std::size_t busyKeys() const;

private:
    /// Ends the running request of `key` and starts the next waiting one, if any.
    void release(const std::string& key);
    HttpResponse runOwned(const std::string& key, const std::function<HttpResponse()>& work);

    mutable std::mutex m_mutex;
    /// Present while a request of the key runs; holds the ones waiting behind it.
    std::unordered_map<std::string, std::deque<std::function<void()>>> m_lanes;
};

}  // namespace slipway::apiserver
