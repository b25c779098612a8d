// SPDX-License-Identifier: Apache-2.0
#include "engine/metrics/simulated_metrics_source.h"

#include <optional>

#include "engine/client/resource_ref.h"

namespace slipway::metrics {
namespace {

using nlohmann::json;

constexpr const char* kPodsByNode = "spec.nodeName";

std::string stringAt(const json& object, const char* first, const char* second) {
    const auto outer = object.find(first);
    if (outer == object.end() || !outer->is_object()) {
        return {};
    }
    const auto inner = outer->find(second);
    return inner != outer->end() && inner->is_string() ? inner->get<std::string>() : std::string();
}

json labelsOf(const json& object) {
    const auto metadata = object.find("metadata");
    if (metadata != object.end() && metadata->is_object()) {
        const auto labels = metadata->find("labels");
        if (labels != metadata->end() && labels->is_object()) {
            return *labels;
        }
    }
    return json::object();
}

std::optional<core::Quantity> annotationOf(const json& object, const char* annotation) {
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return std::nullopt;
    }
    const auto annotations = metadata->find("annotations");
    if (annotations == metadata->end() || !annotations->is_object()) {
        return std::nullopt;
    }
    const auto value = annotations->find(annotation);
    if (value == annotations->end() || !value->is_string()) {
        return std::nullopt;
    }
    auto quantity = core::Quantity::parse(value->get<std::string>());
    if (!quantity || quantity->sign() < 0) {
        return std::nullopt;  // a typo in a lesson falls back to the next level
    }
    return *quantity;
}

/// The ownerReference with controller: true, if any.
const json* controllerOf(const json& object) {
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return nullptr;
    }
    const auto owners = metadata->find("ownerReferences");
    if (owners == metadata->end() || !owners->is_array()) {
        return nullptr;
    }
    for (const auto& owner : *owners) {
        if (owner.is_object() && owner.value("controller", false)) {
            return &owner;
        }
    }
    return nullptr;
}

/// `total` split into `parts` (at least 1) at milli precision, the unit usage is reported in;
/// the first parts take the remainder: 1 core over 3 containers is 334m, 333m, 333m.
std::vector<core::Quantity> split(const core::Quantity& total, std::size_t parts) {
    std::vector<core::Quantity> shares;
    if (parts <= 1) {
        shares.push_back(total);
        return shares;
    }
    const std::int64_t milli = total.milliValue();
    const auto count = static_cast<std::int64_t>(parts);
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t share = milli / count + (i < milli % count ? 1 : 0);
        shares.push_back(core::Quantity::fromMilli(share, total.format()));
    }
    return shares;
}

/// The same in whole units (bytes of memory).
std::vector<core::Quantity> splitBytes(const core::Quantity& total, std::size_t parts) {
    std::vector<core::Quantity> shares;
    const std::int64_t bytes = total.value();
    const auto count = static_cast<std::int64_t>(parts == 0 ? 1 : parts);
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t share = bytes / count + (i < bytes % count ? 1 : 0);
        shares.push_back(core::Quantity::fromValue(share, total.format()));
    }
    return shares;
}

}  // namespace

SimulatedMetricsSource::SimulatedMetricsSource(client::SharedInformers& informers,
                                               SimulatedMetricsOptions options)
    : m_options(std::move(options)) {
    auto& pods = informers.informerFor(client::resources::pods());
    pods.addIndex(kPodsByNode, [](const json& pod) {
        std::string node = stringAt(pod, "spec", "nodeName");
        return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
    });
    m_pods = pods.lister();
    m_nodes = informers.informerFor(client::resources::nodes()).lister();
    m_replicaSets = informers.informerFor(client::resources::replicaSets()).lister();
    m_deployments = informers.informerFor(client::resources::deployments()).lister();
}

std::chrono::system_clock::time_point SimulatedMetricsSource::now() const {
    return m_options.clock ? m_options.clock() : std::chrono::system_clock::now();
}

bool SimulatedMetricsSource::measured(std::string_view nodeName) const {
    if (nodeName.empty()) {
        return false;
    }
    if (!m_options.isSimulatedNode) {
        return true;
    }
    const auto node = m_nodes.get("", nodeName);
    return node != nullptr && m_options.isSimulatedNode(*node);
}

