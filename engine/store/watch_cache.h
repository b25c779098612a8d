// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/key_value.h"

namespace slipway::store::detail {

/// Builds the event for a create (previous == nullptr) or an update of `previous`.
WatchEventPtr makePutEvent(std::string key, std::string value, std::int64_t revision,
                           std::int64_t createRevision, std::shared_ptr<const KeyValue> previous);
/// Builds the event for deleting `previous` at `revision`.
WatchEventPtr makeDeleteEvent(std::shared_ptr<const KeyValue> previous, std::int64_t revision);

/// The in-memory image of the store: every key's versions back to the compacted revision
/// (a small multi-version index), plus the ordered event history that watches replay from.
///
/// The index is a sorted map, so a prefix list is a range scan: listing the 10 pods of one
/// namespace among 10,000 objects walks 10 nodes after one O(log n) seek, and a page of a
/// paged list resumes with one more seek. Each key keeps the versions written after the
/// compacted revision plus the newest one at or before it, so any revision from the compacted
/// one to the current one can be listed exactly: a paged list pinned to revision 120 still
/// sees the value a key had at 120 after it was updated at 121.
///
/// Not thread-safe: the Store guards it with a shared_mutex (readers shared, the commit
/// thread exclusive).
class WatchCache {
public:
    using Filter = std::function<bool(const KeyValue&)>;

    struct Page {
        /// Shared with the cache, not copied (a list of 10,000 pods would copy 18 MB).
        std::vector<std::shared_ptr<const KeyValue>> items;
        /// More matching keys follow the last item.
        bool more = false;
    };

    /// Revision of the last applied event.
    std::int64_t revision() const { return m_revision; }
    /// Events at or below this revision are gone from the history.
    std::int64_t compactedRevision() const { return m_compacted; }
    /// Live keys (tombstones not counted).
    std::size_t size() const { return m_live; }
    /// Events kept for watch-from-revision: the revisions (compacted, revision].
    std::size_t historySize() const { return m_history.size(); }

    /// Starts from an empty image whose history begins after `compacted` (used when loading).
    void reset(std::int64_t compacted);
    /// Raises the current revision without an event (a reopened store whose last writes were
    /// compacted away still continues after them).
    void advanceRevision(std::int64_t revision);

    /// The newest state of `key`, or nullptr when absent (never written, or deleted).
    const KeyValue* latest(std::string_view key) const;
    /// The same, shared: what the next write's event keeps as its `previous`.
    std::shared_ptr<const KeyValue> latestShared(std::string_view key) const;

    /// Applies a committed event; its revision must be above every applied one.
    void apply(WatchEventPtr event);

    /// Up to `limit` (0: all) live keys under `prefix` as they were at `revision`, in key
    /// order, starting after `after` when `hasAfter`. `filter`, when set, selects items before
    /// they count toward the limit (Kubernetes' paged list with a label selector).
    Page list(std::string_view prefix, bool hasAfter, std::string_view after, std::int64_t revision,
              std::size_t limit, const Filter& filter) const;

    /// The history events with revision > `from` under `prefix`, oldest first. `from` must be
    /// at least compactedRevision().
    std::deque<WatchEventPtr> replay(std::string_view prefix, std::int64_t from) const;

    /// Revisions of the versions compact(target) would drop: the rows to delete on disk in
    /// the same transaction, before the memory is touched.
    std::vector<std::int64_t> compactionPurge(std::int64_t target) const;
    /// Drops history up to `target` and every version no revision >= target can see.
    void compact(std::int64_t target);

private:
    // Versions of one key, oldest first; a Delete event is a tombstone.
    using Versions = std::vector<WatchEventPtr>;

    // How many of the oldest versions compaction to `target` drops: every version older
    // than the newest one at or below target, and that one too when it is a tombstone (the
    // key did not exist at target). Versions 5 (put), 9 (put), 14 (delete), target 12: drops
    // 5 and keeps 9, because a list at 12 must still see the value written at 9.
    static std::size_t dropCount(const Versions& versions, std::int64_t target);

    template <typename Visit>
    void forEachKeyTouchedUpTo(std::int64_t target, Visit&& visit) const;

    std::map<std::string, Versions, std::less<>> m_index;
    std::deque<WatchEventPtr> m_history;
    std::int64_t m_revision = 0;
    std::int64_t m_compacted = 0;
    std::size_t m_live = 0;
};

}  // namespace slipway::store::detail
