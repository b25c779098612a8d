// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/result.h"
#include "engine/ingress/routing_table.h"

namespace slipway::ingress {

/// Listeners, limits and timeouts of the ingress proxy; the defaults are ingress-nginx's.
struct IngressProxyOptions {
    std::string address = "0.0.0.0";
    /// Plain HTTP and TLS listeners; 0 turns one off, -1 picks a free port (tests).
    int httpPort = 80;
    int httpsPort = 443;
    int threads = 2;
    /// Larger request bodies are refused with 413 (ingress-nginx's proxy-body-size, 1m).
    std::size_t maxRequestBodyBytes = 1024 * 1024;
    /// A request head (line and headers) beyond this is refused with 431.
    std::size_t maxHeaderBytes = 32 * 1024;
    /// A response head from an upstream beyond this is a 502.
    std::size_t maxUpstreamHeaderBytes = 64 * 1024;
    /// Reading a request's head, or its body (client_header_timeout, client_body_timeout).
    std::chrono::milliseconds clientTimeout = std::chrono::seconds(60);
    /// An idle keep-alive connection is closed after this (keepalive_timeout).
    std::chrono::milliseconds keepAliveTimeout = std::chrono::seconds(75);
    /// Connecting to an upstream (proxy-connect-timeout); a failed connect tries the next
    /// endpoint, up to three (proxy_next_upstream).
    std::chrono::milliseconds upstreamConnectTimeout = std::chrono::seconds(5);
    /// Each read from and write to an upstream, and each idle stretch of an upgraded
    /// connection (proxy-read-timeout, proxy-send-timeout).
    std::chrono::milliseconds upstreamTimeout = std::chrono::seconds(60);
    /// The certificate served when no spec.tls host matches the SNI name (PEM); empty: a
    /// self-signed "Slipway Ingress Controller Fake Certificate" made at start.
    std::string defaultCertificatePem;
    std::string defaultKeyPem;
};

/// The ingress controller's data plane: an HTTP/1.1 reverse proxy (Boost.Beast, one coroutine
/// per connection on its own strand) that routes each request through the current
/// RoutingTable. Keep-alive on both sides; request bodies up to maxRequestBodyBytes, response
/// bodies streamed as they arrive; X-Forwarded-For/-Proto/-Host/-Port and X-Real-IP set as
/// ingress-nginx sets them; WebSocket (any Upgrade) relayed once the upstream answers 101.
/// Answers of its own: 404 when nothing matches, 503 when the backend has no ready endpoint,
/// 502 when the upstream cannot be reached or answers garbage, 504 when it times out, 413 and
/// 431 for oversized requests, 308 from HTTP to HTTPS for a host with a certificate.
/// TLS certificates are picked by SNI from the table (kubernetes.io/tls Secrets).
class IngressProxy {
public:
    explicit IngressProxy(IngressProxyOptions options);
    /// Stops the proxy.
    ~IngressProxy();
    IngressProxy(const IngressProxy&) = delete;
    IngressProxy& operator=(const IngressProxy&) = delete;

    /// Binds the listeners and starts the threads.
    core::Result<void> start();
    /// Closes the listeners and every connection; returns once the threads have ended.
    void stop();

    /// The bound ports (0 when off).
    std::uint16_t httpPort() const;
    std::uint16_t httpsPort() const;

    /// Routes new requests through `table`. Thread-safe.
    void setTable(std::shared_ptr<const RoutingTable> table);

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace slipway::ingress
