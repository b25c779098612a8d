// SPDX-License-Identifier: Apache-2.0
// The real kubectl (1.32) against a slipwayd this test starts: every command asserts the
// objects it leaves, not just its exit code.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;

class TstKubectl : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    json getJson(const QStringList& arguments) { return kubectl.getJson(arguments); }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
    }

    void discoveryListsTheServedKinds() {
        const auto versions = kubectl({QStringLiteral("api-versions")});
        QCOMPARE(versions.exitCode, 0);
        for (const char* expected : {"v1", "apps/v1", "batch/v1", "networking.k8s.io/v1",
                                     "rbac.authorization.k8s.io/v1"}) {
            QVERIFY2(versions.out.split(QLatin1Char('\n')).contains(QString::fromLatin1(expected)),
                     expected);
        }
        const auto resources =
            kubectl({QStringLiteral("api-resources"), QStringLiteral("--no-headers")});
        QCOMPARE(resources.exitCode, 0);
        QVERIFY(resources.out.contains(QRegularExpression(
            QStringLiteral("^deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment$"),
            QRegularExpression::MultilineOption)));
        QVERIFY(resources.out.contains(
            QRegularExpression(QStringLiteral("^pods\\s+po\\s+v1\\s+true\\s+Pod$"),
                               QRegularExpression::MultilineOption)));
    }

    void everyListableKindPrints() {
        const auto names = kubectl({QStringLiteral("api-resources"), QStringLiteral("--verbs=list"),
                                    QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(names.exitCode, 0);
        const auto resources = names.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(resources.size() >= 37);
        for (const auto& resource : resources) {
            // kubectl get asks for a server-side Table; -o wide adds the wide columns.
            const auto table = kubectl({QStringLiteral("get"), resource, QStringLiteral("-A"),
                                        QStringLiteral("-o"), QStringLiteral("wide")});
            QVERIFY2(table.exitCode == 0, qPrintable(resource + QStringLiteral(": ") + table.err));
        }
        const auto namespaces = kubectl({QStringLiteral("get"), QStringLiteral("namespaces")});
        QVERIFY(
            namespaces.out.contains(QRegularExpression(QStringLiteral("NAME\\s+STATUS\\s+AGE"))));
    }

    void defaultNamespacesExist() {
        const auto namespaces = getJson({QStringLiteral("get"), QStringLiteral("namespaces")});
        QStringList names;
        for (const auto& item : namespaces.at("items")) {
            names << QString::fromStdString(item.at("metadata").at("name").get<std::string>());
        }
        for (const char* expected : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            QVERIFY2(names.contains(QString::fromLatin1(expected)), expected);
        }
    }

    void createGetLabelAnnotateDelete() {
        QCOMPARE(
            kubectl({QStringLiteral("create"), QStringLiteral("namespace"), QStringLiteral("demo")})
                .exitCode,
            0);
        const auto ns =
            getJson({QStringLiteral("get"), QStringLiteral("namespace"), QStringLiteral("demo")});
        QCOMPARE(ns.at("status").at("phase").get<std::string>(), std::string("Active"));
        QVERIFY(!ns.at("metadata").at("uid").get<std::string>().empty());

        const auto created =
            kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                     QStringLiteral("app-config"), QStringLiteral("-n"), QStringLiteral("demo"),
                     QStringLiteral("--from-literal=color=blue")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        auto cm =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("app-config"),
                     QStringLiteral("-n"), QStringLiteral("demo")});
        QCOMPARE(cm.at("data").at("color").get<std::string>(), std::string("blue"));

        // Server-side printing: kubectl's own columns.
        const auto table = kubectl({QStringLiteral("get"), QStringLiteral("configmaps"),
                                    QStringLiteral("-n"), QStringLiteral("demo")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral("NAME\\s+DATA\\s+AGE"))),
                 qPrintable(table.out));
        QVERIFY(table.out.contains(QRegularExpression(QStringLiteral("app-config\\s+1\\s+\\d+s"))));

        QCOMPARE(
            kubectl({QStringLiteral("label"), QStringLiteral("cm"), QStringLiteral("app-config"),
                     QStringLiteral("-n"), QStringLiteral("demo"), QStringLiteral("tier=web")})
                .exitCode,
            0);
        QCOMPARE(
            kubectl({QStringLiteral("annotate"), QStringLiteral("cm"), QStringLiteral("app-config"),
                     QStringLiteral("-n"), QStringLiteral("demo"), QStringLiteral("owner=jane")})
                .exitCode,
            0);
        const auto selected =
            kubectl({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("-n"),
                     QStringLiteral("demo"), QStringLiteral("-l"), QStringLiteral("tier=web"),
                     QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(selected.out.trimmed(), QStringLiteral("configmap/app-config"));
        const auto none =
            kubectl({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("-n"),
                     QStringLiteral("demo"), QStringLiteral("-l"), QStringLiteral("tier!=web"),
                     QStringLiteral("-o"), QStringLiteral("name")});
        QVERIFY(!none.out.contains(QStringLiteral("app-config")));
        cm = getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("app-config"),
                      QStringLiteral("-n"), QStringLiteral("demo")});
        QCOMPARE(cm.at("metadata").at("annotations").at("owner").get<std::string>(),
                 std::string("jane"));

        QCOMPARE(
            kubectl({QStringLiteral("delete"), QStringLiteral("cm"), QStringLiteral("app-config"),
                     QStringLiteral("-n"), QStringLiteral("demo")})
                .exitCode,
            0);
        const auto gone =
            kubectl({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("app-config"),
                     QStringLiteral("-n"), QStringLiteral("demo")});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains(QStringLiteral("NotFound")), qPrintable(gone.err));
    }

    void patchesOfAllThreeTypes() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("p"), QStringLiteral("--from-literal=a=1")})
                     .exitCode,
                 0);
        QCOMPARE(kubectl({QStringLiteral("patch"), QStringLiteral("cm"), QStringLiteral("p"),
                          QStringLiteral("--type"), QStringLiteral("merge"), QStringLiteral("-p"),
                          QStringLiteral("{\"data\":{\"b\":\"2\"}}")})
                     .exitCode,
                 0);
        QCOMPARE(kubectl({QStringLiteral("patch"), QStringLiteral("cm"), QStringLiteral("p"),
                          QStringLiteral("--type"), QStringLiteral("json"), QStringLiteral("-p"),
                          QStringLiteral("[{\"op\":\"remove\",\"path\":\"/data/a\"}]")})
                     .exitCode,
                 0);
        const auto cm = getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("p")});
        QCOMPARE(cm.at("data"), json({{"b", "2"}}));

        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("deployment"),
                          QStringLiteral("web"), QStringLiteral("--image=nginx:1.27")})
                     .exitCode,
                 0);
        const auto patched =
            kubectl({QStringLiteral("patch"), QStringLiteral("deployment"), QStringLiteral("web"),
                     QStringLiteral("-p"),
                     QStringLiteral("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":"
                                    "\"nginx\",\"image\":\"nginx:1.28\"}]}}}}")});
        QVERIFY2(patched.exitCode == 0, qPrintable(patched.err));
        const auto deployment =
            getJson({QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("web")});
        const auto& containers = deployment.at("spec").at("template").at("spec").at("containers");
        QCOMPARE(containers.size(), std::size_t(1));
        QCOMPARE(containers[0].at("image").get<std::string>(), std::string("nginx:1.28"));
        // Strategic merge kept the defaulted fields of the merged container.
        QCOMPARE(containers[0].at("imagePullPolicy").get<std::string>(),
                 std::string("IfNotPresent"));
        QCOMPARE(deployment.at("metadata").at("generation").get<int>(), 2);
    }

    void deploymentsAreDefaultedAndScaled() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("deployment"),
                          QStringLiteral("scaled"), QStringLiteral("--image=nginx")})
                     .exitCode,
                 0);
        auto deployment = getJson(
            {QStringLiteral("get"), QStringLiteral("deployment"), QStringLiteral("scaled")});
        QCOMPARE(deployment.at("spec")
                     .at("strategy")
                     .at("rollingUpdate")
                     .at("maxSurge")
                     .get<std::string>(),
                 std::string("25%"));
        QCOMPARE(deployment.at("spec").at("revisionHistoryLimit").get<int>(), 10);
        QCOMPARE(deployment.at("spec").at("progressDeadlineSeconds").get<int>(), 600);
        QCOMPARE(deployment.at("metadata").at("generation").get<int>(), 1);

        const auto scaled = kubectl({QStringLiteral("scale"), QStringLiteral("deployment"),
                                     QStringLiteral("scaled"), QStringLiteral("--replicas=3")});
        QVERIFY2(scaled.exitCode == 0, qPrintable(scaled.err));
        deployment = getJson(
            {QStringLiteral("get"), QStringLiteral("deployment"), QStringLiteral("scaled")});
        QCOMPARE(deployment.at("spec").at("replicas").get<int>(), 3);
        QCOMPARE(deployment.at("metadata").at("generation").get<int>(), 2);

        // --current-replicas takes the PUT path with a precondition.
        const auto stale = kubectl(
            {QStringLiteral("scale"), QStringLiteral("deployment"), QStringLiteral("scaled"),
             QStringLiteral("--current-replicas=2"), QStringLiteral("--replicas=5")});
        QVERIFY(stale.exitCode != 0);
        const auto fresh = kubectl(
            {QStringLiteral("scale"), QStringLiteral("deployment"), QStringLiteral("scaled"),
             QStringLiteral("--current-replicas=3"), QStringLiteral("--replicas=5")});
        QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.err));
        deployment = getJson(
            {QStringLiteral("get"), QStringLiteral("deployment"), QStringLiteral("scaled")});
        QCOMPARE(deployment.at("spec").at("replicas").get<int>(), 5);
    }

    void watchSeesChanges() {
        QProcess watcher;
        watcher.setProcessEnvironment(kubectl.environment());
        watcher.start(testing::Kubectl::path(),
                      {QStringLiteral("get"), QStringLiteral("configmaps"), QStringLiteral("-w"),
                       QStringLiteral("--output-watch-events")});
        QVERIFY(watcher.waitForStarted());
        QByteArray seen;
        // The initial list prints first: wait for it (kube-root-ca.crt is not served yet, so
        // wait for the header or an existing configmap).
        QTRY_VERIFY_WITH_TIMEOUT((seen += watcher.readAllStandardOutput()).contains("p"), 20000);
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("watched")})
                     .exitCode,
                 0);
        // --output-watch-events prints "ADDED" for the listed items too: wait for the new one.
        QTRY_VERIFY_WITH_TIMEOUT(
            (seen += watcher.readAllStandardOutput()).contains(QByteArrayLiteral("watched")),
            20000);
        QVERIFY(QRegularExpression(QStringLiteral("ADDED\\s+watched"))
                    .match(QString::fromUtf8(seen))
                    .hasMatch());
        QCOMPARE(kubectl({QStringLiteral("delete"), QStringLiteral("configmap"),
                          QStringLiteral("watched")})
                     .exitCode,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            QRegularExpression(QStringLiteral("DELETED\\s+watched"))
                .match(QString::fromUtf8(seen += watcher.readAllStandardOutput()))
                .hasMatch(),
            20000);
        watcher.kill();
        watcher.waitForFinished();
    }

    void badInputGetsKubernetesStatuses() {
        const auto invalid = kubectl(
            {QStringLiteral("create"), QStringLiteral("configmap"), QStringLiteral("Bad_Name")});
        QVERIFY(invalid.exitCode != 0);
        QVERIFY2(invalid.err.contains(QStringLiteral("is invalid")), qPrintable(invalid.err));
        QVERIFY(invalid.err.contains(QStringLiteral("metadata.name")));

        const auto duplicate =
            kubectl({QStringLiteral("create"), QStringLiteral("configmap"), QStringLiteral("p")});
        QVERIFY(duplicate.exitCode != 0);
        QVERIFY2(duplicate.err.contains(QStringLiteral("configmaps \"p\" already exists")),
                 qPrintable(duplicate.err));

        const auto missingNamespace =
            kubectl({QStringLiteral("create"), QStringLiteral("configmap"), QStringLiteral("x"),
                     QStringLiteral("-n"), QStringLiteral("nowhere")});
        QVERIFY(missingNamespace.exitCode != 0);
        QVERIFY(missingNamespace.err.contains(QStringLiteral("namespaces \"nowhere\" not found")));

        // A stale resourceVersion on replace is a Conflict, and the object keeps its data.
        auto cm = getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("p")});
        cm["metadata"]["resourceVersion"] = "1";
        cm["data"]["b"] = "lost";
        const auto conflict =
            kubectl({QStringLiteral("replace"), QStringLiteral("-f"), QStringLiteral("-")},
                    QByteArray::fromStdString(cm.dump()));
        QVERIFY(conflict.exitCode != 0);
        QVERIFY2(conflict.err.contains(QStringLiteral("the object has been modified")),
                 qPrintable(conflict.err));
        QCOMPARE(getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("p")})
                     .at("data")
                     .at("b")
                     .get<std::string>(),
                 std::string("2"));
    }

    /// A ConfigMap "owner" with two dependents pointing at it, in `ns`.
    void createOwnerAndDependents(const QString& ns) {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("owner"), QStringLiteral("-n"), ns})
                     .exitCode,
                 0);
        const auto owner = getJson({QStringLiteral("get"), QStringLiteral("cm"),
                                    QStringLiteral("owner"), QStringLiteral("-n"), ns});
        const std::string uid = owner.at("metadata").at("uid").get<std::string>();
        for (const char* name : {"d1", "d2"}) {
            const json dependent = {{"apiVersion", "v1"},
                                    {"kind", "ConfigMap"},
                                    {"metadata",
                                     {{"name", name},
                                      {"ownerReferences",
                                       {{{"apiVersion", "v1"},
                                         {"kind", "ConfigMap"},
                                         {"name", "owner"},
                                         {"uid", uid},
                                         {"blockOwnerDeletion", true}}}}}}};
            const auto applied = kubectl({QStringLiteral("apply"), QStringLiteral("-n"), ns,
                                          QStringLiteral("-f"), QStringLiteral("-")},
                                         QByteArray::fromStdString(dependent.dump()));
            QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        }
    }

    QStringList configMapNames(const QString& ns) {
        QStringList names;
        const auto list =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("-n"), ns});
        for (const auto& item : list.value("items", json::array())) {
            const std::string name = item.at("metadata").at("name").get<std::string>();
            if (name != "kube-root-ca.crt") {  // the root-CA publisher's, in every namespace
                names << QString::fromStdString(name);
            }
        }
        names.sort();
        return names;
    }

    void deleteCascadesAsAsked_data() {
        QTest::addColumn<QString>("cascade");
        QTest::addColumn<QStringList>("left");
        QTest::newRow("background") << QStringLiteral("background") << QStringList{};
        QTest::newRow("foreground") << QStringLiteral("foreground") << QStringList{};
        QTest::newRow("orphan") << QStringLiteral("orphan")
                                << QStringList{QStringLiteral("d1"), QStringLiteral("d2")};
    }

    void deleteCascadesAsAsked() {
        QFETCH(QString, cascade);
        QFETCH(QStringList, left);
        const QString ns = QStringLiteral("gc-") + cascade;
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("namespace"), ns}).exitCode, 0);
        createOwnerAndDependents(ns);
        const auto deleted =
            kubectl({QStringLiteral("delete"), QStringLiteral("cm"), QStringLiteral("owner"),
                     QStringLiteral("-n"), ns, QStringLiteral("--cascade=") + cascade});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        // The garbage collector works after kubectl returns (except for foreground, which
        // kubectl's --wait covers): wait for the outcome.
        QTRY_COMPARE_WITH_TIMEOUT(configMapNames(ns), left, 15000);
        for (const auto& name : left) {
            const auto dependent = getJson(
                {QStringLiteral("get"), QStringLiteral("cm"), name, QStringLiteral("-n"), ns});
            QVERIFY(!dependent.at("metadata").contains("ownerReferences"));
        }
    }

    void deletingANamespaceEmptiesIt() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("namespace"),
                          QStringLiteral("doomed")})
                     .exitCode,
                 0);
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("c"), QStringLiteral("-n"), QStringLiteral("doomed")})
                     .exitCode,
                 0);
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("deployment"),
                          QStringLiteral("web"), QStringLiteral("--image=nginx"),
                          QStringLiteral("-n"), QStringLiteral("doomed")})
                     .exitCode,
                 0);
        // kubectl waits until the namespace is gone: the controller emptied and finalized it.
        const auto deleted = kubectl({QStringLiteral("delete"), QStringLiteral("namespace"),
                                      QStringLiteral("doomed"), QStringLiteral("--timeout=30s")});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        const auto gone =
            kubectl({QStringLiteral("get"), QStringLiteral("namespace"), QStringLiteral("doomed")});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains(QStringLiteral("NotFound")));
        // Nothing of it survives to reappear in a namespace of the same name.
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("namespace"),
                          QStringLiteral("doomed")})
                     .exitCode,
                 0);
        QCOMPARE(configMapNames(QStringLiteral("doomed")), QStringList{});
        const auto deployments = getJson({QStringLiteral("get"), QStringLiteral("deployments"),
                                          QStringLiteral("-n"), QStringLiteral("doomed")});
        QCOMPARE(deployments.at("items").size(), std::size_t(0));
    }

    void describeShowsWhatKubectlPrints() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("deployment"),
                          QStringLiteral("described"), QStringLiteral("--image=nginx:1.27"),
                          QStringLiteral("--replicas=3")})
                     .exitCode,
                 0);
        const auto described = kubectl({QStringLiteral("describe"), QStringLiteral("deployment"),
                                        QStringLiteral("described")});
        QVERIFY2(described.exitCode == 0, qPrintable(described.err));
        for (const char* line :
             {"^Name:\\s+described$", "^Namespace:\\s+default$", "^Selector:\\s+app=described$",
              // The deployment controller is at work meanwhile: any counts.
              "^Replicas:\\s+3 desired \\| \\d+ updated \\| \\d+ total \\| \\d+ available \\| "
              "\\d+ unavailable$",
              "^StrategyType:\\s+RollingUpdate$",
              "^RollingUpdateStrategy:\\s+25% max unavailable, 25% max surge$", "^\\s+nginx:$",
              "^\\s+Image:\\s+nginx:1.27$"}) {
            QVERIFY2(described.out.contains(QRegularExpression(
                         QString::fromLatin1(line), QRegularExpression::MultilineOption)),
                     qPrintable(QStringLiteral("%1 not in:\n%2")
                                    .arg(QString::fromLatin1(line), described.out)));
        }
        const auto ns = kubectl(
            {QStringLiteral("describe"), QStringLiteral("namespace"), QStringLiteral("default")});
        QCOMPARE(ns.exitCode, 0);
        QVERIFY(ns.out.contains(QRegularExpression(QStringLiteral("^Status:\\s+Active$"),
                                                   QRegularExpression::MultilineOption)));
    }

    void editThroughKubeEditor() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("edited"), QStringLiteral("--from-literal=color=blue")})
                     .exitCode,
                 0);
        // An "editor" that changes the value in the file kubectl hands it.
        QTemporaryDir tools;
        const QString editor = tools.filePath(QStringLiteral("editor"));
        QFile script(editor);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
        script.close();
        QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                      QFileDevice::ExeOwner));
        kubectl.setEnvironment(QStringLiteral("KUBE_EDITOR"), editor);
        const auto edited = kubectl(
            {QStringLiteral("edit"), QStringLiteral("configmap"), QStringLiteral("edited")});
        QVERIFY2(edited.exitCode == 0, qPrintable(edited.err));
        QVERIFY(edited.out.contains(QStringLiteral("configmap/edited edited")));
        const auto cm =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("edited")});
        QCOMPARE(cm.at("data").at("color").get<std::string>(), std::string("green"));

        // An edit the server refuses changes nothing: kubectl reports it and fails.
        QVERIFY(script.open(QIODevice::WriteOnly | QIODevice::Truncate));
        script.write("#!/bin/sh\nsed -i 's/^  name: edited$/  name: Not_Valid/' \"$1\"\n");
        script.close();
        const auto refused = kubectl(
            {QStringLiteral("edit"), QStringLiteral("configmap"), QStringLiteral("edited")});
        QVERIFY(refused.exitCode != 0);
        const auto unchanged =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("edited")});
        QCOMPARE(unchanged.at("data").at("color").get<std::string>(), std::string("green"));
        kubectl.setEnvironment(QStringLiteral("KUBE_EDITOR"), QStringLiteral("false"));
    }

    void autoscaleCreatesAnHpaServedInBothVersions() {
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("deployment"),
                          QStringLiteral("autoscaled"), QStringLiteral("--image=nginx")})
                     .exitCode,
                 0);
        // kubectl 1.32 creates autoscaling/v1 objects; they are stored as v2.
        const auto autoscaled =
            kubectl({QStringLiteral("autoscale"), QStringLiteral("deployment"),
                     QStringLiteral("autoscaled"), QStringLiteral("--min=2"),
                     QStringLiteral("--max=5"), QStringLiteral("--cpu-percent=70")});
        QVERIFY2(autoscaled.exitCode == 0, qPrintable(autoscaled.err));
        const auto table =
            kubectl({QStringLiteral("get"), QStringLiteral("hpa"), QStringLiteral("autoscaled")});
        QVERIFY2(table.out.contains(QRegularExpression(QStringLiteral(
                     "autoscaled\\s+Deployment/autoscaled\\s+cpu: <unknown>/70%\\s+2\\s+5\\s+0"))),
                 qPrintable(table.out));
        const auto v2 =
            json::parse(kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                 QStringLiteral("/apis/autoscaling/v2/namespaces/default/"
                                                "horizontalpodautoscalers/autoscaled")})
                            .out.toStdString());
        QCOMPARE(
            v2.at("spec").at("metrics")[0].at("resource").at("target").at("averageUtilization"),
            json(70));
        const auto v1 =
            json::parse(kubectl({QStringLiteral("get"), QStringLiteral("--raw"),
                                 QStringLiteral("/apis/autoscaling/v1/namespaces/default/"
                                                "horizontalpodautoscalers/autoscaled")})
                            .out.toStdString());
        QCOMPARE(v1.at("apiVersion"), json("autoscaling/v1"));
        QCOMPARE(v1.at("spec").at("targetCPUUtilizationPercentage"), json(70));
        QCOMPARE(v1.at("spec").at("minReplicas"), json(2));
    }

    void restartKeepsObjectsAndContinuesResourceVersions() {
        const auto before =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("p")});
        const long long beforeVersion =
            std::stoll(before.at("metadata").at("resourceVersion").get<std::string>());
        QCOMPARE(m_server.terminate(), 0);
        QVERIFY(m_server.start());
        const auto after =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("p")});
        QCOMPARE(after, before);
        QCOMPARE(kubectl({QStringLiteral("create"), QStringLiteral("configmap"),
                          QStringLiteral("later")})
                     .exitCode,
                 0);
        const auto later =
            getJson({QStringLiteral("get"), QStringLiteral("cm"), QStringLiteral("later")});
        QVERIFY(std::stoll(later.at("metadata").at("resourceVersion").get<std::string>()) >
                beforeVersion);
    }
};

QTEST_GUILESS_MAIN(TstKubectl)
#include "tst_kubectl.moc"
