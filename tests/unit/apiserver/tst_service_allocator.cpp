// SPDX-License-Identifier: Apache-2.0
// Cluster IPs and node ports of Services (ServiceAllocator), through an in-process API server.
#include <set>
#include <thread>

#include <QTemporaryDir>
#include <QtTest>

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

json service(const std::string& name, const std::string& type = "ClusterIP",
             const json& extra = json::object()) {
    json spec = {{"type", type},
                 {"selector", {{"app", name}}},
                 {"ports", json::array({{{"name", "http"}, {"port", 80}}})}};
    spec.update(extra);
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", spec}};
}

client::ResourceRef services(const std::string& name = {}) {
    auto ref = client::resources::services().in("default");
    return name.empty() ? ref : ref.named(name);
}

bool inServiceCidr(const std::string& ip) {
    // 10.96.0.0/12: 10.96.0.0 – 10.111.255.255.
    int a = 0;
    int b = 0;
    return std::sscanf(ip.c_str(), "%d.%d.", &a, &b) == 2 && a == 10 && b >= 96 && b <= 111;
}

}  // namespace

class TstServiceAllocator : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;

    void start() {
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        start();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void clusterIpsAreAllocatedFromTheServiceCidr() {
        std::set<std::string> seen;
        for (int i = 0; i < 20; ++i) {
            auto created = m_client->create(services(), service("web" + std::to_string(i)));
            QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
            const std::string ip = (*created)["spec"].value("clusterIP", "");
            QVERIFY2(inServiceCidr(ip), ip.c_str());
            QVERIFY(ip != "10.96.0.1" && ip != "10.96.0.10");
            QCOMPARE((*created)["spec"]["clusterIPs"], json::array({ip}));
            QVERIFY(seen.insert(ip).second);
        }
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(20));
    }

    void requestedIpsAreHonouredAndConflictsRefused() {
        auto dns = m_client->create(services(),
                                    service("dns", "ClusterIP", {{"clusterIP", "10.96.0.10"}}));
        QVERIFY(dns.ok());
        QCOMPARE((*dns)["spec"].value("clusterIP", ""), std::string("10.96.0.10"));
        auto clash = m_client->create(services(),
                                      service("other", "ClusterIP", {{"clusterIP", "10.96.0.10"}}));
        QVERIFY(!clash.ok());
        QCOMPARE(clash.error().code(), core::ErrorCode::Invalid);
        QVERIFY2(
            clash.error().message().find("provided IP is already allocated") != std::string::npos,
            clash.error().message().c_str());
        auto outside = m_client->create(
            services(), service("outside", "ClusterIP", {{"clusterIP", "192.168.1.1"}}));
        QVERIFY(!outside.ok());
        QVERIFY2(outside.error().message().find("is not in the valid range") != std::string::npos,
                 outside.error().message().c_str());

        // Headless and ExternalName Services take no address.
        auto headless =
            m_client->create(services(), service("headless", "ClusterIP", {{"clusterIP", "None"}}));
        QVERIFY(headless.ok());
        QCOMPARE((*headless)["spec"].value("clusterIP", ""), std::string("None"));
        json external = service("ext", "ExternalName", {{"externalName", "example.com"}});
        external["spec"].erase("selector");
        auto named = m_client->create(services(), external);
        QVERIFY2(named.ok(), named ? "" : named.error().message().c_str());
        QVERIFY(!(*named)["spec"].contains("clusterIP"));
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(1));

        // Deleting frees the address for the next Service.
        QVERIFY(m_client->remove(services("dns")).ok());
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(0));
        auto again = m_client->create(services(),
                                      service("other", "ClusterIP", {{"clusterIP", "10.96.0.10"}}));
        QVERIFY2(again.ok(), again ? "" : again.error().message().c_str());
    }

    void nodePortsAreAllocatedAndFollowTheType() {
        json spec = {{"ports", json::array({{{"name", "http"}, {"port", 80}},
                                            {{"name", "https"}, {"port", 443}}})}};
        auto created = m_client->create(services(), service("web", "NodePort", spec));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        std::set<int> ports;
        for (const auto& port : (*created)["spec"]["ports"]) {
            const int nodePort = port.value("nodePort", 0);
            QVERIFY(nodePort >= 30000 && nodePort <= 32767);
            ports.insert(nodePort);
        }
        QCOMPARE(ports.size(), std::size_t(2));
        const int first = (*created)["spec"]["ports"][0].value("nodePort", 0);

        // A requested port that is taken: kube's 422.
        auto clash = m_client->create(
            services(), service("other", "NodePort",
                                {{"ports", json::array({{{"port", 80}, {"nodePort", first}}})}}));
        QVERIFY(!clash.ok());
        QCOMPARE(clash.error().code(), core::ErrorCode::Invalid);
        QVERIFY2(clash.error().message().find(
                     "spec.ports[0].nodePort: Invalid value: " + std::to_string(first) +
                     ": provided port is already allocated") != std::string::npos,
                 clash.error().message().c_str());

        // A replace that leaves out clusterIP and nodePorts keeps them (PatchAllocatedValues).
        json replaced = service("web", "NodePort", spec);
        replaced["metadata"]["resourceVersion"] = (*created)["metadata"]["resourceVersion"];
        auto updated = m_client->update(services("web"), replaced);
        QVERIFY2(updated.ok(), updated ? "" : updated.error().message().c_str());
        QCOMPARE((*updated)["spec"]["clusterIP"], (*created)["spec"]["clusterIP"]);
        QCOMPARE((*updated)["spec"]["ports"][0].value("nodePort", 0), first);

        // The cluster IP may not change.
        json moved = *updated;
        moved["spec"]["clusterIP"] = "10.96.5.5";
        moved["spec"]["clusterIPs"] = json::array({"10.96.5.5"});
        auto refused = m_client->update(services("web"), moved);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Invalid);

        // Back to ClusterIP: the node ports are released; to NodePort again: new ones.
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(2));
        auto toClusterIp = m_client->patch(services("web"), client::PatchType::Merge,
                                           {{"spec", {{"type", "ClusterIP"}}}});
        QVERIFY2(toClusterIp.ok(), toClusterIp ? "" : toClusterIp.error().message().c_str());
        QVERIFY(!(*toClusterIp)["spec"]["ports"][0].contains("nodePort"));
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(0));
        auto toNodePort = m_client->patch(services("web"), client::PatchType::Merge,
                                          {{"spec", {{"type", "NodePort"}}}});
        QVERIFY2(toNodePort.ok(), toNodePort ? "" : toNodePort.error().message().c_str());
        QVERIFY((*toNodePort)["spec"]["ports"][0].value("nodePort", 0) >= 30000);
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(2));
    }

    void tcpAndUdpOfOnePortShareTheNodePort() {
        auto created = m_client->create(
            services(),
            service(
                "dns", "NodePort",
                {{"ports", json::array({{{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}},
                                        {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}},
                                        {{"name", "metrics"}, {"port", 9153}}})}}));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        const json& ports = (*created)["spec"]["ports"];
        QCOMPARE(ports[0]["nodePort"], ports[1]["nodePort"]);
        QVERIFY(ports[2]["nodePort"] != ports[0]["nodePort"]);
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(2));
    }

    void loadBalancersWithLocalPolicyGetAHealthCheckPort() {
        auto created = m_client->create(
            services(), service("lb", "LoadBalancer", {{"externalTrafficPolicy", "Local"}}));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        const int health = (*created)["spec"].value("healthCheckNodePort", 0);
        QVERIFY(health >= 30000 && health <= 32767);
        QVERIFY(health != (*created)["spec"]["ports"][0].value("nodePort", 0));
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(2));
        QVERIFY(m_client->remove(services("lb")).ok());
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(0));
    }

    void allocationsSurviveARestart() {
        auto created = m_client->create(services(), service("web", "NodePort"));
        QVERIFY(created.ok());
        const std::string ip = (*created)["spec"].value("clusterIP", "");
        const int nodePort = (*created)["spec"]["ports"][0].value("nodePort", 0);
        m_client.reset();
        m_server.reset();
        start();
        QVERIFY(m_server->serviceAllocator().rebuild(m_server->store()).ok());
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(1));
        auto clash = m_client->create(
            services(),
            service("other", "NodePort",
                    {{"clusterIP", ip},
                     {"ports", json::array({{{"port", 80}, {"nodePort", nodePort}}})}}));
        QVERIFY(!clash.ok());
        QVERIFY(clash.error().message().find("provided IP is already allocated") !=
                std::string::npos);
        QVERIFY(clash.error().message().find("provided port is already allocated") !=
                std::string::npos);
        // A failed create gives back nothing it did not take.
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(1));
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(1));
    }

    void concurrentCreatesNeverShareAnAddress() {
        constexpr std::size_t kThreads = 4;
        constexpr std::size_t kEach = 25;
        std::vector<std::thread> threads;
        std::vector<std::vector<std::string>> ips(kThreads);
        for (std::size_t t = 0; t < kThreads; ++t) {
            threads.emplace_back([this, t, &ips] {
                for (std::size_t i = 0; i < kEach; ++i) {
                    auto created = m_client->create(
                        services(),
                        service("s" + std::to_string(t) + "-" + std::to_string(i), "NodePort"));
                    if (created) {
                        ips[t].push_back((*created)["spec"].value("clusterIP", ""));
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        std::set<std::string> all;
        for (const auto& list : ips) {
            QCOMPARE(list.size(), kEach);
            all.insert(list.begin(), list.end());
        }
        QCOMPARE(all.size(), kThreads * kEach);
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), kThreads * kEach);
    }

    void dryRunTakesNothing() {
        client::WriteOptions dryRun;
        dryRun.dryRun = true;
        auto created = m_client->create(services(), service("web", "NodePort"), dryRun);
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        QVERIFY(inServiceCidr((*created)["spec"].value("clusterIP", "")));
        QCOMPARE(m_server->serviceAllocator().allocatedIps(), std::size_t(0));
        QCOMPARE(m_server->serviceAllocator().allocatedNodePorts(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TstServiceAllocator)
#include "tst_service_allocator.moc"
