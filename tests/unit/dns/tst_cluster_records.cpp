// SPDX-License-Identifier: Apache-2.0
// ClusterRecords read from informers of an in-process API server: the names of the Kubernetes
// DNS specification, NXDOMAIN against NODATA, and PTR.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/dns/cluster_records.h"

#include "../client/test_server.h"
#include "dns_test_support.h"

using namespace slipway;
using nlohmann::json;
namespace t = slipway::testing::dns;
namespace rr = slipway::dns::rrtype;

class TstClusterRecords : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::Informer> m_services;
    std::unique_ptr<client::Informer> m_slices;
    std::unique_ptr<client::Informer> m_pods;
    std::unique_ptr<dns::ClusterRecords> m_records;

    static std::vector<std::string> data(const std::vector<dns::Record>& records,
                                         std::uint16_t type) {
        std::vector<std::string> out;
        for (const auto& record : records) {
            if (record.type == type) {
                out.push_back(record.data);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    void create(const client::ResourceRef& ref, const json& object) {
        auto created = m_client->create(ref, object);
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
    }

    dns::ClusterAnswer lookup(const std::string& name, std::uint16_t type) {
        auto answer = m_records->lookup(name, type);
        if (!answer) {
            return {dns::Rcode::Refused, {}, {}, {}};  // "not ours"; tests that expect it check
        }
        return *answer;
    }

private slots:
    void initTestCase() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString() + "/server");
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        const json ns = {
            {"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "shop"}}}};
        create(client::resources::namespaces(), ns);

        create(client::resources::services().in("shop"),
               t::service("shop", "web", "10.96.5.5",
                          json::array({t::port("http", 80, "TCP"), t::port("dns", 53, "UDP")})));
        create(client::resources::services().in("shop"),
               t::service("shop", "db", "None", json::array({t::port("pg", 5432, "TCP")})));
        create(t::endpointSlices().in("shop"),
               t::endpointSlice("shop", "db", "db-abc",
                                {{"10.244.0.7", true, "db-0"},
                                 {"10.244.0.8", true, ""},
                                 {"10.244.0.9", false, "db-2"}},
                                json::array({t::port("pg", 5432, "TCP")})));
        create(client::resources::services().in("shop"),
               t::service("shop", "empty", "None", json::array({t::port("pg", 5432, "TCP")})));
        json external = {{"apiVersion", "v1"},
                         {"kind", "Service"},
                         {"metadata", {{"name", "ext"}, {"namespace", "shop"}}},
                         {"spec", {{"type", "ExternalName"}, {"externalName", "example.com"}}}};
        create(client::resources::services().in("shop"), external);
        create(client::resources::pods().in("shop"), t::pod("shop", "p1", "10.244.0.20"));
        // Status is the kubelet's: written through the status subresource.
        auto stored = m_client->get(client::resources::pods().in("shop").named("p1"));
        QVERIFY(stored.ok());
        (*stored)["status"] = t::pod("shop", "p1", "10.244.0.20")["status"];
        QVERIFY(
            m_client->updateStatus(client::resources::pods().in("shop").named("p1"), *stored).ok());

        m_services = std::make_unique<client::Informer>(
            *m_client, client::InformerOptions(client::resources::services()));
        m_slices = std::make_unique<client::Informer>(*m_client,
                                                      client::InformerOptions(t::endpointSlices()));
        client::InformerOptions podOptions(client::resources::pods());
        podOptions.transform = &dns::ClusterRecords::podTransform;
        m_pods = std::make_unique<client::Informer>(*m_client, podOptions);
        dns::ClusterRecords::addIndexes(*m_services, *m_slices, *m_pods);
        m_records = std::make_unique<dns::ClusterRecords>(
            dns::ClusterSources{m_services->lister(), m_slices->lister(), m_pods->lister()});
        for (auto* informer : {m_services.get(), m_slices.get(), m_pods.get()}) {
            informer->start();
            QVERIFY(informer->waitForSync(std::chrono::seconds(10)));
        }
    }

    void cleanupTestCase() {
        m_records.reset();
        m_pods.reset();
        m_slices.reset();
        m_services.reset();
        m_client.reset();
        m_server.reset();
    }

    void clusterIpService() {
        const auto answer = lookup("Web.Shop.svc.cluster.local", rr::kA);
        QCOMPARE(answer.rcode, dns::Rcode::NoError);
        QCOMPARE(answer.answer.size(), std::size_t{1});
        QCOMPARE(answer.answer[0].name, std::string("web.shop.svc.cluster.local."));
        QCOMPARE(answer.answer[0].data, std::string("10.96.5.5"));
        QCOMPARE(answer.answer[0].ttl, std::uint32_t{5});  // CoreDNS's default TTL
        QVERIFY(answer.authority.empty());
    }

    void noDataCarriesSoa() {
        const auto answer = lookup("web.shop.svc.cluster.local.", rr::kAaaa);
        QCOMPARE(answer.rcode, dns::Rcode::NoError);
        QVERIFY(answer.answer.empty());
        QCOMPARE(data(answer.authority, rr::kSoa).size(), std::size_t{1});
        QVERIFY(data(answer.authority, rr::kSoa)[0].starts_with(
            "ns.dns.cluster.local. hostmaster.cluster.local. "));
        QVERIFY(data(answer.authority, rr::kSoa)[0].ends_with(" 7200 1800 86400 5"));
    }

    void missingNamesAreNxDomain() {
        for (const char* name :
             {"nosuch.shop.svc.cluster.local", "web.other.svc.cluster.local",
              "a.b.c.d.e.svc.cluster.local", "web.shop.cluster.local", "x.shop.pod.cluster.local",
              "10-244-0-99.shop.pod.cluster.local", "10-244-0-20.other.pod.cluster.local"}) {
            const auto answer = lookup(name, rr::kA);
            QVERIFY2(answer.rcode == dns::Rcode::NxDomain, name);
            QVERIFY2(data(answer.authority, rr::kSoa).size() == 1, name);
        }
        // A namespace with Services and the svc label itself exist without records.
        QCOMPARE(lookup("shop.svc.cluster.local", rr::kA).rcode, dns::Rcode::NoError);
        QCOMPARE(lookup("svc.cluster.local", rr::kA).rcode, dns::Rcode::NoError);
    }

    void outsideTheZoneIsNotOurs() {
        QVERIFY(!m_records->lookup("example.com", rr::kA));
        QVERIFY(!m_records->lookup("cluster.local.example.com", rr::kA));
        QVERIFY(!m_records->lookup("1.1.168.192.in-addr.arpa", rr::kPtr));
    }

    void apexSoaAndNs() {
        const auto soa = lookup("cluster.local.", rr::kSoa);
        QCOMPARE(data(soa.answer, rr::kSoa).size(), std::size_t{1});
        const auto ns = lookup("cluster.local.", rr::kNs);
        QCOMPARE(data(ns.answer, rr::kNs), std::vector<std::string>{"ns.dns.cluster.local."});
    }

    void headlessServiceListsReadyEndpoints() {
        const auto answer = lookup("db.shop.svc.cluster.local", rr::kA);
        QCOMPARE(answer.rcode, dns::Rcode::NoError);
        QCOMPARE(data(answer.answer, rr::kA),
                 (std::vector<std::string>{"10.244.0.7", "10.244.0.8"}));
        // No ready endpoints: no records at all, as CoreDNS.
        QCOMPARE(lookup("empty.shop.svc.cluster.local", rr::kA).rcode, dns::Rcode::NxDomain);
    }

    void endpointNames() {
        const auto byHostname = lookup("db-0.db.shop.svc.cluster.local", rr::kA);
        QCOMPARE(data(byHostname.answer, rr::kA), std::vector<std::string>{"10.244.0.7"});
        const auto byAddress = lookup("10-244-0-8.db.shop.svc.cluster.local", rr::kA);
        QCOMPARE(data(byAddress.answer, rr::kA), std::vector<std::string>{"10.244.0.8"});
        // Not ready: not published.
        QCOMPARE(lookup("db-2.db.shop.svc.cluster.local", rr::kA).rcode, dns::Rcode::NxDomain);
    }

    void srvRecords() {
        const auto named = lookup("_http._tcp.web.shop.svc.cluster.local", rr::kSrv);
        QCOMPARE(data(named.answer, rr::kSrv),
                 std::vector<std::string>{"0 100 80 web.shop.svc.cluster.local."});
        QCOMPARE(data(named.additional, rr::kA), std::vector<std::string>{"10.96.5.5"});
        QCOMPARE(lookup("_dns._udp.web.shop.svc.cluster.local", rr::kSrv).answer.size(),
                 std::size_t{1});
        QCOMPARE(lookup("_http._udp.web.shop.svc.cluster.local", rr::kSrv).rcode,
                 dns::Rcode::NxDomain);
        QCOMPARE(lookup("_http._tcp.web.shop.svc.cluster.local", rr::kA).rcode,
                 dns::Rcode::NoError);

        const auto headless = lookup("_pg._tcp.db.shop.svc.cluster.local", rr::kSrv);
        QCOMPARE(data(headless.answer, rr::kSrv),
                 (std::vector<std::string>{"0 50 5432 10-244-0-8.db.shop.svc.cluster.local.",
                                           "0 50 5432 db-0.db.shop.svc.cluster.local."}));
        QCOMPARE(data(headless.additional, rr::kA),
                 (std::vector<std::string>{"10.244.0.7", "10.244.0.8"}));

        const auto all = lookup("web.shop.svc.cluster.local", rr::kSrv);
        QCOMPARE(data(all.answer, rr::kSrv),
                 (std::vector<std::string>{"0 50 53 web.shop.svc.cluster.local.",
                                           "0 50 80 web.shop.svc.cluster.local."}));
    }

    void externalNameIsCname() {
        const auto answer = lookup("ext.shop.svc.cluster.local", rr::kA);
        QCOMPARE(answer.rcode, dns::Rcode::NoError);
        QCOMPARE(data(answer.answer, rr::kCname), std::vector<std::string>{"example.com."});
    }

    void podRecords() {
        const auto answer = lookup("10-244-0-20.shop.pod.cluster.local", rr::kA);
        QCOMPARE(data(answer.answer, rr::kA), std::vector<std::string>{"10.244.0.20"});
        dns::ClusterRecordsOptions insecure;
        insecure.verifiedPods = false;
        const dns::ClusterRecords anyPod(
            {m_services->lister(), m_slices->lister(), m_pods->lister()}, insecure);
        const auto unverified = anyPod.lookup("10-1-2-3.other.pod.cluster.local", rr::kA);
        QVERIFY(unverified);
        QCOMPARE(data(unverified->answer, rr::kA), std::vector<std::string>{"10.1.2.3"});
    }

    void reverseNames() {
        const auto service = lookup("5.5.96.10.in-addr.arpa.", rr::kPtr);
        QCOMPARE(data(service.answer, rr::kPtr),
                 std::vector<std::string>{"web.shop.svc.cluster.local."});
        const auto endpoint = lookup("7.0.244.10.in-addr.arpa", rr::kPtr);
        QCOMPARE(data(endpoint.answer, rr::kPtr),
                 std::vector<std::string>{"db-0.db.shop.svc.cluster.local."});
    }

    void followsChanges() {
        create(client::resources::services().in("shop"),
               t::service("shop", "late", "10.96.7.7", json::array({t::port("http", 80, "TCP")})));
        QTRY_COMPARE_WITH_TIMEOUT(
            data(lookup("late.shop.svc.cluster.local", rr::kA).answer, rr::kA),
            std::vector<std::string>{"10.96.7.7"}, 5000);
        QVERIFY(m_client->remove(client::resources::services().in("shop").named("late")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(lookup("late.shop.svc.cluster.local", rr::kA).rcode,
                                  dns::Rcode::NxDomain, 5000);
    }
};

QTEST_GUILESS_MAIN(TstClusterRecords)
#include "tst_cluster_records.moc"
