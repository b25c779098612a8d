// SPDX-License-Identifier: Apache-2.0
// Issue 6's end-to-end behaviour, driven by the real kubectl: a slipwayd whose node agent runs
// real containers on the pod network, all of it inside a network namespace this test makes
// (the "node", 192.168.213.2) plus a second one playing a host outside the cluster. No packet
// leaves namespaces the test made. Needs root (runc, namespaces, nftables); skipped otherwise.
#include <set>

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "tests/support/netns.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;

namespace {

constexpr const char* kNodeIp = "192.168.213.2";

const char* const kHello =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: hello\n"
    "spec:\n"
    "  replicas: 3\n"
    "  selector:\n"
    "    matchLabels: {app: hello}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: hello}\n"
    "    spec:\n"
    "      terminationGracePeriodSeconds: 1\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports:\n"
    "        - containerPort: 8080\n"
    "        readinessProbe:\n"
    "          httpGet: {path: /healthz, port: 8080}\n"
    "          periodSeconds: 1\n";

const char* const kClient =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: client\n"
    "spec:\n"
    "  terminationGracePeriodSeconds: 0\n"
    "  containers:\n"
    "  - name: shell\n"
    "    image: slipway.local/busybox:1\n"
    "    command: [sleep, '3600']\n";

}  // namespace

class TstNetworking : public QObject {
    Q_OBJECT

private:
    testing::NetworkNamespace m_node;
    testing::NetworkNamespace m_outside;
    testing::SlipwaydServer m_server;
    std::unique_ptr<testing::Kubectl> m_kubectl;

    testing::CommandResult kubectl(const QStringList& arguments, const QByteArray& input = {}) {
        return (*m_kubectl)(arguments, input);
    }
    json getJson(const QStringList& arguments) { return m_kubectl->getJson(arguments); }

    /// `GET path` on host:port from inside the client pod (empty when it fails).
    QString fetchFromClient(const QString& host, int port, const QString& path = "/",
                            int timeoutSeconds = 3) {
        return m_kubectl->fetchFromPod(QStringLiteral("client"), host, port, path, timeoutSeconds);
    }

    std::vector<json> readyPods(const QString& selector) { return m_kubectl->readyPods(selector); }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (!testing::NetworkNamespace::available()) {
            QSKIP("runs containers on a pod network in namespaces of its own: needs root");
        }
        QVERIFY2(m_node.ok(), qPrintable(m_node.error()));
        QVERIFY2(m_outside.ok(), qPrintable(m_outside.error()));
        QVERIFY(m_node.addDummy(QStringLiteral("node0"), QString(kNodeIp) + "/24"));
        // The outside host, one link away from the node: 192.168.50.1 (node) – .2 (outside).
        QCOMPARE(m_node.exec(QStringLiteral("ip link add uplink type veth peer name outside0 && "
                                            "ip link set outside0 netns %1 && "
                                            "ip addr add 192.168.50.1/24 dev uplink && "
                                            "ip link set uplink up && "
                                            "ip route add default via 192.168.50.2")
                                 .arg(m_outside.name())),
                 0);
        // The outside host reaches the node's address through the node, as a LAN would route it.
        QCOMPARE(m_outside.exec(QStringLiteral("ip addr add 192.168.50.2/24 dev outside0 && "
                                               "ip link set outside0 up && ip route add "
                                               "192.168.213.0/24 via 192.168.50.1")),
                 0);

