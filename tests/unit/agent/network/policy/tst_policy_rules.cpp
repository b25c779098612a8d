// SPDX-License-Identifier: Apache-2.0
// NetworkPolicy semantics compiled to the nft script of table inet slipway-policy: who is
// isolated, which peers and ports each rule allows, and the text nft is given.
#include <QtTest>

#include "engine/agent/network/policy/policy_rules.h"

using namespace slipway::agent::network::policy;
using nlohmann::json;

namespace {

PodInfo pod(const std::string& nameSpace, const std::string& name, const std::string& ip,
            const json& labels, std::vector<ContainerPort> ports = {}) {
    return {nameSpace, name, {ip}, labels, std::move(ports)};
}

json policy(const std::string& nameSpace, const std::string& name, const json& spec) {
    return {{"apiVersion", "networking.k8s.io/v1"},
            {"kind", "NetworkPolicy"},
            {"metadata", {{"name", name}, {"namespace", nameSpace}}},
            {"spec", spec}};
}

json podSelector(const json& labels) {
    return {{"matchLabels", labels}};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class TstPolicyRules : public QObject {
    Q_OBJECT

    std::vector<PodInfo> m_pods = {
        pod("shop", "web", "10.244.0.2", {{"app", "web"}}),
        pod("shop", "db", "10.244.0.3", {{"app", "db"}}, {{"pg", "TCP", 5432}}),
        pod("shop", "cache", "10.244.0.4", {{"app", "cache"}}),
        pod("ops", "monitor", "10.244.0.5", {{"app", "monitor"}}),
    };
    std::vector<NamespaceInfo> m_namespaces = {{"shop", {{"team", "a"}}}, {"ops", {{"team", "b"}}}};

private slots:
    void withoutPoliciesNothingIsIsolated() {
        const auto rules = compileNetworkPolicies({}, m_pods, m_namespaces);
        QVERIFY(rules.ingress.empty());
        QVERIFY(rules.egress.empty());
        const auto script = renderPolicyTable(rules);
        QVERIFY(
            script.starts_with("add table inet slipway-policy\n"
                               "delete table inet slipway-policy\n"
                               "table inet slipway-policy {\n"));
        QVERIFY(contains(script, "type filter hook forward priority filter; policy accept;"));
        QVERIFY(contains(script, "ct state established,related accept"));
        QVERIFY(!contains(script, "vmap"));
    }

    void denyAllIngressIsolatesOnlySelectedPods() {
        const auto rules = compileNetworkPolicies(
            {policy("shop", "deny", {{"podSelector", podSelector({{"app", "db"}})}})}, m_pods,
            m_namespaces);
        QCOMPARE(rules.ingress.size(), std::size_t{1});
        QCOMPARE(rules.ingress[0].name, std::string("db"));
        QVERIFY(rules.ingress[0].allowed.empty());
        QVERIFY(rules.egress.empty());  // policyTypes default to Ingress only without egress rules
        const auto script = renderPolicyTable(rules);
        QVERIFY(contains(script, "\tchain ingress-0 {\n\t\tcomment \"shop/db\"\n\t\tdrop\n\t}\n"));
        QVERIFY(contains(script, "ip daddr vmap { 10.244.0.3 : jump ingress-0 }"));
        QVERIFY(!contains(script, "saddr vmap"));
    }

    void podSelectorPeersAndPorts() {
        const json spec = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from", json::array({{{"podSelector", podSelector({{"app", "web"}})}}})},
                   {"ports", json::array({{{"protocol", "TCP"}, {"port", 5432}}})}}})}};
        const auto script = renderPolicyTable(
            compileNetworkPolicies({policy("shop", "p", spec)}, m_pods, m_namespaces));
        QVERIFY(contains(script,
                         "\t\tip saddr { 10.244.0.2 } meta l4proto tcp th dport 5432 return\n"));
    }

    void emptyPodSelectorSelectsTheWholeNamespace() {
        const json spec = {
            {"podSelector", json::object()},
            {"ingress",
             json::array({{{"from", json::array({{{"podSelector", json::object()}}})}}})}};
        const auto rules =
            compileNetworkPolicies({policy("shop", "p", spec)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress.size(), std::size_t{3});  // web, db, cache; not ops/monitor
        QCOMPARE(rules.ingress[0].allowed.size(), std::size_t{1});
        QCOMPARE(rules.ingress[0].allowed[0].peer.addresses,
                 (std::vector<std::string>{"10.244.0.2", "10.244.0.3", "10.244.0.4"}));
    }

    void namespaceSelectorAndBoth() {
        const json onlyNamespace = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array({{{"from", json::array({{{"namespaceSelector",
                                                   podSelector({{"team", "b"}})}}})}}})}};
        auto rules =
            compileNetworkPolicies({policy("shop", "p", onlyNamespace)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress[0].allowed[0].peer.addresses,
                 std::vector<std::string>{"10.244.0.5"});

        // Both in one peer: pods matching in matching namespaces (an AND).
        const json both = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from", json::array({{{"namespaceSelector", podSelector({{"team", "a"}})},
                                          {"podSelector", podSelector({{"app", "web"}})}}})}}})}};
        rules = compileNetworkPolicies({policy("shop", "p", both)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress[0].allowed[0].peer.addresses,
                 std::vector<std::string>{"10.244.0.2"});

        // The automatic kubernetes.io/metadata.name label selects a namespace by name.
        const json byName = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from",
                    json::array({{{"namespaceSelector",
                                   podSelector({{"kubernetes.io/metadata.name", "ops"}})}}})}}})}};
        rules = compileNetworkPolicies({policy("shop", "p", byName)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress[0].allowed[0].peer.addresses,
                 std::vector<std::string>{"10.244.0.5"});
    }

    void ipBlockWithExceptAndPortRanges() {
        const json spec = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from", json::array({{{"ipBlock",
                                           {{"cidr", "10.0.0.0/8"},
                                            {"except", json::array({"10.1.0.0/16"})}}}}})},
                   {"ports",
                    json::array({{{"protocol", "UDP"}, {"port", 8000}, {"endPort", 8080}}})}}})}};
        const auto script = renderPolicyTable(
            compileNetworkPolicies({policy("shop", "p", spec)}, m_pods, m_namespaces));
        QVERIFY(contains(script,
                         "\t\tip saddr { 10.0.0.0/8 } ip saddr != { 10.1.0.0/16 } "
                         "meta l4proto udp th dport 8000-8080 return\n"));
    }

    void namedPorts() {
        const json ingress = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress", json::array({{{"ports", json::array({{{"port", "pg"}}})}}})}};
        auto script = renderPolicyTable(
            compileNetworkPolicies({policy("shop", "p", ingress)}, m_pods, m_namespaces));
        QVERIFY(contains(script, "\t\tmeta l4proto tcp th dport 5432 return\n"));

        // Egress to a named port: resolved on each destination pod; pods without it are out.
        const json egress = {
            {"podSelector", podSelector({{"app", "web"}})},
            {"policyTypes", json::array({"Egress"})},
            {"egress", json::array({{{"to", json::array({{{"podSelector", json::object()}}})},
                                     {"ports", json::array({{{"port", "pg"}}})}}})}};
        const auto rules =
            compileNetworkPolicies({policy("shop", "p", egress)}, m_pods, m_namespaces);
        QVERIFY(rules.ingress.empty());
        QCOMPARE(rules.egress.size(), std::size_t{1});
        QCOMPARE(rules.egress[0].allowed.size(), std::size_t{1});
        QCOMPARE(rules.egress[0].allowed[0].peer.addresses, std::vector<std::string>{"10.244.0.3"});
        script = renderPolicyTable(rules);
        QVERIFY(contains(script,
                         "\t\tip daddr { 10.244.0.3 } meta l4proto tcp th dport 5432 return\n"));
        QVERIFY(contains(script, "ip saddr vmap { 10.244.0.2 : jump egress-0 }"));
    }

    void egressRulesImplyEgressType() {
        // No policyTypes, egress rules present: Ingress and Egress both isolate.
        const json spec = {
            {"podSelector", podSelector({{"app", "web"}})},
            {"egress",
             json::array({{{"to", json::array({{{"ipBlock", {{"cidr", "0.0.0.0/0"}}}}})}}})}};
        const auto rules =
            compileNetworkPolicies({policy("shop", "p", spec)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress.size(), std::size_t{1});
        QCOMPARE(rules.egress.size(), std::size_t{1});
        QVERIFY(rules.ingress[0].allowed.empty());
        QVERIFY(rules.egress[0].allowed[0].peer.addresses == std::vector<std::string>{"0.0.0.0/0"});
    }

    void rulesOfSeveralPoliciesAdd() {
        const json fromWeb = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from", json::array({{{"podSelector", podSelector({{"app", "web"}})}}})}}})}};
        const json fromCache = {
            {"podSelector", podSelector({{"app", "db"}})},
            {"ingress",
             json::array(
                 {{{"from", json::array({{{"podSelector", podSelector({{"app", "cache"}})}}})}}})}};
        const auto rules = compileNetworkPolicies(
            {policy("shop", "a", fromWeb), policy("shop", "b", fromCache)}, m_pods, m_namespaces);
        QCOMPARE(rules.ingress.size(), std::size_t{1});
        QCOMPARE(rules.ingress[0].allowed.size(), std::size_t{2});
        // A rule allowing everyone: no address match at all.
        const json anyone = {{"podSelector", podSelector({{"app", "db"}})},
                             {"ingress", json::array({json::object()})}};
        const auto script = renderPolicyTable(
            compileNetworkPolicies({policy("shop", "c", anyone)}, m_pods, m_namespaces));
        QVERIFY(contains(script, "\t\tcomment \"shop/db\"\n\t\treturn\n\t\tdrop\n"));
    }

    void podsWithoutAnIpOrOnTheHostNetworkAreLeftOut() {
        const json running = {
            {"metadata", {{"name", "a"}, {"namespace", "shop"}, {"labels", {{"app", "x"}}}}},
            {"spec",
             {{"containers", json::array({{{"name", "c"},
                                           {"ports", json::array({{{"name", "http"},
                                                                   {"containerPort", 80}}})}}})}}},
            {"status", {{"phase", "Running"}, {"podIP", "10.244.0.9"}}}};
        const auto info = podInfoOf(running);
        QVERIFY(info);
        QCOMPARE(info->ips, std::vector<std::string>{"10.244.0.9"});
        QCOMPARE(info->ports.size(), std::size_t{1});
        QCOMPARE(info->ports[0].port, std::int64_t{80});
        json pending = running;
        pending["status"].erase("podIP");
        QVERIFY(!podInfoOf(pending));
        json host = running;
        host["spec"]["hostNetwork"] = true;
        QVERIFY(!podInfoOf(host));
        json done = running;
        done["status"]["phase"] = "Succeeded";
        QVERIFY(!podInfoOf(done));
    }
};

QTEST_GUILESS_MAIN(TstPolicyRules)
#include "tst_policy_rules.moc"
