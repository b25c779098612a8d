// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/core/ipv4.h"
#include "engine/core/result.h"

namespace slipway::agent::network {

// The address helpers live in engine/core (the API server's allocators use them too).
using core::formatIpv4;
using core::Ipv4Cidr;
using core::parseIpv4;

/// Pod addresses from one node's podCIDR, kept on disk so that an agent restart never hands
/// an address out twice (CNI's host-local plugin keeps the same layout): one file per address
/// in use, named by the address and holding its owner (the pod sandbox id), created with
/// O_EXCL; `last_reserved` remembers where the previous search stopped so freed addresses are
/// reused last. The network address, the gateway (.1) and the broadcast address are never
/// given out. Thread-safe; files make it safe across processes too.
class Ipam {
public:
    Ipam(std::filesystem::path dir, Ipv4Cidr range);

    /// The owner's address: the one it already holds, else the next free one after the last
    /// reserved. Unavailable when the range is full.
    core::Result<std::string> allocate(const std::string& owner);
    /// Frees every address `owner` holds; nothing to free is success.
    void release(const std::string& owner);
    std::optional<std::string> addressOf(const std::string& owner) const;
    /// address → owner, for every address in use.
    std::map<std::string, std::string> allocations() const;
    /// The same, read from an IPAM folder without knowing its range (`slipwayd reset-node`).
    static std::map<std::string, std::string> allocationsIn(const std::filesystem::path& dir);

    /// The gateway (first usable address) of the range.
    std::string gateway() const { return formatIpv4(m_range.at(1)); }
    const Ipv4Cidr& range() const { return m_range; }

private:
    std::map<std::string, std::string> readAllocations() const;

    std::filesystem::path m_dir;
    Ipv4Cidr m_range;
    mutable std::mutex m_mutex;
};

}  // namespace slipway::agent::network
