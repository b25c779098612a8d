// SPDX-License-Identifier: Apache-2.0
// The scheduler in slipwayd, seen through the real kubectl (1.32): a node registered with its
// allocatable, a pod bound to it (`kubectl wait --for=condition=PodScheduled`, the Scheduled
// event), and a pod too large for it reported as kube-scheduler reports it, in `kubectl
// describe` and in its PodScheduled condition.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

const QByteArray kNode = R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1",
"labels":{"kubernetes.io/hostname":"node-1"}}})";

const QByteArray kNodeStatus = R"({"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},"conditions":[{"type":"Ready",
"status":"True","reason":"KubeletReady","message":"kubelet is posting ready status"}]}})";

const char* kTooBig =
    "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No "
    "preemption victims found for incoming pod.";

}  // namespace

class TstKubectlScheduler : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    json pod(const char* name) { return kubectl.getJson(args({"get", "pod", name})); }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
        const auto created = kubectl(args({"create", "-f", "-"}), kNode);
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        const auto patched = kubectl(args({"patch", "node", "node-1", "--subresource=status",
                                           "--type=merge", "-p", kNodeStatus.constData()}));
        QVERIFY2(patched.exitCode == 0, qPrintable(patched.err));
    }

    void aPodIsBoundToTheNode() {
        const auto run = kubectl(args({"run", "web", "--image=nginx:1.27", "--restart=Never",
                                       "--overrides={\"spec\":{\"containers\":[{\"name\":\"web\","
                                       "\"image\":\"nginx:1.27\",\"resources\":{\"requests\":{"
                                       "\"cpu\":\"1\"}}}]}}"}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto waited =
            kubectl(args({"wait", "--for=condition=PodScheduled", "pod/web", "--timeout=30s"}));
        QVERIFY2(waited.exitCode == 0, qPrintable(waited.err));
        QCOMPARE(waited.out.trimmed(), QStringLiteral("pod/web condition met"));
        QCOMPARE(pod("web")["spec"]["nodeName"], json("node-1"));

        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"get", "events", "--field-selector", "involvedObject.name=web"}))
                .out.contains(QStringLiteral("Successfully assigned default/web to node-1")),
            15000);
    }

    void aPodTooLargeIsReportedAsKubeSchedulerDoes() {
        const auto run = kubectl(args({"run", "huge", "--image=nginx:1.27", "--restart=Never",
                                       "--overrides={\"spec\":{\"containers\":[{\"name\":\"huge\","
                                       "\"image\":\"nginx:1.27\",\"resources\":{\"requests\":{"
                                       "\"cpu\":\"64\"}}}]}}"}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"describe", "pod", "huge"}))
                .out.contains(QRegularExpression(
                    QStringLiteral("Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+") +
                    QRegularExpression::escape(QString::fromUtf8(kTooBig)))),
            15000);
        QTRY_VERIFY_WITH_TIMEOUT(!pod("huge")["status"]["conditions"].empty(), 15000);
        const json condition = pod("huge")["status"]["conditions"][0];
        QCOMPARE(condition["type"], json("PodScheduled"));
        QCOMPARE(condition["status"], json("False"));
        QCOMPARE(condition["reason"], json("Unschedulable"));
        QCOMPARE(condition["message"], json(kTooBig));
        QVERIFY(!pod("huge")["spec"].contains("nodeName"));
    }

    void cleanupTestCase() { QCOMPARE(m_server.terminate(), 0); }
};

QTEST_GUILESS_MAIN(TstKubectlScheduler)
#include "tst_kubectl_scheduler.moc"
