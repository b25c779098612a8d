// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/pod_network.h"

#include <cctype>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "engine/agent/network/netlink.h"
#include "engine/agent/network/nftables.h"

namespace slipway::agent::network {

namespace {

constexpr const char* kPodInterface = "eth0";

/// The masquerade table, replaced whole in one transaction (add, delete, add: the first add
/// makes the delete valid when the table did not exist yet).
std::string podnetRules(const PodNetworkOptions& options) {
    std::string rules = std::string("add table ip ") + PodNetwork::kTable + "\n" +
                        "delete table ip " + PodNetwork::kTable + "\n" + "table ip " +
                        PodNetwork::kTable + " {\n";
    if (options.masquerade) {
        rules +=
            "  chain postrouting {\n"
            "    type nat hook postrouting priority srcnat + 10; policy accept;\n"
            "    ip saddr " +
            options.clusterCidr + " ip daddr != " + options.clusterCidr + " oifname != \"" +
            options.bridge + "\" masquerade\n  }\n";
    }
    rules += "}\n";
    return rules;
}

std::filesystem::path ipamDir(const PodNetworkOptions& options) {
    return options.stateDir / "ipam";
}

}  // namespace

PodNetwork::PodNetwork(PodNetworkOptions options, Ipv4Cidr podCidr, int bridgeIndex)
    : m_options(std::move(options)),
      m_ipam(ipamDir(m_options), podCidr),
      m_bridgeIndex(bridgeIndex) {}

std::string PodNetwork::hostInterfaceName(const std::string& id) {
    std::string name = "veth";
    for (const char c : id) {
        if (name.size() == 15) {
            break;
        }
        if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return name;
}

core::Result<std::unique_ptr<PodNetwork>> PodNetwork::setUp(PodNetworkOptions options) {
    auto podCidr = Ipv4Cidr::parse(options.podCidr);
    if (!podCidr) {
        return podCidr.error().wrap("pod CIDR");
    }
    if (auto cluster = Ipv4Cidr::parse(options.clusterCidr); !cluster) {
        return cluster.error().wrap("cluster CIDR");
    }
    Netlink netlink;
    if (!netlink.ok()) {
        return core::Error(core::ErrorCode::Unavailable, "cannot open a netlink socket");
    }
    auto bridge = netlink.ensureBridge(options.bridge, options.mtu);
    if (!bridge) {
        return bridge.error();
    }
    const std::string gatewayCidr =
        formatIpv4(podCidr->at(1)) + "/" + std::to_string(podCidr->prefix);
    if (auto added = netlink.addAddress(options.bridge, gatewayCidr); !added) {
        return added.error();
    }
    if (auto forwarding = writeSysctl("net.ipv4.ip_forward", "1"); !forwarding) {
        return forwarding.error();
    }
    // Without br_netfilter's hook, packets between two pods on the bridge never reach the
    // inet forward chain, and NetworkPolicies could not see them.
    if (auto bridged = writeSysctl("net.bridge.bridge-nf-call-iptables", "1"); !bridged) {
        spdlog::warn(
            "pod network: {} (is br_netfilter loaded?); NetworkPolicies will not see "
            "traffic between pods on one node",
            bridged.error().message());
    }
    Nftables nft;
    if (auto programmed = nft.run(podnetRules(options)); !programmed) {
        return programmed.error().wrap("pod network masquerade");
    }
    spdlog::info("pod network: bridge {} with gateway {}, pods from {}", options.bridge,
                 gatewayCidr, options.podCidr);
    return std::unique_ptr<PodNetwork>(new PodNetwork(std::move(options), *podCidr, *bridge));
}

core::Result<void> PodNetwork::tearDown(const PodNetworkOptions& options) {
    Netlink netlink;
    if (netlink.ok()) {
        if (auto deleted = netlink.deleteLink(options.bridge); !deleted) {
            return deleted.error();
        }
    }
    Nftables nft;
    (void)nft.run(std::string("add table ip ") + kTable + "\ndelete table ip " + kTable + "\n");
    std::error_code ignored;
    std::filesystem::remove_all(ipamDir(options), ignored);
    return core::success();
}

core::Result<PodAttachment> PodNetwork::attach(const std::string& id,
                                               const std::filesystem::path& netnsPath) {
    auto address = m_ipam.allocate(id);
    if (!address) {
        return address.error();
    }
    PodAttachment attachment{*address, m_ipam.gateway(), hostInterfaceName(id)};
    Netlink netlink;
    if (!netlink.ok()) {
        return core::Error(core::ErrorCode::Unavailable, "cannot open a netlink socket");
    }
    const bool existed = netlink.linkIndex(attachment.hostInterface).has_value();
    if (!existed) {
        const int fd = ::open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            m_ipam.release(id);
            return core::Error(core::ErrorCode::NotFound,
                               "cannot open network namespace " + netnsPath.string());
        }
        auto added = netlink.addVethPair(attachment.hostInterface, kPodInterface, fd, m_bridgeIndex,
                                         m_options.mtu);
        ::close(fd);
        if (!added) {
            m_ipam.release(id);
            return added.error();
        }
        // A pod reaching itself through a Service's virtual IP gets its answer back through
        // the port it came from (kubenet does the same).
        if (auto hairpin = netlink.setHairpin(attachment.hostInterface); !hairpin) {
            spdlog::warn("pod network: {}", hairpin.error().message());
        }
    }
    const std::string cidr = attachment.ip + "/" + std::to_string(m_ipam.range().prefix);
    auto configured = runInNetns(netnsPath, [&]() -> core::Result<void> {
        Netlink inside;
        if (!inside.ok()) {
            return core::Error(core::ErrorCode::Unavailable,
                               "cannot open a netlink socket in the pod");
        }
        for (const char* link : {"lo", kPodInterface}) {
            if (auto up = inside.setUp(link); !up) {
                return up.error();
            }
        }
        if (auto added = inside.addAddress(kPodInterface, cidr); !added) {
            return added;
        }
        return inside.addRoute("default", attachment.gateway, kPodInterface);
    });
    if (!configured) {
        (void)netlink.deleteLink(attachment.hostInterface);
        m_ipam.release(id);
        return configured.error().wrap("configuring the pod's eth0");
    }
    return attachment;
}

core::Result<void> PodNetwork::detach(const std::string& id) {
    Netlink netlink;
    if (netlink.ok()) {
        if (auto deleted = netlink.deleteLink(hostInterfaceName(id)); !deleted) {
            return deleted.error();
        }
    }
    m_ipam.release(id);
    return core::success();
}

std::optional<std::string> PodNetwork::addressOf(const std::string& id) const {
    return m_ipam.addressOf(id);
}

void PodNetwork::releaseUnless(const std::function<bool(const std::string& id)>& keep) {
    for (const auto& [address, owner] : m_ipam.allocations()) {
        if (!keep(owner)) {
            spdlog::info("pod network: freeing {} of the vanished sandbox {}", address, owner);
            m_ipam.release(owner);
        }
    }
}

}  // namespace slipway::agent::network
