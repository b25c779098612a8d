// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/result.h"

namespace slipway::core {

/// An IPv4 address range: "10.244.0.0/24".
struct Ipv4Cidr {
    std::uint32_t network = 0;  ///< host byte order, host bits cleared
    int prefix = 32;

    /// Refuses anything but a dotted quad with a /0–/32 prefix.
    static Result<Ipv4Cidr> parse(const std::string& text);
    std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
    bool contains(std::uint32_t address) const;
    /// The address `offset` places into the range (offset 1 of 10.244.0.0/24 is 10.244.0.1).
    std::uint32_t at(std::uint64_t offset) const {
        return network + static_cast<std::uint32_t>(offset);
    }
    std::string text() const;

    friend bool operator==(const Ipv4Cidr&, const Ipv4Cidr&) = default;
};

/// "10.0.0.1" from an address in host byte order.
std::string formatIpv4(std::uint32_t address);
/// An address in host byte order; Invalid for anything but a dotted quad.
Result<std::uint32_t> parseIpv4(const std::string& text);

}  // namespace slipway::core
