// SPDX-License-Identifier: Apache-2.0
// Issue 5's end-to-end behaviour: a slipwayd whose node agent runs real containers with runc,
// driven by the real kubectl (1.32) with the project's demo images. Readiness through probes,
// the page served inside the pod's network namespace, rollouts that change it, crash loops with
// growing back-off, liveness restarts, OOM kills, ConfigMaps as files and env, logs -f, exec
// exit codes and kubectl cp. Needs root (runc, namespaces); skipped otherwise.
#include <functional>

#include <QDeadlineTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "test_support.h"
#include "tests/support/test_registry.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;

namespace {

const char* const kHelloDeployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: hello\n"
    "spec:\n"
    "  replicas: 2\n"
    "  strategy:\n"
    "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n"
    "  selector:\n"
    "    matchLabels: {app: hello}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: hello}\n"
    "    spec:\n"
    "      terminationGracePeriodSeconds: 2\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports:\n"
    "        - containerPort: 8080\n"
    "        readinessProbe:\n"
    "          httpGet: {path: /, port: 8080}\n"
    "          periodSeconds: 1\n";

std::string conditionStatus(const json& pod, const std::string& type) {
    for (const auto& condition : pod["status"].value("conditions", json::array())) {
        if (condition.value("type", "") == type) {
            return condition.value("status", "");
        }
    }
    return {};
}

json containerStatus(const json& pod, const std::string& name) {
    for (const auto& status : pod["status"].value("containerStatuses", json::array())) {
        if (status.value("name", "") == name) {
            return status;
        }
    }
    return json::object();
}

}  // namespace

