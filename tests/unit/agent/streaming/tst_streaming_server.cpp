// SPDX-License-Identifier: Apache-2.0
// The node agent's streaming server against real host processes, spoken to by a Beast
// WebSocket client that checks the v5/v4.channel.k8s.io bytes, and by plain HTTP for logs.
#include <thread>

#include <QtTest>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "engine/agent/streaming/channel_protocol.h"
#include "engine/agent/streaming/streaming_server.h"
#include "engine/core/spdy/spdy.h"

#include "host_process_backend.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace slipway;
using nlohmann::json;

namespace {

/// What a channel session delivered: the bytes per channel and the status on channel 3.
struct ChannelResult {
    std::map<int, std::string> channels;
    json status;
    std::string protocol;
    bool closedNormally = false;
};

/// A kubectl-like client: connects, upgrades with `protocols`, sends `messages` (each with its
/// channel byte already in front), then reads until the server closes.
ChannelResult runChannels(std::uint16_t port, const std::string& target,
                          const std::vector<std::string>& messages,
                          const std::string& protocols = "v5.channel.k8s.io") {
    ChannelResult result;
    asio::io_context context;
    tcp::resolver resolver(context);
    websocket::stream<tcp::socket> ws(context);
    asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws.set_option(websocket::stream_base::decorator([protocols](websocket::request_type& request) {
        request.set(http::field::sec_websocket_protocol, protocols);
    }));
    websocket::response_type response;
    ws.handshake(response, "127.0.0.1", target);
    result.protocol = std::string(response[http::field::sec_websocket_protocol]);
    ws.binary(true);
    for (const auto& message : messages) {
        ws.write(asio::buffer(message));
    }
    while (true) {
        beast::flat_buffer buffer;
        beast::error_code ec;
        ws.read(buffer, ec);
        if (ec == websocket::error::closed) {
            result.closedNormally = ws.reason().code == websocket::close_code::normal;
            break;
        }
        if (ec) {
            qWarning("read: %s", ec.message().c_str());
            break;
        }
        const std::string data = beast::buffers_to_string(buffer.data());
        if (data.empty()) {
            continue;
        }
        const int channel = static_cast<unsigned char>(data[0]);
        result.channels[channel] += data.substr(1);
        if (channel == agent::streaming::kErrorChannel) {
            result.status = json::parse(data.substr(1), nullptr, false);
        }
    }
    return result;
}

struct HttpResult {
    int status = 0;
    std::string body;
    std::string contentType;
};

HttpResult httpGet(std::uint16_t port, const std::string& target) {
    asio::io_context context;
    tcp::resolver resolver(context);
    beast::tcp_stream stream(context);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return {static_cast<int>(response.result_int()), response.body(),
            std::string(response[http::field::content_type])};
}

std::string stdinMessage(const std::string& data) {
    return std::string(1, '\0') + data;
}

}  // namespace

class TstStreamingServer : public QObject {
    Q_OBJECT

private:
    testing::HostProcessBackend m_backend;
    std::unique_ptr<agent::streaming::StreamingServer> m_server;
    std::uint16_t m_port = 0;

private slots:
    void initTestCase() {
        agent::streaming::StreamingServerOptions options;
        options.address = "127.0.0.1";
        options.port = 0;
        m_server = std::make_unique<agent::streaming::StreamingServer>(options, m_backend);
        auto port = m_server->start();
        QVERIFY2(port.ok(), port ? "" : port.error().message().c_str());
        m_port = *port;
        m_backend.setLogScript("p", "c", "printf 'a\\nb\\nc\\n'");
        m_backend.setLogScript("p", "slow", "echo one; sleep 0.3; echo two; sleep 0.3; echo three");
        m_backend.setWaiting("p", "new", "ContainerCreating");
        m_backend.setAttachScript("p", "c", "read line; echo attached:$line");
    }

    void cleanupTestCase() { m_server->stop(); }

