// SPDX-License-Identifier: Apache-2.0
// The cluster DNS end to end on 127.0.0.1: a ClusterDns fed by an in-process API server, asked
// over UDP and TCP by a small ldns resolver, forwarding to a fake upstream the test runs.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/dns/cluster_dns.h"

#include "../client/test_server.h"
#include "dns_test_client.h"
#include "dns_test_support.h"

using namespace slipway;
using nlohmann::json;
namespace t = slipway::testing::dns;

class TstDnsServer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<t::FakeUpstream> m_upstream;
    std::unique_ptr<dns::ClusterDns> m_dns;
    std::uint16_t m_port = 0;

    void create(const client::ResourceRef& ref, const json& object) {
        auto created = m_client->create(ref, object);
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
    }

    dns::ClusterDnsOptions options() const {
        dns::ClusterDnsOptions options;
        options.server.listen = {{"127.0.0.1", 0}};
        options.server.upstreams = {{"127.0.0.1", m_upstream->port()}};
        options.server.upstreamTimeout = std::chrono::milliseconds(300);
        return options;
    }

private slots:
    void initTestCase() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString() + "/server");
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_upstream = std::make_unique<t::FakeUpstream>();
        m_upstream->add("example.com.", {"192.0.2.10"}, 60);

        create(
            client::resources::services().in("default"),
            t::service("default", "web", "10.96.5.5", json::array({t::port("http", 80, "TCP")})));
        create(client::resources::services().in("default"),
               t::service("default", "big", "None", json::array({t::port("http", 80, "TCP")})));
        std::vector<t::SliceEndpoint> many;
        for (int i = 1; i <= 60; ++i) {
            many.push_back({"10.244.1." + std::to_string(i), true, ""});
        }
        create(t::endpointSlices().in("default"),
               t::endpointSlice("default", "big", "big-1", many,
                                json::array({t::port("http", 80, "TCP")})));
        json external = {{"apiVersion", "v1"},
                         {"kind", "Service"},
                         {"metadata", {{"name", "ext"}, {"namespace", "default"}}},
                         {"spec", {{"type", "ExternalName"}, {"externalName", "example.com"}}}};
        create(client::resources::services().in("default"), external);

        m_dns = std::make_unique<dns::ClusterDns>(*m_client, options());
        auto started = m_dns->start();
        QVERIFY2(started.ok(), started ? "" : started.error().message().c_str());
        QCOMPARE(m_dns->server().localAddresses().size(), std::size_t{1});
        m_port = m_dns->server().localAddresses()[0].port;
        QVERIFY(m_port != 0);
    }

    void cleanupTestCase() {
        m_dns.reset();
        m_upstream.reset();
        m_client.reset();
        m_server.reset();
    }

    void clusterNameOverUdpAndTcp() {
        for (const bool tcp : {false, true}) {
            const auto answer =
                tcp ? t::askTcp(m_port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A)
                    : t::askUdp(m_port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
            QVERIFY(answer);
            QCOMPARE(ldns_pkt_get_rcode(answer.get()), LDNS_RCODE_NOERROR);
            QVERIFY(ldns_pkt_aa(answer.get()));
            QCOMPARE(t::answers(answer.get(), LDNS_RR_TYPE_A),
                     std::vector<std::string>{"10.96.5.5"});
            QCOMPARE(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(answer.get()), 0)),
                     std::uint32_t{5});
        }
    }

    void negativeAnswers() {
        const auto missing = t::askUdp(m_port, "nosuch.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(missing);
        QCOMPARE(ldns_pkt_get_rcode(missing.get()), LDNS_RCODE_NXDOMAIN);
        QCOMPARE(t::answers(missing.get(), LDNS_RR_TYPE_SOA, LDNS_SECTION_AUTHORITY).size(),
                 std::size_t{1});
        const auto noData = t::askUdp(m_port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_AAAA);
        QVERIFY(noData);
        QCOMPARE(ldns_pkt_get_rcode(noData.get()), LDNS_RCODE_NOERROR);
        QCOMPARE(ldns_pkt_ancount(noData.get()), std::uint16_t{0});
        QCOMPARE(t::answers(noData.get(), LDNS_RR_TYPE_SOA, LDNS_SECTION_AUTHORITY).size(),
                 std::size_t{1});
    }

    void largeAnswersAreTruncatedOverUdp() {
        // 60 A records do not fit in 512 bytes: TC over UDP, everything over TCP.
        const auto udp = t::askUdp(m_port, "big.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(udp);
        QVERIFY(ldns_pkt_tc(udp.get()));
        QCOMPARE(ldns_pkt_ancount(udp.get()), std::uint16_t{0});
        const auto tcp = t::askTcp(m_port, "big.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(tcp);
        QVERIFY(!ldns_pkt_tc(tcp.get()));
        QCOMPARE(t::answers(tcp.get(), LDNS_RR_TYPE_A).size(), std::size_t{60});
        // With EDNS (1232 bytes) they fit over UDP.
        const auto edns = t::askUdp(m_port, "big.default.svc.cluster.local.", LDNS_RR_TYPE_A, 4096);
        QVERIFY(edns);
        QVERIFY(!ldns_pkt_tc(edns.get()));
        QCOMPARE(t::answers(edns.get(), LDNS_RR_TYPE_A).size(), std::size_t{60});
    }

    void forwardsAndCaches() {
        m_upstream->add("cached.example.", {"192.0.2.20"}, 60);
        const int before = m_upstream->queries();
        const auto first = t::askUdp(m_port, "cached.example.", LDNS_RR_TYPE_A);
        QVERIFY(first);
        QCOMPARE(t::answers(first.get(), LDNS_RR_TYPE_A), std::vector<std::string>{"192.0.2.20"});
        QVERIFY(!ldns_pkt_aa(first.get()));
        QCOMPARE(m_upstream->queries(), before + 1);
        const auto hits = m_dns->server().stats().cacheHits;
        const auto query = t::makeQuery("CACHED.example.", LDNS_RR_TYPE_A);
        const auto second = t::askUdp(m_port, query.get());
        QVERIFY(second);
        QCOMPARE(ldns_pkt_id(second.get()), ldns_pkt_id(query.get()));
        QCOMPARE(t::answers(second.get(), LDNS_RR_TYPE_A), std::vector<std::string>{"192.0.2.20"});
        QCOMPARE(m_upstream->queries(), before + 1);  // from the cache
        QCOMPARE(m_dns->server().stats().cacheHits, hits + 1);

        // NXDOMAIN is cached too (SOA minimum 30 s).
        const auto missing = t::askUdp(m_port, "missing.example.", LDNS_RR_TYPE_A);
        QVERIFY(missing);
        QCOMPARE(ldns_pkt_get_rcode(missing.get()), LDNS_RCODE_NXDOMAIN);
        const int afterMissing = m_upstream->queries();
        QVERIFY(t::askUdp(m_port, "missing.example.", LDNS_RR_TYPE_A));
        QCOMPARE(m_upstream->queries(), afterMissing);
    }

    void truncatedUpstreamAnswersAreAskedAgainOverTcp() {
        std::vector<std::string> many;
        for (int i = 1; i <= 40; ++i) {
            many.push_back("192.0.2." + std::to_string(i));
        }
        m_upstream->add("large.example.", many, 60);
        m_upstream->truncateOverUdp("large.example.");
        const int tcpBefore = m_upstream->tcpQueries();
        // Our client over UDP without EDNS: 40 records do not fit, so TC reaches it too...
        const auto udp = t::askUdp(m_port, "large.example.", LDNS_RR_TYPE_A);
        QVERIFY(udp);
        QVERIFY(ldns_pkt_tc(udp.get()));
        QCOMPARE(m_upstream->tcpQueries(), tcpBefore + 1);
        // ...and its retry over TCP is answered whole, from the cache.
        const auto tcp = t::askTcp(m_port, "large.example.", LDNS_RR_TYPE_A);
        QVERIFY(tcp);
        QCOMPARE(t::answers(tcp.get(), LDNS_RR_TYPE_A).size(), std::size_t{40});
        QCOMPARE(m_upstream->tcpQueries(), tcpBefore + 1);
    }

    void externalNameFollowsTheCname() {
        const auto answer = t::askUdp(m_port, "ext.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(answer);
        QCOMPARE(t::answers(answer.get(), LDNS_RR_TYPE_CNAME),
                 std::vector<std::string>{"example.com."});
        QCOMPARE(t::answers(answer.get(), LDNS_RR_TYPE_A), std::vector<std::string>{"192.0.2.10"});
    }

    void publishesKubeDns() {
        const auto service =
            m_client->get(client::resources::services().in("kube-system").named("kube-dns"));
        QVERIFY(service.ok());
        QCOMPARE(service->at("/metadata/labels/k8s-app"_json_pointer).get<std::string>(),
                 std::string("kube-dns"));
        QVERIFY(!service->contains("/spec/selector"_json_pointer));
        const auto ports = service->at("/spec/ports"_json_pointer);
        QCOMPARE(ports.size(), std::size_t{2});
        QCOMPARE(ports[0]["name"].get<std::string>(), std::string("dns"));
        QCOMPARE(ports[0]["protocol"].get<std::string>(), std::string("UDP"));
        QCOMPARE(ports[1]["name"].get<std::string>(), std::string("dns-tcp"));
        QCOMPARE(ports[1]["port"].get<int>(), 53);
        QCOMPARE(service->value("/spec/clusterIP"_json_pointer, std::string()),
                 std::string("10.96.0.10"));

        const auto endpoints =
            m_client->get(client::resources::endpoints().in("kube-system").named("kube-dns"));
        QVERIFY(endpoints.ok());
        QCOMPARE(endpoints->at("/subsets/0/addresses/0/ip"_json_pointer).get<std::string>(),
                 std::string("127.0.0.1"));
        QCOMPARE(endpoints->at("/subsets/0/ports/0/port"_json_pointer).get<int>(), int{m_port});
        client::ListOptions selection;
        selection.labelSelector = "kubernetes.io/service-name=kube-dns";
        const auto slices = m_client->list(t::endpointSlices().in("kube-system"), selection);
        QVERIFY(slices.ok());
        QCOMPARE(slices->items.size(), std::size_t{1});
        QCOMPARE(slices->items[0].at("/endpoints/0/addresses/0"_json_pointer).get<std::string>(),
                 std::string("127.0.0.1"));

        // Its own name resolves through itself (the Service is in the informer cache).
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto answer =
                    t::askUdp(m_port, "kube-dns.kube-system.svc.cluster.local.", LDNS_RR_TYPE_A);
                return answer && t::answers(answer.get(), LDNS_RR_TYPE_A) ==
                                     std::vector<std::string>{"10.96.0.10"};
            }(),
            5000);

        // Publishing again (a restart) updates in place.
        dns::DnsPublication again;
        again.addresses = {{"127.0.0.1", 5353}};
        QVERIFY(dns::publishClusterDns(*m_client, again).ok());
        const auto updated =
            m_client->get(client::resources::endpoints().in("kube-system").named("kube-dns"));
        QCOMPARE(updated->at("/subsets/0/ports/0/port"_json_pointer).get<int>(), 5353);
    }

    void nextUpstreamAfterTimeout() {
        t::FakeUpstream silent;
        silent.setSilent(true);
        auto opts = options();
        opts.publish = false;
        opts.server.upstreams = {{"127.0.0.1", silent.port()}, {"127.0.0.1", m_upstream->port()}};
        dns::ClusterDns dns(*m_client, opts);
        QVERIFY(dns.start().ok());
        const auto port = dns.server().localAddresses()[0].port;
        const auto answer = t::askUdp(port, "example.com.", LDNS_RR_TYPE_A);
        QVERIFY(answer);
        QCOMPARE(t::answers(answer.get(), LDNS_RR_TYPE_A), std::vector<std::string>{"192.0.2.10"});
        QCOMPARE(silent.queries(), 1);

        // Every upstream silent: SERVFAIL once they have all had their time.
        opts.server.upstreams = {{"127.0.0.1", silent.port()}};
        dns::ClusterDns dead(*m_client, opts);
        QVERIFY(dead.start().ok());
        const auto failed =
            t::askUdp(dead.server().localAddresses()[0].port, "example.com.", LDNS_RR_TYPE_A);
        QVERIFY(failed);
        QCOMPARE(ldns_pkt_get_rcode(failed.get()), LDNS_RCODE_SERVFAIL);
    }

    void refusesClientsOverTheRate() {
        auto opts = options();
        opts.publish = false;
        opts.server.queriesPerSecondPerClient = 1;
        opts.server.burst = 3;
        dns::ClusterDns dns(*m_client, opts);
        QVERIFY(dns.start().ok());
        const auto port = dns.server().localAddresses()[0].port;
        for (int i = 0; i < 3; ++i) {
            const auto answer = t::askUdp(port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
            QVERIFY(answer);
            QCOMPARE(ldns_pkt_get_rcode(answer.get()), LDNS_RCODE_NOERROR);
        }
        const auto refused = t::askUdp(port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(refused);
        QCOMPARE(ldns_pkt_get_rcode(refused.get()), LDNS_RCODE_REFUSED);
        QCOMPARE(dns.server().stats().refused, std::uint64_t{1});
    }

    void republishesWhatWasDeleted() {
        auto opts = options();
        opts.republishPeriod = std::chrono::milliseconds(100);
        dns::ClusterDns dns(*m_client, opts);
        QVERIFY(dns.start().ok());
        const auto endpointsRef =
            client::resources::endpoints().in("kube-system").named("kube-dns");
        QVERIFY(m_client->remove(endpointsRef).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_client->get(endpointsRef).ok(), 5000);
        const auto port = dns.server().localAddresses()[0].port;
        QCOMPARE(m_client->get(endpointsRef)->at("/subsets/0/ports/0/port"_json_pointer).get<int>(),
                 int{port});
    }

    void garbageIsDropped() {
        const int fd = socket(AF_INET, SOCK_DGRAM, 0);
        const auto address = t::loopback(m_port);
        const char junk[] = "not a dns message";
        sendto(fd, junk, sizeof junk, 0, reinterpret_cast<const sockaddr*>(&address),
               sizeof address);
        close(fd);
        QTRY_VERIFY_WITH_TIMEOUT(m_dns->server().stats().malformed >= 1, 5000);
        // And the server still answers.
        QVERIFY(t::askUdp(m_port, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A));
    }
};

QTEST_GUILESS_MAIN(TstDnsServer)
#include "tst_dns_server.moc"
