// SPDX-License-Identifier: Apache-2.0
// The `slipway` command line driving a local-process cluster end to end, as a user would.
#include <QFileInfo>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/rest_client.h"

#include "test_support.h"

using namespace slipway;

class TstCliLocalCluster : public QObject {
    Q_OBJECT

    QTemporaryDir m_dataHome;

    testing::CommandResult slipway(const QStringList& arguments) {
        return testing::run(testing::binary(QStringLiteral("slipway")), arguments,
                            testing::slipwayEnvironment(m_dataHome.path()));
    }

    /// The real kubectl with the test's user kubeconfig (no --kubeconfig: what `slipway start`
    /// merged is what a user's kubectl sees).
    testing::CommandResult kubectl(const QStringList& arguments) {
        return testing::run(QStringLiteral("kubectl"), arguments,
                            testing::slipwayEnvironment(m_dataHome.path()));
    }

    QString clusterDir(const QString& name) const {
        return m_dataHome.path() + QStringLiteral("/slipway/clusters/") + name;
    }

    nlohmann::json statusJson(const QString& name) {
        const auto result = slipway({QStringLiteral("status"), QStringLiteral("--cluster"), name,
                                     QStringLiteral("-o"), QStringLiteral("json")});
        return nlohmann::json::parse(result.out.toStdString());
    }

    QString pidOf(const QString& name) const {
        QFile file(clusterDir(name) + QStringLiteral("/slipwayd.pid"));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed()
                                              : QString();
    }

private slots:
    void cleanupTestCase() {
        // Never leave a daemon behind, whatever failed above.
        slipway({QStringLiteral("delete"), QStringLiteral("--all")});
    }

    void fullLifecycle() {
        // The user already has a context of their own.
        QVERIFY(QDir().mkpath(m_dataHome.path() + QStringLiteral("/.kube")));
        QCOMPARE(kubectl({QStringLiteral("config"), QStringLiteral("set-context"),
                          QStringLiteral("mine"), QStringLiteral("--cluster=elsewhere")})
                     .exitCode,
                 0);
        const QString name = QStringLiteral("itest");
        const QStringList cluster{QStringLiteral("--cluster"), name};

        const auto started =
            slipway(QStringList{QStringLiteral("start"), QStringLiteral("--driver"),
                                QStringLiteral("local")} +
                    cluster);
        QVERIFY2(started.exitCode == 0, qPrintable(started.out + started.err));
        QVERIFY(started.out.contains(QStringLiteral("Waiting for the API server")));

        const auto status = slipway(QStringList{QStringLiteral("status")} + cluster);
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains(QStringLiteral("state: Running")), qPrintable(status.out));

        const auto json = statusJson(name);
        QCOMPARE(json.at("state").get<std::string>(), std::string("Running"));
        QCOMPARE(json.at("context").get<std::string>(), std::string("slipway-itest"));
        const auto url = json.at("apiServer").get<std::string>();
        QVERIFY(url.rfind("https://127.0.0.1:", 0) == 0);
        const client::RestClient rest = testing::clientFromKubeconfig(
            QString::fromStdString(json.at("kubeconfig").get<std::string>()));
        const auto version = rest.get("/version");
        QVERIFY(version.ok());
        QCOMPARE(version->status, 200);
        QVERIFY(
            QFileInfo::exists(QString::fromStdString(json.at("kubeconfig").get<std::string>())));
        const auto kubeconfig = slipway(QStringList{QStringLiteral("kubeconfig")} + cluster);
        QCOMPARE(kubeconfig.exitCode, 0);
        QCOMPARE(kubeconfig.out.trimmed().toStdString(), json.at("kubeconfig").get<std::string>());

