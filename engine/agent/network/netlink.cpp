// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/netlink.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::agent::network {

namespace {

core::Error netlinkError(const std::string& what, int rc) {
    return core::Error(core::ErrorCode::Network, what + ": " + nl_geterror(rc));
}

/// Owns one libnl object and drops its reference.
template <typename T, void (*Put)(T*)>
struct Owned {
    T* object = nullptr;
    explicit Owned(T* created) : object(created) {}
    ~Owned() {
        if (object != nullptr) {
            Put(object);
        }
    }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
};
using Link = Owned<rtnl_link, rtnl_link_put>;
using Address = Owned<nl_addr, nl_addr_put>;
using RouteAddress = Owned<rtnl_addr, rtnl_addr_put>;
using Route = Owned<rtnl_route, rtnl_route_put>;

core::Result<nl_addr*> parseAddress(const std::string& text) {
    nl_addr* parsed = nullptr;
    if (const int rc = nl_addr_parse(text.c_str(), AF_INET, &parsed); rc < 0) {
        return core::Error(core::ErrorCode::Invalid, "\"" + text + "\" is not an IPv4 address");
    }
    return parsed;
}

}  // namespace

core::Result<void> runInNetns(const std::filesystem::path& netnsPath,
                              const std::function<core::Result<void>()>& fn) {
    core::Result<void> result = core::success();
    std::thread worker([&] {
        const int fd = ::open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            result = core::Error(core::ErrorCode::NotFound, "cannot open network namespace " +
                                                                netnsPath.string() + ": " +
                                                                std::strerror(errno));
            return;
        }
        const int rc = ::setns(fd, CLONE_NEWNET);
        const int savedErrno = errno;
        ::close(fd);
        if (rc != 0) {
            result = core::Error(core::ErrorCode::Forbidden, "cannot enter network namespace " +
                                                                 netnsPath.string() + ": " +
                                                                 std::strerror(savedErrno));
            return;
        }
        result = fn();
    });
    worker.join();
    return result;
}

Netlink::Netlink() {
    m_socket = nl_socket_alloc();
    if (m_socket != nullptr && nl_connect(m_socket, NETLINK_ROUTE) < 0) {
        nl_socket_free(m_socket);
        m_socket = nullptr;
    }
}

Netlink::~Netlink() {
    if (m_socket != nullptr) {
        nl_socket_free(m_socket);
    }
}

std::optional<int> Netlink::linkIndex(const std::string& name) {
    rtnl_link* found = nullptr;
    if (rtnl_link_get_kernel(m_socket, 0, name.c_str(), &found) < 0 || found == nullptr) {
        return std::nullopt;
    }
    const Link link(found);
    return rtnl_link_get_ifindex(link.object);
}

core::Result<int> Netlink::ensureBridge(const std::string& name, int mtu) {
    if (!linkIndex(name)) {
        const Link bridge(rtnl_link_bridge_alloc());
        rtnl_link_set_name(bridge.object, name.c_str());
        rtnl_link_set_mtu(bridge.object, static_cast<unsigned>(mtu));
        if (const int rc = rtnl_link_add(m_socket, bridge.object, NLM_F_CREATE); rc < 0) {
            return netlinkError("creating bridge " + name, rc);
        }
    }
    if (auto up = setUp(name); !up) {
        return up.error();
    }
    const auto index = linkIndex(name);
    if (!index) {
        return core::Error(core::ErrorCode::Network, "bridge " + name + " vanished");
    }
    return *index;
}

