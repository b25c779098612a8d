// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/namespace/namespace_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/client/api_discovery.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;

namespace {

constexpr const char* kKubernetesFinalizer = "kubernetes";
constexpr int kMaxRetries = 15;

const client::ResourceRef kNamespaces("", "v1", "namespaces");

bool deleting(const json& nameSpace) {
    return nameSpace.contains("/metadata/deletionTimestamp"_json_pointer);
}

bool hasKubernetesFinalizer(const json& nameSpace) {
    const auto finalizers = nameSpace.value("/spec/finalizers"_json_pointer, json::array());
    return std::find(finalizers.begin(), finalizers.end(), json(kKubernetesFinalizer)) !=
           finalizers.end();
}

}  // namespace

NamespaceController::NamespaceController(const client::Client& client,
                                         NamespaceControllerOptions options)
    : m_client(client),
      m_options(options),
      m_informer(client, client::InformerOptions(kNamespaces)),
      m_queue(client::WorkQueueOptions{"namespace", 100'000, {}}) {
    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr& object) { enqueue(*object); };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& object) {
        enqueue(*object);
    };
    m_informer.addEventHandler(std::move(handlers));
}

NamespaceController::~NamespaceController() {
    stop();
}

void NamespaceController::start() {
    m_informer.start();
    m_worker = std::thread([this] {
        m_queue.processUntilShutDown([this](const std::string& name) { return sync(name); },
                                     kMaxRetries);
    });
}

void NamespaceController::stop() {
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_informer.stop();
}

bool NamespaceController::waitForSync(std::chrono::milliseconds timeout) const {
    return m_informer.waitForSync(timeout);
}

void NamespaceController::enqueue(const json& nameSpace) {
    if (deleting(nameSpace)) {
        m_queue.add(nameSpace.value("/metadata/name"_json_pointer, std::string()));
    }
}

core::Result<void> NamespaceController::sync(const std::string& name) {
    // Level-triggered on the live object: the lister may trail a finalize we just did.
    auto nameSpace = m_client.get(kNamespaces.named(name));
    if (!nameSpace) {
        return nameSpace.error().code() == core::ErrorCode::NotFound ? core::success()
                                                                     : nameSpace.error();
    }
    if (!deleting(*nameSpace) || !hasKubernetesFinalizer(*nameSpace)) {
        return core::success();
    }
    auto remaining = deleteContent(name);
    if (!remaining) {
        return remaining.error();
    }
    if (!remaining->empty()) {
        // Pods wait for their node, other objects for their finalizers: look again soon.
        if (auto noted = setContentCondition(*nameSpace, *remaining); !noted) {
            return noted;
        }
        m_queue.addAfter(name, m_options.recheckDelay);
        return core::success();
    }
    json finalized = *nameSpace;
    json kept = json::array();
    for (const auto& finalizer : nameSpace->at("spec").at("finalizers")) {
        if (finalizer != kKubernetesFinalizer) {
            kept.push_back(finalizer);
        }
    }
    finalized["spec"]["finalizers"] = kept;
    auto response =
        m_client.send(client::Request("PUT", kNamespaces.named(name).sub("finalize").path(),
                                      finalized.dump(), "application/json"));
    if (!response) {
        return response.error();
    }
    if (auto failure = client::Client::failureOf(*response);
        failure && failure->code() != core::ErrorCode::NotFound) {
        return *failure;
    }
    spdlog::info("namespace controller: namespace {} emptied and finalized", name);
    return core::success();
}

core::Result<std::vector<std::pair<std::string, std::size_t>>> NamespaceController::deleteContent(
    const std::string& name) {
    auto resources = client::discoverPreferredResources(m_client);
    if (!resources) {
        return resources.error();
    }
    std::vector<std::pair<std::string, std::size_t>> remaining;
    for (const auto& resource : *resources) {
        if (!resource.namespaced || !resource.allows("list") || !resource.allows("delete")) {
            continue;
        }
        const auto collection = resource.ref(name);
        if (resource.allows("deletecollection")) {
            auto removed = m_client.removeCollection(collection);
            if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
                return removed.error();
            }
        }
        auto left = m_client.list(collection);
        if (!left) {
            if (left.error().code() == core::ErrorCode::NotFound) {
                continue;  // the resource went away meanwhile (a CRD deleted)
            }
            return left.error();
        }
        for (const auto& item : left->items) {
            if (item.contains("/metadata/deletionTimestamp"_json_pointer)) {
                continue;  // on its way
            }
            auto removed = m_client.remove(
                collection.named(item.value("/metadata/name"_json_pointer, std::string())));
            if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
                return removed.error();
            }
        }
        left = m_client.list(collection);
        if (left && !left->items.empty()) {
            remaining.emplace_back(resource.resource + "." + resource.group, left->items.size());
        }
    }
    return remaining;
}

core::Result<void> NamespaceController::setContentCondition(
    const json& nameSpace, const std::vector<std::pair<std::string, std::size_t>>& remaining) {
    // As kube's namespace controller words it: "Some resources are remaining: pods. has 2
    // resource instances" (the resource is plural.group; the core group is empty).
    std::string message = "Some resources are remaining: ";
    for (std::size_t i = 0; i < remaining.size(); ++i) {
        message += (i == 0 ? "" : ", ") + remaining[i].first + " has " +
                   std::to_string(remaining[i].second) + " resource instances";
    }
    json conditions = nameSpace.value("/status/conditions"_json_pointer, json::array());
    const auto existing = std::find_if(conditions.begin(), conditions.end(), [](const json& c) {
        return c.value("type", "") == "NamespaceContentRemaining";
    });
    if (existing != conditions.end() && existing->value("message", "") == message) {
        return core::success();
    }
    const json condition = {
        {"type", "NamespaceContentRemaining"},
        {"status", "True"},
        {"reason", "SomeResourcesRemain"},
        {"message", message},
        {"lastTransitionTime", core::formatTimestamp(std::chrono::system_clock::now())}};
    if (existing != conditions.end()) {
        *existing = condition;
    } else {
        conditions.push_back(condition);
    }
    json updated = nameSpace;
    updated["status"]["conditions"] = conditions;
    auto written = m_client.updateStatus(
        kNamespaces.named(nameSpace.value("/metadata/name"_json_pointer, std::string())), updated);
    if (!written && written.error().code() != core::ErrorCode::NotFound &&
        written.error().code() != core::ErrorCode::Conflict) {
        return written.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
