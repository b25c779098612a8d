// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::store {
class Store;
}
namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiserver {

class Router;

/// Where a node's agent serves the kubelet API.
struct NodeEndpoint {
    std::string host;  ///< an IP address or a name
    std::uint16_t port = 0;
};

/// Finds where the agent of a node listens, given the stored Node. The default reads its
/// InternalIP (else the first address) and status.daemonEndpoints.kubeletEndpoint.Port, as
/// kube-apiserver does; tests point every node at 127.0.0.1.
using NodeResolver = std::function<core::Result<NodeEndpoint>(const nlohmann::json& node)>;

/// The default NodeResolver.
core::Result<NodeEndpoint> nodeEndpointFromStatus(const nlohmann::json& node);

/// How the API server talks to the agents (kube-apiserver's --kubelet-client-certificate,
/// --kubelet-client-key and --kubelet-certificate-authority).
struct NodeProxyOptions {
    /// The API server's client certificate toward the agents (PEM); empty = no client
    /// certificate, which an agent serving TLS refuses.
    std::string clientCertificatePem;
    std::string clientKeyPem;
    /// Verifies the agents' serving certificates; empty = not verified (kube-apiserver's
    /// default without --kubelet-certificate-authority).
    std::string certificateAuthorityPem;
    /// false: plain HTTP to the agents (tests only).
    bool useTls = true;
    std::chrono::seconds connectTimeout{10};
};

/// Serves the connect subresources pods/log, pods/exec, pods/attach and pods/portforward by
/// proxying them to the node agent the pod runs on, as kube-apiserver's pod REST storage and
/// UpgradeAwareHandler do: the pod's spec.nodeName and the Node's address give the agent,
/// the request becomes the kubelet API path (/containerLogs, /exec, /attach, /portForward),
/// and the agent's response (a log stream, or a 101 upgrade followed by a byte relay in both
/// directions, so WebSocket and SPDY both pass through) is relayed to the client.
/// Authorisation happens before, in the Router, like any subresource: `get pods/log`;
/// `get` (WebSocket, GET) or `create` (SPDY, POST) on pods/exec, attach and portforward.
///
/// It also serves the proxy subresources, HTTP relayed by the API server as kube-apiserver's
/// proxy REST does, authorised as the request's verb on `pods/proxy`, `services/proxy` or
/// `nodes/proxy`:
///   /api/v1/namespaces/NS/pods/[https:]NAME[:PORT]/proxy/PATH      the pod's IP (PORT by
///       number or container port name; none: the first declared container port)
///   /api/v1/namespaces/NS/services/[https:]NAME[:PORT]/proxy/PATH  a random ready address
///       of the Service's Endpoints serving that port (a number names the service port
///       declaring it); each address must be its targetRef pod's IP. None: 503
///       `no endpoints available for service "NAME"`
///   /api/v1/nodes/NAME[:PORT]/proxy/PATH                           the node agent (or PORT
///       on the node's address)
/// Addresses of the API server's own machine (loopback, link-local) are refused, as kube's
/// IsProxyableIP does; an unreachable backend is a 503 `error trying to reach service: dial
/// tcp …`.
class NodeProxy {
public:
    /// Reads pods and nodes from `store`; both must outlive the proxy.
    NodeProxy(const store::Store& store, const api::KindRegistry& registry,
              NodeProxyOptions options);
    ~NodeProxy();
    NodeProxy(const NodeProxy&) = delete;
    NodeProxy& operator=(const NodeProxy&) = delete;

    /// Replaces how nodes are found (before serving).
    void setNodeResolver(NodeResolver resolver);
    /// Registers the connect and proxy subresources with `router` (before serving). The proxy
    /// must outlive the router's use.
    void install(Router& router);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::apiserver
