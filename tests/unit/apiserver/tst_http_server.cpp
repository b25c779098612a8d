// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/apiserver/http_server.h"
#include "engine/apiserver/router.h"
#include "engine/client/rest_client.h"
#include "engine/pki/certificates.h"

using namespace slipway;

namespace {

/// A raw loopback connection, for what a well-behaved client never sends.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~RawConnection() { ::close(m_fd); }
    bool connected() const { return m_connected; }

    void send(const std::string& bytes) const {
        QCOMPARE(::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
    }

    /// Reads until `marker` has arrived, the peer closes, or `timeoutMs` passes.
    std::string receiveUntil(const std::string& marker, int timeoutMs, bool* closed = nullptr) {
        QDeadlineTimer deadline(timeoutMs);
        while (m_buffer.find(marker) == std::string::npos && !deadline.hasExpired()) {
            pollfd pfd{m_fd, POLLIN, 0};
            if (::poll(&pfd, 1, int(deadline.remainingTime())) <= 0) {
                break;
            }
            char chunk[4096];
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                if (closed != nullptr) {
                    *closed = true;
                }
                break;
            }
            m_buffer.append(chunk, std::size_t(n));
        }
        std::string taken;
        taken.swap(m_buffer);
        return taken;
    }

private:
    int m_fd;
    bool m_connected = false;
    std::string m_buffer;
};

}  // namespace

class TstHttpServer : public QObject {
    Q_OBJECT
private slots:
    void parsesListenAddresses() {
        auto v4 = apiserver::parseListenAddress("127.0.0.1:6443");
        QVERIFY(v4.ok());
        QCOMPARE(v4->address, std::string("127.0.0.1"));
        QCOMPARE(v4->port, std::uint16_t(6443));
        auto v6 = apiserver::parseListenAddress("[::1]:0");
        QVERIFY(v6.ok());
        QCOMPARE(v6->address, std::string("::1"));
        QCOMPARE(v6->url(), std::string("http://[::1]:0"));
        auto all = apiserver::parseListenAddress(":8080");
        QVERIFY(all.ok());
        QCOMPARE(all->address, std::string("0.0.0.0"));
        for (const char* bad : {"127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http", "nohost:80"}) {
            auto parsed = apiserver::parseListenAddress(bad);
            QVERIFY2(!parsed.ok(), bad);
            QCOMPARE(parsed.error().code(), core::ErrorCode::BadRequest);
        }
    }

    void servesHealthAndVersionOnAFreePort() {
        apiserver::Router router;
        router.setReady(true);
        apiserver::ServerOptions options;
        options.port = 0;
        apiserver::HttpServer server(options, router);
        auto endpoint = server.start();
        QVERIFY2(endpoint.ok(), endpoint.ok() ? "" : endpoint.error().message().c_str());
        QVERIFY(endpoint->port != 0);

        const client::RestClient rest(
            client::ClientConfig(*client::ServerUrl::parse(endpoint->url())));
        const auto healthz = rest.get("/healthz");
        QVERIFY(healthz.ok());
        QCOMPARE(healthz->status, 200);
        QCOMPARE(healthz->body, std::string("ok"));
        const auto version = rest.get("/version");
        QVERIFY(version.ok());
        QVERIFY(version->body.find("\"minor\":\"32\"") != std::string::npos);
    }

    void keepsConnectionsAliveAcrossRequests() {
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());

