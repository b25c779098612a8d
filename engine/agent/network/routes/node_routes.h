// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::agent::network {

/// Routes between the nodes' pod networks (what flannel's host-gw backend and kube-router do):
/// for every other Node with a spec.podCIDR and an InternalIP, a route `podCIDR via InternalIP`
/// in this node's main table, so a pod reaches pods on other nodes by their own addresses. The
/// nodes must share a link (the VM driver's private network; a test's veth pair).
///
/// The routes carry routing protocol kRouteProtocol: at every sync the routes with that tag
/// that no Node asks for any more (a node deleted, or moved) are removed, including those left
/// by an earlier run. Level-triggered: Node changes queue one key, the worker compares the
/// whole table with the whole cache. stop() removes the routes it made.
class NodeRoutes {
public:
    /// The `proto` number of Slipway's routes (`ip route show proto 199`).
    static constexpr int kRouteProtocol = 199;

    /// `selfName`: this node, whose own podCIDR is on its bridge and needs no route.
    NodeRoutes(const client::Client& client, std::string selfName);
    ~NodeRoutes();
    NodeRoutes(const NodeRoutes&) = delete;
    NodeRoutes& operator=(const NodeRoutes&) = delete;

    void start(std::chrono::milliseconds syncTimeout = std::chrono::seconds(10));
    void stop();

    /// Makes the table match the cache now.
    core::Result<void> sync();

    /// podCIDR → InternalIP of the other nodes in the cache: the routes sync() wants.
    std::map<std::string, std::string> desiredRoutes() const;

private:
    std::string m_self;
    client::Informer m_nodes;
    client::WorkQueue m_queue;
    std::thread m_worker;
    bool m_started = false;
};

}  // namespace slipway::agent::network
