// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::agent::network::policy {

/// The nftables table NetworkPolicy owns (ISSUE6: one table per component).
constexpr const char* kPolicyTable = "slipway-policy";

/// A container port of a pod, for named ports in policies.
struct ContainerPort {
    std::string name;
    std::string protocol = "TCP";
    std::int64_t port = 0;
};

/// What policy enforcement needs of a pod.
struct PodInfo {
    std::string nameSpace;
    std::string name;
    std::vector<std::string> ips;
    nlohmann::json labels = nlohmann::json::object();
    std::vector<ContainerPort> ports;
};

/// What policy enforcement needs of a namespace.
struct NamespaceInfo {
    std::string name;
    nlohmann::json labels = nlohmann::json::object();
};

/// A pod that policies can select: it has an IP, is not on the host network, and has not
/// finished; nullopt otherwise.
std::optional<PodInfo> podInfoOf(const nlohmann::json& pod);
NamespaceInfo namespaceInfoOf(const nlohmann::json& nameSpace);

/// One port match: protocol ("tcp", "udp", "sctp"), and a port or range (0: any port).
struct PortMatch {
    std::string protocol;
    std::int64_t port = 0;
    std::int64_t endPort = 0;  ///< 0: just `port`

    friend bool operator==(const PortMatch&, const PortMatch&) = default;
};

/// The other end of an allowed connection: any address, a list of addresses, or a CIDR with
/// exceptions (ipBlock).
struct PeerMatch {
    bool any = false;
    std::vector<std::string> addresses;  ///< IPs or CIDRs
    std::vector<std::string> except;     ///< CIDRs carved out of `addresses` (ipBlock)
};

/// One allowed kind of traffic: from (ingress) or to (egress) `peer`, on any of `ports`
/// (empty: every port and protocol).
struct RuleMatch {
    PeerMatch peer;
    std::vector<PortMatch> ports;
};

/// An isolated pod in one direction, and what its policies allow.
struct PodRules {
    std::string nameSpace;
    std::string name;
    std::vector<std::string> ips;
    std::vector<RuleMatch> allowed;
};

/// What every policy means for the pods at hand.
struct PolicyRuleSet {
    std::vector<PodRules> ingress;
    std::vector<PodRules> egress;
};

/// Kubernetes NetworkPolicy semantics over the given pods and namespaces: a pod selected by a
/// policy whose policyTypes include Ingress (the default) is isolated for ingress and accepts
/// only what some ingress rule of some policy selecting it allows; the same for Egress
/// (default when the policy has egress rules). Peers: podSelector (the policy's namespace),
/// namespaceSelector (every pod of the matching namespaces), both (pods matching in matching
/// namespaces), ipBlock with except. Ports: protocol (TCP default), number or name (resolved
/// against the destination pod's container ports), endPort. Malformed selectors select
/// nothing. Pods and policies are in any order; the result is sorted.
PolicyRuleSet compileNetworkPolicies(const std::vector<nlohmann::json>& policies,
                                     const std::vector<PodInfo>& pods,
                                     const std::vector<NamespaceInfo>& namespaces);

/// The nft script that replaces table `inet slipway-policy` in one transaction: a forward
/// chain (priority filter) that accepts established and related traffic, then jumps by source
/// address to the egress chain of an isolated pod and by destination address to the ingress
/// chain of an isolated pod; each such chain returns for allowed traffic and drops the rest.
/// Traffic of pods no policy isolates passes untouched.
std::string renderPolicyTable(const PolicyRuleSet& rules);

/// The nft script that removes the table (and nothing else).
std::string deletePolicyTableScript();

}  // namespace slipway::agent::network::policy
