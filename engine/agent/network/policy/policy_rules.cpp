// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/policy/policy_rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "engine/core/label_selector.h"

namespace slipway::agent::network::policy {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return text;
}

bool isIpv6(const std::string& address) {
    return address.find(':') != std::string::npos;
}

/// A selector from a policy; malformed ones select nothing (the API server validates them).
core::LabelSelector selectorOf(const json& object, const char* key) {
    if (!object.contains(key)) {
        return core::LabelSelector::nothing();
    }
    auto selector = core::LabelSelector::fromJson(object[key]);
    return selector ? *selector : core::LabelSelector::nothing();
}

json namespaceLabels(const std::map<std::string, json>& namespaces, const std::string& name) {
    json labels = json::object();
    if (const auto found = namespaces.find(name); found != namespaces.end()) {
        labels = found->second;
    }
    // The API server labels every namespace with its name (kubernetes.io/metadata.name).
    labels["kubernetes.io/metadata.name"] = name;
    return labels;
}

/// The pods a peer (from/to entry) selects; nullopt for an ipBlock peer.
std::optional<std::vector<const PodInfo*>> peerPods(const json& peer,
                                                    const std::string& policyNamespace,
                                                    const std::vector<PodInfo>& pods,
                                                    const std::map<std::string, json>& namespaces) {
    if (peer.contains("ipBlock")) {
        return std::nullopt;
    }
    const bool hasPodSelector = peer.contains("podSelector");
    const bool hasNamespaceSelector = peer.contains("namespaceSelector");
    const auto podSelector =
        hasPodSelector ? selectorOf(peer, "podSelector") : core::LabelSelector::everything();
    const auto namespaceSelector = selectorOf(peer, "namespaceSelector");
    std::vector<const PodInfo*> out;
    if (!hasPodSelector && !hasNamespaceSelector) {
        return out;  // an empty peer selects nothing (the API server refuses it)
    }
    for (const auto& pod : pods) {
        const bool namespaceMatches =
            hasNamespaceSelector
                ? namespaceSelector.matches(namespaceLabels(namespaces, pod.nameSpace))
                : pod.nameSpace == policyNamespace;
        if (namespaceMatches && podSelector.matches(pod.labels)) {
            out.push_back(&pod);
        }
    }
    return out;
}

/// A NetworkPolicyPort resolved for a destination pod (named ports need it); nullopt when the
/// port does not exist there.
std::optional<PortMatch> resolvePort(const json& port, const PodInfo* destination) {
    PortMatch match;
    const std::string protocol = port.value("protocol", std::string("TCP"));
    match.protocol = lower(protocol);
    if (!port.contains("port") || port["port"].is_null()) {
        return match;  // every port of the protocol
    }
    if (port["port"].is_number_integer()) {
        match.port = port["port"].get<std::int64_t>();
        match.endPort = port.value("endPort", std::int64_t{0});
        if (match.endPort <= match.port) {
            match.endPort = 0;
        }
        return match;
    }
    if (!port["port"].is_string() || destination == nullptr) {
        return std::nullopt;
    }
    const auto name = port["port"].get<std::string>();
    for (const auto& containerPort : destination->ports) {
        if (containerPort.name == name && lower(containerPort.protocol) == match.protocol) {
            match.port = containerPort.port;
            return match;
        }
    }
    return std::nullopt;
}

bool hasNamedPort(const json& ports) {
    return std::any_of(ports.begin(), ports.end(), [](const json& port) {
        return port.contains("port") && port["port"].is_string();
    });
}

