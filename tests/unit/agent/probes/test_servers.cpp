// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/agent/probes/test_servers.h"

#include <cstring>
#include <future>
#include <map>

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/agent/probes/prober.h"

namespace slipway::testing {

TestNetns::TestNetns() {
    if (::pipe2(m_stopPipe, O_CLOEXEC) != 0) {
        m_error = "pipe";
        return;
    }
    std::promise<std::string> ready;
    auto answer = ready.get_future();
    m_thread = std::thread([this, &ready] {
        if (::unshare(CLONE_NEWNET) != 0) {
            ready.set_value(std::string("!unshare: ") + std::strerror(errno));
            return;
        }
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq request{};
        std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
        if (fd < 0 || ::ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
            ready.set_value("!SIOCGIFFLAGS");
            return;
        }
        request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
        if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
            ready.set_value("!SIOCSIFFLAGS");
            return;
        }
        ::close(fd);
        ready.set_value("/proc/" + std::to_string(::getpid()) + "/task/" +
                        std::to_string(::syscall(SYS_gettid)) + "/ns/net");
        // Parked here; the namespace lives as long as this thread.
        pollfd waiting{m_stopPipe[0], POLLIN, 0};
        while (::poll(&waiting, 1, -1) < 0 && errno == EINTR) {
        }
    });
    auto text = answer.get();
    if (!text.empty() && text.front() == '!') {
        m_error = text.substr(1);
    } else {
        m_path = text;
    }
}

TestNetns::~TestNetns() {
    if (m_stopPipe[1] >= 0) {
        [[maybe_unused]] auto n = ::write(m_stopPipe[1], "x", 1);
    }
    if (m_thread.joinable()) {
        m_thread.join();
    }
    for (int fd : m_stopPipe) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

int listenLoopback(const std::string& netnsPath, std::uint16_t& port) {
    auto socket = agent::probes::socketInNamespace(netnsPath, AF_INET);
    if (!socket) {
        return -1;
    }
    const int fd = *socket;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 16) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        return -1;
    }
    port = ntohs(address.sin_port);
    return fd;
}

std::uint16_t closedPort() {
    std::uint16_t port = 0;
    const int fd = listenLoopback({}, port);
    ::close(fd);
    return port;
}

namespace {

/// Waits for `fd` to be readable or the stop pipe to fire; false on stop.
bool waitReadable(int fd, int stopFd) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stopFd, POLLIN, 0}};
    for (;;) {
        const int rc = ::poll(fds, 2, -1);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        return rc > 0 && (fds[1].revents & POLLIN) == 0;
    }
}

void writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) {
            pollfd waiting{fd, POLLOUT, 0};
            ::poll(&waiting, 1, 1000);
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

TestHttpServer::TestHttpServer(Handler handler, const std::string& netnsPath)
    : m_handler(std::move(handler)) {
    [[maybe_unused]] int rc = ::pipe2(m_stopPipe, O_CLOEXEC);
    m_listenFd = listenLoopback(netnsPath, m_port);
    if (m_listenFd >= 0) {
        m_thread = std::thread([this] { serve(); });
    }
}

TestHttpServer::~TestHttpServer() {
    [[maybe_unused]] auto n = ::write(m_stopPipe[1], "x", 1);
    if (m_thread.joinable()) {
        m_thread.join();
    }
    ::close(m_listenFd);
    ::close(m_stopPipe[0]);
    ::close(m_stopPipe[1]);
}

std::vector<std::string> TestHttpServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::vector<std::chrono::steady_clock::time_point> TestHttpServer::requestTimes() const {
    std::lock_guard lock(m_mutex);
    return m_times;
}

std::size_t TestHttpServer::requestCount() const {
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

void TestHttpServer::serve() {
    while (waitReadable(m_listenFd, m_stopPipe[0])) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        std::string head;
        char buffer[4096];
        bool stop = false;
        while (head.find("\r\n\r\n") == std::string::npos) {
            if (!waitReadable(fd, m_stopPipe[0])) {
                stop = true;
                break;
            }
            const auto n = ::read(fd, buffer, sizeof(buffer));
            if (n <= 0) {
                break;
            }
            head.append(buffer, static_cast<std::size_t>(n));
        }
        if (stop) {
            ::close(fd);
            return;
        }
        const auto firstSpace = head.find(' ');
        const auto secondSpace = head.find(' ', firstSpace + 1);
        const std::string path = firstSpace == std::string::npos
                                     ? std::string()
                                     : head.substr(firstSpace + 1, secondSpace - firstSpace - 1);
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(head);
            m_times.push_back(std::chrono::steady_clock::now());
        }
        const CannedResponse response = m_handler(path);
        if (response.hang) {
            // Hold the connection until the client gives up (EOF) or the server stops.
            while (waitReadable(fd, m_stopPipe[0]) && ::read(fd, buffer, sizeof(buffer)) > 0) {
            }
            ::close(fd);
            continue;
        }
        std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Canned\r\n";
        for (const auto& [name, value] : response.headers) {
            out += name + ": " + value + "\r\n";
        }
        out += "Content-Length: " + std::to_string(response.body.size()) +
               "\r\nConnection: close\r\n\r\n" + response.body;
        writeAll(fd, out);
        ::close(fd);
    }
}

