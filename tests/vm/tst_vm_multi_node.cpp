// SPDX-License-Identifier: Apache-2.0
// Issue 7's multi-node "done": `slipway start --driver libvirt --accel tcg --nodes 2` boots a
// server VM and an agent VM that joins it over the cluster's isolated network; the real
// kubectl sees both nodes Ready; a Deployment whose two replicas may not share a node answers
// from pods on BOTH nodes through one NodePort Service reached from the host's 127.0.0.1
// (`slipway service --url`: the server's forward, then the Service proxy across the private
// network); `slipway node delete` takes the agent away; `slipway delete` leaves no domain,
// network, file or kubeconfig context. Needs libvirt on qemu:///system (root, libvirtd and
// virtlogd running) and the guest image of the build.
#include <set>

#include <QElapsedTimer>
#include <QtTest>

#include "engine/pki/kubeconfig.h"
#include "vm/libvirt_connection.h"
#include "vm/local_process_driver.h"

#include "tests/integration/test_support.h"
#include "tests/vm/vm_test_cluster.h"

using namespace slipway;
using nlohmann::json;
using testing::eventually;
using testing::httpGet;

namespace {

/// Two replicas that may not share a node, behind a NodePort Service.
const char* const kSpread =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: spread}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector: {matchLabels: {app: spread}}\n"
    "  template:\n"
    "    metadata: {labels: {app: spread}}\n"
    "    spec:\n"
    "      terminationGracePeriodSeconds: 1\n"
    "      affinity:\n"
    "        podAntiAffinity:\n"
    "          requiredDuringSchedulingIgnoredDuringExecution:\n"
    "          - topologyKey: kubernetes.io/hostname\n"
    "            labelSelector: {matchLabels: {app: spread}}\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports: [{containerPort: 8080, name: http}]\n"
    "        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: spread}\n"
    "spec:\n"
    "  type: NodePort\n"
    "  selector: {app: spread}\n"
    "  ports: [{name: web, port: 80, targetPort: http}]\n";

}  // namespace

class TstVmMultiNode : public QObject {
    Q_OBJECT

    testing::VmTestCluster m_cluster{QStringLiteral("vmm")};
    std::string m_server;
    std::string m_agent;
    /// Pod name → node name of the ready replicas.
    std::map<std::string, std::string> m_podNodes;
    QString m_url;

    testing::CommandResult slipway(const QStringList& arguments, int timeoutMs = 120000) {
        return m_cluster.slipway(arguments, timeoutMs);
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (const QString why = testing::VmTestCluster::libvirtUnusable(); !why.isEmpty()) {
            QSKIP(qPrintable(why));
        }
        if (vm::defaultLibvirtUri() != "qemu:///system") {
            QSKIP("clusters of several nodes need qemu:///system (run as root)");
        }
        m_server = m_cluster.name().toStdString();
        m_agent = m_server + "-m02";
    }

