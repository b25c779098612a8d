// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace slipway::proxy {

/// What a Service's health check answers: kube-proxy's view of its endpoints on this node.
struct ServiceHealth {
    std::string nameSpace;
    std::string name;
    int localEndpoints = 0;

    friend bool operator==(const ServiceHealth&, const ServiceHealth&) = default;
};

/// kube-proxy's service health server: for each LoadBalancer Service with
/// externalTrafficPolicy Local, an HTTP listener on its spec.healthCheckNodePort (on the node
/// addresses) that a load balancer asks whether to send this node traffic. Any GET is answered
/// 200 while the node has a ready endpoint of the Service and 503 otherwise, with kube-proxy's
/// body: {"service":{"namespace":…,"name":…},"localEndpoints":N,"serviceProxyHealthy":true}.
///
/// Listeners are opened in the network namespace of the thread calling update(); each serves
/// on a thread of its own. Thread-safe.
class ServiceHealthServer {
public:
    explicit ServiceHealthServer(std::vector<std::string> nodeIps);
    ~ServiceHealthServer();
    ServiceHealthServer(const ServiceHealthServer&) = delete;
    ServiceHealthServer& operator=(const ServiceHealthServer&) = delete;

    /// Serves exactly `byPort` (healthCheckNodePort → the Service's health): opens listeners
    /// for new ports, updates the others' answers, closes those not listed.
    void update(const std::map<int, ServiceHealth>& byPort);
    /// Ports served now.
    std::size_t listeners() const;

private:
    struct Listener;
    std::vector<std::string> m_nodeIps;
    mutable std::mutex m_mutex;
    std::map<int, std::vector<std::unique_ptr<Listener>>> m_listeners;  ///< port → one per IP
};

/// The HTTP answer for `health` (status line, headers and body).
std::string healthCheckResponse(const ServiceHealth& health);

}  // namespace slipway::proxy
