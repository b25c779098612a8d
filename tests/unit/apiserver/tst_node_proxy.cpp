// SPDX-License-Identifier: Apache-2.0
// The real kubectl → an in-process API server with the NodeProxy → the node agent's streaming
// server over HTTPS (client certificate from the cluster CA) → host processes.
#include <filesystem>
#include <thread>

#include <QRegularExpression>
#include <QtTest>
#include <arpa/inet.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/streaming/streaming_server.h"
#include "engine/apiserver/node_proxy.h"
#include "engine/pki/certificates.h"
#include "engine/pki/cluster_pki.h"
#include "engine/pki/kubeconfig.h"

#include "../agent/streaming/host_process_backend.h"
#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

json pod(const std::string& name, const std::string& nodeName,
         const std::vector<std::string>& containers) {
    json spec = {{"containers", json::array()}};
    for (const auto& container : containers) {
        spec["containers"].push_back({{"name", container}, {"image", "busybox"}});
    }
    if (!nodeName.empty()) {
        spec["nodeName"] = nodeName;
    }
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", spec}};
}

json node(const std::string& name) {
    return {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}};
}

/// A loopback port nothing listens on.
std::uint16_t closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

/// Echoes every connection's bytes back until the client's end of input, then closes.
class EchoServer {
public:
    EchoServer() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::listen(m_fd, 16) == 0 &&
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
            m_port = ntohs(address.sin_port);
        }
        m_thread = std::thread([this] {
            while (true) {
                const int connection = ::accept(m_fd, nullptr, nullptr);
                if (connection < 0) {
                    return;
                }
                std::thread([connection] {
                    char buffer[16384];
                    ssize_t got = 0;
                    while ((got = ::recv(connection, buffer, sizeof buffer, 0)) > 0) {
                        if (::send(connection, buffer, static_cast<std::size_t>(got),
                                   MSG_NOSIGNAL) != got) {
                            break;
                        }
                    }
                    ::close(connection);
                }).detach();
            }
        });
    }
    ~EchoServer() {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    std::uint16_t port() const { return m_port; }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
    std::thread m_thread;
};

/// Sends `payload` to 127.0.0.1:port, half-closes, and returns everything read back.
std::string echoThrough(std::uint16_t port, const std::string& payload) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval timeout{20, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return answer;
    }
    // Write and read at once: the payload is larger than the socket buffers.
    std::thread writer([fd, &payload] {
        std::size_t sent = 0;
        while (sent < payload.size()) {
            const ssize_t n =
                ::send(fd, payload.data() + sent, payload.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
            sent += static_cast<std::size_t>(n);
        }
        ::shutdown(fd, SHUT_WR);
    });
    char buffer[16384];
    ssize_t got = 0;
    while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
        answer.append(buffer, static_cast<std::size_t>(got));
    }
    writer.join();
    ::close(fd);
    return answer;
}

}  // namespace

class TstNodeProxy : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    testing::HostProcessBackend m_backend;
    std::unique_ptr<agent::streaming::StreamingServer> m_agent;
    std::unique_ptr<apiserver::NodeProxy> m_proxy;
    QString m_kubeconfig;
    QString m_home;
    std::uint16_t m_agentPort = 0;

    Run kubectl(const QStringList& arguments, const QByteArray& input = {}) {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_home);
        environment.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral("/usr/bin/kubectl"), arguments);
        if (!process.waitForStarted(10000)) {
            return {};
        }
        if (!input.isEmpty()) {
            process.write(input);
        }
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), process.readAllStandardError()};
    }

    apiserver::HttpResponse get(const std::string& target) {
        apiserver::HttpRequest request("GET", target);
        request.identity = {"system:admin", {"system:masters"}, true};
        return m_server->router().handle(request);
    }

