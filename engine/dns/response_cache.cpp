// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/response_cache.h"

#include <algorithm>
#include <limits>

#include "engine/dns/ldns_message.h"

namespace slipway::dns {
namespace {

/// The smallest TTL of the records of one section, or `current` when smaller.
std::uint32_t smallestTtl(const ldns_rr_list* list, std::uint32_t current) {
    for (std::size_t i = 0; list != nullptr && i < ldns_rr_list_rr_count(list); ++i) {
        current = std::min(current, ldns_rr_ttl(ldns_rr_list_rr(list, i)));
    }
    return current;
}

void lowerTtls(ldns_rr_list* list, std::uint32_t elapsed) {
    for (std::size_t i = 0; list != nullptr && i < ldns_rr_list_rr_count(list); ++i) {
        ldns_rr* rr = ldns_rr_list_rr(list, i);
        const auto ttl = ldns_rr_ttl(rr);
        ldns_rr_set_ttl(rr, ttl > elapsed ? ttl - elapsed : 0);
    }
}

/// How long a negative answer may be cached (RFC 2308 §5): the smaller of the SOA's TTL and its
/// minimum field; zero without an SOA.
std::uint32_t negativeTtl(const ldns_pkt* packet) {
    const ldns_rr_list* authority = ldns_pkt_authority(packet);
    for (std::size_t i = 0; authority != nullptr && i < ldns_rr_list_rr_count(authority); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(authority, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) >= 7) {
            return std::min(ldns_rr_ttl(rr), ldns_rdf2native_int32(ldns_rr_rdf(rr, 6)));
        }
    }
    return 0;
}

}  // namespace

ResponseCache::ResponseCache(ResponseCacheOptions options) : m_options(options) {}

std::string ResponseCache::keyOf(std::string_view name, std::uint16_t type, std::uint16_t qclass,
                                 bool dnssecOk) {
    std::string key(name);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    if (key.empty() || key.back() != '.') {
        key.push_back('.');
    }
    return key + "/" + std::to_string(type) + "/" + std::to_string(qclass) +
           (dnssecOk ? "/do" : "");
}

void ResponseCache::put(const std::string& key, const std::vector<std::uint8_t>& wire,
                        Clock::time_point now) {
    if (m_options.capacity == 0) {
        return;
    }
    const auto packet = ldns::parse(wire.data(), wire.size());
    if (!packet || ldns_pkt_tc(packet.get())) {
        return;
    }
    std::chrono::seconds lifetime{0};
    const auto rcode = ldns_pkt_get_rcode(packet.get());
    const auto answers = ldns_pkt_answer(packet.get());
    if (rcode == LDNS_RCODE_NOERROR && answers != nullptr && ldns_rr_list_rr_count(answers) > 0) {
        auto ttl = smallestTtl(answers, std::numeric_limits<std::uint32_t>::max());
        ttl = smallestTtl(ldns_pkt_authority(packet.get()), ttl);
        lifetime = std::min(std::chrono::seconds(ttl), m_options.maxTtl);
    } else if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) {
        lifetime =
            std::min(std::chrono::seconds(negativeTtl(packet.get())), m_options.maxNegativeTtl);
    } else if (rcode == LDNS_RCODE_SERVFAIL) {
        lifetime = m_options.servFailTtl;
    }
    if (lifetime.count() <= 0) {
        return;
    }
    const std::lock_guard lock(m_mutex);
    if (const auto found = m_entries.find(key); found != m_entries.end()) {
        m_lru.erase(found->second);
        m_entries.erase(found);
    }
    m_lru.push_front({key, wire, now, now + lifetime});
    m_entries[key] = m_lru.begin();
    while (m_lru.size() > m_options.capacity) {
        m_entries.erase(m_lru.back().key);
        m_lru.pop_back();
    }
}

std::optional<std::vector<std::uint8_t>> ResponseCache::get(const std::string& key,
                                                            std::uint16_t id,
                                                            Clock::time_point now) {
    std::vector<std::uint8_t> wire;
    Clock::time_point stored;
    {
        const std::lock_guard lock(m_mutex);
        const auto found = m_entries.find(key);
        if (found == m_entries.end()) {
            ++m_misses;
            return std::nullopt;
        }
        if (found->second->expires <= now) {
            m_lru.erase(found->second);
            m_entries.erase(found);
            ++m_misses;
            return std::nullopt;
        }
        m_lru.splice(m_lru.begin(), m_lru, found->second);
        wire = found->second->wire;
        stored = found->second->stored;
        ++m_hits;
    }
    const auto packet = ldns::parse(wire.data(), wire.size());
    if (!packet) {
        return std::nullopt;
    }
    const auto elapsed = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(now - stored).count());
    if (elapsed > 0) {
        lowerTtls(ldns_pkt_answer(packet.get()), elapsed);
        lowerTtls(ldns_pkt_authority(packet.get()), elapsed);
        lowerTtls(ldns_pkt_additional(packet.get()), elapsed);
    }
    ldns_pkt_set_id(packet.get(), id);
    return ldns::wireOf(packet.get());
}

std::size_t ResponseCache::size() const {
    const std::lock_guard lock(m_mutex);
    return m_lru.size();
}

std::uint64_t ResponseCache::hits() const {
    const std::lock_guard lock(m_mutex);
    return m_hits;
}

std::uint64_t ResponseCache::misses() const {
    const std::lock_guard lock(m_mutex);
    return m_misses;
}

}  // namespace slipway::dns
