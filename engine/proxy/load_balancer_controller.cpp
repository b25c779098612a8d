// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/load_balancer_controller.h"

#include "engine/client/resource_ref.h"

namespace slipway::proxy {

using nlohmann::json;

namespace {

std::string keyOf(const json& object) {
    const json& metadata = object.contains("metadata") ? object["metadata"] : json::object();
    return metadata.value("namespace", std::string()) + "/" + metadata.value("name", std::string());
}

}  // namespace

LoadBalancerController::LoadBalancerController(const client::Client& client,
                                               std::vector<std::string> nodeIps)
    : m_client(client),
      m_nodeIps(std::move(nodeIps)),
      m_services(client, client::InformerOptions(client::resources::services())),
      m_queue(client::WorkQueueOptions{}) {
    const auto enqueue = [this](const client::ObjectPtr& object) { m_queue.add(keyOf(*object)); };
    m_services.addEventHandler(
        {enqueue,
         [enqueue](const client::ObjectPtr&, const client::ObjectPtr& after) { enqueue(after); },
         {}});
}

LoadBalancerController::~LoadBalancerController() {
    stop();
}

void LoadBalancerController::start() {
    if (m_worker.joinable()) {
        return;
    }
    m_services.start();
    m_worker = std::thread([this] {
        m_services.waitForSync(std::chrono::seconds(30));
        m_queue.processUntilShutDown([this](const std::string& key) { return sync(key); }, 5);
    });
}

void LoadBalancerController::stop() {
    m_queue.shutDown();
    m_services.stop();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

core::Result<void> LoadBalancerController::sync(const std::string& key) {
    const auto slash = key.find('/');
    const std::string nameSpace = key.substr(0, slash);
    const std::string name = key.substr(slash + 1);
    auto service = m_services.lister().get(nameSpace, name);
    if (!service) {
        return {};
    }
    const json spec = service->value("spec", json::object());
    const bool ours = spec.value("type", std::string()) == "LoadBalancer" &&
                      spec.value("loadBalancerClass", std::string()).empty();
    json ingress = json::array();
    if (ours) {
        for (const auto& ip : m_nodeIps) {
            ingress.push_back({{"ip", ip}, {"ipMode", "VIP"}});
        }
    }
    const json current = service->value("/status/loadBalancer/ingress"_json_pointer, json::array());
    if (current == ingress || (!ours && current.empty())) {
        return {};
    }
    if (!ours && spec.value("type", std::string()) == "LoadBalancer") {
        return {};  // another load balancer's Service (loadBalancerClass)
    }
    json updated = *service;
    updated["status"]["loadBalancer"] =
        ingress.empty() ? json::object() : json{{"ingress", ingress}};
    auto written =
        m_client.updateStatus(client::resources::services().in(nameSpace).named(name), updated);
    if (!written) {
        return written.error();
    }
    return {};
}

}  // namespace slipway::proxy
