// SPDX-License-Identifier: Apache-2.0
#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/probes/probe_internal.h"
#include "engine/agent/probes/prober.h"

namespace slipway::agent::probes {

core::Result<int> socketInNamespace(const std::string& netnsPath, int family) {
    constexpr int kType = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
    if (netnsPath.empty()) {
        const int fd = ::socket(family, kType, 0);
        if (fd < 0) {
            return core::Error(core::ErrorCode::Io, std::string("socket: ") + std::strerror(errno));
        }
        return fd;
    }
    // setns(CLONE_NEWNET) changes the namespace of the calling thread only, so a thread of its
    // own enters the pod's namespace, makes the socket and ends; the socket stays in that
    // namespace for its whole life, whichever thread uses it.
    int fd = -1;
    int error = 0;
    std::string step;
    std::thread helper([&] {
        const int ns = ::open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (ns < 0) {
            error = errno;
            step = "open " + netnsPath;
            return;
        }
        if (::setns(ns, CLONE_NEWNET) != 0) {
            error = errno;
            step = "setns " + netnsPath;
            ::close(ns);
            return;
        }
        ::close(ns);
        fd = ::socket(family, kType, 0);
        if (fd < 0) {
            error = errno;
            step = "socket";
        }
    });
    helper.join();
    if (fd < 0) {
        return core::Error(core::ErrorCode::Io, step + ": " + std::strerror(error));
    }
    return fd;
}

namespace detail {

std::string joinHostPort(const std::string& host, int port) {
    if (host.find(':') != std::string::npos) {
        return "[" + host + "]:" + std::to_string(port);
    }
    return host + ":" + std::to_string(port);
}

std::string errnoText(int error) {
    // Go's syscall.Errno strings are glibc's with a lower-case first letter.
    std::string text = std::strerror(error);
    if (!text.empty()) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

std::string goDuration(std::chrono::milliseconds duration) {
    auto ms = duration.count();
    if (ms == 0) {
        return "0s";
    }
    if (ms < 1000) {
        return std::to_string(ms) + "ms";
    }
    std::string text;
    const auto hours = ms / 3'600'000;
    ms %= 3'600'000;
    const auto minutes = ms / 60'000;
    ms %= 60'000;
    if (hours > 0) {
        text += std::to_string(hours) + "h";
    }
    if (hours > 0 || minutes > 0) {
        text += std::to_string(minutes) + "m";
    }
    text += std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
        while (!fraction.empty() && fraction.back() == '0') {
            fraction.pop_back();
        }
        text += "." + fraction;
    }
    return text + "s";
}

namespace {

struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
};

bool parseLiteral(const std::string& host, int port, Address& out) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        out.length = sizeof(sockaddr_in);
        out.family = AF_INET;
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        out.length = sizeof(sockaddr_in6);
        out.family = AF_INET6;
        return true;
    }
    return false;
}

/// One connection attempt to one address; `target` names it in errors.
Dialed connectOne(const std::string& netnsPath, const Address& address, const std::string& target,
                  Clock::time_point deadline) {
    Dialed result;
    auto socket = socketInNamespace(netnsPath, address.family);
    if (!socket) {
        result.error = "dial tcp " + target + ": " + socket.error().message();
        return result;
    }
    const int fd = *socket;
    auto fail = [&](int error) {
        ::close(fd);
        result.error = "dial tcp " + target + ": connect: " + errnoText(error);
        return result;
    };
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
        if (errno != EINPROGRESS) {
            return fail(errno);
        }
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                ::close(fd);
                result.timedOut = true;
                result.error = "dial tcp " + target + ": i/o timeout";
                return result;
            }
            pollfd waiting{fd, POLLOUT, 0};
            const int rc = ::poll(&waiting, 1, static_cast<int>(left.count()) + 1);
            if (rc < 0 && errno == EINTR) {
                continue;
            }
            if (rc < 0) {
                return fail(errno);
            }
            if (rc == 0) {
                continue;
            }
            int error = 0;
            socklen_t length = sizeof(error);
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) {
                return fail(error);
            }
            break;
        }
    }
    result.fd = fd;
    return result;
}

std::string addressText(const Address& address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address.family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&address.storage)->sin_addr,
                    text, sizeof(text));
    } else {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&address.storage)->sin6_addr,
                    text, sizeof(text));
    }
    return text;
}

}  // namespace

Dialed dial(const std::string& netnsPath, const std::string& host, int port,
            Clock::time_point deadline) {
    Address literal;
    if (parseLiteral(host, port, literal)) {
        return connectOne(netnsPath, literal, joinHostPort(host, port), deadline);
    }
    // A name: every address it resolves to in turn, as Go's dialer does; errors name the
    // address tried ("dial tcp [::1]:8080: connect: connection refused").
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
        Dialed result;
        result.error = "dial tcp: lookup " + host + ": no such host";
        return result;
    }
    Dialed result;
    for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
        if (entry->ai_family != AF_INET && entry->ai_family != AF_INET6) {
            continue;
        }
        Address address;
        std::memcpy(&address.storage, entry->ai_addr, entry->ai_addrlen);
        address.length = entry->ai_addrlen;
        address.family = entry->ai_family;
        if (address.family == AF_INET) {
            reinterpret_cast<sockaddr_in*>(&address.storage)->sin_port =
                htons(static_cast<std::uint16_t>(port));
        } else {
            reinterpret_cast<sockaddr_in6*>(&address.storage)->sin6_port =
                htons(static_cast<std::uint16_t>(port));
        }
        result = connectOne(netnsPath, address, joinHostPort(addressText(address), port), deadline);
        if (result.fd >= 0 || result.timedOut) {
            break;
        }
    }
    ::freeaddrinfo(found);
    return result;
}

}  // namespace detail
}  // namespace slipway::agent::probes
