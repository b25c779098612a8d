// SPDX-License-Identifier: Apache-2.0
// Access from the host (issue 6): the API server's proxy subresources (services/proxy,
// pods/proxy) and `kubectl proxy` through them. slipwayd runs with one simulated node inside
// a network namespace this test makes; its first pod gets 10.244.1.2, which the test puts on
// the namespace's loopback with a busybox httpd behind it, so the proxied traffic stays in
// the namespace. Needs root (network namespaces); skipped otherwise.
#include <functional>

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "tests/support/netns.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;

namespace {

const char* const kWeb =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  replicas: 1\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n"
    "    metadata: {labels: {app: web}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: slipway.local/hello:1\n"
    "        ports: [{containerPort: 8080, name: http}]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  selector: {app: web}\n"
    "  ports: [{name: site, port: 80, targetPort: http}]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: empty}\n"
    "spec:\n"
    "  ports: [{port: 80}]\n";

}  // namespace

class TstKubectlProxy : public QObject {
    Q_OBJECT

    std::unique_ptr<testing::NetworkNamespace> m_ns;
    QTemporaryDir m_site;
    QProcess m_httpd;
    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};
    QString m_pod;

    QString raw(const QString& path) {
        auto got = kubectl({"get", "--raw", path});
        return got.exitCode == 0 ? got.out : "ERROR: " + got.err;
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (!testing::NetworkNamespace::available()) {
            QSKIP("network namespaces need root");
        }
        m_ns = std::make_unique<testing::NetworkNamespace>();
        QVERIFY2(m_ns->ok(), qPrintable(m_ns->error()));
        // The simulated node's first pod IP, on the namespace's loopback.
        QCOMPARE(m_ns->exec(QStringLiteral("ip addr add 10.244.1.2/32 dev lo")), 0);
        QVERIFY(m_site.isValid());
        QFile page(m_site.filePath(QStringLiteral("index.html")));
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("proxied page\n");
        page.close();
        m_httpd.start(m_ns->program(),
                      m_ns->wrap(QStringLiteral("/bin/busybox"),
                                 {"httpd", "-f", "-p", "10.244.1.2:8080", "-h", m_site.path()}));
        QVERIFY(m_httpd.waitForStarted());

        m_server.setNetworkNamespace(m_ns.get());
        kubectl.setNetworkNamespace(m_ns.get());
        QVERIFY(m_server.start(args({"--sim-nodes", "1"})));
        auto applied = kubectl({"apply", "-f", "-"}, kWeb);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QVERIFY(eventually(
            [&] {
                const json endpoints = kubectl.getJson({"get", "endpoints", "web", "-o", "json"});
                // Ready: under addresses, not notReadyAddresses.
                const json subsets = endpoints.is_object()
                                         ? endpoints.value("subsets", json::array())
                                         : json::array();
                return !subsets.empty() &&
                       subsets[0].value("addresses", json::array()).dump().find("10.244.1.2") !=
                           std::string::npos;
            },
            60000));
        const json pods = kubectl.getJson({"get", "pods", "-l", "app=web", "-o", "json"});
        QCOMPARE(pods["items"].size(), std::size_t(1));
        QCOMPARE(pods["items"][0]["status"].value("podIP", ""), std::string("10.244.1.2"));
        m_pod = QString::fromStdString(pods["items"][0]["metadata"].value("name", ""));
    }

    void servicesProxyReachesAnEndpoint() {
        // By port number (the service port naming the endpoint port) and by port name.
        QCOMPARE(raw("/api/v1/namespaces/default/services/web:80/proxy/index.html"),
                 QStringLiteral("proxied page\n"));
        QCOMPARE(raw("/api/v1/namespaces/default/services/http:web:site/proxy/"),
                 QStringLiteral("proxied page\n"));
        // A bare .../proxy is redirected to .../proxy/, which kubectl follows.
        QCOMPARE(raw("/api/v1/namespaces/default/services/web:80/proxy"),
                 QStringLiteral("proxied page\n"));
    }

    void servicesProxyErrorsAsKube() {
        QVERIFY(raw("/api/v1/namespaces/default/services/empty/proxy/")
                    .contains("Error from server (ServiceUnavailable): no endpoints available "
                              "for service \"empty\""));
        QVERIFY(raw("/api/v1/namespaces/default/services/web:81/proxy/")
                    .contains("no service port 81 found for service \"web\""));
        QVERIFY(raw("/api/v1/namespaces/default/services/missing/proxy/")
                    .contains("services \"missing\" not found"));
        // Authorised as kube does: the request's verb on services/proxy.
        auto forbidden = kubectl(
            {"get", "--raw", "/api/v1/namespaces/default/services/web/proxy/", "--as=nobody"});
        QVERIFY(forbidden.exitCode != 0);
        QVERIFY2(forbidden.err.contains("User \"nobody\" cannot get resource \"services/proxy\" "
                                        "in API group \"\" in the namespace \"default\""),
                 qPrintable(forbidden.err));
    }

    void podsProxyReachesThePod() {
        const QString base = "/api/v1/namespaces/default/pods/" + m_pod;
        QCOMPARE(raw(base + ":8080/proxy/index.html"), QStringLiteral("proxied page\n"));
        QCOMPARE(raw(base + ":http/proxy/"), QStringLiteral("proxied page\n"));
        // No port: the first declared container port.
        QCOMPARE(raw(base + "/proxy/"), QStringLiteral("proxied page\n"));
    }

    void kubectlProxyServesThroughIt() {
        QProcess proxy;
        proxy.setProcessEnvironment(kubectl.environment());
        proxy.start(m_ns->program(), m_ns->wrap(testing::Kubectl::path(), {"proxy", "--port=0"}));
        QVERIFY(proxy.waitForStarted());
        QByteArray printed;
        quint16 port = 0;
        const QRegularExpression serving(QStringLiteral("Starting to serve on 127.0.0.1:(\\d+)"));
        QVERIFY(eventually(
            [&] {
                printed += proxy.readAllStandardOutput();
                const auto match = serving.match(QString::fromUtf8(printed));
                port = match.hasMatch() ? match.captured(1).toUShort() : 0;
                return port != 0;
            },
            30000));
        QString out;
        QCOMPARE(m_ns->exec(QStringLiteral("busybox wget -q -O - "
                                           "http://127.0.0.1:%1/api/v1/namespaces/default/"
                                           "services/web:80/proxy/")
                                .arg(port),
                            &out),
                 0);
        QCOMPARE(out, QStringLiteral("proxied page\n"));
        proxy.kill();
        proxy.waitForFinished();
    }

    void cleanupTestCase() {
        if (!m_server.url().isEmpty()) {
            m_server.terminate();
        }
        if (m_httpd.state() != QProcess::NotRunning) {
            m_httpd.kill();
            m_httpd.waitForFinished();
        }
        m_ns.reset();
    }
};

QTEST_GUILESS_MAIN(TstKubectlProxy)
#include "tst_kubectl_proxy.moc"
