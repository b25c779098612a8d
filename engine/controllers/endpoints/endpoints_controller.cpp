// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/endpoints/endpoints_controller.h"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

namespace slipway::controllers {

using endpoints::stringAt;
using nlohmann::json;

namespace {

constexpr int kMaxRetries = 15;
constexpr const char* kOverCapacity = "endpoints.kubernetes.io/over-capacity";

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "endpoint";
    return options;
}

/// One subset being built: its ports (canonical) and addresses.
struct Subset {
    json ports = json::array();
    std::vector<json> addresses;
    std::vector<json> notReady;
};

bool addressLess(const json& a, const json& b) {
    const std::string ipA = a.value("ip", std::string());
    const std::string ipB = b.value("ip", std::string());
    if (ipA != ipB) {
        return ipA < ipB;
    }
    return a.value("/targetRef/uid"_json_pointer, std::string()) <
           b.value("/targetRef/uid"_json_pointer, std::string());
}

/// The subsets of the Endpoints for `service` over `pods`, packed as RepackSubsets packs them:
/// one subset per distinct port list, addresses sorted by IP.
json desiredSubsets(const json& service, const std::vector<client::ObjectPtr>& pods,
                    std::size_t& total) {
    const bool tolerateUnready =
        service.value("/spec/publishNotReadyAddresses"_json_pointer, false);
    const json servicePorts = service.value("/spec/ports"_json_pointer, json::array());
    const bool headless = endpoints::isHeadless(service);
    std::map<std::string, Subset> byPorts;

    for (const auto& podPtr : pods) {
        const json& pod = *podPtr;
        if (!endpoints::shouldPodBeInEndpoints(pod, tolerateUnready)) {
            continue;
        }
        json address = {{"ip", stringAt(pod, "/status/podIP"_json_pointer)}};
        const std::string nodeName = stringAt(pod, "/spec/nodeName"_json_pointer);
        if (!nodeName.empty()) {
            address["nodeName"] = nodeName;
        }
        address["targetRef"] = {{"kind", "Pod"},
                                {"namespace", stringAt(pod, "/metadata/namespace"_json_pointer)},
                                {"name", stringAt(pod, "/metadata/name"_json_pointer)},
                                {"uid", stringAt(pod, "/metadata/uid"_json_pointer)}};
        if (endpoints::shouldSetHostname(pod, service)) {
            address["hostname"] = stringAt(pod, "/spec/hostname"_json_pointer);
        }
        const bool ready = tolerateUnready || endpoints::isPodReady(pod);
        const auto place = [&](const json& ports) {
            Subset& subset = byPorts[ports.dump()];
            subset.ports = ports;
            (ready ? subset.addresses : subset.notReady).push_back(address);
        };
        if (servicePorts.empty()) {
            // A headless Service without ports: addresses only.
            if (headless) {
                place(json::array());
            }
            continue;
        }
        for (const json& servicePort : servicePorts) {
            const auto port = endpoints::findPort(pod, servicePort);
            if (!port) {
                spdlog::debug("endpoints: no port {} on pod {}", servicePort.dump(),
                              client::objectKey(pod));
                continue;
            }
            json endpointPort = {{"port", *port},
                                 {"protocol", servicePort.value("protocol", std::string("TCP"))}};
            if (servicePort.contains("name") && !servicePort["name"].get<std::string>().empty()) {
                endpointPort["name"] = servicePort["name"];
            }
            if (servicePort.contains("appProtocol")) {
                endpointPort["appProtocol"] = servicePort["appProtocol"];
            }
            place(json::array({endpointPort}));
        }
    }

    // Addresses with the same ports across service ports merge into one subset (Repack).
    struct AddressPorts {
        const json* address = nullptr;
        bool ready = false;
        std::map<std::string, json> ports;  // by their text, for a canonical order
    };
    std::map<std::string, AddressPorts> portsByAddress;  // by readiness, pod uid and IP
    for (auto& [portsKey, subset] : byPorts) {
        for (const bool ready : {true, false}) {
            for (const json& address : ready ? subset.addresses : subset.notReady) {
                const std::string addressKey =
                    (ready ? "r" : "n") +
                    address.value("/targetRef/uid"_json_pointer, std::string()) + "/" +
                    address.value("ip", std::string());
                AddressPorts& entry = portsByAddress[addressKey];
                entry.address = &address;
                entry.ready = ready;
                for (const json& port : subset.ports) {
                    entry.ports.emplace(port.dump(), port);
                }
            }
        }
    }
    std::map<std::string, Subset> repacked;
    for (auto& [addressKey, entry] : portsByAddress) {
        json portList = json::array();
        for (auto& [_, port] : entry.ports) {
            portList.push_back(std::move(port));
        }
        Subset& subset = repacked[portList.dump()];
        subset.ports = std::move(portList);
        (entry.ready ? subset.addresses : subset.notReady).push_back(*entry.address);
    }

    json subsets = json::array();
    total = 0;
    for (auto& [_, subset] : repacked) {
        std::sort(subset.addresses.begin(), subset.addresses.end(), addressLess);
        std::sort(subset.notReady.begin(), subset.notReady.end(), addressLess);
        json entry = json::object();
        if (!subset.addresses.empty()) {
            entry["addresses"] = subset.addresses;
        }
        if (!subset.notReady.empty()) {
            entry["notReadyAddresses"] = subset.notReady;
        }
        if (!subset.ports.empty()) {
            entry["ports"] = subset.ports;
        }
        total += subset.addresses.size() + subset.notReady.size();
        subsets.push_back(std::move(entry));
    }
    return subsets;
}

/// Kubernetes' truncation beyond maxCapacity: ready addresses are kept first, then not-ready
/// ones, spread over the subsets in proportion.
json truncated(json subsets, std::size_t total, std::size_t capacity) {
    std::size_t budget = capacity;
    for (json& subset : subsets) {
        for (const char* field : {"addresses", "notReadyAddresses"}) {
            if (!subset.contains(field)) {
                continue;
            }
            json& list = subset[field];
            const std::size_t share =
                std::min<std::size_t>(list.size(), (list.size() * capacity + total - 1) /
                                                       std::max<std::size_t>(total, 1));
            const std::size_t keep = std::min(share, budget);
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(keep), list.end());
            budget -= keep;
            if (list.empty()) {
                subset.erase(field);
            }
        }
    }
    return subsets;
}

}  // namespace

