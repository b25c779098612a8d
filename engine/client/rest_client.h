// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/result.h"

namespace slipway::pki {
struct Kubeconfig;
}

namespace slipway::client {

/// Parsed form of an API server address such as "https://127.0.0.1:6443".
struct ServerUrl {
    std::string scheme;  ///< "https" or "http"
    std::string host;
    std::uint16_t port = 0;

    static core::Result<ServerUrl> parse(const std::string& url);
    std::string toString() const;
};

/// How to reach and authenticate to one API server: what a kubeconfig context says.
struct ClientConfig {
    ClientConfig() = default;
    /// Plain settings for `server`: system CAs, no client credentials.
    explicit ClientConfig(ServerUrl serverUrl) : server(std::move(serverUrl)) {}

    ServerUrl server;
    /// PEM bundle the server's certificate must chain to; empty means the system's CAs.
    std::string certificateAuthorityPem;
    /// Client certificate authentication (PEM), both or neither.
    std::string clientCertificatePem;
    std::string clientKeyPem;
    /// Sent as `Authorization: Bearer …` when set.
    std::string bearerToken;
    bool insecureSkipTlsVerify = false;

    /// The config of `context` in `kubeconfig` (its current context when empty).
    static core::Result<ClientConfig> fromKubeconfig(const pki::Kubeconfig& kubeconfig,
                                                     const std::string& context = {});
};

/// A response as received: status, content type and the whole body.
struct RestResponse {
    int status = 0;
    std::string contentType;
    std::string body;
};

/// Per-request limits: every network read is bounded in time and size.
struct RequestOptions {
    std::chrono::milliseconds timeout = std::chrono::seconds(10);
    std::size_t maxBodyBytes = 64 * 1024 * 1024;
};

/// A blocking HTTP/1.1 client for one API server, over TLS (verifying the server's name and
/// chain, presenting a client certificate) or plain HTTP. Each call opens its own connection,
/// so one RestClient may be used from several threads. Blocking by design: the CLI waits
/// anyway, and the GUI calls it from worker threads.
class RestClient {
public:
    explicit RestClient(ClientConfig config);
    ~RestClient();
    RestClient(const RestClient&);
    RestClient& operator=(const RestClient&);

    const ServerUrl& server() const;

    /// GET `path` (with query). Any HTTP status is a successful Result; transport failures
    /// (refused, timeout, TLS, oversized answer) are Network / Timeout errors, and bad
    /// credentials in the config are BadRequest.
    core::Result<RestResponse> get(const std::string& path,
                                   const RequestOptions& options = {}) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> m_impl;
};

}  // namespace slipway::client
