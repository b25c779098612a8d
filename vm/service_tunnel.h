// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::vm {

/// One port of a Service as reached from the host.
struct ServiceUrl {
    std::string portName;  ///< the service port's name ("" when unnamed)
    int port = 0;          ///< the service port
    std::string url;       ///< "http://127.0.0.1:41234"
};

/// `slipway service`: the host reaching a Service of a cluster. For each TCP port of the
/// Service a listener on 127.0.0.1 (a free port); each connection accepted there goes to a
/// ready endpoint of that port, picked at random from the Service's Endpoints, through the
/// API server's port-forward to the endpoint's pod (client::forwardConnection), as minikube's
/// docker driver tunnels. This works whatever the driver, as long as the API server is
/// reachable; the VM driver will replace it with host forwards once Services have node ports
/// on the guest. The tunnel lives while this object does (the caller stays in the
/// foreground).
class ServiceTunnel {
public:
    /// Reports a connection that could not be forwarded ("no ready endpoint …", the node's
    /// error); called from the tunnel's threads.
    using ErrorHandler = std::function<void(const std::string& message)>;

    /// Looks the Service up with the credentials of `kubeconfig` and starts listening.
    /// NotFound: `service "NAME" not found in namespace "NS"`.
    static core::Result<std::unique_ptr<ServiceTunnel>> open(
        const std::filesystem::path& kubeconfig, const std::string& nameSpace,
        const std::string& name, ErrorHandler onError = {});
    ~ServiceTunnel();
    ServiceTunnel(const ServiceTunnel&) = delete;
    ServiceTunnel& operator=(const ServiceTunnel&) = delete;

    /// One URL per TCP port of the Service, in its order.
    const std::vector<ServiceUrl>& urls() const;
    /// Stops accepting (idempotent). Connections being forwarded end with their peers.
    void stop();

private:
    struct Impl;
    explicit ServiceTunnel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::vm
