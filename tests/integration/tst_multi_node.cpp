// SPDX-License-Identifier: Apache-2.0
// Two nodes, driven by the real kubectl: a `slipwayd server` with its own node in one network
// namespace and a `slipwayd agent` joining it with a token from another, the two linked by a
// veth pair (the VM driver's private network plays this part between VMs). The agent's node
// gets its podCIDR from the server's node IPAM, routes carry pod traffic between the nodes,
// and one Service balances over pods on both. Needs root; skipped otherwise.
#include <set>

#include <QProcess>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/core/atomic_file.h"
#include "engine/pki/certificates.h"

#include "test_support.h"
#include "tests/support/netns.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;

namespace {

constexpr const char* kServerIp = "192.168.214.1";
constexpr const char* kAgentIp = "192.168.214.2";
constexpr const char* kAgentName = "agent-1";
constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

/// Two replicas that may not share a node: one lands on each.
const char* const kSpread =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: spread\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector:\n"
    "    matchLabels: {app: spread}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: spread}\n"
    "    spec:\n"
    "      terminationGracePeriodSeconds: 1\n"
    "      affinity:\n"
    "        podAntiAffinity:\n"
    "          requiredDuringSchedulingIgnoredDuringExecution:\n"
    "          - topologyKey: kubernetes.io/hostname\n"
    "            labelSelector:\n"
    "              matchLabels: {app: spread}\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports:\n"
    "        - containerPort: 8080\n"
    "        readinessProbe:\n"
    "          httpGet: {path: /healthz, port: 8080}\n"
    "          periodSeconds: 1\n";

/// A shell pod on node `node`.
QByteArray clientOn(const QString& name, const QString& node) {
    return QStringLiteral(
               "apiVersion: v1\n"
               "kind: Pod\n"
               "metadata:\n"
               "  name: %1\n"
               "spec:\n"
               "  nodeName: %2\n"
               "  terminationGracePeriodSeconds: 0\n"
               "  containers:\n"
               "  - name: shell\n"
               "    image: slipway.local/busybox:1\n"
               "    command: [sleep, '3600']\n")
        .arg(name, node)
        .toUtf8();
}

/// "pod: NAME" on the hello page → NAME.
QString podOfPage(const QString& page) {
    const auto at = page.indexOf(QStringLiteral("pod: "));
    return at < 0 ? QString() : page.mid(at + 5, page.indexOf(QLatin1Char('<'), at) - at - 5);
}

}  // namespace

class TstMultiNode : public QObject {
    Q_OBJECT

private:
    testing::NetworkNamespace m_serverNs;
    testing::NetworkNamespace m_agentNs;
    testing::SlipwaydServer m_server;
    QTemporaryDir m_agentDir;
    QProcess m_agent;
    std::unique_ptr<testing::Kubectl> m_kubectl;
    QString m_serverNode;

    testing::CommandResult kubectl(const QStringList& arguments, const QByteArray& input = {}) {
        return (*m_kubectl)(arguments, input);
    }
    /// `kubectl ... -o json`, or an empty object when kubectl fails (the object is not there
    /// yet, the server is still starting).
    json getJson(const QStringList& arguments) {
        json found = m_kubectl->getJson(arguments);
        return found.is_object() ? found : json::object();
    }

    QString agentFile(const char* name) const { return m_agentDir.filePath(QString(name)); }

    /// The agent's streaming-server certificate, issued by the cluster CA the server made.
    bool issueKubeletCertificate() {
        const std::filesystem::path pkiDir = (m_server.dataDir() + "/pki").toStdString();
        auto caCert = core::readFile(pkiDir / "ca.crt");
        auto caKey = core::readFile(pkiDir / "ca.key");
        if (!caCert || !caKey) {
            return false;
        }
        pki::CertificateRequest request;
        request.commonName = std::string("system:node:") + kAgentName;
        request.organizations = {"system:nodes"};
        request.ipAddresses = {kAgentIp};
        request.serverAuth = true;
        auto issued = pki::issueCertificate({*caCert, *caKey}, request);
        return issued &&
               core::writeFileAtomically(agentFile("ca.crt").toStdString(), *caCert).ok() &&
               core::writeFileAtomically(agentFile("kubelet.crt").toStdString(),
                                         issued->certificatePem)
                   .ok() &&
               core::writeFileAtomically(agentFile("kubelet.key").toStdString(), issued->keyPem,
                                         0600)
                   .ok() &&
               core::writeFileAtomically(agentFile("token").toStdString(),
                                         std::string(kToken) + "\n", 0600)
                   .ok();
    }

