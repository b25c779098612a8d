// SPDX-License-Identifier: Apache-2.0
// One probe run of each kind against real servers on 127.0.0.1 and inside a network namespace
// the test makes, with the kubelet's messages.
#include <QtTest>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/agent/probes/prober.h"

#include "tests/unit/agent/probes/test_servers.h"

using namespace slipway;
using agent::probes::ExecRequest;
using agent::probes::ExecResponse;
using agent::probes::Prober;
using agent::probes::ProbeResult;
using agent::probes::ProbeTarget;
using nlohmann::json;
using testing::CannedResponse;
using testing::TestHttpServer;

namespace {

CannedResponse cannedFor(const std::string& path, std::uint16_t port) {
    if (path == "/healthz") {
        return {200, {}, "ok", false};
    }
    if (path == "/fail") {
        return {500, {}, "broken", false};
    }
    if (path == "/slow") {
        return {200, {}, {}, true};
    }
    if (path == "/hop") {
        return {302, {{"Location", "/healthz"}}, {}, false};
    }
    if (path == "/loop") {
        return {302, {{"Location", "/loop"}}, {}, false};
    }
    if (path == "/away") {
        return {302,
                {{"Location", "http://localhost:" + std::to_string(port) + "/healthz"}},
                "moved",
                false};
    }
    if (path == "/big") {
        return {200, {}, std::string(20000, 'x'), false};
    }
    return {404, {}, "not found", false};
}

json httpProbe(const std::string& path, json port, int timeoutSeconds = 1) {
    return {{"httpGet", {{"path", path}, {"port", std::move(port)}}},
            {"timeoutSeconds", timeoutSeconds}};
}

ProbeTarget loopback() {
    ProbeTarget target;
    target.podIp = "127.0.0.1";
    return target;
}

/// Runs argv through /bin/sh -c style: the command with a deadline; exit code and output.
core::Result<ExecResponse> runCommand(const ExecRequest& request) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments;
    for (std::size_t i = 1; i < request.command.size(); ++i) {
        arguments << QString::fromStdString(request.command[i]);
    }
    process.start(QString::fromStdString(request.command.at(0)), arguments);
    ExecResponse response;
    if (!process.waitForFinished(static_cast<int>(request.timeout.count()))) {
        process.kill();
        process.waitForFinished();
        response.timedOut = true;
        return response;
    }
    response.exitCode = process.exitCode();
    response.output = process.readAll().toStdString();
    return response;
}

}  // namespace

class TstProber : public QObject {
    Q_OBJECT

private slots:
    void httpSuccessSendsKubeProbeHeaders();
    void httpStatusFailure();
    void httpConnectionRefused();
    void httpTimeout();
    void httpRedirects();
    void httpBodyIsLimited();
    void httpNamedPort();
    void httpsWithoutVerification();
    void tcpSocket();
    void execThroughCallback();
    void execWithoutCallbackIsUnknown();
    void grpcHealth();
    void grpcConnectTimeout();
    void probesInsidePodNetworkNamespace();
};

void TstProber::httpSuccessSendsKubeProbeHeaders() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    QVERIFY(port != 0);
    json probe = httpProbe("/healthz", port);
    probe["httpGet"]["httpHeaders"] = json::array(
        {{{"name", "X-Custom"}, {"value", "yes"}}, {{"name", "Host"}, {"value", "web.local"}}});
    auto outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.result, ProbeResult::Success);
    QCOMPARE(outcome.message, std::string("ok"));
    const auto request = QString::fromStdString(server.requests().at(0));
    QVERIFY2(request.startsWith("GET /healthz HTTP/1.1\r\n"), qPrintable(request));
    QVERIFY2(request.contains("User-Agent: kube-probe/1.32\r\n"), qPrintable(request));
    QVERIFY2(request.contains("X-Custom: yes\r\n"), qPrintable(request));
    QVERIFY2(request.contains("Host: web.local\r\n"), qPrintable(request));
    QVERIFY2(request.contains("Accept: */*\r\n"), qPrintable(request));

    // A User-Agent of the probe's own replaces kube-probe's.
    probe["httpGet"]["httpHeaders"] = json::array({{{"name", "User-Agent"}, {"value", "mine"}}});
    QCOMPARE(Prober().run(probe, loopback()).result, ProbeResult::Success);
    const auto second = QString::fromStdString(server.requests().at(1));
    QVERIFY2(second.contains("User-Agent: mine\r\n"), qPrintable(second));
    QVERIFY(!second.contains("kube-probe"));
    QVERIFY2(second.contains("Host: 127.0.0.1:" + QString::number(port) + "\r\n"),
             qPrintable(second));
}

