// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/service_health_server.h"

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::proxy {

std::string healthCheckResponse(const ServiceHealth& health) {
    const nlohmann::json body = {
        {"service", {{"namespace", health.nameSpace}, {"name", health.name}}},
        {"localEndpoints", health.localEndpoints},
        {"serviceProxyHealthy", true}};
    const std::string text = body.dump();
    const bool healthy = health.localEndpoints > 0;
    return std::string(healthy ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 503 Service Unavailable\r\n") +
           "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(text.size()) + "\r\n\r\n" + text;
}

struct ServiceHealthServer::Listener {
    int fd = -1;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    ServiceHealth health;
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
        while (!stopping) {
            pollfd ready = {fd, POLLIN, 0};
            if (::poll(&ready, 1, 200) <= 0) {
                continue;
            }
            const int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            // The request is not looked at beyond its head (kube-proxy answers any path).
            std::string request;
            char buffer[1024];
            while (request.find("\r\n\r\n") == std::string::npos && request.size() < 8192) {
                pollfd readable = {client, POLLIN, 0};
                if (::poll(&readable, 1, 1000) <= 0) {
                    break;
                }
                const ssize_t got = ::read(client, buffer, sizeof buffer);
                if (got <= 0) {
                    break;
                }
                request.append(buffer, static_cast<std::size_t>(got));
            }
            std::string answer;
            {
                std::lock_guard lock(mutex);
                answer = healthCheckResponse(health);
            }
            (void)!::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(client);
        }
    }
};

ServiceHealthServer::ServiceHealthServer(std::vector<std::string> nodeIps)
    : m_nodeIps(std::move(nodeIps)) {}

ServiceHealthServer::~ServiceHealthServer() {
    std::lock_guard lock(m_mutex);
    m_listeners.clear();
}

void ServiceHealthServer::update(const std::map<int, ServiceHealth>& byPort) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        it = byPort.contains(it->first) ? std::next(it) : m_listeners.erase(it);
    }
    for (const auto& [port, health] : byPort) {
        if (auto found = m_listeners.find(port); found != m_listeners.end()) {
            for (auto& listener : found->second) {
                std::lock_guard answer(listener->mutex);
                listener->health = health;
            }
            continue;
        }
        std::vector<std::unique_ptr<Listener>> listeners;
        for (const auto& ip : m_nodeIps) {
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(port));
            if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1) {
                continue;
            }
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            const int on = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            if (fd < 0 ||
                ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
                ::listen(fd, 16) != 0) {
                spdlog::warn("service health check for {}/{}: cannot listen on {}:{}",
                             health.nameSpace, health.name, ip, port);
                if (fd >= 0) {
                    ::close(fd);
                }
                continue;
            }
            auto listener = std::make_unique<Listener>();
            listener->fd = fd;
            listener->health = health;
            listener->thread = std::thread([raw = listener.get()] { raw->serve(); });
            listeners.push_back(std::move(listener));
        }
        m_listeners[port] = std::move(listeners);
    }
}

std::size_t ServiceHealthServer::listeners() const {
    std::lock_guard lock(m_mutex);
    return m_listeners.size();
}

}  // namespace slipway::proxy
