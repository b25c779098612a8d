// SPDX-License-Identifier: Apache-2.0
// What issue 7's "done" means for one node: `slipway start --driver libvirt --accel tcg`
// boots a VM from nothing, the real kubectl sees its node Ready, the demo Deployment answers
// on the host through `slipway service --url` (a QEMU forward to its NodePort), the cluster
// survives a stop and a killed VM with its Deployment (the data disk persists), pause and
// unpause freeze and thaw it, and delete leaves no domain, forward or file behind. Issue 6:
// a LoadBalancer Service stays <pending> until `slipway tunnel` runs, which gives it
// 127.0.0.1 and a forward on the host, and takes both away when stopped.
// Needs libvirt (qemu:///system as root, with libvirtd and virtlogd running) and the guest
// image of the build (share/slipway/guest).
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "engine/pki/kubeconfig.h"
#include "vm/libvirt_connection.h"
#include "vm/local_process_driver.h"

#include "tests/integration/test_support.h"
#include "tests/support/test_images.h"
#include "tests/vm/vm_test_cluster.h"

using namespace slipway;
using testing::eventually;
using testing::httpGet;

namespace {

const char* const kDemo =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: hello}\n"
    "spec:\n"
    "  replicas: 1\n"
    "  selector: {matchLabels: {app: hello}}\n"
    "  template:\n"
    "    metadata: {labels: {app: hello}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports: [{containerPort: 8080, name: http}]\n"
    "        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: hello}\n"
    "spec:\n"
    "  type: NodePort\n"
    "  selector: {app: hello}\n"
    "  ports: [{name: web, port: 80, targetPort: http}]\n";

const char* const kLoadBalancer =
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: hello-lb}\n"
    "spec:\n"
    "  type: LoadBalancer\n"
    "  selector: {app: hello}\n"
    "  ports: [{name: web, port: 28080, targetPort: http}]\n"
    "---\n"
    "apiVersion: networking.k8s.io/v1\n"
    "kind: Ingress\n"
    "metadata: {name: hello}\n"
    "spec:\n"
    "  defaultBackend: {service: {name: hello, port: {number: 80}}}\n";

}  // namespace

class TstVmCluster : public QObject {
    Q_OBJECT

    testing::VmTestCluster m_cluster{QStringLiteral("vmt")};

    testing::CommandResult slipway(const QStringList& arguments, int timeoutMs = 120000) {
        return m_cluster.slipway(arguments, timeoutMs);
    }

    QString clusterDir() const { return m_cluster.clusterDir(); }
    std::string node() const { return m_cluster.name().toStdString(); }
    bool domainDefined() const { return m_cluster.domainDefined(node()); }
    QString serviceUrl() const { return m_cluster.serviceUrl(QStringLiteral("hello")); }
    static quint16 portOf(const QString& url) { return testing::portOfUrl(url); }

    bool pageAnswers(quint16 port) {
        return eventually([&] { return httpGet(port).contains("hello 1"); }, 120000);
    }

    void startCluster(const QStringList& extra = {}) {
        const auto started = slipway(QStringList{"start"} + extra, 600000);
        QVERIFY2(started.exitCode == 0, qPrintable(started.out + started.err));
        QVERIFY2(started.out.contains("Ready"), qPrintable(started.out));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (const QString why = testing::VmTestCluster::libvirtUnusable(); !why.isEmpty()) {
            QSKIP(qPrintable(why));
        }
    }