EndpointsController::EndpointsController(const ControllerContext& context)
    : m_client(context.client),
      m_services(context.informers.informerFor(client::resources::services())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_endpoints(context.informers.informerFor(client::resources::endpoints())),
      m_queue(queueOptions()) {
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
            return;  // a resync: the Services' own resync covers it
        }
        if (oldPod->value("/metadata/labels"_json_pointer, json::object()) !=
            pod->value("/metadata/labels"_json_pointer, json::object())) {
            enqueuePodServices(oldPod);
        }
        enqueuePodServices(pod);
    };
    podHandlers.onDelete = [this](const client::ObjectPtr& pod) { enqueuePodServices(pod); };
    m_pods.addEventHandler(std::move(podHandlers));

    client::EventHandlers endpointsHandlers;
    // Endpoints changed or deleted by someone else are put right again.
    endpointsHandlers.onDelete = [this](const client::ObjectPtr& endpoints) {
        const std::string key = client::objectKey(*endpoints);
        if (m_services.lister().getByKey(key)) {
            m_queue.add(key);
        }
    };
    m_endpoints.addEventHandler(std::move(endpointsHandlers));
}

EndpointsController::~EndpointsController() {
    stop();
}

void EndpointsController::enqueuePodServices(const client::ObjectPtr& pod) {
    for (const auto& key : endpoints::servicesSelecting(m_services.lister(), *pod)) {
        m_queue.add(key);
    }
}

