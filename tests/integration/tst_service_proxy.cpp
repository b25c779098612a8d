// SPDX-License-Identifier: Apache-2.0
// The Service proxy programming nftables inside a network namespace the test makes: a node
// namespace with a bridge, three endpoint namespaces on it (each answering its own name on
// port 8080) and a client namespace, all addressed from 10.244.0.0/24; the node's own address
// is on a veth kept inside the node namespace. Root only (QSKIP otherwise).
#include <cerrno>
#include <map>
#include <set>
#include <thread>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/proxy/load_balancer_controller.h"
#include "engine/proxy/service_proxy.h"

#include "../unit/client/test_server.h"
#include "tests/integration/netns_tcp.h"
#include "tests/support/netns.h"

using namespace slipway;
using namespace slipway::testing::tcp;
using nlohmann::json;

namespace {

constexpr const char* kNodeIp = "192.168.213.2";

json endpoint(const std::string& ip, bool ready) {
    return {{"addresses", json::array({ip})},
            {"conditions", {{"ready", ready}}},
            {"nodeName", "node-a"}};
}

json slice(const std::string& service, const json& endpoints) {
    return {{"apiVersion", "discovery.k8s.io/v1"},
            {"kind", "EndpointSlice"},
            {"metadata",
             {{"name", service + "-1"},
              {"namespace", "default"},
              {"labels", {{"kubernetes.io/service-name", service}}}}},
            {"addressType", "IPv4"},
            {"ports", json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}})},
            {"endpoints", endpoints}};
}

json service(const std::string& name, const std::string& type) {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"type", type},
              {"ports", json::array({{{"name", "http"}, {"port", 80}, {"targetPort", 8080}}})}}}};
}

/// A UDP socket made inside namespace `path` (it stays there whichever thread uses it), so
/// that every datagram of a test leaves from one source port: one conntrack flow.
class UdpClient {
public:
    explicit UdpClient(const std::string& path) {
        m_fd = std::async(std::launch::async, [&] {
                   return enter(path) ? ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
               }).get();
    }
    ~UdpClient() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    UdpClient(const UdpClient&) = delete;
    UdpClient& operator=(const UdpClient&) = delete;
    bool ok() const { return m_fd >= 0; }

    /// Sends one datagram to ip:port and returns the answer ("" after 1 s without one).
    std::string ask(const std::string& ip, int port) const {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
        if (::sendto(m_fd, "?", 1, 0, reinterpret_cast<const sockaddr*>(&address),
                     sizeof address) != 1) {
            return {};
        }
        pollfd readable = {m_fd, POLLIN, 0};
        if (::poll(&readable, 1, 1000) <= 0) {
            return {};
        }
        char answer[64];
        const ssize_t got = ::recv(m_fd, answer, sizeof answer, 0);
        return got > 0 ? std::string(answer, static_cast<std::size_t>(got)) : std::string();
    }

private:
    int m_fd = -1;
};

/// GET / from namespace `path` to ip:port; the whole answer ("" if it could not connect).
std::string httpGet(const std::string& path, const std::string& ip, int port) {
    return std::async(std::launch::async,
                      [&] {
                          std::string answer;
                          if (!enter(path)) {
                              return answer;
                          }
                          const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                          sockaddr_in address{};
                          address.sin_family = AF_INET;
                          address.sin_port = htons(static_cast<std::uint16_t>(port));
                          inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
                          if (::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                                        sizeof address) == 0) {
                              const std::string request =
                                  "GET /healthz HTTP/1.1\r\nHost: lb\r\n\r\n";
                              (void)!::write(fd, request.data(), request.size());
                              char buffer[1024];
                              for (;;) {
                                  pollfd readable = {fd, POLLIN, 0};
                                  if (::poll(&readable, 1, 2000) <= 0) {
                                      break;
                                  }
                                  const ssize_t got = ::read(fd, buffer, sizeof buffer);
                                  if (got <= 0) {
                                      break;
                                  }
                                  answer.append(buffer, static_cast<std::size_t>(got));
                              }
                          }
                          ::close(fd);
                          return answer;
                      })
        .get();
}

