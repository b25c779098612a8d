// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/node_status.h"

#include <cstdint>
#include <cstdio>

#include "engine/core/quantity.h"
#include "engine/core/timestamp.h"

namespace slipway::agent {

namespace {

using nlohmann::json;

/// A stable 32-hex-digit identifier derived from `seed` (machine-id and system UUID of a
/// simulated machine are the same on every start, as a real machine's are).
std::string stableHex(const std::string& seed, int digits) {
    std::string out;
    std::uint64_t hash = 1469598103934665603ULL;
    while (static_cast<int>(out.size()) < digits) {
        for (const char c : seed) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 1099511628211ULL;
        }
        hash ^= out.size();
        hash *= 1099511628211ULL;
        char buffer[17];
        std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(hash));
        out += buffer;
    }
    out.resize(static_cast<std::size_t>(digits));
    return out;
}

std::string uuidOf(const std::string& hex) {
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

/// Capacity less an amount; the capacity itself if the amount does not parse.
std::string minus(const std::string& capacity, const std::string& reserved) {
    auto total = core::Quantity::parse(capacity);
    auto less = core::Quantity::parse(reserved);
    if (!total || !less || *less > *total) {
        return capacity;
    }
    return (*total - *less).toString();
}

/// 90% of an amount in bytes (nodefs.available<10%).
std::string ninetyPercent(const std::string& capacity) {
    auto total = core::Quantity::parse(capacity);
    if (!total) {
        return capacity;
    }
    return std::to_string(total->value() / 10 * 9);
}

struct ConditionText {
    const char* type;
    const char* status;
    const char* reason;
    const char* message;
};

// pkg/kubelet/nodestatus/setters.go: the order and words a kubelet reports.
constexpr ConditionText kConditions[] = {
    {"MemoryPressure", "False", "KubeletHasSufficientMemory",
     "kubelet has sufficient memory available"},
    {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
    {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
    {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
};

const json* findCondition(const json& status, const std::string& type) {
    if (!status.is_object()) {
        return nullptr;
    }
    const auto it = status.find("conditions");
    if (it == status.end() || !it->is_array()) {
        return nullptr;
    }
    for (const auto& condition : *it) {
        if (condition.value("type", "") == type) {
            return &condition;
        }
    }
    return nullptr;
}

/// A status without the times that change on every post.
json withoutHeartbeats(json status) {
    if (status.is_object() && status.contains("conditions") && status["conditions"].is_array()) {
        for (auto& condition : status["conditions"]) {
            condition.erase("lastHeartbeatTime");
        }
    }
    return status;
}

}  // namespace

json nodeObject(const NodeConfig& config) {
    json labels = {
        {"kubernetes.io/hostname", config.name},
        {"kubernetes.io/os", config.operatingSystem},
        {"kubernetes.io/arch", config.architecture},
        {"beta.kubernetes.io/os", config.operatingSystem},
        {"beta.kubernetes.io/arch", config.architecture},
    };
    for (const auto& [key, value] : config.labels) {
        labels[key] = value;
    }
    json annotations = {{"volumes.kubernetes.io/controller-managed-attach-detach", "true"},
                        {"node.alpha.kubernetes.io/ttl", "0"}};
    for (const auto& [key, value] : config.annotations) {
        annotations[key] = value;
    }
    json spec = json::object();
    if (!config.podCidr.empty()) {
        spec["podCIDR"] = config.podCidr;
        spec["podCIDRs"] = json::array({config.podCidr});
    }
    return {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", {{"name", config.name}, {"labels", labels}, {"annotations", annotations}}},
            {"spec", spec}};
}

json nodeStatus(const NodeConfig& config, const json& current,
                std::chrono::system_clock::time_point now) {
    const std::string timestamp = core::formatTimestamp(now);
    json conditions = json::array();
    for (const auto& text : kConditions) {
        std::string transition = timestamp;
        if (const json* before = findCondition(current, text.type);
            before != nullptr && before->value("status", "") == text.status) {
            transition = before->value("lastTransitionTime", timestamp);
        }
        conditions.push_back({{"type", text.type},
                              {"status", text.status},
                              {"lastHeartbeatTime", timestamp},
                              {"lastTransitionTime", transition},
                              {"reason", text.reason},
                              {"message", text.message}});
    }
    const json capacity = {{"cpu", config.cpu},    {"memory", config.memory},
                           {"pods", config.pods},  {"ephemeral-storage", config.ephemeralStorage},
                           {"hugepages-1Gi", "0"}, {"hugepages-2Mi", "0"}};
    json allocatable = capacity;
    allocatable["memory"] = minus(config.memory, "100Mi");
    allocatable["ephemeral-storage"] = ninetyPercent(config.ephemeralStorage);

    const std::string machine = stableHex("machine/" + config.name, 32);
    json addresses = json::array();
    if (!config.internalIp.empty()) {
        addresses.push_back({{"type", "InternalIP"}, {"address", config.internalIp}});
    }
    addresses.push_back({{"type", "Hostname"}, {"address", config.name}});
    return {
        {"conditions", conditions},
        {"capacity", capacity},
        {"allocatable", allocatable},
        {"addresses", addresses},
        {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", config.kubeletPort}}}}},
        {"nodeInfo",
         {{"machineID", machine},
          {"systemUUID", uuidOf(stableHex("uuid/" + config.name, 32))},
          {"bootID", uuidOf(stableHex("boot/" + config.name, 32))},
          {"kernelVersion", config.kernelVersion},
          {"osImage", config.osImage},
          {"containerRuntimeVersion", config.containerRuntimeVersion},
          {"kubeletVersion", config.kubeletVersion},
          {"operatingSystem", config.operatingSystem},
          {"architecture", config.architecture}}},
    };
}

bool nodeStatusChanged(const json& current, const json& desired) {
    if (!current.is_object()) {
        return true;
    }
    // Fields the agent does not own (images, volumesInUse, config) are left out of the
    // comparison: only what the agent posts counts.
    json mine = json::object();
    for (const auto& [key, value] : desired.items()) {
        if (current.contains(key)) {
            mine[key] = current[key];
        }
    }
    return withoutHeartbeats(mine) != withoutHeartbeats(desired);
}

json leaseObject(const std::string& nodeName, const std::string& nodeUid, int leaseDurationSeconds,
                 std::chrono::system_clock::time_point now) {
    json metadata = {{"name", nodeName}, {"namespace", kNodeLeaseNamespace}};
    if (!nodeUid.empty()) {
        metadata["ownerReferences"] = json::array(
            {{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", nodeName}, {"uid", nodeUid}}});
    }
    return {{"apiVersion", "coordination.k8s.io/v1"},
            {"kind", "Lease"},
            {"metadata", metadata},
            {"spec",
             {{"holderIdentity", nodeName},
              {"leaseDurationSeconds", leaseDurationSeconds},
              {"renewTime", formatMicroTime(now)}}}};
}

std::string formatMicroTime(std::chrono::system_clock::time_point time) {
    const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(time - seconds).count();
    std::string whole = core::formatTimestamp(seconds);  // "...:SSZ"
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), ".%06lld", static_cast<long long>(micros));
    whole.insert(whole.size() - 1, fraction);
    return whole;
}

}  // namespace slipway::agent