    json node(const QString& name) { return getJson(args({"get", "node"}) + QStringList{name}); }

    bool nodeReady(const QString& name) {
        for (const auto& condition :
             node(name).value("/status/conditions"_json_pointer, json::array())) {
            if (condition.value("type", "") == "Ready") {
                return condition.value("status", "") == "True";
            }
        }
        return false;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (!testing::NetworkNamespace::available()) {
            QSKIP("runs two nodes in network namespaces of their own: needs root");
        }
        QVERIFY2(m_serverNs.ok(), qPrintable(m_serverNs.error()));
        QVERIFY2(m_agentNs.ok(), qPrintable(m_agentNs.error()));
        // The nodes' private link: 192.168.214.1 (server) – .2 (agent).
        QCOMPARE(m_serverNs.exec(QStringLiteral("ip link add nodes0 type veth peer name nodes1 && "
                                                "ip link set nodes1 netns %1 && "
                                                "ip addr add %2/24 dev nodes0 && "
                                                "ip link set nodes0 up")
                                     .arg(m_agentNs.name(), kServerIp)),
                 0);
        QCOMPARE(
            m_agentNs.exec(QStringLiteral("ip addr add %1/24 dev nodes1 && ip link set nodes1 up")
                               .arg(kAgentIp)),
            0);

        // The server, whose token file admits the agent as system:node:agent-1.
        QVERIFY(core::writeFileAtomically(agentFile("tokens.csv").toStdString(),
                                          std::string(kToken) + ",system:node:" + kAgentName + "," +
                                              kAgentName + ",\"system:nodes\"\n",
                                          0600)
                    .ok());
        m_server.setNetworkNamespace(&m_serverNs);
        m_server.setListen(QStringLiteral("%1:0").arg(kServerIp));
        QVERIFY(m_server.start(args({"--node-agent", "--kubelet-port", "0", "--node-ip", kServerIp,
                                     "--crash-loop-backoff", "1s", "--token-auth-file"}) +
                               QStringList{agentFile("tokens.csv")}));
        m_kubectl = std::make_unique<testing::Kubectl>(m_server.kubeconfigPath());
        m_kubectl->setNetworkNamespace(&m_serverNs);
        QVERIFY(eventually(
            [&] {
                return getJson(args({"get", "nodes"})).value("items", json::array()).size() == 1;
            },
            60000));
        m_serverNode = QString::fromStdString(
            getJson(args({"get", "nodes"})).value("/items/0/metadata/name"_json_pointer, ""));

        // The agent joins.
        QVERIFY(issueKubeletCertificate());
        const QStringList agentArguments{QStringLiteral("agent"),  QStringLiteral("--server"),
                                         m_server.url(),           QStringLiteral("--token-file"),
                                         agentFile("token"),       QStringLiteral("--ca-cert"),
                                         agentFile("ca.crt"),      QStringLiteral("--kubelet-cert"),
                                         agentFile("kubelet.crt"), QStringLiteral("--kubelet-key"),
                                         agentFile("kubelet.key"), QStringLiteral("--data-dir"),
                                         agentFile("data"),        QStringLiteral("--node-name"),
                                         QString(kAgentName),      QStringLiteral("--node-ip"),
                                         QString(kAgentIp),        QStringLiteral("--kubelet-port"),
                                         QStringLiteral("0"),      QStringLiteral("--log-level"),
                                         QStringLiteral("warn")};
        // Its output stays with the QProcess: a forwarded channel would hand the test's stdout
        // (ctest's pipe) to the containers' processes, and ctest waits for every writer.
        m_agent.setProcessChannelMode(QProcess::MergedChannels);
        m_agent.start(m_agentNs.program(),
                      m_agentNs.wrap(testing::binary(QStringLiteral("slipwayd")), agentArguments));
        QVERIFY(m_agent.waitForStarted(10000));
        QVERIFY2(eventually([&] { return nodeReady(QString(kAgentName)); }, 90000),
                 "the agent's node never became Ready");
    }

