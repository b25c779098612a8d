// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/client/rest_client.h"
#include "engine/pki/kubeconfig.h"

using namespace slipway;

namespace {

/// A loopback socket that listens but never accepts or answers: connect succeeds through the
/// backlog, the request goes unanswered.
struct SilentListener {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    std::uint16_t port = 0;
    explicit SilentListener(bool listen) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), length);
        if (listen) {
            ::listen(fd, 4);
        }
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        port = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(fd); }
};

}  // namespace

class TstRestClient : public QObject {
    Q_OBJECT
private slots:
    void parsesServerUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("v4") << "http://127.0.0.1:6443"
                            << "127.0.0.1" << 6443;
        QTest::newRow("path ignored") << "http://127.0.0.1:8080/api"
                                      << "127.0.0.1" << 8080;
        QTest::newRow("default port") << "http://localhost"
                                      << "localhost" << 80;
        QTest::newRow("v6") << "http://[::1]:6443"
                            << "::1" << 6443;
        QTest::newRow("https default port") << "https://kubernetes.default.svc"
                                            << "kubernetes.default.svc" << 443;
    }
    void parsesServerUrls() {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(int, port);
        const auto parsed = client::ServerUrl::parse(url.toStdString());
        QVERIFY(parsed.ok());
        QCOMPARE(QString::fromStdString(parsed->host), host);
        QCOMPARE(int(parsed->port), port);
    }

    void rejectsBadUrlsWithAReason_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no scheme") << "127.0.0.1:6443"
                                   << "missing scheme";
        QTest::newRow("unknown scheme") << "ftp://127.0.0.1:6443"
                                        << "not supported";
        QTest::newRow("bad port") << "http://127.0.0.1:70000"
                                  << "bad port";
        QTest::newRow("empty host") << "http://:80"
                                    << "empty host";
    }
    void rejectsBadUrlsWithAReason() {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        const auto parsed = client::ServerUrl::parse(url.toStdString());
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.error().message()).contains(reason),
                 parsed.error().message().c_str());
    }

    void refusedConnectionIsANetworkError() {
        std::uint16_t port = 0;
        {
            const SilentListener closed(false);  // bound, not listening: connect is refused
            port = closed.port;
            const client::RestClient rest(
                client::ClientConfig(client::ServerUrl{"http", "127.0.0.1", port}));
            const auto response = rest.get("/healthz");
            QVERIFY(!response.ok());
            QCOMPARE(response.error().code(), core::ErrorCode::Network);
            QVERIFY(response.error().message().find("127.0.0.1:" + std::to_string(port)) !=
                    std::string::npos);
        }
    }

    void credentialsComeFromTheKubeconfigContext() {
        pki::Kubeconfig kubeconfig = pki::Kubeconfig::forTlsServer(
            "a", "https://127.0.0.1:6443", "CA PEM", {"CERT PEM", "KEY PEM"});
        kubeconfig.clusters.push_back({"b", "http://127.0.0.1:8080", {}, true});
        kubeconfig.users.push_back({"b", {}, {}, "token-b"});
        kubeconfig.contexts.push_back({"b", "b", "b", {}});

        const auto current = client::ClientConfig::fromKubeconfig(kubeconfig);
        QVERIFY(current.ok());
        QCOMPARE(current->server.port, std::uint16_t(6443));
        QCOMPARE(current->certificateAuthorityPem, std::string("CA PEM"));
        QCOMPARE(current->clientCertificatePem, std::string("CERT PEM"));
        QCOMPARE(current->clientKeyPem, std::string("KEY PEM"));

        const auto other = client::ClientConfig::fromKubeconfig(kubeconfig, "b");
        QVERIFY(other.ok());
        QCOMPARE(other->server.scheme, std::string("http"));
        QCOMPARE(other->bearerToken, std::string("token-b"));
        QVERIFY(other->insecureSkipTlsVerify);

        const auto missing = client::ClientConfig::fromKubeconfig(kubeconfig, "nope");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
    }

    void badClientCertificateIsReportedPerRequest() {
        client::ClientConfig config(client::ServerUrl{"https", "127.0.0.1", 1});
        config.clientCertificatePem = "junk";
        config.clientKeyPem = "junk";
        const auto response = client::RestClient(config).get("/version");
        QVERIFY(!response.ok());
        QCOMPARE(response.error().code(), core::ErrorCode::BadRequest);
        QVERIFY(response.error().message().find("client certificate") != std::string::npos);
    }

    void silentServerTimesOut() {
        const SilentListener silent(true);
        const client::RestClient rest(
            client::ClientConfig(client::ServerUrl{"https", "127.0.0.1", silent.port}));
        client::RequestOptions options;
        options.timeout = std::chrono::milliseconds(300);
        QElapsedTimer clock;
        clock.start();
        const auto response = rest.get("/healthz", options);
        QVERIFY(!response.ok());
        QCOMPARE(response.error().code(), core::ErrorCode::Timeout);
        QVERIFY(clock.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(TstRestClient)
#include "tst_rest_client.moc"
