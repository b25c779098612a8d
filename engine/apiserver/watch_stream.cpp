// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/watch_stream.h"

#include <algorithm>

#include "engine/api/resource_type.h"
#include "engine/api/table.h"
#include "engine/apiserver/object_codec.h"
#include "engine/store/store.h"

namespace slipway::apiserver {

using nlohmann::json;

namespace {

/// Events rendered per read(): bounds one chunk, so one busy watch cannot hog a strand.
constexpr std::size_t kEventsPerRead = 500;

bool matches(const WatchStreamOptions& options, const json& object) {
    return !options.matches || options.matches(object);
}

/// Whether events can be spliced from the stored bytes: no selector to evaluate, no Table to
/// render and no conversion from the stored version. The common case (every informer of
/// slipwayd's own controllers, kubectl's plain watches) then never parses an object.
bool splicesStoredBytes(const WatchStreamOptions& options) {
    return !options.matches && !options.table && !options.type->fromStorage;
}

}  // namespace

WatchStream::WatchStream(WatchStreamOptions options)
    : m_options(std::move(options)),
      m_nextBookmark(std::chrono::steady_clock::now() + m_options.bookmarkInterval) {
    if (!m_options.clock) {
        m_options.clock = [] { return std::chrono::system_clock::now(); };
    }
}

WatchStream::~WatchStream() {
    cancel();
}

core::Result<std::shared_ptr<WatchStream>> WatchStream::open(store::Store& store,
                                                             WatchStreamOptions options) {
    std::shared_ptr<WatchStream> stream(new WatchStream(std::move(options)));
    auto& opts = stream->m_options;
    std::int64_t from = opts.fromRevision;
    if (opts.sendInitialState) {
        // The current state at one revision, then changes after exactly that revision: no
        // event is lost or duplicated between the two.
        store::ListOptions list;
        list.prefix = opts.prefix;
        auto page = store.list(list);
        if (!page) {
            return page.error();
        }
        for (const auto& kv : page->items) {
            if (opts.exactKey && kv.key != opts.prefix) {
                continue;
            }
            if (splicesStoredBytes(opts) && stream->appendStored(stream->m_pending, "ADDED", kv)) {
                continue;
            }
            auto object = decodeObject(kv, *opts.type);
            if (object && matches(opts, *object)) {
                stream->appendEvent(stream->m_pending, "ADDED", *object);
            }
        }
        from = page->revision;
    }
    stream->m_lastRevision = from;
    std::weak_ptr<WatchStream> weak = stream;
    auto watch = store.watch(opts.prefix, from, [weak] {
        if (auto self = weak.lock()) {
            std::function<void()> wake;
            {
                std::lock_guard lock(self->m_wakeMutex);
                wake = self->m_wake;
            }
            if (wake) {
                wake();
            }
        }
    });
    if (!watch) {
        if (watch.error().code() != core::ErrorCode::Gone) {
            return watch.error();
        }
        // Too old: say so in the stream, as kube-apiserver does, and end.
        stream->appendError(stream->m_pending, 410, "Expired",
                            "too old resource version: " + std::to_string(from) + " (" +
                                std::to_string(store.compactedRevision()) + ")");
        stream->m_ended = true;
        return stream;
    }
    stream->m_watch = std::move(*watch);
    return stream;
}

void WatchStream::start(std::function<void()> wake) {
    {
        std::lock_guard lock(m_wakeMutex);
        m_wake = std::move(wake);
    }
    // Events may have queued before the wake was set: look once.
    std::function<void()> first;
    {
        std::lock_guard lock(m_wakeMutex);
        first = m_wake;
    }
    first();
}

bool WatchStream::read(std::string& out) {
    out += std::move(m_pending);
    m_pending.clear();
    if (m_ended || !m_watch) {
        return false;
    }
    for (const auto& event : m_watch->poll(kEventsPerRead)) {
        m_lastRevision = std::max(m_lastRevision, event->kv.modRevision);
        if (m_options.exactKey && event->kv.key != m_options.prefix) {
            continue;
        }
        if (splicesStoredBytes(m_options)) {
            // Without a selector every event is sent, and the previous value only tells an
            // update from a create.
            const char* type = event->type == store::WatchEvent::Type::Delete ? "DELETED"
                               : event->previous                              ? "MODIFIED"
                                                                              : "ADDED";
            if (appendStored(out, type, event->kv)) {
                continue;
            }
        }
        auto object = decodeObject(event->kv, *m_options.type);
        if (!object) {
            continue;
        }
        std::optional<json> previous;
        if (event->previous) {
            if (auto decoded = decodeObject(*event->previous, *m_options.type)) {
                previous = std::move(*decoded);
            }
        }
        const bool wasMatching = previous && matches(m_options, *previous);
        if (event->type == store::WatchEvent::Type::Delete) {
            if (wasMatching || (!previous && matches(m_options, *object))) {
                appendEvent(out, "DELETED", *object);
            }
            continue;
        }
        const bool isMatching = matches(m_options, *object);
        if (isMatching && wasMatching) {
            appendEvent(out, "MODIFIED", *object);
        } else if (isMatching) {
            appendEvent(out, "ADDED", *object);
        } else if (wasMatching) {
            // It left the selection: watchers see it go, with its new state.
            appendEvent(out, "DELETED", *object);
        }
    }
    if (const auto error = m_watch->error()) {
        if (error->code() == core::ErrorCode::Gone) {
            appendError(out, 410, "Expired", "the watch fell too far behind: " + error->message());
        }
        m_ended = true;
        return false;
    }
    if (m_options.bookmarks) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= m_nextBookmark) {
            appendBookmark(out);
            m_nextBookmark = now + m_options.bookmarkInterval;
        }
    }
    return true;
}

std::chrono::milliseconds WatchStream::heartbeat() const {
    return m_options.bookmarks ? m_options.bookmarkInterval : std::chrono::milliseconds(0);
}

void WatchStream::cancel() {
    {
        std::lock_guard lock(m_wakeMutex);
        m_wake = nullptr;
    }
    if (m_watch) {
        m_watch->stop();
    }
}

void WatchStream::appendEvent(std::string& out, const char* type, const json& object) {
    json rendered;
    if (m_options.table) {
        rendered =
            api::toTable(*m_options.type, {object}, m_options.clock(), m_options.includeObject,
                         object.value("/metadata/resourceVersion"_json_pointer, std::string()), {},
                         !m_columnsSent);
        m_columnsSent = true;
    } else {
        rendered = object;
    }
    out += json{{"type", type}, {"object", std::move(rendered)}}.dump();
    out += '\n';
}

bool WatchStream::appendStored(std::string& out, const char* type, const store::KeyValue& kv) {
    const std::size_t start = out.size();
    out += R"({"type":")";
    out += type;
    out += R"(","object":)";
    if (!appendWithResourceVersion(out, kv)) {
        out.resize(start);
        return false;
    }
    out += "}\n";
    return true;
}

void WatchStream::appendBookmark(std::string& out) {
    const json bookmark = {{"kind", m_options.type->kind},
                           {"apiVersion", m_options.type->apiVersion()},
                           {"metadata", {{"resourceVersion", std::to_string(m_lastRevision)}}}};
    out += json{{"type", "BOOKMARK"}, {"object", bookmark}}.dump();
    out += '\n';
}

void WatchStream::appendError(std::string& out, int code, const std::string& reason,
                              const std::string& message) {
    const json status = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
                         {"status", "Failure"}, {"message", message}, {"reason", reason},
                         {"code", code}};
    out += json{{"type", "ERROR"}, {"object", status}}.dump();
    out += '\n';
}

}  // namespace slipway::apiserver