    void cleanupTestCase() {
        if (m_kubectl) {
            kubectl(args({"delete", "pods,deployments,services", "--all", "--wait=false"}));
        }
        if (m_agent.state() == QProcess::Running) {
            m_agent.terminate();
            if (!m_agent.waitForFinished(30000)) {
                m_agent.kill();
                m_agent.waitForFinished(5000);
            }
        }
        m_server.terminate(30000);
        // The nodes' containers, sandboxes and mounts (each data dir is its own node).
        for (const QString& dataDir : {agentFile("data"), m_server.dataDir()}) {
            testing::run(testing::binary(QStringLiteral("slipwayd")),
                         {QStringLiteral("reset-node"), QStringLiteral("--data-dir"), dataDir});
        }
    }

    void theAgentNodeGetsItsOwnPodCidr() {
        const json agent = node(QString(kAgentName));
        QCOMPARE(agent.value("/spec/podCIDR"_json_pointer, std::string()),
                 std::string("10.244.1.0/24"));
        QCOMPARE(node(m_serverNode).value("/spec/podCIDR"_json_pointer, std::string()),
                 std::string("10.244.0.0/24"));
        QCOMPARE(agent.value("/status/addresses/0/address"_json_pointer, std::string()),
                 std::string(kAgentIp));
        // A worker, not a control-plane node.
        QVERIFY(!agent.contains(
            "/metadata/labels/node-role.kubernetes.io~1control-plane"_json_pointer));
        // Each node routes the other's pods through its address (protocol 199: ours).
        QString routes;
        QCOMPARE(m_serverNs.exec(QStringLiteral("ip route show proto 199"), &routes), 0);
        QVERIFY2(routes.contains(QStringLiteral("10.244.1.0/24 via %1").arg(kAgentIp)),
                 qPrintable(routes));
        QVERIFY(eventually(
            [&] {
                m_agentNs.exec(QStringLiteral("ip route show proto 199"), &routes);
                return routes.contains(QStringLiteral("10.244.0.0/24 via %1").arg(kServerIp));
            },
            20000));
    }

