// SPDX-License-Identifier: Apache-2.0
#include "engine/ingress/ingress_controller.h"

#include <spdlog/spdlog.h>

namespace slipway::ingress {

namespace {

using nlohmann::json;

/// The key of the whole routing table; Ingress keys are "namespace/name", never this.
constexpr const char* kTableKey = "routing-table";
/// An Ingress whose status keeps failing is retried this often, then left to the next event.
constexpr int kMaxRetries = 15;

client::ResourceRef ingressClasses() {
    return {"networking.k8s.io", "v1", "ingressclasses"};
}
client::ResourceRef ingresses() {
    return {"networking.k8s.io", "v1", "ingresses"};
}
client::ResourceRef endpointSlices() {
    return {"discovery.k8s.io", "v1", "endpointslices"};
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "ingress";
    return options;
}

std::string keyOf(const client::ObjectPtr& object) {
    return object->value("/metadata/namespace"_json_pointer, std::string()) + "/" +
           object->value("/metadata/name"_json_pointer, std::string());
}

/// Handlers that only ask for a rebuild of the table.
client::EventHandlers rebuildOnChange(client::WorkQueue& queue) {
    client::EventHandlers handlers;
    handlers.onAdd = [&queue](const client::ObjectPtr&) { queue.add(kTableKey); };
    handlers.onUpdate = [&queue](const client::ObjectPtr& oldObject,
                                 const client::ObjectPtr& newObject) {
        // Resyncs and writes of other controllers' fields change nothing the table reads.
        if (oldObject != newObject &&
            oldObject->value("/metadata/resourceVersion"_json_pointer, std::string()) !=
                newObject->value("/metadata/resourceVersion"_json_pointer, std::string())) {
            queue.add(kTableKey);
        }
    };
    handlers.onDelete = [&queue](const client::ObjectPtr&) { queue.add(kTableKey); };
    return handlers;
}

json desiredStatus(const std::string& nodeIp) {
    return {{"loadBalancer", {{"ingress", json::array({{{"ip", nodeIp}}})}}}};
}

}  // namespace

core::Result<void> ensureIngressClass(const client::Client& client, const std::string& name) {
    if (auto existing = client.get(ingressClasses().named(name)); existing) {
        return core::success();
    } else if (existing.error().code() != core::ErrorCode::NotFound) {
        return existing.error();
    }
    const json ingressClass = {{"apiVersion", "networking.k8s.io/v1"},
                               {"kind", "IngressClass"},
                               {"metadata",
                                {{"name", name},
                                 {"annotations", {{kDefaultClassAnnotation, "true"}}},
                                 {"labels", {{"app.kubernetes.io/managed-by", "slipwayd"}}}}},
                               {"spec", {{"controller", kControllerName}}}};
    auto created = client.create(ingressClasses(), ingressClass);
    if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
        return created.error();
    }
    if (created) {
        spdlog::info("ingress: created the default IngressClass {}", name);
    }
    return core::success();
}

IngressController::IngressController(const client::Client& client, IngressControllerOptions options)
    : m_client(client),
      m_options(std::move(options)),
      m_classes(client, client::InformerOptions(ingressClasses())),
      m_ingresses(client, client::InformerOptions(ingresses())),
      m_services(client, client::InformerOptions(client::resources::services())),
      m_endpointSlices(client, client::InformerOptions(endpointSlices())),
      m_secrets(client, client::InformerOptions(client::resources::secrets())),
      m_queue(queueOptions()),
      m_table(RoutingTable::build({})) {
    m_classes.addEventHandler(rebuildOnChange(m_queue));
    m_services.addEventHandler(rebuildOnChange(m_queue));
    m_endpointSlices.addEventHandler(rebuildOnChange(m_queue));
    m_secrets.addEventHandler(rebuildOnChange(m_queue));

    client::EventHandlers ingressHandlers;
    ingressHandlers.onAdd = [this](const client::ObjectPtr& ingress) {
        m_queue.add(kTableKey);
        m_queue.add(keyOf(ingress));
    };
    ingressHandlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& ingress) {
        m_queue.add(kTableKey);
        m_queue.add(keyOf(ingress));
    };
    ingressHandlers.onDelete = [this](const client::ObjectPtr&) { m_queue.add(kTableKey); };
    m_ingresses.addEventHandler(std::move(ingressHandlers));
}

