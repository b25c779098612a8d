// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "engine/core/result.h"

// Forward declarations keep Boost and OpenSSL out of this header; only engine/client's own
// .cpp files include it.
namespace boost::asio::ssl {
class context;
}
struct ssl_st;

namespace slipway::client {

struct ClientConfig;

namespace detail {

/// The TLS client context of `config`: TLS 1.2 and later, the server's chain verified against
/// the configured CA (or the system's) unless insecureSkipTlsVerify, and the client
/// certificate when one is configured. Bad PEM is BadRequest, naming what is wrong.
core::Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const ClientConfig& config);

/// Makes the connection `ssl` check that the server's certificate names `host`: an IP SAN for
/// an address, a DNS SAN (and SNI) for a name, as Go's crypto/tls does for kubectl.
void expectPeerName(ssl_st* ssl, const std::string& host);

}  // namespace detail
}  // namespace slipway::client
