// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>

#include "engine/apiserver/router.h"
#include "engine/client/client.h"

namespace slipway::client {

/// The Client for slipwayd's own components (controllers, scheduler, the local node agent):
/// every call goes straight to the server's Router on the calling thread, as the given
/// identity, with no socket, TLS or serialisation of headers in between. Watches read the
/// Router's ResponseStream when the consumer asks for events, so they cost no thread either:
/// the stream's wake-up (on the store's commit thread) only flags the Watch.
///
/// Its own target (slipway::client_in_process), so that the HTTPS client, which Studio and the
/// CLI link, does not drag in the API server; the dependency runs one way, client_in_process →
/// apiserver, and the API server never depends on the client.
class InProcessClient final : public Client {
public:
    /// What answers requests: the Router, or a wrapper around it (tests use one to fail
    /// requests or cut watches).
    using Handler = std::function<apiserver::HttpResponse(const apiserver::HttpRequest&)>;

    /// Calls `router` (which must outlive the client) as `identity`.
    InProcessClient(const apiserver::Router& router, apiserver::Identity identity);
    InProcessClient(Handler handler, apiserver::Identity identity);

    const apiserver::Identity& identity() const { return m_identity; }

    core::Result<Response> send(const Request& request) const override;
    core::Result<Watch> stream(const Request& request, std::size_t bufferCapacity) const override;

private:
    apiserver::HttpRequest toHttpRequest(const Request& request) const;

    Handler m_handler;
    apiserver::Identity m_identity;
};

}  // namespace slipway::client