client::ResourceRef slices() {
    return client::ResourceRef("discovery.k8s.io", "v1", "endpointslices").in("default");
}

}  // namespace

class TstServiceProxy : public QObject {
    Q_OBJECT

    std::unique_ptr<testing::NetworkNamespace> m_node;
    std::vector<std::unique_ptr<testing::NetworkNamespace>> m_endpoints;
    std::unique_ptr<testing::NetworkNamespace> m_pod;
    std::unique_ptr<testing::NetworkNamespace> m_outside;
    std::vector<std::unique_ptr<NameServer>> m_servers;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<proxy::ServiceProxy> m_proxy;
    std::unique_ptr<proxy::LoadBalancerController> m_loadBalancer;
    std::string m_webIp;
    int m_webNodePort = 0;

    /// Waits until the proxy has programmed a change made after `before` syncs.
    bool programmedAfter(std::uint64_t before) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (m_proxy->stats().syncs <= before) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return m_proxy->waitForIdle(std::chrono::seconds(10));
    }

    std::map<std::string, int> spread(const std::string& from, const std::string& ip, int port,
                                      int connections) {
        std::map<std::string, int> seen;
        for (int i = 0; i < connections; ++i) {
            const auto got = fetch(from, ip, port);
            ++seen[got.error == 0 ? got.reply : "error " + std::to_string(got.error)];
        }
        return seen;
    }

