// SPDX-License-Identifier: Apache-2.0
// Issue 6's end-to-end behaviour, driven by the real kubectl: a slipwayd whose node agent runs
// real containers on the pod network, all of it inside a network namespace this test makes
// (the "node", 192.168.213.2) plus a second one playing a host outside the cluster. No packet
// leaves namespaces the test made. Needs root (runc, namespaces, nftables); skipped otherwise.
#include <set>

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

    /// The HTTP response (headers and body) to `GET path` on host:port, fetched inside the
    /// client pod with busybox nc bounded by `-w` (Debian's static busybox wget crashes on its
    /// own -T and under timeout); empty when the connection fails.
    QString fetchFromClient(const QString& host, int port, const QString& path = "/",
                            int timeoutSeconds = 3) {
        const QString script =
            QStringLiteral("printf 'GET %1 HTTP/1.0\\r\\nHost: %2\\r\\n\\r\\n' | nc -w %3 %2 %4")
                .arg(path, host)
                .arg(timeoutSeconds)
                .arg(port);
        const auto result =
            kubectl(args({"exec", "client", "--", "sh", "-c"}) + QStringList{script});
        if (result.exitCode != 0) {
            qWarning("fetching %s:%d%s from the client pod: exit %d: %s", qPrintable(host), port,
                     qPrintable(path), result.exitCode, qPrintable(result.err.left(400)));
            return {};
        }
        return result.out;
    }

    std::vector<json> readyPods(const QString& selector) {
        std::vector<json> ready;
        const json pods = getJson(args({"get", "pods", "-l"}) + QStringList{selector});
        for (const auto& pod : pods.value("items", json::array())) {
            for (const auto& condition : pod["status"].value("conditions", json::array())) {
                if (condition.value("type", "") == "Ready" &&
                    condition.value("status", "") == "True" &&
                    !pod.contains("/metadata/deletionTimestamp"_json_pointer)) {
                    ready.push_back(pod);
                }
            }
        }
        return ready;
    }

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
                                            "ip link set uplink up")
                                 .arg(m_outside.name())),
                 0);
        QCOMPARE(m_outside.exec(QStringLiteral("ip addr add 192.168.50.2/24 dev outside0 && "
                                               "ip link set outside0 up")),
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

    void cleanupTestCase() {
        if (m_kubectl) {
            kubectl(args({"delete", "pod", "client", "--wait=false"}));
        }
    }
};

QTEST_GUILESS_MAIN(TstNetworking)
#include "tst_networking.moc"
