// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/dns/cluster_records.h"
#include "engine/dns/response_cache.h"

namespace slipway::dns {

/// An address and port, "10.244.0.1:53" or "[::1]:53".
struct HostPort {
    std::string address;
    std::uint16_t port = 53;

    /// Parses "a.b.c.d[:port]" or "[v6][:port]"; the port defaults to `defaultPort`.
    static core::Result<HostPort> parse(std::string_view text, std::uint16_t defaultPort = 53);
    std::string str() const;
    friend bool operator==(const HostPort&, const HostPort&) = default;
};

/// The nameservers of a resolv.conf, as HostPorts (port 53), in file order.
std::vector<HostPort> nameserversOf(const std::string& resolvConfText);

/// Options of the DNS server.
struct DnsServerOptions {
    /// Where to listen, UDP and TCP on each. Port 0 picks a free one (tests):
    /// DnsServer::localAddresses() says which.
    std::vector<HostPort> listen;
    /// Resolvers asked for names outside the cluster, in order (the next after a timeout).
    std::vector<HostPort> upstreams;
    /// How long one upstream gets to answer before the next is asked.
    std::chrono::milliseconds upstreamTimeout{2000};
    /// Forwarded queries waiting for an upstream at once; beyond it queries get SERVFAIL.
    std::size_t maxPendingForwards = 1024;
    ResponseCacheOptions cache;
    /// Queries per second one client address may make (a token bucket holding `burst`);
    /// beyond it the answer is REFUSED. Zero: no limit.
    double queriesPerSecondPerClient = 2000;
    double burst = 4000;
    /// TCP: connections at once, the longest a connection may sit idle (or take to send one
    /// message), and the most queries it may send.
    std::size_t maxTcpConnections = 128;
    std::chrono::milliseconds tcpIdleTimeout{10000};
    std::size_t maxQueriesPerTcpConnection = 1000;
};

/// Counters, for tests, benchmarks and diagnostics.
struct DnsServerStats {
    std::uint64_t queries = 0;    ///< well-formed queries received
    std::uint64_t cluster = 0;    ///< answered from the cluster zone
    std::uint64_t forwarded = 0;  ///< sent upstream (cache misses)
    std::uint64_t cacheHits = 0;
    std::uint64_t refused = 0;    ///< over the rate limit
    std::uint64_t malformed = 0;  ///< dropped or FORMERR
    std::uint64_t upstreamFailures = 0;
};

/// The cluster's DNS server (CoreDNS with the kubernetes, forward and cache plugins): answers the
/// cluster zone from ClusterRecords, forwards every other name to the upstream resolvers through
/// a cache, and refuses clients that ask too fast. UDP and TCP (RFC 7766: two-byte length
/// prefix, several queries per connection) on every listen address.
///
/// Messages are parsed and built with ldns. Every read has a size limit (UDP: one datagram of
/// at most 64 KiB; TCP: the two-byte length) and a timeout (TCP idle; upstream answers).
/// A UDP answer larger than the asker's limit (512 bytes, or its EDNS size) is truncated (TC),
/// and the asker retries over TCP.
///
/// One Boost.Asio thread runs the sockets; cluster lookups read the informer caches on it.
class DnsServer {
public:
    /// `records` may be null (a forwarding-only server); it must outlive the server.
    DnsServer(const ClusterRecords* records, DnsServerOptions options);
    /// Stops the server.
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    /// Binds every listen address (UDP and TCP) and starts the thread.
    core::Result<void> start();
    /// Closes the sockets and joins the thread. Idempotent.
    void stop();

    /// The addresses bound, with the ports picked for port 0 (one per listen address; UDP and
    /// TCP share the port).
    std::vector<HostPort> localAddresses() const;
    DnsServerStats stats() const;
    const DnsServerOptions& options() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::dns
