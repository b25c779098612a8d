// SPDX-License-Identifier: Apache-2.0
// NetworkPolicy enforced for real (root): a "node" network namespace with a bridge holding the
// pod gateway and three veth-attached "pod" namespaces, the NetworkPolicyController programming
// the node's nftables from an in-process API server, and TCP connections between the pods.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/network/policy/network_policy_controller.h"
#include "engine/agent/network/policy/policy_rules.h"

#include "../../../client/test_server.h"
#include "tests/support/netns.h"

using namespace slipway;
using namespace slipway::agent::network::policy;
using nlohmann::json;

namespace {

const client::ResourceRef kPolicies{"networking.k8s.io", "v1", "networkpolicies"};

}  // namespace

class TstNetworkPolicyEnforcement : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<testing::NetworkNamespace> m_node;
    // web 10.244.0.2, db 10.244.0.3 (serves TCP 8080), other 10.244.0.4
    std::map<std::string, std::unique_ptr<testing::NetworkNamespace>> m_pods;
    std::unique_ptr<QProcess> m_listener;

    /// True when `from` completes a TCP handshake with db:8080 within a second.
    bool connects(const std::string& from, const std::string& address = "10.244.0.3") {
        return m_pods.at(from)->exec(QStringLiteral("timeout 1 bash -c 'exec 3<>/dev/tcp/%1/8080'")
                                         .arg(QString::fromStdString(address))) == 0;
    }

    bool addPod(const std::string& name, const std::string& ip, int index) {
        auto ns = std::make_unique<testing::NetworkNamespace>();
        if (!ns->ok()) {
            return false;
        }
        const auto veth = QStringLiteral("veth%1").arg(index);
        if (m_node->exec(QStringLiteral("ip link add %1 type veth peer name eth0 netns %2 && "
                                        "ip link set %1 master slipway0 up")
                             .arg(veth, ns->name())) != 0 ||
            ns->exec(QStringLiteral("ip addr add %1/24 dev eth0 && ip link set eth0 up && "
                                    "ip route add default via 10.244.0.1")
                         .arg(QString::fromStdString(ip))) != 0) {
            return false;
        }
        m_pods[name] = std::move(ns);
        json pod = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"app", name}}}}},
            {"spec", {{"containers", json::array({{{"name", "c"}, {"image", "busybox"}}})}}}};
        const auto ref = client::resources::pods().in("default");
        auto created = m_client->create(ref, pod);
        if (!created) {
            return false;
        }
        (*created)["status"] = {
            {"phase", "Running"}, {"podIP", ip}, {"podIPs", json::array({{{"ip", ip}}})}};
        return m_client->updateStatus(ref.named(name), *created).ok();
    }

    void applyPolicy(const std::string& name, const json& spec) {
        const json policy = {{"apiVersion", "networking.k8s.io/v1"},
                             {"kind", "NetworkPolicy"},
                             {"metadata", {{"name", name}, {"namespace", "default"}}},
                             {"spec", spec}};
        auto existing = m_client->get(kPolicies.in("default").named(name));
        if (existing) {
            json updated = *existing;
            updated["spec"] = spec;
            QVERIFY(m_client->update(kPolicies.in("default").named(name), updated).ok());
        } else {
            auto created = m_client->create(kPolicies.in("default"), policy);
            QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        }
    }

