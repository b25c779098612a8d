// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/request_limiter.h"

#include <algorithm>

#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"

namespace slipway::apiserver {

namespace {

/// True if `query` has `name` set to true ("watch=true", "watch=1", "follow=true").
bool queryFlag(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto item = query.substr(0, amp);
        const auto equals = item.find('=');
        if (item.substr(0, equals) == name) {
            const auto value = equals == std::string_view::npos ? std::string_view("true")
                                                                : item.substr(equals + 1);
            return value == "true" || value == "1";
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return false;
}

}  // namespace

bool RequestLimiter::isLongRunning(std::string_view method, std::string_view target) {
    const auto [path, query] = splitTarget(target);
    // Read as the router will, so that a pod named "exec" is not mistaken for its subresource.
    const auto info = parseRequestInfo(method, path, queryFlag(query, "watch"));
    if (!info) {
        return false;
    }
    const std::string& subresource = info->subresource;
    return info->verb == "watch" || subresource == "exec" || subresource == "attach" ||
           subresource == "portforward" || subresource == "proxy" ||
           (subresource == "log" && queryFlag(query, "follow"));
}

RequestLimiter::Admission RequestLimiter::admit(std::string_view method, std::string_view target,
                                                const Identity& identity) {
    if (isLongRunning(method, target) || std::find(identity.groups.begin(), identity.groups.end(),
                                                   "system:masters") != identity.groups.end()) {
        return {};
    }
    const bool mutating = method != "GET" && method != "HEAD" && method != "OPTIONS";
    auto& counter = mutating ? m_mutating : m_readOnly;
    const int limit = mutating ? m_maxMutating : m_maxReadOnly;
    const int now = counter.fetch_add(1) + 1;
    if (limit > 0 && now > limit) {
        counter.fetch_sub(1);
        return {false, Slot::None};
    }
    return {true, mutating ? Slot::Mutating : Slot::ReadOnly};
}

void RequestLimiter::release(Slot slot) {
    if (slot == Slot::ReadOnly) {
        m_readOnly.fetch_sub(1);
    } else if (slot == Slot::Mutating) {
        m_mutating.fetch_sub(1);
    }
}

}  // namespace slipway::apiserver
