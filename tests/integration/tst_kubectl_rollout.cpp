// SPDX-License-Identifier: Apache-2.0
// Deployments end to end with the real kubectl (1.32) against a slipwayd this test starts:
// create, rollout status, scale, set image, rollout history, undo, pause/resume and restart.
// Until simulated nodes run in slipwayd, a test kubelet in this process (over HTTPS) reports
// the pods Running and Ready, so that rollouts progress.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/pki/kubeconfig.h"

#include "../unit/controllers/deployment/test_kubelet.h"
#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

const QByteArray kStuck =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: stuck\n"
    "  namespace: default\n"
    "spec:\n"
    "  replicas: 1\n"
    "  progressDeadlineSeconds: 3\n"
    "  selector:\n"
    "    matchLabels: {app: stuck}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: stuck}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: main\n"
    "        image: example/broken:1\n";

}  // namespace

class TstKubectlRollout : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};
    std::unique_ptr<client::HttpsClient> m_client;
    std::unique_ptr<testing::TestKubelet> m_kubelet;

    json deployment(const char* name) {
        return kubectl.getJson(args({"get", "deployment", name, "-n", "default"}));
    }

    std::size_t replicaSetCount(const char* app) {
        const json sets = kubectl.getJson(args({"get", "rs", "-l", app}));
        return sets.is_null() ? 0 : sets["items"].size();
    }

    void rolledOut(const char* name) {
        const auto status = kubectl({QStringLiteral("rollout"), QStringLiteral("status"),
                                     QStringLiteral("deployment/") + QString::fromLatin1(name),
                                     QStringLiteral("--timeout=60s")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err + status.out));
        QVERIFY2(status.out.contains(QStringLiteral("deployment \"%1\" successfully rolled out")
                                         .arg(QString::fromLatin1(name))),
                 qPrintable(status.out));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
        const auto kubeconfig = pki::Kubeconfig::load(m_server.kubeconfigPath().toStdString());
        QVERIFY(kubeconfig);
        const auto config = client::ClientConfig::fromKubeconfig(*kubeconfig);
        QVERIFY(config);
        m_client = std::make_unique<client::HttpsClient>(*config);
        m_kubelet =
            std::make_unique<testing::TestKubelet>(*m_client, std::chrono::milliseconds(100));
    }

    void cleanupTestCase() {
        m_kubelet.reset();
        m_client.reset();
    }

    void createAndRollOut() {
        const auto created =
            kubectl(args({"create", "deployment", "web", "--image=nginx:1.25", "--replicas=3"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QCOMPARE(created.out.trimmed(), QStringLiteral("deployment.apps/web created"));
        rolledOut("web");
        const json d = deployment("web");
        QCOMPARE(d["status"]["availableReplicas"], json(3));
        QCOMPARE(d["status"]["updatedReplicas"], json(3));
        QCOMPARE(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], json("1"));

        const auto table = kubectl(args({"get", "deployment", "web"}));
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral("web\\s+3/3\\s+3\\s+3\\s"))),
                 qPrintable(table.out));
        const auto pods = kubectl.getJson(args({"get", "pods", "-l", "app=web"}));
        QCOMPARE(pods["items"].size(), std::size_t(3));
    }

    void scale() {
        const auto scaled = kubectl(args({"scale", "deployment", "web", "--replicas=5"}));
        QVERIFY2(scaled.exitCode == 0, qPrintable(scaled.err));
        QCOMPARE(scaled.out.trimmed(), QStringLiteral("deployment.apps/web scaled"));
        rolledOut("web");
        QTRY_COMPARE_WITH_TIMEOUT(deployment("web")["status"]["availableReplicas"], json(5), 20000);
        QCOMPARE(replicaSetCount("app=web"), std::size_t(1));
    }

    void setImageAndHistory() {
        const auto set = kubectl(args({"set", "image", "deployment/web", "nginx=nginx:1.26"}));
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QCOMPARE(set.out.trimmed(), QStringLiteral("deployment.apps/web image updated"));
        rolledOut("web");
        const auto annotated = kubectl(
            args({"annotate", "deployment", "web", "kubernetes.io/change-cause=image 1.26"}));
        QVERIFY2(annotated.exitCode == 0, qPrintable(annotated.err));
        QCOMPARE(replicaSetCount("app=web"), std::size_t(2));
        const json d = deployment("web");
        QCOMPARE(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], json("2"));
        QCOMPARE(d["status"]["updatedReplicas"], json(5));

        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"rollout", "history", "deployment/web"}))
                .out.contains(QRegularExpression(QStringLiteral("\\n2\\s+image 1\\.26\\n"))),
            20000);
        const auto history = kubectl(args({"rollout", "history", "deployment/web"}));
        QVERIFY2(
            history.out.startsWith(QStringLiteral("deployment.apps/web \nREVISION  CHANGE-CAUSE\n"
                                                  "1         <none>\n")),
            qPrintable(history.out));
        const auto revision =
            kubectl(args({"rollout", "history", "deployment/web", "--revision=1"}));
        QVERIFY2(revision.out.contains(QStringLiteral("nginx:1.25")), qPrintable(revision.out));
    }

    void undoReusesTheOldReplicaSet() {
        const auto undone = kubectl(args({"rollout", "undo", "deployment/web"}));
        QVERIFY2(undone.exitCode == 0, qPrintable(undone.err));
        QCOMPARE(undone.out.trimmed(), QStringLiteral("deployment.apps/web rolled back"));
        QTRY_COMPARE_WITH_TIMEOUT(
            deployment("web")["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
            json("3"), 20000);
        rolledOut("web");
        QCOMPARE(replicaSetCount("app=web"), std::size_t(2));
        const json d = deployment("web");
        QCOMPARE(d["spec"]["template"]["spec"]["containers"][0]["image"], json("nginx:1.25"));
        const auto history = kubectl(args({"rollout", "history", "deployment/web"}));
        QVERIFY2(
            history.out.contains(QRegularExpression(QStringLiteral("\\n2\\s+image 1\\.26\\n3\\s"))),
            qPrintable(history.out));
    }

    void pauseAndResume() {
        const auto paused = kubectl(args({"rollout", "pause", "deployment/web"}));
        QVERIFY2(paused.exitCode == 0, qPrintable(paused.err));
        QCOMPARE(paused.out.trimmed(), QStringLiteral("deployment.apps/web paused"));
        QVERIFY(kubectl(args({"set", "image", "deployment/web", "nginx=nginx:1.27"})).exitCode ==
                0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const json d = deployment("web");
                return d["status"]["observedGeneration"] == d["metadata"]["generation"];
            }(),
            20000);
        QCOMPARE(replicaSetCount("app=web"), std::size_t(2));
        const auto resumed = kubectl(args({"rollout", "resume", "deployment/web"}));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(resumed.out.trimmed(), QStringLiteral("deployment.apps/web resumed"));
        rolledOut("web");
        QCOMPARE(replicaSetCount("app=web"), std::size_t(3));
    }

    void restart() {
        const auto restarted = kubectl(args({"rollout", "restart", "deployment/web"}));
        QVERIFY2(restarted.exitCode == 0, qPrintable(restarted.err));
        QCOMPARE(restarted.out.trimmed(), QStringLiteral("deployment.apps/web restarted"));
        QTRY_COMPARE_WITH_TIMEOUT(replicaSetCount("app=web"), std::size_t(4), 20000);
        rolledOut("web");
        QCOMPARE(deployment("web")["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
                 json("5"));
    }

    void aStuckRolloutExceedsItsDeadline() {
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kStuck).exitCode, 0);
        const auto status =
            kubectl(args({"rollout", "status", "deployment/stuck", "--timeout=60s"}));
        QCOMPARE(status.exitCode, 1);
        QVERIFY2(status.err.contains(
                     QStringLiteral("deployment \"stuck\" exceeded its progress deadline")),
                 qPrintable(status.err));
    }
};

QTEST_GUILESS_MAIN(TstKubectlRollout)
#include "tst_kubectl_rollout.moc"
