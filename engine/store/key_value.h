// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace slipway::store {

/// One stored object: a key such as "/registry/pods/default/web-1" and opaque bytes (JSON).
struct KeyValue {
    std::string key;
    std::string value;
    /// Revision of the write that created the key (Kubernetes needs it to tell a re-created
    /// object from the old one).
    std::int64_t createRevision = 0;
    /// Revision of the last write to the key: the object's resourceVersion.
    std::int64_t modRevision = 0;

    friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

/// One committed write, as watchers see it.
///
/// Put: `kv` is the new state; `previous` is the old state for an update, empty for a create.
/// Delete: `kv` is the object as it was when deleted, with `modRevision` set to the revision
/// of the deletion (what Kubernetes reports as a deleted object's resourceVersion); `previous`
/// is the same object with its own last modRevision.
struct WatchEvent {
    enum class Type { Put, Delete };

    WatchEvent(Type eventType, std::shared_ptr<const KeyValue> state,
               std::shared_ptr<const KeyValue> before, std::int64_t eventRevision)
        : type(eventType),
          kv(*state),
          previous(std::move(before)),
          revision(eventRevision),
          m_state(std::move(state)) {}

    Type type = Type::Put;
    const KeyValue& kv;
    /// Shared with the event that wrote it, not copied: an object whose last write was an
    /// update costs one copy of its value, not two (10,000 updated pods: 14 MB less).
    std::shared_ptr<const KeyValue> previous;
    /// The cluster-wide revision this write got; equal to kv.modRevision.
    std::int64_t revision = 0;

    /// `kv`, for the next write's `previous`.
    const std::shared_ptr<const KeyValue>& state() const { return m_state; }

private:
    std::shared_ptr<const KeyValue> m_state;
};

/// Events are immutable once committed and shared by the history, the index and every
/// watcher's queue, so a fan-out to 1,000 watchers copies pointers, not values.
using WatchEventPtr = std::shared_ptr<const WatchEvent>;

}  // namespace slipway::store
