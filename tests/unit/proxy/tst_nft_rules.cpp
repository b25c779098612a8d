// SPDX-License-Identifier: Apache-2.0
// The Service proxy's model (Services + EndpointSlices → ServicePorts) and its nftables rules,
// as pure functions.
#include <QtTest>

#include "engine/proxy/nft_rules.h"
#include "engine/proxy/service_model.h"

using namespace slipway;
using namespace slipway::proxy;
using nlohmann::json;

namespace {

json service(const std::string& type = "ClusterIP", const json& extra = json::object()) {
    json spec = {{"type", type},
                 {"clusterIP", "10.96.0.20"},
                 {"sessionAffinity", "None"},
                 {"ports", json::array({{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}},
                                        {{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}}})}};
    spec.update(extra);
    return {{"metadata", {{"name", "web"}, {"namespace", "default"}}}, {"spec", spec}};
}

json endpoint(const std::string& ip, bool ready, const std::string& node = "node-a") {
    return {
        {"addresses", json::array({ip})}, {"conditions", {{"ready", ready}}}, {"nodeName", node}};
}

json slice(const json& endpoints) {
    return {{"metadata",
             {{"name", "web-abc"},
              {"namespace", "default"},
              {"labels", {{"kubernetes.io/service-name", "web"}}}}},
            {"addressType", "IPv4"},
            {"ports", json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}},
                                   {{"name", "dns"}, {"port", 5353}, {"protocol", "UDP"}}})},
            {"endpoints", endpoints}};
}

ServicePort webPort(std::vector<Endpoint> endpoints) {
    ServicePort port;
    port.nameSpace = "default";
    port.name = "web";
    port.portName = "http";
    port.clusterIp = "10.96.0.20";
    port.port = 80;
    port.endpoints = std::move(endpoints);
    return port;
}

