// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/userspace_proxy.h"

#include <random>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::proxy {

namespace {

/// Copies bytes both ways until either side closes (or a 10-minute idle timeout).
void relay(int client, int backend) {
    pollfd fds[2] = {{client, POLLIN, 0}, {backend, POLLIN, 0}};
    char buffer[16384];
    while (::poll(fds, 2, 600000) > 0) {
        for (int i = 0; i < 2; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got <= 0) {
                return;
            }
            ssize_t sent = 0;
            while (sent < got) {
                const ssize_t n =
                    ::write(fds[1 - i].fd, buffer + sent, static_cast<std::size_t>(got - sent));
                if (n <= 0) {
                    return;
                }
                sent += n;
            }
        }
    }
}

int connectTo(const Endpoint& endpoint) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(endpoint.port));
    if (fd < 0 || inet_pton(AF_INET, endpoint.ip.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        return -1;
    }
    return fd;
}

}  // namespace

struct UserspaceProxy::Listener {
    int fd = -1;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::vector<Endpoint> endpoints;
    std::thread thread;

    ~Listener() {
        stopping = true;
        if (thread.joinable()) {
            thread.join();
        }
        if (fd >= 0) {
            ::close(fd);
        }
    }

    void serve() {
        std::mt19937 random(std::random_device{}());
        while (!stopping) {
            pollfd ready = {fd, POLLIN, 0};
            if (::poll(&ready, 1, 200) <= 0) {
                continue;
            }
            const int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            Endpoint target;
            {
                std::lock_guard lock(mutex);
                if (!endpoints.empty()) {
                    target = endpoints[random() % endpoints.size()];
                }
            }
            // Connections are detached: each ends when either side closes.
            std::thread([client, target] {
                const int backend = target.ip.empty() ? -1 : connectTo(target);
                if (backend >= 0) {
                    relay(client, backend);
                    ::close(backend);
                }
                ::close(client);
            }).detach();
        }
    }
};

UserspaceProxy::UserspaceProxy(std::vector<std::string> nodeIps) : m_nodeIps(std::move(nodeIps)) {
    if (m_nodeIps.empty()) {
        m_nodeIps.push_back("0.0.0.0");
    }
}

UserspaceProxy::~UserspaceProxy() = default;

void UserspaceProxy::update(const std::vector<ServicePort>& ports) {
    std::map<std::string, std::vector<Endpoint>> wanted;
    for (const auto& port : ports) {
        if (port.nodePort == 0 || port.protocol != "tcp") {
            continue;
        }
        for (const auto& ip : m_nodeIps) {
            auto& endpoints = wanted[ip + ":" + std::to_string(port.nodePort)];
            for (const auto& endpoint : port.endpoints) {
                if (endpoint.ready) {
                    endpoints.push_back(endpoint);
                }
            }
        }
    }
    std::lock_guard lock(m_mutex);
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        it = wanted.contains(it->first) ? std::next(it) : m_listeners.erase(it);
    }
    for (auto& [key, endpoints] : wanted) {
        auto& listener = m_listeners[key];
        if (!listener) {
            const auto colon = key.rfind(':');
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(key.substr(colon + 1))));
            inet_pton(AF_INET, key.substr(0, colon).c_str(), &address.sin_addr);
            auto made = std::make_unique<Listener>();
            made->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            const int on = 1;
            ::setsockopt(made->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            if (made->fd < 0 ||
                ::bind(made->fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) !=
                    0 ||
                ::listen(made->fd, 128) != 0) {
                spdlog::warn("userspace proxy: cannot listen on {}", key);
                m_listeners.erase(key);
                continue;
            }
            made->thread = std::thread([raw = made.get()] { raw->serve(); });
            listener = std::move(made);
        }
        std::lock_guard endpointsLock(listener->mutex);
        listener->endpoints = std::move(endpoints);
    }
}

std::size_t UserspaceProxy::listeners() const {
    std::lock_guard lock(m_mutex);
    return m_listeners.size();
}

}  // namespace slipway::proxy
