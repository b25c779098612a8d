// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/ipam.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

namespace slipway::agent::network {

namespace {

constexpr const char* kLastReserved = "last_reserved";

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    while (!content.empty() && (content.back() == '\n' || content.back() == ' ')) {
        content.pop_back();
    }
    return content;
}

}  // namespace

core::Result<std::uint32_t> parseIpv4(const std::string& text) {
    in_addr parsed{};
    if (::inet_pton(AF_INET, text.c_str(), &parsed) != 1) {
        return core::Error(core::ErrorCode::Invalid, "\"" + text + "\" is not an IPv4 address");
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

core::Result<Ipv4Cidr> Ipv4Cidr::parse(const std::string& text) {
    const auto slash = text.find('/');
    const auto invalid = [&text] {
        return core::Error(core::ErrorCode::Invalid,
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

Ipam::Ipam(std::filesystem::path dir, Ipv4Cidr range) : m_dir(std::move(dir)), m_range(range) {}

std::map<std::string, std::string> Ipam::readAllocations() const {
    std::map<std::string, std::string> out;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, error)) {
        const std::string name = entry.path().filename().string();
        if (name != kLastReserved && parseIpv4(name).ok()) {
            out[name] = readFile(entry.path());
        }
    }
    return out;
}

std::map<std::string, std::string> Ipam::allocations() const {
    std::lock_guard lock(m_mutex);
    return readAllocations();
}

std::optional<std::string> Ipam::addressOf(const std::string& owner) const {
    std::lock_guard lock(m_mutex);
    for (const auto& [address, holder] : readAllocations()) {
        if (holder == owner) {
            return address;
        }
    }
    return std::nullopt;
}

core::Result<std::string> Ipam::allocate(const std::string& owner) {
    std::lock_guard lock(m_mutex);
    std::error_code error;
    std::filesystem::create_directories(m_dir, error);
    if (error) {
        return core::Error(core::ErrorCode::Io,
                           "cannot create " + m_dir.string() + ": " + error.message());
    }
    for (const auto& [address, holder] : readAllocations()) {
        if (holder == owner) {
            return address;
        }
    }
    // Usable offsets: 2 .. size-2 (0 is the network, 1 the gateway, size-1 the broadcast).
    const std::uint64_t first = 2;
    const std::uint64_t last = m_range.size() >= 4 ? m_range.size() - 2 : 0;
    if (last < first) {
        return core::Error(core::ErrorCode::Unavailable,
                           "pod CIDR " + m_range.text() + " is too small for pod addresses");
    }
    std::uint64_t start = first;
    if (auto previous = parseIpv4(readFile(m_dir / kLastReserved));
        previous && m_range.contains(*previous)) {
        start = *previous - m_range.network + 1;
    }
    const std::uint64_t count = last - first + 1;
    for (std::uint64_t step = 0; step < count; ++step) {
        const std::uint64_t offset = first + (start - first + step) % count;
        const std::string address = formatIpv4(m_range.at(offset));
        const auto path = m_dir / address;
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            if (errno == EEXIST) {
                continue;
            }
            return core::Error(core::ErrorCode::Io,
                               "cannot reserve " + address + ": " + std::strerror(errno));
        }
        const std::string content = owner + "\n";
        const bool written =
            ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
        ::close(fd);
        if (!written) {
            std::filesystem::remove(path, error);
            return core::Error(core::ErrorCode::Io, "cannot record " + address);
        }
        std::ofstream(m_dir / kLastReserved, std::ios::trunc) << address << "\n";
        return address;
    }
    return core::Error(core::ErrorCode::Unavailable,
                       "no free pod address left in " + m_range.text());
}

void Ipam::release(const std::string& owner) {
    std::lock_guard lock(m_mutex);
    std::error_code error;
    for (const auto& [address, holder] : readAllocations()) {
        if (holder == owner) {
            std::filesystem::remove(m_dir / address, error);
        }
    }
}

}  // namespace slipway::agent::network