class TstKubectlContainers : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    json getJson(const QStringList& arguments) { return kubectl.getJson(arguments); }

    json pod(const QString& name) { return getJson({"get", "pod", name, "-o", "json"}); }

    /// The running pods of a Deployment's label.
    std::vector<json> readyPods(const QString& selector) {
        std::vector<json> ready;
        const json pods = getJson({"get", "pods", "-l", selector, "-o", "json"});
        for (const auto& item : pods.value("items", json::array())) {
            if (conditionStatus(item, "Ready") == "True" &&
                !item["metadata"].contains("deletionTimestamp")) {
                ready.push_back(item);
            }
        }
        return ready;
    }

    /// The page the pod serves on 127.0.0.1:8080, fetched inside its network namespace.
    QString pageOf(const json& item) {
        const QString netns = QStringLiteral("/run/slipway/netns/") +
                              QString::fromStdString(item["metadata"].value("uid", ""));
        auto fetched = testing::run(
            QStringLiteral("nsenter"),
            {"--net=" + netns, "/bin/busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"});
        return fetched.exitCode == 0 ? fetched.out : QString();
    }

    bool hasEvent(const QString& involved, const QString& reason, const QString& text = {}) {
        const json events = getJson(
            {"get", "events", "--field-selector", "involvedObject.name=" + involved, "-o", "json"});
        for (const auto& event : events.value("items", json::array())) {
            if (QString::fromStdString(event.value("reason", "")) == reason &&
                QString::fromStdString(event.value("message", "")).contains(text)) {
                return true;
            }
        }
        return false;
    }

    void applyPod(const QByteArray& yaml) {
        auto applied = kubectl({"apply", "-f", "-"}, yaml);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (::geteuid() != 0) {
            QSKIP("running containers needs root");
        }
        // The host's own network namespace: no pod network (nor Service proxy, DNS, ingress) here
        // (a bridge could meet another test's); tst_networking runs them in a namespace of its own.
        QVERIFY(m_server.start(args({"--node-agent", "--kubelet-port", "0", "--crash-loop-backoff",
                                     "1s", "--pod-network", "none"})));
        QVERIFY(eventually(
            [&] {
                return [&] {
                    const json nodes = getJson(args({"get", "nodes", "-o", "json"}));
                    return nodes.value("items", json::array()).size() == 1 &&
                           conditionStatus(nodes["items"][0], "Ready") == "True";
                }();
            },
            30000));
        // The demo images are on the node.
        const json node = getJson(args({"get", "nodes", "-o", "json"}))["items"][0];
        QVERIFY(node["status"]["images"].dump().find("slipway.local/hello:1") != std::string::npos);
    }

    void helloBecomesReadyAndServesItsPage() {
        auto applied = kubectl({"apply", "-f", "-"}, kHelloDeployment);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        auto rolled = kubectl(args({"rollout", "status", "deployment/hello", "--timeout=120s"}));
        QVERIFY2(rolled.exitCode == 0, qPrintable(rolled.out + rolled.err));
        const auto ready = readyPods("app=hello");
        QCOMPARE(ready.size(), std::size_t(2));
        for (const auto& item : ready) {
            const QString page = pageOf(item);
            QVERIFY2(page.contains(QStringLiteral("version 1")), qPrintable(page));
            QVERIFY2(page.contains(QString::fromStdString(item["metadata"].value("name", ""))),
                     qPrintable(page));
            const json status = containerStatus(item, "hello");
            QVERIFY(status.value("ready", false));
            QVERIFY(status["state"].contains("running"));
            QVERIFY(hasEvent(QString::fromStdString(item["metadata"].value("name", "")), "Started",
                             "Started container hello"));
        }
    }

    void setImageRollsOverToVersionTwo() {
        auto set =
            kubectl(args({"set", "image", "deployment/hello", "hello=slipway.local/hello:2"}));
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        auto rolled = kubectl(args({"rollout", "status", "deployment/hello", "--timeout=120s"}));
        QVERIFY2(rolled.exitCode == 0, qPrintable(rolled.out + rolled.err));
        QVERIFY(eventually(
            [&] {
                return [&] {
                    const auto ready = readyPods("app=hello");
                    if (ready.size() != 2) {
                        return false;
                    }
                    for (const auto& item : ready) {
                        if (!pageOf(item).contains(QStringLiteral("version 2"))) {
                            return false;
                        }
                    }
                    return true;
                }();
            },
            30000));
    }

    void crashingContainerBacksOffLongerEachTime() {
        applyPod(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: crasher}\nspec:\n"
            "  containers:\n  - name: app\n    image: slipway.local/busybox:1\n"
            "    command: [sh, -c, 'echo dying; exit 3']\n");
        QVERIFY(eventually(
            [&] { return containerStatus(pod("crasher"), "app").value("restartCount", 0) >= 3; },
            60000));
        const json status = containerStatus(pod("crasher"), "app");
        QCOMPARE(status["lastState"]["terminated"].value("exitCode", 0), 3);
        QCOMPARE(status["lastState"]["terminated"].value("reason", ""), std::string("Error"));
        QVERIFY(eventually(
            [&] {
                return containerStatus(pod("crasher"), "app")
                           .value("/state/waiting/reason"_json_pointer, "") == "CrashLoopBackOff";
            },
            30000));
        // 1 s, then 2 s, then 4 s: the back-off grows.
        QVERIFY(hasEvent("crasher", "BackOff", "Back-off restarting failed container app"));
        QVERIFY(eventually(
            [&] {
                return QString::fromStdString(containerStatus(pod("crasher"), "app")
                                                  .value("/state/waiting/message"_json_pointer, ""))
                    .contains(QStringLiteral("back-off 4s"));
            },
            60000));
        auto logs = kubectl(args({"logs", "crasher", "--previous"}));
        QCOMPARE(logs.out.trimmed(), QStringLiteral("dying"));
        QCOMPARE(kubectl(args({"delete", "pod", "crasher", "--wait=false"})).exitCode, 0);
    }

    void failingLivenessProbeRestartsTheContainer() {
        applyPod(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: sickly}\nspec:\n"
            "  containers:\n  - name: app\n    image: slipway.local/busybox:1\n"
            "    command: [sh, -c, 'touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 600']\n"
            "    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n"
            "      periodSeconds: 1\n      failureThreshold: 2\n");
        QVERIFY(eventually(
            [&] { return containerStatus(pod("sickly"), "app").value("restartCount", 0) >= 1; },
            60000));
        QVERIFY(hasEvent("sickly", "Unhealthy", "Liveness probe failed"));
        QVERIFY(hasEvent("sickly", "Killing", "failed liveness probe, will be restarted"));
        QCOMPARE(kubectl(args({"delete", "pod", "sickly", "--wait=false"})).exitCode, 0);
    }

    void memoryHogIsOomKilled() {
        applyPod(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: hog}\nspec:\n"
            "  restartPolicy: Never\n"
            "  containers:\n  - name: app\n    image: slipway.local/busybox:1\n"
            "    command: [sh, -c, 'x=$(head -c 200000000 /dev/zero | tr \"\\\\0\" a); sleep 5']\n"
            "    resources:\n      limits: {memory: 32Mi}\n");
        QVERIFY(eventually(
            [&] {
                return containerStatus(pod("hog"), "app")
                           .value("/state/terminated/reason"_json_pointer, "") == "OOMKilled";
            },
            60000));
        QCOMPARE(pod("hog")["status"].value("phase", ""), std::string("Failed"));
        QCOMPARE(
            containerStatus(pod("hog"), "app").value("/state/terminated/exitCode"_json_pointer, 0),
            137);
    }

    void configMapIsAFileAndAnEnvVar() {
        QCOMPARE(
            kubectl(args({"create", "configmap", "app-config", "--from-literal=greeting=hi there"}))
                .exitCode,
            0);
        applyPod(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: configured}\nspec:\n"
            "  containers:\n  - name: app\n    image: slipway.local/busybox:1\n"
            "    command: [sleep, '600']\n"
            "    env:\n    - name: GREETING\n"
            "      valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}\n"
            "    volumeMounts:\n    - {name: config, mountPath: /etc/config}\n"
            "  volumes:\n  - name: config\n    configMap: {name: app-config}\n");
        QVERIFY(eventually(
            [&] { return (conditionStatus(pod("configured"), "Ready")) == (std::string("True")); },
            60000));
        auto file = kubectl(args({"exec", "configured", "--", "cat", "/etc/config/greeting"}));
        QCOMPARE(file.exitCode, 0);
        QCOMPARE(file.out, QStringLiteral("hi there"));
        auto env = kubectl(args({"exec", "configured", "--", "sh", "-c", "echo $GREETING"}));
        QCOMPARE(env.out.trimmed(), QStringLiteral("hi there"));
        // The service-account credentials are mounted too.
        auto ns = kubectl(args({"exec", "configured", "--", "cat",
                                "/var/run/secrets/kubernetes.io/serviceaccount/namespace"}));
        QCOMPARE(ns.out, QStringLiteral("default"));
    }

    void execReturnsTheExitCode() {
        auto ok = kubectl(args({"exec", "configured", "--", "sh", "-c", "echo out; echo err >&2"}));
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.out, QStringLiteral("out\n"));
        QCOMPARE(ok.err, QStringLiteral("err\n"));
        auto three = kubectl(args({"exec", "configured", "--", "sh", "-c", "exit 3"}));
        QCOMPARE(three.exitCode, 3);
        // -i: the client's stdin reaches the process, and its end is the process's EOF.
        QProcess withInput;
        withInput.setProcessEnvironment(kubectl.environment());
        withInput.start(testing::Kubectl::path(),
                        args({"exec", "-i", "configured", "--", "wc", "-c"}));
        QVERIFY(withInput.waitForStarted());
        withInput.write("12345");
        withInput.closeWriteChannel();
        QVERIFY(withInput.waitForFinished(30000));
        QCOMPARE(withInput.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(withInput.readAllStandardOutput()).trimmed(),
                 QStringLiteral("5"));
    }

    void cpCopiesAFileIn() {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("note.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("copied by kubectl cp\n");
        file.close();
        auto copied = kubectl({"cp", file.fileName(), "configured:/tmp/note.txt"});
        QVERIFY2(copied.exitCode == 0, qPrintable(copied.err));
        auto read = kubectl(args({"exec", "configured", "--", "cat", "/tmp/note.txt"}));
        QCOMPARE(read.out, QStringLiteral("copied by kubectl cp\n"));
    }

    void logsFollowStreams() {
        applyPod(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: talker}\nspec:\n"
            "  containers:\n  - name: app\n    image: slipway.local/busybox:1\n"
            "    command: [sh, -c, 'i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; "
            "done']\n");
        QVERIFY(eventually(
            [&] { return (conditionStatus(pod("talker"), "Ready")) == (std::string("True")); },
            60000));
        QProcess follow;
        follow.setProcessEnvironment(kubectl.environment());
        follow.start(testing::Kubectl::path(), args({"logs", "-f", "talker"}));
        QVERIFY(follow.waitForStarted());
        QByteArray seen;
        QVERIFY(eventually(
            [&] { return (seen += follow.readAllStandardOutput()).contains("line 10"); }, 30000));
        // Lines keep arriving on the open stream.
        const qsizetype before = seen.count('\n');
        QVERIFY(eventually(
            [&] { return (seen += follow.readAllStandardOutput()).count('\n') > before + 3; },
            10000));
        follow.kill();
        follow.waitForFinished();
        auto tail = kubectl(args({"logs", "talker", "--tail", "2"}));
        QCOMPARE(tail.out.count('\n'), 2);
    }

    void imagesArePulledFromARegistry() {
        if (!testing::TestRegistry::installed()) {
            QSKIP("docker-registry is not installed (scripts/setup installs it)");
        }
        QTemporaryDir dir;
        testing::TestRegistry registry;
        QVERIFY(registry.start(dir.filePath(QStringLiteral("registry")).toStdString()));
        QVERIFY(registry.pushOciArchive(std::string(SLIPWAY_DEMO_IMAGES_DIR) + "/busybox-1.tar",
                                        "demo/tools", "1",
                                        dir.filePath(QStringLiteral("unpacked")).toStdString()));
        const QString image = QString::fromStdString(registry.address()) + "/demo/tools:1";
        applyPod(
            ("apiVersion: v1\nkind: Pod\nmetadata: {name: pulled}\nspec:\n"
             "  containers:\n  - name: app\n    image: " +
             image.toUtf8() + "\n    imagePullPolicy: Always\n    command: [sleep, '600']\n"));
        QVERIFY(eventually(
            [&] { return (conditionStatus(pod("pulled"), "Ready")) == (std::string("True")); },
            60000));
        QVERIFY(hasEvent("pulled", "Pulling", "Pulling image \"" + image + "\""));
        QVERIFY(hasEvent("pulled", "Pulled", "Successfully pulled image \"" + image + "\""));
        QVERIFY(QString::fromStdString(containerStatus(pod("pulled"), "app").value("imageID", ""))
                    .contains(QStringLiteral("sha256:")));

        // A tag the registry does not have: ErrImagePull, then ImagePullBackOff.
        applyPod(
            ("apiVersion: v1\nkind: Pod\nmetadata: {name: missing}\nspec:\n"
             "  containers:\n  - name: app\n    image: " +
             QString::fromStdString(registry.address()).toUtf8() + "/demo/tools:nope\n"));
        QVERIFY(eventually([&] { return hasEvent("missing", "Failed", "Error: ErrImagePull"); },
                           60000));
        QVERIFY(eventually(
            [&] {
                return (containerStatus(pod("missing"), "app")
                            .value("/state/waiting/reason"_json_pointer, "")) ==
                       (std::string("ImagePullBackOff"));
            },
            60000));
        (void)kubectl(args({"delete", "pod", "pulled", "missing", "--grace-period=1"}));
    }

    void cleanupTestCase() {
        if (m_server.url().isEmpty()) {
            return;  // skipped, or never started
        }
        (void)kubectl(args({"delete", "deployment", "hello", "--wait=false"}));
        (void)kubectl(args({"delete", "pods", "--all", "--grace-period=1"}));
        QVERIFY(eventually(
            [&] {
                return [&] {
                    const json pods = getJson(args({"get", "pods", "-o", "json"}));
                    return pods.is_object() && pods.value("items", json::array()).empty();
                }();
            },
            60000));
        m_server.terminate();
    }
};

QTEST_GUILESS_MAIN(TstKubectlContainers)
#include "tst_kubectl_containers.moc"