/// The RuleMatches of one ingress or egress rule for the isolated pod `self`.
void compileRule(const json& rule, bool ingress, const PodInfo& self,
                 const std::string& policyNamespace, const std::vector<PodInfo>& pods,
                 const std::map<std::string, json>& namespaces, std::vector<RuleMatch>& out) {
    const json peers = rule.value(ingress ? "from" : "to", json::array());
    const json ports = rule.value("ports", json::array());

    // Ports resolved against `destination`; false when none of a non-empty list exists.
    auto portsFor = [&](const PodInfo* destination, std::vector<PortMatch>& resolved) {
        for (const auto& port : ports) {
            if (auto match = resolvePort(port, destination)) {
                resolved.push_back(*match);
            }
        }
        return ports.empty() || !resolved.empty();
    };

    if (peers.empty()) {
        RuleMatch match;
        match.peer.any = true;
        if (ingress || !hasNamedPort(ports)) {
            if (portsFor(ingress ? &self : nullptr, match.ports)) {
                out.push_back(std::move(match));
            }
            return;
        }
        // Egress to anyone on a named port: the port means something only on pods.
        for (const auto& pod : pods) {
            RuleMatch perPod;
            perPod.peer.addresses = pod.ips;
            if (portsFor(&pod, perPod.ports)) {
                out.push_back(std::move(perPod));
            }
        }
        return;
    }
    for (const auto& peer : peers) {
        const auto selected = peerPods(peer, policyNamespace, pods, namespaces);
        if (!selected) {
            RuleMatch match;
            const json block = peer["ipBlock"];
            match.peer.addresses.push_back(block.value("cidr", std::string()));
            for (const auto& except : block.value("except", json::array())) {
                if (except.is_string()) {
                    match.peer.except.push_back(except.get<std::string>());
                }
            }
            if (match.peer.addresses[0].empty()) {
                continue;
            }
            if (portsFor(ingress ? &self : nullptr, match.ports)) {
                out.push_back(std::move(match));
            }
            continue;
        }
        if (ingress || !hasNamedPort(ports)) {
            RuleMatch match;
            for (const auto* pod : *selected) {
                match.peer.addresses.insert(match.peer.addresses.end(), pod->ips.begin(),
                                            pod->ips.end());
            }
            if (!match.peer.addresses.empty() && portsFor(ingress ? &self : nullptr, match.ports)) {
                out.push_back(std::move(match));
            }
            continue;
        }
        for (const auto* pod : *selected) {
            RuleMatch perPod;
            perPod.peer.addresses = pod->ips;
            if (portsFor(pod, perPod.ports)) {
                out.push_back(std::move(perPod));
            }
        }
    }
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

/// The nft statements of one allowed match, for the peer's `direction` ("saddr"/"daddr").
void renderMatch(std::ostringstream& out, const RuleMatch& match, const char* direction) {
    std::vector<std::string> peerClauses;
    if (match.peer.any) {
        peerClauses.emplace_back();
    } else {
        std::vector<std::string> v4;
        std::vector<std::string> v6;
        for (const auto& address : match.peer.addresses) {
            (isIpv6(address) ? v6 : v4).push_back(address);
        }
        std::vector<std::string> except4;
        std::vector<std::string> except6;
        for (const auto& address : match.peer.except) {
            (isIpv6(address) ? except6 : except4).push_back(address);
        }
        if (!v4.empty()) {
            std::string clause = std::string("ip ") + direction + " { " + joined(v4) + " } ";
            if (!except4.empty()) {
                clause += std::string("ip ") + direction + " != { " + joined(except4) + " } ";
            }
            peerClauses.push_back(clause);
        }
        if (!v6.empty()) {
            std::string clause = std::string("ip6 ") + direction + " { " + joined(v6) + " } ";
            if (!except6.empty()) {
                clause += std::string("ip6 ") + direction + " != { " + joined(except6) + " } ";
            }
            peerClauses.push_back(clause);
        }
    }
    std::vector<std::string> portClauses;
    for (const auto& port : match.ports) {
        std::string clause = "meta l4proto " + port.protocol + " ";
        if (port.port != 0) {
            clause += "th dport " + std::to_string(port.port) +
                      (port.endPort != 0 ? "-" + std::to_string(port.endPort) : "") + " ";
        }
        portClauses.push_back(clause);
    }
    if (portClauses.empty()) {
        portClauses.emplace_back();
    }
    for (const auto& peer : peerClauses) {
        for (const auto& port : portClauses) {
            out << "\t\t" << peer << port << "return\n";
        }
    }
}

}  // namespace

std::optional<PodInfo> podInfoOf(const json& pod) {
    if (pod.value("/spec/hostNetwork"_json_pointer, false)) {
        return std::nullopt;
    }
    const auto phase = pod.value("/status/phase"_json_pointer, std::string());
    if (phase == "Succeeded" || phase == "Failed") {
        return std::nullopt;
    }
    PodInfo info;
    info.nameSpace = pod.value("/metadata/namespace"_json_pointer, std::string());
    info.name = pod.value("/metadata/name"_json_pointer, std::string());
    info.labels = pod.value("/metadata/labels"_json_pointer, json::object());
    std::set<std::string> ips;
    for (const auto& entry : pod.value("/status/podIPs"_json_pointer, json::array())) {
        if (const auto ip = entry.value("ip", std::string()); !ip.empty()) {
            ips.insert(ip);
        }
    }
    if (const auto ip = pod.value("/status/podIP"_json_pointer, std::string()); !ip.empty()) {
        ips.insert(ip);
    }
    if (ips.empty()) {
        return std::nullopt;
    }
    info.ips.assign(ips.begin(), ips.end());
    for (const char* kind : {"/spec/initContainers", "/spec/containers"}) {
        for (const auto& container : pod.value(json::json_pointer(kind), json::array())) {
            for (const auto& port : container.value("ports", json::array())) {
                const auto name = port.value("name", std::string());
                if (!name.empty()) {
                    info.ports.push_back({name, port.value("protocol", std::string("TCP")),
                                          port.value("containerPort", std::int64_t{0})});
                }
            }
        }
    }
    return info;
}

NamespaceInfo namespaceInfoOf(const json& nameSpace) {
    return {nameSpace.value("/metadata/name"_json_pointer, std::string()),
            nameSpace.value("/metadata/labels"_json_pointer, json::object())};
}

