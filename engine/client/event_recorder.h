// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "engine/client/client.h"

namespace slipway::client {

/// The object an Event is about (core/v1 ObjectReference).
struct ObjectReference {
    std::string apiVersion;  ///< "apps/v1"
    std::string kind;        ///< "Deployment"
    std::string nameSpace;   ///< "" for cluster-scoped objects
    std::string name;
    std::string uid;
    std::string resourceVersion;
    /// A part of the object: "spec.containers{web}" for a container's events.
    std::string fieldPath;

    /// The reference to `object`, reading its metadata; apiVersion and kind from the object if
    /// it has them (objects of lists do not), else the given ones.
    static ObjectReference to(const nlohmann::json& object, std::string apiVersion = {},
                              std::string kind = {});
    nlohmann::json toJson() const;
};

/// Who records: the Event's source and reporting controller.
struct EventSource {
    std::string component;  ///< "deployment-controller", "default-scheduler", "kubelet"
    std::string host;       ///< the node, for a node agent's events
};

/// Settings of an EventRecorder.
struct EventRecorderOptions {
    /// Events waiting to be written; beyond it new ones are dropped (and counted), as
    /// client-go's broadcaster drops rather than blocks the controller.
    std::size_t queueCapacity = 1000;
    /// Distinct events remembered for deduplication (client-go's LRU of 4096).
    std::size_t cacheSize = 4096;
    /// Between the last write of an event and a repeat: a repeat in this window bumps count
    /// and lastTimestamp of the stored Event instead of writing a new one.
    std::chrono::seconds dedupWindow{600};
    /// client-go's spam filter: per object (and source), a token bucket of `spamBurst` events
    /// refilled by one every `spamRefill`; events beyond it are dropped, so a ReplicaSet of
    /// 10,000 pods does not write 10,000 SuccessfulCreate events. Zero burst: no filter.
    std::size_t spamBurst = 25;
    std::chrono::seconds spamRefill{300};
};

/// client-go's EventRecorder with its correlator (tools/record): controllers record what they
/// decided and why ("Scaled up replica set web-5d8f to 3"), and users read it in `kubectl
/// describe` and `kubectl get events`.
///
/// event() only queues: one worker thread writes core/v1 Events through the Client, so a
/// controller never waits on them. An event identical to one written before (same object,
/// type, reason, message and source) is not written again: the stored Event's count goes up and
/// its lastTimestamp moves, as Kubernetes deduplicates. Events land in the object's namespace
/// ("default" for cluster-scoped objects), named `<object>.<unique hex>`.
///
/// Thread-safe. The Client must outlive the recorder.
class EventRecorder {
public:
    static constexpr const char* kNormal = "Normal";
    static constexpr const char* kWarning = "Warning";

    EventRecorder(const Client& client, EventSource source, EventRecorderOptions options = {});
    /// Writes what is queued, then stops.
    ~EventRecorder();
    EventRecorder(const EventRecorder&) = delete;
    EventRecorder& operator=(const EventRecorder&) = delete;

    /// Records an event about `object` (an object as the API returns it: its kind and
    /// apiVersion, when absent, from `involved`).
    void event(const ObjectReference& involved, const std::string& type, const std::string& reason,
               const std::string& message);
    void event(const nlohmann::json& object, const std::string& type, const std::string& reason,
               const std::string& message) {
        event(ObjectReference::to(object), type, reason, message);
    }
    /// The same with the source's host set for this event only: a node agent that records for
    /// many (simulated) nodes names each event's node, as each kubelet does.
    void event(const ObjectReference& involved, const std::string& type, const std::string& reason,
               const std::string& message, const std::string& host);

    /// Waits until every queued event has been written (or failed), at most `timeout`.
    bool flush(std::chrono::milliseconds timeout) const;

    /// Events written as new objects, as count bumps, dropped (queue full), and failed writes.
    struct Stats {
        std::uint64_t created = 0;
        std::uint64_t updated = 0;
        std::uint64_t dropped = 0;
        std::uint64_t failed = 0;
        std::uint64_t filtered = 0;  ///< dropped by the spam filter
    };
    Stats stats() const;

    const EventSource& source() const { return m_source; }

private:
    struct Pending {
        ObjectReference involved;
        std::string type;
        std::string reason;
        std::string message;
        std::chrono::system_clock::time_point at;
        std::string host;  ///< overrides the source's host when not empty
    };
    struct Seen {
        std::string nameSpace;
        std::string name;
        std::int64_t count = 0;
        std::string firstTimestamp;
        std::chrono::system_clock::time_point lastWritten;
        std::list<std::string>::iterator lruPosition;
    };

    void run();
    void write(const Pending& pending);
    std::string dedupKey(const Pending& pending) const;
    void remember(const std::string& key, Seen seen);

    const Client& m_client;
    const EventSource m_source;
    const EventRecorderOptions m_options;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::deque<Pending> m_queue;
    bool m_writing = false;
    bool m_stopping = false;
    Stats m_stats;

    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point refilled;
        std::list<std::string>::iterator lruPosition;
    };
    /// True if the spam filter lets one more event about `involved` through. Under m_mutex.
    bool admitLocked(const ObjectReference& involved, const std::string& host);
    std::unordered_map<std::string, Bucket> m_buckets;  ///< under m_mutex
    std::list<std::string> m_bucketLru;                 ///< under m_mutex, most recent first

    // Used by the worker thread only.
    std::unordered_map<std::string, Seen> m_seen;
    std::list<std::string> m_lru;  ///< most recently written first
    std::uint64_t m_sequence = 0;

    std::thread m_worker;
};

}  // namespace slipway::client
