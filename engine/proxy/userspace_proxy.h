// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/proxy/service_model.h"

namespace slipway::proxy {

/// The fallback where nftables cannot be programmed: a TCP relay on each node port (on the
/// node's addresses) to a random ready endpoint. Cluster IPs cannot be served this way (nothing
/// captures their traffic), UDP is not relayed. One accept thread per listener, one thread
/// per connection; meant for development machines, not for load.
class UserspaceProxy {
public:
    explicit UserspaceProxy(std::vector<std::string> nodeIps);
    ~UserspaceProxy();
    UserspaceProxy(const UserspaceProxy&) = delete;
    UserspaceProxy& operator=(const UserspaceProxy&) = delete;

    /// Listens on the node ports of `ports` (TCP only), closes the listeners of ports gone.
    void update(const std::vector<ServicePort>& ports);
    /// Node ports listened on now.
    std::size_t listeners() const;

private:
    struct Listener;
    std::vector<std::string> m_nodeIps;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Listener>> m_listeners;  ///< "ip:port" → listener
};

}  // namespace slipway::proxy
