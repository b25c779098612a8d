// SPDX-License-Identifier: Apache-2.0
// TCP helpers for tests that run inside network namespaces they made: a server that answers
// every connection with a fixed reply, and a one-shot client, each on a thread that entered
// the namespace (setns), so the test process itself stays where it is.
#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/netns.h"

namespace slipway::testing::tcp {

inline std::string netnsPath(const testing::NetworkNamespace& ns) {
    return "/run/netns/" + ns.name().toStdString();
}

inline bool enter(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::setns(fd, CLONE_NEWNET) == 0;
    ::close(fd);
    return ok;
}

/// A server inside a namespace on port 8080 that answers every TCP connection with `reply` and
/// closes it, and every UDP datagram with a datagram holding `reply`.
class NameServer {
public:
    NameServer(std::string path, std::string reply) {
        m_thread = std::thread([this, path = std::move(path), reply = std::move(reply)] {
            if (!enter(path)) {
                return;
            }
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            const int on = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(8080);
            const int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
                ::listen(fd, 64) != 0 ||
                ::bind(udp, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
                ::close(fd);
                ::close(udp);
                return;
            }
            m_listening = true;
            while (!m_stopping) {
                pollfd ready[2] = {{fd, POLLIN, 0}, {udp, POLLIN, 0}};
                if (::poll(ready, 2, 100) <= 0) {
                    continue;
                }
                if (ready[0].revents & POLLIN) {
                    const int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
                    if (client >= 0) {
                        (void)!::write(client, reply.data(), reply.size());
                        ::close(client);
                    }
                }
                if (ready[1].revents & POLLIN) {
                    char datagram[64];
                    sockaddr_in peer{};
                    socklen_t length = sizeof peer;
                    if (::recvfrom(udp, datagram, sizeof datagram, 0,
                                   reinterpret_cast<sockaddr*>(&peer), &length) >= 0) {
                        (void)!::sendto(udp, reply.data(), reply.size(), 0,
                                        reinterpret_cast<const sockaddr*>(&peer), length);
                    }
                }
            }
            ::close(fd);
            ::close(udp);
        });
    }
    ~NameServer() {
        m_stopping = true;
        m_thread.join();
    }
    bool listening() const { return m_listening; }

private:
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_listening{false};
    std::thread m_thread;
};

struct Fetched {
    std::string reply;
    int error = 0;  ///< errno of a failed connect
    std::chrono::milliseconds took{0};
};

/// Connects from namespace `path` (empty: the caller's own) to ip:port and reads the answer (2 s at
/// most).
inline Fetched fetch(const std::string& path, const std::string& ip, int port) {
    return std::async(std::launch::async,
                      [&] {
                          Fetched result;
                          const auto started = std::chrono::steady_clock::now();
                          if (!path.empty() && !enter(path)) {
                              result.error = errno;
                              return result;
                          }
                          const int fd =
                              ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                          sockaddr_in address{};
                          address.sin_family = AF_INET;
                          address.sin_port = htons(static_cast<std::uint16_t>(port));
                          inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
                          if (::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                                        sizeof address) != 0 &&
                              errno != EINPROGRESS) {
                              result.error = errno;
                          } else {
                              pollfd ready = {fd, POLLOUT, 0};
                              if (::poll(&ready, 1, 2000) <= 0) {
                                  result.error = ETIMEDOUT;
                              } else {
                                  int error = 0;
                                  socklen_t length = sizeof error;
                                  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
                                  result.error = error;
                              }
                          }
                          while (result.error == 0) {
                              pollfd readable = {fd, POLLIN, 0};
                              if (::poll(&readable, 1, 2000) <= 0) {
                                  result.error = ETIMEDOUT;
                                  break;
                              }
                              char buffer[256];
                              const ssize_t got = ::read(fd, buffer, sizeof buffer);
                              if (got <= 0) {
                                  break;
                              }
                              result.reply.append(buffer, static_cast<std::size_t>(got));
                          }
                          ::close(fd);
                          result.took = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started);
                          return result;
                      })
        .get();
}

}  // namespace slipway::testing::tcp