/// The one chain whose name starts with `prefix`.
const std::vector<std::string>* chainStarting(const PortRules& rules, const std::string& prefix) {
    const std::vector<std::string>* found = nullptr;
    for (const auto& [name, body] : rules.chains) {
        if (name.starts_with(prefix)) {
            if (found != nullptr) {
                return nullptr;
            }
            found = &body;
        }
    }
    return found;
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

class TstNftRules : public QObject {
    Q_OBJECT

private slots:
    void servicesBecomePortsWithTheirEndpoints() {
        const auto ports =
            servicePortsOf(service(),
                           {slice(json::array({endpoint("10.244.0.6", true),
                                               endpoint("10.244.0.5", false, "node-b")}))},
                           "node-a");
        QCOMPARE(ports.size(), std::size_t(2));
        QCOMPARE(ports[0].protocol, std::string("tcp"));
        QCOMPARE(ports[0].port, 80);
        QCOMPARE(ports[1].protocol, std::string("udp"));
        QCOMPARE(ports[1].endpoints.size(), std::size_t(2));
        QCOMPARE(ports[1].endpoints[0].port, 5353);
        // Sorted by address; readiness and locality from the slice.
        QCOMPARE(ports[0].endpoints[0].ip, std::string("10.244.0.5"));
        QVERIFY(!ports[0].endpoints[0].ready);
        QVERIFY(!ports[0].endpoints[0].local);
        QCOMPARE(ports[0].endpoints[1].port, 8080);
        QVERIFY(ports[0].endpoints[1].ready);
        QVERIFY(ports[0].endpoints[1].local);
    }

    void headlessAndExternalNameServicesAreSkipped() {
        QVERIFY(servicePortsOf(service("ClusterIP", {{"clusterIP", "None"}}), {}, "").empty());
        json external = service("ExternalName", {{"externalName", "example.com"}});
        external["spec"].erase("clusterIP");
        QVERIFY(servicePortsOf(external, {}, "").empty());
    }

    void loadBalancerIngressAndAffinityAreCarried() {
        json lb = service("LoadBalancer",
                          {{"externalTrafficPolicy", "Local"},
                           {"sessionAffinity", "ClientIP"},
                           {"sessionAffinityConfig", {{"clientIP", {{"timeoutSeconds", 60}}}}}});
        lb["spec"]["ports"][0]["nodePort"] = 30080;
        lb["status"] = {{"loadBalancer", {{"ingress", json::array({{{"ip", "192.168.50.2"}}})}}}};
        const auto ports = servicePortsOf(lb, {}, "node-a");
        QCOMPARE(ports[0].nodePort, 30080);
        QCOMPARE(ports[0].externalIps, std::vector<std::string>{"192.168.50.2"});
        QVERIFY(ports[0].externalLocal);
        QCOMPARE(ports[0].affinitySeconds, 60);

        // `slipway tunnel`'s 127.0.0.1 (ipMode Proxy) arrives through the node port: no rule
        // for the address itself.
        lb["status"]["loadBalancer"]["ingress"] =
            json::array({{{"ip", "127.0.0.1"}, {"ipMode", "Proxy"}}});
        const auto proxied = servicePortsOf(lb, {}, "node-a");
        QCOMPARE(proxied[0].nodePort, 30080);
        QVERIFY(proxied[0].externalIps.empty());
    }

    void readyEndpointsAreBalancedAtRandom() {
        const RuleConfig config;
        const auto rules = portRules(config, webPort({{"10.244.0.5", 8080, true, false},
                                                      {"10.244.0.6", 8080, false, false},
                                                      {"10.244.0.7", 8080, true, false}}));
        const auto* service = chainStarting(rules, "service-");
        QVERIFY(service != nullptr);
        QCOMPARE(service->front(),
                 std::string("ip daddr 10.96.0.20 tcp dport 80 jump mark-for-masquerade"));
        QVERIFY(service->back().starts_with("numgen random mod 2 vmap { 0 : goto endpoint-"));
        // The unready endpoint has no chain and is not a target.
        QVERIFY(chainStarting(rules, "endpoint-") == nullptr);  // two chains
        int endpoints = 0;
        for (const auto& [name, body] : rules.chains) {
            if (name.starts_with("endpoint-")) {
                ++endpoints;
                QVERIFY(name.find("10.244.0.6") == std::string::npos);
                QCOMPARE(body.size(), std::size_t(1));  // masqueradeAll marked it already
                QVERIFY(body.back().starts_with("meta l4proto tcp dnat to 10.244.0."));
            }
        }
        QCOMPARE(endpoints, 2);
        QVERIFY(service->back().find("10.244.0.6") == std::string::npos);
        const auto& ips = rules.elements.at("service-ips");
        QCOMPARE(ips.size(), std::size_t(1));
        QVERIFY(ips.at("10.96.0.20 . tcp . 80").starts_with("goto service-"));
        QVERIFY(!rules.elements.contains("no-endpoint-services"));
    }

    void servicesWithoutReadyEndpointsAreRejected() {
        ServicePort port = webPort({{"10.244.0.6", 8080, false, false}});
        port.nodePort = 30080;
        const auto rules = portRules(RuleConfig{}, port);
        QVERIFY(rules.chains.empty());
        QVERIFY(!rules.elements.contains("service-ips"));
        QCOMPARE(rules.elements.at("no-endpoint-services").at("10.96.0.20 . tcp . 80"),
                 std::string("goto reject-chain"));
        QCOMPARE(rules.elements.at("no-endpoint-nodeports").at("tcp . 30080"),
                 std::string("goto reject-chain"));
        const std::string base = baseRules(RuleConfig{});
        QVERIFY(base.find("add rule ip slipway-proxy reject-chain meta l4proto tcp reject with "
                          "tcp reset") != std::string::npos);
    }

    void nodePortsGoThroughTheExternalChain() {
        ServicePort port =
            webPort({{"10.244.0.5", 8080, true, true}, {"10.244.0.7", 8080, true, false}});
        port.nodePort = 30080;
        port.externalIps = {"192.168.50.2"};
        auto rules = portRules(RuleConfig{}, port);
        const auto* external = chainStarting(rules, "external-");
        QVERIFY(external != nullptr);
        QCOMPARE(external->size(), std::size_t(2));
        QCOMPARE((*external)[0], std::string("jump mark-for-masquerade"));
        QVERIFY((*external)[1].starts_with("goto service-"));
        QVERIFY(
            rules.elements.at("service-nodeports").at("tcp . 30080").starts_with("goto external-"));
        QVERIFY(rules.elements.at("service-ips")
                    .at("192.168.50.2 . tcp . 80")
                    .starts_with("goto external-"));

        // Local: only this node's endpoint for external clients, no masquerade for them.
        port.externalLocal = true;
        rules = portRules(RuleConfig{}, port);
        external = chainStarting(rules, "external-");
        QVERIFY(external != nullptr);
        QCOMPARE((*external)[0], std::string("ip saddr 10.244.0.0/16 jump mark-for-masquerade"));
        QCOMPARE((*external)[2], std::string("fib saddr type local jump mark-for-masquerade"));
        QVERIFY((*external)[4].starts_with("numgen random mod 1 vmap { 0 : goto endpoint-"));
        QVERIFY((*external)[4].find("10.244.0.5") != std::string::npos);
        // No local endpoint: external traffic is dropped, as kube-proxy does.
        port.endpoints[0].local = false;
        rules = portRules(RuleConfig{}, port);
        QCOMPARE(chainStarting(rules, "external-")->back(), std::string("drop"));
    }

    void clientIpAffinityUsesTimeoutSets() {
        ServicePort port = webPort({{"10.244.0.5", 8080, true, false}});
        port.affinitySeconds = 60;
        const auto rules = portRules(RuleConfig{}, port);
        QCOMPARE(rules.sets.size(), std::size_t(1));
        const auto& [set, declaration] = *rules.sets.begin();
        QCOMPARE(declaration, std::string("type ipv4_addr; flags dynamic,timeout; timeout 60s;"));
        const auto* service = chainStarting(rules, "service-");
        QVERIFY((*service)[1].starts_with("ip saddr @" + set + " goto endpoint-"));
        const auto* endpointChain = chainStarting(rules, "endpoint-");
        QCOMPARE((*endpointChain)[0], "update @" + set + " { ip saddr }");

        // Without masqueradeAll the endpoint marks its own hairpin traffic.
        RuleConfig precise;
        precise.masqueradeAll = false;
        const auto marked = portRules(precise, port);
        QCOMPARE(chainStarting(marked, "endpoint-")->front(),
                 std::string("ip saddr 10.244.0.5 jump mark-for-masquerade"));
        QVERIFY(chainStarting(marked, "service-")->front().starts_with("ip saddr @"));
    }

    void nodePortsAreServedOnTheNodeAddresses() {
        RuleConfig config;
        config.nodeIps = {"192.168.50.2"};
        const std::string base = baseRules(config);
        QVERIFY(base.find("add element ip slipway-proxy nodeport-ips { 192.168.50.2 }") !=
                std::string::npos);
        QVERIFY(base.find("ip daddr @nodeport-ips meta l4proto . th dport vmap "
                          "@service-nodeports") != std::string::npos);
        QVERIFY(baseRules(RuleConfig{}).find("fib daddr type local") != std::string::npos);
    }

    void aPartialSyncTouchesOnlyWhatChanged() {
        const RuleConfig config;
        ServicePort web =
            webPort({{"10.244.0.5", 8080, true, false}, {"10.244.0.7", 8080, true, false}});
        ServicePort api = webPort({{"10.244.0.9", 9090, true, false}});
        api.name = "api";
        api.clusterIp = "10.96.0.30";
        std::map<std::string, PortRules> before = {{web.key(), portRules(config, web)},
                                                   {api.key(), portRules(config, api)}};
        QCOMPARE(partialSync(config, before, before), std::string());

        web.endpoints.pop_back();  // 10.244.0.7 goes
        std::map<std::string, PortRules> after = before;
        after[web.key()] = portRules(config, web);
        const std::string sync = partialSync(config, before, after);
        QVERIFY(sync.find("default/api/") == std::string::npos);
        QCOMPARE(
            count(sync, "delete element ip slipway-proxy service-ips { 10.96.0.20 . tcp . 80 }"),
            1);
        QCOMPARE(
            count(
                sync,
                "add element ip slipway-proxy service-ips { 10.96.0.20 . tcp . 80 : goto service-"),
            1);
        QCOMPARE(count(sync, "numgen random mod 1 vmap"), 1);
        QCOMPARE(count(sync, "delete chain ip slipway-proxy endpoint-"), 1);
        QVERIFY(sync.find("delete chain ip slipway-proxy endpoint-") < std::string::npos);
        QVERIFY(sync.rfind("10.244.0.7/8080") > sync.find("numgen"));  // deleted after refill

        // A Service that goes takes its chains and elements with it.
        after.erase(api.key());
        const std::string removal = partialSync(config, before, after);
        QCOMPARE(count(removal, "delete chain ip slipway-proxy service-"), 1);
        QCOMPARE(
            count(removal, "delete element ip slipway-proxy service-ips { 10.96.0.30 . tcp . 80 }"),
            1);

        // A full sync starts from an empty table.
        const std::string full = fullSync(config, after);
        QVERIFY(full.starts_with("add table ip slipway-proxy\ndelete table ip slipway-proxy\n"));
        QVERIFY(full.find("default/api/") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstNftRules)
#include "tst_nft_rules.moc"
