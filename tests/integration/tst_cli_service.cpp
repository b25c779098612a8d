// SPDX-License-Identifier: Apache-2.0
// `slipway service` on a local-process cluster: the URL it prints on 127.0.0.1 reaches the
// Service's pod (slipway.local/hello:1 in a runc container), through the API server's
// port-forward. Needs root (the local driver runs the node agent only as root).
#include <functional>

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.h"

using namespace slipway;
using testing::eventually;
using testing::httpGet;

class TstCliService : public QObject {
    Q_OBJECT

    QTemporaryDir m_dataHome;
    const QStringList m_cluster{QStringLiteral("--cluster"), QStringLiteral("svc")};

    QProcessEnvironment environment() const {
        return testing::slipwayEnvironment(m_dataHome.path());
    }

    testing::CommandResult slipway(const QStringList& arguments) {
        return testing::run(testing::binary(QStringLiteral("slipway")), arguments, environment());
    }

    /// Starts `slipway service ARGS` and collects its stdout (into `output`) until URLs
    /// appeared.
    QStringList startService(QProcess& process, const QStringList& arguments,
                             QByteArray* output = nullptr) {
        process.setProcessEnvironment(environment());
        process.start(testing::binary(QStringLiteral("slipway")),
                      QStringList{"service"} + arguments + m_cluster);
        if (!process.waitForStarted()) {
            return {};
        }
        QByteArray printed;
        QStringList urls;
        const QRegularExpression url(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)"));
        eventually(
            [&] {
                printed += process.readAllStandardOutput();
                urls.clear();
                for (const auto& match : url.globalMatch(QString::fromUtf8(printed))) {
                    urls << match.captured(0);
                }
                return !urls.isEmpty() || process.state() != QProcess::Running;
            },
            30000);
        if (output != nullptr) {
            *output = printed;
        }
        return urls;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (::geteuid() != 0) {
            QSKIP("the local driver runs containers only as root");
        }
        const auto started = slipway(QStringList{"start", "--driver", "local"} + m_cluster);
        QVERIFY2(started.exitCode == 0, qPrintable(started.out + started.err));
        const auto kubeconfig = slipway(QStringList{"kubeconfig"} + m_cluster);
        QCOMPARE(kubeconfig.exitCode, 0);
        testing::Kubectl kubectl(kubeconfig.out.trimmed());
        auto applied = kubectl({"apply", "-f", "-"}, testing::kHelloPodAndService);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        auto ready = kubectl({"wait", "--for=condition=Ready", "pod/hello", "--timeout=120s"});
        QVERIFY2(ready.exitCode == 0, qPrintable(ready.out + ready.err));
    }

    void urlReachesTheService() {
        QProcess service;
        const QStringList urls = startService(service, {"hello", "--url"});
        QCOMPARE(urls.size(), 1);
        // --url prints the URL alone.
        const quint16 port = urls.front().section(':', 2).toUShort();
        for (int i = 0; i < 2; ++i) {
            const QByteArray page = httpGet(port);
            QVERIFY2(page.startsWith("HTTP/1.") && page.contains("hello 1"), page.constData());
        }
        service.terminate();
        QVERIFY(service.waitForFinished(10000));
        QCOMPARE(service.exitCode(), 0);
        QCOMPARE(httpGet(port), QByteArray());  // the forward ended with the command
    }

    void withoutUrlItSaysWhatItForwards() {
        QProcess service;
        QByteArray printed;
        const QStringList urls = startService(service, {"hello", "-n", "default"}, &printed);
        QCOMPARE(urls.size(), 1);
        QVERIFY(eventually(
            [&] {
                printed += service.readAllStandardOutput();
                return printed.contains("terminal must stay open");
            },
            5000));
        QVERIFY2(printed.contains("* Service default/hello port 80 (web): http://127.0.0.1:"),
                 printed.constData());
        service.terminate();
        QVERIFY(service.waitForFinished(10000));
    }

    void missingServiceIsOneLineAndNonZero() {
        const auto missing = slipway(QStringList{"service", "nope"} + m_cluster);
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.err,
                 QStringLiteral("slipway: service \"nope\" not found in namespace \"default\"\n"));
        const auto noCluster = slipway({"service", "hello", "--cluster", "absent"});
        QVERIFY(noCluster.exitCode != 0);
        QCOMPARE(noCluster.err.count('\n'), 1);
    }

    void cleanupTestCase() { slipway({"delete", "--all"}); }
};

QTEST_GUILESS_MAIN(TstCliService)
#include "tst_cli_service.moc"
