// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/serviceaccount/service_accounts_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace slipway::controllers {
namespace {

/// A namespace that keeps failing is retried this often, then left to the next event.
constexpr int kMaxRetries = 15;

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "serviceaccount";
    return options;
}

std::string nameOf(const client::ObjectPtr& object) {
    return object->value("/metadata/name"_json_pointer, std::string());
}

}  // namespace

ServiceAccountsController::ServiceAccountsController(const client::Client& client,
                                                     std::vector<std::string> serviceAccounts)
    : m_client(client),
      m_serviceAccounts(std::move(serviceAccounts)),
      m_namespaces(client, client::InformerOptions(client::resources::namespaces())),
      m_serviceAccountInformer(client,
                               client::InformerOptions(client::resources::serviceAccounts())),
      m_queue(queueOptions()) {
    client::EventHandlers namespaceHandlers;
    namespaceHandlers.onAdd = [this](const client::ObjectPtr& ns) { m_queue.add(nameOf(ns)); };
    namespaceHandlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& ns) {
        m_queue.add(nameOf(ns));
    };
    m_namespaces.addEventHandler(std::move(namespaceHandlers));

    client::EventHandlers serviceAccountHandlers;
    serviceAccountHandlers.onDelete = [this](const client::ObjectPtr& serviceAccount) {
        if (std::find(m_serviceAccounts.begin(), m_serviceAccounts.end(), nameOf(serviceAccount)) !=
            m_serviceAccounts.end()) {
            m_queue.add(serviceAccount->value("/metadata/namespace"_json_pointer, std::string()));
        }
    };
    m_serviceAccountInformer.addEventHandler(std::move(serviceAccountHandlers));
}

ServiceAccountsController::~ServiceAccountsController() {
    stop();
}

void ServiceAccountsController::start(std::chrono::milliseconds syncTimeout) {
    m_serviceAccountInformer.start();
    m_namespaces.start();
    // Syncing before the service-account cache is filled would try to create what exists.
    if (!m_serviceAccountInformer.waitForSync(syncTimeout) ||
        !m_namespaces.waitForSync(syncTimeout)) {
        spdlog::warn("service account controller: caches not synced after {} ms",
                     syncTimeout.count());
    }
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown(
            [this](const std::string& nameSpace) { return sync(nameSpace); }, kMaxRetries);
    });
}

void ServiceAccountsController::stop() {
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_namespaces.stop();
    m_serviceAccountInformer.stop();
}

core::Result<void> ServiceAccountsController::sync(const std::string& nameSpace) {
    const auto ns = m_namespaces.lister().get("", nameSpace);
    if (!ns || ns->value("/status/phase"_json_pointer, std::string()) != "Active" ||
        ns->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();  // gone or terminating: nothing to create
    }
    for (const auto& name : m_serviceAccounts) {
        if (m_serviceAccountInformer.lister().get(nameSpace, name)) {
            continue;
        }
        const nlohmann::json serviceAccount = {
            {"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", name}}}};
        auto created =
            m_client.create(client::resources::serviceAccounts().in(nameSpace), serviceAccount);
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            // A namespace that began terminating meanwhile refuses new content: done.
            if (created.error().code() == core::ErrorCode::Forbidden) {
                return core::success();
            }
            return created.error();
        }
    }
    return core::success();
}

}  // namespace slipway::controllers
