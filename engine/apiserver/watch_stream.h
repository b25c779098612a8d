// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/apiserver/router.h"
#include "engine/core/result.h"

namespace slipway::store {
class Store;
class Watch;
struct KeyValue;
}  // namespace slipway::store
namespace slipway::api {
struct ResourceType;
}

namespace slipway::apiserver {

/// What a watch request asked for.
struct WatchStreamOptions {
    std::shared_ptr<const api::ResourceType> type;
    std::string prefix;     ///< storage prefix, or a whole key when exactKey
    bool exactKey = false;  ///< watching one object (…/pods/web?watch=true)
    /// resourceVersion "" or "0": first an ADDED event for every object that exists now, then
    /// changes. Otherwise changes after fromRevision only.
    bool sendInitialState = false;
    std::int64_t fromRevision = 0;
    bool table = false;          ///< each event's object is a one-row meta.k8s.io/v1 Table
    bool includeObject = false;  ///< the Table rows carry whole objects, not metadata
    bool bookmarks = false;      ///< allowWatchBookmarks
    /// With bookmarks, a BOOKMARK event this often (kube-apiserver: about a minute), so that a
    /// watcher that saw no event lately can still resume from a recent resourceVersion.
    std::chrono::milliseconds bookmarkInterval = std::chrono::seconds(60);
    /// Label and field selectors; an object that stops matching is reported DELETED, one that
    /// starts matching ADDED, as kube-apiserver's watch cache filters.
    std::function<bool(const nlohmann::json&)> matches;
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// A watch response: newline-delimited `{"type":…,"object":…}` events read from a store
/// watch, filtered and rendered as kubectl expects (kubectl-wire.md section 3). A watch from a
/// compacted revision, or one that falls too far behind, ends with an in-stream ERROR event
/// carrying a 410 Expired Status, which makes clients relist.
class WatchStream final : public ResponseStream {
public:
    static core::Result<std::shared_ptr<WatchStream>> open(store::Store& store,
                                                           WatchStreamOptions options);
    ~WatchStream() override;

    void start(std::function<void()> wake) override;
    bool read(std::string& out) override;
    void cancel() override;
    std::chrono::milliseconds heartbeat() const override;

private:
    explicit WatchStream(WatchStreamOptions options);
    void appendEvent(std::string& out, const char* type, const nlohmann::json& object);
    /// appendEvent for a stored object sent as it is stored, spliced without parsing it
    /// (appendWithResourceVersion). False, with nothing appended, if the bytes do not allow it.
    bool appendStored(std::string& out, const char* type, const store::KeyValue& kv);
    void appendError(std::string& out, int code, const std::string& reason,
                     const std::string& message);
    /// A BOOKMARK: an object of the kind carrying only the resourceVersion up to which this
    /// watcher has been sent every event.
    void appendBookmark(std::string& out);

    WatchStreamOptions m_options;
    std::unique_ptr<store::Watch> m_watch;
    std::string m_pending;  ///< initial ADDED events, sent by the first read()
    bool m_columnsSent = false;
    /// Every event up to this revision has been read from the store watch.
    std::int64_t m_lastRevision = 0;
    std::chrono::steady_clock::time_point m_nextBookmark;
    bool m_ended = false;
    std::mutex m_wakeMutex;
    std::function<void()> m_wake;
};

}  // namespace slipway::apiserver
