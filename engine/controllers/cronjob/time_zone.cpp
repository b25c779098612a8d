// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/cronjob/time_zone.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace slipway::controllers::cronjob {

namespace {

std::int64_t readBigEndian(const std::string& data, std::size_t offset, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) {
        value =
            (value << 8) | static_cast<unsigned char>(data[offset + static_cast<std::size_t>(i)]);
    }
    if (bytes == 4) {
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    }
    return static_cast<std::int64_t>(value);
}

}  // namespace

TimeZone TimeZone::utc() {
    TimeZone zone;
    zone.m_name = "UTC";
    return zone;
}

core::Result<TimeZone> TimeZone::load(const std::string& name, const std::string& directory) {
    if (name == "UTC" || name == "Etc/UTC") {
        TimeZone zone = utc();
        zone.m_name = name;
        return zone;
    }
    const auto unknown = core::Error(core::ErrorCode::NotFound, "unknown time zone " + name);
    // Go refuses names that could leave the database.
    if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos ||
        name.find('\\') != std::string::npos) {
        return unknown;
    }
    std::ifstream file(directory + "/" + name, std::ios::binary);
    if (!file) {
        return unknown;
    }
    const std::string data((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    constexpr std::size_t kHeader = 44;
    if (data.size() < kHeader || data.compare(0, 4, "TZif") != 0) {
        return core::Error(core::ErrorCode::Invalid, "malformed time zone information for " + name);
    }
    struct Counts {
        std::int64_t isutc, isstd, leap, time, type, chars;
    };
    const auto counts = [&](std::size_t at) {
        return Counts{readBigEndian(data, at + 20, 4), readBigEndian(data, at + 24, 4),
                      readBigEndian(data, at + 28, 4), readBigEndian(data, at + 32, 4),
                      readBigEndian(data, at + 36, 4), readBigEndian(data, at + 40, 4)};
    };
    Counts first = counts(0);
    std::size_t at = kHeader;
    int timeSize = 4;
    Counts use = first;
    if (data[4] >= '2') {
        // Skip the version 1 block; the version 2 block that follows has 64-bit times.
        at += static_cast<std::size_t>(first.time * 4 + first.time + first.type * 6 + first.chars +
                                       first.leap * 8 + first.isstd + first.isutc);
        if (data.size() < at + kHeader) {
            return core::Error(core::ErrorCode::Invalid,
                               "malformed time zone information for " + name);
        }
        use = counts(at);
        at += kHeader;
        timeSize = 8;
    }
    const std::size_t need =
        static_cast<std::size_t>(use.time * timeSize + use.time + use.type * 6);
    if (data.size() < at + need || use.type <= 0) {
        return core::Error(core::ErrorCode::Invalid, "malformed time zone information for " + name);
    }
    TimeZone zone;
    zone.m_name = name;
    std::vector<std::int64_t> times;
    for (std::int64_t i = 0; i < use.time; ++i) {
        times.push_back(readBigEndian(data, at + static_cast<std::size_t>(i * timeSize), timeSize));
    }
    const std::size_t indexAt = at + static_cast<std::size_t>(use.time * timeSize);
    const std::size_t typesAt = indexAt + static_cast<std::size_t>(use.time);
    std::vector<std::int32_t> typeOffsets;
    for (std::int64_t i = 0; i < use.type; ++i) {
        typeOffsets.push_back(static_cast<std::int32_t>(
            readBigEndian(data, typesAt + static_cast<std::size_t>(i * 6), 4)));
    }
    zone.m_initialOffset = typeOffsets.front();
    for (std::int64_t i = 0; i < use.time; ++i) {
        const auto type = static_cast<unsigned char>(data[indexAt + static_cast<std::size_t>(i)]);
        if (type >= typeOffsets.size()) {
            return core::Error(core::ErrorCode::Invalid,
                               "malformed time zone information for " + name);
        }
        zone.m_transitions.push_back(times[static_cast<std::size_t>(i)]);
        zone.m_offsets.push_back(typeOffsets[type]);
    }
    return zone;
}

std::chrono::seconds TimeZone::offsetAt(std::chrono::system_clock::time_point instant) const {
    if (m_transitions.empty()) {
        return std::chrono::seconds(m_initialOffset);
    }
    const std::int64_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
    const auto it = std::upper_bound(m_transitions.begin(), m_transitions.end(), seconds);
    if (it == m_transitions.begin()) {
        return std::chrono::seconds(m_initialOffset);
    }
    // Beyond the last transition the footer's rule would apply; the last offset is close enough
    // for the years the 64-bit data does not list (tzdata lists until 2037).
    return std::chrono::seconds(
        m_offsets[static_cast<std::size_t>(it - m_transitions.begin() - 1)]);
}

}  // namespace slipway::controllers::cronjob