// ---- gRPC ---------------------------------------------------------------------------------

struct GrpcConnection {
    TestGrpcServer* server = nullptr;
    int fd = -1;
    std::map<std::int32_t, std::string> paths;
    std::map<std::int32_t, std::string> bodies;
    std::map<std::int32_t, std::string> responses;
    std::map<std::int32_t, std::size_t> sent;
    std::string status;
};

namespace {

nghttp2_nv nv(const char* name, const std::string& value) {
    nghttp2_nv h;
    h.name = reinterpret_cast<std::uint8_t*>(const_cast<char*>(name));
    h.namelen = std::strlen(name);
    h.value = reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.c_str()));
    h.valuelen = value.size();
    h.flags = NGHTTP2_NV_FLAG_NONE;
    return h;
}

ssize_t readResponse(nghttp2_session* session, std::int32_t stream, std::uint8_t* buffer,
                     std::size_t length, std::uint32_t* flags, nghttp2_data_source*, void* user) {
    auto* c = static_cast<GrpcConnection*>(user);
    const auto& body = c->responses[stream];
    auto& offset = c->sent[stream];
    const std::size_t n = std::min(length, body.size() - offset);
    std::memcpy(buffer, body.data() + offset, n);
    offset += n;
    if (offset == body.size()) {
        *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
        static const std::string ok = "0";
        const nghttp2_nv trailers[] = {nv("grpc-status", ok)};
        nghttp2_submit_trailer(session, stream, trailers, 1);
    }
    return static_cast<ssize_t>(n);
}

void respond(nghttp2_session* session, GrpcConnection& c, std::int32_t stream) {
    TestGrpcServer& server = *c.server;
    const std::string path = c.paths[stream];
    std::string service;
    const std::string& body = c.bodies[stream];
    if (body.size() > 7 && body[5] == '\x0a') {
        service = body.substr(7, static_cast<unsigned char>(body[6]));
    }
    server.record(path, service);
    static const std::string ok = "200";
    static const std::string grpc = "application/grpc";
    if (path != "/grpc.health.v1.Health/Check" || (!service.empty() && service != "known")) {
        static const std::string unimplemented = "12";
        static const std::string notFound = "5";
        static const std::string unknownMethod = "unknown service grpc.health.v1.Health";
        static const std::string unknownService = "unknown service";
        const bool wrongPath = path != "/grpc.health.v1.Health/Check";
        const nghttp2_nv headers[] = {
            nv(":status", ok), nv("content-type", grpc),
            nv("grpc-status", wrongPath ? unimplemented : notFound),
            nv("grpc-message", wrongPath ? unknownMethod : unknownService)};
        nghttp2_submit_response(session, stream, headers, 4, nullptr);
        return;
    }
    std::string message = "\x08";
    message += static_cast<char>(server.servingStatus.load());
    std::string framed(1, '\0');
    framed += std::string("\0\0\0", 3);
    framed += static_cast<char>(message.size());
    framed += message;
    c.responses[stream] = framed;
    const nghttp2_nv headers[] = {nv(":status", ok), nv("content-type", grpc)};
    nghttp2_data_provider provider{};
    provider.read_callback = readResponse;
    nghttp2_submit_response(session, stream, headers, 2, &provider);
}

}  // namespace

