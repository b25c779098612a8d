// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/endpointslice/endpoint_slice_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace slipway::controllers {

using endpoints::stringAt;
using nlohmann::json;

namespace {

constexpr int kMaxRetries = 15;
constexpr const char* kServiceIndex = "service";

client::ResourceRef slices() {
    return {"discovery.k8s.io", "v1", "endpointslices"};
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "endpoint_slice";
    return options;
}

std::int64_t generationOf(const json& object) {
    return object.value("/metadata/generation"_json_pointer, std::int64_t{0});
}

/// The endpoint of `pod` for `service` (podToEndpoint).
json podToEndpoint(const json& pod, const client::ObjectPtr& node, const json& service) {
    const bool serving = endpoints::isPodReady(pod);
    const bool terminating = pod.contains("/metadata/deletionTimestamp"_json_pointer) &&
                             !pod.at("/metadata/deletionTimestamp"_json_pointer).is_null();
    const bool ready = service.value("/spec/publishNotReadyAddresses"_json_pointer, false) ||
                       (serving && !terminating);
    json endpoint = {
        {"addresses", json::array({stringAt(pod, "/status/podIP"_json_pointer)})},
        {"conditions", {{"ready", ready}, {"serving", serving}, {"terminating", terminating}}},
        {"targetRef",
         {{"kind", "Pod"},
          {"namespace", stringAt(pod, "/metadata/namespace"_json_pointer)},
          {"name", stringAt(pod, "/metadata/name"_json_pointer)},
          {"uid", stringAt(pod, "/metadata/uid"_json_pointer)}}}};
    const std::string nodeName = stringAt(pod, "/spec/nodeName"_json_pointer);
    if (!nodeName.empty()) {
        endpoint["nodeName"] = nodeName;
    }
    if (node) {
        const std::string zone =
            stringAt(*node, "/metadata/labels/topology.kubernetes.io~1zone"_json_pointer);
        if (!zone.empty()) {
            endpoint["zone"] = zone;
        }
    }
    if (endpoints::shouldSetHostname(pod, service)) {
        endpoint["hostname"] = stringAt(pod, "/spec/hostname"_json_pointer);
    }
    return endpoint;
}

/// The key an endpoint is matched by across syncs: its pod.
std::string endpointKey(const json& endpoint) {
    const std::string uid = endpoint.value("/targetRef/uid"_json_pointer, std::string());
    if (!uid.empty()) {
        return uid;
    }
    return endpoint.value("addresses", json::array()).dump();
}

/// The ports of a slice in a canonical order, for grouping.
std::string portsKey(const json& ports) {
    std::vector<std::string> parts;
    for (const json& port : ports) {
        parts.push_back(port.dump());
    }
    std::sort(parts.begin(), parts.end());
    std::string key;
    for (const auto& part : parts) {
        key += part;
        key += ';';
    }
    return key;
}

struct Group {
    json ports = json::array();
    std::map<std::string, json> endpoints;  // by endpointKey, in a stable order
};

/// A slice as the reconciler plans it.
struct Planned {
    json slice;
    bool create = false;
    bool changed = false;
};

}  // namespace

EndpointSliceController::EndpointSliceController(const ControllerContext& context)
    : EndpointSliceController(context, Options{}) {}