core::Result<void> Netlink::addVethPair(const std::string& hostName, const std::string& peerName,
                                        int peerNetnsFd, int masterIndex, int mtu) {
    const Link veth(rtnl_link_veth_alloc());
    if (veth.object == nullptr) {
        return core::Error(core::ErrorCode::Internal, "cannot allocate a veth link");
    }
    rtnl_link_set_name(veth.object, hostName.c_str());
    rtnl_link_set_mtu(veth.object, static_cast<unsigned>(mtu));
    rtnl_link_set_master(veth.object, masterIndex);
    rtnl_link_set_flags(veth.object, IFF_UP);
    const Link peer(rtnl_link_veth_get_peer(veth.object));
    rtnl_link_set_name(peer.object, peerName.c_str());
    rtnl_link_set_mtu(peer.object, static_cast<unsigned>(mtu));
    rtnl_link_set_ns_fd(peer.object, peerNetnsFd);
    if (const int rc = rtnl_link_add(m_socket, veth.object, NLM_F_CREATE | NLM_F_EXCL); rc < 0) {
        return netlinkError("creating veth pair " + hostName, rc);
    }
    return core::success();
}

core::Result<void> Netlink::setUp(const std::string& name) {
    rtnl_link* found = nullptr;
    if (const int rc = rtnl_link_get_kernel(m_socket, 0, name.c_str(), &found); rc < 0) {
        return netlinkError("finding link " + name, rc);
    }
    const Link link(found);
    const Link change(rtnl_link_alloc());
    rtnl_link_set_flags(change.object, IFF_UP);
    if (const int rc = rtnl_link_change(m_socket, link.object, change.object, 0); rc < 0) {
        return netlinkError("bringing up " + name, rc);
    }
    return core::success();
}

core::Result<void> Netlink::setHairpin(const std::string& name) {
    const auto index = linkIndex(name);
    if (!index) {
        return core::Error(core::ErrorCode::NotFound, "no link " + name);
    }
    // A bridge-port change (AF_BRIDGE, IFLA_PROTINFO) addressed by index.
    const Link port(rtnl_link_alloc());
    rtnl_link_set_ifindex(port.object, *index);
    rtnl_link_set_family(port.object, AF_BRIDGE);
    const Link change(rtnl_link_alloc());
    rtnl_link_set_family(change.object, AF_BRIDGE);
    rtnl_link_bridge_set_flags(change.object, RTNL_BRIDGE_HAIRPIN_MODE);
    if (const int rc = rtnl_link_change(m_socket, port.object, change.object, 0); rc < 0) {
        return netlinkError("setting hairpin mode on " + name, rc);
    }
    return core::success();
}

core::Result<void> Netlink::deleteLink(const std::string& name) {
    const Link link(rtnl_link_alloc());
    rtnl_link_set_name(link.object, name.c_str());
    const int rc = rtnl_link_delete(m_socket, link.object);
    if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NODEV) {
        return netlinkError("deleting link " + name, rc);
    }
    return core::success();
}

