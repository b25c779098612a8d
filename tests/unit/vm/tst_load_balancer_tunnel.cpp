// SPDX-License-Identifier: Apache-2.0
// `slipway tunnel`'s LoadBalancerTunnel against an in-process API server, with a recording
// HostForwarder in place of QEMU's monitor (libvirt's test:/// driver has none; the libvirt
// side is tst_libvirt_driver's, and tests/vm/tst_vm_cluster runs the whole tunnel on a VM).
#include <algorithm>
#include <map>
#include <mutex>

#include <QTemporaryDir>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/core/atomic_file.h"
#include "vm/load_balancer_tunnel.h"
#include "vm/local_process_driver.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kIngresses("networking.k8s.io", "v1", "ingresses", "default");

/// QEMU's forwards as the tunnel leaves them: host port → node port.
class RecordingForwarder {
public:
    vm::HostForwarder forwarder() {
        return {[this](std::uint16_t host, std::uint16_t node) -> core::Result<void> {
                    const std::lock_guard lock(m_mutex);
                    if (m_forwards.count(host) != 0) {
                        return core::Error(core::ErrorCode::Network, "already forwarded");
                    }
                    m_forwards[host] = node;
                    return core::success();
                },
                [this](std::uint16_t host) -> core::Result<void> {
                    const std::lock_guard lock(m_mutex);
                    m_forwards.erase(host);
                    m_removed.push_back(host);
                    return core::success();
                }};
    }
    std::map<std::uint16_t, std::uint16_t> forwards() const {
        const std::lock_guard lock(m_mutex);
        return m_forwards;
    }
    std::vector<std::uint16_t> removed() const {
        const std::lock_guard lock(m_mutex);
        return m_removed;
    }

private:
    mutable std::mutex m_mutex;
    std::map<std::uint16_t, std::uint16_t> m_forwards;
    std::vector<std::uint16_t> m_removed;
};

/// Holds 127.0.0.1:`port` as another program would.
class PortHolder {
public:
    explicit PortHolder(std::uint16_t port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_ok = ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
               ::listen(m_fd, 1) == 0;
    }
    ~PortHolder() { ::close(m_fd); }
    bool ok() const { return m_ok; }

private:
    int m_fd = -1;
    bool m_ok = false;
};

json loadBalancer(const std::string& name, const json& ports) {
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"type", "LoadBalancer"}, {"selector", {{"app", name}}}, {"ports", ports}}}};
}

json ingress(const std::string& name, const std::string& className) {
    json object = {
        {"apiVersion", "networking.k8s.io/v1"},
        {"kind", "Ingress"},
        {"metadata", {{"name", name}, {"namespace", "default"}}},
        {"spec",
         {{"defaultBackend", {{"service", {{"name", "web"}, {"port", {{"number", 80}}}}}}}}}};
    if (!className.empty()) {
        object["spec"]["ingressClassName"] = className;
    }
    return object;
}

}  // namespace

