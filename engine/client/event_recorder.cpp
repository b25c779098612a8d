// SPDX-License-Identifier: Apache-2.0
#include "engine/client/event_recorder.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/client/indexer.h"
#include "engine/core/timestamp.h"

namespace slipway::client {

namespace {

using nlohmann::json;

std::string stringField(const json& object, const char* field) {
    const auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ObjectReference ObjectReference::to(const json& object, std::string apiVersion, std::string kind) {
    ObjectReference reference;
    reference.apiVersion = stringField(object, "apiVersion");
    if (reference.apiVersion.empty()) {
        reference.apiVersion = std::move(apiVersion);
    }
    reference.kind = stringField(object, "kind");
    if (reference.kind.empty()) {
        reference.kind = std::move(kind);
    }
    reference.nameSpace = metadataString(object, "namespace");
    reference.name = metadataString(object, "name");
    reference.uid = metadataString(object, "uid");
    reference.resourceVersion = metadataString(object, "resourceVersion");
    return reference;
}

json ObjectReference::toJson() const {
    json reference = json::object();
    const auto put = [&reference](const char* field, const std::string& value) {
        if (!value.empty()) {
            reference[field] = value;
        }
    };
    put("apiVersion", apiVersion);
    put("kind", kind);
    put("namespace", nameSpace);
    put("name", name);
    put("uid", uid);
    put("resourceVersion", resourceVersion);
    put("fieldPath", fieldPath);
    return reference;
}

EventRecorder::EventRecorder(const Client& client, EventSource source, EventRecorderOptions options)
    : m_client(client), m_source(std::move(source)), m_options(options) {
    m_worker = std::thread([this] { run(); });
}

EventRecorder::~EventRecorder() {
    {
        const std::scoped_lock lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

void EventRecorder::event(const ObjectReference& involved, const std::string& type,
                          const std::string& reason, const std::string& message) {
    event(involved, type, reason, message, std::string());
}

void EventRecorder::event(const ObjectReference& involved, const std::string& type,
                          const std::string& reason, const std::string& message,
                          const std::string& host) {
    {
        const std::scoped_lock lock(m_mutex);
        if (m_stopping || m_queue.size() >= m_options.queueCapacity) {
            ++m_stats.dropped;
            return;
        }
        if (!admitLocked(involved, host)) {
            ++m_stats.filtered;
            return;
        }
        m_queue.push_back(
            {involved, type, reason, message, std::chrono::system_clock::now(), host});
    }
    m_changed.notify_all();
}

bool EventRecorder::admitLocked(const ObjectReference& involved, const std::string& host) {
    if (m_options.spamBurst == 0) {
        return true;
    }
    // client-go's getSpamKey: the source and the object.
    const std::string key =
        fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", m_source.component,
                    host.empty() ? m_source.host : host, involved.kind, involved.nameSpace,
                    involved.name, involved.uid, involved.apiVersion);
    const auto now = std::chrono::steady_clock::now();
    const auto burst = static_cast<double>(m_options.spamBurst);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        m_bucketLru.push_front(key);
        it = m_buckets.emplace(key, Bucket{burst, now, m_bucketLru.begin()}).first;
        while (m_buckets.size() > m_options.cacheSize && !m_bucketLru.empty()) {
            m_buckets.erase(m_bucketLru.back());
            m_bucketLru.pop_back();
        }
    } else {
        m_bucketLru.splice(m_bucketLru.begin(), m_bucketLru, it->second.lruPosition);
        const std::chrono::duration<double> elapsed = now - it->second.refilled;
        const double refill = elapsed.count() / static_cast<double>(std::max<std::int64_t>(
                                                    m_options.spamRefill.count(), 1));
        it->second.tokens = std::min(burst, it->second.tokens + refill);
        it->second.refilled = now;
    }
    if (it->second.tokens < 1.0) {
        return false;
    }
    it->second.tokens -= 1.0;
    return true;
}

bool EventRecorder::flush(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_queue.empty() && !m_writing; });
}

EventRecorder::Stats EventRecorder::stats() const {
    const std::scoped_lock lock(m_mutex);
    return m_stats;
}

void EventRecorder::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) {
            return;  // stopping, and everything queued is written
        }
        Pending pending = std::move(m_queue.front());
        m_queue.pop_front();
        m_writing = true;
        lock.unlock();
        write(pending);
        lock.lock();
        m_writing = false;
        m_changed.notify_all();
    }
}

