// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/client/rest_client.h"
#include "engine/core/result.h"

namespace slipway::client {

/// Where one forwarded connection goes: `port` inside pod `nameSpace/pod`.
struct PortForwardTarget {
    std::string nameSpace;
    std::string pod;
    std::uint16_t port = 0;
    /// Bounds connecting, the TLS handshake and the upgrade.
    std::chrono::milliseconds connectTimeout = std::chrono::seconds(10);
};

/// Forwards one local connection to a pod's port through the API server, as `kubectl
/// port-forward` does: `POST …/pods/NAME/portforward` upgraded to SPDY/3.1
/// (portforward.k8s.io), an error and a data stream for the connection, bytes relayed both
/// ways with half-closes passed on. One SPDY connection per local connection keeps each
/// forward independent. Takes ownership of `localFd` (a connected stream socket) and blocks
/// until both directions have ended. Errors: the refused upgrade's Status message (a missing
/// pod, RBAC), a transport failure, or what the node wrote on the error stream (`error
/// forwarding port 80 to pod …`).
core::Result<void> forwardConnection(const ClientConfig& config, const PortForwardTarget& target,
                                     int localFd);

}  // namespace slipway::client
