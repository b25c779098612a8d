// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/conntrack.h"

#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netfilter/ct.h>
#include <netlink/netfilter/nfnl.h>
#include <netlink/socket.h>
#include <sys/socket.h>

namespace slipway::proxy {

namespace {

struct SocketDeleter {
    void operator()(nl_sock* socket) const { nl_socket_free(socket); }
};
struct CacheDeleter {
    void operator()(nl_cache* cache) const { nl_cache_free(cache); }
};

/// The address as 4 bytes, or false for anything that is not IPv4.
bool ipv4(const std::string& text, in_addr& out) {
    return inet_pton(AF_INET, text.c_str(), &out) == 1;
}

bool sameAddress(nl_addr* address, const in_addr& expected) {
    return address != nullptr && nl_addr_get_family(address) == AF_INET &&
           nl_addr_get_len(address) == sizeof expected &&
           std::memcmp(nl_addr_get_binary_addr(address), &expected, sizeof expected) == 0;
}

struct Match {
    in_addr destination{};
    int port = 0;
    in_addr endpoint{};
};

struct Sweep {
    nl_sock* socket = nullptr;
    const std::vector<Match>* matches = nullptr;
    std::size_t deleted = 0;
    int error = 0;
};

void visit(nl_object* object, void* argument) {
    auto& sweep = *static_cast<Sweep*>(argument);
    auto* entry = reinterpret_cast<nfnl_ct*>(object);
    if (nfnl_ct_get_family(entry) != AF_INET || nfnl_ct_get_proto(entry) != IPPROTO_UDP) {
        return;
    }
    for (const Match& match : *sweep.matches) {
        // 0 = the original direction (client → Service), 1 = the reply (endpoint → client).
        if (!sameAddress(nfnl_ct_get_dst(entry, 0), match.destination) ||
            !sameAddress(nfnl_ct_get_src(entry, 1), match.endpoint) ||
            (match.port != 0 && nfnl_ct_get_dst_port(entry, 0) != match.port)) {
            continue;
        }
        const int removed = nfnl_ct_del(sweep.socket, entry, 0);
        if (removed == 0) {
            ++sweep.deleted;
        } else if (removed != -NLE_OBJ_NOTFOUND) {
            sweep.error = removed;  // gone meanwhile is fine; anything else is reported
        }
        return;
    }
}

}  // namespace

core::Result<std::size_t> deleteStaleUdpFlows(const std::vector<StaleUdpFlow>& flows) {
    std::vector<Match> matches;
    for (const auto& flow : flows) {
        Match match;
        match.port = flow.port;
        if (ipv4(flow.destination, match.destination) && ipv4(flow.endpoint, match.endpoint)) {
            matches.push_back(match);
        }
    }
    if (matches.empty()) {
        return std::size_t{0};
    }
    std::unique_ptr<nl_sock, SocketDeleter> socket(nl_socket_alloc());
    if (!socket) {
        return core::Error(core::ErrorCode::Internal, "conntrack: out of memory");
    }
    if (const int connected = nfnl_connect(socket.get()); connected < 0) {
        return core::Error(
            core::ErrorCode::Io,
            std::string("conntrack: connecting to ctnetlink: ") + nl_geterror(connected));
    }
    nl_cache* raw = nullptr;
    if (const int dumped = nfnl_ct_alloc_cache(socket.get(), &raw); dumped < 0) {
        return core::Error(core::ErrorCode::Io,
                           std::string("conntrack: listing flows: ") + nl_geterror(dumped));
    }
    std::unique_ptr<nl_cache, CacheDeleter> cache(raw);
    Sweep sweep;
    sweep.socket = socket.get();
    sweep.matches = &matches;
    nl_cache_foreach(cache.get(), visit, &sweep);
    if (sweep.error != 0) {
        return core::Error(core::ErrorCode::Io,
                           std::string("conntrack: deleting a flow: ") + nl_geterror(sweep.error));
    }
    return sweep.deleted;
}

}  // namespace slipway::proxy
