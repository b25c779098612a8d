// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/clusterroleaggregation/cluster_role_aggregation_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/core/label_selector.h"

namespace slipway::controllers {
namespace {

using nlohmann::json;

/// A role that keeps failing is retried this often, then left to the next event.
constexpr int kMaxRetries = 15;
/// kube's field manager for the rules it writes.
constexpr const char* kFieldManager = "clusterrole-aggregation-controller";

client::ResourceRef clusterRoles() {
    return {"rbac.authorization.k8s.io", "v1", "clusterroles"};
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "clusterrole_aggregator";
    return options;
}

std::string nameOf(const json& object) {
    return object.value("/metadata/name"_json_pointer, std::string());
}

const json* selectorsOf(const json& clusterRole) {
    const auto rule = clusterRole.find("aggregationRule");
    if (rule == clusterRole.end() || !rule->is_object()) {
        return nullptr;
    }
    const auto selectors = rule->find("clusterRoleSelectors");
    return selectors != rule->end() && selectors->is_array() ? &*selectors : nullptr;
}

/// A PolicyRule as the API serialises it: its five lists, the empty ones left out but verbs.
/// Comparing normalised rules is kube's semantic equality, where an empty list and a missing
/// one are the same.
json normalised(const json& rule) {
    json out = json::object();
    out["verbs"] =
        rule.contains("verbs") && rule["verbs"].is_array() ? rule["verbs"] : json::array();
    for (const char* field : {"apiGroups", "resources", "resourceNames", "nonResourceURLs"}) {
        if (const auto it = rule.find(field); it != rule.end() && it->is_array() && !it->empty()) {
            out[field] = *it;
        }
    }
    return out;
}

json normalisedRules(const json& role) {
    json rules = json::array();
    if (const auto it = role.find("rules"); it != role.end() && it->is_array()) {
        for (const auto& rule : *it) {
            rules.push_back(normalised(rule));
        }
    }
    return rules;
}

}  // namespace

ClusterRoleAggregationController::ClusterRoleAggregationController(const client::Client& client)
    : m_client(client),
      m_informer(client, client::InformerOptions(clusterRoles())),
      m_queue(queueOptions()) {
    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr&) { enqueueAggregated(); };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr&) {
        enqueueAggregated();
    };
    handlers.onDelete = [this](const client::ObjectPtr&) { enqueueAggregated(); };
    m_informer.addEventHandler(std::move(handlers));
}

ClusterRoleAggregationController::~ClusterRoleAggregationController() {
    stop();
}

void ClusterRoleAggregationController::start() {
    m_informer.start();
    m_worker = std::thread([this] {
        // Aggregating from a half-filled cache would strip rules that come back a moment
        // later: wait for the first list.
        while (!m_informer.waitForSync(std::chrono::milliseconds(100))) {
            if (m_queue.shuttingDown()) {
                return;
            }
        }
        m_queue.processUntilShutDown([this](const std::string& name) { return sync(name); },
                                     kMaxRetries);
    });
}

void ClusterRoleAggregationController::stop() {
    m_queue.shutDown();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_informer.stop();
}

bool ClusterRoleAggregationController::waitForSync(std::chrono::milliseconds timeout) const {
    return m_informer.waitForSync(timeout);
}

void ClusterRoleAggregationController::enqueueAggregated() {
    // There are few ClusterRoles and no index of who selects whom: queue every aggregated one,
    // which also lets a failure of one be retried alone.
    for (const auto& clusterRole : m_informer.lister().list()) {
        if (selectorsOf(*clusterRole) != nullptr) {
            m_queue.add(nameOf(*clusterRole));
        }
    }
}

core::Result<json> ClusterRoleAggregationController::aggregatedRules(
    const json& clusterRole, const std::vector<client::ObjectPtr>& clusterRoles) {
    json rules = json::array();
    const json* selectors = selectorsOf(clusterRole);
    if (selectors == nullptr) {
        return rules;
    }
    std::vector<client::ObjectPtr> byName = clusterRoles;
    std::sort(byName.begin(), byName.end(),
              [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
                  return nameOf(*a) < nameOf(*b);
              });
    const std::string self = nameOf(clusterRole);
    for (const auto& selectorJson : *selectors) {
        auto selector = core::LabelSelector::fromJson(selectorJson);
        if (!selector) {
            return selector.error();
        }
        for (const auto& other : byName) {
            if (nameOf(*other) == self ||
                !selector->matches(other->value("/metadata/labels"_json_pointer, json()))) {
                continue;
            }
            for (const auto& rule : normalisedRules(*other)) {
                if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
                    rules.push_back(rule);
                }
            }
        }
    }
    return rules;
}

core::Result<void> ClusterRoleAggregationController::sync(const std::string& name) {
    const auto cached = m_informer.lister().get("", name);
    if (!cached || selectorsOf(*cached) == nullptr) {
        return core::success();  // gone, or nothing to aggregate
    }
    auto rules = aggregatedRules(*cached, m_informer.lister().list());
    if (!rules) {
        return rules.error();
    }
    if (*rules == normalisedRules(*cached)) {
        return core::success();
    }
    // A copy of the cached role with the gathered rules; its resourceVersion makes the update
    // conditional, so a role changed meanwhile is a Conflict and synced again from the cache.
    json desired = *cached;
    desired["rules"] = std::move(*rules);
    client::WriteOptions options;
    options.fieldManager = kFieldManager;
    auto updated = m_client.update(clusterRoles().named(name), desired, options);
    if (!updated) {
        if (updated.error().code() == core::ErrorCode::NotFound) {
            return core::success();
        }
        return updated.error();
    }
    spdlog::info("clusterrole-aggregation: {} now has {} rules", name,
                 updated->value("rules", json::array()).size());
    return core::success();
}

}  // namespace slipway::controllers
