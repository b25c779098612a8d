// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace slipway::testing {

/// A network namespace of the test's own: a thread that unshared its network namespace (with
/// lo up) and stays parked in it, so /proc/<pid>/task/<tid>/ns/net names it while it lives.
/// Servers started "inside" it run their accept loop on threads that entered it.
class TestNetns {
public:
    TestNetns();
    ~TestNetns();
    /// Empty when it could not be made (not root).
    const std::string& path() const { return m_path; }
    const std::string& error() const { return m_error; }

private:
    std::string m_path;
    std::string m_error;
    std::thread m_thread;
    int m_stopPipe[2] = {-1, -1};
};

/// A canned answer of TestHttpServer.
struct CannedResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Never answer (until the server stops): for timeouts.
    bool hang = false;
};

/// A loopback HTTP/1.1 server on a thread, one connection at a time, answering each request
/// with what `handler` returns for its path. Records requests (head only) and their times.
/// With `netnsPath` it listens inside that namespace (and 127.0.0.1 there is not the test's).
class TestHttpServer {
public:
    using Handler = std::function<CannedResponse(const std::string& path)>;
    explicit TestHttpServer(Handler handler, const std::string& netnsPath = {});
    ~TestHttpServer();

    std::uint16_t port() const { return m_port; }
    std::vector<std::string> requests() const;
    std::vector<std::chrono::steady_clock::time_point> requestTimes() const;
    std::size_t requestCount() const;

private:
    void serve();

    Handler m_handler;
    int m_listenFd = -1;
    int m_stopPipe[2] = {-1, -1};
    std::uint16_t m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_requests;
    std::vector<std::chrono::steady_clock::time_point> m_times;
};

/// A gRPC server over h2c (libnghttp2) answering grpc.health.v1.Health/Check: with
/// `servingStatus` (1 SERVING, 2 NOT_SERVING) for the empty service and `known`, grpc-status
/// 5 NotFound for other services, 12 Unimplemented for other paths.
class TestGrpcServer {
public:
    explicit TestGrpcServer(const std::string& netnsPath = {});
    ~TestGrpcServer();
    std::uint16_t port() const { return m_port; }
    std::atomic<int> servingStatus{1};
    std::atomic<bool> hang{false};
    std::string lastPath() const;
    std::string lastService() const;
    /// Called by the connection handler for each call.
    void record(const std::string& path, const std::string& service);

private:
    void serve();
    int m_listenFd = -1;
    int m_stopPipe[2] = {-1, -1};
    std::uint16_t m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::string m_lastPath;
    std::string m_lastService;
};

/// Binds 127.0.0.1:0 inside `netnsPath` (or here) and listens; returns the fd and its port.
int listenLoopback(const std::string& netnsPath, std::uint16_t& port);
/// A port on 127.0.0.1 that nothing listens on (bound then closed).
std::uint16_t closedPort();

}  // namespace slipway::testing
