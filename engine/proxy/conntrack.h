// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::proxy {

/// UDP flows that conntrack keeps translating to an endpoint that is gone. UDP has no end of a
/// connection, so a client that keeps sending from one port keeps its conntrack entry, and its
/// DNAT to the old endpoint, for as long as it sends (kube-proxy clears these after a sync).
struct StaleUdpFlow {
    /// The original destination: the cluster IP, a node address or an external IP.
    std::string destination;
    /// Its port (the Service port or the node port); 0 matches any.
    int port = 0;
    /// The endpoint the flow was translated to (the reply's source).
    std::string endpoint;

    friend bool operator==(const StaleUdpFlow&, const StaleUdpFlow&) = default;
};

/// Deletes the IPv4 UDP conntrack entries matching any of `flows`, in the calling thread's
/// network namespace (ctnetlink through libnl-nf); returns how many were deleted.
core::Result<std::size_t> deleteStaleUdpFlows(const std::vector<StaleUdpFlow>& flows);

}  // namespace slipway::proxy