        // The user's kubectl now talks to the cluster without flags, beside a context of
        // their own that stays as it was.
        const auto current = kubectl({QStringLiteral("config"), QStringLiteral("current-context")});
        QCOMPARE(current.out.trimmed(), QStringLiteral("slipway-itest"));
        const auto namespaces =
            kubectl({QStringLiteral("get"), QStringLiteral("namespace"), QStringLiteral("default"),
                     QStringLiteral("-o"), QStringLiteral("name")});
        QVERIFY2(namespaces.exitCode == 0, qPrintable(namespaces.err));
        QCOMPARE(namespaces.out.trimmed(), QStringLiteral("namespace/default"));
        const auto contexts = kubectl({QStringLiteral("config"), QStringLiteral("get-contexts"),
                                       QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(contexts.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 QStringList({QStringLiteral("mine"), QStringLiteral("slipway-itest")}));

        // A second start is a no-op: same process, same address.
        const QString pid = pidOf(name);
        QVERIFY(!pid.isEmpty());
        const auto again = slipway(QStringList{QStringLiteral("start")} + cluster);
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains(QStringLiteral("already running")));
        QCOMPARE(pidOf(name), pid);

        const auto list = slipway({QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QStringLiteral("itest")));
        QVERIFY(list.out.contains(QStringLiteral("Running")));

        // `slipway studio` replaces itself with slipway-studio on the running cluster (its
        // kubeconfig and context), passing what follows `--`: here Studio's screenshot option,
        // which exits once the picture is taken.
        const QString shot = m_dataHome.path() + QStringLiteral("/studio.png");
        auto offscreen = testing::slipwayEnvironment(m_dataHome.path());
        offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const auto studio = testing::run(
            testing::binary(QStringLiteral("slipway")),
            QStringList{QStringLiteral("studio")} + cluster +
                QStringList{QStringLiteral("--"), QStringLiteral("--screenshot"), shot},
            offscreen);
        QVERIFY2(studio.exitCode == 0, qPrintable(studio.out + studio.err));
        QVERIFY(QFileInfo(shot).size() > 0);

        // Settings change only on a stopped cluster: one line and exit 1 while it runs.
        const auto whileRunning =
            slipway(QStringList{QStringLiteral("start"), QStringLiteral("--memory"),
                                QStringLiteral("1024")} +
                    cluster);
        QCOMPARE(whileRunning.exitCode, 1);
        QVERIFY2(whileRunning.err.contains(QStringLiteral("stop it first")),
                 qPrintable(whileRunning.err));
        QCOMPARE(whileRunning.err.count(QLatin1Char('\n')), 1);

        const auto stopped = slipway(QStringList{QStringLiteral("stop")} + cluster);
        QCOMPARE(stopped.exitCode, 0);
        QVERIFY(!rest.get("/healthz").ok());
        const auto afterStop = slipway(QStringList{QStringLiteral("status")} + cluster);
        QCOMPARE(afterStop.exitCode, 7);
        QVERIFY(afterStop.out.contains(QStringLiteral("state: Stopped")));
        QCOMPARE(slipway(QStringList{QStringLiteral("stop")} + cluster).exitCode, 0);

        // Restart keeps the API port, so the kubeconfig stays valid; --memory on a stopped
        // cluster changes it from this start on.
        const auto restarted =
            slipway(QStringList{QStringLiteral("start"), QStringLiteral("--memory"),
                                QStringLiteral("1024")} +
                    cluster);
        QCOMPARE(restarted.exitCode, 0);
        QVERIFY(restarted.out.contains(QStringLiteral("MiB per node")));
        QCOMPARE(statusJson(name).at("apiServer").get<std::string>(), url);
        QCOMPARE(statusJson(name).at("memoryMiB").get<int>(), 1024);

        const auto deleted = slipway(QStringList{QStringLiteral("delete")} + cluster);
        QCOMPARE(deleted.exitCode, 0);
        QVERIFY(!QFileInfo::exists(clusterDir(name)));
        QVERIFY(!rest.get("/healthz").ok());
        const auto gone = slipway(QStringList{QStringLiteral("status")} + cluster);
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains(QStringLiteral("not found")));
        // Its context went with it; the user's own stayed.
        const auto left = kubectl({QStringLiteral("config"), QStringLiteral("get-contexts"),
                                   QStringLiteral("-o"), QStringLiteral("name")});
        QCOMPARE(left.out.trimmed(), QStringLiteral("mine"));
    }

    void badInputGetsOneLineAndNonZeroExit() {
        const auto badName = slipway(
            {QStringLiteral("start"), QStringLiteral("--cluster"), QStringLiteral("Bad_Name")});
        QCOMPARE(badName.exitCode, 2);
        QCOMPARE(badName.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(badName.err.contains(QStringLiteral("invalid cluster name")));
        QVERIFY(!QFileInfo::exists(clusterDir(QStringLiteral("Bad_Name"))));

        const auto missing = slipway(
            {QStringLiteral("delete"), QStringLiteral("--cluster"), QStringLiteral("never-made")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("not found")));

        const auto badDriver = slipway(
            {QStringLiteral("start"), QStringLiteral("--driver"), QStringLiteral("docker")});
        QVERIFY(badDriver.exitCode != 0);
    }

    void startReportsADaemonThatDiesAtOnce() {
        // Occupy nothing, but corrupt the data dir so slipwayd cannot create it: a file where
        // the directory should be.
        const QString name = QStringLiteral("broken");
        QVERIFY(QDir().mkpath(clusterDir(name)));
        QFile blocker(clusterDir(name) + QStringLiteral("/data"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto result = slipway({QStringLiteral("start"), QStringLiteral("--cluster"), name});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("exited during start-up")),
                 qPrintable(result.err));
        QCOMPARE(slipway({QStringLiteral("delete"), QStringLiteral("--cluster"), name}).exitCode,
                 0);
    }
};

QTEST_GUILESS_MAIN(TstCliLocalCluster)
#include "tst_cli_local_cluster.moc"
