// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/request_limiter.h"

#include <algorithm>

#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"

namespace slipway::apiserver {

bool RequestLimiter::isLongRunning(std::string_view method, std::string_view target) {
    const auto [path, query] = splitTarget(target);
    const auto parameters = QueryParameters::parse(query);
    if (!parameters) {
        return false;  // the router answers it with 400 at once
    }
    // Read as the router will, so that a pod named "exec" is not mistaken for its subresource.
    const auto info = parseRequestInfo(method, path, parameters->flag("watch"));
    if (!info) {
        return false;
    }
    const std::string& subresource = info->subresource;
    return info->verb == "watch" || subresource == "exec" || subresource == "attach" ||
           subresource == "portforward" || subresource == "proxy" ||
           (subresource == "log" && parameters->flag("follow"));
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