std::string EventRecorder::dedupKey(const Pending& pending) const {
    // client-go's getEventKey: source, the object, type, reason and message.
    const auto& object = pending.involved;
    return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}",
                       m_source.component, pending.host.empty() ? m_source.host : pending.host,
                       object.kind, object.nameSpace, object.name, object.uid, object.apiVersion,
                       object.fieldPath, pending.type, pending.reason, pending.message);
}

void EventRecorder::remember(const std::string& key, Seen seen) {
    if (auto it = m_seen.find(key); it != m_seen.end()) {
        m_lru.erase(it->second.lruPosition);
        m_seen.erase(it);
    }
    m_lru.push_front(key);
    seen.lruPosition = m_lru.begin();
    m_seen.emplace(key, std::move(seen));
    while (m_seen.size() > m_options.cacheSize && !m_lru.empty()) {
        m_seen.erase(m_lru.back());
        m_lru.pop_back();
    }
}

void EventRecorder::write(const Pending& pending) {
    const std::string key = dedupKey(pending);
    const std::string now = core::formatTimestamp(pending.at);
    const std::string nameSpace =
        pending.involved.nameSpace.empty() ? "default" : pending.involved.nameSpace;

    // A repeat within the window: bump the stored Event.
    if (auto it = m_seen.find(key);
        it != m_seen.end() && pending.at - it->second.lastWritten < m_options.dedupWindow) {
        Seen seen = it->second;
        const json patch = {{"count", seen.count + 1}, {"lastTimestamp", now}};
        auto patched = m_client.patch(resources::events().in(seen.nameSpace).named(seen.name),
                                      PatchType::Merge, patch);
        if (patched) {
            seen.count += 1;
            seen.lastWritten = pending.at;
            remember(key, std::move(seen));
            const std::scoped_lock lock(m_mutex);
            ++m_stats.updated;
            return;
        }
        if (patched.error().code() != core::ErrorCode::NotFound) {
            spdlog::debug("event {}/{}: {}", seen.nameSpace, seen.name, patched.error().message());
            const std::scoped_lock lock(m_mutex);
            ++m_stats.failed;
            return;
        }
        // The Event is gone (expired or deleted): write a new one.
    }

    const auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(pending.at.time_since_epoch()).count();
    const std::string name =
        fmt::format("{}.{:x}", pending.involved.name.empty() ? "event" : pending.involved.name,
                    static_cast<std::uint64_t>(nanos) + m_sequence++);
    const std::string& host = pending.host.empty() ? m_source.host : pending.host;
    json source = {{"component", m_source.component}};
    if (!host.empty()) {
        source["host"] = host;
    }
    const json event = {
        {"apiVersion", "v1"},
        {"kind", "Event"},
        {"metadata", {{"name", name}, {"namespace", nameSpace}}},
        {"involvedObject", pending.involved.toJson()},
        {"type", pending.type},
        {"reason", pending.reason},
        {"message", pending.message},
        {"source", source},
        {"reportingComponent", m_source.component},
        {"reportingInstance", host},
        {"firstTimestamp", now},
        {"lastTimestamp", now},
        {"count", 1},
    };
    auto created = m_client.create(resources::events().in(nameSpace), event);
    if (!created) {
        spdlog::debug("event {} for {}: {}", pending.reason, pending.involved.name,
                      created.error().message());
        const std::scoped_lock lock(m_mutex);
        ++m_stats.failed;
        return;
    }
    remember(key, Seen{nameSpace, name, 1, now, pending.at, {}});
    const std::scoped_lock lock(m_mutex);
    ++m_stats.created;
}

}  // namespace slipway::client