void TstProber::httpStatusFailure() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    auto outcome = Prober().run(httpProbe("/fail", port), loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QVERIFY2(outcome.message == "HTTP probe failed with statuscode: 500", outcome.message.c_str());
    outcome = Prober().run(httpProbe("/missing", port), loopback());
    QCOMPARE(outcome.message, std::string("HTTP probe failed with statuscode: 404"));
}

void TstProber::httpConnectionRefused() {
    const auto port = std::to_string(testing::closedPort());
    auto outcome = Prober().run(httpProbe("/healthz", std::stoi(port)), loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, "Get \"http://127.0.0.1:" + port + "/healthz\": dial tcp 127.0.0.1:" +
                                  port + ": connect: connection refused");
}

void TstProber::httpTimeout() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    QElapsedTimer timer;
    timer.start();
    auto outcome = Prober().run(httpProbe("/slow", port, 1), loopback());
    const auto elapsed = timer.elapsed();
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, "Get \"http://127.0.0.1:" + std::to_string(port) +
                                  "/slow\": context deadline exceeded (Client.Timeout exceeded "
                                  "while awaiting headers)");
    // timeoutSeconds 1: not before a second, and not much after.
    QVERIFY2(elapsed >= 950 && elapsed < 2500, qPrintable(QString::number(elapsed)));
}

void TstProber::httpRedirects() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    // Same host: followed.
    auto outcome = Prober().run(httpProbe("/hop", port), loopback());
    QCOMPARE(outcome.result, ProbeResult::Success);
    QCOMPARE(outcome.message, std::string("ok"));
    // Same host forever: at most 10 redirects.
    const auto before = server.requestCount();
    outcome = Prober().run(httpProbe("/loop", port, 5), loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, "Get \"http://127.0.0.1:" + std::to_string(port) +
                                  "/loop\": stopped after 10 redirects");
    QCOMPARE(server.requestCount() - before, std::size_t(11));
    // Another host: not followed; the 3xx is a Warning with its body.
    outcome = Prober().run(httpProbe("/away", port), loopback());
    QCOMPARE(outcome.result, ProbeResult::Warning);
    QCOMPARE(outcome.message, std::string("Probe terminated redirects, Response body: moved"));
}

void TstProber::httpBodyIsLimited() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    auto outcome = Prober().run(httpProbe("/big", port), loopback());
    QCOMPARE(outcome.result, ProbeResult::Success);
    QVERIFY(outcome.message.size() <= 10 * 1024);
}

void TstProber::httpNamedPort() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    ProbeTarget target = loopback();
    target.container = {{"name", "web"},
                        {"ports", json::array({{{"name", "http"}, {"containerPort", port}}})}};
    QCOMPARE(Prober().run(httpProbe("/healthz", "http"), target).result, ProbeResult::Success);
    // A number written as a string is a number.
    QCOMPARE(Prober().run(httpProbe("/healthz", std::to_string(port)), target).result,
             ProbeResult::Success);
    auto outcome = Prober().run(httpProbe("/healthz", "metrics"), target);
    QCOMPARE(outcome.result, ProbeResult::Unknown);
    QCOMPARE(outcome.message, std::string("port metrics not found"));
}