class TstLoadBalancerTunnel : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<RecordingForwarder> m_forwarder;
    std::mutex m_eventsMutex;
    std::vector<vm::TunnelEvent> m_events;

    std::filesystem::path stateFile() const {
        return std::filesystem::path(m_dir->path().toStdString()) / "tunnel.json";
    }

    std::unique_ptr<vm::LoadBalancerTunnel> tunnel(std::uint16_t ingressHttp = 0,
                                                   std::uint16_t ingressHttps = 0) {
        vm::LoadBalancerTunnelOptions options;
        options.ingressHttpPort = ingressHttp;
        options.ingressHttpsPort = ingressHttps;
        options.privilegedPorts = false;
        options.stateFile = stateFile();
        return std::make_unique<vm::LoadBalancerTunnel>(
            *m_client, m_forwarder->forwarder(),
            [this](const vm::TunnelEvent& event) {
                const std::lock_guard lock(m_eventsMutex);
                m_events.push_back(event);
            },
            options);
    }

    json service(const std::string& name) {
        auto got = m_client->get(client::resources::services().in("default").named(name));
        return got ? *got : json();
    }

    json loadBalancerIngress(const json& object) {
        return object.value("/status/loadBalancer/ingress"_json_pointer, json::array());
    }

    int eventsOf(vm::TunnelEvent::Kind kind, const std::string& name) {
        const std::lock_guard lock(m_eventsMutex);
        return static_cast<int>(std::count_if(m_events.begin(), m_events.end(), [&](auto& e) {
            return e.kind == kind && e.name == name;
        }));
    }

    int nodePortOf(const std::string& name, std::size_t index = 0) {
        return service(name).value("/spec/ports"_json_pointer, json::array())[index].value(
            "nodePort", 0);
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QDir(m_dir->path()).mkpath("server");
        m_server = std::make_unique<testing::TestServer>((m_dir->path() + "/server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
        m_forwarder = std::make_unique<RecordingForwarder>();
        const std::lock_guard lock(m_eventsMutex);
        m_events.clear();
    }

    void cleanup() {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void exposesLoadBalancersAndCleansUp() {
        // A port nothing holds: the tunnel takes it as the host port.
        const auto free = vm::pickFreeLoopbackPort();
        QVERIFY(free.ok());
        QVERIFY(
            m_client
                ->create(client::resources::services().in("default"),
                         loadBalancer("web", json::array({{{"name", "http"}, {"port", *free}}})))
                .ok());
        const int nodePort = nodePortOf("web");
        QVERIFY(nodePort >= 30000);

        auto lb = tunnel();
        QVERIFY(lb->start().ok());
        QTRY_COMPARE(m_forwarder->forwards(), (std::map<std::uint16_t, std::uint16_t>{
                                                  {*free, static_cast<std::uint16_t>(nodePort)}}));
        QTRY_COMPARE(loadBalancerIngress(service("web")),
                     json::array({{{"ip", "127.0.0.1"}, {"ipMode", "Proxy"}}}));
        QTRY_COMPARE(eventsOf(vm::TunnelEvent::Kind::Exposed, "web"), 1);
        const auto exposed = lb->exposed();
        QCOMPARE(exposed.size(), std::size_t(1));
        QCOMPARE(exposed[0].ports[0].hostPort, *free);
        QVERIFY(exposed[0].ports[0].reason.empty());
        // The held ports are on record for a tunnel that would follow a killed one.
        const auto state = json::parse(*core::readFile(stateFile()));
        QCOMPARE(state["hostPorts"], json::array({*free}));

        // A second tunnel for the same cluster is refused.
        auto second = tunnel();
        const auto refused = second->start();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Unavailable);

        lb->stop();
        QVERIFY(m_forwarder->forwards().empty());
        QCOMPARE(loadBalancerIngress(service("web")), json::array());
        QCOMPARE(eventsOf(vm::TunnelEvent::Kind::Withdrawn, "web"), 1);
        QVERIFY(!std::filesystem::exists(stateFile()));
        lb->stop();  // idempotent
        QCOMPARE(eventsOf(vm::TunnelEvent::Kind::Withdrawn, "web"), 1);
    }

    void takenAndPrivilegedPortsGetFreeOnes() {
        const auto free = vm::pickFreeLoopbackPort();
        QVERIFY(free.ok());
        const PortHolder holder(*free);
        QVERIFY(holder.ok());
        QVERIFY(
            m_client
                ->create(
                    client::resources::services().in("default"),
                    loadBalancer(
                        "web", json::array({{{"name", "http"}, {"port", 80}},
                                            {{"name", "alt"}, {"port", *free}},
                                            {{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}}})))
                .ok());
        auto lb = tunnel();
        QVERIFY(lb->start().ok());
        QTRY_COMPARE(eventsOf(vm::TunnelEvent::Kind::Exposed, "web"), 1);
        const auto exposed = lb->exposed();
        QCOMPARE(exposed.size(), std::size_t(1));
        const auto& ports = exposed[0].ports;
        QCOMPARE(ports.size(), std::size_t(2));  // UDP is not forwarded
        QCOMPARE(ports[0].port, 80);
        QVERIFY(ports[0].hostPort >= 1024);
        QCOMPARE(ports[0].reason, std::string("below 1024 and not root"));
        QCOMPARE(ports[1].port, int(*free));
        QVERIFY(ports[1].hostPort != *free);
        QCOMPARE(ports[1].reason, std::string("in use on the host"));
        QCOMPARE(m_forwarder->forwards().size(), std::size_t(2));
        QCOMPARE(m_forwarder->forwards().at(ports[0].hostPort),
                 static_cast<std::uint16_t>(nodePortOf("web", 0)));
    }

    void followsServicesThatChangeOrGo() {
        const auto free = vm::pickFreeLoopbackPort();
        QVERIFY(free.ok());
        for (const char* name : {"web", "api"}) {
            QVERIFY(m_client
                        ->create(client::resources::services().in("default"),
                                 loadBalancer(name, json::array({{{"port", *free}}})))
                        .ok());
        }
        auto lb = tunnel();
        QVERIFY(lb->start().ok());
        QTRY_COMPARE(m_forwarder->forwards().size(), std::size_t(2));
        // Two Services asking for one port: the second gets another.
        QTRY_COMPARE(lb->exposed().size(), std::size_t(2));

        // web stops being a LoadBalancer: its forward and address go.
        json web = service("web");
        web["spec"]["type"] = "ClusterIP";
        web["spec"]["ports"][0].erase("nodePort");
        QVERIFY(
            m_client->update(client::resources::services().in("default").named("web"), web).ok());
        QTRY_COMPARE(eventsOf(vm::TunnelEvent::Kind::Withdrawn, "web"), 1);
        QTRY_COMPARE(loadBalancerIngress(service("web")), json::array());
        QCOMPARE(m_forwarder->forwards().size(), std::size_t(1));

        // A new one comes while the tunnel runs; api is deleted.
        QVERIFY(m_client
                    ->create(client::resources::services().in("default"),
                             loadBalancer("late", json::array({{{"port", 8443}}})))
                    .ok());
        QTRY_COMPARE(loadBalancerIngress(service("late")),
                     json::array({{{"ip", "127.0.0.1"}, {"ipMode", "Proxy"}}}));
        QVERIFY(m_client->remove(client::resources::services().in("default").named("api")).ok());
        QTRY_COMPARE(eventsOf(vm::TunnelEvent::Kind::Withdrawn, "api"), 1);
        QTRY_COMPARE(m_forwarder->forwards().size(), std::size_t(1));
        QCOMPARE(m_forwarder->forwards().begin()->second,
                 static_cast<std::uint16_t>(nodePortOf("late")));

        lb->stop();
        QVERIFY(m_forwarder->forwards().empty());
        QCOMPARE(loadBalancerIngress(service("late")), json::array());
    }

    void ingressPortsAndStatus() {
        QVERIFY(m_client->create(kIngresses, ingress("site", "")).ok());
        QVERIFY(m_client->create(kIngresses, ingress("other", "nginx")).ok());
        auto lb = tunnel(80, 443);
        QVERIFY(lb->start().ok());
        // Not root: free host ports, forwarded to the node's 80 and 443.
        const auto exposed = lb->exposed();
        QCOMPARE(exposed.size(), std::size_t(1));
        QCOMPARE(exposed[0].kindName, std::string("Ingress"));
        QCOMPARE(exposed[0].ports.size(), std::size_t(2));
        QCOMPARE(exposed[0].ports[0].nodePort, std::uint16_t(80));
        QCOMPARE(exposed[0].ports[1].nodePort, std::uint16_t(443));
        QCOMPARE(m_forwarder->forwards().at(exposed[0].ports[0].hostPort), std::uint16_t(80));
        QCOMPARE(m_forwarder->forwards().at(exposed[0].ports[1].hostPort), std::uint16_t(443));

        const auto ingressStatus = [this](const std::string& name) {
            auto got = m_client->get(kIngresses.named(name));
            return got ? loadBalancerIngress(*got) : json();
        };
        QTRY_COMPARE(ingressStatus("site"), json::array({{{"ip", "127.0.0.1"}}}));
        QCOMPARE(eventsOf(vm::TunnelEvent::Kind::Exposed, "site"), 1);
        QCOMPARE(ingressStatus("other"), json::array());  // another controller's

        lb->stop();
        QCOMPARE(ingressStatus("site"), json::array());
        QVERIFY(m_forwarder->forwards().empty());
    }

    void forwardsOfAKilledTunnelAreRemoved() {
        QVERIFY(core::writeFileAtomically(stateFile(), R"({"pid": 1, "hostPorts": [41234]})").ok());
        auto lb = tunnel();
        QVERIFY(lb->start().ok());
        QCOMPARE(m_forwarder->removed(), std::vector<std::uint16_t>{41234});
        lb->stop();
    }
};

QTEST_GUILESS_MAIN(TstLoadBalancerTunnel)
#include "tst_load_balancer_tunnel.moc"