        RawConnection connection(endpoint->port);
        QVERIFY(connection.connected());
        connection.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(connection.receiveUntil("ok", 5000).find("200 OK") != std::string::npos);
        connection.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        // Router not ready: the same connection answers the second request with 503.
        QVERIFY(connection.receiveUntil("failed", 5000).find("503") != std::string::npos);
    }

    void refusesBodiesOverTheLimit_data() {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("size");
        QTest::newRow("large body") << 1024 << 4096;
        // Header and body in one segment: the case Boost 1.74's one-shot read let through.
        QTest::newRow("small body in one piece") << 256 << 1299;
    }
    void refusesBodiesOverTheLimit() {
        QFETCH(int, limit);
        QFETCH(int, size);
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        options.maxBodyBytes = static_cast<std::size_t>(limit);
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());

        RawConnection connection(endpoint->port);
        connection.send("POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                        std::to_string(size) + "\r\n\r\n" +
                        std::string(static_cast<std::size_t>(size), 'x'));
        const auto answer = connection.receiveUntil("\r\n\r\n", 5000);
        QVERIFY2(answer.find("413") != std::string::npos, answer.c_str());
    }

    void dropsIdleConnectionsAfterTheReadTimeout() {
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        options.readTimeout = std::chrono::seconds(1);
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());

        RawConnection connection(endpoint->port);
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finished
        bool closed = false;
        connection.receiveUntil("never arrives", 10000, &closed);
        QVERIFY(closed);
    }

    void reportsAPortInUse() {
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        apiserver::HttpServer first(options, router);
        const auto taken = first.start();
        QVERIFY(taken.ok());
        options.port = taken->port;
        apiserver::HttpServer second(options, router);
        const auto refused = second.start();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Network);
        QVERIFY(refused.error().message().find(std::to_string(taken->port)) != std::string::npos);
    }

    void tlsAuthenticatesClientCertificates() {
        const auto ca = pki::createCertificateAuthority("test-ca", std::chrono::hours(1));
        QVERIFY(ca.ok());
        pki::CertificateRequest serving;
        serving.commonName = "server";
        serving.serverAuth = true;
        serving.ipAddresses = {"127.0.0.1"};
        const auto servingPair = pki::issueCertificate(*ca, serving);
        pki::CertificateRequest admin;
        admin.commonName = "jane";
        admin.organizations = {"system:masters"};
        admin.clientAuth = true;
        const auto adminPair = pki::issueCertificate(*ca, admin);
        QVERIFY(servingPair.ok() && adminPair.ok());

        apiserver::Router router;
        router.setReady(true);
        apiserver::ServerOptions options;
        options.port = 0;
        options.tls = apiserver::TlsOptions{servingPair->certificatePem, servingPair->keyPem,
                                            ca->certificatePem};
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());
        QVERIFY(endpoint->url().rfind("https://", 0) == 0);

        // With the admin certificate: authenticated, so an unknown path is 404, not 401.
        client::ClientConfig config(*client::ServerUrl::parse(endpoint->url()));
        config.certificateAuthorityPem = ca->certificatePem;
        config.clientCertificatePem = adminPair->certificatePem;
        config.clientKeyPem = adminPair->keyPem;
        const auto authenticated = client::RestClient(config).get("/api/v1/nodes");
        QVERIFY2(authenticated.ok(),
                 authenticated.ok() ? "" : authenticated.error().message().c_str());
        QCOMPARE(authenticated->status, 404);

        // TLS without a client certificate: anonymous, health allowed, the rest 401.
        config.clientCertificatePem.clear();
        config.clientKeyPem.clear();
        const client::RestClient anonymous(config);
        QCOMPARE(anonymous.get("/readyz")->status, 200);
        QCOMPARE(anonymous.get("/api/v1/nodes")->status, 401);

        // Plain HTTP on the same port (curl 127.0.0.1:PORT/version): public endpoints only.
        const client::RestClient plain(
            client::ClientConfig(client::ServerUrl{"http", "127.0.0.1", endpoint->port}));
        const auto version = plain.get("/version");
        QVERIFY(version.ok());
        QCOMPARE(version->status, 200);
        QCOMPARE(plain.get("/api/v1/nodes")->status, 401);

        // A client trusting another CA refuses the server.
        const auto other = pki::createCertificateAuthority("other", std::chrono::hours(1));
        config.certificateAuthorityPem = other->certificatePem;
        const auto refused = client::RestClient(config).get("/version");
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message().find("TLS handshake") != std::string::npos);
    }

    void tlsServerChecksItsNameAgainstTheCertificate() {
        const auto ca = pki::createCertificateAuthority("test-ca", std::chrono::hours(1));
        pki::CertificateRequest serving;
        serving.commonName = "server";
        serving.serverAuth = true;
        serving.dnsNames = {"example.invalid"};  // no 127.0.0.1 SAN
        const auto servingPair = pki::issueCertificate(*ca, serving);
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        options.tls = apiserver::TlsOptions{servingPair->certificatePem, servingPair->keyPem, {}};
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());
        client::ClientConfig config(*client::ServerUrl::parse(endpoint->url()));
        config.certificateAuthorityPem = ca->certificatePem;
        QVERIFY(!client::RestClient(config).get("/version").ok());
        config.insecureSkipTlsVerify = true;
        QVERIFY(client::RestClient(config).get("/version").ok());
    }

    void badTlsMaterialFailsAtStart() {
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        options.tls = apiserver::TlsOptions{"not a certificate", "not a key", {}};
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(!endpoint.ok());
        QVERIFY(endpoint.error().message().find("TLS configuration") != std::string::npos);
    }

    void stopIsIdempotent() {
        apiserver::Router router;
        apiserver::ServerOptions options;
        options.port = 0;
        apiserver::HttpServer server(options, router);
        const auto endpoint = server.start();
        QVERIFY(endpoint.ok());
        server.stop();
        server.stop();
        const client::RestClient rest(
            client::ClientConfig(*client::ServerUrl::parse(endpoint->url())));
        QVERIFY(!rest.get("/healthz").ok());
    }
};

QTEST_GUILESS_MAIN(TstHttpServer)
#include "tst_http_server.moc"
