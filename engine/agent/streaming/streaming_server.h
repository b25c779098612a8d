// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/agent/streaming/streaming_backend.h"
#include "engine/core/result.h"

namespace slipway::agent::streaming {

/// The serving certificate of the node agent and the CA whose client certificates may call it
/// (the cluster CA: the API server's client certificate chains to it). PEM.
struct StreamingTls {
    std::string certificatePem;
    std::string keyPem;
    std::string clientCaPem;
};

struct StreamingServerOptions {
    /// Where to listen: the node's InternalIP (or 0.0.0.0) and the port published in
    /// status.daemonEndpoints.kubeletEndpoint.Port (the kubelet's is 10250); 0 picks a free
    /// port, which start() reports.
    std::string address = "0.0.0.0";
    std::uint16_t port = 10250;
    /// HTTPS, and only callers with a client certificate from `clientCaPem` are served
    /// (401 otherwise). Without it the server speaks plain HTTP and serves everyone: for
    /// tests on 127.0.0.1 only.
    std::optional<StreamingTls> tls;
    int threads = 2;
};

/// The node agent's streaming server: the kubelet API paths that the API server proxies
/// kubectl logs, exec and attach to.
///   GET /containerLogs/{ns}/{pod}/{container}?follow&previous&tailLines&sinceSeconds&
///       sinceTime&timestamps&limitBytes     text/plain, chunked, flushed per line
///   GET /exec/{ns}/{pod}/{container}?command=…&command=…&stdin&stdout&stderr&tty
///   GET /attach/{ns}/{pod}/{container}?stdin&stdout&stderr&tty
///       WebSocket upgrade with subprotocol v5.channel.k8s.io or v4.channel.k8s.io: binary
///       messages whose first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 status,
///       4 resize; v5: 255 closes a stream), the status on channel 3 at the end
///       (Success, or Failure NonZeroExitCode with an ExitCode cause).
///   /healthz                                "ok"
/// Errors are Kubernetes Status objects. Built on engine/apiserver's HttpServer.
class StreamingServer {
public:
    /// `backend` must outlive the server.
    StreamingServer(StreamingServerOptions options, StreamingBackend& backend);
    ~StreamingServer();
    StreamingServer(const StreamingServer&) = delete;
    StreamingServer& operator=(const StreamingServer&) = delete;

    /// Binds and serves; the port bound. Bad TLS material is an error here.
    core::Result<std::uint16_t> start();
    /// Stops listening, ends open sessions and joins the threads. Idempotent.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::agent::streaming