private slots:
    void initTestCase() {
        if (!QFile::exists(QStringLiteral("/usr/bin/kubectl"))) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_dir.isValid());
        const std::filesystem::path dir = m_dir.path().toStdString();
        std::filesystem::create_directories(dir / "server");
        std::filesystem::create_directories(dir / "home");
        m_home = QString::fromStdString((dir / "home").string());
        m_server = std::make_unique<testing::TestServer>(dir / "server");
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());

        auto clusterPki = pki::ensureClusterPki(dir / "server" / "pki");
        QVERIFY(clusterPki.ok());
        // The agent serves with a certificate of the cluster CA and only takes callers with a
        // client certificate of the same CA: the API server's own.
        pki::CertificateRequest serving;
        serving.commonName = "node-1";
        serving.ipAddresses = {"127.0.0.1"};
        serving.serverAuth = true;
        auto agentCertificate = pki::issueCertificate(clusterPki->authority, serving);
        QVERIFY(agentCertificate.ok());
        pki::CertificateRequest kubeletClient;
        kubeletClient.commonName = "slipway-apiserver-kubelet-client";
        kubeletClient.organizations = {"system:masters"};
        kubeletClient.clientAuth = true;
        auto apiServerClient = pki::issueCertificate(clusterPki->authority, kubeletClient);
        QVERIFY(apiServerClient.ok());

        agent::streaming::StreamingServerOptions agentOptions;
        agentOptions.address = "127.0.0.1";
        agentOptions.port = 0;
        agentOptions.tls = agent::streaming::StreamingTls{agentCertificate->certificatePem,
                                                          agentCertificate->keyPem,
                                                          clusterPki->authority.certificatePem};
        m_agent = std::make_unique<agent::streaming::StreamingServer>(agentOptions, m_backend);
        auto agentPort = m_agent->start();
        QVERIFY(agentPort.ok());
        m_agentPort = *agentPort;

        apiserver::NodeProxyOptions proxyOptions;
        proxyOptions.clientCertificatePem = apiServerClient->certificatePem;
        proxyOptions.clientKeyPem = apiServerClient->keyPem;
        proxyOptions.certificateAuthorityPem = clusterPki->authority.certificatePem;
        m_proxy = std::make_unique<apiserver::NodeProxy>(m_server->store(), m_server->registry(),
                                                         proxyOptions);
        const std::uint16_t port = *agentPort;
        const std::uint16_t unreachable = closedPort();
        m_proxy->setNodeResolver([port, unreachable](const json& found) {
            const bool gone = found["metadata"]["name"] == "gone";
            return core::Result<apiserver::NodeEndpoint>(
                apiserver::NodeEndpoint{"127.0.0.1", gone ? unreachable : port});
        });
        m_proxy->install(m_server->mutableRouter());

        auto client = m_server->directClient();
        const client::ResourceRef nodes("", "v1", "nodes");
        const client::ResourceRef pods("", "v1", "pods", "default");
        for (const auto& name : {"node-1", "gone"}) {
            auto created = client->create(nodes, node(name));
            QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        }
        for (const auto& object :
             {pod("one", "node-1", {"c"}), pod("slowpod", "node-1", {"c"}),
              pod("two", "node-1", {"a", "b"}), pod("waitpod", "node-1", {"c"}),
              pod("unscheduled", "", {"c"}), pod("attachpod", "node-1", {"c"}),
              pod("faraway", "gone", {"c"})}) {
            auto created = client->create(pods, object);
            QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        }
        m_backend.setLogScript("one", "c", "printf 'a\\nb\\nc\\n'");
        m_backend.setLogScript("slowpod", "c",
                               "echo one; sleep 0.3; echo two; sleep 0.3; echo three");
        m_backend.setLogScript("two", "a", "echo from-a");
        m_backend.setWaiting("waitpod", "c", "ContainerCreating");
        m_backend.setAttachScript("attachpod", "c", "read line; echo attached:$line");

        const auto kubeconfig = pki::Kubeconfig::forTlsServer(
            "test", "https://127.0.0.1:" + std::to_string(m_server->port()),
            clusterPki->authority.certificatePem, clusterPki->admin);
        QVERIFY(kubeconfig.save(dir / "kubeconfig").ok());
        m_kubeconfig = QString::fromStdString((dir / "kubeconfig").string());
    }

    void cleanupTestCase() {
        if (m_agent) {
            m_agent->stop();
        }
    }

    void execReturnsOutputAndExitCode() {
        const auto run = kubectl({QStringLiteral("exec"), QStringLiteral("one"),
                                  QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                  QStringLiteral("echo hello; echo oops >&2; exit 3")});
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.out, QByteArray("hello\n"));
        QVERIFY2(run.err.contains("oops"), run.err.constData());
    }

    void execSucceeds() {
        const auto run =
            kubectl({QStringLiteral("exec"), QStringLiteral("one"), QStringLiteral("--"),
                     QStringLiteral("echo"), QStringLiteral("a b")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("a b\n"));
    }

    void execWithStdin() {
        const auto run =
            kubectl({QStringLiteral("exec"), QStringLiteral("-i"), QStringLiteral("one"),
                     QStringLiteral("--"), QStringLiteral("cat")},
                    QByteArray("piped input\nsecond line\n"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("piped input\nsecond line\n"));
    }

    void logsWithTail() {
        const auto run =
            kubectl({QStringLiteral("logs"), QStringLiteral("one"), QStringLiteral("--tail=2")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("b\nc\n"));
    }

    void logsFollowUntilTheContainerStops() {
        const auto run =
            kubectl({QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("slowpod")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("one\ntwo\nthree\n"));
    }

    void logsOfAContainerWaitingToStart() {
        const auto run = kubectl({QStringLiteral("logs"), QStringLiteral("waitpod")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(
                     "container \"c\" in pod \"waitpod\" is waiting to start: ContainerCreating"),
                 run.err.constData());
    }

    void logsOfAChosenContainer() {
        const auto run = kubectl({QStringLiteral("logs"), QStringLiteral("two"),
                                  QStringLiteral("-c"), QStringLiteral("a")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("from-a\n"));
    }

    void attachToTheMainProcess() {
        const auto run =
            kubectl({QStringLiteral("attach"), QStringLiteral("-i"), QStringLiteral("attachpod")},
                    QByteArray("yes\n"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("attached:yes"), run.out.constData());
    }

    void cpCopiesFilesBothWays() {
        // kubectl cp is exec of tar with stdin or stdout; the "container" is the host here.
        const QString source = m_dir.filePath(QStringLiteral("source.txt"));
        QFile file(source);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("copied through exec\n");
        file.close();
        const QString fetched = m_dir.filePath(QStringLiteral("fetched.txt"));
        auto run = kubectl({QStringLiteral("cp"), QStringLiteral("one:") + source, fetched});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QFile result(fetched);
        QVERIFY(result.open(QIODevice::ReadOnly));
        QCOMPARE(result.readAll(), QByteArray("copied through exec\n"));

        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("into")));
        const QString target = m_dir.filePath(QStringLiteral("into/uploaded.txt"));
        run = kubectl({QStringLiteral("cp"), source, QStringLiteral("one:") + target});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(target), 5000);
        QFile uploaded(target);
        QVERIFY(uploaded.open(QIODevice::ReadOnly));
        QCOMPARE(uploaded.readAll(), QByteArray("copied through exec\n"));
    }

    void unreachableNodeIsAnError() {
        const auto run = kubectl({QStringLiteral("logs"), QStringLiteral("faraway")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("/containerLogs/default/faraway/c\": dial tcp 127.0.0.1:") &&
                     run.err.contains(": connect: connection refused"),
                 run.err.constData());
        const auto exec = kubectl({QStringLiteral("exec"), QStringLiteral("faraway"),
                                   QStringLiteral("--"), QStringLiteral("true")});
        QVERIFY(exec.exitCode != 0);
        QVERIFY2(exec.err.contains("error dialing backend: dial tcp 127.0.0.1:"),
                 exec.err.constData());
    }

    void containerNameRequiredWithSeveralContainers() {
        const auto response = get("/api/v1/namespaces/default/pods/two/log");
        QCOMPARE(response.status, 400);
        QCOMPARE(json::parse(response.body)["message"].get<std::string>(),
                 std::string("a container name must be specified for pod two, choose one of: "
                             "[a b]"));
    }

    void unknownContainerIsRefused() {
        const auto response = get("/api/v1/namespaces/default/pods/one/log?container=zzz");
        QCOMPARE(response.status, 400);
        QCOMPARE(json::parse(response.body)["message"].get<std::string>(),
                 std::string("container zzz is not valid for pod one"));
    }

    void unscheduledPodHasNoHost() {
        const auto response = get("/api/v1/namespaces/default/pods/unscheduled/log");
        QCOMPARE(response.status, 400);
        QCOMPARE(json::parse(response.body)["message"].get<std::string>(),
                 std::string("pod unscheduled does not have a host assigned"));
    }

    void missingPodIsNotFound() {
        const auto response = get("/api/v1/namespaces/default/pods/nobody/exec?command=ls");
        QCOMPARE(response.status, 404);
        QCOMPARE(json::parse(response.body)["message"].get<std::string>(),
                 std::string("pods \"nobody\" not found"));
    }

    void portForwardRelaysBothTransports() {
        // A pod whose port is an echo server on the host's loopback (HostProcessBackend):
        // 1 MiB goes there and back through kubectl, the API server's relay, the agent's SPDY
        // session and the backend's socket, the client's half-close travelling as a FIN.
        EchoServer echo;
        QVERIFY(echo.port() != 0);
        auto client = m_server->directClient();
        auto created = client->create(client::ResourceRef("", "v1", "pods", "default"),
                                      pod("forwarded", "node-1", {"c"}));
        QVERIFY(created.ok());
        const auto running =
            kubectl({"patch", "pod", "forwarded", "--subresource=status", "--type=merge", "-p",
                     "{\"status\":{\"phase\":\"Running\"}}"});
        QVERIFY2(running.exitCode == 0, running.err.constData());
        for (const bool webSockets : {true, false}) {
            QProcess forward;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("HOME"), m_home);
            environment.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
            environment.insert(QStringLiteral("KUBECTL_PORT_FORWARD_WEBSOCKETS"),
                               webSockets ? QStringLiteral("true") : QStringLiteral("false"));
            forward.setProcessEnvironment(environment);
            forward.start(QStringLiteral("/usr/bin/kubectl"),
                          {"port-forward", "pod/forwarded", ":" + QString::number(echo.port())});
            QVERIFY(forward.waitForStarted());
            QByteArray printed;
            QRegularExpression forwarding(QStringLiteral("Forwarding from 127.0.0.1:(\\d+)"));
            quint16 local = 0;
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    printed += forward.readAllStandardOutput();
                    const auto match = forwarding.match(QString::fromUtf8(printed));
                    local = match.hasMatch() ? match.captured(1).toUShort() : 0;
                    return local != 0;
                }(),
                20000);
            std::string payload(1024 * 1024, '\0');
            for (std::size_t i = 0; i < payload.size(); ++i) {
                payload[i] = static_cast<char>(i * 7 + 3);
            }
            QCOMPARE(echoThrough(local, payload), payload);
            QCOMPARE(echoThrough(local, "second connection"), std::string("second connection"));
            forward.kill();
            forward.waitForFinished();
        }
    }

    void portForwardToAClosedPortReportsTheError() {
        const std::uint16_t closed = closedPort();
        QProcess forward;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_home);
        environment.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
        forward.setProcessEnvironment(environment);
        forward.start(QStringLiteral("/usr/bin/kubectl"),
                      {"port-forward", "pod/forwarded", ":" + QString::number(closed)});
        QVERIFY(forward.waitForStarted());
        QByteArray printed;
        quint16 local = 0;
        QRegularExpression forwarding(QStringLiteral("Forwarding from 127.0.0.1:(\\d+)"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                printed += forward.readAllStandardOutput();
                const auto match = forwarding.match(QString::fromUtf8(printed));
                local = match.hasMatch() ? match.captured(1).toUShort() : 0;
                return local != 0;
            }(),
            20000);
        QCOMPARE(echoThrough(local, "anyone?"), std::string());
        QByteArray errors;
        QTRY_VERIFY_WITH_TIMEOUT(
            (errors += forward.readAllStandardError())
                .contains("error forwarding port " + QByteArray::number(closed) +
                          " to pod forwarded, uid : failed to connect to localhost:"),
            20000);
        forward.kill();
        forward.waitForFinished();
    }

    void nodesProxyReachesTheAgent() {
        const auto run = kubectl({"get", "--raw", "/api/v1/nodes/node-1/proxy/healthz"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("ok"));
    }

    void proxySubresourcesAnswerAsKube() {
        auto client = m_server->directClient();
        json service = {{"apiVersion", "v1"},
                        {"kind", "Service"},
                        {"metadata", {{"name", "lonely"}, {"namespace", "default"}}},
                        {"spec", {{"ports", json::array({{{"port", 80}}})}}}};
        QVERIFY(client->create(client::ResourceRef("", "v1", "services", "default"), service).ok());
        auto response = get("/api/v1/namespaces/default/services/lonely/proxy/");
        QCOMPARE(response.status, 503);
        QCOMPARE(json::parse(response.body).value("message", ""),
                 std::string("no endpoints available for service \"lonely\""));
        response = get("/api/v1/namespaces/default/services/lonely:8080/proxy/");
        QCOMPARE(response.status, 503);
        QCOMPARE(json::parse(response.body).value("message", ""),
                 std::string("no service port 8080 found for service \"lonely\""));
        response = get("/api/v1/namespaces/default/services/missing/proxy/");
        QCOMPARE(response.status, 404);
        response = get("/api/v1/namespaces/default/services/ftp:lonely:80/proxy/");
        QCOMPARE(response.status, 400);
        QCOMPARE(json::parse(response.body).value("message", ""),
                 std::string("invalid service request \"ftp:lonely:80\""));
        // A bare .../proxy is sent on to .../proxy/.
        response = get("/api/v1/namespaces/default/services/lonely/proxy?x=1");
        QCOMPARE(response.status, 301);
        const auto location = std::find_if(response.headers.begin(), response.headers.end(),
                                           [](const auto& h) { return h.first == "Location"; });
        QVERIFY(location != response.headers.end());
        QCOMPARE(location->second,
                 std::string("/api/v1/namespaces/default/services/lonely/proxy/?x=1"));
        // The path after /proxy is found by position, not by searching for "proxy".
        service["metadata"]["name"] = "proxyish";
        QVERIFY(client->create(client::ResourceRef("", "v1", "services", "default"), service).ok());
        QCOMPARE(get("/api/v1/namespaces/default/services/proxyish/proxy").status, 301);
        QCOMPARE(get("/api/v1/namespaces/default/services/proxyish/proxy/x").status, 503);
        // The API server's own loopback is not a place to proxy to (IsProxyableIP), nor is a
        // pod without an IP.
        response = get("/api/v1/namespaces/default/pods/one/proxy/");
        QCOMPARE(response.status, 400);
        QCOMPARE(json::parse(response.body).value("message", ""),
                 std::string("address not allowed"));
    }

    void agentRefusesCallersWithoutTheClusterCertificate() {
        // Straight to the agent over TLS without a client certificate: 401, nothing served.
        namespace asio = boost::asio;
        namespace beast = boost::beast;
        namespace http = beast::http;
        asio::io_context context;
        asio::ssl::context tls(asio::ssl::context::tls_client);
        tls.set_verify_mode(asio::ssl::verify_none);
        beast::ssl_stream<beast::tcp_stream> stream(context, tls);
        asio::ip::tcp::resolver resolver(context);
        beast::get_lowest_layer(stream).connect(
            resolver.resolve("127.0.0.1", std::to_string(m_agentPort)));
        stream.handshake(asio::ssl::stream_base::client);
        http::request<http::empty_body> request(http::verb::get, "/containerLogs/default/one/c",
                                                11);
        request.set(http::field::host, "127.0.0.1");
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        QCOMPARE(response.result_int(), 401u);
    }
};

QTEST_GUILESS_MAIN(TstNodeProxy)
#include "tst_node_proxy.moc"