    void startTwoNodes() {
        QElapsedTimer timer;
        timer.start();
        // One vCPU each: two TCG guests share the machine's two cores.
        const auto started = slipway({"start", "--driver", "libvirt", "--accel", "tcg", "--nodes",
                                      "2", "--cpus", "1", "--memory", "1024", "--disk", "2"},
                                     900000);
        QVERIFY2(started.exitCode == 0, qPrintable(started.out + started.err));
        qInfo("slipway start --nodes 2: all nodes Ready after %.1f s",
              static_cast<double>(timer.elapsed()) / 1000.0);
        QVERIFY(m_cluster.domainDefined(m_server));
        QVERIFY(m_cluster.domainDefined(m_agent));
        QVERIFY(m_cluster.networkDefined());

        const auto status = slipway({"status"});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains("nodes: 2/2 Ready"), qPrintable(status.out));
        const auto nodes = slipway({"node", "list", "-o", "json"});
        QCOMPARE(nodes.exitCode, 0);
        const auto list = json::parse(nodes.out.toStdString());
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0].value("name", ""), m_server);
        QCOMPARE(list[0].value("role", ""), std::string("server"));
        QCOMPARE(list[0].value("address", ""), std::string("192.168.213.10"));
        QCOMPARE(list[1].value("name", ""), m_agent);
        QCOMPARE(list[1].value("role", ""), std::string("agent"));
        QCOMPARE(list[1].value("address", ""), std::string("192.168.213.11"));
        for (const auto& node : list) {
            QCOMPARE(node.value("state", ""), std::string("Ready"));
        }
    }

    void kubectlSeesTwoNodesReady() {
        testing::Kubectl kubectl(m_cluster.kubeconfig());
        const auto nodes = kubectl.getJson({"get", "nodes"});
        QCOMPARE(nodes.value("items", json::array()).size(), std::size_t(2));
        std::set<std::string> podCidrs;
        for (const auto& node : nodes.at("items")) {
            const auto name = node.value("/metadata/name"_json_pointer, std::string());
            bool ready = false;
            for (const auto& condition :
                 node.value("/status/conditions"_json_pointer, json::array())) {
                ready |= condition.value("type", "") == "Ready" &&
                         condition.value("status", "") == "True";
            }
            QVERIFY2(ready, name.c_str());
            podCidrs.insert(node.value("/spec/podCIDR"_json_pointer, std::string()));
        }
        QCOMPARE(podCidrs, (std::set<std::string>{"10.244.0.0/24", "10.244.1.0/24"}));
    }

    void podsOnBothNodesAnswerThroughOneService() {
        testing::Kubectl kubectl(m_cluster.kubeconfig());
        const auto applied = kubectl({"apply", "-f", "-"}, kSpread);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const auto rolled = kubectl({"rollout", "status", "deployment/spread", "--timeout=400s"});
        QVERIFY2(rolled.exitCode == 0, qPrintable(rolled.out + rolled.err));
        for (const auto& pod : kubectl.readyPods(QStringLiteral("app=spread"))) {
            m_podNodes[pod.value("/metadata/name"_json_pointer, std::string())] =
                pod.value("/spec/nodeName"_json_pointer, std::string());
        }
        QCOMPARE(m_podNodes.size(), std::size_t(2));
        std::set<std::string> nodes;
        for (const auto& [pod, node] : m_podNodes) {
            nodes.insert(node);
        }
        QCOMPARE(nodes, (std::set<std::string>{m_server, m_agent}));

        m_url = m_cluster.serviceUrl(QStringLiteral("spread"));
        QVERIFY2(m_url.startsWith("http://127.0.0.1:"), qPrintable(m_url));
        const quint16 port = testing::portOfUrl(m_url);
        // The Service proxy picks an endpoint at random per connection: both pods answer
        // within a few dozen requests, the agent's across the private network.
        std::set<std::string> answered;
        QVERIFY2(
            eventually(
                [&] {
                    const QByteArray page = httpGet(port);
                    for (const auto& [pod, node] : m_podNodes) {
                        if (page.contains(QByteArray::fromStdString(pod))) {
                            answered.insert(node);
                        }
                    }
                    return answered.size() == 2;
                },
                180000),
            qPrintable(QStringLiteral("pages came from %1 node(s) only").arg(answered.size())));
    }

    void deletingTheAgentLeavesTheServer() {
        const auto deleted = slipway({"node", "delete", QString::fromStdString(m_agent)}, 180000);
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.out + deleted.err));
        QVERIFY(!m_cluster.domainDefined(m_agent));
        QVERIFY(!QFileInfo::exists(m_cluster.clusterDir() + "/" + QString::fromStdString(m_agent)));
        testing::Kubectl kubectl(m_cluster.kubeconfig());
        QCOMPARE(kubectl.getJson({"get", "nodes"}).value("items", json::array()).size(),
                 std::size_t(1));
        const auto status = slipway({"status"});
        QVERIFY2(status.out.contains("nodes: 1/1 Ready"), qPrintable(status.out));
        // The server's replica still answers through the Service.
        const quint16 port = testing::portOfUrl(m_url);
        for (const auto& [pod, node] : m_podNodes) {
            if (node == m_server) {
                QVERIFY(eventually(
                    [&] { return httpGet(port).contains(QByteArray::fromStdString(pod)); }, 60000));
            }
        }
    }

    void deleteLeavesNothing() {
        const auto apiPort = testing::portOfUrl(
            QString::fromStdString(json::parse(slipway({"status", "-o", "json"}).out.toStdString())
                                       .value("apiServer", std::string())));
        const auto deleted = slipway({"delete"}, 180000);
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.out + deleted.err));
        QVERIFY(!m_cluster.domainDefined(m_server));
        QVERIFY(!m_cluster.domainDefined(m_agent));
        QVERIFY(!m_cluster.networkDefined());
        QVERIFY(!QFileInfo::exists(m_cluster.clusterDir()));
        QVERIFY(vm::loopbackPortFree(apiPort));
        QVERIFY(vm::loopbackPortFree(testing::portOfUrl(m_url)));
        QCOMPARE(slipway({"status"}).exitCode, 1);
        const auto user = pki::Kubeconfig::load(m_cluster.userKubeconfig().toStdString());
        QVERIFY(user.ok());
        QVERIFY(user->findContext("slipway-" + m_server) == nullptr);
    }

    void cleanupTestCase() { m_cluster.removeEverything(); }
};

QTEST_GUILESS_MAIN(TstVmMultiNode)
#include "tst_vm_multi_node.moc"
