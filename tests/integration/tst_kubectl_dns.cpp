// SPDX-License-Identifier: Apache-2.0
// The cluster DNS inside a real slipwayd: Services made with the real kubectl resolve over
// UDP on 127.0.0.1, headless Services list their simulated pods' IPs, kube-dns publishes
// itself, and other names go to a fake upstream the test runs.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "../unit/dns/dns_test_client.h"
#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
namespace t = slipway::testing::dns;

namespace {

/// A port free on 127.0.0.1 now for both UDP and TCP, since the server listens on both. The
/// kernel's pick of a UDP port can be a TCP port in use at the same moment (an ephemeral port
/// of some client's connection on a busy machine), and then the server cannot start.
std::uint16_t freeUdpAndTcpPort() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int udp = socket(AF_INET, SOCK_DGRAM, 0);
        auto address = t::loopback(0);
        bind(udp, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        getsockname(udp, reinterpret_cast<sockaddr*>(&address), &length);
        const int tcp = socket(AF_INET, SOCK_STREAM, 0);
        const bool both =
            bind(tcp, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
        close(tcp);
        close(udp);
        if (both) {
            return ntohs(address.sin_port);
        }
    }
    return 0;
}

std::vector<std::string> addressesOf(std::uint16_t port, const std::string& name) {
    const auto answer = t::askUdp(port, name, LDNS_RR_TYPE_A);
    return answer ? t::answers(answer.get(), LDNS_RR_TYPE_A) : std::vector<std::string>{};
}

}  // namespace

class TstKubectlDns : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};
    t::FakeUpstream m_upstream;
    std::uint16_t m_port = 0;

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        m_upstream.add("example.com.", {"192.0.2.10"});
        m_port = freeUdpAndTcpPort();
        QVERIFY(m_port != 0);
        const auto listen = QStringLiteral("127.0.0.1:%1").arg(m_port);
        const auto upstream = QStringLiteral("127.0.0.1:%1").arg(m_upstream.port());
        QVERIFY(m_server.start(QStringList{QStringLiteral("--cluster-dns-listen"), listen,
                                           QStringLiteral("--cluster-dns-upstream"), upstream} +
                               args({"--sim-nodes", "1", "--sim-start-delay", "100ms",
                                     "--sim-ready-delay", "200ms"})));
    }

    void servicesResolve() {
        auto created = kubectl(args({"create", "service", "clusterip", "api", "--tcp=80:8080",
                                     "--clusterip=10.96.100.100"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QTRY_COMPARE_WITH_TIMEOUT(addressesOf(m_port, "api.default.svc.cluster.local."),
                                  std::vector<std::string>{"10.96.100.100"}, 10000);
        const auto missing = t::askUdp(m_port, "nope.default.svc.cluster.local.", LDNS_RR_TYPE_A);
        QVERIFY(missing);
        QCOMPARE(ldns_pkt_get_rcode(missing.get()), LDNS_RCODE_NXDOMAIN);
    }

    void headlessServiceListsReadyPods() {
        auto created =
            kubectl(args({"create", "deployment", "web", "--image=nginx", "--replicas=2"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        auto exposed =
            kubectl(args({"expose", "deployment", "web", "--port=80", "--cluster-ip=None"}));
        QVERIFY2(exposed.exitCode == 0, qPrintable(exposed.err));
        QTRY_COMPARE_WITH_TIMEOUT(addressesOf(m_port, "web.default.svc.cluster.local.").size(),
                                  std::size_t{2}, 20000);
        const auto pods = kubectl.getJson(args({"get", "pods", "-l", "app=web"}));
        std::vector<std::string> ips;
        for (const auto& pod : pods.at("items")) {
            ips.push_back(pod.at("status").at("podIP").get<std::string>());
        }
        std::sort(ips.begin(), ips.end());
        QCOMPARE(addressesOf(m_port, "web.default.svc.cluster.local."), ips);
    }

    void kubeDnsIsPublished() {
        const auto service =
            kubectl.getJson(args({"get", "service", "-n", "kube-system", "kube-dns"}));
        QCOMPARE(service.at("spec").at("clusterIP"), json("10.96.0.10"));
        QCOMPARE(service.at("metadata").at("labels").at("k8s-app"), json("kube-dns"));
        const auto endpoints =
            kubectl.getJson(args({"get", "endpoints", "-n", "kube-system", "kube-dns"}));
        QCOMPARE(endpoints.at("subsets")[0].at("addresses")[0].at("ip"), json("127.0.0.1"));
        QCOMPARE(endpoints.at("subsets")[0].at("ports")[0].at("port"), json(m_port));
    }

    void otherNamesAreForwarded() {
        QCOMPARE(addressesOf(m_port, "example.com."), std::vector<std::string>{"192.0.2.10"});
        QCOMPARE(m_upstream.queries(), 1);
    }
};

QTEST_GUILESS_MAIN(TstKubectlDns)
#include "tst_kubectl_dns.moc"