    void podsOnBothNodesAnswerThroughOneService() {
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kSpread).exitCode, 0);
        QCOMPARE(kubectl(args({"apply", "-f", "-"}),
                         clientOn(QStringLiteral("client-server"), m_serverNode))
                     .exitCode,
                 0);
        QCOMPARE(kubectl(args({"apply", "-f", "-"}),
                         clientOn(QStringLiteral("client-agent"), QString(kAgentName)))
                     .exitCode,
                 0);
        QVERIFY2(eventually(
                     [&] { return m_kubectl->readyPods(QStringLiteral("app=spread")).size() == 2; },
                     180000),
                 "the two spread pods never became ready");
        std::map<std::string, std::string> ipByNode;
        for (const auto& pod : m_kubectl->readyPods(QStringLiteral("app=spread"))) {
            ipByNode[pod.value("/spec/nodeName"_json_pointer, std::string())] =
                pod.value("/status/podIP"_json_pointer, std::string());
        }
        QCOMPARE(ipByNode.size(), std::size_t{2});
        QVERIFY(ipByNode[m_serverNode.toStdString()].starts_with("10.244.0."));
        QVERIFY(ipByNode[kAgentName].starts_with("10.244.1."));
        QVERIFY(eventually(
            [&] {
                for (const char* client : {"client-server", "client-agent"}) {
                    const json pod = getJson(args({"get", "pod", client}));
                    if (pod.value("/status/phase"_json_pointer, std::string()) != "Running") {
                        return false;
                    }
                }
                return true;
            },
            90000));

        // Pod to pod across the nodes, by address, both ways.
        const QString onAgent = QString::fromStdString(ipByNode[kAgentName]);
        const QString onServer = QString::fromStdString(ipByNode[m_serverNode.toStdString()]);
        QVERIFY2(m_kubectl->fetchFromPod(QStringLiteral("client-server"), onAgent, 8080)
                     .contains(QStringLiteral("hello, version 1")),
                 "the server node's pod does not reach the agent node's pod");
        QVERIFY2(m_kubectl->fetchFromPod(QStringLiteral("client-agent"), onServer, 8080)
                     .contains(QStringLiteral("hello, version 1")),
                 "the agent node's pod does not reach the server node's pod");

        // One Service, answered by the pods of both nodes, from either node, by DNS name (the
        // cluster DNS runs on the server's node: the agent's pods reach it across the link).
        QCOMPARE(kubectl(args({"expose", "deployment", "spread", "--port", "80", "--target-port",
                               "8080"}))
                     .exitCode,
                 0);
        for (const char* client : {"client-server", "client-agent"}) {
            std::set<QString> seen;
            QVERIFY2(eventually(
                         [&] {
                             const QString pod = podOfPage(m_kubectl->fetchFromPod(
                                 QString(client), QStringLiteral("spread"), 80));
                             if (!pod.isEmpty()) {
                                 seen.insert(pod);
                             }
                             return seen.size() == 2;
                         },
                         90000),
                     client);
        }
    }

    void logsAndExecReachTheAgentNode() {
        QString onAgent;
        for (const auto& pod : m_kubectl->readyPods(QStringLiteral("app=spread"))) {
            if (pod.value("/spec/nodeName"_json_pointer, std::string()) == kAgentName) {
                onAgent = QString::fromStdString(pod.value("/metadata/name"_json_pointer, ""));
            }
        }
        QVERIFY(!onAgent.isEmpty());
        // The API server reaches the agent's streaming server over TLS with the cluster CA.
        const auto exec = kubectl(args({"exec"}) + QStringList{onAgent} + args({"--", "hostname"}));
        QCOMPARE(exec.exitCode, 0);
        QCOMPARE(exec.out.trimmed(), onAgent);
        const auto logs = kubectl(args({"logs"}) + QStringList{onAgent});
        QCOMPARE(logs.exitCode, 0);
    }

    void aWrongTokenIsRefusedWithOneLine() {
        QProcess intruder;
        intruder.start(
            m_agentNs.program(),
            m_agentNs.wrap(
                testing::binary(QStringLiteral("slipwayd")),
                {QStringLiteral("agent"), QStringLiteral("--server"), m_server.url(),
                 QStringLiteral("--token"), QStringLiteral("not-the-token"),
                 QStringLiteral("--ca-cert"), agentFile("ca.crt"), QStringLiteral("--data-dir"),
                 agentFile("intruder"), QStringLiteral("--node-name"), QStringLiteral("intruder"),
                 QStringLiteral("--pod-network"), QStringLiteral("none"),
                 QStringLiteral("--kubelet-port"), QStringLiteral("0")}));
        QVERIFY(intruder.waitForFinished(60000));
        QCOMPARE(intruder.exitCode(), 1);
        const QString said = QString::fromUtf8(intruder.readAllStandardError());
        QVERIFY2(said.contains(QStringLiteral("refused the node's token")), qPrintable(said));
        QVERIFY(getJson(args({"get", "nodes"})).dump().find("intruder") == std::string::npos);
    }

    void leavingRemovesTheRoutes() {
        m_agent.terminate();
        QVERIFY(m_agent.waitForFinished(60000));
        QCOMPARE(m_agent.exitCode(), 0);
        QString routes;
        QCOMPARE(m_agentNs.exec(QStringLiteral("ip route show proto 199"), &routes), 0);
        QVERIFY2(routes.trimmed().isEmpty(), qPrintable(routes));
    }
};

QTEST_GUILESS_MAIN(TstMultiNode)
#include "tst_multi_node.moc"
