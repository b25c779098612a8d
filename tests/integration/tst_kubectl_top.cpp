// SPDX-License-Identifier: Apache-2.0
// The resource metrics API and the HorizontalPodAutoscaler through the real kubectl (1.32):
// `kubectl top pods|nodes` read metrics.k8s.io from slipwayd itself, and an HPA made with
// `kubectl autoscale` reports its targets in `kubectl get hpa`.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

/// A pod bound to sim-1 with a cpu request, labels and a simulated usage.
QByteArray podManifest(const char* name, const char* app, const char* cpu, const char* memory) {
    const json pod = {
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", name},
          {"labels", {{"app", app}}},
          {"annotations",
           {{"sim.slipway.dev/cpu-usage", cpu}, {"sim.slipway.dev/memory-usage", memory}}}}},
        {"spec",
         {{"nodeName", "sim-1"},
          {"containers",
           json::array(
               {{{"name", "web"},
                 {"image", "nginx"},
                 {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "64Mi"}}}}}}})}}}};
    return QByteArray::fromStdString(pod.dump());
}

}  // namespace

class TstKubectlTop : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    /// Plays the kubelet: the pod runs, ready since an hour ago.
    void markRunning(const char* name) {
        const QString anHourAgo =
            QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODate);
        const json status = {
            {"status",
             {{"phase", "Running"},
              {"startTime", anHourAgo.toStdString()},
              {"conditions", json::array({{{"type", "Ready"},
                                           {"status", "True"},
                                           {"lastTransitionTime", anHourAgo.toStdString()}}})}}}};
        const auto patched =
            kubectl({QStringLiteral("patch"), QStringLiteral("pod"), QString::fromLatin1(name),
                     QStringLiteral("--subresource=status"), QStringLiteral("--type=merge"),
                     QStringLiteral("-p"), QString::fromStdString(status.dump())});
        QVERIFY2(patched.exitCode == 0, qPrintable(patched.err));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
        const json node = {
            {"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "sim-1"}}}};
        auto created = kubectl(args({"create", "-f", "-"}), QByteArray::fromStdString(node.dump()));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        const json capacity = {{"cpu", "4"}, {"memory", "8Gi"}, {"pods", "110"}};
        const json status = {{"status", {{"capacity", capacity}, {"allocatable", capacity}}}};
        auto patched =
            kubectl({QStringLiteral("patch"), QStringLiteral("node"), QStringLiteral("sim-1"),
                     QStringLiteral("--subresource=status"), QStringLiteral("--type=merge"),
                     QStringLiteral("-p"), QString::fromStdString(status.dump())});
        QVERIFY2(patched.exitCode == 0, qPrintable(patched.err));
    }

    void topPodsAndNodes() {
        auto created =
            kubectl(args({"create", "-f", "-"}), podManifest("web-0", "top", "250m", "64Mi"));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        // Not running yet: no metrics, as kubectl says it.
        auto early = kubectl(args({"top", "pods", "-l", "app=top"}));
        QVERIFY(early.exitCode != 0);
        QVERIFY2(early.err.contains(QStringLiteral("metrics not available yet")),
                 qPrintable(early.err));

        markRunning("web-0");
        testing::CommandResult top;
        QTRY_VERIFY_WITH_TIMEOUT(
            (top = kubectl(args({"top", "pods", "-l", "app=top"}))).exitCode == 0, 10000);
        QVERIFY2(top.out.contains(QRegularExpression(
                     QStringLiteral("NAME\\s+CPU\\(cores\\)\\s+MEMORY\\(bytes\\)"))),
                 qPrintable(top.out));
        QVERIFY2(top.out.contains(QRegularExpression(QStringLiteral("web-0\\s+250m\\s+64Mi"))),
                 qPrintable(top.out));

        auto containers = kubectl(args({"top", "pod", "web-0", "--containers"}));
        QVERIFY2(containers.exitCode == 0, qPrintable(containers.err));
        QVERIFY2(containers.out.contains(
                     QRegularExpression(QStringLiteral("web-0\\s+web\\s+250m\\s+64Mi"))),
                 qPrintable(containers.out));

        // The node: a base of 50m and 128Mi plus the pod; percentages of allocatable.
        auto nodes = kubectl(args({"top", "nodes"}));
        QVERIFY2(nodes.exitCode == 0, qPrintable(nodes.err));
        QVERIFY2(nodes.out.contains(
                     QRegularExpression(QStringLiteral("sim-1\\s+300m\\s+7%\\s+192Mi\\s+2%"))),
                 qPrintable(nodes.out));

        auto podMetrics = kubectl.getJson(args({"get", "podmetrics", "web-0"}));
        QCOMPARE(podMetrics.value("kind", ""), std::string("PodMetrics"));
        QCOMPARE(podMetrics["containers"][0]["usage"]["cpu"], json("250m"));
    }

    void autoscaleShowsTargets() {
        // The Deployment's controllers make its pod and the scheduler binds it to sim-1; the test
        // plays sim-1's kubelet. 40m of a 100m request.
        const json deployment = {
            {"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "web"}}},
            {"spec",
             {{"replicas", 1},
              {"selector", {{"matchLabels", {{"app", "web"}}}}},
              {"template",
               {{"metadata",
                 {{"labels", {{"app", "web"}}},
                  {"annotations", {{"sim.slipway.dev/cpu-usage", "40m"}}}}},
                {"spec",
                 {{"containers",
                   json::array({{{"name", "web"},
                                 {"image", "nginx"},
                                 {"resources", {{"requests", {{"cpu", "100m"}}}}}}})}}}}}}}};
        auto created =
            kubectl(args({"apply", "-f", "-"}), QByteArray::fromStdString(deployment.dump()));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QString podName;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(podName = kubectl(args({"get", "pods", "-l", "app=web", "-o", "name"}))
                            .out.trimmed()
                            .section(QLatin1Char('/'), 1))
                 .isEmpty(),
            30000);
        markRunning(podName.toLatin1().constData());

        auto autoscaled = kubectl(
            args({"autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5"}));
        QVERIFY2(autoscaled.exitCode == 0, qPrintable(autoscaled.err));
        QVERIFY(autoscaled.out.contains(
            QStringLiteral("horizontalpodautoscaler.autoscaling/web autoscaled")));

        // The controller syncs every 15 s: 40% against the 50% target asks for
        // ceil(1 × 0.8) = 1 replica, the size it has.
        testing::CommandResult hpa;
        QTRY_VERIFY_WITH_TIMEOUT(
            (hpa = kubectl(args({"get", "hpa", "web"})))
                .out.contains(QRegularExpression(
                    QStringLiteral("web\\s+Deployment/web\\s+cpu: 40%/50%\\s+1\\s+5\\s+1\\s"))),
            60000);
        QVERIFY2(hpa.out.contains(QRegularExpression(QStringLiteral(
                     "NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS"))),
                 qPrintable(hpa.out));
        const auto object = kubectl.getJson(args({"get", "hpa.v2.autoscaling", "web"}));
        QCOMPARE(object["status"]["currentReplicas"], json(1));
        bool active = false;
        for (const auto& condition : object["status"]["conditions"]) {
            if (condition["type"] == "ScalingActive") {
                active = condition["reason"] == "ValidMetricFound";
            }
        }
        QVERIFY(active);
    }
};

QTEST_GUILESS_MAIN(TstKubectlTop)
#include "tst_kubectl_top.moc"
