// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/types.h"

#include <algorithm>
#include <charconv>

#include "engine/core/quantity.h"

namespace slipway::scheduler {

using nlohmann::json;

namespace {

const json* member(const json& object, const char* name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string stringOf(const json& object, const char* name) {
    const json* value = member(object, name);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::int64_t intOf(const json& object, const char* name, std::int64_t fallback) {
    const json* value = member(object, name);
    return value != nullptr && value->is_number_integer() ? value->get<std::int64_t>() : fallback;
}

core::Labels labelsOf(const json* map) {
    core::Labels labels;
    if (map != nullptr && map->is_object()) {
        for (const auto& [key, value] : map->items()) {
            if (value.is_string()) {
                labels.emplace(key, value.get<std::string>());
            }
        }
    }
    return labels;
}

std::vector<std::string> stringsOf(const json* list) {
    std::vector<std::string> values;
    if (list != nullptr && list->is_array()) {
        for (const auto& item : *list) {
            if (item.is_string()) {
                values.push_back(item.get<std::string>());
            }
        }
    }
    return values;
}

std::optional<std::int64_t> parseInteger(const std::string& text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::vector<NodeSelectorRequirement> requirementsOf(const json* list) {
    std::vector<NodeSelectorRequirement> requirements;
    if (list == nullptr || !list->is_array()) {
        return requirements;
    }
    for (const auto& item : *list) {
        NodeSelectorRequirement requirement;
        requirement.key = stringOf(item, "key");
        const std::string op = stringOf(item, "operator");
        using Op = NodeSelectorRequirement::Operator;
        if (op == "In") {
            requirement.op = Op::In;
        } else if (op == "NotIn") {
            requirement.op = Op::NotIn;
        } else if (op == "Exists") {
            requirement.op = Op::Exists;
        } else if (op == "DoesNotExist") {
            requirement.op = Op::DoesNotExist;
        } else if (op == "Gt") {
            requirement.op = Op::Gt;
        } else if (op == "Lt") {
            requirement.op = Op::Lt;
        } else {
            // Validation refuses other operators; a term with one matches nothing.
            requirement.op = Op::In;
            requirement.values.clear();
            requirements.push_back(std::move(requirement));
            continue;
        }
        requirement.values = stringsOf(member(item, "values"));
        requirements.push_back(std::move(requirement));
    }
    return requirements;
}

NodeSelectorTerm termOf(const json& term) {
    NodeSelectorTerm result;
    result.expressions = requirementsOf(member(term, "matchExpressions"));
    result.fields = requirementsOf(member(term, "matchFields"));
    return result;
}

core::LabelSelector selectorOf(const json* selector) {
    if (selector == nullptr) {
        return core::LabelSelector::nothing();
    }
    auto parsed = core::LabelSelector::fromJson(*selector);
    return parsed ? std::move(*parsed) : core::LabelSelector::nothing();
}

/// A label selector with matchLabelKeys merged in as `key in (pod's value)`, as
/// kube-apiserver (affinity) and the scheduler (spread) do.
core::LabelSelector selectorWithKeys(const json* selector, const json* matchLabelKeys,
                                     const core::Labels& podLabels, bool mismatch) {
    const auto keys = stringsOf(matchLabelKeys);
    if (keys.empty() || selector == nullptr) {
        return selectorOf(selector);
    }
    json merged = *selector;
    json& expressions = merged["matchExpressions"];
    if (!expressions.is_array()) {
        expressions = json::array();
    }
    for (const auto& key : keys) {
        const auto it = podLabels.find(key);
        if (it == podLabels.end()) {
            continue;
        }
        expressions.push_back(
            {{"key", key}, {"operator", mismatch ? "NotIn" : "In"}, {"values", {it->second}}});
    }
    return selectorOf(&merged);
}

AffinityTerm affinityTermOf(const json& term, const std::string& podNamespace,
                            const core::Labels& podLabels) {
    AffinityTerm result;
    result.selector = selectorWithKeys(member(term, "labelSelector"),
                                       member(term, "matchLabelKeys"), podLabels, false);
    result.topologyKey = stringOf(term, "topologyKey");
    result.namespaces = stringsOf(member(term, "namespaces"));
    const json* namespaceSelector = member(term, "namespaceSelector");
    if (namespaceSelector != nullptr && namespaceSelector->is_object() &&
        namespaceSelector->empty()) {
        result.allNamespaces = true;
    }
    if (result.namespaces.empty() && namespaceSelector == nullptr) {
        result.namespaces.push_back(podNamespace);
    }
    std::sort(result.namespaces.begin(), result.namespaces.end());
    return result;
}

void readAffinityTerms(const json* affinity, const char* kind, const std::string& podNamespace,
                       const core::Labels& podLabels, std::vector<AffinityTerm>& required,
                       std::vector<WeightedAffinityTerm>& preferred) {
    const json* section = affinity != nullptr ? member(*affinity, kind) : nullptr;
    if (section == nullptr) {
        return;
    }
    if (const json* terms = member(*section, "requiredDuringSchedulingIgnoredDuringExecution");
        terms != nullptr && terms->is_array()) {
        for (const auto& term : *terms) {
            required.push_back(affinityTermOf(term, podNamespace, podLabels));
        }
    }
    if (const json* terms = member(*section, "preferredDuringSchedulingIgnoredDuringExecution");
        terms != nullptr && terms->is_array()) {
        for (const auto& term : *terms) {
            const json* inner = member(term, "podAffinityTerm");
            if (inner == nullptr) {
                continue;
            }
            preferred.push_back({static_cast<std::int32_t>(intOf(term, "weight", 0)),
                                 affinityTermOf(*inner, podNamespace, podLabels)});
        }
    }
}

/// One container's requests; `cpuSet` / `memorySet` tell whether it names them.
ResourceVector containerRequests(const json& container, bool& cpuSet, bool& memorySet) {
    const json* resources = member(container, "resources");
    const json* requests = resources != nullptr ? member(*resources, "requests") : nullptr;
    cpuSet = requests != nullptr && requests->is_object() && requests->contains("cpu");
    memorySet = requests != nullptr && requests->is_object() && requests->contains("memory");
    return requests != nullptr ? ResourceVector::fromJson(*requests) : ResourceVector();
}

}  // namespace

std::int64_t ResourceVector::scalarValue(std::string_view name) const {
    for (const auto& [key, value] : scalar) {
        if (key == name) {
            return value;
        }
    }
    return 0;
}

void ResourceVector::addScalar(std::string_view name, std::int64_t value) {
    const auto it = std::lower_bound(
        scalar.begin(), scalar.end(), name,
        [](const auto& entry, std::string_view n) { return std::string_view(entry.first) < n; });
    if (it != scalar.end() && it->first == name) {
        it->second += value;
    } else {
        scalar.emplace(it, std::string(name), value);
    }
}

void ResourceVector::add(const ResourceVector& other) {
    milliCpu += other.milliCpu;
    memory += other.memory;
    ephemeralStorage += other.ephemeralStorage;
    for (const auto& [name, value] : other.scalar) {
        addScalar(name, value);
    }
}

void ResourceVector::subtract(const ResourceVector& other) {
    milliCpu -= other.milliCpu;
    memory -= other.memory;
    ephemeralStorage -= other.ephemeralStorage;
    for (const auto& [name, value] : other.scalar) {
        addScalar(name, -value);
    }
}

void ResourceVector::setMax(const ResourceVector& other) {
    milliCpu = std::max(milliCpu, other.milliCpu);
    memory = std::max(memory, other.memory);
    ephemeralStorage = std::max(ephemeralStorage, other.ephemeralStorage);
    for (const auto& [name, value] : other.scalar) {
        const std::int64_t mine = scalarValue(name);
        if (value > mine) {
            addScalar(name, value - mine);
        }
    }
}

ResourceVector ResourceVector::fromJson(const json& list, std::int64_t* pods) {
    ResourceVector result;
    if (!list.is_object()) {
        return result;
    }
    for (const auto& [name, value] : list.items()) {
        auto quantity = core::Quantity::fromJson(value);
        if (!quantity) {
            continue;
        }
        if (name == "cpu") {
            result.milliCpu = quantity->milliValue();
        } else if (name == "memory") {
            result.memory = quantity->value();
        } else if (name == "ephemeral-storage") {
            result.ephemeralStorage = quantity->value();
        } else if (name == "pods") {
            if (pods != nullptr) {
                *pods = quantity->value();
            }
        } else {
            result.addScalar(name, quantity->value());
        }
    }
    return result;
}

bool operator==(const ResourceVector& a, const ResourceVector& b) {
    return a.milliCpu == b.milliCpu && a.memory == b.memory &&
           a.ephemeralStorage == b.ephemeralStorage && a.scalar == b.scalar;
}

bool HostPort::conflicts(const HostPort& other) const {
    if (port != other.port || protocol != other.protocol) {
        return false;
    }
    const auto wildcard = [](const std::string& ip) { return ip.empty() || ip == "0.0.0.0"; };
    return wildcard(hostIp) || wildcard(other.hostIp) || hostIp == other.hostIp;
}

bool Toleration::tolerates(const Taint& taint) const {
    if (!effect.empty() && effect != taint.effect) {
        return false;
    }
    if (key.empty()) {
        return exists;
    }
    if (key != taint.key) {
        return false;
    }
    return exists || value == taint.value;
}

bool NodeSelectorRequirement::matches(const core::Labels& labels) const {
    const auto it = labels.find(key);
    return matchesValue(it == labels.end() ? nullptr : &it->second);
}

bool NodeSelectorRequirement::matchesValue(const std::string* value) const {
    switch (op) {
        case Operator::In:
            return value != nullptr &&
                   std::find(values.begin(), values.end(), *value) != values.end();
        case Operator::NotIn:
            return value == nullptr ||
                   std::find(values.begin(), values.end(), *value) == values.end();
        case Operator::Exists:
            return value != nullptr;
        case Operator::DoesNotExist:
            return value == nullptr;
        case Operator::Gt:
        case Operator::Lt: {
            if (value == nullptr || values.size() != 1) {
                return false;
            }
            const auto have = parseInteger(*value);
            const auto bound = parseInteger(values.front());
            if (!have || !bound) {
                return false;
            }
            return op == Operator::Gt ? *have > *bound : *have < *bound;
        }
    }
    return false;
}

bool NodeSelectorTerm::matches(const std::string& nodeName, const core::Labels& labels) const {
    if (expressions.empty() && fields.empty()) {
        return false;
    }
    for (const auto& requirement : expressions) {
        if (!requirement.matches(labels)) {
            return false;
        }
    }
    for (const auto& requirement : fields) {
        if (requirement.key != "metadata.name" || !requirement.matchesValue(&nodeName)) {
            return false;
        }
    }
    return true;
}

bool AffinityTerm::matches(const std::string& nameSpace, const core::Labels& labels) const {
    if (!allNamespaces && !std::binary_search(namespaces.begin(), namespaces.end(), nameSpace)) {
        return false;
    }
    return selector.matches(labels);
}

std::shared_ptr<const PodInfo> PodInfo::fromJson(std::shared_ptr<const json> object) {
    auto info = std::make_shared<PodInfo>();
    const json& pod = *object;
    static const json kEmpty = json::object();
    const json* metadata = member(pod, "metadata");
    const json& meta = metadata != nullptr ? *metadata : kEmpty;
    info->nameSpace = stringOf(meta, "namespace");
    info->name = stringOf(meta, "name");
    info->key = info->nameSpace + "/" + info->name;
    info->uid = stringOf(meta, "uid");
    info->terminating = member(meta, "deletionTimestamp") != nullptr;
    info->labels = labelsOf(member(meta, "labels"));
    if (const json* status = member(pod, "status")) {
        info->phase = stringOf(*status, "phase");
    }

    const json* specMember = member(pod, "spec");
    const json& spec = specMember != nullptr ? *specMember : kEmpty;
    info->nodeName = stringOf(spec, "nodeName");
    info->schedulerName = stringOf(spec, "schedulerName");
    info->priority = static_cast<std::int32_t>(intOf(spec, "priority", 0));
    info->preemptionNever = stringOf(spec, "preemptionPolicy") == "Never";

    // Requests as kube's resource helpers count them: regular containers and restartable
    // (sidecar) init containers run together; each other init container runs alone, beside the
    // sidecars started before it; the pod needs the larger, plus its overhead.
    ResourceVector running;
    std::int64_t nonZeroCpu = 0;
    std::int64_t nonZeroMemory = 0;
    const auto addPorts = [&](const json& container) {
        if (const json* ports = member(container, "ports"); ports != nullptr && ports->is_array()) {
            for (const auto& port : *ports) {
                const auto hostPort = intOf(port, "hostPort", 0);
                if (hostPort <= 0) {
                    continue;
                }
                std::string protocol = stringOf(port, "protocol");
                info->hostPorts.push_back({protocol.empty() ? "TCP" : std::move(protocol),
                                           stringOf(port, "hostIP"),
                                           static_cast<std::int32_t>(hostPort)});
            }
        }
    };
    if (const json* containers = member(spec, "containers");
        containers != nullptr && containers->is_array()) {
        for (const auto& container : *containers) {
            bool cpuSet = false;
            bool memorySet = false;
            const ResourceVector requests = containerRequests(container, cpuSet, memorySet);
            running.add(requests);
            nonZeroCpu += cpuSet ? requests.milliCpu : kDefaultMilliCpuRequest;
            nonZeroMemory += memorySet ? requests.memory : kDefaultMemoryRequest;
            addPorts(container);
        }
    }
    ResourceVector initMax;
    std::int64_t initNonZeroCpu = 0;
    std::int64_t initNonZeroMemory = 0;
    if (const json* inits = member(spec, "initContainers"); inits != nullptr && inits->is_array()) {
        ResourceVector sidecars;
        std::int64_t sidecarCpu = 0;
        std::int64_t sidecarMemory = 0;
        for (const auto& container : *inits) {
            bool cpuSet = false;
            bool memorySet = false;
            const ResourceVector requests = containerRequests(container, cpuSet, memorySet);
            const std::int64_t cpu = cpuSet ? requests.milliCpu : kDefaultMilliCpuRequest;
            const std::int64_t memory = memorySet ? requests.memory : kDefaultMemoryRequest;
            if (stringOf(container, "restartPolicy") == "Always") {
                running.add(requests);
                sidecars.add(requests);
                nonZeroCpu += cpu;
                nonZeroMemory += memory;
                sidecarCpu += cpu;
                sidecarMemory += memory;
                addPorts(container);
                continue;
            }
            ResourceVector alone = requests;
            alone.add(sidecars);
            initMax.setMax(alone);
            initNonZeroCpu = std::max(initNonZeroCpu, cpu + sidecarCpu);
            initNonZeroMemory = std::max(initNonZeroMemory, memory + sidecarMemory);
        }
    }
    running.setMax(initMax);
    nonZeroCpu = std::max(nonZeroCpu, initNonZeroCpu);
    nonZeroMemory = std::max(nonZeroMemory, initNonZeroMemory);
    if (const json* overhead = member(spec, "overhead")) {
        const ResourceVector extra = ResourceVector::fromJson(*overhead);
        running.add(extra);
        nonZeroCpu += extra.milliCpu;
        nonZeroMemory += extra.memory;
    }
    info->requests = std::move(running);
    info->nonZeroMilliCpu = nonZeroCpu;
    info->nonZeroMemory = nonZeroMemory;

    if (const json* selector = member(spec, "nodeSelector"); selector != nullptr) {
        for (const auto& [key, value] : labelsOf(selector)) {
            info->nodeSelector.emplace(key, value);
        }
    }
    if (const json* tolerations = member(spec, "tolerations");
        tolerations != nullptr && tolerations->is_array()) {
        for (const auto& item : *tolerations) {
            info->tolerations.push_back({stringOf(item, "key"),
                                         stringOf(item, "operator") == "Exists",
                                         stringOf(item, "value"), stringOf(item, "effect")});
        }
    }

    const json* affinity = member(spec, "affinity");
    if (const json* nodeAffinity =
            affinity != nullptr ? member(*affinity, "nodeAffinity") : nullptr) {
        if (const json* required =
                member(*nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
            std::vector<NodeSelectorTerm> terms;
            if (const json* list = member(*required, "nodeSelectorTerms");
                list != nullptr && list->is_array()) {
                for (const auto& term : *list) {
                    terms.push_back(termOf(term));
                }
            }
            info->requiredNodeAffinity = std::move(terms);
        }
        if (const json* preferred =
                member(*nodeAffinity, "preferredDuringSchedulingIgnoredDuringExecution");
            preferred != nullptr && preferred->is_array()) {
            for (const auto& item : *preferred) {
                const json* term = member(item, "preference");
                info->preferredNodeAffinity.push_back(
                    {static_cast<std::int32_t>(intOf(item, "weight", 0)),
                     term != nullptr ? termOf(*term) : NodeSelectorTerm()});
            }
        }
    }
    readAffinityTerms(affinity, "podAffinity", info->nameSpace, info->labels,
                      info->requiredAffinity, info->preferredAffinity);
    readAffinityTerms(affinity, "podAntiAffinity", info->nameSpace, info->labels,
                      info->requiredAntiAffinity, info->preferredAntiAffinity);

    if (const json* constraints = member(spec, "topologySpreadConstraints");
        constraints != nullptr && constraints->is_array()) {
        for (const auto& item : *constraints) {
            SpreadConstraint constraint;
            constraint.maxSkew = static_cast<std::int32_t>(intOf(item, "maxSkew", 1));
            constraint.topologyKey = stringOf(item, "topologyKey");
            constraint.doNotSchedule = stringOf(item, "whenUnsatisfiable") != "ScheduleAnyway";
            constraint.selector = selectorWithKeys(
                member(item, "labelSelector"), member(item, "matchLabelKeys"), info->labels, false);
            constraint.minDomains = static_cast<std::int32_t>(intOf(item, "minDomains", 1));
            constraint.honorNodeAffinity = stringOf(item, "nodeAffinityPolicy") != "Ignore";
            constraint.honorTaints = stringOf(item, "nodeTaintsPolicy") == "Honor";
            info->spreadConstraints.push_back(std::move(constraint));
        }
    }
    info->object = std::move(object);
    return info;
}

NodeSpec NodeSpec::fromJson(const json& node) {
    NodeSpec spec;
    static const json kEmpty = json::object();
    const json* metadata = member(node, "metadata");
    spec.name = metadata != nullptr ? stringOf(*metadata, "name") : std::string();
    spec.labels = labelsOf(metadata != nullptr ? member(*metadata, "labels") : nullptr);
    if (const json* nodeSpec = member(node, "spec")) {
        const json* unschedulable = member(*nodeSpec, "unschedulable");
        spec.unschedulable =
            unschedulable != nullptr && unschedulable->is_boolean() && unschedulable->get<bool>();
        if (const json* taints = member(*nodeSpec, "taints");
            taints != nullptr && taints->is_array()) {
            for (const auto& taint : *taints) {
                spec.taints.push_back(
                    {stringOf(taint, "key"), stringOf(taint, "value"), stringOf(taint, "effect")});
            }
        }
    }
    for (const auto& taint : spec.taints) {
        spec.hasHardTaints |= taint.effect == "NoSchedule" || taint.effect == "NoExecute";
        spec.hasPreferNoScheduleTaints |= taint.effect == "PreferNoSchedule";
    }
    if (const json* status = member(node, "status")) {
        if (const json* allocatable = member(*status, "allocatable")) {
            spec.allocatable = ResourceVector::fromJson(*allocatable, &spec.allowedPods);
        }
    }
    return spec;
}

bool operator==(const NodeSpec& a, const NodeSpec& b) {
    const auto sameTaints = [](const std::vector<Taint>& x, const std::vector<Taint>& y) {
        return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                          [](const Taint& s, const Taint& t) {
                              return s.key == t.key && s.value == t.value && s.effect == t.effect;
                          });
    };
    return a.name == b.name && a.labels == b.labels && sameTaints(a.taints, b.taints) &&
           a.unschedulable == b.unschedulable && a.allocatable == b.allocatable &&
           a.allowedPods == b.allowedPods;
}

}  // namespace slipway::scheduler