        m_server.setNetworkNamespace(&m_node);
        QVERIFY(m_server.start(args({"--node-agent", "--kubelet-port", "0", "--node-ip", kNodeIp,
                                     "--crash-loop-backoff", "1s"})));
        m_kubectl = std::make_unique<testing::Kubectl>(m_server.kubeconfigPath());
        m_kubectl->setNetworkNamespace(&m_node);
        QVERIFY(eventually(
            [&] {
                const json nodes = getJson(args({"get", "nodes"}));
                return nodes.value("items", json::array()).size() == 1;
            },
            60000));
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kHello).exitCode, 0);
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kClient).exitCode, 0);
        QVERIFY2(
            eventually([&] { return readyPods(QStringLiteral("app=hello")).size() == 3; }, 120000),
            "the three hello pods never became ready");
        QVERIFY(eventually(
            [&] {
                const json pod = getJson(args({"get", "pod", "client"}));
                return pod.value("/status/phase"_json_pointer, std::string()) == "Running";
            },
            60000));
    }

    void podsHaveTheirOwnAddressesAndReachEachOther() {
        std::set<std::string> addresses;
        for (const auto& pod : readyPods(QStringLiteral("app=hello"))) {
            const std::string ip = pod.value("/status/podIP"_json_pointer, std::string());
            QVERIFY2(ip.starts_with("10.244.0."), ip.c_str());
            QCOMPARE(pod.value("/status/hostIP"_json_pointer, std::string()), std::string(kNodeIp));
            addresses.insert(ip);
            // From the client pod, across the bridge: the page names the pod it came from.
            const QString page = fetchFromClient(QString::fromStdString(ip), 8080);
            const std::string name = pod.value("/metadata/name"_json_pointer, std::string());
            QVERIFY2(page.contains(QString::fromStdString(name)), qPrintable(page.left(300)));
        }
        QCOMPARE(addresses.size(), std::size_t{3});
        // From the node itself.
        QString out;
        QCOMPARE(m_node.exec(QStringLiteral("busybox wget -qO- http://%1:8080/")
                                 .arg(QString::fromStdString(*addresses.begin())),
                             &out),
                 0);
        QVERIFY(out.contains(QStringLiteral("hello")));
    }

    void egressIsMasqueradedBehindTheNode() {
        // The outside host answers with the address it saw the connection come from.
        QCOMPARE(m_outside.exec(
                     QStringLiteral(
                         "mkdir -p /tmp/%1/cgi-bin && printf '#!/bin/sh\\necho Content-Type: "
                         "text/plain\\necho\\necho seen $REMOTE_ADDR\\n' > /tmp/%1/cgi-bin/ip && "
                         "chmod +x /tmp/%1/cgi-bin/ip && busybox httpd -p 8000 -h /tmp/%1")
                         .arg(m_outside.name())),
                 0);
        QString page;
        QVERIFY(eventually(
            [&] {
                page = fetchFromClient(QStringLiteral("192.168.50.2"), 8000,
                                       QStringLiteral("/cgi-bin/ip"));
                return !page.isEmpty();
            },
            20000));
        // busybox httpd listens dual-stack: "seen [::ffff:192.168.50.1]".
        QVERIFY2(page.contains(QStringLiteral("192.168.50.1")) &&
                     !page.contains(QStringLiteral("10.244.")),
                 qPrintable(page));
        m_outside.exec(QStringLiteral("pkill -f 'busybox httpd -p 8000 -h /tmp/%1'; rm -rf /tmp/%1")
                           .arg(m_outside.name()));
    }

    // ---- Services (engine/proxy), DNS (engine/dns)

    void serviceByDnsNameSpreadsAcrossReplicas() {
        QCOMPARE(kubectl(args({"expose", "deployment", "hello", "--port", "80", "--target-port",
                               "8080"}))
                     .exitCode,
                 0);
        const json service = getJson(args({"get", "service", "hello"}));
        const std::string clusterIp = service.value("/spec/clusterIP"_json_pointer, std::string());
        // From the Service CIDR 10.96.0.0/12 (10.96.0.0 – 10.111.255.255).
        const QStringList octets = QString::fromStdString(clusterIp).split(QLatin1Char('.'));
        QVERIFY2(octets.size() == 4 && octets[0] == QStringLiteral("10") &&
                     octets[1].toInt() >= 96 && octets[1].toInt() <= 111,
                 clusterIp.c_str());
        // By name through the cluster DNS (search path from the pod's resolv.conf) and by the
        // full name; the answers come from all three replicas.
        std::set<QString> seen;
        QVERIFY(eventually(
            [&] {
                for (const char* host : {"hello", "hello.default.svc.cluster.local"}) {
                    const QString page = fetchFromClient(QString(host), 80);
                    const auto at = page.indexOf(QStringLiteral("pod: "));
                    if (at >= 0) {
                        seen.insert(page.mid(at + 5, page.indexOf(QLatin1Char('<'), at) - at - 5));
                    }
                }
                return seen.size() == 3;
            },
            90000));
        QCOMPARE(seen.size(), std::size_t{3});
    }

    void unreadyPodStopsReceivingTraffic() {
        const auto pods = readyPods(QStringLiteral("app=hello"));
        QCOMPARE(pods.size(), std::size_t{3});
        const QString unready =
            QString::fromStdString(pods[0].value("/metadata/name"_json_pointer, std::string()));
        // Its readiness probe (/healthz) fails from now on.
        QCOMPARE(kubectl(args({"exec"}) + QStringList{unready} + args({"--", "rm", "/www/healthz"}))
                     .exitCode,
                 0);
        QVERIFY(
            eventually([&] { return readyPods(QStringLiteral("app=hello")).size() == 2; }, 30000));
        // Once the endpoints say so, no answer comes from it.
        QVERIFY(eventually(
            [&] {
                const json slices = getJson(
                    args({"get", "endpointslices", "-l", "kubernetes.io/service-name=hello"}));
                int ready = 0;
                for (const auto& slice : slices.value("items", json::array())) {
                    for (const auto& endpoint : slice.value("endpoints", json::array())) {
                        ready += endpoint.value("/conditions/ready"_json_pointer, false) ? 1 : 0;
                    }
                }
                return ready == 2;
            },
            30000));
        int answered = 0;
        for (int i = 0; i < 24; ++i) {
            const QString page = fetchFromClient(QStringLiteral("hello"), 80);
            answered += page.contains(QStringLiteral("pod: ")) ? 1 : 0;
            QVERIFY2(!page.contains(QStringLiteral("pod: ") + unready), qPrintable(unready));
        }
        QCOMPARE(answered, 24);
        // Ready again.
        QCOMPARE(kubectl(args({"exec"}) + QStringList{unready} +
                         args({"--", "sh", "-c", "echo ok > /www/healthz"}))
                     .exitCode,
                 0);
        QVERIFY(
            eventually([&] { return readyPods(QStringLiteral("app=hello")).size() == 3; }, 30000));
    }

    void nodePortAnswersOnTheNode() {
        QCOMPARE(kubectl(args({"expose", "deployment", "hello", "--name", "hello-np", "--type",
                               "NodePort", "--port", "80", "--target-port", "8080"}))
                     .exitCode,
                 0);
        const json service = getJson(args({"get", "service", "hello-np"}));
        const int nodePort = service.value("/spec/ports/0/nodePort"_json_pointer, 0);
        QVERIFY2(nodePort >= 30000 && nodePort <= 32767, qPrintable(QString::number(nodePort)));
        QString out;
        QVERIFY(eventually(
            [&] {
                return m_node.exec(QStringLiteral("timeout 5 busybox wget -qO- http://%1:%2/")
                                       .arg(kNodeIp)
                                       .arg(nodePort),
                                   &out) == 0 &&
                       out.contains(QStringLiteral("hello, version 1"));
            },
            30000));
        // And from the host outside the cluster.
        QVERIFY(eventually(
            [&] {
                return m_outside.exec(QStringLiteral("timeout 5 busybox wget -qO- http://%1:%2/")
                                          .arg(kNodeIp)
                                          .arg(nodePort),
                                      &out) == 0 &&
                       out.contains(QStringLiteral("hello, version 1"));
            },
            30000));
    }

    // ---- Ingress (engine/ingress)

    void ingressRoutesTwoHostsToTwoServices() {
        const QByteArray second = QByteArray(kHello)
                                      .replace("name: hello\n", "name: hello-two\n")
                                      .replace("app: hello}", "app: hello-two}")
                                      .replace("hello:1", "hello:2")
                                      .replace("replicas: 3", "replicas: 1");
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), second).exitCode, 0);
        QCOMPARE(kubectl(args({"expose", "deployment", "hello-two", "--port", "80", "--target-port",
                               "8080"}))
                     .exitCode,
                 0);
        QCOMPARE(kubectl(args({"create", "ingress", "two-hosts", "--rule", "one.example/*=hello:80",
                               "--rule", "two.example/*=hello-two:80"}))
                     .exitCode,
                 0);
        QVERIFY(eventually([&] { return readyPods(QStringLiteral("app=hello-two")).size() == 1; },
                           60000));
        const auto through = [&](const char* host) {
            QString out;
            m_node.exec(QStringLiteral("timeout 5 busybox wget -qO- --header 'Host: %1' "
                                       "http://%2/")
                            .arg(host, kNodeIp),
                        &out);
            return out;
        };
        QVERIFY(eventually(
            [&] { return through("one.example").contains(QStringLiteral("hello, version 1")); },
            30000));
        QVERIFY(eventually(
            [&] { return through("two.example").contains(QStringLiteral("hello, version 2")); },
            30000));
        // The ingress reports where it is reachable.
        QVERIFY(eventually(
            [&] {
                const json ingress = getJson(args({"get", "ingress", "two-hosts"}));
                return ingress.value("/status/loadBalancer/ingress/0/ip"_json_pointer,
                                     std::string()) == kNodeIp;
            },
            30000));
    }

    // ---- NetworkPolicy (engine/agent/network/policy)

    void networkPolicyBlocksThenAllows() {
        const QByteArray denyAll =
            "apiVersion: networking.k8s.io/v1\n"
            "kind: NetworkPolicy\n"
            "metadata: {name: hello-ingress}\n"
            "spec:\n"
            "  podSelector: {matchLabels: {app: hello}}\n"
            "  policyTypes: [Ingress]\n";
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), denyAll).exitCode, 0);
        const std::string target = readyPods(QStringLiteral("app=hello"))
                                       .front()
                                       .value("/status/podIP"_json_pointer, std::string());
        QVERIFY(eventually(
            [&] { return fetchFromClient(QString::fromStdString(target), 8080, "/", 2).isEmpty(); },
            30000));
        // Allowed from pods labelled role=client, on port 8080; the client gets the label.
        const QByteArray allowClients = denyAll +
                                        "  ingress:\n"
                                        "  - from:\n"
                                        "    - podSelector: {matchLabels: {role: client}}\n"
                                        "    ports:\n"
                                        "    - {protocol: TCP, port: 8080}\n";
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), allowClients).exitCode, 0);
        QCOMPARE(kubectl(args({"label", "pod", "client", "role=client"})).exitCode, 0);
        QVERIFY(eventually(
            [&] {
                return fetchFromClient(QString::fromStdString(target), 8080)
                    .contains(QStringLiteral("hello, version 1"));
            },
            30000));
        QCOMPARE(kubectl(args({"delete", "networkpolicy", "hello-ingress"})).exitCode, 0);
    }

    // ---- Access from the host: port-forward and kubectl proxy

    void portForwardReachesAPod() {
        const QString pod =
            QString::fromStdString(readyPods(QStringLiteral("app=hello"))
                                       .front()
                                       .value("/metadata/name"_json_pointer, std::string()));
        QProcess forward;
        forward.setProcessEnvironment(m_kubectl->environment());
        forward.start(m_node.program(), m_node.wrap(testing::Kubectl::path(),
                                                    QStringList{QStringLiteral("port-forward"),
                                                                QStringLiteral("pod/") + pod,
                                                                QStringLiteral(":8080")}));
        QVERIFY(forward.waitForStarted());
        QString printed;
        int localPort = 0;
        QVERIFY(eventually(
            [&] {
                printed += QString::fromUtf8(forward.readAllStandardOutput());
                const QRegularExpression line(QStringLiteral("Forwarding from 127.0.0.1:(\\d+)"));
                const auto match = line.match(printed);
                localPort = match.hasMatch() ? match.captured(1).toInt() : 0;
                return localPort > 0;
            },
            30000));
        QString out;
        QCOMPARE(
            m_node.exec(
                QStringLiteral("timeout 5 busybox wget -qO- http://127.0.0.1:%1/").arg(localPort),
                &out),
            0);
        QVERIFY2(out.contains(QStringLiteral("pod: ") + pod), qPrintable(out.left(300)));
        forward.terminate();
        forward.waitForFinished(5000);
    }

    void kubectlProxyReachesAService() {
        QProcess proxy;
        proxy.setProcessEnvironment(m_kubectl->environment());
        proxy.start(m_node.program(),
                    m_node.wrap(testing::Kubectl::path(),
                                QStringList{QStringLiteral("proxy"), QStringLiteral("--port=0")}));
        QVERIFY(proxy.waitForStarted());
        QString printed;
        int port = 0;
        QVERIFY(eventually(
            [&] {
                printed += QString::fromUtf8(proxy.readAllStandardOutput());
                const QRegularExpression line(QStringLiteral("127.0.0.1:(\\d+)"));
                const auto match = line.match(printed);
                port = match.hasMatch() ? match.captured(1).toInt() : 0;
                return port > 0;
            },
            30000));
        QString out;
        QVERIFY(eventually(
            [&] {
                return m_node.exec(QStringLiteral("timeout 5 busybox wget -qO- "
                                                  "http://127.0.0.1:%1/api/v1/namespaces/default/"
                                                  "services/hello:80/proxy/")
                                       .arg(port),
                                   &out) == 0 &&
                       out.contains(QStringLiteral("hello, version 1"));
            },
            30000));
        proxy.terminate();
        proxy.waitForFinished(5000);
    }

    void cleanupTestCase() {
        if (m_kubectl) {
            kubectl(args({"delete", "pod", "client", "--wait=false"}));
        }
    }
};

QTEST_GUILESS_MAIN(TstNetworking)
#include "tst_networking.moc"
