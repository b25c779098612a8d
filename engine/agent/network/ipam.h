// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/core/result.h"

namespace slipway::agent::network {

/// An IPv4 address range: "10.244.0.0/24".
struct Ipv4Cidr {
    std::uint32_t network = 0;  ///< host byte order, host bits cleared
    int prefix = 32;

    /// Refuses anything but a dotted quad with a /0–/32 prefix.
    static core::Result<Ipv4Cidr> parse(const std::string& text);
    std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
    bool contains(std::uint32_t address) const;
    /// The address `offset` places into the range (offset 1 of 10.244.0.0/24 is 10.244.0.1).
    std::uint32_t at(std::uint64_t offset) const {
        return network + static_cast<std::uint32_t>(offset);
    }
    std::string text() const;
};

std::string formatIpv4(std::uint32_t address);
core::Result<std::uint32_t> parseIpv4(const std::string& text);

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