TestGrpcServer::TestGrpcServer(const std::string& netnsPath) {
    [[maybe_unused]] int rc = ::pipe2(m_stopPipe, O_CLOEXEC);
    m_listenFd = listenLoopback(netnsPath, m_port);
    if (m_listenFd >= 0) {
        m_thread = std::thread([this] { serve(); });
    }
}

TestGrpcServer::~TestGrpcServer() {
    [[maybe_unused]] auto n = ::write(m_stopPipe[1], "x", 1);
    if (m_thread.joinable()) {
        m_thread.join();
    }
    ::close(m_listenFd);
    ::close(m_stopPipe[0]);
    ::close(m_stopPipe[1]);
}

void TestGrpcServer::record(const std::string& path, const std::string& service) {
    std::lock_guard lock(m_mutex);
    m_lastPath = path;
    m_lastService = service;
}

std::string TestGrpcServer::lastPath() const {
    std::lock_guard lock(m_mutex);
    return m_lastPath;
}

std::string TestGrpcServer::lastService() const {
    std::lock_guard lock(m_mutex);
    return m_lastService;
}

void TestGrpcServer::serve() {
    while (waitReadable(m_listenFd, m_stopPipe[0])) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        GrpcConnection c;
        c.server = this;
        c.fd = fd;
        nghttp2_session_callbacks* callbacks = nullptr;
        nghttp2_session_callbacks_new(&callbacks);
        nghttp2_session_callbacks_set_on_header_callback(
            callbacks, [](nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                          std::size_t nameLength, const std::uint8_t* value,
                          std::size_t valueLength, std::uint8_t, void* user) {
                if (std::string(reinterpret_cast<const char*>(name), nameLength) == ":path") {
                    static_cast<GrpcConnection*>(user)->paths[frame->hd.stream_id] =
                        std::string(reinterpret_cast<const char*>(value), valueLength);
                }
                return 0;
            });
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
            callbacks, [](nghttp2_session*, std::uint8_t, std::int32_t stream,
                          const std::uint8_t* data, std::size_t length, void* user) {
                static_cast<GrpcConnection*>(user)->bodies[stream].append(
                    reinterpret_cast<const char*>(data), length);
                return 0;
            });
        nghttp2_session_callbacks_set_on_frame_recv_callback(
            callbacks, [](nghttp2_session* session, const nghttp2_frame* frame, void* user) {
                auto* conn = static_cast<GrpcConnection*>(user);
                if ((frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS) &&
                    (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0 &&
                    !conn->server->hang.load()) {
                    respond(session, *conn, frame->hd.stream_id);
                }
                return 0;
            });
        nghttp2_session* session = nullptr;
        nghttp2_session_server_new(&session, callbacks, &c);
        nghttp2_session_callbacks_del(callbacks);
        nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
        char buffer[16384];
        bool open = true;
        while (open) {
            for (;;) {
                const std::uint8_t* chunk = nullptr;
                const ssize_t n = nghttp2_session_mem_send(session, &chunk);
                if (n <= 0) {
                    break;
                }
                writeAll(fd, std::string(reinterpret_cast<const char*>(chunk),
                                         static_cast<std::size_t>(n)));
            }
            if (!waitReadable(fd, m_stopPipe[0])) {
                nghttp2_session_del(session);
                ::close(fd);
                return;
            }
            const auto n = ::read(fd, buffer, sizeof(buffer));
            if (n <= 0 || nghttp2_session_mem_recv(session, reinterpret_cast<std::uint8_t*>(buffer),
                                                   static_cast<std::size_t>(n)) < 0) {
                open = false;
            }
        }
        nghttp2_session_del(session);
        ::close(fd);
    }
}

}  // namespace slipway::testing