private slots:
    void initTestCase() {
        if (!testing::NetworkNamespace::available()) {
            QSKIP("needs root and ip(8) to make network namespaces");
        }
        m_node = std::make_unique<testing::NetworkNamespace>();
        QVERIFY2(m_node->ok(), qPrintable(m_node->error()));
        m_outside = std::make_unique<testing::NetworkNamespace>();
        QVERIFY2(m_outside->ok(), qPrintable(m_outside->error()));
        // The node's address on a veth whose peer is a client outside the cluster
        // (192.168.213.3), with the default route through it.
        QCOMPARE(
            m_node->exec(QStringLiteral(
                             "ip link add eth0 type veth peer name eth0 netns %1 && "
                             "ip addr add 192.168.213.2/24 dev eth0 && ip link set eth0 up && "
                             "ip route add default dev eth0 && ip link add slipway0 type bridge && "
                             "ip addr add 10.244.0.1/24 dev slipway0 && ip link set slipway0 up && "
                             "sysctl -qw net.ipv4.ip_forward=1")
                             .arg(m_outside->name())),
            0);
        QCOMPARE(m_outside->exec(QStringLiteral(
                     "ip addr add 192.168.213.3/24 dev eth0 && ip link set eth0 up && "
                     "ip route add default via 192.168.213.2")),
                 0);
        // Endpoints 10.244.0.11-13 and a client pod 10.244.0.20, each behind a veth. With
        // bridge-nf-call-iptables on, a pod DNATed to itself is bridged back out of its own
        // port: that needs hairpin mode on the port (kubelet's hairpin-veth).
        const auto attach = [&](testing::NetworkNamespace& pod, const QString& ip, int index) {
            return m_node->exec(QStringLiteral("ip link add veth%1 type veth peer name eth0 netns "
                                               "%2 && ip link set veth%1 master slipway0 && "
                                               "ip link set veth%1 type bridge_slave hairpin on && "
                                               "ip link set veth%1 up")
                                    .arg(index)
                                    .arg(pod.name())) == 0 &&
                   pod.exec(QStringLiteral("ip addr add %1/24 dev eth0 && ip link set eth0 up && "
                                           "ip route add default via 10.244.0.1")
                                .arg(ip)) == 0;
        };
        for (int i = 1; i <= 3; ++i) {
            auto pod = std::make_unique<testing::NetworkNamespace>();
            QVERIFY2(pod->ok(), qPrintable(pod->error()));
            QVERIFY(attach(*pod, QStringLiteral("10.244.0.1%1").arg(i), i));
            m_servers.push_back(
                std::make_unique<NameServer>(netnsPath(*pod), "ep" + std::to_string(i)));
            m_endpoints.push_back(std::move(pod));
        }
        m_pod = std::make_unique<testing::NetworkNamespace>();
        QVERIFY(attach(*m_pod, QStringLiteral("10.244.0.20"), 9));
        for (const auto& server : m_servers) {
            QTRY_VERIFY_WITH_TIMEOUT(server->listening(), 5000);
        }

        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();

        proxy::ProxyOptions options;
        options.nodeName = "node-a";
        options.rules.nodeIps = {kNodeIp};
        options.networkNamespace = netnsPath(*m_node);
        m_proxy = std::make_unique<proxy::ServiceProxy>(*m_client, options);
        m_proxy->start();
        QVERIFY(m_proxy->waitForSync(std::chrono::seconds(10)));
        QCOMPARE(m_proxy->mode(), proxy::ProxyMode::Nftables);
        m_loadBalancer = std::make_unique<proxy::LoadBalancerController>(
            *m_client, std::vector<std::string>{kNodeIp});
        m_loadBalancer->start();

        const auto before = m_proxy->stats().syncs;
        auto web = m_client->create(client::resources::services().in("default"),
                                    service("web", "NodePort"));
        QVERIFY2(web.ok(), web ? "" : web.error().message().c_str());
        m_webIp = (*web)["spec"].value("clusterIP", "");
        m_webNodePort = (*web)["spec"]["ports"][0].value("nodePort", 0);
        auto created = m_client->create(
            slices(),
            slice("web", json::array({endpoint("10.244.0.11", true), endpoint("10.244.0.12", true),
                                      endpoint("10.244.0.13", true)})));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        QVERIFY(programmedAfter(before));
    }

    void cleanupTestCase() {
        m_loadBalancer.reset();
        m_proxy.reset();
        m_client.reset();
        m_server.reset();
        m_servers.clear();
        m_pod.reset();
        m_outside.reset();
        m_endpoints.clear();
        m_node.reset();
    }

    void clusterIpConnectionsAreSpreadOverTheEndpoints() {
        QTRY_VERIFY_WITH_TIMEOUT(fetch(netnsPath(*m_node), m_webIp, 80).reply.starts_with("ep"),
                                 5000);
        // From the node itself (output hook) and from a pod on the bridge (forward).
        for (const auto* from : {m_node.get(), m_pod.get()}) {
            const auto seen = spread(netnsPath(*from), m_webIp, 80, 45);
            QCOMPARE(seen.size(), std::size_t(3));
            for (const auto& [reply, times] : seen) {
                QVERIFY2(reply.starts_with("ep"), reply.c_str());
            }
        }
        // Hairpin: an endpoint reaching its own Service, possibly itself.
        const auto hairpin = spread(netnsPath(*m_endpoints[0]), m_webIp, 80, 15);
        for (const auto& [reply, times] : hairpin) {
            QVERIFY2(reply.starts_with("ep"), reply.c_str());
        }
    }

    void unreadyEndpointsGetNoTraffic() {
        const auto before = m_proxy->stats().syncs;
        auto patched = m_client->patch(
            slices().named("web-1"), client::PatchType::Merge,
            {{"endpoints",
              json::array({endpoint("10.244.0.11", true), endpoint("10.244.0.12", true),
                           endpoint("10.244.0.13", false)})}});
        QVERIFY2(patched.ok(), patched ? "" : patched.error().message().c_str());
        QVERIFY(programmedAfter(before));
        QCOMPARE(m_proxy->stats().fullSyncs, std::uint64_t(1));  // the rest were partial
        const auto seen = spread(netnsPath(*m_pod), m_webIp, 80, 40);
        QVERIFY(!seen.contains("ep3"));
        QCOMPARE(seen.size(), std::size_t(2));
    }

    void nodePortsAnswerOnTheNodeAddress() {
        QVERIFY(m_webNodePort >= 30000);
        const auto fromNode = fetch(netnsPath(*m_node), kNodeIp, m_webNodePort);
        QVERIFY2(fromNode.reply.starts_with("ep"), std::to_string(fromNode.error).c_str());
        const auto fromPod = fetch(netnsPath(*m_pod), kNodeIp, m_webNodePort);
        QVERIFY2(fromPod.reply.starts_with("ep"), std::to_string(fromPod.error).c_str());
    }

    void servicesWithoutEndpointsAreRejectedAtOnce() {
        const auto before = m_proxy->stats().syncs;
        auto empty = m_client->create(client::resources::services().in("default"),
                                      service("empty", "NodePort"));
        QVERIFY(empty.ok());
        QVERIFY(programmedAfter(before));
        const std::string ip = (*empty)["spec"].value("clusterIP", "");
        for (const auto* from : {m_node.get(), m_pod.get()}) {
            const auto got = fetch(netnsPath(*from), ip, 80);
            QCOMPARE(got.error, ECONNREFUSED);
            QVERIFY(got.took < std::chrono::milliseconds(1000));
        }
        const auto nodePort =
            fetch(netnsPath(*m_pod), kNodeIp, (*empty)["spec"]["ports"][0].value("nodePort", 0));
        QCOMPARE(nodePort.error, ECONNREFUSED);
    }

    void loadBalancersAreServedOnTheNodeAddress() {
        auto lb = m_client->create(client::resources::services().in("default"),
                                   service("lb", "LoadBalancer"));
        QVERIFY(lb.ok());
        QVERIFY(
            m_client->create(slices(), slice("lb", json::array({endpoint("10.244.0.12", true)})))
                .ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_client->get(client::resources::services().in("default").named("lb"))
                    ->value("/status/loadBalancer/ingress/0/ip"_json_pointer, std::string()) ==
                kNodeIp,
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(fetch(netnsPath(*m_pod), kNodeIp, 80).reply, std::string("ep2"),
                                  10000);
        // A second LoadBalancer on the same port gets the address too, but the first keeps
        // the node's port 80 and nothing fails.
        const auto failures = m_proxy->stats().failures;
        QVERIFY(m_client
                    ->create(client::resources::services().in("default"),
                             service("lb2", "LoadBalancer"))
                    .ok());
        QVERIFY(
            m_client->create(slices(), slice("lb2", json::array({endpoint("10.244.0.13", true)})))
                .ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_client->get(client::resources::services().in("default").named("lb2"))
                    ->value("/status/loadBalancer/ingress/0/ip"_json_pointer, std::string()) ==
                kNodeIp,
            10000);
        QVERIFY(m_proxy->waitForIdle(std::chrono::seconds(10)));
        const auto seen = spread(netnsPath(*m_pod), kNodeIp, 80, 10);
        QCOMPARE(seen.size(), std::size_t(1));
        QCOMPARE(seen.begin()->first, std::string("ep2"));
        QCOMPARE(m_proxy->stats().failures, failures);
    }

    void clientIpAffinityKeepsAClientOnOneEndpoint() {
        const auto before = m_proxy->stats().syncs;
        json sticky = service("sticky", "ClusterIP");
        sticky["spec"]["sessionAffinity"] = "ClientIP";
        auto created = m_client->create(client::resources::services().in("default"), sticky);
        QVERIFY(created.ok());
        QVERIFY(
            m_client
                ->create(slices(), slice("sticky", json::array({endpoint("10.244.0.11", true),
                                                                endpoint("10.244.0.12", true),
                                                                endpoint("10.244.0.13", true)})))
                .ok());
        QVERIFY(programmedAfter(before));
        const std::string ip = (*created)["spec"].value("clusterIP", "");
        QTRY_VERIFY_WITH_TIMEOUT(fetch(netnsPath(*m_pod), ip, 80).reply.starts_with("ep"), 5000);
        const auto seen = spread(netnsPath(*m_pod), ip, 80, 20);
        QCOMPARE(seen.size(), std::size_t(1));
        QVERIFY(seen.begin()->first.starts_with("ep"));
    }

    void localPolicyKeepsExternalClientsOnThisNode() {
        const auto before = m_proxy->stats().syncs;
        json local = service("local", "NodePort");
        local["spec"]["externalTrafficPolicy"] = "Local";
        auto created = m_client->create(client::resources::services().in("default"), local);
        QVERIFY(created.ok());
        json endpoints = json::array({endpoint("10.244.0.11", true), endpoint("10.244.0.12", true),
                                      endpoint("10.244.0.13", true)});
        endpoints[1]["nodeName"] = "node-b";  // elsewhere: external clients never get it
        endpoints[2]["nodeName"] = "node-b";
        QVERIFY(m_client->create(slices(), slice("local", endpoints)).ok());
        QVERIFY(programmedAfter(before));
        const int nodePort = (*created)["spec"]["ports"][0].value("nodePort", 0);
        const auto outside = spread(netnsPath(*m_outside), kNodeIp, nodePort, 20);
        QCOMPARE(outside.size(), std::size_t(1));
        QCOMPARE(outside.begin()->first, std::string("ep1"));
        // Pods use every endpoint (kube-proxy's cluster CIDR short-circuit).
        QCOMPARE(spread(netnsPath(*m_pod), kNodeIp, nodePort, 45).size(), std::size_t(3));
    }

    void healthCheckNodePortSaysWhetherThisNodeHasEndpoints() {
        json checked = service("checked", "LoadBalancer");
        checked["spec"]["externalTrafficPolicy"] = "Local";
        checked["spec"]["healthCheckNodePort"] = 32100;
        checked["spec"]["ports"][0]["port"] = 8081;  // port 80 belongs to the lb above
        QVERIFY(m_client->create(client::resources::services().in("default"), checked).ok());
        auto before = m_proxy->stats().syncs;
        QVERIFY(
            m_client
                ->create(slices(), slice("checked", json::array({endpoint("10.244.0.11", true)})))
                .ok());
        QVERIFY(programmedAfter(before));
        // A load balancer outside the node asks.
        QTRY_VERIFY_WITH_TIMEOUT(
            httpGet(netnsPath(*m_outside), kNodeIp, 32100).starts_with("HTTP/1.1 200"), 5000);
        const std::string healthy = httpGet(netnsPath(*m_outside), kNodeIp, 32100);
        const auto body = json::parse(healthy.substr(healthy.find("\r\n\r\n") + 4));
        QCOMPARE(body.value("localEndpoints", -1), 1);
        QCOMPARE(body["service"].value("name", ""), std::string("checked"));

        // The endpoint moves to another node: this node must not get the traffic.
        json elsewhere = slice("checked", json::array({endpoint("10.244.0.11", true)}));
        elsewhere["endpoints"][0]["nodeName"] = "node-b";
        before = m_proxy->stats().syncs;
        QVERIFY(m_client->update(slices().named("checked-1"), elsewhere).ok());
        QVERIFY(programmedAfter(before));
        QTRY_VERIFY_WITH_TIMEOUT(httpGet(netnsPath(*m_outside), kNodeIp, 32100)
                                     .starts_with("HTTP/1.1 503 Service Unavailable"),
                                 5000);

        // Not a Local LoadBalancer any more: nothing listens.
        QVERIFY(
            m_client->remove(client::resources::services().in("default").named("checked")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(httpGet(netnsPath(*m_outside), kNodeIp, 32100).empty(), 5000);
    }

    void udpFlowsToARemovedEndpointAreDeleted() {
        // UDP has no end of a connection: without kube-proxy's conntrack cleanup, a client that
        // keeps sending from one port keeps being translated to the endpoint it first got, even
        // after that endpoint left the Service (here it still answers, so it would show).
        json udp = service("dns", "ClusterIP");
        udp["spec"]["ports"] = json::array(
            {{{"name", "dns"}, {"port", 53}, {"targetPort", 8080}, {"protocol", "UDP"}}});
        auto created = m_client->create(client::resources::services().in("default"), udp);
        QVERIFY(created.ok());
        const std::string ip = (*created)["spec"].value("clusterIP", "");
        const auto udpSlice = [](const json& endpoints) {
            json object = slice("dns", endpoints);
            object["ports"] = json::array({{{"name", "dns"}, {"port", 8080}, {"protocol", "UDP"}}});
            return object;
        };
        auto before = m_proxy->stats().syncs;
        QVERIFY(m_client->create(slices(), udpSlice(json::array({endpoint("10.244.0.11", true)})))
                    .ok());
        QVERIFY(programmedAfter(before));
        UdpClient client(netnsPath(*m_pod));
        QVERIFY(client.ok());
        QTRY_COMPARE_WITH_TIMEOUT(client.ask(ip, 53), std::string("ep1"), 5000);

        before = m_proxy->stats().syncs;
        json moved = udpSlice(json::array({endpoint("10.244.0.12", true)}));
        QVERIFY(m_client->update(slices().named("dns-1"), moved).ok());
        QVERIFY(programmedAfter(before));
        // The same socket, so the same flow: answered by the endpoint that is left.
        QCOMPARE(client.ask(ip, 53), std::string("ep2"));
        QCOMPARE(client.ask(ip, 53), std::string("ep2"));
    }

    void aDeletedServiceStopsBeingServed() {
        const auto before = m_proxy->stats().syncs;
        QVERIFY(m_client->remove(client::resources::services().in("default").named("web")).ok());
        QVERIFY(programmedAfter(before));
        const auto got = fetch(netnsPath(*m_pod), m_webIp, 80);
        QVERIFY(got.error != 0);
        QString table;
        m_node->exec(QStringLiteral("nft list table ip slipway-proxy"), &table);
        QVERIFY(!table.contains(QStringLiteral("default/web/")));
        QVERIFY(table.contains(QStringLiteral("default/lb/")));
    }

    void rulesRemovedByHandComeBackAtTheNextFullResync() {
        // A proxy of its own with a short period (the fixture's keeps kube-proxy's hour).
        m_proxy.reset();
        proxy::ProxyOptions options;
        options.nodeName = "node-a";
        options.rules.nodeIps = {kNodeIp};
        options.networkNamespace = netnsPath(*m_node);
        options.fullResyncInterval = std::chrono::milliseconds(500);
        m_proxy = std::make_unique<proxy::ServiceProxy>(*m_client, options);
        m_proxy->start();
        QVERIFY(m_proxy->waitForSync(std::chrono::seconds(10)));
        const auto fullBefore = m_proxy->stats().fullSyncs;
        QCOMPARE(m_node->exec(QStringLiteral("nft delete table ip slipway-proxy")), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy->stats().fullSyncs > fullBefore, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QString table;
                return m_node->exec(QStringLiteral("nft list table ip slipway-proxy"), &table) ==
                           0 &&
                       table.contains(QStringLiteral("default/lb/"));
            }(),
            10000);
        // And the rules serve again: the load balancer answers on the node address.
        QTRY_VERIFY_WITH_TIMEOUT(fetch(netnsPath(*m_pod), kNodeIp, 80).reply.starts_with("ep"),
                                 10000);
    }
};

QTEST_GUILESS_MAIN(TstServiceProxy)
#include "tst_service_proxy.moc"
