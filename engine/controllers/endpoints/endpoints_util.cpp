// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/endpoints/endpoints_util.h"

#include "engine/core/label_selector.h"

namespace slipway::controllers::endpoints {

using nlohmann::json;

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

namespace {

const json* readyCondition(const json& pod) {
    const json* conditions = nullptr;
    if (pod.contains("/status/conditions"_json_pointer)) {
        conditions = &pod.at("/status/conditions"_json_pointer);
    }
    if (conditions == nullptr || !conditions->is_array()) {
        return nullptr;
    }
    for (const json& condition : *conditions) {
        if (condition.value("type", std::string()) == "Ready") {
            return &condition;
        }
    }
    return nullptr;
}

}  // namespace

bool isPodReady(const json& pod) {
    const json* condition = readyCondition(pod);
    return condition != nullptr && condition->value("status", std::string()) == "True";
}

bool shouldPodBeInEndpoints(const json& pod, bool includeTerminating) {
    if (stringAt(pod, "/status/podIP"_json_pointer).empty()) {
        return false;
    }
    const std::string phase = stringAt(pod, "/status/phase"_json_pointer);
    const std::string restartPolicy = stringAt(pod, "/spec/restartPolicy"_json_pointer);
    if (restartPolicy == "Never" && (phase == "Failed" || phase == "Succeeded")) {
        return false;
    }
    if (restartPolicy == "OnFailure" && phase == "Succeeded") {
        return false;
    }
    if (!includeTerminating && pod.contains("/metadata/deletionTimestamp"_json_pointer) &&
        !pod.at("/metadata/deletionTimestamp"_json_pointer).is_null()) {
        return false;
    }
    return true;
}

std::optional<int> findPort(const json& pod, const json& servicePort) {
    const json target = servicePort.value("targetPort", json());
    if (target.is_number_integer()) {
        return target.get<int>();
    }
    if (target.is_null() || (target.is_string() && target.get<std::string>().empty())) {
        return servicePort.value("port", 0);
    }
    if (!target.is_string()) {
        return std::nullopt;
    }
    const std::string name = target.get<std::string>();
    // A numeric string is a number (an IntOrString decoded from YAML quotes).
    if (name.find_first_not_of("0123456789") == std::string::npos) {
        return std::stoi(name);
    }
    const std::string protocol = servicePort.value("protocol", std::string("TCP"));
    const json containers = pod.value("/spec/containers"_json_pointer, json::array());
    for (const json& container : containers) {
        for (const json& port : container.value("ports", json::array())) {
            if (port.value("name", std::string()) == name &&
                port.value("protocol", std::string("TCP")) == protocol) {
                return port.value("containerPort", 0);
            }
        }
    }
    return std::nullopt;
}

bool shouldSetHostname(const json& pod, const json& service) {
    const std::string hostname = stringAt(pod, "/spec/hostname"_json_pointer);
    return !hostname.empty() &&
           stringAt(pod, "/spec/subdomain"_json_pointer) ==
               stringAt(service, "/metadata/name"_json_pointer) &&
           stringAt(pod, "/metadata/namespace"_json_pointer) ==
               stringAt(service, "/metadata/namespace"_json_pointer);
}

bool isHeadless(const json& service) {
    return stringAt(service, "/spec/clusterIP"_json_pointer) == "None";
}

std::optional<std::map<std::string, std::string>> serviceSelector(const json& service) {
    if (!service.contains("/spec/selector"_json_pointer)) {
        return std::nullopt;
    }
    const json& selector = service.at("/spec/selector"_json_pointer);
    if (!selector.is_object() || selector.empty()) {
        return std::nullopt;
    }
    std::map<std::string, std::string> labels;
    for (const auto& [key, value] : selector.items()) {
        if (value.is_string()) {
            labels[key] = value.get<std::string>();
        }
    }
    return labels;
}

std::vector<std::string> servicesSelecting(const client::Lister& services, const json& pod) {
    std::vector<std::string> keys;
    const std::string nameSpace = stringAt(pod, "/metadata/namespace"_json_pointer);
    const json labels = pod.value("/metadata/labels"_json_pointer, json::object());
    for (const auto& service : services.list(nameSpace)) {
        const auto selector = serviceSelector(*service);
        if (selector && core::LabelSelector::fromSet(*selector).matches(labels)) {
            keys.push_back(client::objectKey(*service));
        }
    }
    return keys;
}

std::vector<client::ObjectPtr> selectedPods(const client::Lister& pods, const json& service) {
    const auto selector = serviceSelector(service);
    if (!selector) {
        return {};
    }
    return pods.list(stringAt(service, "/metadata/namespace"_json_pointer),
                     core::LabelSelector::fromSet(*selector));
}

namespace {

std::string podTriggerTime(const json& pod) {
    if (const json* condition = readyCondition(pod)) {
        const std::string at = condition->value("lastTransitionTime", std::string());
        if (!at.empty()) {
            return at;
        }
    }
    return stringAt(pod, "/metadata/creationTimestamp"_json_pointer);
}

void takeEarliest(std::string& earliest, const std::string& candidate) {
    if (!candidate.empty() && (earliest.empty() || candidate < earliest)) {
        earliest = candidate;
    }
}

}  // namespace

std::string TriggerTimeTracker::compute(const std::string& serviceKey, const json& service,
                                        const std::vector<client::ObjectPtr>& pods) {
    std::lock_guard lock(m_mutex);
    const auto [it, first] = m_states.try_emplace(serviceKey);
    State& state = it->second;
    std::string earliest;
    const std::string serviceTrigger =
        stringAt(service, "/metadata/creationTimestamp"_json_pointer);
    if (first || state.serviceTrigger != serviceTrigger) {
        takeEarliest(earliest, serviceTrigger);
    }
    std::map<std::string, std::string> podTriggers;
    for (const auto& pod : pods) {
        const std::string name = stringAt(*pod, "/metadata/name"_json_pointer);
        const std::string trigger = podTriggerTime(*pod);
        // What the Endpoints show of the pod, beside its trigger time: a pod that turns Ready
        // or gets its IP within the second it was created keeps the same time string, and is
        // still a change.
        const json* ready = readyCondition(*pod);
        const std::string seen = trigger + '|' +
                                 (ready != nullptr ? ready->value("status", std::string()) : "") +
                                 '|' + stringAt(*pod, "/status/podIP"_json_pointer);
        const auto previous = state.podTriggers.find(name);
        if (previous == state.podTriggers.end() || previous->second != seen) {
            takeEarliest(earliest, trigger);
        }
        podTriggers.emplace(name, seen);
    }
    state.serviceTrigger = serviceTrigger;
    state.podTriggers = std::move(podTriggers);
    return earliest;
}

void TriggerTimeTracker::forget(const std::string& serviceKey) {
    std::lock_guard lock(m_mutex);
    m_states.erase(serviceKey);
}

}  // namespace slipway::controllers::endpoints
