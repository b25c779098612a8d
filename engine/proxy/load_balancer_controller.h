// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::proxy {

/// The load balancer of a one-machine cluster, as k3s's servicelb: every Service of type
/// LoadBalancer (without a spec.loadBalancerClass) gets the node's addresses as
/// status.loadBalancer.ingress, and the Service proxy serves those address:port pairs like
/// node ports. A Service that stops being a LoadBalancer loses its ingress.
///
/// One worker thread plus the Services informer's. The Client must outlive it.
class LoadBalancerController {
public:
    LoadBalancerController(const client::Client& client, std::vector<std::string> nodeIps);
    ~LoadBalancerController();
    LoadBalancerController(const LoadBalancerController&) = delete;
    LoadBalancerController& operator=(const LoadBalancerController&) = delete;

    void start();
    void stop();

    /// Brings the status of Service `key` ("ns/name") in line (level-triggered).
    core::Result<void> sync(const std::string& key);

private:
    const client::Client& m_client;
    const std::vector<std::string> m_nodeIps;
    client::Informer m_services;
    client::WorkQueue m_queue;
    std::thread m_worker;
};

}  // namespace slipway::proxy
