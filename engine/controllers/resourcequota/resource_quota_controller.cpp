// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/resourcequota/resource_quota_controller.h"

#include <algorithm>

#include "engine/api/json_fields.h"
#include "engine/client/indexer.h"

namespace slipway::controllers {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using nlohmann::json;

constexpr int kMaxRetries = 15;

/// The quantities of a resource list ({"cpu": "100m", ...}); unparsable ones are skipped.
std::map<std::string, core::Quantity> quantities(const json& list) {
    std::map<std::string, core::Quantity> parsed;
    if (!list.is_object()) {
        return parsed;
    }
    for (const auto& [name, value] : list.items()) {
        if (auto quantity = core::Quantity::fromJson(value)) {
            parsed[name] = *quantity;
        }
    }
    return parsed;
}

void addInto(std::map<std::string, core::Quantity>& sum,
             const std::map<std::string, core::Quantity>& more) {
    for (const auto& [name, quantity] : more) {
        sum[name] += quantity;
    }
}

void maxInto(std::map<std::string, core::Quantity>& result,
             const std::map<std::string, core::Quantity>& candidate) {
    for (const auto& [name, quantity] : candidate) {
        auto it = result.find(name);
        if (it == result.end() || it->second < quantity) {
            result[name] = quantity;
        }
    }
}

bool terminal(const json& pod) {
    const std::string phase = stringAt(pod, {"status", "phase"});
    return phase == "Succeeded" || phase == "Failed";
}

bool matchesScopes(const json& quota, const json& pod) {
    const auto resources = podResources(pod);
    const bool bestEffort = resources.requests.empty() && resources.limits.empty();
    const bool terminating = api::detail::has(pod, {"spec", "activeDeadlineSeconds"});
    for (const auto& scope : arrayAt(quota, {"spec", "scopes"})) {
        const std::string name = scope.is_string() ? scope.get<std::string>() : std::string();
        if ((name == "BestEffort" && !bestEffort) || (name == "NotBestEffort" && bestEffort) ||
            (name == "Terminating" && !terminating) || (name == "NotTerminating" && terminating)) {
            return false;
        }
    }
    return true;
}

}  // namespace

PodResources podResources(const json& pod) {
    PodResources total;
    for (const auto& container : arrayAt(pod, {"spec", "containers"})) {
        addInto(total.requests, quantities(objectAt(container, {"resources", "requests"})));
        addInto(total.limits, quantities(objectAt(container, {"resources", "limits"})));
    }
    for (const auto& container : arrayAt(pod, {"spec", "initContainers"})) {
        maxInto(total.requests, quantities(objectAt(container, {"resources", "requests"})));
        maxInto(total.limits, quantities(objectAt(container, {"resources", "limits"})));
    }
    const auto overhead = quantities(objectAt(pod, {"spec", "overhead"}));
    addInto(total.requests, overhead);
    if (!total.limits.empty()) {
        addInto(total.limits, overhead);
    }
    return total;
}

json quotaUsage(const json& quota, const std::vector<json>& pods,
                const std::map<std::string, std::vector<json>>& others) {
    std::vector<const json*> counted;
    for (const auto& pod : pods) {
        if (!terminal(pod) && matchesScopes(quota, pod)) {
            counted.push_back(&pod);
        }
    }
    const auto computeSum = [&counted](bool limits, const std::string& resource) {
        core::Quantity sum;
        for (const json* pod : counted) {
            const auto resources = podResources(*pod);
            const auto& list = limits ? resources.limits : resources.requests;
            if (auto it = list.find(resource); it != list.end()) {
                sum += it->second;
            }
        }
        return sum;
    };
    const auto countOf = [&others](const std::string& kind) -> std::int64_t {
        auto it = others.find(kind);
        return it == others.end() ? 0 : static_cast<std::int64_t>(it->second.size());
    };
    json used = json::object();
    for (const auto& [resource, hard] : objectAt(quota, {"spec", "hard"}).items()) {
        (void)hard;
        core::Quantity value;
        if (resource == "pods" || resource == "count/pods") {
            value = core::Quantity::fromValue(static_cast<std::int64_t>(counted.size()));
        } else if (resource == "requests.cpu" || resource == "cpu") {
            value = computeSum(false, "cpu");
        } else if (resource == "requests.memory" || resource == "memory") {
            value = computeSum(false, "memory");
        } else if (resource == "requests.ephemeral-storage" || resource == "ephemeral-storage") {
            value = computeSum(false, "ephemeral-storage");
        } else if (resource == "limits.cpu") {
            value = computeSum(true, "cpu");
        } else if (resource == "limits.memory") {
            value = computeSum(true, "memory");
        } else if (resource == "services.nodeports" || resource == "services.loadbalancers") {
            const std::string type = resource == "services.nodeports" ? "NodePort" : "LoadBalancer";
            std::int64_t count = 0;
            if (auto it = others.find("services"); it != others.end()) {
                count = std::count_if(it->second.begin(), it->second.end(), [&type](const json& s) {
                    const std::string mine = stringAt(s, {"spec", "type"});
                    return mine == type || (type == "NodePort" && mine == "LoadBalancer");
                });
            }
            value = core::Quantity::fromValue(count);
        } else if (resource == "requests.storage") {
            core::Quantity sum;
            if (auto it = others.find("persistentvolumeclaims"); it != others.end()) {
                for (const auto& claim : it->second) {
                    auto requested =
                        core::Quantity::fromJson(objectAt(claim, {"spec", "resources", "requests"})
                                                     .value("storage", json()));
                    if (requested) {
                        sum += *requested;
                    }
                }
            }
            value = sum;
        } else {
            std::string kind = resource;
            if (kind.starts_with("count/")) {
                kind = kind.substr(6);
            }
            if (others.find(kind) == others.end()) {
                continue;  // a resource this controller does not count
            }
            value = core::Quantity::fromValue(countOf(kind));
        }
        used[resource] = value.toJson();
    }
    return used;
}

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
    for (int i = 0; i < workers; ++i) {
        m_workers.emplace_back([this] {
            m_queue.processUntilShutDown([this](const std::string& key) { return sync(key); },
                                         kMaxRetries);
        });
    }
}

void ResourceQuotaController::stop() {
    m_queue.shutDown();
    for (auto& worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    m_workers.clear();
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
    std::vector<json> pods;
    for (const auto& pod : m_pods.lister().list(nameSpace)) {
        pods.push_back(*pod);
    }
    std::map<std::string, std::vector<json>> others;
    for (const auto& [resource, informer] : m_counted) {
        auto& objects = others[resource];
        for (const auto& object : informer->lister().list(nameSpace)) {
            objects.push_back(*object);
        }
    }
    json status = {{"hard", objectAt(quota, {"spec", "hard"})},
                   {"used", quotaUsage(quota, pods, others)}};
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