void EndpointsController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void EndpointsController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

core::Result<void> EndpointsController::sync(const std::string& key) {
    const auto parts = client::splitObjectKey(key);
    const auto ref = client::resources::endpoints().in(parts.nameSpace).named(parts.name);
    const auto service = m_services.lister().getByKey(key);
    if (!service) {
        m_triggers.forget(key);
        // The Service is gone: so are its Endpoints (kube deletes without looking).
        auto removed = m_client.remove(ref);
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            return removed.error();
        }
        return core::success();
    }
    if (!endpoints::serviceSelector(*service)) {
        return core::success();  // Endpoints of selector-less Services are the user's
    }
    if (service->contains("/metadata/deletionTimestamp"_json_pointer)) {
        return core::success();
    }

    const auto pods = endpoints::selectedPods(m_pods.lister(), *service);
    std::size_t total = 0;
    json subsets = desiredSubsets(*service, pods, total);
    const bool overCapacity = total > kMaxCapacity;
    if (overCapacity) {
        subsets = truncated(std::move(subsets), total, kMaxCapacity);
    }

    const auto current = m_endpoints.lister().getByKey(key);
    json labels = service->value("/metadata/labels"_json_pointer, json::object());
    if (!labels.is_object()) {
        labels = json::object();
    }
    if (endpoints::isHeadless(*service)) {
        labels[endpoints::kHeadlessLabel] = "";
    } else {
        labels.erase(endpoints::kHeadlessLabel);
    }
    const std::string triggerTime = m_triggers.compute(key, *service, pods);

    if (current) {
        const json currentSubsets = current->value("subsets", json::array());
        const json currentLabels = current->value("/metadata/labels"_json_pointer, json::object());
        const json annotations =
            current->value("/metadata/annotations"_json_pointer, json::object());
        const bool capacityCorrect =
            overCapacity ? annotations.value(kOverCapacity, std::string()) == "truncated"
                         : !annotations.contains(kOverCapacity);
        const json normalized = currentSubsets.is_null() ? json::array() : currentSubsets;
        if (normalized == subsets && currentLabels == labels && capacityCorrect) {
            return core::success();  // nothing to write
        }
    }

    json object = current
                      ? *current
                      : json{{"apiVersion", "v1"},
                             {"kind", "Endpoints"},
                             {"metadata", {{"name", parts.name}, {"namespace", parts.nameSpace}}}};
    object["apiVersion"] = "v1";
    object["kind"] = "Endpoints";
    json& metadata = object["metadata"];
    json annotations = metadata.value("annotations", json::object());
    if (!annotations.is_object()) {
        annotations = json::object();
    }
    if (triggerTime.empty()) {
        annotations.erase(endpoints::kLastChangeTriggerTime);
    } else {
        annotations[endpoints::kLastChangeTriggerTime] = triggerTime;
    }
    if (overCapacity) {
        annotations[kOverCapacity] = "truncated";
    } else {
        annotations.erase(kOverCapacity);
    }
    if (annotations.empty()) {
        metadata.erase("annotations");
    } else {
        metadata["annotations"] = annotations;
    }
    if (labels.empty()) {
        metadata.erase("labels");
    } else {
        metadata["labels"] = labels;
    }
    if (subsets.empty()) {
        object.erase("subsets");
    } else {
        object["subsets"] = subsets;
    }

    auto written =
        current ? m_client.update(ref, object)
                : m_client.create(client::resources::endpoints().in(parts.nameSpace), object);
    if (!written) {
        // A Service being deleted in a terminating namespace: nothing more to do.
        if (!current && written.error().code() == core::ErrorCode::Forbidden) {
            return core::success();
        }
        // The retry must not take the changes this write carried for already recorded.
        m_triggers.forget(key);
        return written.error();
    }
    return core::success();
}

}  // namespace slipway::controllers
