// SPDX-License-Identifier: Apache-2.0
// Jobs, CronJobs, Endpoints and EndpointSlices end to end with the real kubectl (1.32) against
// a slipwayd this test starts. There are no nodes here: the test plays the kubelet, setting
// pod status through the status subresource (`kubectl patch --subresource=status`).
#include <set>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

QByteArray pod(const char* name, const char* app) {
    return QByteArray("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ") + name +
           "\n  labels:\n    app: " + app +
           "\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n"
           "    - name: http\n      containerPort: 8080\n";
}

QString statusPatch(const char* phase, const char* ip, bool ready) {
    json status = {{"phase", phase},
                   {"conditions", json::array({{{"type", "Ready"},
                                                {"status", ready ? "True" : "False"},
                                                {"lastTransitionTime", "2026-01-01T00:00:00Z"}}})}};
    if (ip != nullptr) {
        status["podIP"] = ip;
        status["podIPs"] = json::array({{{"ip", ip}}});
    }
    return QString::fromStdString(json{{"status", status}}.dump());
}

}  // namespace

class TstKubectlBatch : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    bool setStatus(const QString& podName, const char* phase, const char* ip, bool ready) {
        const auto patched = kubectl({"patch", "pod", podName, "--subresource=status",
                                      "--type=merge", "-p", statusPatch(phase, ip, ready)});
        if (patched.exitCode != 0) {
            qWarning("%s", qPrintable(patched.err));
        }
        return patched.exitCode == 0;
    }
    std::multiset<std::string> eventReasons(const char* name) {
        const json events = kubectl.getJson({"get", "events", "--field-selector",
                                             QStringLiteral("involvedObject.name=%1").arg(name)});
        std::multiset<std::string> reasons;
        for (const json& event : events.value("items", json::array())) {
            reasons.insert(event.value("reason", std::string()));
        }
        return reasons;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
    }

    void createJobRunsItsPodToCompletion() {
        const auto created =
            kubectl(args({"create", "job", "hello", "--image=busybox", "--", "echo", "hi"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QCOMPARE(created.out.trimmed(), QStringLiteral("job.batch/hello created"));

        // The controller creates one pod, labelled and owned.
        json pods;
        QTRY_VERIFY_WITH_TIMEOUT(
            (pods = kubectl.getJson(args({"get", "pods", "-l", "job-name=hello"})))
                    .value("items", json::array())
                    .size() == 1,
            15000);
        const json& jobPod = pods["items"][0];
        QCOMPARE(jobPod["metadata"]["ownerReferences"][0]["kind"], json("Job"));
        QCOMPARE(jobPod["metadata"]["finalizers"],
                 json::array({"batch.kubernetes.io/job-tracking"}));
        const QString podName = QString::fromStdString(jobPod["metadata"]["name"]);
        QVERIFY(podName.startsWith(QStringLiteral("hello-")));

        QVERIFY(setStatus(podName, "Running", "10.0.9.1", true));
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl.getJson(args({"get", "job", "hello"})).value("/status/ready"_json_pointer, 0) ==
                1,
            15000);
        QVERIFY(setStatus(podName, "Succeeded", "10.0.9.1", false));

        const auto waited =
            kubectl(args({"wait", "--for=condition=complete", "job/hello", "--timeout=30s"}));
        QVERIFY2(waited.exitCode == 0, qPrintable(waited.err));
        QCOMPARE(waited.out.trimmed(), QStringLiteral("job.batch/hello condition met"));
        const json job = kubectl.getJson(args({"get", "job", "hello"}));
        QCOMPARE(job["status"]["succeeded"], json(1));
        QVERIFY(job["status"].contains("completionTime"));

        const auto table = kubectl(args({"get", "job", "hello"}));
        QVERIFY2(
            table.out.contains(QRegularExpression(QStringLiteral("hello\\s+Complete\\s+1/1\\s+"))),
            qPrintable(table.out));
        // The pod's tracking finalizer is gone once counted.
        QTRY_VERIFY_WITH_TIMEOUT(
            !kubectl.getJson({"get", "pod", podName})["metadata"].contains("finalizers"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(eventReasons("hello").count("Completed") == 1, 10000);
        QCOMPARE(eventReasons("hello").count("SuccessfulCreate"), 1u);
        const auto described = kubectl(args({"describe", "job", "hello"}));
        QVERIFY2(described.out.contains(QStringLiteral("Job completed")),
                 qPrintable(described.out));
    }

    void createCronJobAndAJobFromIt() {
        const auto created = kubectl(args({"create", "cronjob", "tick", "--image=busybox",
                                           "--schedule=*/5 * * * *", "--", "date"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QCOMPARE(created.out.trimmed(), QStringLiteral("cronjob.batch/tick created"));
        const json cronJob = kubectl.getJson(args({"get", "cronjob", "tick"}));
        QCOMPARE(cronJob["spec"]["schedule"], json("*/5 * * * *"));
        QCOMPARE(cronJob["spec"]["concurrencyPolicy"], json("Allow"));

        const auto manual = kubectl(args({"create", "job", "tick-now", "--from=cronjob/tick"}));
        QVERIFY2(manual.exitCode == 0, qPrintable(manual.err));
        QCOMPARE(manual.out.trimmed(), QStringLiteral("job.batch/tick-now created"));
        QTRY_VERIFY_WITH_TIMEOUT(kubectl.getJson(args({"get", "pods", "-l", "job-name=tick-now"}))
                                         .value("items", json::array())
                                         .size() == 1,
                                 15000);
        const auto table = kubectl(args({"get", "cronjob", "tick"}));
        QVERIFY2(table.out.contains(QRegularExpression(
                     QStringLiteral("tick\\s+\\*/5 \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+"))),
                 qPrintable(table.out));
    }

    void endpointsAndSlicesListReadyPods() {
        const auto service =
            kubectl(args({"create", "service", "clusterip", "web", "--tcp=80:http"}));
        QVERIFY2(service.exitCode == 0, qPrintable(service.err));
        for (const char* name : {"web-a", "web-b"}) {
            const auto applied = kubectl(args({"apply", "-f", "-"}), pod(name, "web"));
            QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        }
        QVERIFY(setStatus(QStringLiteral("web-a"), "Running", "10.0.0.11", true));
        QVERIFY(setStatus(QStringLiteral("web-b"), "Running", "10.0.0.12", true));

        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "endpoints", "web"}))
                                     .out.contains(QRegularExpression(QStringLiteral(
                                         "web\\s+10\\.0\\.0\\.11:8080,10\\.0\\.0\\.12:8080\\s+"))),
                                 15000);
        const json endpoints = kubectl.getJson(args({"get", "endpoints", "web"}));
        QCOMPARE(endpoints["subsets"][0]["addresses"].size(), 2u);
        QCOMPARE(endpoints["subsets"][0]["ports"][0]["port"], json(8080));

        json slices;
        QTRY_VERIFY_WITH_TIMEOUT(
            (slices = kubectl.getJson(
                 args({"get", "endpointslices", "-l", "kubernetes.io/service-name=web"})))
                        .value("items", json::array())
                        .size() == 1 &&
                slices["items"][0].value("endpoints", json::array()).size() == 2,
            15000);
        QCOMPARE(slices["items"][0]["addressType"], json("IPv4"));
        const auto table =
            kubectl(args({"get", "endpointslices", "-l", "kubernetes.io/service-name=web"}));
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral(
                     "web-\\w+\\s+IPv4\\s+8080\\s+10\\.0\\.0\\.11,10\\.0\\.0\\.12\\s+"))),
                 qPrintable(table.out));

        // Not ready: moves to notReadyAddresses and ready=false.
        QVERIFY(setStatus(QStringLiteral("web-b"), "Running", "10.0.0.12", false));
        QTRY_VERIFY_WITH_TIMEOUT(
            kubectl.getJson(args({"get", "endpoints", "web"}))
                    .value("/subsets/0/notReadyAddresses"_json_pointer, json::array())
                    .size() == 1,
            15000);
        const auto described = kubectl(args({"describe", "endpoints", "web"}));
        QVERIFY2(described.out.contains(QStringLiteral("NotReadyAddresses:  10.0.0.12")),
                 qPrintable(described.out));

        // Deleting the Service deletes its Endpoints.
        QCOMPARE(kubectl(args({"delete", "service", "web"})).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(kubectl(args({"get", "endpoints", "web"})).exitCode != 0, 15000);
    }
};

QTEST_GUILESS_MAIN(TstKubectlBatch)
#include "tst_kubectl_batch.moc"