void TstProber::httpsWithoutVerification() {
    // openssl s_server with a throwaway self-signed certificate: the prober does not verify it,
    // as the kubelet does not.
    const QString openssl = QStandardPaths::findExecutable("openssl");
    if (openssl.isEmpty()) {
        QSKIP("openssl is not installed");
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess req;
    req.start(openssl,
              {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.filePath("key.pem"),
               "-out", dir.filePath("cert.pem"), "-days", "1", "-subj", "/CN=probe-test"});
    QVERIFY(req.waitForFinished(30000));
    QCOMPARE(req.exitCode(), 0);
    const auto port = testing::closedPort();
    QProcess server;
    server.start(openssl,
                 {"s_server", "-accept", "127.0.0.1:" + QString::number(port), "-cert",
                  dir.filePath("cert.pem"), "-key", dir.filePath("key.pem"), "-www", "-quiet"});
    QVERIFY(server.waitForStarted());
    json tcp = {{"tcpSocket", {{"port", port}}}};
    QTRY_VERIFY_WITH_TIMEOUT(Prober().run(tcp, loopback()).result == ProbeResult::Success, 10000);
    json probe = httpProbe("/", port, 5);
    probe["httpGet"]["scheme"] = "HTTPS";
    auto outcome = Prober().run(probe, loopback());
    server.kill();
    server.waitForFinished();
    QVERIFY2(outcome.result == ProbeResult::Success, outcome.message.c_str());
    // The -www status page names the cipher the handshake agreed on.
    QVERIFY2(outcome.message.find("Cipher") != std::string::npos, outcome.message.c_str());
}

void TstProber::tcpSocket() {
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); });
    port = server.port();
    json probe = {{"tcpSocket", {{"port", port}}}, {"timeoutSeconds", 1}};
    auto outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.result, ProbeResult::Success);
    const auto closed = std::to_string(testing::closedPort());
    probe = {{"tcpSocket", {{"port", std::stoi(closed)}, {"host", "127.0.0.1"}}}};
    outcome = Prober().run(probe, ProbeTarget{});
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, "dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    // A host name: its addresses are tried in turn, and the error names the one tried.
    probe = {{"tcpSocket", {{"port", port}, {"host", "localhost"}}}};
    QCOMPARE(Prober().run(probe, ProbeTarget{}).result, ProbeResult::Success);
    probe = {{"tcpSocket", {{"port", std::stoi(closed)}, {"host", "localhost"}}}};
    outcome = Prober().run(probe, ProbeTarget{});
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QVERIFY2(outcome.message.rfind("dial tcp ", 0) == 0 &&
                 outcome.message.find(":" + closed + ": connect: connection refused") !=
                     std::string::npos,
             outcome.message.c_str());
}

void TstProber::execThroughCallback() {
    ProbeTarget target;
    target.container = {{"name", "web"},
                        {"env", json::array({{{"name", "WORD"}, {"value", "hello"}}})}};
    target.exec = runCommand;
    json probe = {{"exec", {{"command", json::array({"/bin/sh", "-c", "echo $(WORD)"})}}},
                  {"timeoutSeconds", 2}};
    auto outcome = Prober().run(probe, target);
    QCOMPARE(outcome.result, ProbeResult::Success);
    QCOMPARE(outcome.message, std::string("hello\n"));

    probe["exec"]["command"] = json::array({"/bin/sh", "-c", "echo not yet; exit 3"});
    outcome = Prober().run(probe, target);
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, std::string("not yet\n"));

    probe = {{"exec", {{"command", json::array({"/bin/sh", "-c", "sleep 5"})}}},
             {"timeoutSeconds", 1}};
    QElapsedTimer timer;
    timer.start();
    outcome = Prober().run(probe, target);
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, std::string("command \"/bin/sh -c sleep 5\" timed out"));
    QVERIFY(timer.elapsed() < 4000);
}

