// SPDX-License-Identifier: Apache-2.0
#include "engine/client/watch_channel.h"

#include <algorithm>

#include "engine/client/status_error.h"

namespace slipway::client {

using nlohmann::json;

namespace {

std::optional<WatchEventType> parseType(std::string_view name) {
    if (name == "ADDED") {
        return WatchEventType::Added;
    }
    if (name == "MODIFIED") {
        return WatchEventType::Modified;
    }
    if (name == "DELETED") {
        return WatchEventType::Deleted;
    }
    if (name == "BOOKMARK") {
        return WatchEventType::Bookmark;
    }
    if (name == "ERROR") {
        return WatchEventType::Error;
    }
    return std::nullopt;
}

}  // namespace

std::string_view watchEventTypeName(WatchEventType type) {
    switch (type) {
        case WatchEventType::Added:
            return "ADDED";
        case WatchEventType::Modified:
            return "MODIFIED";
        case WatchEventType::Deleted:
            return "DELETED";
        case WatchEventType::Bookmark:
            return "BOOKMARK";
        case WatchEventType::Error:
            return "ERROR";
    }
    return "ERROR";
}

core::Error WatchEvent::statusError() const {
    // An ERROR event without a code is what kube-apiserver sends for internal failures.
    return errorFromStatusObject(500, object);
}

std::string WatchEvent::resourceVersion() const {
    return object.value("/metadata/resourceVersion"_json_pointer, std::string());
}

// ---- Watch -------------------------------------------------------------------------------

Watch::~Watch() {
    cancel();
}

Watch& Watch::operator=(Watch&& other) noexcept {
    if (this != &other) {
        cancel();
        m_channel = std::move(other.m_channel);
    }
    return *this;
}

std::vector<WatchEvent> Watch::poll(std::size_t max) {
    return m_channel ? m_channel->poll(max) : std::vector<WatchEvent>();
}

std::optional<WatchEvent> Watch::next(std::chrono::milliseconds timeout) {
    return m_channel ? m_channel->next(timeout) : std::nullopt;
}

void Watch::setNotifier(std::function<void()> notifier) {
    if (m_channel) {
        m_channel->setNotifier(std::move(notifier));
    }
}

bool Watch::ended() const {
    return !m_channel || m_channel->ended();
}

std::optional<core::Error> Watch::error() const {
    return m_channel ? m_channel->error() : std::nullopt;
}

void Watch::cancel() {
    if (m_channel) {
        m_channel->cancel();
    }
}

// ---- WatchChannel ------------------------------------------------------------------------

WatchChannel::WatchChannel(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 1)) {}

void WatchChannel::setHooks(std::function<void()> demand, std::function<void()> cancelHook) {
    std::lock_guard lock(m_mutex);
    if (m_cancelled) {
        return;
    }
    m_demand = std::move(demand);
    m_cancelHook = std::move(cancelHook);
}

void WatchChannel::clearHooks() {
    std::lock_guard lock(m_mutex);
    m_demand = nullptr;
    m_cancelHook = nullptr;
}

void WatchChannel::setDeadline(Clock::time_point deadline) {
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
    }
    m_changed.notify_all();
}

void WatchChannel::push(WatchEvent event) {
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_finished) {
            return;
        }
        wasEmpty = m_events.empty();
        m_events.push_back(std::move(event));
    }
    m_changed.notify_one();
    if (wasEmpty) {
        notify();
    }
}

bool WatchChannel::pushLine(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.remove_suffix(1);
    }
    if (line.empty()) {
        return true;
    }
    auto parsed = json::parse(line, nullptr, false);
    std::optional<WatchEventType> type;
    if (!parsed.is_discarded() && parsed.is_object()) {
        if (const auto it = parsed.find("type"); it != parsed.end() && it->is_string()) {
            type = parseType(it->get<std::string>());
        }
    }
    if (!type || !parsed.contains("object")) {
        constexpr std::size_t kShown = 120;
        finish(core::Error(core::ErrorCode::Internal,
                           "malformed watch event: " +
                               std::string(line.substr(0, std::min(line.size(), kShown)))));
        return false;
    }
    push(WatchEvent(*type, std::move(parsed["object"])));
    return true;
}

bool WatchChannel::pauseIfFull() {
    std::lock_guard lock(m_mutex);
    if (m_finished) {
        return false;
    }
    if (m_events.size() >= m_capacity) {
        m_wantDemand = true;
        return true;
    }
    return false;
}

void WatchChannel::signal() {
    {
        std::lock_guard lock(m_mutex);
        if (m_finished) {
            return;
        }
        m_wantDemand = true;
    }
    m_changed.notify_all();
    notify();
}

void WatchChannel::finish(std::optional<core::Error> error) {
    {
        std::lock_guard lock(m_mutex);
        if (m_finished) {
            return;
        }
        m_finished = true;
        m_error = std::move(error);
        m_demand = nullptr;
    }
    m_changed.notify_all();
    notify();
}