PolicyRuleSet compileNetworkPolicies(const std::vector<json>& policies,
                                     const std::vector<PodInfo>& pods,
                                     const std::vector<NamespaceInfo>& namespaces) {
    std::map<std::string, json> namespaceLabelsByName;
    for (const auto& ns : namespaces) {
        namespaceLabelsByName[ns.name] = ns.labels;
    }
    // Keyed by "namespace/name" so that the output is sorted and stable.
    std::map<std::string, PodRules> ingress;
    std::map<std::string, PodRules> egress;
    for (const auto& policy : policies) {
        const auto policyNamespace =
            policy.value("/metadata/namespace"_json_pointer, std::string());
        const json spec = policy.value("spec", json::object());
        const auto selector = selectorOf(spec, "podSelector");
        bool ingressType = true;
        bool egressType = spec.contains("egress") && !spec["egress"].empty();
        if (spec.contains("policyTypes") && spec["policyTypes"].is_array()) {
            ingressType = false;
            egressType = false;
            for (const auto& type : spec["policyTypes"]) {
                ingressType = ingressType || type == "Ingress";
                egressType = egressType || type == "Egress";
            }
        }
        for (const auto& pod : pods) {
            if (pod.nameSpace != policyNamespace || !selector.matches(pod.labels)) {
                continue;
            }
            const std::string key = pod.nameSpace + "/" + pod.name;
            for (const auto& [enabled, isIngress, rulesKey, target] :
                 {std::tuple{ingressType, true, "ingress", &ingress},
                  std::tuple{egressType, false, "egress", &egress}}) {
                if (!enabled) {
                    continue;
                }
                auto& rules = (*target)[key];
                rules.nameSpace = pod.nameSpace;
                rules.name = pod.name;
                rules.ips = pod.ips;
                for (const auto& rule : spec.value(rulesKey, json::array())) {
                    compileRule(rule, isIngress, pod, policyNamespace, pods, namespaceLabelsByName,
                                rules.allowed);
                }
            }
        }
    }
    PolicyRuleSet out;
    for (auto& [key, rules] : ingress) {
        out.ingress.push_back(std::move(rules));
    }
    for (auto& [key, rules] : egress) {
        out.egress.push_back(std::move(rules));
    }
    return out;
}

std::string renderPolicyTable(const PolicyRuleSet& rules) {
    std::ostringstream out;
    // "add" then "delete" then the table: one transaction that replaces the table whether or
    // not it existed, so traffic never sees a half-written rule set.
    out << "add table inet " << kPolicyTable << "\n";
    out << "delete table inet " << kPolicyTable << "\n";
    out << "table inet " << kPolicyTable << " {\n";
    std::vector<std::pair<std::string, std::string>> sourceJumps;       // ip → chain
    std::vector<std::pair<std::string, std::string>> destinationJumps;  // ip → chain
    auto chains = [&](const std::vector<PodRules>& list, const char* prefix, const char* direction,
                      std::vector<std::pair<std::string, std::string>>& jumps) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& pod = list[i];
            const std::string chain = std::string(prefix) + "-" + std::to_string(i);
            out << "\tchain " << chain << " {\n";
            out << "\t\tcomment \"" << pod.nameSpace << "/" << pod.name << "\"\n";
            for (const auto& match : pod.allowed) {
                renderMatch(out, match, direction);
            }
            out << "\t\tdrop\n\t}\n";
            for (const auto& ip : pod.ips) {
                jumps.emplace_back(ip, chain);
            }
        }
    };
    chains(rules.egress, "egress", "daddr", sourceJumps);
    chains(rules.ingress, "ingress", "saddr", destinationJumps);
    out << "\tchain forward {\n";
    out << "\t\ttype filter hook forward priority filter; policy accept;\n";
    out << "\t\tct state established,related accept\n";
    auto vmaps = [&](const std::vector<std::pair<std::string, std::string>>& jumps,
                     const char* direction) {
        for (const bool v6 : {false, true}) {
            std::vector<std::string> entries;
            std::set<std::string> seen;  // a map's keys are unique: the first pod wins
            for (const auto& [ip, chain] : jumps) {
                if (isIpv6(ip) == v6 && seen.insert(ip).second) {
                    entries.push_back(ip + " : jump " + chain);
                }
            }
            if (!entries.empty()) {
                out << "\t\t" << (v6 ? "ip6 " : "ip ") << direction << " vmap { " << joined(entries)
                    << " }\n";
            }
        }
    };
    vmaps(sourceJumps, "saddr");
    vmaps(destinationJumps, "daddr");
    out << "\t}\n}\n";
    return out.str();
}

std::string deletePolicyTableScript() {
    return std::string("add table inet ") + kPolicyTable + "\ndelete table inet " + kPolicyTable +
           "\n";
}

}  // namespace slipway::agent::network::policy
