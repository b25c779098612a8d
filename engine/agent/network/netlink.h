// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/core/result.h"

struct nl_sock;

namespace slipway::agent::network {

/// Runs `fn` on a thread of its own that first joins the network namespace at `netnsPath`
/// (setns), so that sockets it opens — netlink, nftables, TCP — belong to that namespace. The
/// calling thread's namespace never changes. Fails without running `fn` when the namespace
/// cannot be entered.
core::Result<void> runInNetns(const std::filesystem::path& netnsPath,
                              const std::function<core::Result<void>()>& fn);

/// Links, addresses and routes through rtnetlink (libnl-route), in the network namespace of
/// the thread that made it. Every call is idempotent where the kernel lets it be: adding what
/// exists succeeds, deleting what is gone succeeds.
class Netlink {
public:
    /// Connects a NETLINK_ROUTE socket; ok() says whether it worked.
    Netlink();
    ~Netlink();
    Netlink(const Netlink&) = delete;
    Netlink& operator=(const Netlink&) = delete;

    bool ok() const { return m_socket != nullptr; }

    /// The interface index of `name`, or nullopt when there is none.
    std::optional<int> linkIndex(const std::string& name);
    /// A bridge named `name` (made if missing), up, with `mtu`.
    core::Result<int> ensureBridge(const std::string& name, int mtu);
    /// A veth pair: `hostName` here, enslaved to `masterIndex` and up; its peer made directly
    /// inside the namespace open at `peerNetnsFd` under the name `peerName`.
    core::Result<void> addVethPair(const std::string& hostName, const std::string& peerName,
                                   int peerNetnsFd, int masterIndex, int mtu);
    core::Result<void> setUp(const std::string& name);
    /// Lets the bridge port `name` send frames back out where they came in (hairpin mode).
    core::Result<void> setHairpin(const std::string& name);
    core::Result<void> deleteLink(const std::string& name);
    /// Adds `cidr` ("10.244.0.1/24") to interface `name`.
    core::Result<void> addAddress(const std::string& name, const std::string& cidr);
    /// A route to `destination` ("default" or a CIDR) via `gateway`, out of `name`.
    core::Result<void> addRoute(const std::string& destination, const std::string& gateway,
                                const std::string& name);

    /// A route to `destination` (a CIDR) via `gateway` in the main table, tagged with routing
    /// protocol `protocol` so its owner can find it again; the kernel picks the interface that
    /// reaches the gateway. Replaces a route to the same destination.
    core::Result<void> replaceRoute(const std::string& destination, const std::string& gateway,
                                    int protocol);
    /// The IPv4 routes of the main table tagged `protocol`: destination CIDR → gateway.
    core::Result<std::map<std::string, std::string>> routesOfProtocol(int protocol);
    /// Removes the route to `destination` tagged `protocol` (gone already is success).
    core::Result<void> deleteRoute(const std::string& destination, int protocol);

private:
    ::nl_sock* m_socket = nullptr;
};

/// Writes `value` to /proc/sys/<key> (dots as slashes: "net.ipv4.ip_forward") for the calling
/// thread's network namespace.
core::Result<void> writeSysctl(const std::string& key, const std::string& value);

}  // namespace slipway::agent::network