core::Result<void> Netlink::addAddress(const std::string& name, const std::string& cidr) {
    const auto index = linkIndex(name);
    if (!index) {
        return core::Error(core::ErrorCode::NotFound, "no link " + name);
    }
    auto local = parseAddress(cidr);
    if (!local) {
        return local.error();
    }
    const Address localAddress(*local);
    const RouteAddress address(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(address.object, *index);
    rtnl_addr_set_local(address.object, localAddress.object);
    const int rc = rtnl_addr_add(m_socket, address.object, 0);
    if (rc < 0 && rc != -NLE_EXIST) {
        return netlinkError("adding " + cidr + " to " + name, rc);
    }
    return core::success();
}

core::Result<void> Netlink::addRoute(const std::string& destination, const std::string& gateway,
                                     const std::string& name) {
    const auto index = linkIndex(name);
    if (!index) {
        return core::Error(core::ErrorCode::NotFound, "no link " + name);
    }
    auto parsedDestination = parseAddress(destination);
    auto parsedGateway = parseAddress(gateway);
    if (!parsedDestination || !parsedGateway) {
        return parsedDestination ? parsedGateway.error() : parsedDestination.error();
    }
    const Address destinationAddress(*parsedDestination);
    const Address gatewayAddress(*parsedGateway);
    const Route route(rtnl_route_alloc());
    rtnl_route_set_family(route.object, AF_INET);
    rtnl_route_set_dst(route.object, destinationAddress.object);
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(hop, *index);
    rtnl_route_nh_set_gateway(hop, gatewayAddress.object);
    rtnl_route_add_nexthop(route.object, hop);  // the route owns the hop now
    const int rc = rtnl_route_add(m_socket, route.object, NLM_F_CREATE | NLM_F_REPLACE);
    if (rc < 0 && rc != -NLE_EXIST) {
        return netlinkError("adding route " + destination + " via " + gateway, rc);
    }
    return core::success();
}

core::Result<void> Netlink::replaceRoute(const std::string& destination, const std::string& gateway,
                                         int protocol) {
    auto parsedDestination = parseAddress(destination);
    auto parsedGateway = parseAddress(gateway);
    if (!parsedDestination || !parsedGateway) {
        return parsedDestination ? parsedGateway.error() : parsedDestination.error();
    }
    const Address destinationAddress(*parsedDestination);
    const Address gatewayAddress(*parsedGateway);
    const Route route(rtnl_route_alloc());
    rtnl_route_set_family(route.object, AF_INET);
    rtnl_route_set_table(route.object, RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.object, static_cast<std::uint8_t>(protocol));
    rtnl_route_set_dst(route.object, destinationAddress.object);
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_gateway(hop, gatewayAddress.object);
    rtnl_route_add_nexthop(route.object, hop);
    const int rc = rtnl_route_add(m_socket, route.object, NLM_F_CREATE | NLM_F_REPLACE);
    if (rc < 0) {
        return netlinkError("adding route " + destination + " via " + gateway, rc);
    }
    return core::success();
}

core::Result<std::map<std::string, std::string>> Netlink::routesOfProtocol(int protocol) {
    nl_cache* cache = nullptr;
    if (const int rc = rtnl_route_alloc_cache(m_socket, AF_INET, 0, &cache); rc < 0) {
        return netlinkError("listing routes", rc);
    }
    std::map<std::string, std::string> routes;
    for (nl_object* object = nl_cache_get_first(cache); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* route = reinterpret_cast<rtnl_route*>(object);
        if (rtnl_route_get_protocol(route) != protocol ||
            rtnl_route_get_table(route) != RT_TABLE_MAIN || rtnl_route_get_nnexthops(route) < 1) {
            continue;
        }
        char destination[64] = {};
        char gateway[64] = {};
        nl_addr2str(rtnl_route_get_dst(route), destination, sizeof destination);
        nl_addr* via = rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(route, 0));
        if (via != nullptr) {
            nl_addr2str(via, gateway, sizeof gateway);
        }
        routes[destination] = gateway;
    }
    nl_cache_free(cache);
    return routes;
}

core::Result<void> Netlink::deleteRoute(const std::string& destination, int protocol) {
    auto parsedDestination = parseAddress(destination);
    if (!parsedDestination) {
        return parsedDestination.error();
    }
    const Address destinationAddress(*parsedDestination);
    const Route route(rtnl_route_alloc());
    rtnl_route_set_family(route.object, AF_INET);
    rtnl_route_set_table(route.object, RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.object, static_cast<std::uint8_t>(protocol));
    // A route via a gateway has global scope; left unset, libnl guesses "link" for a route
    // without a next hop and the kernel finds no such route.
    rtnl_route_set_scope(route.object, RT_SCOPE_UNIVERSE);
    rtnl_route_set_dst(route.object, destinationAddress.object);
    const int rc = rtnl_route_delete(m_socket, route.object, 0);
    if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NOADDR) {
        return netlinkError("removing route " + destination, rc);
    }
    return core::success();
}

core::Result<void> writeSysctl(const std::string& key, const std::string& value) {
    std::string path = "/proc/sys/" + key;
    for (auto i = std::string("/proc/sys/").size(); i < path.size(); ++i) {
        if (path[i] == '.') {
            path[i] = '/';
        }
    }
    std::ofstream out(path);
    out << value;
    out.flush();
    if (!out) {
        return core::Error(core::ErrorCode::Io, "cannot set " + key + " = " + value);
    }
    return core::success();
}

}  // namespace slipway::agent::network
