// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace slipway::dns {

/// Options of the cache of forwarded answers.
struct ResponseCacheOptions {
    /// At most this many answers; the least recently used goes first.
    std::size_t capacity = 10000;
    /// Positive answers are kept for their smallest TTL, at most this long (CoreDNS's cache
    /// plugin: 3600 s).
    std::chrono::seconds maxTtl{3600};
    /// NXDOMAIN and NODATA are kept for the SOA minimum (RFC 2308), at most this long (CoreDNS:
    /// 1800 s; we keep negatives shorter, a name created outside appears soon).
    std::chrono::seconds maxNegativeTtl{60};
    /// SERVFAIL is kept this long, so that a failing upstream is not asked for every query.
    std::chrono::seconds servFailTtl{5};
};

/// An LRU cache of whole DNS answers (wire format) keyed by question. A hit comes back with its
/// TTLs lowered by the time it spent in the cache and the asker's message ID. Thread-safe.
class ResponseCache {
public:
    using Clock = std::chrono::steady_clock;

    explicit ResponseCache(ResponseCacheOptions options = {});

    /// The key of a question: name (lower case, absolute), type, class and the DO bit.
    static std::string keyOf(std::string_view name, std::uint16_t type, std::uint16_t qclass,
                             bool dnssecOk);

    /// Stores `wire` (an upstream's answer) under `key` for as long as its records allow;
    /// answers that must not be cached (truncated, refused, TTL 0) are ignored.
    void put(const std::string& key, const std::vector<std::uint8_t>& wire,
             Clock::time_point now = Clock::now());
    /// The cached answer with message ID `id` and decremented TTLs, or nullopt.
    std::optional<std::vector<std::uint8_t>> get(const std::string& key, std::uint16_t id,
                                                 Clock::time_point now = Clock::now());

    std::size_t size() const;
    std::uint64_t hits() const;
    std::uint64_t misses() const;

private:
    struct Entry {
        std::string key;
        std::vector<std::uint8_t> wire;
        Clock::time_point stored;
        Clock::time_point expires;
    };

    const ResponseCacheOptions m_options;
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_entries;
    std::uint64_t m_hits = 0;
    std::uint64_t m_misses = 0;
};

}  // namespace slipway::dns