EndpointSliceController::EndpointSliceController(const ControllerContext& context, Options options)
    : m_client(context.client),
      m_options(options),
      m_services(context.informers.informerFor(client::resources::services())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_nodes(context.informers.informerFor(client::resources::nodes())),
      m_slices(context.informers.informerFor(slices())),
      m_queue(queueOptions()) {
    m_slices.addIndex(kServiceIndex, [](const json& slice) -> std::vector<std::string> {
        const std::string service =
            stringAt(slice, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
        if (service.empty()) {
            return {};
        }
        return {stringAt(slice, "/metadata/namespace"_json_pointer) + "/" + service};
    });

    client::EventHandlers serviceHandlers;
    serviceHandlers.onAdd = [this](const client::ObjectPtr& service) {
        m_queue.add(client::objectKey(*service));
    };
    serviceHandlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& service) {
        m_queue.add(client::objectKey(*service));
    };
    serviceHandlers.onDelete = [this](const client::ObjectPtr& service) {
        m_queue.add(client::objectKey(*service));
    };
    m_services.addEventHandler(std::move(serviceHandlers));

    client::EventHandlers podHandlers;
    podHandlers.onAdd = [this](const client::ObjectPtr& pod) { enqueuePodServices(pod); };
    podHandlers.onUpdate = [this](const client::ObjectPtr& oldPod, const client::ObjectPtr& pod) {
        if (oldPod == pod) {
            return;
        }
        if (oldPod->value("/metadata/labels"_json_pointer, json::object()) !=
            pod->value("/metadata/labels"_json_pointer, json::object())) {
            enqueuePodServices(oldPod);
        }
        enqueuePodServices(pod);
    };
    podHandlers.onDelete = [this](const client::ObjectPtr& pod) { enqueuePodServices(pod); };
    m_pods.addEventHandler(std::move(podHandlers));

    client::EventHandlers sliceHandlers;
    sliceHandlers.onAdd = [this](const client::ObjectPtr& slice) { enqueueSliceService(slice); };
    sliceHandlers.onUpdate = [this](const client::ObjectPtr& oldSlice,
                                    const client::ObjectPtr& slice) {
        if (oldSlice != slice) {
            enqueueSliceService(slice);
        }
    };
    sliceHandlers.onDelete = [this](const client::ObjectPtr& slice) { enqueueSliceService(slice); };
    m_slices.addEventHandler(std::move(sliceHandlers));
}

EndpointSliceController::~EndpointSliceController() {
    stop();
}

void EndpointSliceController::enqueuePodServices(const client::ObjectPtr& pod) {
    for (const auto& key : endpoints::servicesSelecting(m_services.lister(), *pod)) {
        m_queue.add(key);
    }
}

void EndpointSliceController::enqueueSliceService(const client::ObjectPtr& slice) {
    if (stringAt(*slice, "/metadata/labels/endpointslice.kubernetes.io~1managed-by"_json_pointer) !=
        kControllerName) {
        return;
    }
    const std::string service =
        stringAt(*slice, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
    if (service.empty()) {
        return;
    }
    const std::string key = stringAt(*slice, "/metadata/namespace"_json_pointer) + "/" + service;
    // A slice as this controller wrote it needs no sync; anything else (someone else's change,
    // a deletion, the cache catching up with a sync that waited) does.
    {
        std::lock_guard lock(m_trackerMutex);
        const auto tracked = m_expected.find(key);
        if (tracked != m_expected.end()) {
            const auto expected =
                tracked->second.find(stringAt(*slice, "/metadata/name"_json_pointer));
            if (expected != tracked->second.end() && expected->second == generationOf(*slice)) {
                tracked->second.erase(expected);
                if (tracked->second.empty()) {
                    m_expected.erase(tracked);
                }
                return;
            }
        }
    }
    m_queue.add(key);
}

void EndpointSliceController::expect(const std::string& serviceKey, const std::string& sliceName,
                                     std::int64_t generation) {
    std::lock_guard lock(m_trackerMutex);
    m_expected[serviceKey][sliceName] = generation;
}

bool EndpointSliceController::cacheCurrent(const std::string& serviceKey,
                                           const std::vector<client::ObjectPtr>& cached) {
    std::lock_guard lock(m_trackerMutex);
    const auto service = m_expected.find(serviceKey);
    if (service == m_expected.end()) {
        return true;
    }
    std::map<std::string, std::int64_t> generations;
    for (const auto& slice : cached) {
        generations[stringAt(*slice, "/metadata/name"_json_pointer)] = generationOf(*slice);
    }
    bool current = true;
    for (auto it = service->second.begin(); it != service->second.end();) {
        const auto seen = generations.find(it->first);
        const bool caughtUp = it->second < 0
                                  ? seen == generations.end()
                                  : seen != generations.end() && seen->second >= it->second;
        if (caughtUp) {
            it = service->second.erase(it);
        } else {
            current = false;
            ++it;
        }
    }
    if (service->second.empty()) {
        m_expected.erase(service);
    }
    return current;
}

void EndpointSliceController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void EndpointSliceController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

core::Result<void> EndpointSliceController::sync(const std::string& key) {
    const auto parts = client::splitObjectKey(key);
    const auto service = m_services.lister().getByKey(key);
    if (!service) {
        // The garbage collector deletes the slices the Service owned.
        m_triggers.forget(key);
        std::lock_guard lock(m_trackerMutex);
        m_expected.erase(key);
        return core::success();
    }
    if (!endpoints::serviceSelector(*service) ||
        service->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();
    }

    std::vector<client::ObjectPtr> existing;
    for (const auto& slice : m_slices.lister().byIndex(kServiceIndex, key)) {
        if (stringAt(*slice,
                     "/metadata/labels/endpointslice.kubernetes.io~1managed-by"_json_pointer) ==
            kControllerName) {
            existing.push_back(slice);
        }
    }
    if (!cacheCurrent(key, existing)) {
        // EndpointSliceTracker's StaleInformerCache: wait for our own writes to show.
        return core::Error(core::ErrorCode::Conflict,
                           "endpoint slice informer cache is out of date for service " + key);
    }

    // Desired endpoints, grouped by the ports they resolve to.
    const json servicePorts = service->value("/spec/ports"_json_pointer, json::array());
    const auto pods = endpoints::selectedPods(m_pods.lister(), *service);
    std::map<std::string, Group> desired;
    std::size_t desiredCount = 0;
    for (const auto& pod : pods) {
        if (!endpoints::shouldPodBeInEndpoints(*pod, true)) {
            continue;
        }
        if (stringAt(*pod, "/status/podIP"_json_pointer).find(':') != std::string::npos) {
            continue;  // IPv6: not an IPv4 slice's
        }
        json ports = json::array();
        for (const json& servicePort : servicePorts) {
            const auto port = endpoints::findPort(*pod, servicePort);
            if (!port) {
                continue;
            }
            json entry = {{"name", servicePort.value("name", std::string())},
                          {"port", *port},
                          {"protocol", servicePort.value("protocol", std::string("TCP"))}};
            if (servicePort.contains("appProtocol")) {
                entry["appProtocol"] = servicePort["appProtocol"];
            }
            ports.push_back(std::move(entry));
        }
        const std::string nodeName = stringAt(*pod, "/spec/nodeName"_json_pointer);
        const auto node =
            nodeName.empty() ? client::ObjectPtr() : m_nodes.lister().get("", nodeName);
        json endpoint = podToEndpoint(*pod, node, *service);
        Group& group = desired[portsKey(ports)];
        group.ports = ports;
        group.endpoints.emplace(endpointKey(endpoint), std::move(endpoint));
        ++desiredCount;
    }

    // Labels every slice of the Service carries.
    json labels = service->value("/metadata/labels"_json_pointer, json::object());
    if (!labels.is_object()) {
        labels = json::object();
    }
    labels[kServiceName] = parts.name;
    labels[kManagedBy] = kControllerName;
    if (endpoints::isHeadless(*service)) {
        labels[endpoints::kHeadlessLabel] = "";
    } else {
        labels.erase(endpoints::kHeadlessLabel);
    }
    const std::string triggerTime = m_triggers.compute(key, *service, pods);
    const json owner = {
        {"apiVersion", "v1"}, {"kind", "Service"},
        {"name", parts.name}, {"uid", stringAt(*service, "/metadata/uid"_json_pointer)},
        {"controller", true}, {"blockOwnerDeletion", true}};
    const auto newSlice = [&](const json& ports) {
        std::string prefix = parts.name + "-";
        if (prefix.size() > 253 - 5) {
            prefix = parts.name;
        }
        json slice = {{"apiVersion", "discovery.k8s.io/v1"},
                      {"kind", "EndpointSlice"},
                      {"metadata",
                       {{"generateName", prefix},
                        {"namespace", parts.nameSpace},
                        {"labels", labels},
                        {"ownerReferences", json::array({owner})}}},
                      {"addressType", "IPv4"},
                      {"endpoints", json::array()},
                      {"ports", ports}};
        return slice;
    };

    std::vector<Planned> plan;
    std::vector<client::ObjectPtr> toDelete;
    for (const auto& slicePtr : existing) {
        const json& slice = *slicePtr;
        const json ports = slice.value("ports", json::array());
        auto group = desired.find(portsKey(ports.is_null() ? json::array() : ports));
        if (slice.value("addressType", std::string()) != "IPv4" || group == desired.end()) {
            toDelete.push_back(slicePtr);
            continue;
        }
        Planned planned{slice, false, false};
        json kept = json::array();
        for (const json& endpoint : slice.value("endpoints", json::array())) {
            const auto wanted = group->second.endpoints.find(endpointKey(endpoint));
            if (wanted == group->second.endpoints.end()) {
                planned.changed = true;  // the pod is gone
                continue;
            }
            if (wanted->second != endpoint) {
                planned.changed = true;
            }
            kept.push_back(std::move(wanted->second));
            group->second.endpoints.erase(wanted);
        }
        if (kept.empty()) {
            toDelete.push_back(slicePtr);
            continue;
        }
        planned.slice["endpoints"] = std::move(kept);
        // Labels the Service no longer wants, or wants anew, count as a change too.
        json sliceLabels = slice.value("/metadata/labels"_json_pointer, json::object());
        if (sliceLabels != labels) {
            planned.slice["metadata"]["labels"] = labels;
            planned.changed = true;
        }
        plan.push_back(std::move(planned));
    }

    // New endpoints: first into slices being updated anyway, then into others with room, then
    // into new slices.
    for (auto& [portsId, group] : desired) {
        auto remaining = group.endpoints.begin();
        const auto fill = [&](Planned& planned) {
            json& list = planned.slice["endpoints"];
            while (remaining != group.endpoints.end() &&
                   list.size() < m_options.maxEndpointsPerSlice) {
                list.push_back(std::move(remaining->second));
                ++remaining;
                planned.changed = true;
            }
        };
        for (const bool changedFirst : {true, false}) {
            for (Planned& planned : plan) {
                if (planned.changed == changedFirst &&
                    portsKey(planned.slice.value("ports", json::array())) == portsId) {
                    fill(planned);
                }
            }
        }
        while (remaining != group.endpoints.end()) {
            Planned planned{newSlice(group.ports), true, true};
            fill(planned);
            plan.push_back(std::move(planned));
        }
    }

    // A Service without endpoints keeps one placeholder slice.
    if (desiredCount == 0 && plan.empty()) {
        const auto placeholder =
            std::find_if(toDelete.begin(), toDelete.end(), [](const client::ObjectPtr& slice) {
                return slice->value("endpoints", json::array()).empty() &&
                       slice->value("ports", json::array()).empty() &&
                       slice->value("addressType", std::string()) == "IPv4";
            });
        if (placeholder != toDelete.end()) {
            Planned planned{**placeholder, false, false};
            if (planned.slice.value("/metadata/labels"_json_pointer, json::object()) != labels) {
                planned.slice["metadata"]["labels"] = labels;
                planned.changed = true;
            }
            plan.push_back(std::move(planned));
            toDelete.erase(placeholder);
        } else {
            Planned planned{newSlice(json::array()), true, true};
            plan.push_back(std::move(planned));
        }
    }

    // Creates, then updates, then deletes, as kube's reconciler finalizes.
    for (const bool creating : {true, false}) {
        for (Planned& planned : plan) {
            if (planned.create != creating || !planned.changed) {
                continue;
            }
            json& metadata = planned.slice["metadata"];
            if (!triggerTime.empty()) {
                metadata["annotations"][endpoints::kLastChangeTriggerTime] = triggerTime;
            }
            auto written =
                creating
                    ? m_client.create(slices().in(parts.nameSpace), planned.slice)
                    : m_client.update(
                          slices().in(parts.nameSpace).named(metadata.value("name", std::string())),
                          planned.slice);
            if (!written) {
                if (creating && written.error().code() == core::ErrorCode::Forbidden) {
                    return core::success();  // the namespace is terminating
                }
                return written.error();
            }
            expect(key, stringAt(*written, "/metadata/name"_json_pointer), generationOf(*written));
        }
    }
    for (const auto& slice : toDelete) {
        const std::string sliceName = stringAt(*slice, "/metadata/name"_json_pointer);
        auto removed = m_client.remove(slices().in(parts.nameSpace).named(sliceName));
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            return removed.error();
        }
        expect(key, sliceName, -1);
    }
    return core::success();
}

}  // namespace slipway::controllers
