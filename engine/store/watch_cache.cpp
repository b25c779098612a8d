// SPDX-License-Identifier: Apache-2.0
#include "engine/store/watch_cache.h"

#include <algorithm>
#include <cassert>
#include <unordered_set>
#include <utility>

namespace slipway::store::detail {

namespace {

// The newest version visible at `revision`, or nullptr if the key did not exist yet.
const WatchEvent* versionAt(const std::vector<WatchEventPtr>& versions, std::int64_t revision) {
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        if ((*it)->revision <= revision) {
            return it->get();
        }
    }
    return nullptr;
}

}  // namespace

WatchEventPtr makePutEvent(std::string key, std::string value, std::int64_t revision,
                           std::int64_t createRevision, std::shared_ptr<const KeyValue> previous) {
    auto state = std::make_shared<KeyValue>();
    state->key = std::move(key);
    state->value = std::move(value);
    state->createRevision = createRevision;
    state->modRevision = revision;
    return std::make_shared<const WatchEvent>(WatchEvent::Type::Put, std::move(state),
                                              std::move(previous), revision);
}

WatchEventPtr makeDeleteEvent(std::shared_ptr<const KeyValue> previous, std::int64_t revision) {
    auto state = std::make_shared<KeyValue>(*previous);
    state->modRevision = revision;
    return std::make_shared<const WatchEvent>(WatchEvent::Type::Delete, std::move(state),
                                              std::move(previous), revision);
}

void WatchCache::reset(std::int64_t compacted) {
    m_index.clear();
    m_history.clear();
    m_revision = compacted;
    m_compacted = compacted;
    m_live = 0;
}

void WatchCache::advanceRevision(std::int64_t revision) {
    m_revision = std::max(m_revision, revision);
}

const KeyValue* WatchCache::latest(std::string_view key) const {
    const auto it = m_index.find(key);
    if (it == m_index.end() || it->second.back()->type == WatchEvent::Type::Delete) {
        return nullptr;
    }
    return &it->second.back()->kv;
}

std::shared_ptr<const KeyValue> WatchCache::latestShared(std::string_view key) const {
    const auto it = m_index.find(key);
    if (it == m_index.end() || it->second.back()->type == WatchEvent::Type::Delete) {
        return nullptr;
    }
    return it->second.back()->state();
}

void WatchCache::apply(WatchEventPtr event) {
    assert(m_history.empty() || event->revision > m_history.back()->revision);
    auto it = m_index.find(event->kv.key);
    if (it == m_index.end()) {
        it = m_index.emplace(event->kv.key, Versions{}).first;
    }
    Versions& versions = it->second;
    const bool wasLive = !versions.empty() && versions.back()->type == WatchEvent::Type::Put;
    const bool isLive = event->type == WatchEvent::Type::Put;
    if (isLive && !wasLive) {
        ++m_live;
    } else if (!isLive && wasLive) {
        --m_live;
    }
    m_revision = std::max(m_revision, event->revision);
    if (event->revision > m_compacted) {
        m_history.push_back(event);
    }
    versions.push_back(std::move(event));
}

WatchCache::Page WatchCache::list(std::string_view prefix, bool hasAfter, std::string_view after,
                                  std::int64_t revision, std::size_t limit,
                                  const Filter& filter) const {
    Page page;
    auto it = hasAfter ? m_index.upper_bound(after) : m_index.lower_bound(prefix);
    for (; it != m_index.end() && it->first.starts_with(prefix); ++it) {
        const WatchEvent* version = versionAt(it->second, revision);
        if (version == nullptr || version->type == WatchEvent::Type::Delete) {
            continue;
        }
        if (filter && !filter(version->kv)) {
            continue;
        }
        if (limit != 0 && page.items.size() == limit) {
            page.more = true;
            break;
        }
        page.items.push_back(version->state());
    }
    return page;
}

std::deque<WatchEventPtr> WatchCache::replay(std::string_view prefix, std::int64_t from) const {
    assert(from >= m_compacted);
    std::deque<WatchEventPtr> events;
    auto it = std::partition_point(m_history.begin(), m_history.end(),
                                   [from](const WatchEventPtr& e) { return e->revision <= from; });
    for (; it != m_history.end(); ++it) {
        if ((*it)->kv.key.starts_with(prefix)) {
            events.push_back(*it);
        }
    }
    return events;
}

std::size_t WatchCache::dropCount(const Versions& versions, std::int64_t target) {
    std::size_t visible = versions.size();
    while (visible > 0 && versions[visible - 1]->revision > target) {
        --visible;
    }
    if (visible == 0) {
        return 0;
    }
    const bool tombstone = versions[visible - 1]->type == WatchEvent::Type::Delete;
    return tombstone ? visible : visible - 1;
}

// Only keys written in (compacted, target] can hold droppable versions: any other key has
// at most one version at or below the compacted revision, which the previous compaction kept
// because it was the newest and not a tombstone, and it still is. So compaction costs the
// number of events it drops, not the number of keys (10,000 objects, 64 events: 64 lookups).
template <typename Visit>
void WatchCache::forEachKeyTouchedUpTo(std::int64_t target, Visit&& visit) const {
    std::unordered_set<std::string_view> seen;
    for (const WatchEventPtr& event : m_history) {
        if (event->revision > target) {
            break;
        }
        if (seen.insert(event->kv.key).second) {
            visit(std::string_view(event->kv.key));
        }
    }
}

std::vector<std::int64_t> WatchCache::compactionPurge(std::int64_t target) const {
    std::vector<std::int64_t> purge;
    if (target <= m_compacted) {
        return purge;
    }
    forEachKeyTouchedUpTo(target, [&](std::string_view key) {
        const Versions& versions = m_index.find(key)->second;
        const std::size_t drop = dropCount(versions, target);
        for (std::size_t i = 0; i < drop; ++i) {
            purge.push_back(versions[i]->revision);
        }
    });
    return purge;
}

void WatchCache::compact(std::int64_t target) {
    if (target <= m_compacted) {
        return;
    }
    std::vector<std::string_view> keys;
    forEachKeyTouchedUpTo(target, [&](std::string_view key) { keys.push_back(key); });
    // The views point into events the history still holds, so they stay valid until the
    // history is trimmed below.
    for (std::string_view key : keys) {
        auto it = m_index.find(key);
        Versions& versions = it->second;
        const std::size_t drop = dropCount(versions, target);
        versions.erase(versions.begin(), versions.begin() + static_cast<std::ptrdiff_t>(drop));
        if (versions.empty()) {
            m_index.erase(it);
        }
    }
    while (!m_history.empty() && m_history.front()->revision <= target) {
        m_history.pop_front();
    }
    m_compacted = target;
    m_revision = std::max(m_revision, target);
}

}  // namespace slipway::store::detail
