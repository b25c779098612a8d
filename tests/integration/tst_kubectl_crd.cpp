// SPDX-License-Identifier: Apache-2.0
// CustomResourceDefinitions end to end: the real kubectl (1.32) applies a CRD, waits for it to
// be Established, and drives its custom resources (apply, get with printer columns, patch,
// scale, delete) against a slipwayd this test starts; CRDs survive a restart, and deleting a
// CRD deletes its custom resources. Every command's outcome is asserted, not only its code.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

const QByteArray kCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
    - name: Color
      type: string
      jsonPath: .spec.color
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1, maximum: 10}
              color: {type: string, enum: [red, blue, green], default: red}
              replicas: {type: integer, minimum: 0}
          status:
            type: object
            properties:
              replicas: {type: integer}
)";

const QByteArray kWidget = R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: default
spec:
  size: 3
  replicas: 1
)";

}  // namespace

class TstKubectlCrd : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    json widget(const char* name) {
        return kubectl.getJson(args({"get", "widget", name, "-n", "default"}));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
    }

    void applyCrdAndWaitForEstablished() {
        const auto applied = kubectl(args({"apply", "-f", "-"}), kCrd);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QCOMPARE(applied.out.trimmed(),
                 QStringLiteral(
                     "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"));
        const auto waited = kubectl(args(
            {"wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=60s"}));
        QVERIFY2(waited.exitCode == 0, qPrintable(waited.err));
        QCOMPARE(waited.out.trimmed(),
                 QStringLiteral("customresourcedefinition.apiextensions.k8s.io/widgets.example.com "
                                "condition met"));

        const json crd = kubectl.getJson(args({"get", "crd", "widgets.example.com"}));
        QCOMPARE(crd["status"]["acceptedNames"]["kind"], json("Widget"));
        QCOMPARE(crd["status"]["acceptedNames"]["shortNames"], json::array({"wd"}));
        QCOMPARE(crd["status"]["storedVersions"], json::array({"v1"}));
        QCOMPARE(crd["spec"]["names"]["listKind"], json("WidgetList"));

        const auto table = kubectl(args({"get", "crd"}));
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral(
                     "NAME\\s+CREATED AT\\n(.*\\n)*widgets\\.example\\.com\\s+\\d{4}-"))),
                 qPrintable(table.out));

        const auto resources = kubectl(args({"api-resources", "--api-group=example.com"}));
        QCOMPARE(resources.exitCode, 0);
        QVERIFY2(resources.out.contains(QRegularExpression(
                     QStringLiteral("^widgets\\s+wd\\s+example\\.com/v1\\s+true\\s+Widget$"),
                     QRegularExpression::MultilineOption)),
                 qPrintable(resources.out));
    }

    void anInvalidCrdIsRefusedWithKubesCauses() {
        QByteArray bad = kCrd;
        bad.replace("group: example.com", "group: example");
        const auto refused = kubectl(args({"apply", "-f", "-"}), bad);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "spec.group: Invalid value: \"example\": should be a domain with at least "
                     "one dot")),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "metadata.name: Invalid value: \"widgets.example.com\": must be "
                     "spec.names.plural+\".\"+spec.group")),
                 qPrintable(refused.err));
    }

    void applyCreatesAndUpdatesACustomResource() {
        const auto created = kubectl(args({"apply", "-f", "-"}), kWidget);
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QCOMPARE(created.out.trimmed(), QStringLiteral("widget.example.com/w1 created"));
        json w1 = widget("w1");
        QCOMPARE(w1["spec"]["color"], json("red"));  // the schema's default
        QCOMPARE(w1["metadata"]["generation"], json(1));
        QVERIFY(!w1.contains("status"));

        // A 3-way update: kubectl computes a JSON merge patch for a custom resource.
        QByteArray changed = kWidget;
        changed.replace("size: 3", "size: 4\n  color: blue");
        const auto updated = kubectl(args({"apply", "-f", "-"}), changed);
        QVERIFY2(updated.exitCode == 0, qPrintable(updated.err));
        QCOMPARE(updated.out.trimmed(), QStringLiteral("widget.example.com/w1 configured"));
        w1 = widget("w1");
        QCOMPARE(w1["spec"]["size"], json(4));
        QCOMPARE(w1["spec"]["color"], json("blue"));
        QCOMPARE(w1["metadata"]["generation"], json(2));

        // Removing the field from the file removes it from the object, and the default
        // returns.
        const auto reverted = kubectl(args({"apply", "-f", "-"}), kWidget);
        QVERIFY2(reverted.exitCode == 0, qPrintable(reverted.err));
        w1 = widget("w1");
        QCOMPARE(w1["spec"]["size"], json(3));
        QCOMPARE(w1["spec"]["color"], json("red"));
    }

    void schemaViolationsAreRefused() {
        QByteArray bad = kWidget;
        bad.replace("name: w1", "name: w2").replace("size: 3", "size: 11\n  color: pink");
        const auto refused = kubectl(args({"apply", "-f", "-"}), bad);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("The Widget \"w2\" is invalid:")),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "spec.size: Invalid value: 11: spec.size in body should be less than or "
                     "equal to 10")),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "spec.color: Unsupported value: \"pink\": supported values: \"red\", "
                     "\"blue\", \"green\"")),
                 qPrintable(refused.err));
        const auto gone = kubectl(args({"get", "widget", "w2", "-n", "default"}));
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains(QStringLiteral("NotFound")));
    }

    void getPrintsTheColumnsOfTheCrd() {
        const auto table = kubectl(args({"get", "widgets", "-n", "default"}));
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QRegularExpression(
                     QStringLiteral("^NAME\\s+SIZE\\s+COLOR\\s+AGE\\nw1\\s+3\\s+red\\s+\\d+s$"),
                     QRegularExpression::MultilineOption)),
                 qPrintable(table.out));
        const auto short_ = kubectl(args({"get", "wd", "-n", "default", "-o", "name"}));
        QCOMPARE(short_.out.trimmed(), QStringLiteral("widget.example.com/w1"));
        const auto yaml = kubectl(args({"get", "widget", "w1", "-n", "default", "-o", "yaml"}));
        QCOMPARE(yaml.exitCode, 0);
        QVERIFY2(yaml.out.contains(QStringLiteral("apiVersion: example.com/v1\nkind: Widget\n")),
                 qPrintable(yaml.out));
        QVERIFY(yaml.out.contains(QStringLiteral("  size: 3\n")));
    }

    void patchMergeAndRefuseStrategic() {
        const auto merged = kubectl(args({"patch", "widget", "w1", "-n", "default", "--type=merge",
                                          "-p", R"({"spec":{"color":"green"}})"}));
        QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
        QCOMPARE(merged.out.trimmed(), QStringLiteral("widget.example.com/w1 patched"));
        QCOMPARE(widget("w1")["spec"]["color"], json("green"));

        const auto jsonPatch =
            kubectl(args({"patch", "widget", "w1", "-n", "default", "--type=json", "-p",
                          R"([{"op":"replace","path":"/spec/size","value":5}])"}));
        QVERIFY2(jsonPatch.exitCode == 0, qPrintable(jsonPatch.err));
        QCOMPARE(widget("w1")["spec"]["size"], json(5));

        // kubectl patch defaults to a strategic merge patch: a custom resource refuses it (415).
        const auto strategic = kubectl(
            args({"patch", "widget", "w1", "-n", "default", "-p", R"({"spec":{"size":6}})"}));
        QCOMPARE(strategic.exitCode, 1);
        QVERIFY2(strategic.err.contains(QStringLiteral("the body of the request was in an unknown "
                                                       "format")),
                 qPrintable(strategic.err));
        QCOMPARE(widget("w1")["spec"]["size"], json(5));
    }

    void statusIsASubresource() {
        // Status written through the main resource is ignored; through /status it is kept,
        // and the generation does not move.
        const auto ignored = kubectl(args({"patch", "widget", "w1", "-n", "default", "--type=merge",
                                           "-p", R"({"status":{"replicas":9}})"}));
        QVERIFY2(ignored.exitCode == 0, qPrintable(ignored.err));
        const json before = widget("w1");
        QVERIFY(!before.contains("status"));
        const auto status =
            kubectl(args({"patch", "widget", "w1", "-n", "default", "--subresource=status",
                          "--type=merge", "-p", R"({"status":{"replicas":1}})"}));
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const json after = widget("w1");
        QCOMPARE(after["status"]["replicas"], json(1));
        QCOMPARE(after["metadata"]["generation"], before["metadata"]["generation"]);
    }

    void scaleThroughTheScaleSubresource() {
        const auto scaled =
            kubectl(args({"scale", "widget", "w1", "-n", "default", "--replicas=4"}));
        QVERIFY2(scaled.exitCode == 0, qPrintable(scaled.err));
        QCOMPARE(scaled.out.trimmed(), QStringLiteral("widget.example.com/w1 scaled"));
        QCOMPARE(widget("w1")["spec"]["replicas"], json(4));
        // --current-replicas reads the Scale (status.replicas is 1) and PUTs it.
        const auto conditional = kubectl(args(
            {"scale", "widget", "w1", "-n", "default", "--current-replicas=4", "--replicas=2"}));
        QVERIFY2(conditional.exitCode == 0, qPrintable(conditional.err));
        QCOMPARE(widget("w1")["spec"]["replicas"], json(2));
    }

    void watchPrintsRowsWithTheCrdsColumns() {
        QProcess watcher;
        watcher.setProcessEnvironment(kubectl.environment());
        watcher.start(testing::Kubectl::path(),
                      args({"get", "widgets", "-n", "default", "-w", "--output-watch-events"}));
        QVERIFY(watcher.waitForStarted());
        QByteArray seen;
        // The initial list comes first, with w1.
        QTRY_VERIFY_WITH_TIMEOUT((seen += watcher.readAllStandardOutput()).contains("w1"), 20000);
        QByteArray w3 = kWidget;
        w3.replace("name: w1", "name: w3\n  labels: {tier: tmp}").replace("size: 3", "size: 2");
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), w3).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            QRegularExpression(QStringLiteral("ADDED\\s+w3\\s+2\\s+red\\s+\\d+s"))
                .match(QString::fromUtf8(seen += watcher.readAllStandardOutput()))
                .hasMatch(),
            20000);
        const auto deleted =
            kubectl(args({"delete", "widgets", "-n", "default", "-l", "tier=tmp"}));
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        QCOMPARE(deleted.out.trimmed(), QStringLiteral("widget.example.com \"w3\" deleted"));
        QTRY_VERIFY_WITH_TIMEOUT(
            QRegularExpression(QStringLiteral("DELETED\\s+w3"))
                .match(QString::fromUtf8(seen += watcher.readAllStandardOutput()))
                .hasMatch(),
            20000);
        watcher.kill();
        watcher.waitForFinished();
        const json left = kubectl.getJson(args({"get", "widgets", "-n", "default"}));
        QCOMPARE(left["items"].size(), std::size_t(1));
        QCOMPARE(left["items"][0]["metadata"]["name"], json("w1"));
    }

    void crdsSurviveARestart() {
        QCOMPARE(m_server.terminate(), 0);
        QVERIFY(m_server.start());
        // Served as soon as the server is up: no waiting.
        const auto table = kubectl(args({"get", "widgets", "-n", "default", "--no-headers"}));
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral("^w1\\s+5\\s+green\\s+"))),
                 qPrintable(table.out));
        const auto established =
            kubectl(args({"get", "crd", "widgets.example.com", "-o",
                          "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"}));
        QCOMPARE(established.out, QStringLiteral("True"));
    }

    void deletingTheCrdDeletesItsCustomResources() {
        QByteArray second = kWidget;
        second.replace("name: w1", "name: w2")
            .replace("namespace: default", "namespace: kube-public");
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), second).exitCode, 0);
        const auto deleted = kubectl(args({"delete", "crd", "widgets.example.com"}));
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        QCOMPARE(
            deleted.out.trimmed(),
            QStringLiteral("customresourcedefinition.apiextensions.k8s.io \"widgets.example.com\" "
                           "deleted"));
        const auto gone = kubectl(args({"get", "crd", "widgets.example.com"}));
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains(QStringLiteral("NotFound")), qPrintable(gone.err));

        // The custom resources went with it: recreate the CRD and find none.
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kCrd).exitCode, 0);
        QCOMPARE(kubectl(args({"wait", "--for=condition=Established", "crd/widgets.example.com",
                               "--timeout=60s"}))
                     .exitCode,
                 0);
        const json widgets = kubectl.getJson(args({"get", "widgets", "--all-namespaces"}));
        QVERIFY(widgets.is_object());
        QCOMPARE(widgets["items"].size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TstKubectlCrd)
#include "tst_kubectl_crd.moc"