void TstProber::execWithoutCallbackIsUnknown() {
    json probe = {{"exec", {{"command", json::array({"true"})}}}};
    QCOMPARE(Prober().run(probe, ProbeTarget{}).result, ProbeResult::Unknown);
    QCOMPARE(Prober().run(json::object(), ProbeTarget{}).result, ProbeResult::Unknown);
}

void TstProber::grpcHealth() {
    testing::TestGrpcServer server;
    QVERIFY(server.port() != 0);
    json probe = {{"grpc", {{"port", server.port()}}}, {"timeoutSeconds", 2}};
    auto outcome = Prober().run(probe, loopback());
    QVERIFY2(outcome.message == "service healthy", outcome.message.c_str());
    QCOMPARE(outcome.result, ProbeResult::Success);
    QCOMPARE(server.lastPath(), std::string("/grpc.health.v1.Health/Check"));

    server.servingStatus = 2;
    outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, std::string("service unhealthy (responded with \"NOT_SERVING\")"));

    server.servingStatus = 1;
    probe["grpc"]["service"] = "known";
    QCOMPARE(Prober().run(probe, loopback()).result, ProbeResult::Success);
    QCOMPARE(server.lastService(), std::string("known"));
    probe["grpc"]["service"] = "other";
    outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.message, std::string("error: health rpc probe failed: rpc error: code = "
                                          "NotFound desc = unknown service"));

    server.hang = true;
    probe["grpc"]["service"] = "";
    probe["timeoutSeconds"] = 1;
    outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, std::string("timeout: health rpc did not complete within 1s"));
}

void TstProber::grpcConnectTimeout() {
    const auto port = testing::closedPort();
    json probe = {{"grpc", {{"port", port}}}, {"timeoutSeconds", 1}};
    QElapsedTimer timer;
    timer.start();
    auto outcome = Prober().run(probe, loopback());
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QCOMPARE(outcome.message, "timeout: failed to connect service \"127.0.0.1:" +
                                  std::to_string(port) + "\" within 1s: context deadline exceeded");
    QVERIFY(timer.elapsed() >= 900);
}

void TstProber::probesInsidePodNetworkNamespace() {
    if (::geteuid() != 0) {
        QSKIP("network namespaces need root");
    }
    testing::TestNetns netns;
    QVERIFY2(!netns.path().empty(), netns.error().c_str());
    std::uint16_t port = 0;
    TestHttpServer server([&](const std::string& path) { return cannedFor(path, port); },
                          netns.path());
    port = server.port();
    QVERIFY(port != 0);

    // From the agent's namespace, the pod's loopback port is not there...
    ProbeTarget outside = loopback();
    auto outcome = Prober().run(httpProbe("/healthz", port), outside);
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QVERIFY2(outcome.message.find("connection refused") != std::string::npos,
             outcome.message.c_str());
    // ...from the pod's it is.
    ProbeTarget inside = loopback();
    inside.netnsPath = netns.path();
    outcome = Prober().run(httpProbe("/healthz", port), inside);
    QCOMPARE(outcome.result, ProbeResult::Success);
    json tcp = {{"tcpSocket", {{"port", port}}}};
    QCOMPARE(Prober().run(tcp, inside).result, ProbeResult::Success);
    QCOMPARE(Prober().run(tcp, outside).result, ProbeResult::Failure);

    testing::TestGrpcServer grpc(netns.path());
    json probe = {{"grpc", {{"port", grpc.port()}}}, {"timeoutSeconds", 1}};
    QCOMPARE(Prober().run(probe, inside).result, ProbeResult::Success);

    // A namespace that does not exist is a failure naming it.
    ProbeTarget gone = loopback();
    gone.netnsPath = "/run/slipway/netns/does-not-exist";
    outcome = Prober().run(tcp, gone);
    QCOMPARE(outcome.result, ProbeResult::Failure);
    QVERIFY2(outcome.message.find("does-not-exist") != std::string::npos, outcome.message.c_str());
}

QTEST_GUILESS_MAIN(TstProber)
#include "tst_prober.moc"
