// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/apiserver/router.h"
#include "engine/core/result.h"

namespace slipway::apiserver {

/// Serving certificate and the CA that client certificates must chain to (PEM).
struct TlsOptions {
    std::string certificatePem;
    std::string keyPem;
    std::string clientCaPem;
};

/// Where and how the server listens.
struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 6443;  ///< 0 picks a free port; start() reports the one bound
    int threads = 2;
    /// Largest request body accepted; Kubernetes' own limit is 3 MiB.
    std::size_t maxBodyBytes = 3 * 1024 * 1024;
    /// Largest header block accepted.
    std::uint32_t maxHeaderBytes = 64 * 1024;
    /// A client that sends no complete request within this time is disconnected.
    std::chrono::seconds readTimeout{30};
    /// With TLS, a connection may still speak plain HTTP (detected from its first bytes, as
    /// Beast's flex server does); such requests and TLS ones without a client certificate
    /// are anonymous. Without TLS every connection is plain.
    std::optional<TlsOptions> tls;
    /// Who a plain-HTTP request is. Anonymous by default; slipwayd's explicit
    /// --insecure-http test mode makes it an administrator.
    Identity plainIdentity = Identity::anonymous();
    /// Requests answered at once, beyond which 429 (kube-apiserver's --max-requests-inflight
    /// and --max-mutating-requests-inflight); 0 = unlimited. See RequestLimiter.
    int maxRequestsInFlight = 400;
    int maxMutatingRequestsInFlight = 200;
    /// This often, heap memory that malloc keeps free beyond `trimAbove` is given back to the
    /// system (glibc's malloc_trim); also right after a response of `trimAbove` or more (a
    /// LIST of 10,000 pods is 14 MiB, and its copies stayed resident). 0 = never.
    std::chrono::milliseconds trimInterval{5000};
    std::size_t trimAbove = 4 * 1024 * 1024;
};

/// The address a started server listens on.
struct Endpoint {
    std::string address;
    std::uint16_t port = 0;
    bool tls = false;
    /// "https://127.0.0.1:6443" or "http://…" (brackets around IPv6 addresses).
    std::string url() const;
};

/// Parses "127.0.0.1:6443", "[::1]:0" or ":6443" (all addresses) into address and port.
core::Result<Endpoint> parseListenAddress(const std::string& text);

/// HTTP/1.1 server in the shape of Beast's advanced flex server: one acceptor, a strand per
/// connection, TLS (with client certificates) or plain HTTP per connection, a size limit and a
/// timeout on every read, keep-alive. Requests are answered by
/// the Router, which must outlive the server.
class HttpServer {
public:
    HttpServer(ServerOptions options, const Router& router);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds, listens and starts the worker threads; returns the bound endpoint. Bad TLS
    /// material is an error here, before anything listens.
    core::Result<Endpoint> start();
    /// Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::apiserver
