// SPDX-License-Identifier: Apache-2.0
// Simulated nodes and the node lifecycle controller through the real kubectl (1.32):
// `slipwayd server --sim-nodes 3` registers three Ready nodes that run the pods bound to them.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

QByteArray podYaml(const char* name, const char* node, const char* restartPolicy,
                   const char* annotations = "{}", const char* tolerations = "[]") {
    return QStringLiteral(
               "apiVersion: v1\n"
               "kind: Pod\n"
               "metadata: {name: %1, annotations: %4}\n"
               "spec:\n"
               "  nodeName: %2\n"
               "  restartPolicy: %3\n"
               "  tolerations: %5\n"
               "  containers: [{name: main, image: nginx:1.25}]\n")
        .arg(QString::fromLatin1(name), QString::fromLatin1(node),
             QString::fromLatin1(restartPolicy), QString::fromLatin1(annotations),
             QString::fromLatin1(tolerations))
        .toUtf8();
}

std::string conditionStatus(const json& object, const std::string& type) {
    if (!object.is_object()) {
        return {};
    }
    for (const auto& c : object.value("/status/conditions"_json_pointer, json::array())) {
        if (c.value("type", "") == type) {
            return c.value("status", "");
        }
    }
    return {};
}

}  // namespace

class TstKubectlSimNodes : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    json pod(const char* name) const { return kubectl.getJson(args({"get", "pod", name})); }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start(
            args({"--sim-nodes", "3", "--sim-zones", "zone-a,zone-b", "--sim-start-delay", "200ms",
                  "--sim-ready-delay", "500ms", "--sim-run-duration", "1s", "--sim-backoff", "2s",
                  "--sim-lease-renew-interval", "1s", "--node-monitor-grace-period", "4s",
                  "--node-monitor-period", "500ms"})));
    }

    void nodesRegisterReady() {
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"get", "nodes", "--no-headers"})).out.count(QStringLiteral(" Ready ")) ==
                3,
            15000);
        const auto nodes = kubectl.getJson(args({"get", "nodes"}));
        QCOMPARE(nodes.at("items").size(), std::size_t{3});
        const json& node = nodes.at("items")[0];
        QCOMPARE(node.at("metadata").at("name"), json("sim-node-1"));
        QCOMPARE(node.at("metadata").at("labels").at("topology.kubernetes.io/zone"),
                 json("zone-a"));
        QCOMPARE(nodes.at("items")[1].at("metadata").at("labels").at("topology.kubernetes.io/zone"),
                 json("zone-b"));
        QCOMPARE(node.at("spec").at("podCIDR"), json("10.244.1.0/24"));
        QCOMPARE(node.at("status").at("capacity").at("cpu"), json("4"));
        QCOMPARE(node.at("status").at("nodeInfo").at("containerRuntimeVersion"),
                 json("slipway-sim://1"));
        const auto version = kubectl.getJson(args({"version"}));
        QCOMPARE(node.at("status").at("nodeInfo").at("kubeletVersion"),
                 version.at("serverVersion").at("gitVersion"));
        const auto leases = kubectl.getJson(args({"get", "leases", "-n", "kube-node-lease"}));
        QCOMPARE(leases.at("items").size(), std::size_t{3});
        QCOMPARE(leases.at("items")[0].at("spec").at("holderIdentity"), json("sim-node-1"));
    }

    void podRunsAndBecomesReady() {
        QCOMPARE(
            kubectl(args({"apply", "-f", "-"}), podYaml("web", "sim-node-1", "Always")).exitCode,
            0);
        QTRY_COMPARE_WITH_TIMEOUT(conditionStatus(pod("web"), "Ready"), std::string("True"), 15000);
        const json web = pod("web");
        QCOMPARE(web.at("status").at("phase"), json("Running"));
        QVERIFY(web.at("status").at("podIP").get<std::string>().rfind("10.244.1.", 0) == 0);
        QCOMPARE(web.at("status").at("hostIP"), json("198.18.0.1"));
        const json& container = web.at("status").at("containerStatuses")[0];
        QCOMPARE(container.at("ready"), json(true));
        QVERIFY(container.at("state").contains("running"));
        QVERIFY(container.at("containerID").get<std::string>().rfind("sim://", 0) == 0);
        // kubelet's events, from the node.
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "events", "--field-selector",
                                               "involvedObject.name=web,reason=Started", "-o",
                                               "jsonpath={.items[*].source.host}"}))
                                         .out == QStringLiteral("sim-node-1"),
                                 10000);
    }

    void jobPodSucceeds() {
        QCOMPARE(
            kubectl(args({"apply", "-f", "-"}), podYaml("job", "sim-node-2", "Never")).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(pod("job").value("/status/phase"_json_pointer, std::string()),
                                  std::string("Succeeded"), 15000);
        const json job = pod("job");
        QCOMPARE(
            job.at("status").at("containerStatuses")[0].at("state").at("terminated").at("reason"),
            json("Completed"));
    }

    void crashingPodBacksOff() {
        QCOMPARE(
            kubectl(
                args({"apply", "-f", "-"}),
                podYaml("crash", "sim-node-3", "Always",
                        "{sim.slipway.dev/exit-code: \"1\", sim.slipway.dev/run-duration: 300ms}"))
                .exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "pod", "crash", "--no-headers"}))
                                     .out.contains(QStringLiteral("CrashLoopBackOff")),
                                 15000);
        const json crash = pod("crash");
        QVERIFY(crash.at("status").at("containerStatuses")[0].at("restartCount").get<int>() > 0);
        QCOMPARE(crash.at("status")
                     .at("containerStatuses")[0]
                     .at("lastState")
                     .at("terminated")
                     .at("exitCode"),
                 json(1));
    }

    void unpullableImageBacksOff() {
        QByteArray yaml = podYaml("typo", "sim-node-2", "Always");
        yaml.replace("nginx:1.25", "nginx:doesnotexist");
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), yaml).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "pod", "typo", "--no-headers"}))
                                     .out.contains(QStringLiteral("ImagePullBackOff")),
                                 15000);
    }

    void deletePodCompletes() {
        const auto deleted = kubectl(args({"delete", "pod", "web", "--timeout=20s"}));
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        QVERIFY(kubectl(args({"get", "pod", "web"})).exitCode != 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"get", "events", "--field-selector",
                          "involvedObject.name=web,reason=Killing", "-o", "name"}))
                    .out.trimmed()
                    .size() > 0,
            10000);
    }

    void stoppedNodeIsTaintedAndItsPodsEvicted() {
        QCOMPARE(kubectl(args({"apply", "-f", "-"}),
                         podYaml("evictee", "sim-node-1", "Always", "{}",
                                 "[{key: node.kubernetes.io/unreachable, operator: Exists, effect: "
                                 "NoExecute, tolerationSeconds: 1}]"))
                     .exitCode,
                 0);
        QCOMPARE(
            kubectl(args({"apply", "-f", "-"}), podYaml("stays", "sim-node-1", "Always")).exitCode,
            0);
        QTRY_COMPARE_WITH_TIMEOUT(conditionStatus(pod("evictee"), "Ready"), std::string("True"),
                                  15000);
        QTRY_COMPARE_WITH_TIMEOUT(conditionStatus(pod("stays"), "Ready"), std::string("True"),
                                  15000);

        QCOMPARE(kubectl(args({"annotate", "node", "sim-node-1", "sim.slipway.dev/stopped=true"}))
                     .exitCode,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "node", "sim-node-1", "--no-headers"}))
                                     .out.contains(QStringLiteral("NotReady")),
                                 20000);
        const json node = kubectl.getJson(args({"get", "node", "sim-node-1"}));
        const json* ready = nullptr;
        for (const auto& c : node.at("status").at("conditions")) {
            if (c.at("type") == "Ready") {
                ready = &c;
            }
        }
        QVERIFY(ready != nullptr);
        QCOMPARE(ready->at("status"), json("Unknown"));
        QCOMPARE(ready->at("reason"), json("NodeStatusUnknown"));
        QCOMPARE(ready->at("message"), json("Kubelet stopped posting node status."));
        const auto taints = [&] {
            return kubectl(args({"get", "node", "sim-node-1", "-o",
                                 "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}"}))
                .out;
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            taints().contains(QStringLiteral("node.kubernetes.io/unreachable:NoExecute")), 10000);
        QVERIFY(taints().contains(QStringLiteral("node.kubernetes.io/unreachable:NoSchedule")));

        // Pods lose Ready; the one tolerating the taint for 1 s is evicted (it stays
        // Terminating: its node is down), the other has 300 s.
        QTRY_COMPARE_WITH_TIMEOUT(conditionStatus(pod("stays"), "Ready"), std::string("False"),
                                  10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            pod("evictee").contains("/metadata/deletionTimestamp"_json_pointer), 10000);
        QVERIFY(!pod("stays").contains("/metadata/deletionTimestamp"_json_pointer));
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl(args({"get", "events", "--field-selector",
                          "involvedObject.name=evictee,reason=TaintManagerEviction", "-o",
                          "jsonpath={.items[*].message}"}))
                .out.contains(QStringLiteral("Marking for deletion Pod default/evictee")),
            10000);

        // Power back: Ready again, taints gone, the evicted pod finally deleted.
        QCOMPARE(
            kubectl(args({"annotate", "node", "sim-node-1", "sim.slipway.dev/stopped-"})).exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "node", "sim-node-1", "--no-headers"}))
                                     .out.contains(QStringLiteral(" Ready ")),
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(taints().trimmed().isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "pod", "evictee"})).exitCode != 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(conditionStatus(pod("stays"), "Ready"), std::string("True"),
                                  10000);
    }

    void cleanupTestCase() { QCOMPARE(m_server.terminate(), 0); }
};

QTEST_GUILESS_MAIN(TstKubectlSimNodes)
#include "tst_kubectl_simnodes.moc"
