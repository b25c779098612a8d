// SPDX-License-Identifier: Apache-2.0
#include "engine/store/watch.h"

#include <utility>

#include "engine/store/watch_hub.h"

namespace slipway::store {

Watch::Watch(std::shared_ptr<detail::WatchState> state, std::weak_ptr<detail::WatchHub> hub)
    : m_state(std::move(state)), m_hub(std::move(hub)) {}

Watch::~Watch() {
    stop();
}

std::vector<WatchEventPtr> Watch::poll(std::size_t max) {
    return m_state->poll(max);
}

bool Watch::wait(std::chrono::milliseconds timeout) {
    return m_state->wait(timeout);
}

std::optional<core::Error> Watch::error() const {
    return m_state->error();
}

void Watch::stop() {
    if (auto hub = m_hub.lock()) {
        hub->remove(m_state.get());
    }
    m_hub.reset();
    m_state->cancel();
}

const std::string& Watch::prefix() const {
    return m_state->prefix();
}

std::int64_t Watch::fromRevision() const {
    return m_state->fromRevision();
}

}  // namespace slipway::store
