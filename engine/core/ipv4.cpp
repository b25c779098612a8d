// SPDX-License-Identifier: Apache-2.0
#include "engine/core/ipv4.h"

#include <arpa/inet.h>

namespace slipway::core {

Result<std::uint32_t> parseIpv4(const std::string& text) {
    in_addr parsed{};
    if (::inet_pton(AF_INET, text.c_str(), &parsed) != 1) {
        return Error(ErrorCode::Invalid, "\"" + text + "\" is not an IPv4 address");
    }
    return ntohl(parsed.s_addr);
}

std::string formatIpv4(std::uint32_t address) {
    in_addr value{};
    value.s_addr = htonl(address);
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &value, text, sizeof text);
    return text;
}

Result<Ipv4Cidr> Ipv4Cidr::parse(const std::string& text) {
    const auto slash = text.find('/');
    const auto invalid = [&text] {
        return Error(ErrorCode::Invalid,
                     "\"" + text + "\" is not an IPv4 CIDR (like 10.244.0.0/24)");
    };
    if (slash == std::string::npos) {
        return invalid();
    }
    auto address = parseIpv4(text.substr(0, slash));
    const std::string prefixText = text.substr(slash + 1);
    if (!address || prefixText.empty() || prefixText.size() > 2 ||
        prefixText.find_first_not_of("0123456789") != std::string::npos) {
        return invalid();
    }
    const int prefix = std::stoi(prefixText);
    if (prefix > 32) {
        return invalid();
    }
    Ipv4Cidr cidr;
    cidr.prefix = prefix;
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    cidr.network = *address & mask;
    return cidr;
}

bool Ipv4Cidr::contains(std::uint32_t address) const {
    return address - network < size();
}

std::string Ipv4Cidr::text() const {
    return formatIpv4(network) + "/" + std::to_string(prefix);
}

}  // namespace slipway::core
