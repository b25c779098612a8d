// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/resourcequota/resource_quota_controller.h"

#include <algorithm>

#include "engine/admission/quota.h"
#include "engine/api/json_fields.h"
#include "engine/client/indexer.h"

namespace slipway::controllers {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

constexpr int kMaxRetries = 15;

}  // namespace

ResourceQuotaController::ResourceQuotaController(const ControllerContext& context)
    : m_client(context.client),
      m_quotas(context.informers.informerFor(client::ResourceRef("", "v1", "resourcequotas"))),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_queue(client::WorkQueueOptions{"resourcequota", 100'000, {}}) {
    for (const char* resource :
         {"services", "configmaps", "secrets", "persistentvolumeclaims", "resourcequotas"}) {
        m_counted[resource] =
            &context.informers.informerFor(client::ResourceRef("", "v1", resource));
    }
    const auto enqueueQuota = [this](const client::ObjectPtr& quota) {
        m_queue.add(client::objectKey(*quota));
    };
    m_quotas.addEventHandler(
        {enqueueQuota,
         [enqueueQuota](const client::ObjectPtr&, const client::ObjectPtr& q) { enqueueQuota(q); },
         {}});
    const client::EventHandlers byNamespace{
        [this](const client::ObjectPtr& object) {
            enqueueNamespace(stringAt(*object, {"metadata", "namespace"}));
        },
        [this](const client::ObjectPtr&, const client::ObjectPtr& object) {
            enqueueNamespace(stringAt(*object, {"metadata", "namespace"}));
        },
        [this](const client::ObjectPtr& object) {
            enqueueNamespace(stringAt(*object, {"metadata", "namespace"}));
        }};
    m_pods.addEventHandler(byNamespace);
    for (auto& [resource, informer] : m_counted) {
        informer->addEventHandler(byNamespace);
    }
}

ResourceQuotaController::~ResourceQuotaController() {
    stop();
}

void ResourceQuotaController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void ResourceQuotaController::stop() {
    m_workers.stop();
}

void ResourceQuotaController::enqueueNamespace(const std::string& nameSpace) {
    for (const auto& quota : m_quotas.lister().list(nameSpace)) {
        m_queue.add(client::objectKey(*quota));
    }
}

core::Result<void> ResourceQuotaController::sync(const std::string& key) {
    const auto found = m_quotas.lister().getByKey(key);
    if (!found) {
        return {};
    }
    const json& quota = *found;
    const std::string nameSpace = stringAt(quota, {"metadata", "namespace"});
    admission::NamespaceObjects objects;
    auto& pods = objects["pods"];  // counted even when there are none
    for (const auto& pod : m_pods.lister().list(nameSpace)) {
        pods.push_back(*pod);
    }
    for (const auto& [resource, informer] : m_counted) {
        auto& list = objects[resource];
        for (const auto& object : informer->lister().list(nameSpace)) {
            list.push_back(*object);
        }
    }
    json status = {{"hard", objectAt(quota, {"spec", "hard"})},
                   {"used", admission::quotaUsage(quota, objects)}};
    if (status == objectAt(quota, {"status"})) {
        return {};
    }
    json updated = quota;
    updated["status"] = status;
    auto written = m_client.updateStatus(client::ResourceRef("", "v1", "resourcequotas")
                                             .in(nameSpace)
                                             .named(stringAt(quota, {"metadata", "name"})),
                                         updated);
    return written ? core::Result<void>{} : core::Result<void>(written.error());
}

}  // namespace slipway::controllers