    void startFromNothing() {
        // 512 MiB: the size issue 7 asks the whole VM to fit in, demo app included.
        startCluster({"--driver", "libvirt", "--accel", "tcg", "--cpus", "2", "--memory", "512",
                      "--disk", "2"});
        QVERIFY(domainDefined());
        const auto status = slipway({"status"});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains("driver: libvirt"), qPrintable(status.out));
        QVERIFY2(status.out.contains("accelerator: tcg"), qPrintable(status.out));
        QVERIFY2(status.out.contains("nodes: 1/1 Ready"), qPrintable(status.out));
        QVERIFY(QFileInfo::exists(clusterDir() + "/" + m_cluster.name() + "/data.qcow2"));
    }

    void kubectlSeesTheNodeReady() {
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        const auto ready = kubectl(
            {"wait", "--for=condition=Ready", "node/" + m_cluster.name(), "--timeout=120s"});
        QVERIFY2(ready.exitCode == 0, qPrintable(ready.out + ready.err));
        const auto nodes = kubectl.getJson({"get", "nodes"});
        QCOMPARE(nodes.at("items").size(), std::size_t(1));
        // start made the cluster the user's current kubectl context.
        const auto user = pki::Kubeconfig::load(m_cluster.userKubeconfig().toStdString());
        QVERIFY(user.ok());
        QCOMPARE(user->currentContext, "slipway-" + node());
    }

    void theDemoAppAnswersThroughServiceUrl() {
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        const auto applied = kubectl({"apply", "-f", "-"}, kDemo);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const auto rolled = kubectl({"rollout", "status", "deployment/hello", "--timeout=300s"});
        QVERIFY2(rolled.exitCode == 0, qPrintable(rolled.out + rolled.err));

        const QString url = serviceUrl();
        QVERIFY2(url.startsWith("http://127.0.0.1:"), qPrintable(url));
        QVERIFY(pageAnswers(portOf(url)));
        // Asking again gives the same forward.
        QCOMPARE(serviceUrl(), url);
        const auto logs = slipway({"logs"});
        QCOMPARE(logs.exitCode, 0);
        QVERIFY(logs.out.contains("slipway-guest: slipwayd started"));
    }

    void tunnelExposesLoadBalancers() {
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        const auto applied = kubectl({"apply", "-f", "-"}, kLoadBalancer);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const QStringList externalIp = {"get", "service", "hello-lb", "-o",
                                        "jsonpath={.status.loadBalancer.ingress[*].ip}"};
        // The guest's slipwayd leaves the address to the tunnel: <pending> until it runs. A
        // node-address writer reacts to the Service as the endpoints controller does, so once
        // the Service's Endpoints list the pod the address would have been written.
        QVERIFY(eventually(
            [&] {
                return !kubectl({"get", "endpoints", "hello-lb", "-o",
                                 "jsonpath={.subsets[*].addresses[*].ip}"})
                            .out.trimmed()
                            .isEmpty();
            },
            30000));
        QCOMPARE(kubectl(externalIp).out.trimmed(), QString());

        QProcess tunnel;
        tunnel.setProcessEnvironment(m_cluster.environment());
        tunnel.start(testing::binary(QStringLiteral("slipway")),
                     {"tunnel", "--cluster", m_cluster.name()});
        QVERIFY(tunnel.waitForStarted());
        QString out;
        quint16 port = 0;
        quint16 ingressPort = 0;
        const QRegularExpression ingressPorts(
            QStringLiteral("Ingress ports: 127\\.0\\.0\\.1:(\\d+)"));
        const QRegularExpression exposed(
            QStringLiteral("Exposed Service default/hello-lb at 127\\.0\\.0\\.1: "
                           "127\\.0\\.0\\.1:(\\d+)"));
        QVERIFY2(eventually(
                     [&] {
                         tunnel.waitForReadyRead(200);
                         out += QString::fromUtf8(tunnel.readAllStandardOutput());
                         const auto match = exposed.match(out);
                         port = match.hasMatch() ? match.captured(1).toUShort() : 0;
                         const auto ingressMatch = ingressPorts.match(out);
                         ingressPort =
                             ingressMatch.hasMatch() ? ingressMatch.captured(1).toUShort() : 0;
                         return port != 0 || tunnel.state() == QProcess::NotRunning;
                     },
                     60000),
                 qPrintable(out));
        QVERIFY2(port != 0, qPrintable(out + tunnel.readAllStandardError()));
        QVERIFY(pageAnswers(port));
        QVERIFY(
            eventually([&] { return kubectl(externalIp).out.trimmed() == "127.0.0.1"; }, 30000));
        const auto wide = kubectl({"get", "service", "hello-lb"});
        QVERIFY2(wide.out.contains("127.0.0.1"), qPrintable(wide.out));
        // The ingress: the node's port 80 from the host (80 as root if free), the Ingress's
        // ADDRESS 127.0.0.1.
        QVERIFY2(ingressPort != 0, qPrintable(out));
        QVERIFY(pageAnswers(ingressPort));
        const QStringList ingressIp = {"get", "ingress", "hello", "-o",
                                       "jsonpath={.status.loadBalancer.ingress[*].ip}"};
        QVERIFY(eventually([&] { return kubectl(ingressIp).out.trimmed() == "127.0.0.1"; }, 30000));

        // Ctrl-C's counterpart: the forward and the address go.
        tunnel.terminate();
        QVERIFY(tunnel.waitForFinished(60000));
        out += QString::fromUtf8(tunnel.readAllStandardOutput());
        QCOMPARE(tunnel.exitCode(), 0);
        QVERIFY2(out.contains("Withdrew Service default/hello-lb"), qPrintable(out));
        QCOMPARE(kubectl(externalIp).out.trimmed(), QString());
        QVERIFY(httpGet(port).isEmpty());
        QCOMPARE(kubectl(ingressIp).out.trimmed(), QString());
        QVERIFY(httpGet(ingressPort).isEmpty());
        QVERIFY(!QFileInfo::exists(clusterDir() + "/tunnel.json"));
        QCOMPARE(kubectl({"delete", "service", "hello-lb"}).exitCode, 0);
        QCOMPARE(kubectl({"delete", "ingress", "hello"}).exitCode, 0);
    }

    void imageLoadReachesTheGuest() {
        // Larger than the API server buffers: streamed through nodes/proxy into the guest.
        constexpr std::size_t kBlobBytes = 4 * 1024 * 1024;
        QTemporaryDir files;
        const QString archive = files.filePath("vm-upload.tar");
        QVERIFY(testing::writeBusyboxImage(archive, "test.local/vm-upload:1", kBlobBytes));
        const auto loaded = slipway({"image", "load", archive}, 300000);
        QVERIFY2(loaded.exitCode == 0, qPrintable(loaded.out + loaded.err));
        QVERIFY2(loaded.out.contains("Loaded test.local/vm-upload:1 on " + m_cluster.name()),
                 qPrintable(loaded.out));
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        const auto applied =
            kubectl({"apply", "-f", "-"}, QByteArray::fromStdString(testing::blobSizePod(
                                              "vm-uploaded", "test.local/vm-upload:1")));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const auto done = kubectl({"wait", "--for=jsonpath={.status.phase}=Succeeded",
                                   "pod/vm-uploaded", "--timeout=300s"});
        QVERIFY2(done.exitCode == 0, qPrintable(done.out + done.err));
        QCOMPARE(kubectl({"logs", "vm-uploaded"}).out.trimmed(), QString::number(kBlobBytes));
    }

    void pauseFreezesAndUnpauseThaws() {
        const auto paused = slipway({"pause"});
        QVERIFY2(paused.exitCode == 0, qPrintable(paused.err));
        const auto status = slipway({"status"});
        QCOMPARE(status.exitCode, 7);
        QVERIFY2(status.out.contains("state: Paused"), qPrintable(status.out));
        QCOMPARE(slipway({"unpause"}).exitCode, 0);
        QVERIFY(eventually([&] { return slipway({"status"}).exitCode == 0; }, 60000));
    }

    void stopAndStartKeepTheDeployment() {
        const QString url = serviceUrl();
        const auto stopped = slipway({"stop"}, 180000);
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.out + stopped.err));
        QCOMPARE(slipway({"status"}).exitCode, 7);
        QVERIFY(domainDefined());
        QCOMPARE(httpGet(portOf(url)), QByteArray());

        startCluster();
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        const auto deployment = kubectl({"get", "deployment", "hello"});
        QVERIFY2(deployment.exitCode == 0, qPrintable(deployment.err));
        // The forward is back on the same port.
        QCOMPARE(serviceUrl(), url);
        QVERIFY(pageAnswers(portOf(url)));
    }

    void aKilledVmStartsAgain() {
        const auto podUids = [&] {
            testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
            QStringList uids;
            const auto pods = kubectl.getJson({"get", "pods", "-l", "app=hello"});
            for (const auto& pod : pods.value("items", nlohmann::json::array())) {
                uids << QString::fromStdString(
                    pod.value("/metadata/uid"_json_pointer, std::string()));
            }
            uids.sort();
            return uids;
        };
        const QStringList before = podUids();
        QVERIFY(!before.isEmpty());
        {
            auto connection = vm::LibvirtConnection::open(vm::defaultLibvirtUri());
            QVERIFY(connection.ok());
            auto domain = connection->lookupDomain("slipway-" + node());
            QVERIFY(domain.ok());
            QVERIFY(domain->destroy().ok());  // as if QEMU had been killed
        }
        QCOMPARE(slipway({"status"}).exitCode, 7);
        startCluster();
        testing::Kubectl kubectl(clusterDir() + "/kubeconfig");
        QCOMPARE(kubectl({"get", "deployment", "hello"}).exitCode, 0);
        const quint16 port = portOf(serviceUrl());
        QVERIFY(port != 0);
        // The pod's sandbox and container went with the VM: the node agent makes the sandbox
        // again and restarts the same pod's container, as a kubelet does after a reboot (no
        // pod is deleted or replaced). How the lost container shows in the status (terminated
        // 255 Unknown, a restart counted) is tst_node_reboot's: here the VM may be killed
        // before the agent's record of its newest container reached the disk.
        if (!pageAnswers(port)) {
            qWarning("%s", qPrintable(kubectl({"get", "pods", "-o", "yaml"}).out));
            qWarning("%s", qPrintable(kubectl({"get", "events"}).out));
            QFAIL("the page does not answer after the power-off");
        }
        QCOMPARE(podUids(), before);
    }

    void deleteLeavesNothing() {
        const QString url = serviceUrl();
        const auto apiPort = portOf(QString::fromStdString(
            nlohmann::json::parse(slipway({"status", "-o", "json"}).out.toStdString())
                .at("apiServer")
                .get<std::string>()));
        const auto deleted = slipway({"delete"}, 180000);
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.out + deleted.err));
        QVERIFY(!domainDefined());
        QVERIFY(!m_cluster.networkDefined());
        QVERIFY(!QFileInfo::exists(clusterDir()));
        QVERIFY(vm::loopbackPortFree(portOf(url)));
        QVERIFY(vm::loopbackPortFree(apiPort));
        QCOMPARE(slipway({"status"}).exitCode, 1);
        // Nor a kubeconfig context.
        const auto user = pki::Kubeconfig::load(m_cluster.userKubeconfig().toStdString());
        QVERIFY(user.ok());
        QVERIFY(user->findContext("slipway-" + node()) == nullptr);
    }

    void cleanupTestCase() { m_cluster.removeEverything(); }
};

QTEST_GUILESS_MAIN(TstVmCluster)
#include "tst_vm_cluster.moc"
