// SPDX-License-Identifier: Apache-2.0
#include "vm/service_tunnel.h"

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/client/port_forward.h"
#include "engine/client/resource_ref.h"
#include "engine/client/rest_client.h"
#include "vm/client_config.h"

namespace slipway::vm {

using nlohmann::json;

namespace {

std::string statusMessage(const client::RestResponse& response) {
    const auto status = json::parse(response.body, nullptr, false);
    if (status.is_object() && status.contains("message")) {
        return status.value("message", "");
    }
    return "HTTP " + std::to_string(response.status);
}

/// A listening socket on 127.0.0.1 with a free port.
core::Result<std::pair<int, int>> listenOnLoopback() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return core::Error(core::ErrorCode::Io, std::string("socket: ") + std::strerror(errno));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int error = errno;
        ::close(fd);
        return core::Error(core::ErrorCode::Io,
                           std::string("listening on 127.0.0.1: ") + std::strerror(error));
    }
    return std::pair<int, int>{fd, ntohs(address.sin_port)};
}

}  // namespace

struct ServiceTunnel::Impl {
    struct Listener {
        int fd = -1;
        json servicePort;
    };

    client::ClientConfig config;
    std::string nameSpace;
    std::string name;
    json selector;
    ErrorHandler onError;
    std::vector<ServiceUrl> urls;
    std::vector<Listener> listeners;
    int wake[2] = {-1, -1};
    std::thread acceptor;
    std::once_flag stopped;

    ~Impl() {
        for (const auto& listener : listeners) {
            ::close(listener.fd);
        }
        for (const int fd : wake) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }

    /// Where a connection to `servicePort` goes: a ready address of the Service's Endpoints
    /// (its targetRef pod and the endpoint port), else — pods without an IP have no
    /// Endpoints address yet — a ready pod of the Service's selector with the targetPort
    /// resolved on it, as `kubectl port-forward svc/NAME` resolves it.
    static core::Result<client::PortForwardTarget> pickEndpoint(const client::ClientConfig& config,
                                                                const std::string& nameSpace,
                                                                const std::string& name,
                                                                const json& selector,
                                                                const json& servicePort) {
        const client::RestClient rest(config);
        const std::string portName = servicePort.value("name", "");
        std::vector<client::PortForwardTarget> candidates;
        auto response = rest.get("/api/v1/namespaces/" + nameSpace + "/endpoints/" + name);
        if (!response) {
            return response.error();
        }
        if (response->status == 200) {
            const auto endpoints = json::parse(response->body, nullptr, false);
            for (const auto& subset : endpoints.value("subsets", json::array())) {
                for (const auto& port : subset.value("ports", json::array())) {
                    const int number = port.value("port", 0);
                    if (port.value("name", "") != portName || number < 1 || number > 65535) {
                        continue;
                    }
                    for (const auto& address : subset.value("addresses", json::array())) {
                        const json ref = address.value("targetRef", json::object());
                        if (ref.value("kind", "") == "Pod") {
                            candidates.push_back({ref.value("namespace", nameSpace),
                                                  ref.value("name", ""),
                                                  static_cast<std::uint16_t>(number)});
                        }
                    }
                }
            }
        }
        if (candidates.empty() && selector.is_object() && !selector.empty()) {
            std::string labels;
            for (const auto& [key, value] : selector.items()) {
                labels += (labels.empty() ? "" : ",") + key + "=" + value.get<std::string>();
            }
            auto pods = rest.get("/api/v1/namespaces/" + nameSpace +
                                 "/pods?labelSelector=" + client::percentEncode(labels));
            if (!pods) {
                return pods.error();
            }
            const auto list = json::parse(pods->body, nullptr, false);
            const json targetPort = servicePort.value("targetPort", json());
            for (const auto& pod : list.value("items", json::array())) {
                bool ready = false;
                for (const auto& condition :
                     pod.value("/status/conditions"_json_pointer, json::array())) {
                    ready = ready || (condition.value("type", "") == "Ready" &&
                                      condition.value("status", "") == "True");
                }
                if (!ready || pod["metadata"].contains("deletionTimestamp")) {
                    continue;
                }
                int number = targetPort.is_number_integer() ? targetPort.get<int>()
                                                            : servicePort.value("port", 0);
                if (targetPort.is_string()) {
                    number = 0;
                    for (const auto& container :
                         pod.value("/spec/containers"_json_pointer, json::array())) {
                        for (const auto& port : container.value("ports", json::array())) {
                            if (port.value("name", "") == targetPort.get<std::string>()) {
                                number = port.value("containerPort", 0);
                            }
                        }
                    }
                }
                if (number >= 1 && number <= 65535) {
                    candidates.push_back({nameSpace, pod.value("/metadata/name"_json_pointer, ""),
                                          static_cast<std::uint16_t>(number)});
                }
            }
        }
        if (candidates.empty()) {
            return core::Error(core::ErrorCode::Unavailable, "no ready endpoint for service \"" +
                                                                 name + "\" in namespace \"" +
                                                                 nameSpace + "\"");
        }
        static thread_local std::mt19937 random{std::random_device{}()};
        return candidates[std::uniform_int_distribution<std::size_t>(
            0, candidates.size() - 1)(random)];
    }

