// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "engine/apiserver/storage_hooks.h"
#include "engine/core/result.h"

namespace slipway::store {
class Store;
}

namespace slipway::apiserver {

/// The Service registry's allocators (kube-apiserver's ipallocator and portallocator behind
/// pkg/registry/core/service/storage): a cluster IP from the service CIDR for every Service
/// but headless and ExternalName ones, a node port for every port of a NodePort or
/// LoadBalancer Service, and a healthCheckNodePort for a LoadBalancer with
/// externalTrafficPolicy Local. Requested values are honoured or refused with kube's 422
/// ("provided IP is already allocated", "provided port is already allocated"). Allocated
/// values are immutable on update (an update that omits them gets them back, as kube's
/// PatchAllocatedValues does), node ports follow type changes, and a deletion frees them.
/// State is in memory, rebuilt from the stored Services at start (`rebuild`); a mutex makes
/// concurrent creates safe. Thread-safe.
class ServiceAllocator final : public StorageHooks {
public:
    struct Options {
        /// The service CIDR (IPv4 only: Slipway's network is single-stack).
        std::string serviceCidr = "10.96.0.0/12";
        int nodePortMin = 30000;
        int nodePortMax = 32767;
    };

    ServiceAllocator() : ServiceAllocator(Options{}) {}
    explicit ServiceAllocator(Options options);

    /// Marks what the stored Services hold as taken (kube's repair loop at start).
    core::Result<void> rebuild(const store::Store& store);

    Finish beginCreate(const api::ResourceType& type, nlohmann::json& object,
                       api::FieldCauses& causes) override;
    Finish beginUpdate(const api::ResourceType& type, const nlohmann::json& old,
                       nlohmann::json& next, api::FieldCauses& causes) override;
    void afterDelete(const api::ResourceType& type, const nlohmann::json& object) override;

    /// How many cluster IPs / node ports are held (for tests).
    std::size_t allocatedIps() const;
    std::size_t allocatedNodePorts() const;

private:
    struct Taken;
    /// Takes what `service` holds or asks for, filling in what it leaves to the allocator.
    /// `held`: values that `service`'s owner already holds (kept, not taken again).
    void allocate(const std::string& owner, nlohmann::json& service, const Taken& held,
                  Taken& taken, api::FieldCauses& causes);
    void release(const std::string& owner, const Taken& values);
    Finish finisher(std::string owner, Taken taken, Taken releasedOnCommit);

    Options m_options;
    std::uint32_t m_base = 0;
    std::uint32_t m_size = 0;
    mutable std::mutex m_mutex;
    std::map<std::uint32_t, std::string> m_ips;  ///< address → owner ("ns/name")
    std::map<int, std::string> m_ports;          ///< node port → owner
    std::mt19937 m_random;
};

}  // namespace slipway::apiserver
