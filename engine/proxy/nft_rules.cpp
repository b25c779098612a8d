// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/nft_rules.h"

#include <cstdio>
#include <set>

namespace slipway::proxy {

namespace {

constexpr const char* kServiceIps = "service-ips";
constexpr const char* kServiceNodePorts = "service-nodeports";
constexpr const char* kNoEndpointServices = "no-endpoint-services";
constexpr const char* kNoEndpointNodePorts = "no-endpoint-nodeports";
constexpr const char* kRejectChain = "reject-chain";

/// kube-proxy's chain-name hash: eight base32 characters of a 64-bit FNV-1a, so names stay
/// unique however the readable part is shortened and never collide across Services.
std::string hashOf(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    for (int i = 0; i < 8; ++i) {
        out.push_back(kAlphabet[hash & 31u]);
        hash >>= 5;
    }
    return out;
}

std::string hex(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", value);
    return text;
}

/// The test that selects packets addressed to a node port.
std::string nodePortMatch(const RuleConfig& config) {
    return config.nodeIps.empty() ? "fib daddr type local ip daddr != 127.0.0.0/8"
                                  : "ip daddr @nodeport-ips";
}

std::string endpointChainName(const ServicePort& port, const Endpoint& endpoint) {
    const std::string target = endpoint.ip + "/" + std::to_string(endpoint.port);
    return "endpoint-" + hashOf(port.key() + "|" + target) + "-" + port.displayName() + "__" +
           target;
}

std::string affinitySetName(const ServicePort& port, const Endpoint& endpoint) {
    const std::string target = endpoint.ip + "/" + std::to_string(endpoint.port);
    return "affinity-" +
           hashOf(port.key() + "|" + target + "|" + std::to_string(port.affinitySeconds)) + "-" +
           port.displayName() + "__" + target;
}

/// `numgen random mod N vmap { 0 : goto a, 1 : goto b }`: an even random spread.
std::string balance(const std::vector<std::string>& chains) {
    std::string rule = "numgen random mod " + std::to_string(chains.size()) + " vmap { ";
    for (std::size_t i = 0; i < chains.size(); ++i) {
        rule += (i == 0 ? "" : ", ") + std::to_string(i) + " : goto " + chains[i];
    }
    return rule + " }";
}

void appendLine(std::string& out, const std::string& line) {
    out += line;
    out += '\n';
}

}  // namespace

PortRules portRules(const RuleConfig& config, const ServicePort& port) {
    PortRules rules;
    const std::string tuple = " . " + port.protocol + " . " + std::to_string(port.port);
    std::vector<const Endpoint*> ready;
    for (const auto& endpoint : port.endpoints) {
        if (endpoint.ready) {
            ready.push_back(&endpoint);
        }
    }
    const bool external = port.nodePort != 0 || !port.externalIps.empty();
    if (ready.empty()) {
        // kube-proxy: a Service without usable endpoints is refused at once, not black-holed.
        const std::string reject = std::string("goto ") + kRejectChain;
        rules.elements[kNoEndpointServices][port.clusterIp + tuple] = reject;
        for (const auto& ip : port.externalIps) {
            rules.elements[kNoEndpointServices][ip + tuple] = reject;
        }
        if (port.nodePort != 0) {
            rules.elements[kNoEndpointNodePorts]
                          [port.protocol + " . " + std::to_string(port.nodePort)] = reject;
        }
        return rules;
    }

    const std::string hash = hashOf(port.key());
    const std::string serviceChain = "service-" + hash + "-" + port.displayName();
    std::vector<std::string>& service = rules.chains[serviceChain];
    if (config.masqueradeAll) {
        service.push_back("ip daddr " + port.clusterIp + " " + port.protocol + " dport " +
                          std::to_string(port.port) + " jump mark-for-masquerade");
    }
    std::vector<std::string> endpointChains;
    std::vector<std::string> localChains;
    for (const Endpoint* endpoint : ready) {
        const std::string chain = endpointChainName(port, *endpoint);
        std::vector<std::string>& body = rules.chains[chain];
        // Hairpin: an endpoint reaching itself through the Service must see the node's address.
        // With masqueradeAll every way into the service chain is marked already; leaving the
        // rule out saves a third of the rules (and of a full sync's time) at 10,000 endpoints.
        if (!config.masqueradeAll) {
            body.push_back("ip saddr " + endpoint->ip + " jump mark-for-masquerade");
        }
        if (port.affinitySeconds > 0) {
            const std::string set = affinitySetName(port, *endpoint);
            rules.sets[set] = "type ipv4_addr; flags dynamic,timeout; timeout " +
                              std::to_string(port.affinitySeconds) + "s;";
            service.push_back("ip saddr @" + set + " goto " + chain);
            body.push_back("update @" + set + " { ip saddr }");
        }
        body.push_back("meta l4proto " + port.protocol + " dnat to " + endpoint->ip + ":" +
                       std::to_string(endpoint->port));
        endpointChains.push_back(chain);
        if (endpoint->local) {
            localChains.push_back(chain);
        }
    }
    service.push_back(balance(endpointChains));
    rules.elements[kServiceIps][port.clusterIp + tuple] = "goto " + serviceChain;

    if (external) {
        const std::string externalChain = "external-" + hash + "-" + port.displayName();
        std::vector<std::string>& body = rules.chains[externalChain];
        if (!port.externalLocal) {
            body.push_back("jump mark-for-masquerade");
            body.push_back("goto " + serviceChain);
        } else {
            // Local: traffic from pods and from this node itself may use any endpoint
            // (masqueraded, as kube-proxy short-circuits the cluster CIDR); external clients
            // keep their source address and reach this node's endpoints only.
            body.push_back("ip saddr " + config.clusterCidr + " jump mark-for-masquerade");
            body.push_back("ip saddr " + config.clusterCidr + " goto " + serviceChain);
            body.push_back("fib saddr type local jump mark-for-masquerade");
            body.push_back("fib saddr type local goto " + serviceChain);
            body.push_back(localChains.empty() ? std::string("drop") : balance(localChains));
        }
        for (const auto& ip : port.externalIps) {
            rules.elements[kServiceIps][ip + tuple] = "goto " + externalChain;
        }
        if (port.nodePort != 0) {
            rules.elements[kServiceNodePorts]
                          [port.protocol + " . " + std::to_string(port.nodePort)] =
                "goto " + externalChain;
        }
    }
    return rules;
}

std::string baseRules(const RuleConfig& config) {
    const std::string table = "ip " + config.table;
    const std::string mark = hex(config.masqueradeMark);
    std::string out;
    appendLine(out, "add table " + table);
    const auto chain = [&](const std::string& name, const std::string& hook) {
        appendLine(out,
                   "add chain " + table + " " + name + (hook.empty() ? "" : " { " + hook + " }"));
    };
    chain("nat-prerouting", "type nat hook prerouting priority dstnat; policy accept;");
    chain("nat-output", "type nat hook output priority -100; policy accept;");
    chain("nat-postrouting", "type nat hook postrouting priority srcnat; policy accept;");
    chain("filter-input", "type filter hook input priority -110; policy accept;");
    chain("filter-forward", "type filter hook forward priority -110; policy accept;");
    chain("filter-output", "type filter hook output priority -110; policy accept;");
    chain("services", "");
    chain("masquerading", "");
    chain("mark-for-masquerade", "");
    chain(kRejectChain, "");
    appendLine(out, "add map " + table + " " + kServiceIps +
                        " { type ipv4_addr . inet_proto . inet_service : verdict; }");
    appendLine(out, "add map " + table + " " + kServiceNodePorts +
                        " { type inet_proto . inet_service : verdict; }");
    appendLine(out, "add map " + table + " " + kNoEndpointServices +
                        " { type ipv4_addr . inet_proto . inet_service : verdict; }");
    appendLine(out, "add map " + table + " " + kNoEndpointNodePorts +
                        " { type inet_proto . inet_service : verdict; }");
    appendLine(out, "add set " + table + " nodeport-ips { type ipv4_addr; }");
    if (!config.nodeIps.empty()) {
        std::string ips;
        for (const auto& ip : config.nodeIps) {
            ips += (ips.empty() ? "" : ", ") + ip;
        }
        appendLine(out, "add element " + table + " nodeport-ips { " + ips + " }");
    }
    const auto rule = [&](const std::string& chainName, const std::string& body) {
        appendLine(out, "add rule " + table + " " + chainName + " " + body);
    };
    rule("nat-prerouting", "jump services");
    rule("nat-output", "jump services");
    rule("nat-postrouting", "jump masquerading");
    rule("services", std::string("ip daddr . meta l4proto . th dport vmap @") + kServiceIps);
    rule("services", nodePortMatch(config) + " meta l4proto . th dport vmap @" + kServiceNodePorts);
    const std::string noEndpoints =
        std::string("ct state new ip daddr . meta l4proto . th dport vmap @") + kNoEndpointServices;
    const std::string noNodePorts = "ct state new " + nodePortMatch(config) +
                                    " meta l4proto . th dport vmap @" + kNoEndpointNodePorts;
    rule("filter-input", noEndpoints);
    rule("filter-input", noNodePorts);
    rule("filter-forward", noEndpoints);
    rule("filter-output", noEndpoints);
    rule("filter-output", noNodePorts);
    rule("masquerading", "meta mark & " + mark + " == 0 return");
    rule("masquerading", "meta mark set meta mark ^ " + mark);
    rule("masquerading", "masquerade fully-random");
    rule("mark-for-masquerade", "meta mark set meta mark | " + mark);
    rule(kRejectChain, "meta l4proto tcp reject with tcp reset");
    rule(kRejectChain, "reject");
    return out;
}

namespace {

void declare(std::string& out, const std::string& table, const PortRules& rules) {
    for (const auto& [name, body] : rules.sets) {
        appendLine(out, "add set " + table + " " + name + " { " + body + " }");
    }
    for (const auto& [name, body] : rules.chains) {
        appendLine(out, "add chain " + table + " " + name);
    }
}

void fill(std::string& out, const std::string& table, const PortRules& rules) {
    for (const auto& [name, body] : rules.chains) {
        for (const auto& line : body) {
            appendLine(out, "add rule " + table + " " + name + " " + line);
        }
    }
}

void addElements(std::string& out, const std::string& table, const PortRules& rules) {
    for (const auto& [map, elements] : rules.elements) {
        for (const auto& [key, verdict] : elements) {
            appendLine(out,
                       "add element " + table + " " + map + " { " + key + " : " + verdict + " }");
        }
    }
}

}  // namespace

std::string fullSync(const RuleConfig& config, const std::map<std::string, PortRules>& ports) {
    const std::string table = "ip " + config.table;
    std::string out;
    // Created (if missing) and deleted first, so the transaction always starts from nothing.
    appendLine(out, "add table " + table);
    appendLine(out, "delete table " + table);
    out += baseRules(config);
    for (const auto& [key, rules] : ports) {
        declare(out, table, rules);
    }
    for (const auto& [key, rules] : ports) {
        fill(out, table, rules);
    }
    for (const auto& [key, rules] : ports) {
        addElements(out, table, rules);
    }
    return out;
}

std::string partialSync(const RuleConfig& config, const std::map<std::string, PortRules>& before,
                        const std::map<std::string, PortRules>& after) {
    const std::string table = "ip " + config.table;
    static const PortRules kNone;
    std::set<std::string> changed;
    for (const auto& [key, rules] : before) {
        auto it = after.find(key);
        if (it == after.end() || it->second != rules) {
            changed.insert(key);
        }
    }
    for (const auto& [key, rules] : after) {
        if (!before.contains(key)) {
            changed.insert(key);
        }
    }
    std::string out;
    const auto lookup = [](const std::map<std::string, PortRules>& in,
                           const std::string& key) -> const PortRules& {
        auto it = in.find(key);
        return it == in.end() ? kNone : it->second;
    };
    // 1. The old elements go, so nothing points at chains about to change or go.
    for (const auto& key : changed) {
        for (const auto& [map, elements] : lookup(before, key).elements) {
            for (const auto& [element, verdict] : elements) {
                appendLine(out, "delete element " + table + " " + map + " { " + element + " }");
            }
        }
    }
    // 2. New chains and sets exist before any rule jumps to them.
    for (const auto& key : changed) {
        declare(out, table, lookup(after, key));
    }
    // 3. Every chain of a changed port is emptied, then the ones that stay are refilled.
    std::set<std::string> staleChains;
    std::set<std::string> staleSets;
    for (const auto& key : changed) {
        const PortRules& old = lookup(before, key);
        const PortRules& next = lookup(after, key);
        for (const auto& [name, body] : old.chains) {
            appendLine(out, "flush chain " + table + " " + name);
            if (!next.chains.contains(name)) {
                staleChains.insert(name);
            }
        }
        for (const auto& [name, body] : old.sets) {
            if (!next.sets.contains(name)) {
                staleSets.insert(name);
            }
        }
        fill(out, table, next);
    }
    // 4. The new elements, then what nothing refers to any more.
    for (const auto& key : changed) {
        addElements(out, table, lookup(after, key));
    }
    for (const auto& name : staleChains) {
        appendLine(out, "delete chain " + table + " " + name);
    }
    for (const auto& name : staleSets) {
        appendLine(out, "delete set " + table + " " + name);
    }
    return out;
}

}  // namespace slipway::proxy
