// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"

namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiserver {

/// The discovery documents kubectl reads before anything else (kubectl-wire.md section 1):
/// /api (APIVersions), /apis (APIGroupList), /apis/{group} (APIGroup), /api/v1 and
/// /apis/{group}/{version} (APIResourceList), and, when the Accept header asks for it,
/// aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) for /api and /apis,
/// with the exact Content-Type kubectl requires. Built from the kind registry on every
/// request, so custom resources appear as soon as their CRD is registered.
class Discovery {
public:
    explicit Discovery(const api::KindRegistry& registry) : m_registry(registry) {}

    /// Answers a non-resource request under /api or /apis.
    HttpResponse handle(const RequestInfo& info, const std::string& accept) const;

private:
    const api::KindRegistry& m_registry;
};

/// The Content-Type of an aggregated discovery answer; kubectl ignores the body without it.
inline constexpr const char* kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

}  // namespace slipway::apiserver
