// SPDX-License-Identifier: Apache-2.0
// The real kubectl (1.32) against a slipwayd this test starts, on what the OpenAPI schemas
// give it: `kubectl explain`, and server-side field validation under apply's --validate modes
// and raw requests. Every command's stored objects are asserted, not just its exit code.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

QString s(const char* text) {
    return QString::fromUtf8(text);
}

/// A Deployment with an unknown field at the spec level and one inside a container.
QByteArray deploymentWithUnknownFields(const char* name, int replicas) {
    return QByteArray(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: )") +
           name +
           R"(
spec:
  replicas: )" +
           QByteArray::number(replicas) + R"(
  colour: blue
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        bogus: 1
)";
}

/// The lines of an explain output, each with its whitespace simplified.
QStringList lines(const QString& out) {
    QStringList result;
    for (const auto& line : out.split(QLatin1Char('\n'))) {
        result << line.simplified();
    }
    return result;
}

}  // namespace

class TstKubectlSchema : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    bool exists(const QString& kind, const QString& name) {
        return kubectl({s("get"), kind, name, s("-o"), s("name")}).exitCode == 0;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
    }

    void explainShowsFieldsAndTypes() {
        const auto strategy = kubectl({s("explain"), s("deployment.spec.strategy")});
        QVERIFY2(strategy.exitCode == 0, qPrintable(strategy.err));
        const QStringList strategyLines = lines(strategy.out);
        QVERIFY2(strategyLines.contains(s("GROUP: apps")), qPrintable(strategy.out));
        QVERIFY(strategyLines.contains(s("KIND: Deployment")));
        QVERIFY(strategyLines.contains(s("VERSION: v1")));
        QVERIFY(strategyLines.contains(s("FIELD: strategy <DeploymentStrategy>")));
        QVERIFY(strategyLines.contains(s("rollingUpdate <RollingUpdateDeployment>")));
        QVERIFY(strategyLines.contains(s("type <string>")));

        const auto protocol = kubectl({s("explain"), s("svc.spec.ports.protocol")});
        QVERIFY2(protocol.exitCode == 0, qPrintable(protocol.err));
        QVERIFY(lines(protocol.out).contains(s("KIND: Service")));
        QVERIFY2(lines(protocol.out).contains(s("FIELD: protocol <string>")),
                 qPrintable(protocol.out));

        const auto maxSurge =
            kubectl({s("explain"), s("deploy.spec.strategy.rollingUpdate.maxSurge")});
        QVERIFY2(lines(maxSurge.out).contains(s("FIELD: maxSurge <IntOrString>")),
                 qPrintable(maxSurge.out + maxSurge.err));
        const auto limits = kubectl({s("explain"), s("pod.spec.containers.resources.limits")});
        QVERIFY2(lines(limits.out).contains(s("FIELD: limits <map[string]Quantity>")),
                 qPrintable(limits.out + limits.err));

        const auto recursive = kubectl({s("explain"), s("pods"), s("--recursive")});
        QVERIFY2(recursive.exitCode == 0, qPrintable(recursive.err));
        const QStringList podLines = lines(recursive.out);
        for (const char* expected :
             {"KIND: Pod", "apiVersion <string>", "metadata <ObjectMeta>",
              "labels <map[string]string>", "creationTimestamp <string>", "spec <PodSpec>",
              "containers <[]Container>", "containerPort <integer>", "status <PodStatus>",
              "hostNetwork <boolean>"}) {
            QVERIFY2(podLines.contains(s(expected)), expected);
        }

        const auto unknown = kubectl({s("explain"), s("deployment.spec.colour")});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.contains(s("field \"colour\" does not exist")),
                 qPrintable(unknown.err));
    }

    void applyStrictRefusesUnknownFields() {
        const auto applied =
            kubectl({s("apply"), s("-f"), s("-")}, deploymentWithUnknownFields("strict", 1));
        QVERIFY(applied.exitCode != 0);
        QVERIFY2(applied.err.contains(
                     s("strict decoding error: unknown field \"spec.colour\", unknown field "
                       "\"spec.template.spec.containers[0].bogus\"")),
                 qPrintable(applied.err));
        QVERIFY(!exists(s("deployment"), s("strict")));
    }

    void applyWarnCreatesWithoutTheUnknownFields() {
        const auto applied = kubectl({s("apply"), s("--validate=warn"), s("-f"), s("-")},
                                     deploymentWithUnknownFields("warned", 1));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QVERIFY2(applied.err.contains(s("Warning: unknown field \"spec.colour\"")),
                 qPrintable(applied.err));
        QVERIFY(applied.err.contains(
            s("Warning: unknown field \"spec.template.spec.containers[0].bogus\"")));
        const json deployment = kubectl.getJson({s("get"), s("deployment"), s("warned")});
        QCOMPARE(deployment.at("spec").at("replicas").get<int>(), 1);
        QVERIFY(!deployment.at("spec").contains("colour"));
        const json& container = deployment.at("/spec/template/spec/containers/0"_json_pointer);
        QCOMPARE(container.at("image").get<std::string>(), std::string("nginx"));
        QVERIFY(!container.contains("bogus"));

        // The patch path: strict refuses the patched object, warn patches it.
        const auto strictPatch =
            kubectl({s("apply"), s("-f"), s("-")}, deploymentWithUnknownFields("warned", 2));
        QVERIFY(strictPatch.exitCode != 0);
        QVERIFY2(strictPatch.err.contains(s("unknown field \"spec.colour\"")),
                 qPrintable(strictPatch.err));
        QCOMPARE(kubectl.getJson({s("get"), s("deployment"), s("warned")})
                     .at("spec")
                     .at("replicas")
                     .get<int>(),
                 1);
        const auto warnPatch = kubectl({s("apply"), s("--validate=warn"), s("-f"), s("-")},
                                       deploymentWithUnknownFields("warned", 3));
        QVERIFY2(warnPatch.exitCode == 0, qPrintable(warnPatch.err));
        QVERIFY(warnPatch.err.contains(s("Warning: unknown field \"spec.colour\"")));
        const json patched = kubectl.getJson({s("get"), s("deployment"), s("warned")});
        QCOMPARE(patched.at("spec").at("replicas").get<int>(), 3);
        QVERIFY(!patched.at("spec").contains("colour"));
    }

    void applyWithoutValidationCreatesSilently() {
        const auto applied = kubectl({s("apply"), s("--validate=false"), s("-f"), s("-")},
                                     deploymentWithUnknownFields("unchecked", 2));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QVERIFY2(!applied.err.contains(s("Warning")), qPrintable(applied.err));
        const json deployment = kubectl.getJson({s("get"), s("deployment"), s("unchecked")});
        QCOMPARE(deployment.at("spec").at("replicas").get<int>(), 2);
        QVERIFY(!deployment.at("spec").contains("colour"));
        QVERIFY(!deployment.at("/spec/template/spec/containers/0"_json_pointer).contains("bogus"));
    }

    void patchWarnsByDefaultAndDropsTheUnknownField() {
        // kubectl patch sends no fieldValidation: the server's default, Warn.
        const auto patched =
            kubectl({s("patch"), s("deployment"), s("unchecked"), s("--type=merge"), s("-p"),
                     s(R"({"spec":{"paused":true,"nope":1}})")});
        QVERIFY2(patched.exitCode == 0, qPrintable(patched.err));
        QVERIFY2(patched.err.contains(s("Warning: unknown field \"spec.nope\"")),
                 qPrintable(patched.err));
        const json deployment = kubectl.getJson({s("get"), s("deployment"), s("unchecked")});
        QCOMPARE(deployment.at("spec").at("paused").get<bool>(), true);
        QVERIFY(!deployment.at("spec").contains("nope"));
    }

    void rawCreateWithDuplicateFields() {
        const QByteArray body =
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"dup"},)"
            R"("data":{"k":"1","k":"2"}})";
        const auto strict = kubectl(
            {s("create"), s("--raw"),
             s("/api/v1/namespaces/default/configmaps?fieldValidation=Strict"), s("-f"), s("-")},
            body);
        QVERIFY(strict.exitCode != 0);
        QVERIFY2(strict.err.contains(s("Error from server (BadRequest): strict decoding error: "
                                       "duplicate field \"metadata.name\", duplicate field "
                                       "\"data.k\"")),
                 qPrintable(strict.err));
        QVERIFY(!exists(s("configmap"), s("dup")));
        QVERIFY(!exists(s("configmap"), s("first")));

        // Without the parameter the default is Warn: created, the last value wins.
        const auto warned = kubectl(
            {s("create"), s("--raw"), s("/api/v1/namespaces/default/configmaps"), s("-f"), s("-")},
            body);
        QVERIFY2(warned.exitCode == 0, qPrintable(warned.err));
        QVERIFY2(warned.err.contains(s("Warning: duplicate field \"metadata.name\"")),
                 qPrintable(warned.err));
        const json configMap = kubectl.getJson({s("get"), s("configmap"), s("dup")});
        QCOMPARE(configMap.at("data").at("k").get<std::string>(), std::string("2"));

        const auto bad = kubectl(
            {s("create"), s("--raw"),
             s("/api/v1/namespaces/default/configmaps?fieldValidation=Loud"), s("-f"), s("-")},
            body);
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains(s("fieldValidation: Unsupported value: \"Loud\"")),
                 qPrintable(bad.err));
    }

    void writesOfTheWrongTypeAreRefused() {
        const QString collection = s("/api/v1/namespaces/default/configmaps");
        const auto created =
            kubectl({s("create"), s("--raw"), collection, s("-f"), s("-")},
                    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typed",)"
                    R"("ownerReferences":{"a":1}},"data":{"k":5}})");
        QVERIFY(created.exitCode != 0);
        QVERIFY2(created.err.contains(
                     s("Error from server (BadRequest): ConfigMap in version \"v1\" cannot be "
                       "handled as a ConfigMap: json: cannot unmarshal object into Go struct "
                       "field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference")),
                 qPrintable(created.err));
        QVERIFY(!exists(s("configmap"), s("typed")));

        const auto good = kubectl(
            {s("create"), s("--raw"), collection, s("-f"), s("-")},
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typed"},"data":{"k":"v"}})");
        QVERIFY2(good.exitCode == 0, qPrintable(good.err));
        const json before = kubectl.getJson({s("get"), s("configmap"), s("typed")});

        const auto replaced = kubectl(
            {s("replace"), s("--raw"), collection + s("/typed"), s("-f"), s("-")},
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typed"},"data":{"k":5}})");
        QVERIFY(replaced.exitCode != 0);
        QVERIFY2(replaced.err.contains(
                     s("Error from server (BadRequest): ConfigMap in version \"v1\" cannot be "
                       "handled as a ConfigMap: json: cannot unmarshal number into Go struct "
                       "field ConfigMap.data of type string")),
                 qPrintable(replaced.err));

        const auto merged = kubectl({s("patch"), s("configmap"), s("typed"), s("--type=merge"),
                                     s("-p"), s(R"({"data":{"k":5}})")});
        QVERIFY(merged.exitCode != 0);
        QVERIFY2(merged.err.contains(s("json: cannot unmarshal number into Go struct field "
                                       "ConfigMap.data of type string")),
                 qPrintable(merged.err));
        const auto strategic =
            kubectl({s("patch"), s("configmap"), s("typed"), s("-p"), s(R"({"data":{"k":5}})")});
        QVERIFY(strategic.exitCode != 0);
        QVERIFY2(strategic.err.contains(s("patch: Invalid value: \"map[data:map[k:5]]\": cannot "
                                          "convert int64 to string")),
                 qPrintable(strategic.err));

        // Nothing changed: same data, same resourceVersion.
        const json after = kubectl.getJson({s("get"), s("configmap"), s("typed")});
        QCOMPARE(after, before);
    }

    void openApiV2IsJsonOnly() {
        const auto v2 = kubectl({s("get"), s("--raw"), s("/openapi/v2")});
        QVERIFY2(v2.exitCode == 0, qPrintable(v2.err));
        const json swagger = json::parse(v2.out.toStdString());
        QCOMPARE(swagger.at("swagger").get<std::string>(), std::string("2.0"));
        const json& replicas = swagger.at("definitions")
                                   .at("io.k8s.api.apps.v1.DeploymentSpec")
                                   .at("properties")
                                   .at("replicas");
        QCOMPARE(replicas.at("type").get<std::string>(), std::string("integer"));
        QCOMPARE(swagger.at("definitions")
                     .at("io.k8s.api.apps.v1.DeploymentSpec")
                     .at("properties")
                     .at("template")
                     .at("$ref")
                     .get<std::string>(),
                 std::string("#/definitions/io.k8s.api.core.v1.PodTemplateSpec"));
    }
};

QTEST_GUILESS_MAIN(TstKubectlSchema)
#include "tst_kubectl_schema.moc"
