// SPDX-License-Identifier: Apache-2.0
// The cache of forwarded answers: lifetimes from TTLs and SOA minimums, TTLs lowered by age,
// the asker's ID, LRU eviction, and what is never cached.
#include <QtTest>

#include "engine/dns/response_cache.h"

#include "dns_test_client.h"

using namespace slipway;
namespace t = slipway::testing::dns;
using Clock = dns::ResponseCache::Clock;

namespace {

/// An upstream answer for `name`: A records with `ttl`, or NXDOMAIN with an SOA (TTL 300,
/// minimum `ttl`).
std::vector<std::uint8_t> answer(const std::string& name, std::uint32_t ttl, bool nxdomain = false,
                                 bool truncated = false) {
    t::Packet packet(ldns_pkt_new());
    ldns_pkt_set_qr(packet.get(), true);
    ldns_pkt_set_id(packet.get(), 4242);
    ldns_rr* question = nullptr;
    ldns_rr_new_question_frm_str(&question, (name + " IN A").c_str(), nullptr, nullptr);
    ldns_pkt_push_rr(packet.get(), LDNS_SECTION_QUESTION, question);
    ldns_rr* rr = nullptr;
    if (nxdomain) {
        ldns_pkt_set_rcode(packet.get(), LDNS_RCODE_NXDOMAIN);
        const auto text =
            "example. 300 IN SOA ns.example. host.example. 1 2 3 4 " + std::to_string(ttl);
        ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr);
        ldns_pkt_push_rr(packet.get(), LDNS_SECTION_AUTHORITY, rr);
    } else {
        const auto text = name + " " + std::to_string(ttl) + " IN A 192.0.2.1";
        ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr);
        ldns_pkt_push_rr(packet.get(), LDNS_SECTION_ANSWER, rr);
    }
    ldns_pkt_set_tc(packet.get(), truncated);
    return t::wireOf(packet.get());
}

std::uint32_t firstTtl(const std::vector<std::uint8_t>& wire, ldns_pkt_section section) {
    const auto packet = t::parse(wire.data(), wire.size());
    const ldns_rr_list* list = section == LDNS_SECTION_ANSWER ? ldns_pkt_answer(packet.get())
                                                              : ldns_pkt_authority(packet.get());
    return ldns_rr_ttl(ldns_rr_list_rr(list, 0));
}

}  // namespace

class TstResponseCache : public QObject {
    Q_OBJECT

private slots:
    void keysIgnoreCase() {
        QCOMPARE(dns::ResponseCache::keyOf("Example.COM", 1, 1, false),
                 dns::ResponseCache::keyOf("example.com.", 1, 1, false));
        QVERIFY(dns::ResponseCache::keyOf("example.com.", 1, 1, false) !=
                dns::ResponseCache::keyOf("example.com.", 28, 1, false));
        QVERIFY(dns::ResponseCache::keyOf("example.com.", 1, 1, false) !=
                dns::ResponseCache::keyOf("example.com.", 1, 1, true));
    }

    void positiveAnswersAgeAndExpire() {
        dns::ResponseCache cache;
        const auto now = Clock::now();
        const auto key = dns::ResponseCache::keyOf("a.example.", 1, 1, false);
        cache.put(key, answer("a.example.", 60), now);
        auto hit = cache.get(key, 7, now + std::chrono::seconds(20));
        QVERIFY(hit);
        QCOMPARE(ldns_pkt_id(t::parse(hit->data(), hit->size()).get()), std::uint16_t{7});
        QCOMPARE(firstTtl(*hit, LDNS_SECTION_ANSWER), std::uint32_t{40});
        QVERIFY(!cache.get(key, 7, now + std::chrono::seconds(61)));
        QCOMPARE(cache.size(), std::size_t{0});  // the expired entry is gone
        QCOMPARE(cache.hits(), std::uint64_t{1});
        QCOMPARE(cache.misses(), std::uint64_t{1});
    }

    void lifetimesAreBounded() {
        dns::ResponseCacheOptions options;
        options.maxTtl = std::chrono::seconds(30);
        options.maxNegativeTtl = std::chrono::seconds(10);
        dns::ResponseCache cache(options);
        const auto now = Clock::now();
        const auto positive = dns::ResponseCache::keyOf("long.example.", 1, 1, false);
        cache.put(positive, answer("long.example.", 86400), now);
        QVERIFY(cache.get(positive, 1, now + std::chrono::seconds(29)));
        QVERIFY(!cache.get(positive, 1, now + std::chrono::seconds(31)));
        // NXDOMAIN: the SOA minimum (60), capped at 10 s.
        const auto negative = dns::ResponseCache::keyOf("nx.example.", 1, 1, false);
        cache.put(negative, answer("nx.example.", 60, true), now);
        QVERIFY(cache.get(negative, 1, now + std::chrono::seconds(9)));
        QVERIFY(!cache.get(negative, 1, now + std::chrono::seconds(11)));
    }

    void whatIsNotCached() {
        dns::ResponseCache cache;
        const auto now = Clock::now();
        cache.put("zero", answer("zero.example.", 0), now);
        cache.put("tc", answer("tc.example.", 60, false, true), now);
        cache.put("junk", {1, 2, 3}, now);
        QCOMPARE(cache.size(), std::size_t{0});
    }

    void leastRecentlyUsedGoesFirst() {
        dns::ResponseCacheOptions options;
        options.capacity = 2;
        dns::ResponseCache cache(options);
        const auto now = Clock::now();
        cache.put("a", answer("a.example.", 60), now);
        cache.put("b", answer("b.example.", 60), now);
        QVERIFY(cache.get("a", 1, now));  // a is now the most recent
        cache.put("c", answer("c.example.", 60), now);
        QCOMPARE(cache.size(), std::size_t{2});
        QVERIFY(cache.get("a", 1, now));
        QVERIFY(!cache.get("b", 1, now));
        QVERIFY(cache.get("c", 1, now));
    }
};

QTEST_GUILESS_MAIN(TstResponseCache)
#include "tst_response_cache.moc"