private slots:
    void initTestCase() {
        if (!testing::NetworkNamespace::available()) {
            QSKIP("needs root and iproute2 to make network namespaces");
        }
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString() + "/server");
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();

        m_node = std::make_unique<testing::NetworkNamespace>();
        QVERIFY2(m_node->ok(), qPrintable(m_node->error()));
        // The lead's pod network in miniature: bridge, gateway, br_netfilter on.
        QCOMPARE(m_node->exec(QStringLiteral(
                     "ip link add slipway0 type bridge && ip addr add 10.244.0.1/24 dev slipway0 "
                     "&& ip link set slipway0 up && "
                     "sysctl -qw net.bridge.bridge-nf-call-iptables=1")),
                 0);
        QVERIFY(addPod("web", "10.244.0.2", 2));
        QVERIFY(addPod("db", "10.244.0.3", 3));
        QVERIFY(addPod("other", "10.244.0.4", 4));

        m_listener = std::make_unique<QProcess>();
        m_listener->start(
            m_pods.at("db")->program(),
            m_pods.at("db")->wrap(
                QStringLiteral("python3"),
                {QStringLiteral("-c"),
                 QStringLiteral("import socket\n"
                                "s = socket.socket()\n"
                                "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                                "s.bind(('0.0.0.0', 8080))\n"
                                "s.listen(64)\n"
                                "while True:\n"
                                "    c, _ = s.accept()\n"
                                "    c.close()\n")}));
        QVERIFY(m_listener->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(connects("web"), 10000);
    }

    void cleanupTestCase() {
        if (m_listener) {
            m_listener->kill();
            m_listener->waitForFinished(5000);
        }
        m_pods.clear();
        m_node.reset();
        m_client.reset();
        m_server.reset();
    }

    void isolatesThenAllows() {
        NetworkPolicyControllerOptions options;
        options.netnsPath = "/run/netns/" + m_node->name().toStdString();
        NetworkPolicyController controller(*m_client, options);
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.appliedScript().empty(), 5000);
        // No policy: everyone reaches db.
        QVERIFY(connects("web"));
        QVERIFY(connects("other"));

        // Deny all ingress to db.
        applyPolicy("db", {{"podSelector", {{"matchLabels", {{"app", "db"}}}}},
                           {"policyTypes", json::array({"Ingress"})}});
        QTRY_VERIFY_WITH_TIMEOUT(!connects("web"), 10000);
        QVERIFY(!connects("other"));

        // Allow web on TCP 8080: web connects, other still does not.
        applyPolicy(
            "db",
            {{"podSelector", {{"matchLabels", {{"app", "db"}}}}},
             {"policyTypes", json::array({"Ingress"})},
             {"ingress",
              json::array(
                  {{{"from", json::array({{{"podSelector", {{"matchLabels", {{"app", "web"}}}}}}})},
                    {"ports", json::array({{{"protocol", "TCP"}, {"port", 8080}}})}}})}});
        QTRY_VERIFY_WITH_TIMEOUT(connects("web"), 10000);
        QVERIFY(!connects("other"));

        // The table is where the policy said: inet slipway-policy in the node's namespace.
        const NftRunner nft(options.netnsPath);
        auto listed = nft.output("list table inet slipway-policy");
        QVERIFY2(listed.ok(), listed ? "" : listed.error().message().c_str());
        QVERIFY(listed->find("jump ingress-0") != std::string::npos);

        // The policy deleted: open again.
        QVERIFY(m_client->remove(kPolicies.in("default").named("db")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(connects("other"), 10000);

        // Egress isolation of web: only to "other" on 8080; db unreachable from web.
        applyPolicy(
            "web-egress",
            {{"podSelector", {{"matchLabels", {{"app", "web"}}}}},
             {"policyTypes", json::array({"Egress"})},
             {"egress",
              json::array({{{"to", json::array({{{"podSelector",
                                                  {{"matchLabels", {{"app", "other"}}}}}}})}}})}});
        QTRY_VERIFY_WITH_TIMEOUT(!connects("web"), 10000);
        QVERIFY(connects("other"));
        QVERIFY(m_client->remove(kPolicies.in("default").named("web-egress")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(connects("web"), 10000);

        // Stopping removes the table, and only it.
        controller.stop();
        QVERIFY(!nft.output("list table inet slipway-policy").ok());
    }

    void renderedScriptsAreValidNft() {
        // Every construct the compiler emits, checked by nft itself inside the node namespace.
        PolicyRuleSet rules;
        PodRules db{"default", "db", {"10.244.0.3", "fd00::3"}, {}};
        RuleMatch block;
        block.peer.addresses = {"10.0.0.0/8", "fd00::/64"};
        block.peer.except = {"10.1.0.0/16", "fd00::1/128"};
        block.ports = {{"tcp", 80, 0}, {"udp", 8000, 8080}, {"sctp", 0, 0}};
        db.allowed.push_back(block);
        RuleMatch anyone;
        anyone.peer.any = true;
        db.allowed.push_back(anyone);
        rules.ingress.push_back(db);
        rules.egress.push_back({"default", "web", {"10.244.0.2"}, {}});
        const NftRunner nft("/run/netns/" + m_node->name().toStdString());
        auto applied = nft.run(renderPolicyTable(rules));
        QVERIFY2(applied.ok(), applied ? "" : applied.error().message().c_str());
        QVERIFY(nft.run(deletePolicyTableScript()).ok());
    }
};

QTEST_GUILESS_MAIN(TstNetworkPolicyEnforcement)
#include "tst_network_policy_enforcement.moc"
