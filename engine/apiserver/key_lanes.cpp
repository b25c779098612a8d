// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/key_lanes.h"

#include <memory>
#include <utility>

namespace slipway::apiserver {

HttpResponse KeyLanes::run(const std::string& key, std::function<HttpResponse()> work) {
    {
        std::lock_guard lock(m_mutex);
        auto [lane, idle] = m_lanes.try_emplace(key);
        if (!idle) {
            // Wait behind the running request: resumed by release(), on the thread that
            // answers the request ahead (and made where this request's answer is made).
            HttpResponse waiting;
            waiting.deferred = [this, key, work = std::move(work)](ResumeResponse resume) {
                auto start = [this, key, work, resume = std::move(resume)] {
                    resume([this, key, work] { return runOwned(key, work); });
                };
                {
                    std::lock_guard held(m_mutex);
                    auto [found, emptied] = m_lanes.try_emplace(key);
                    if (!emptied) {
                        found->second.push_back(std::move(start));
                        return;
                    }
                }
                start();  // the lane emptied between run() and now, and is ours
            };
            return waiting;
        }
    }
    return runOwned(key, work);
}

HttpResponse KeyLanes::runOwned(const std::string& key, const std::function<HttpResponse()>& work) {
    HttpResponse answer;
    try {
        answer = work();
    } catch (...) {
        release(key);
        throw;
    }
    return thenResponse(std::move(answer), [this, key](HttpResponse made) {
        release(key);
        return made;
    });
}

void KeyLanes::release(const std::string& key) {
    std::function<void()> next;
    {
        std::lock_guard lock(m_mutex);
        auto lane = m_lanes.find(key);
        if (lane == m_lanes.end()) {
            return;
        }
        if (lane->second.empty()) {
            m_lanes.erase(lane);
            return;
        }
        next = std::move(lane->second.front());
        lane->second.pop_front();
    }
    next();  // the lane stays held: it passes to the next request
}

std::size_t KeyLanes::busyKeys() const {
    std::lock_guard lock(m_mutex);
    return m_lanes.size();
}

}  // namespace slipway::apiserver