    void acceptLoop() {
        std::vector<pollfd> watched;
        for (const auto& listener : listeners) {
            watched.push_back({listener.fd, POLLIN, 0});
        }
        watched.push_back({wake[0], POLLIN, 0});
        while (true) {
            if (::poll(watched.data(), watched.size(), -1) < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return;
            }
            if (watched.back().revents != 0) {
                return;
            }
            for (std::size_t i = 0; i < listeners.size(); ++i) {
                if ((watched[i].revents & POLLIN) == 0) {
                    continue;
                }
                const int connection = ::accept4(listeners[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (connection < 0) {
                    continue;
                }
                // One thread per forwarded connection, holding copies of what it needs: it
                // may outlive the tunnel (it ends with its peers).
                std::thread([config = config, nameSpace = nameSpace, name = name,
                             selector = selector, servicePort = listeners[i].servicePort,
                             onError = onError, connection] {
                    auto target = pickEndpoint(config, nameSpace, name, selector, servicePort);
                    if (!target) {
                        ::close(connection);
                        if (onError) {
                            onError(target.error().message());
                        }
                        return;
                    }
                    auto forwarded = client::forwardConnection(config, *target, connection);
                    if (!forwarded && onError) {
                        onError(forwarded.error().message());
                    }
                }).detach();
            }
        }
    }
};

ServiceTunnel::ServiceTunnel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ServiceTunnel::~ServiceTunnel() {
    stop();
}

const std::vector<ServiceUrl>& ServiceTunnel::urls() const {
    return m_impl->urls;
}

void ServiceTunnel::stop() {
    std::call_once(m_impl->stopped, [this] {
        if (m_impl->acceptor.joinable()) {
            const char byte = 0;
            (void)::write(m_impl->wake[1], &byte, 1);
            m_impl->acceptor.join();
        }
    });
}

core::Result<std::unique_ptr<ServiceTunnel>> ServiceTunnel::open(
    const std::filesystem::path& kubeconfig, const std::string& nameSpace, const std::string& name,
    ErrorHandler onError) {
    auto config = clientConfigFrom(kubeconfig);
    if (!config) {
        return config.error();
    }
    const client::RestClient rest(*config);
    auto response = rest.get("/api/v1/namespaces/" + nameSpace + "/services/" + name);
    if (!response) {
        return response.error();
    }
    if (response->status == 404) {
        return core::Error(core::ErrorCode::NotFound,
                           "service \"" + name + "\" not found in namespace \"" + nameSpace + "\"");
    }
    if (response->status != 200) {
        return core::Error(core::ErrorCode::BadRequest, statusMessage(*response));
    }
    const auto service = json::parse(response->body, nullptr, false);
    auto impl = std::make_unique<Impl>();
    impl->config = std::move(*config);
    impl->nameSpace = nameSpace;
    impl->name = name;
    impl->selector = service.value("/spec/selector"_json_pointer, json::object());
    impl->onError = std::move(onError);
    if (::pipe2(impl->wake, O_CLOEXEC) != 0) {
        return core::Error(core::ErrorCode::Io, std::string("pipe: ") + std::strerror(errno));
    }
    for (const auto& port : service.value("/spec/ports"_json_pointer, json::array())) {
        if (port.value("protocol", "TCP") != "TCP") {
            continue;  // UDP and SCTP do not travel through port-forward
        }
        auto listening = listenOnLoopback();
        if (!listening) {
            return listening.error();
        }
        impl->listeners.push_back({listening->first, port});
        impl->urls.push_back({port.value("name", ""), port.value("port", 0),
                              "http://127.0.0.1:" + std::to_string(listening->second)});
    }
    if (impl->listeners.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "service \"" + name + "\" has no TCP port to reach");
    }
    Impl* raw = impl.get();
    impl->acceptor = std::thread([raw] { raw->acceptLoop(); });
    return std::unique_ptr<ServiceTunnel>(new ServiceTunnel(std::move(impl)));
}

}  // namespace slipway::vm
