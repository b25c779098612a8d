// SPDX-License-Identifier: Apache-2.0
// The ingress controller of a real node (slipwayd server --node-agent) driven by kubectl, all
// inside a network namespace the test makes: two HTTP servers in it stand in for pods behind
// two Services (selectorless, with hand-made EndpointSlices), and one Ingress routes two hosts
// to them on the node's port 80.
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "test_support.h"
#include "tests/support/netns.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

/// A Service `name` and an EndpointSlice sending its port 80 to 127.0.0.1:`port`.
QByteArray serviceWithEndpoint(const QString& name, int port) {
    return QStringLiteral(
               "apiVersion: v1\n"
               "kind: Service\n"
               "metadata: {name: %1}\n"
               "spec:\n"
               "  ports: [{name: http, port: 80, targetPort: %2}]\n"
               "---\n"
               "apiVersion: discovery.k8s.io/v1\n"
               "kind: EndpointSlice\n"
               "metadata:\n"
               "  name: %1-manual\n"
               "  labels: {kubernetes.io/service-name: %1}\n"
               "addressType: IPv4\n"
               "ports: [{name: http, port: %2, protocol: TCP}]\n"
               "endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]\n")
        .arg(name)
        .arg(port)
        .toUtf8();
}

const QByteArray kIngress =
    "apiVersion: networking.k8s.io/v1\n"
    "kind: Ingress\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  rules:\n"
    "  - host: a.example.com\n"
    "    http:\n"
    "      paths:\n"
    "      - {path: /, pathType: Prefix, backend: {service: {name: svc-a, "
    "port: {number: 80}}}}\n"
    "  - host: b.example.com\n"
    "    http:\n"
    "      paths:\n"
    "      - {path: /, pathType: Prefix, backend: {service: {name: svc-b, "
    "port: {name: http}}}}\n";

}  // namespace

class TstKubectlIngress : public QObject {
    Q_OBJECT

    std::unique_ptr<testing::NetworkNamespace> m_netns;
    std::unique_ptr<testing::SlipwaydServer> m_server;
    std::unique_ptr<testing::Kubectl> m_kubectl;
    QTemporaryDir m_pages;
    std::vector<std::unique_ptr<QProcess>> m_backends;

    /// An HTTP server on 127.0.0.1:`port` inside the namespace serving `text` at /.
    bool startBackend(int port, const QString& text) {
        const QString dir = m_pages.filePath(QString::number(port));
        QDir().mkpath(dir);
        QFile page(dir + "/index.html");
        if (!page.open(QIODevice::WriteOnly)) {
            return false;
        }
        page.write(text.toUtf8());
        page.close();
        auto process = std::make_unique<QProcess>();
        process->setProgram(m_netns->program());
        process->setArguments(
            m_netns->wrap(QStringLiteral("/bin/busybox"),
                          {"httpd", "-f", "-p", "127.0.0.1:" + QString::number(port), "-h", dir}));
        process->start();
        const bool started = process->waitForStarted(5000);
        m_backends.push_back(std::move(process));
        return started;
    }

    /// What `curl` inside the namespace gets from the node's port 80 with Host `host`:
    /// "<status> <body>".
    QString fetch(const QString& host, const QString& scheme = "http") {
        QString out;
        const QString port = scheme == "http" ? "80" : "443";
        m_netns->exec(QStringLiteral("curl -sk -m 5 -w ' %{http_code}' --resolve %1:%2:127.0.0.1 "
                                     "%3://%1:%2/")
                          .arg(host, port, scheme),
                      &out);
        return out.trimmed();
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (::geteuid() != 0 || !testing::NetworkNamespace::available()) {
            QSKIP("the node agent and a network namespace need root");
        }
        if (!QFile::exists("/bin/busybox") || !QFile::exists("/usr/bin/curl")) {
            QSKIP("needs /bin/busybox (httpd) and curl");
        }
        m_netns = std::make_unique<testing::NetworkNamespace>();
        QVERIFY2(m_netns->ok(), qPrintable(m_netns->error()));
        // The node IP, on the namespace's loopback (no dummy or veth needed for it).
        QCOMPARE(m_netns->exec("ip addr add 192.168.213.2/32 dev lo"), 0);
        m_server = std::make_unique<testing::SlipwaydServer>();
        m_server->setNetworkNamespace(m_netns.get());
        QVERIFY(m_server->start(
            args({"--node-agent", "--kubelet-port", "0", "--node-ip", "192.168.213.2",
                  "--ingress-http-port", "80", "--ingress-https-port", "443"})));
        m_kubectl = std::make_unique<testing::Kubectl>(m_server->kubeconfigPath());
        m_kubectl->setNetworkNamespace(m_netns.get());
        QVERIFY(startBackend(18081, "page of a"));
        QVERIFY(startBackend(18082, "page of b"));
    }

    void cleanupTestCase() {
        for (auto& backend : m_backends) {
            backend->terminate();
            backend->waitForFinished(5000);
        }
        if (m_server) {
            m_server->terminate();
        }
        m_kubectl.reset();
        m_server.reset();
        m_netns.reset();
    }

    void routesTwoHostsToTwoServices() {
        auto& kubectl = *m_kubectl;
        auto applied = kubectl({"apply", "-f", "-"}, serviceWithEndpoint("svc-a", 18081));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        applied = kubectl({"apply", "-f", "-"}, serviceWithEndpoint("svc-b", 18082));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        applied = kubectl({"apply", "-f", "-"}, kIngress);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));

        // The default class was given, and the node IP is the Ingress's address.
        const json ingress = kubectl.getJson({"get", "ingress", "web"});
        QCOMPARE(ingress.value("/spec/ingressClassName"_json_pointer, std::string()),
                 std::string("slipway"));
        QTRY_COMPARE_WITH_TIMEOUT(
            kubectl.getJson({"get", "ingress", "web"})
                .value("/status/loadBalancer/ingress/0/ip"_json_pointer, std::string()),
            std::string("192.168.213.2"), 20000);

        QTRY_COMPARE_WITH_TIMEOUT(fetch("a.example.com"), QString("page of a 200"), 20000);
        QCOMPARE(fetch("b.example.com"), QString("page of b 200"));
        QVERIFY(fetch("c.example.com").endsWith(" 404"));
        // HTTPS with the default certificate routes the same way.
        QCOMPARE(fetch("b.example.com", "https"), QString("page of b 200"));
    }
};

QTEST_GUILESS_MAIN(TstKubectlIngress)
#include "tst_kubectl_ingress.moc"