    void portForwardSpeaksSpdyOverTheUpgrade() {
        // An echo listener the host backend forwards to.
        asio::io_context context;
        tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        const auto echoPort = acceptor.local_endpoint().port();
        std::thread echo([&acceptor] {
            tcp::socket socket = acceptor.accept();
            beast::error_code ec;
            char buffer[1024];
            std::size_t got = 0;
            while ((got = socket.read_some(asio::buffer(buffer), ec)) > 0 && !ec) {
                asio::write(socket, asio::buffer(buffer, got), ec);
            }
            socket.shutdown(tcp::socket::shutdown_send, ec);
        });

        tcp::resolver resolver(context);
        tcp::socket socket(context);
        asio::connect(socket, resolver.resolve("127.0.0.1", std::to_string(m_port)));
        const std::string head =
            "POST /portForward/default/p HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
            "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n"
            "Content-Length: 0\r\n\r\n";
        asio::write(socket, asio::buffer(head));
        beast::flat_buffer buffer;
        http::response_parser<http::empty_body> parser;
        http::read_header(socket, buffer, parser);
        QCOMPARE(parser.get().result_int(), 101u);
        QCOMPARE(std::string(parser.get()["X-Stream-Protocol-Version"]),
                 std::string("portforward.k8s.io"));

        std::vector<std::uint32_t> replies;
        std::vector<std::uint32_t> resets;
        std::string echoed;
        bool dataFin = false;
        bool errorFin = false;
        core::spdy::Connection::Handlers handlers;
        handlers.reply = [&](std::uint32_t id, const core::spdy::HeaderBlock&, bool) {
            replies.push_back(id);
        };
        handlers.reset = [&](std::uint32_t id, core::spdy::RstStatus) { resets.push_back(id); };
        handlers.data = [&](std::uint32_t id, std::string_view data, bool fin) {
            if (id == 3) {
                echoed += data;
                dataFin = dataFin || fin;
            } else if (id == 1) {
                errorFin = errorFin || fin;
            }
        };
        core::spdy::Connection spdy(core::spdy::Connection::Role::Client, handlers);
        const std::string port = std::to_string(echoPort);
        // A pair without requestID (an old client): the error stream's id names it.
        spdy.openStream({{"streamType", "error"}, {"port", port}}, false);
        spdy.sendData(1, {}, true);
        spdy.openStream({{"streamType", "data"}, {"port", port}}, false);
        spdy.sendData(3, "ping through spdy", true);
        // A stream the kubelet's checks refuse: no port.
        spdy.openStream({{"streamType", "data"}}, false);
        asio::write(socket, asio::buffer(spdy.takeOutput()));
        if (buffer.size() > 0) {
            QVERIFY(spdy.receive(beast::buffers_to_string(buffer.data())).ok());
        }
        timeval timeout{10, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        char chunk[4096];
        while (!(dataFin && errorFin)) {
            beast::error_code ec;
            const auto got = socket.read_some(asio::buffer(chunk), ec);
            if (ec) {
                break;
            }
            QVERIFY(spdy.receive(std::string_view(chunk, got)).ok());
        }
        echo.join();
        QCOMPARE(replies, (std::vector<std::uint32_t>{1, 3}));
        QCOMPARE(resets, (std::vector<std::uint32_t>{5}));
        QCOMPARE(echoed, std::string("ping through spdy"));
        QVERIFY(dataFin && errorFin);
    }

    void portForwardRefusesWhatItCannotSpeak() {
        const auto plain = httpGet(m_port, "/portForward/default/p");
        QCOMPARE(plain.status, 400);
        QVERIFY(plain.body.find("Upgrade request required") != std::string::npos);
        // A WebSocket without the SPDY tunnelling subprotocol.
        asio::io_context context;
        tcp::resolver resolver(context);
        websocket::stream<tcp::socket> ws(context);
        asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(m_port)));
        ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
            request.set(http::field::sec_websocket_protocol, "v5.channel.k8s.io");
        }));
        websocket::response_type response;
        beast::error_code ec;
        ws.handshake(response, "127.0.0.1", "/portForward/default/p", ec);
        QCOMPARE(ec, beast::error_code(websocket::error::upgrade_declined));
    }

    void execSeparatesStdoutAndStderrAndReportsTheExitCode() {
        const auto result = runChannels(
            m_port,
            "/exec/default/p/c?command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262%3B+exit+3"
            "&stdout=true&stderr=true",
            {});
        QCOMPARE(result.protocol, std::string("v5.channel.k8s.io"));
        QCOMPARE(result.channels.at(1), std::string("out\n"));
        QCOMPARE(result.channels.at(2), std::string("err\n"));
        QCOMPARE(result.status.value("status", ""), std::string("Failure"));
        QCOMPARE(result.status.value("reason", ""), std::string("NonZeroExitCode"));
        QCOMPARE(result.status["details"]["causes"][0]["reason"].get<std::string>(),
                 std::string("ExitCode"));
        QCOMPARE(result.status["details"]["causes"][0]["message"].get<std::string>(),
                 std::string("3"));
        QVERIFY(result.closedNormally);
    }

    void execSuccessSendsSuccessStatus() {
        const auto result =
            runChannels(m_port, "/exec/default/p/c?command=true&stdout=true&stderr=true", {});
        QCOMPARE(result.status, json::parse("{\"metadata\":{},\"status\":\"Success\"}"));
        QVERIFY(!result.channels.contains(1));
    }

    void stdinIsRelayedAndItsCloseIsEndOfFile() {
        // cat ends only when its stdin ends: the v5 close message for channel 0.
        const std::string close("\xff\x00", 2);
        const auto result =
            runChannels(m_port, "/exec/default/p/c?command=cat&stdin=true&stdout=true&stderr=true",
                        {stdinMessage("hello "), stdinMessage("world\n"), close});
        QCOMPARE(result.channels.at(1), std::string("hello world\n"));
        QCOMPARE(result.status.value("status", ""), std::string("Success"));
    }

    void v4IsServedWhenOffered() {
        const auto result =
            runChannels(m_port, "/exec/default/p/c?command=echo&command=v4&stdout=true", {},
                        "v4.channel.k8s.io");
        QCOMPARE(result.protocol, std::string("v4.channel.k8s.io"));
        QCOMPARE(result.channels.at(1), std::string("v4\n"));
        QCOMPARE(result.status.value("status", ""), std::string("Success"));
    }

    void ttyGetsTheClientsTerminalSize() {
        // The size arrives before the command reads its input line, so stty sees it.
        const auto result = runChannels(
            m_port,
            "/exec/default/p/c?command=sh&command=-c&command=read+x%3B+stty+size&stdin=true"
            "&stdout=true&tty=true",
            {std::string("\x04{\"Width\":100,\"Height\":30}"), stdinMessage("go\r")});
        QVERIFY2(result.channels.at(1).find("30 100") != std::string::npos,
                 result.channels.at(1).c_str());
        QVERIFY(!result.channels.contains(2));
        QCOMPARE(result.status.value("status", ""), std::string("Success"));
    }

    void attachConnectsToTheMainProcess() {
        const auto result = runChannels(m_port, "/attach/default/p/c?stdin=true&stdout=true",
                                        {stdinMessage("yes\n")});
        QCOMPARE(result.channels.at(1), std::string("attached:yes\n"));
        QCOMPARE(result.status.value("status", ""), std::string("Success"));
    }

    void execWithoutCommandIsBadRequest() {
        const auto result = httpGet(m_port, "/exec/default/p/c?stdout=true");
        QCOMPARE(result.status, 400);
        const auto status = json::parse(result.body);
        QCOMPARE(status.value("message", ""), std::string("you must specify at least 1 command"));
    }

    void execWithoutUpgradeIsBadRequest() {
        const auto result = httpGet(m_port, "/exec/default/p/c?command=ls&stdout=true");
        QCOMPARE(result.status, 400);
    }

    void logsHonourTailLines() {
        const auto result = httpGet(m_port, "/containerLogs/default/p/c?tailLines=2");
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, std::string("b\nc\n"));
        QCOMPARE(result.contentType, std::string("text/plain"));
    }

    void logsWithTimestampsAndLimitBytes() {
        const auto stamped = httpGet(m_port, "/containerLogs/default/p/c?timestamps=true");
        QCOMPARE(stamped.status, 200);
        const QRegularExpression line(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z a\\n"));
        QVERIFY2(line.match(QString::fromStdString(stamped.body)).hasMatch(), stamped.body.c_str());
        const auto limited = httpGet(m_port, "/containerLogs/default/p/c?limitBytes=3");
        QCOMPARE(limited.body, std::string("a\nb"));
    }

    void followStreamsUntilTheLogEnds() {
        // The script prints over 0.6 s: a follower gets every line and the stream ends.
        const auto started = std::chrono::steady_clock::now();
        const auto result = httpGet(m_port, "/containerLogs/default/p/slow?follow=true");
        QCOMPARE(result.body, std::string("one\ntwo\nthree\n"));
        QVERIFY(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(500));
    }

    void logsOfAWaitingContainerSayWhy() {
        const auto result = httpGet(m_port, "/containerLogs/default/p/new");
        QCOMPARE(result.status, 400);
        const auto status = json::parse(result.body);
        QCOMPARE(status.value("message", ""),
                 std::string("container \"new\" in pod \"p\" is waiting to start: "
                             "ContainerCreating"));
        QCOMPARE(status.value("reason", ""), std::string("BadRequest"));
    }

    void badLogOptionsAreRefused() {
        QCOMPARE(httpGet(m_port, "/containerLogs/default/p/c?tailLines=x").status, 400);
        QCOMPARE(httpGet(m_port,
                         "/containerLogs/default/p/c?sinceSeconds=1&sinceTime="
                         "2024-01-01T00:00:00Z")
                     .status,
                 400);
        QCOMPARE(httpGet(m_port, "/containerLogs/default/p").status, 404);
    }

    void channelProtocolNegotiation() {
        using agent::streaming::ChannelProtocol;
        using agent::streaming::negotiateChannelProtocol;
        QCOMPARE(negotiateChannelProtocol("v5.channel.k8s.io, v4.channel.k8s.io"),
                 std::optional(ChannelProtocol::V5));
        QCOMPARE(negotiateChannelProtocol("channel.k8s.io,v4.channel.k8s.io"),
                 std::optional(ChannelProtocol::V4));
        QVERIFY(!negotiateChannelProtocol("base64.channel.k8s.io").has_value());
        // v4 has no close message: 255 is not a stdin close there.
        QCOMPARE(agent::streaming::parseClientFrame(ChannelProtocol::V4, std::string("\xff\x00", 2))
                     .kind,
                 agent::streaming::ClientFrame::Kind::Ignored);
    }
};

QTEST_GUILESS_MAIN(TstStreamingServer)
#include "tst_streaming_server.moc"
