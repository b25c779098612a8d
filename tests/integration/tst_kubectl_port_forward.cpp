// SPDX-License-Identifier: Apache-2.0
// Access from the host (issue 6): `kubectl port-forward` to a pod and to a Service through
// slipwayd's API server and node agent, over both transports kubectl 1.32 uses (SPDY inside
// WebSocket first, the plain SPDY/3.1 upgrade as its fallback), fetching the demo page on
// 127.0.0.1. Needs root (runc, namespaces); skipped otherwise.
#include <functional>

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;
using testing::httpGet;

class TstKubectlPortForward : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};

    /// Starts `kubectl port-forward ARGS` and returns the local port it printed (0 if none).
    quint16 startForward(QProcess& process, const QStringList& arguments, bool webSockets) {
        auto environment = kubectl.environment();
        if (!webSockets) {
            // kubectl's switch back to the SPDY upgrade it falls back to.
            environment.insert(QStringLiteral("KUBECTL_PORT_FORWARD_WEBSOCKETS"),
                               QStringLiteral("false"));
        }
        process.setProcessEnvironment(environment);
        process.start(testing::Kubectl::path(), QStringList{"port-forward"} + arguments);
        if (!process.waitForStarted()) {
            return 0;
        }
        QByteArray printed;
        const QRegularExpression forwarding(QStringLiteral("Forwarding from 127.0.0.1:(\\d+)"));
        quint16 port = 0;
        eventually(
            [&] {
                printed += process.readAllStandardOutput();
                const auto match = forwarding.match(QString::fromUtf8(printed));
                if (match.hasMatch()) {
                    port = match.captured(1).toUShort();
                }
                return port != 0 || process.state() != QProcess::Running;
            },
            30000);
        return port;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (::geteuid() != 0) {
            QSKIP("running containers needs root");
        }
        // The host's own network namespace: no pod network here (port-forward needs none).
        QVERIFY(
            m_server.start(args({"--node-agent", "--kubelet-port", "0", "--pod-network", "none"})));
        auto applied = kubectl({"apply", "-f", "-"}, testing::kHelloPodAndService);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        auto ready =
            kubectl(args({"wait", "--for=condition=Ready", "pod/hello", "--timeout=120s"}));
        QVERIFY2(ready.exitCode == 0, qPrintable(ready.out + ready.err));
    }

    void forwardsToAPodOverWebSocket() {
        QProcess forward;
        const quint16 port = startForward(forward, args({"pod/hello", ":8080"}), true);
        QVERIFY2(port != 0, forward.readAllStandardError().constData());
        // Several connections through one forward, each a new stream pair.
        for (int i = 0; i < 3; ++i) {
            const QByteArray page = httpGet(port);
            QVERIFY2(page.startsWith("HTTP/1.") && page.contains("hello 1"), page.constData());
        }
        forward.kill();
        forward.waitForFinished();
    }

    void forwardsToAServiceOverSpdy() {
        // svc/hello port 80 → targetPort "http" → the pod's 8080, resolved by kubectl.
        QProcess forward;
        const quint16 port = startForward(forward, args({"svc/hello", ":80"}), false);
        QVERIFY2(port != 0, forward.readAllStandardError().constData());
        const QByteArray page = httpGet(port);
        QVERIFY2(page.contains("hello 1"), page.constData());
        forward.kill();
        forward.waitForFinished();
    }

    void reportsAPortNobodyListensOn() {
        QProcess forward;
        const quint16 port = startForward(forward, args({"pod/hello", ":9999"}), true);
        QVERIFY2(port != 0, forward.readAllStandardError().constData());
        QVERIFY(httpGet(port).isEmpty());
        QByteArray errors;
        QVERIFY(eventually(
            [&] {
                errors += forward.readAllStandardError();
                return errors.contains(
                    "error forwarding port 9999 to pod hello, uid : failed "
                    "to connect to localhost:9999 inside namespace");
            },
            15000));
        QVERIFY2(errors.contains("connect: connection refused"), errors.constData());
        forward.kill();
        forward.waitForFinished();
    }

    void cleanupTestCase() {
        if (m_server.url().isEmpty()) {
            return;
        }
        (void)kubectl(args({"delete", "pod", "hello", "--grace-period=1"}));
        m_server.terminate();
    }
};

QTEST_GUILESS_MAIN(TstKubectlPortForward)
#include "tst_kubectl_port_forward.moc"