bool WatchChannel::finished() const {
    std::lock_guard lock(m_mutex);
    return m_finished;
}

bool WatchChannel::cancelled() const {
    std::lock_guard lock(m_mutex);
    return m_cancelled;
}

std::function<void()> WatchChannel::takeDemandLocked() {
    if (m_finished || !m_demand) {
        return {};
    }
    if (m_deadline && Clock::now() >= *m_deadline) {
        m_wantDemand = true;
    }
    if (m_wantDemand && m_events.size() < m_capacity) {
        m_wantDemand = false;
        return m_demand;
    }
    return {};
}

void WatchChannel::runDemand() {
    std::function<void()> demand;
    {
        std::lock_guard lock(m_mutex);
        demand = takeDemandLocked();
    }
    if (demand) {
        demand();
    }
}

std::vector<WatchEvent> WatchChannel::poll(std::size_t max) {
    runDemand();
    std::vector<WatchEvent> taken;
    std::function<void()> demand;
    {
        std::lock_guard lock(m_mutex);
        const std::size_t count = std::min(max, m_events.size());
        taken.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            taken.push_back(std::move(m_events.front()));
            m_events.pop_front();
        }
        // Room was made: a paused push producer may read again.
        demand = takeDemandLocked();
    }
    if (demand) {
        demand();
    }
    return taken;
}

std::optional<WatchEvent> WatchChannel::next(std::chrono::milliseconds timeout) {
    // A day bounds the wait so that `now + timeout` cannot overflow the clock.
    const auto until =
        Clock::now() + std::min<std::chrono::milliseconds>(timeout, std::chrono::hours(24));
    for (;;) {
        runDemand();
        std::function<void()> demand;
        std::optional<WatchEvent> event;
        {
            std::unique_lock lock(m_mutex);
            if (!m_events.empty()) {
                event = std::move(m_events.front());
                m_events.pop_front();
                demand = takeDemandLocked();
            } else if (m_finished) {
                return std::nullopt;
            } else if (!m_wantDemand || !m_demand) {
                // Wake at the producer's deadline too (if it is still ahead), so that it can
                // end the stream then.
                const bool deadlineAhead = m_deadline && m_demand && *m_deadline > Clock::now();
                const auto wakeAt = deadlineAhead ? std::min(until, *m_deadline) : until;
                m_changed.wait_until(lock, wakeAt, [this] {
                    return !m_events.empty() || m_finished || (m_wantDemand && m_demand);
                });
                if (m_events.empty() && !m_finished && !m_wantDemand) {
                    if (Clock::now() >= until) {
                        return std::nullopt;
                    }
                    // Woken at the deadline: the next round's demand lets the producer end.
                }
                continue;
            }
        }
        if (demand) {
            demand();
        }
        if (event) {
            return event;
        }
    }
}

void WatchChannel::setNotifier(std::function<void()> notifier) {
    bool pending = false;
    {
        std::lock_guard notifyLock(m_notifyMutex);
        {
            std::lock_guard lock(m_mutex);
            if (m_cancelled) {
                return;
            }
            pending = !m_events.empty() || m_finished || m_wantDemand;
        }
        m_notifier = std::move(notifier);
    }
    if (pending) {
        notify();
    }
}

bool WatchChannel::ended() const {
    std::lock_guard lock(m_mutex);
    return m_finished && m_events.empty();
}

std::optional<core::Error> WatchChannel::error() const {
    std::lock_guard lock(m_mutex);
    return m_error;
}

void WatchChannel::cancel() {
    std::function<void()> hook;
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled) {
            return;
        }
        m_cancelled = true;
        m_events.clear();
        if (!m_finished) {
            m_finished = true;
            m_error = core::Error(core::ErrorCode::Cancelled, "the watch was cancelled");
        }
        hook = std::move(m_cancelHook);
        m_cancelHook = nullptr;
        m_demand = nullptr;
    }
    m_changed.notify_all();
    {
        // Waits for a notifier running on another thread; ours (recursive) passes.
        std::lock_guard notifyLock(m_notifyMutex);
        m_notifier = nullptr;
    }
    if (hook) {
        hook();
    }
}

void WatchChannel::notify() {
    std::lock_guard notifyLock(m_notifyMutex);
    if (m_notifier) {
        m_notifier();
    }
}

bool pushLines(WatchChannel& channel, std::string& buffer) {
    std::size_t start = 0;
    bool ok = true;
    while (start < buffer.size()) {
        if (channel.pauseIfFull()) {
            break;
        }
        const auto newline = buffer.find('\n', start);
        if (newline == std::string::npos) {
            break;
        }
        if (!channel.pushLine(std::string_view(buffer).substr(start, newline - start))) {
            ok = false;
            start = buffer.size();
            break;
        }
        start = newline + 1;
    }
    buffer.erase(0, start);
    return ok;
}

}  // namespace slipway::client
