// SPDX-License-Identifier: Apache-2.0
// The pod network for real, inside network namespaces this test makes: one plays the node,
// two more play pod sandboxes.
#include <memory>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/network/netlink.h"
#include "engine/agent/network/pod_network.h"

#include "tests/support/netns.h"

using namespace slipway::agent::network;
using slipway::testing::NetworkNamespace;

namespace {

template <typename Fn>
void inNode(const NetworkNamespace& node, Fn&& fn) {
    auto ran = runInNetns(node.path().toStdString(), [&]() -> slipway::core::Result<void> {
        fn();
        return slipway::core::success();
    });
    QVERIFY2(ran.ok(), ran.ok() ? "" : ran.error().message().c_str());
}

}  // namespace

class TstPodNetwork : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!NetworkNamespace::available()) {
            QSKIP("makes network namespaces, links and nftables rules: needs root");
        }
    }

    void podsGetAddressesAndReachEachOther() {
        NetworkNamespace node, podA, podB;
        QVERIFY2(node.ok() && podA.ok() && podB.ok(), qPrintable(node.error()));
        QTemporaryDir state;
        PodNetworkOptions options;
        options.podCidr = "10.244.7.0/24";
        options.stateDir = state.path().toStdString();

        std::unique_ptr<PodNetwork> network;
        PodAttachment a, b;
        inNode(node, [&] {
            auto made = PodNetwork::setUp(options);
            QVERIFY2(made.ok(), made.ok() ? "" : made.error().message().c_str());
            network = std::move(*made);
            auto attachedA = network->attach("11111111-aaaa", podA.path().toStdString());
            auto attachedB = network->attach("22222222-bbbb", podB.path().toStdString());
            QVERIFY2(attachedA.ok(), attachedA.ok() ? "" : attachedA.error().message().c_str());
            QVERIFY2(attachedB.ok(), attachedB.ok() ? "" : attachedB.error().message().c_str());
            a = *attachedA;
            b = *attachedB;
            // Attaching again changes nothing.
            auto again = network->attach("11111111-aaaa", podA.path().toStdString());
            QVERIFY(again.ok());
            QCOMPARE(again->ip, a.ip);
        });
        QVERIFY(network);
        QCOMPARE(a.ip, std::string("10.244.7.2"));
        QCOMPARE(b.ip, std::string("10.244.7.3"));
        QCOMPARE(a.gateway, std::string("10.244.7.1"));
        QCOMPARE(a.hostInterface, std::string("veth11111111aaa"));

        // Inside the pod: eth0 holds the address and the default route goes via the gateway.
        QString out;
        QCOMPARE(podA.exec(QStringLiteral("ip -4 -o addr show dev eth0"), &out), 0);
        QVERIFY2(out.contains(QStringLiteral("10.244.7.2/24")), qPrintable(out));
        QCOMPARE(podA.exec(QStringLiteral("ip route show default"), &out), 0);
        QVERIFY2(out.contains(QStringLiteral("via 10.244.7.1 dev eth0")), qPrintable(out));
        QCOMPARE(node.exec(QStringLiteral("cat /sys/class/net/veth11111111aaa/brport/hairpin_mode"),
                           &out),
                 0);
        QCOMPARE(out.trimmed(), QStringLiteral("1"));
        // Pod to pod across the bridge, and pod to the node's gateway.
        QCOMPARE(podA.exec(QStringLiteral("busybox ping -c 1 -W 3 10.244.7.3")), 0);
        QCOMPARE(podB.exec(QStringLiteral("busybox ping -c 1 -W 3 10.244.7.1")), 0);
        // The node: bridge up with the gateway, forwarding on, masquerade for leaving traffic.
        QCOMPARE(node.exec(QStringLiteral("ip -4 -o addr show dev slipway0"), &out), 0);
        QVERIFY2(out.contains(QStringLiteral("10.244.7.1/24")), qPrintable(out));
        QCOMPARE(node.exec(QStringLiteral("cat /proc/sys/net/ipv4/ip_forward"), &out), 0);
        QCOMPARE(out.trimmed(), QStringLiteral("1"));
        QCOMPARE(node.exec(QStringLiteral("nft list table ip slipway-podnet"), &out), 0);
        QVERIFY2(out.contains(QStringLiteral(
                     "ip saddr 10.244.0.0/16 ip daddr != 10.244.0.0/16 oifname != \"slipway0\" "
                     "masquerade")),
                 qPrintable(out));

        // Detach: the link goes and the address is free again.
        inNode(node, [&] {
            QVERIFY(network->detach("22222222-bbbb").ok());
            QVERIFY(network->detach("22222222-bbbb").ok());  // twice is fine
            QVERIFY(!network->addressOf("22222222-bbbb"));
            Netlink netlink;
            QVERIFY(!netlink.linkIndex(b.hostInterface));
        });
        QVERIFY(podA.exec(QStringLiteral("busybox ping -c 1 -W 1 10.244.7.3")) != 0);

        // An agent restart: setUp again adopts the bridge, and pod A keeps its address.
        inNode(node, [&] {
            auto again = PodNetwork::setUp(options);
            QVERIFY(again.ok());
            QCOMPARE(*(*again)->addressOf("11111111-aaaa"), std::string("10.244.7.2"));
            (*again)->releaseUnless([](const std::string& id) { return id == "11111111-aaaa"; });
            QVERIFY((*again)->addressOf("11111111-aaaa").has_value());
            (*again)->releaseUnless([](const std::string&) { return false; });
            QVERIFY(!(*again)->addressOf("11111111-aaaa"));
            // Tear down: no bridge, no table.
            QVERIFY(PodNetwork::tearDown(options).ok());
            Netlink netlink;
            QVERIFY(!netlink.linkIndex("slipway0"));
        });
        QVERIFY(node.exec(QStringLiteral("nft list table ip slipway-podnet 2>/dev/null")) != 0);
    }

    void refusesBadRanges() {
        PodNetworkOptions options;
        options.podCidr = "10.244.0.0";
        const auto made = PodNetwork::setUp(options);
        QVERIFY(!made.ok());
        QVERIFY2(made.error().message().find("pod CIDR") != std::string::npos,
                 made.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstPodNetwork)
#include "tst_pod_network.moc"