IngressController::~IngressController() {
    stop();
}

void IngressController::setTableListener(TableListener listener) {
    m_listener = std::move(listener);
}

core::Result<void> IngressController::start(std::chrono::milliseconds syncTimeout) {
    if (m_options.createIngressClass) {
        if (auto ensured = ensureIngressClass(m_client, m_options.className); !ensured) {
            return ensured.error();
        }
    }
    for (auto* informer : {&m_classes, &m_services, &m_endpointSlices, &m_secrets, &m_ingresses}) {
        informer->start();
    }
    // A table built from half-filled caches would answer 503 and 404 for what exists.
    for (auto* informer : {&m_classes, &m_services, &m_endpointSlices, &m_secrets, &m_ingresses}) {
        if (!informer->waitForSync(syncTimeout)) {
            spdlog::warn("ingress controller: {} not synced after {} ms",
                         informer->options().resource.resource, syncTimeout.count());
        }
    }
    m_queue.add(kTableKey);
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown([this](const std::string& key) { return sync(key); },
                                     kMaxRetries);
    });
    return core::success();
}

void IngressController::stop() {
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    for (auto* informer : {&m_ingresses, &m_secrets, &m_endpointSlices, &m_services, &m_classes}) {
        informer->stop();
    }
}

std::shared_ptr<const RoutingTable> IngressController::table() const {
    std::lock_guard lock(m_tableMutex);
    return m_table;
}

bool IngressController::classIsDefault() const {
    const auto ingressClass = m_classes.lister().get("", m_options.className);
    return ingressClass && ingressClass->value("/metadata/annotations"_json_pointer, json::object())
                                   .value(kDefaultClassAnnotation, "") == "true";
}

bool IngressController::serves(const json& ingress) const {
    // The class must be ours: an IngressClass of that name for another controller is not.
    const auto ingressClass = m_classes.lister().get("", m_options.className);
    if (!ingressClass ||
        ingressClass->value("/spec/controller"_json_pointer, std::string()) != kControllerName) {
        return false;
    }
    return servesIngress(ingress, m_options.className, classIsDefault());
}

core::Result<void> IngressController::sync(const std::string& key) {
    return key == kTableKey ? syncTable() : syncStatus(key);
}

core::Result<void> IngressController::syncTable() {
    RoutingInput input;
    for (const auto& ingress : m_ingresses.lister().list()) {
        if (serves(*ingress)) {
            input.ingresses.push_back(ingress);
        }
    }
    input.services = m_services.lister().list();
    input.endpointSlices = m_endpointSlices.lister().list();
    for (const auto& secret : m_secrets.lister().list()) {
        if (secret->contains("/data/tls.crt"_json_pointer)) {
            input.secrets.push_back(secret);
        }
    }
    auto table = RoutingTable::build(input);
    {
        std::lock_guard lock(m_tableMutex);
        m_table = table;
    }
    std::string hosts;
    for (const auto& host : table->hosts()) {
        hosts += (hosts.empty() ? "" : ", ") + host;
    }
    spdlog::debug("ingress: routing table of {} Ingresses, hosts [{}]", input.ingresses.size(),
                  hosts);
    if (m_listener) {
        m_listener(std::move(table));
    }
    return core::success();
}

core::Result<void> IngressController::syncStatus(const std::string& key) {
    if (m_options.nodeIp.empty()) {
        return core::success();
    }
    const auto slash = key.find('/');
    const auto ingress = m_ingresses.lister().get(key.substr(0, slash), key.substr(slash + 1));
    if (!ingress || !serves(*ingress) ||
        ingress->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();
    }
    const json desired = desiredStatus(m_options.nodeIp);
    if (ingress->value("status", json::object()).value("loadBalancer", json::object()) ==
        desired["loadBalancer"]) {
        return core::success();
    }
    auto patched = m_client.patch(
        ingresses().in(key.substr(0, slash)).named(key.substr(slash + 1)).sub("status"),
        client::PatchType::Merge, {{"status", desired}});
    if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
        return patched.error();
    }
    return core::success();
}

}  // namespace slipway::ingress