std::optional<core::Quantity> SimulatedMetricsSource::annotatedUsage(const json& pod,
                                                                     const char* annotation) const {
    if (auto own = annotationOf(pod, annotation)) {
        return own;
    }
    // The pod's controller, then that one's: Pod → ReplicaSet → Deployment.
    const std::string nameSpace = stringAt(pod, "metadata", "namespace");
    const json* owner = controllerOf(pod);
    for (int level = 0; owner != nullptr && level < 2; ++level) {
        const std::string kind = owner->value("kind", std::string());
        const std::string name = owner->value("name", std::string());
        client::ObjectPtr object;
        if (kind == "ReplicaSet") {
            object = m_replicaSets.get(nameSpace, name);
        } else if (kind == "Deployment") {
            object = m_deployments.get(nameSpace, name);
        }
        if (object == nullptr) {
            return std::nullopt;
        }
        if (auto value = annotationOf(*object, annotation)) {
            return value;
        }
        owner = controllerOf(*object);
    }
    return std::nullopt;
}

std::optional<PodUsage> SimulatedMetricsSource::usageOf(
    const json& pod, std::chrono::system_clock::time_point now) const {
    const std::string nodeName = stringAt(pod, "spec", "nodeName");
    if (stringAt(pod, "status", "phase") != "Running" || !measured(nodeName)) {
        return std::nullopt;
    }
    std::vector<std::string> containers;
    if (const auto spec = pod.find("spec"); spec != pod.end() && spec->is_object()) {
        if (const auto list = spec->find("containers"); list != spec->end() && list->is_array()) {
            for (const auto& container : *list) {
                if (container.is_object()) {
                    containers.push_back(container.value("name", std::string()));
                }
            }
        }
    }
    if (containers.empty()) {
        return std::nullopt;
    }
    const core::Quantity cpu =
        annotatedUsage(pod, kCpuUsageAnnotation).value_or(m_options.defaultPodCpu);
    const core::Quantity memory =
        annotatedUsage(pod, kMemoryUsageAnnotation).value_or(m_options.defaultPodMemory);
    const auto cpuShares = split(cpu, containers.size());
    const auto memoryShares = splitBytes(memory, containers.size());

    PodUsage usage;
    usage.nameSpace = stringAt(pod, "metadata", "namespace");
    usage.name = stringAt(pod, "metadata", "name");
    usage.labels = labelsOf(pod);
    usage.timestamp = now;
    usage.window = m_options.window;
    for (std::size_t i = 0; i < containers.size(); ++i) {
        usage.containers.push_back({containers[i], cpuShares[i], memoryShares[i]});
    }
    return usage;
}

std::vector<PodUsage> SimulatedMetricsSource::podUsage(std::string_view nameSpace,
                                                       const core::LabelSelector& selector) const {
    const auto at = now();
    std::vector<PodUsage> usage;
    for (const auto& pod : m_pods.list(nameSpace, selector)) {
        if (auto one = usageOf(*pod, at)) {
            usage.push_back(std::move(*one));
        }
    }
    return usage;
}

std::optional<PodUsage> SimulatedMetricsSource::podUsage(std::string_view nameSpace,
                                                         std::string_view name) const {
    const auto pod = m_pods.get(nameSpace, name);
    return pod == nullptr ? std::nullopt : usageOf(*pod, now());
}

NodeUsage SimulatedMetricsSource::usageOfNode(const json& node,
                                              std::chrono::system_clock::time_point at) const {
    NodeUsage usage;
    usage.name = stringAt(node, "metadata", "name");
    usage.labels = labelsOf(node);
    usage.timestamp = at;
    usage.window = m_options.window;
    usage.cpu = m_options.nodeBaseCpu;
    usage.memory = m_options.nodeBaseMemory;
    for (const auto& pod : m_pods.byIndex(kPodsByNode, usage.name)) {
        if (const auto running = usageOf(*pod, at)) {
            for (const auto& container : running->containers) {
                usage.cpu += container.cpu;
                usage.memory += container.memory;
            }
        }
    }
    return usage;
}

std::vector<NodeUsage> SimulatedMetricsSource::nodeUsage() const {
    const auto at = now();
    std::vector<NodeUsage> usage;
    for (const auto& node : m_nodes.list()) {
        if (!m_options.isSimulatedNode || m_options.isSimulatedNode(*node)) {
            usage.push_back(usageOfNode(*node, at));
        }
    }
    return usage;
}

std::optional<NodeUsage> SimulatedMetricsSource::nodeUsage(std::string_view name) const {
    const auto node = m_nodes.get("", name);
    if (node == nullptr || (m_options.isSimulatedNode && !m_options.isSimulatedNode(*node))) {
        return std::nullopt;
    }
    return usageOfNode(*node, now());
}

}  // namespace slipway::metrics
