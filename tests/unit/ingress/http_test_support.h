// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace slipway::testing {

/// An HTTP/1.1 server on 127.0.0.1 (a free port) standing in for a pod: every request is
/// answered 200 with a body "<name> <target>\n" followed by the request's headers as
/// "Name: value" lines; "/stream" answers chunked, in three chunks; "/slow" waits 3 s first.
class TestBackend {
public:
    explicit TestBackend(std::string name);
    ~TestBackend();
    std::uint16_t port() const;
    /// Requests answered so far.
    int requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A free loopback port that nothing listens on (bound once, then closed).
std::uint16_t closedPort();

/// What a test client got back.
struct Reply {
    int status = 0;  ///< 0: no answer (connection failed or closed)
    std::string body;
    std::map<std::string, std::string> headers;
    /// TLS: the CN of the certificate the server presented.
    std::string peerCommonName;
};

/// One request (GET unless `method` says otherwise) to 127.0.0.1:`port` with `Host: host`,
/// over TLS with SNI `host` when `tls`; `count` requests on one keep-alive connection (the
/// last reply is returned). Reads time out after 10 s.
Reply httpRequest(std::uint16_t port, const std::string& host, const std::string& target,
                  bool tls = false, const std::string& method = "GET", const std::string& body = {},
                  int count = 1);

/// Sends an Upgrade: websocket request for /ws to 127.0.0.1:`port`; after a 101, writes
/// `message` and returns what comes back as long (an echo), or "" if the upgrade failed.
std::string upgradeEcho(std::uint16_t port, const std::string& host, const std::string& message);

}  // namespace slipway::testing
