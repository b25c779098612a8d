// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/routes/node_routes.h"

#include <spdlog/spdlog.h>

#include "engine/agent/network/netlink.h"
#include "engine/client/resource_ref.h"

namespace slipway::agent::network {

namespace {

using nlohmann::json;

constexpr const char* kKey = "routes";
constexpr int kMaxRetries = 1000;  // a route that cannot be made is retried with back-off

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "node-routes";
    return options;
}

std::string internalIpOf(const json& node) {
    for (const auto& address : node.value("/status/addresses"_json_pointer, json::array())) {
        if (address.value("type", "") == "InternalIP") {
            return address.value("address", "");
        }
    }
    return {};
}

}  // namespace

NodeRoutes::NodeRoutes(const client::Client& client, std::string selfName)
    : m_self(std::move(selfName)),
      m_nodes(client, client::InformerOptions(client::resources::nodes())),
      m_queue(queueOptions()) {
    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr&) { m_queue.add(kKey); };
    handlers.onUpdate = [this](const client::ObjectPtr& before, const client::ObjectPtr& after) {
        // Heartbeats change a node every few seconds; only its address or range matter here.
        if (internalIpOf(*before) != internalIpOf(*after) ||
            before->value("/spec/podCIDR"_json_pointer, json()) !=
                after->value("/spec/podCIDR"_json_pointer, json())) {
            m_queue.add(kKey);
        }
    };
    handlers.onDelete = [this](const client::ObjectPtr&) { m_queue.add(kKey); };
    m_nodes.addEventHandler(std::move(handlers));
}

NodeRoutes::~NodeRoutes() {
    stop();
}

void NodeRoutes::start(std::chrono::milliseconds syncTimeout) {
    m_started = true;
    m_nodes.start();
    if (!m_nodes.waitForSync(syncTimeout)) {
        spdlog::warn("node routes: nodes not synced after {} ms", syncTimeout.count());
    }
    m_queue.add(kKey);
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown([this](const std::string&) { return sync(); }, kMaxRetries);
    });
}

void NodeRoutes::stop() {
    if (!m_started) {
        return;
    }
    m_started = false;
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_nodes.stop();
    Netlink netlink;
    if (auto routes = netlink.routesOfProtocol(kRouteProtocol)) {
        for (const auto& [destination, gateway] : *routes) {
            (void)gateway;
            (void)netlink.deleteRoute(destination, kRouteProtocol);
        }
    }
}

std::map<std::string, std::string> NodeRoutes::desiredRoutes() const {
    std::map<std::string, std::string> desired;
    for (const auto& node : m_nodes.lister().list()) {
        // Simulated nodes run no pods anywhere: there is nothing to route to.
        if (client::metadataString(*node, "name") == m_self ||
            node->value("/metadata/labels/node.kubernetes.io~1instance-type"_json_pointer,
                        std::string()) == "slipway-sim") {
            continue;
        }
        const auto podCidr = node->value("/spec/podCIDR"_json_pointer, json());
        const std::string via = internalIpOf(*node);
        if (podCidr.is_string() && !podCidr.get<std::string>().empty() && !via.empty()) {
            desired[podCidr.get<std::string>()] = via;
        }
    }
    return desired;
}

core::Result<void> NodeRoutes::sync() {
    Netlink netlink;
    if (!netlink.ok()) {
        return core::Error(core::ErrorCode::Network, "cannot open a netlink socket");
    }
    auto current = netlink.routesOfProtocol(kRouteProtocol);
    if (!current) {
        return current.error();
    }
    const auto desired = desiredRoutes();
    core::Result<void> result = core::success();
    for (const auto& [destination, gateway] : desired) {
        if (auto it = current->find(destination); it != current->end() && it->second == gateway) {
            continue;
        }
        if (auto added = netlink.replaceRoute(destination, gateway, kRouteProtocol); !added) {
            // Simulated nodes' addresses lead nowhere: say so once per sync and go on.
            spdlog::warn("node routes: {}", added.error().message());
            result = added;
            continue;
        }
        spdlog::info("node routes: {} via {}", destination, gateway);
    }
    for (const auto& [destination, gateway] : *current) {
        if (!desired.contains(destination)) {
            if (auto removed = netlink.deleteRoute(destination, kRouteProtocol); !removed) {
                result = removed;
            } else {
                spdlog::info("node routes: removed {} via {}", destination, gateway);
            }
        }
    }
    return result;
}

}  // namespace slipway::agent::network
