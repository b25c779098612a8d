// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/kubernetes_service.h"

#include <spdlog/spdlog.h>

#include "engine/client/resource_ref.h"

namespace slipway::proxy {

using nlohmann::json;

namespace {

/// Makes the object `ref` names hold `desired`'s `fields` (creating it if missing).
core::Result<void> ensure(const client::Client& client, const client::ResourceRef& ref,
                          const json& desired, const std::vector<std::string>& fields) {
    auto current = client.get(ref);
    if (!current) {
        if (current.error().code() != core::ErrorCode::NotFound) {
            return current.error();
        }
        auto created = client.create(ref, desired);
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
        return {};
    }
    json updated = *current;
    bool changed = false;
    for (const auto& field : fields) {
        const json::json_pointer pointer(field);
        if (!updated.contains(pointer) || updated[pointer] != desired[pointer]) {
            updated[pointer] = desired[pointer];
            changed = true;
        }
    }
    if (!changed) {
        return {};
    }
    auto written = client.update(ref, updated);
    if (!written) {
        return written.error();
    }
    return {};
}

}  // namespace

KubernetesServiceReconciler::KubernetesServiceReconciler(const client::Client& client,
                                                         Options options)
    : m_client(client), m_options(std::move(options)) {}

KubernetesServiceReconciler::~KubernetesServiceReconciler() {
    stop();
}

core::Result<void> KubernetesServiceReconciler::reconcile() const {
    const json labels = {{"component", "apiserver"}, {"provider", "kubernetes"}};
    const json servicePort = {
        {"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", m_options.port}};
    const json service = {
        {"apiVersion", "v1"},
        {"kind", "Service"},
        {"metadata", {{"name", "kubernetes"}, {"namespace", "default"}, {"labels", labels}}},
        {"spec",
         {{"type", "ClusterIP"},
          {"clusterIP", m_options.clusterIp},
          {"clusterIPs", json::array({m_options.clusterIp})},
          {"sessionAffinity", "None"},
          {"ports", json::array({servicePort})}}}};
    const json endpointPort = {{"name", "https"}, {"port", m_options.port}, {"protocol", "TCP"}};
    const json endpoints = {
        {"apiVersion", "v1"},
        {"kind", "Endpoints"},
        {"metadata", {{"name", "kubernetes"}, {"namespace", "default"}, {"labels", labels}}},
        {"subsets", json::array({{{"addresses", json::array({{{"ip", m_options.address}}})},
                                  {"ports", json::array({endpointPort})}}})}};
    const json slice = {{"apiVersion", "discovery.k8s.io/v1"},
                        {"kind", "EndpointSlice"},
                        {"metadata",
                         {{"name", "kubernetes"},
                          {"namespace", "default"},
                          {"labels", {{"kubernetes.io/service-name", "kubernetes"}}}}},
                        {"addressType", "IPv4"},
                        {"endpoints", json::array({{{"addresses", json::array({m_options.address})},
                                                    {"conditions", {{"ready", true}}}}})},
                        {"ports", json::array({endpointPort})}};
    const auto inDefault = [](client::ResourceRef ref) {
        return ref.in("default").named("kubernetes");
    };
    if (auto done =
            ensure(m_client, inDefault(client::resources::services()), service, {"/spec/ports"});
        !done) {
        return done.error().wrap("Service default/kubernetes");
    }
    if (auto done =
            ensure(m_client, inDefault(client::resources::endpoints()), endpoints, {"/subsets"});
        !done) {
        return done.error().wrap("Endpoints default/kubernetes");
    }
    if (auto done = ensure(
            m_client, inDefault(client::ResourceRef("discovery.k8s.io", "v1", "endpointslices")),
            slice, {"/endpoints", "/ports"});
        !done) {
        return done.error().wrap("EndpointSlice default/kubernetes");
    }
    return {};
}

void KubernetesServiceReconciler::start() {
    if (m_thread.joinable()) {
        return;
    }
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            lock.unlock();
            if (auto done = reconcile(); !done) {
                spdlog::warn("kubernetes Service: {}", done.error().message());
            }
            lock.lock();
            m_wake.wait_for(lock, m_options.interval, [this] { return m_stopping; });
        }
    });
}

void KubernetesServiceReconciler::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

}  // namespace slipway::proxy
