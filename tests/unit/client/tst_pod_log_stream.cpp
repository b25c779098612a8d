// SPDX-License-Identifier: Apache-2.0
// PodLogStream against a loopback HTTP server written here: the request kubectl logs -f
// sends, a chunked body delivered as it arrives, a Status refusal, and cancel() ending a
// stream the server keeps open.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/client/pod_log_stream.h"

using namespace slipway;

namespace {

/// One connection's worth of HTTP server on 127.0.0.1: reads the request head, then runs
/// `respond` with the connected socket.
class OneShotServer {
public:
    template <typename Respond>
    explicit OneShotServer(Respond respond) {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listener, 1);
        socklen_t length = sizeof address;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this, respond] {
            const int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) {
                return;
            }
            std::string head;
            char c = 0;
            while (head.find("\r\n\r\n") == std::string::npos && ::read(fd, &c, 1) == 1) {
                head += c;
            }
            {
                const std::lock_guard lock(m_mutex);
                m_head = head;
            }
            respond(fd);
            ::close(fd);
        });
    }
    ~OneShotServer() {
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_thread.join();
    }

    std::uint16_t port() const { return m_port; }
    std::string head() const {
        const std::lock_guard lock(m_mutex);
        return m_head;
    }

    static void send(int fd, const std::string& text) {
        (void)::write(fd, text.data(), text.size());
    }
    static std::string chunk(const std::string& text) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", text.size());
        return size + text + "\r\n";
    }

private:
    int m_listener = -1;
    std::uint16_t m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::string m_head;
};

client::ClientConfig plainConfig(std::uint16_t port) {
    client::ClientConfig config;
    config.server.scheme = "http";
    config.server.host = "127.0.0.1";
    config.server.port = port;
    config.bearerToken = "secret";
    return config;
}

}  // namespace

class TstPodLogStream : public QObject {
    Q_OBJECT

private slots:
    void followsAChunkedBody() {
        std::mutex mutex;
        std::condition_variable cv;
        bool firstSeen = false;
        bool sawFirstInTime = false;
        OneShotServer server([&](int fd) {
            OneShotServer::send(fd,
                                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n");
            OneShotServer::send(fd, OneShotServer::chunk("2026-01-01T10:00:00Z one\n"));
            // The next line only once the first has reached the caller: it is streamed, not
            // read to the end first.
            std::unique_lock lock(mutex);
            cv.wait_for(lock, std::chrono::seconds(10), [&] { return firstSeen; });
            sawFirstInTime = firstSeen;
            OneShotServer::send(fd,
                                OneShotServer::chunk("2026-01-01T10:00:01Z two\n") + "0\r\n\r\n");
        });
        client::PodLogRequest request;
        request.nameSpace = "default";
        request.pod = "web-1";
        request.container = "app";
        request.follow = true;
        request.timestamps = true;
        request.tailLines = 10;
        client::PodLogStream stream(plainConfig(server.port()), request);
        std::string received;
        auto result = stream.run([&](std::string_view chunk) {
            received += chunk;
            const std::lock_guard lock(mutex);
            firstSeen = true;
            cv.notify_all();
        });
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
        QCOMPARE(received, std::string("2026-01-01T10:00:00Z one\n2026-01-01T10:00:01Z two\n"));
        QVERIFY(sawFirstInTime);
        const std::string head = server.head();
        QVERIFY2(head.rfind("GET /api/v1/namespaces/default/pods/web-1/log?container=app&"
                            "follow=true&timestamps=true&tailLines=10 HTTP/1.1\r\n",
                            0) == 0,
                 head.c_str());
        QVERIFY(head.find("Authorization: Bearer secret\r\n") != std::string::npos);
    }

    void refusalIsTheStatusError() {
        OneShotServer server([](int fd) {
            const std::string body =
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                "\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"code\":404}";
            OneShotServer::send(fd,
                                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                                "Content-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body);
        });
        client::PodLogRequest request;
        request.nameSpace = "default";
        request.pod = "nope";
        client::PodLogStream stream(plainConfig(server.port()), request);
        bool called = false;
        auto result = stream.run([&](std::string_view) { called = true; });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), core::ErrorCode::NotFound);
        QCOMPARE(result.error().message(), std::string("pods \"nope\" not found"));
        QVERIFY(!called);
    }

    void cancelEndsAnOpenStream() {
        std::atomic<bool> done = false;
        OneShotServer server([&](int fd) {
            OneShotServer::send(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                        OneShotServer::chunk("hello\n"));
            // Keep the stream open (a quiet container) until the client has gone.
            char c = 0;
            while (!done && ::read(fd, &c, 1) > 0) {
            }
        });
        client::PodLogRequest request;
        request.nameSpace = "default";
        request.pod = "quiet";
        request.follow = true;
        client::PodLogStream stream(plainConfig(server.port()), request);
        std::atomic<bool> gotHello = false;
        core::Result<void> result;
        std::thread runner([&] {
            result = stream.run([&](std::string_view chunk) {
                gotHello = chunk.find("hello") != std::string_view::npos;
            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(gotHello, 10000);
        const auto start = std::chrono::steady_clock::now();
        stream.cancel();
        runner.join();
        done = true;
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), core::ErrorCode::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TstPodLogStream)
#include "tst_pod_log_stream.moc"
