// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include "engine/cmd/node_agent.h"

namespace slipway::cmd {

/// Flags of `slipwayd agent`: a node that joins a cluster whose control plane runs elsewhere
/// (`slipwayd server` on another machine), as k3s's agent joins its server.
struct AgentFlags {
    /// The API server: "https://10.0.3.1:6443".
    std::string server;
    /// The node's bearer token (its line of the server's --token-auth-file); or a file holding
    /// it, so it does not show in `ps`.
    std::string token;
    std::filesystem::path tokenFile;
    /// The cluster CA (PEM): the API server's certificate must chain to it, and the API
    /// server's client certificate must too, to reach this node's streaming server.
    std::filesystem::path caCertificate;
    /// The streaming server's certificate and key (PEM), issued by the cluster CA, so that the
    /// API server trusts this node for logs, exec and port-forward.
    std::filesystem::path kubeletCertificate;
    std::filesystem::path kubeletKey;
    std::filesystem::path dataDir = "/var/lib/slipway";
    std::string logLevel = "info";
    /// The node; its podCIDR comes from the server's node IPAM unless --pod-cidr is given.
    NodeFlags node = [] {
        NodeFlags flags;
        flags.podCidr.clear();
        return flags;
    }();
};

/// Runs the node agent (kubelet, Service proxy, NetworkPolicy, routes to the other nodes'
/// pods) against a remote API server until SIGTERM or SIGINT; returns the exit code.
int runAgent(const AgentFlags& flags);

}  // namespace slipway::cmd
