// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/ipam.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

Ipam::Ipam(std::filesystem::path dir, Ipv4Cidr range) : m_dir(std::move(dir)), m_range(range) {}

std::map<std::string, std::string> Ipam::readAllocations() const {
    return allocationsIn(m_dir);
}

std::map<std::string, std::string> Ipam::allocationsIn(const std::filesystem::path& dir) {
    std::map<std::string, std::string> out;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
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
