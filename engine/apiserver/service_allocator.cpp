// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/service_allocator.h"

#include <set>

#include "engine/api/validation.h"
#include "engine/apiserver/object_codec.h"
#include "engine/core/ipv4.h"
#include "engine/store/store.h"

namespace slipway::apiserver {

using nlohmann::json;

struct ServiceAllocator::Taken {
    std::set<std::uint32_t> ips;
    std::set<int> ports;
};

namespace {

/// The address of `text`, or nothing when it is not one.
std::optional<std::uint32_t> parseIpv4(const std::string& text) {
    auto address = core::parseIpv4(text);
    return address ? std::optional<std::uint32_t>(*address) : std::nullopt;
}

using core::formatIpv4;

std::string stringAt(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int intAt(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::string ownerOf(const json& service) {
    const json& metadata = service.at("metadata");
    return stringAt(metadata, "namespace") + "/" + stringAt(metadata, "name");
}

bool isService(const api::ResourceType& type) {
    return type.group.empty() && type.kind == "Service";
}

/// NodePort and LoadBalancer Services get node ports (unless a LoadBalancer opts out with
/// allocateLoadBalancerNodePorts: false).
bool wantsNodePorts(const json& spec) {
    const std::string type = stringAt(spec, "type");
    if (type == "NodePort") {
        return true;
    }
    return type == "LoadBalancer" && spec.value("allocateLoadBalancerNodePorts", true);
}

bool wantsHealthCheckNodePort(const json& spec) {
    return stringAt(spec, "type") == "LoadBalancer" &&
           stringAt(spec, "externalTrafficPolicy") == "Local";
}

bool wantsClusterIp(const json& spec) {
    return stringAt(spec, "type") != "ExternalName" && stringAt(spec, "clusterIP") != "None";
}

}  // namespace

ServiceAllocator::ServiceAllocator(Options options)
    : m_options(std::move(options)), m_random(std::random_device{}()) {
    const auto slash = m_options.serviceCidr.find('/');
    const auto base = parseIpv4(m_options.serviceCidr.substr(0, slash));
    const int bits =
        slash == std::string::npos ? 32 : std::stoi(m_options.serviceCidr.substr(slash + 1));
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    m_base = base.value_or(0) & mask;
    m_size = bits == 0 ? 0xffffffffu : (~mask) + 1;
}

core::Result<void> ServiceAllocator::rebuild(const store::Store& store) {
    store::ListOptions options;
    options.prefix = "/registry/core/services/";
    auto page = store.list(options);
    if (!page) {
        return page.error();
    }
    std::lock_guard lock(m_mutex);
    for (const auto& kv : page->items) {
        auto service = decodeObject(kv);
        if (!service) {
            continue;
        }
        const std::string owner = ownerOf(*service);
        const json& spec = (*service)["spec"];
        if (wantsClusterIp(spec)) {
            if (auto ip = parseIpv4(stringAt(spec, "clusterIP"))) {
                m_ips.emplace(*ip, owner);
            }
        }
        for (const auto& port : spec.value("ports", json::array())) {
            if (const int nodePort = intAt(port, "nodePort"); nodePort != 0) {
                m_ports.emplace(nodePort, owner);
            }
        }
        if (const int health = intAt(spec, "healthCheckNodePort"); health != 0) {
            m_ports.emplace(health, owner);
        }
    }
    return {};
}

void ServiceAllocator::allocate(const std::string& owner, json& service, const Taken& held,
                                Taken& taken, api::FieldCauses& causes) {
    json& spec = service["spec"];
    const api::FieldPath path("spec");
    if (wantsClusterIp(spec)) {
        std::string requested = stringAt(spec, "clusterIP");
        if (requested.empty() && spec.contains("clusterIPs") && spec["clusterIPs"].is_array() &&
            !spec["clusterIPs"].empty() && spec["clusterIPs"][0].is_string()) {
            requested = spec["clusterIPs"][0].get<std::string>();
        }
        if (requested.empty()) {
            // A random free address, never the network or broadcast address, and never the
            // two kube reserves for its own Services (kubernetes .1, kube-dns .10).
            const std::uint32_t first = m_base + 1;
            const std::uint32_t count = m_size > 2 ? m_size - 2 : 0;
            const auto start = count == 0 ? 0u : static_cast<std::uint32_t>(m_random() % count);
            bool found = false;
            for (std::uint32_t i = 0; i < count && !found; ++i) {
                const std::uint32_t ip = first + (start + i) % count;
                if (ip == m_base + 1 || ip == m_base + 10 || m_ips.contains(ip)) {
                    continue;
                }
                m_ips.emplace(ip, owner);
                taken.ips.insert(ip);
                spec["clusterIP"] = formatIpv4(ip);
                spec["clusterIPs"] = json::array({formatIpv4(ip)});
                found = true;
            }
            if (!found) {
                causes.push_back(api::field::invalid(path.child("clusterIPs"), json::array(),
                                                     "failed to allocate a serviceIP: range is "
                                                     "full"));
            }
        } else {
            const auto ip = parseIpv4(requested);
            const json shown = json::array({requested});
            if (!ip) {
                // Validation reports a malformed address.
            } else if (held.ips.contains(*ip)) {
                spec["clusterIP"] = requested;
                spec["clusterIPs"] = shown;
            } else if (*ip < m_base || *ip - m_base >= m_size) {
                causes.push_back(api::field::invalid(
                    path.child("clusterIPs"), shown,
                    "failed to allocate IP " + requested + ": the provided IP (" + requested +
                        ") is not in the valid range. The range of valid IPs is " +
                        m_options.serviceCidr));
            } else if (m_ips.contains(*ip)) {
                causes.push_back(api::field::invalid(
                    path.child("clusterIPs"), shown,
                    "failed to allocate IP " + requested + ": provided IP is already allocated"));
            } else {
                m_ips.emplace(*ip, owner);
                taken.ips.insert(*ip);
                spec["clusterIP"] = requested;
                spec["clusterIPs"] = shown;
            }
        }
    }

    const auto takePort = [&](int requested, const api::FieldPath& at) -> int {
        if (requested != 0) {
            if (held.ports.contains(requested) || taken.ports.contains(requested)) {
                return requested;  // kept, or shared by a TCP and a UDP port of this Service
            }
            if (requested < m_options.nodePortMin || requested > m_options.nodePortMax) {
                return requested;  // validation reports the range
            }
            if (m_ports.contains(requested)) {
                causes.push_back(
                    api::field::invalid(at, requested, "provided port is already allocated"));
                return requested;
            }
            m_ports.emplace(requested, owner);
            taken.ports.insert(requested);
            return requested;
        }
        const int count = m_options.nodePortMax - m_options.nodePortMin + 1;
        const int start = static_cast<int>(m_random() % static_cast<unsigned>(count));
        for (int i = 0; i < count; ++i) {
            const int port = m_options.nodePortMin + (start + i) % count;
            if (!m_ports.contains(port)) {
                m_ports.emplace(port, owner);
                taken.ports.insert(port);
                return port;
            }
        }
        causes.push_back(api::field::invalid(at, 0, "range is full"));
        return 0;
    };

    if (spec.contains("ports") && spec["ports"].is_array()) {
        const bool nodePorts = wantsNodePorts(spec);
        for (std::size_t i = 0; i < spec["ports"].size(); ++i) {
            json& port = spec["ports"][i];
            int requested = intAt(port, "nodePort");
            // The same port number over TCP and UDP shares one node port, as in kube.
            for (std::size_t j = 0; j < i && requested == 0 && nodePorts; ++j) {
                if (intAt(spec["ports"][j], "port") == intAt(port, "port")) {
                    requested = intAt(spec["ports"][j], "nodePort");
                }
            }
            if (!nodePorts && requested == 0) {
                continue;
            }
            if (const int nodePort =
                    takePort(requested, path.child("ports").index(i).child("nodePort"));
                nodePort != 0) {
                port["nodePort"] = nodePort;
            }
        }
    }
    if (wantsHealthCheckNodePort(spec)) {
        if (const int port =
                takePort(intAt(spec, "healthCheckNodePort"), path.child("healthCheckNodePort"));
            port != 0) {
            spec["healthCheckNodePort"] = port;
        }
    } else {
        spec.erase("healthCheckNodePort");
    }
}

void ServiceAllocator::release(const std::string& owner, const Taken& values) {
    for (const auto ip : values.ips) {
        if (auto it = m_ips.find(ip); it != m_ips.end() && it->second == owner) {
            m_ips.erase(it);
        }
    }
    for (const int port : values.ports) {
        if (auto it = m_ports.find(port); it != m_ports.end() && it->second == owner) {
            m_ports.erase(it);
        }
    }
}

StorageHooks::Finish ServiceAllocator::finisher(std::string owner, Taken taken,
                                                Taken releasedOnCommit) {
    return [this, owner = std::move(owner), taken = std::move(taken),
            released = std::move(releasedOnCommit)](bool committed) {
        std::lock_guard lock(m_mutex);
        release(owner, committed ? released : taken);
    };
}

namespace {

/// What a stored Service holds.
template <typename TakenT>
TakenT heldBy(const json& service, std::uint32_t base, std::uint32_t size) {
    TakenT held;
    const json& spec = service.contains("spec") ? service["spec"] : json::object();
    if (wantsClusterIp(spec)) {
        if (auto ip = parseIpv4(stringAt(spec, "clusterIP"));
            ip && *ip >= base && *ip - base < size) {
            held.ips.insert(*ip);
        }
    }
    for (const auto& port : spec.value("ports", json::array())) {
        if (const int nodePort = intAt(port, "nodePort"); nodePort != 0) {
            held.ports.insert(nodePort);
        }
    }
    if (const int health = intAt(spec, "healthCheckNodePort"); health != 0) {
        held.ports.insert(health);
    }
    return held;
}

}  // namespace

StorageHooks::Finish ServiceAllocator::beginCreate(const api::ResourceType& type, json& object,
                                                   api::FieldCauses& causes) {
    if (!isService(type)) {
        return {};
    }
    const std::string owner = ownerOf(object);
    Taken taken;
    std::lock_guard lock(m_mutex);
    allocate(owner, object, Taken{}, taken, causes);
    if (!causes.empty()) {
        release(owner, taken);
        return {};
    }
    return finisher(owner, std::move(taken), Taken{});
}

StorageHooks::Finish ServiceAllocator::beginUpdate(const api::ResourceType& type, const json& old,
                                                   json& next, api::FieldCauses& causes) {
    if (!isService(type) || !next.contains("spec")) {
        return {};
    }
    const json& oldSpec = old.contains("spec") ? old["spec"] : json::object();
    json& spec = next["spec"];
    // kube's PatchAllocatedValues: an update that omits what was allocated keeps it.
    if (wantsClusterIp(spec) && wantsClusterIp(oldSpec) && stringAt(spec, "clusterIP").empty() &&
        !stringAt(oldSpec, "clusterIP").empty()) {
        spec["clusterIP"] = oldSpec["clusterIP"];
        spec["clusterIPs"] = oldSpec.value("clusterIPs", json::array({oldSpec["clusterIP"]}));
    }
    if (wantsNodePorts(spec) && spec.contains("ports") && spec["ports"].is_array()) {
        for (json& port : spec["ports"]) {
            if (intAt(port, "nodePort") != 0) {
                continue;
            }
            for (const auto& before : oldSpec.value("ports", json::array())) {
                if (intAt(before, "port") == intAt(port, "port") &&
                    stringAt(before, "protocol") == stringAt(port, "protocol") &&
                    intAt(before, "nodePort") != 0) {
                    port["nodePort"] = before["nodePort"];
                }
            }
        }
    }
    if (wantsHealthCheckNodePort(spec) && intAt(spec, "healthCheckNodePort") == 0 &&
        intAt(oldSpec, "healthCheckNodePort") != 0) {
        spec["healthCheckNodePort"] = oldSpec["healthCheckNodePort"];
    }
    const std::string owner = ownerOf(old);
    const Taken held = heldBy<Taken>(old, m_base, m_size);
    Taken taken;
    std::lock_guard lock(m_mutex);
    allocate(owner, next, held, taken, causes);
    if (!causes.empty()) {
        release(owner, taken);
        return {};
    }
    const Taken kept = heldBy<Taken>(next, m_base, m_size);
    Taken dropped;
    for (const auto ip : held.ips) {
        if (!kept.ips.contains(ip)) {
            dropped.ips.insert(ip);
        }
    }
    for (const int port : held.ports) {
        if (!kept.ports.contains(port)) {
            dropped.ports.insert(port);
        }
    }
    return finisher(owner, std::move(taken), std::move(dropped));
}

void ServiceAllocator::afterDelete(const api::ResourceType& type, const json& object) {
    if (!isService(type)) {
        return;
    }
    const Taken held = heldBy<Taken>(object, m_base, m_size);
    std::lock_guard lock(m_mutex);
    release(ownerOf(object), held);
}

std::size_t ServiceAllocator::allocatedIps() const {
    std::lock_guard lock(m_mutex);
    return m_ips.size();
}

std::size_t ServiceAllocator::allocatedNodePorts() const {
    std::lock_guard lock(m_mutex);
    return m_ports.size();
}

}  // namespace slipway::apiserver
