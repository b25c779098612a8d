// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/client/client.h"
#include "engine/client/rest_client.h"

namespace slipway::client {

/// Limits and pool settings of an HttpsClient. Every read is bounded in time and size.
struct HttpsClientOptions {
    /// Deadline of a whole request (connect, TLS handshake, write, read) unless the Request
    /// says otherwise; for a watch, of everything up to the response headers.
    std::chrono::milliseconds requestTimeout = std::chrono::seconds(30);
    /// Largest response body read; a list of 10,000 pods is about 30 MiB.
    std::size_t maxBodyBytes = 64 * 1024 * 1024;
    /// Largest response header block.
    std::uint32_t maxHeaderBytes = 64 * 1024;
    /// Idle keep-alive connections kept for reuse; more concurrent requests open more
    /// connections, which close when done. A controller manager or Studio rarely has more than
    /// 8 calls in flight at once; past the pool every call pays a TLS handshake (measured on
    /// loopback: 8 threads over a pool of 4 opened a connection for every fifth request).
    std::size_t maxIdleConnections = 8;
    /// An idle connection older than this is closed rather than reused. slipwayd closes idle
    /// connections after 30 s (its read timeout); 20 s stays clear of that race.
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(20);
    /// Largest single watch event (one line of the stream). An object may be 3 MiB in the
    /// store, and JSON escaping can nearly double it: 16 MiB leaves room.
    std::size_t maxWatchEventBytes = 16 * 1024 * 1024;
    /// A watch stream that the server has not ended this long after its timeoutSeconds is
    /// treated as dead (Timeout), so a silently vanished server cannot hold a watcher forever.
    std::chrono::seconds watchGrace{30};
    std::string userAgent = "slipway";
};

/// The Client over HTTPS (or plain HTTP when the config says so), with Boost.Beast.
///
/// One I/O thread per client runs every connection asynchronously: requests from any thread
/// are handed to it and the caller waits for the answer; watches stay on it as long as they
/// stream, so a thousand watches cost a thousand sockets, not a thousand threads. JSON of watch
/// events is parsed on that thread too, which keeps it off Studio's GUI thread.
///
/// TLS as rest_client.h describes it (server chain and name verified, client certificate,
/// bearer token); keep-alive connections are pooled and a request that finds its pooled
/// connection closed by the server is retried once on a fresh one.
///
/// Destroying the client ends its watches (Cancelled) and waits for the I/O thread.
class HttpsClient final : public Client {
public:
    explicit HttpsClient(ClientConfig config, HttpsClientOptions options = {});
    ~HttpsClient() override;
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    const ClientConfig& config() const;

    core::Result<Response> send(const Request& request) const override;
    core::Result<Watch> stream(const Request& request, std::size_t bufferCapacity) const override;

    /// Connections opened so far (the pool's effect is visible here).
    std::size_t connectionsOpened() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace slipway::client
