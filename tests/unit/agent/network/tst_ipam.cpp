// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <thread>
#include <vector>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/network/ipam.h"

using namespace slipway::agent::network;

class TstIpam : public QObject {
    Q_OBJECT

private:
    static Ipv4Cidr range(const char* text) {
        auto parsed = Ipv4Cidr::parse(text);
        if (!parsed) {
            qFatal("%s", parsed.error().message().c_str());
        }
        return *parsed;
    }

private slots:
    void parsesCidrs() {
        const auto cidr = range("10.244.3.77/24");
        QCOMPARE(cidr.text(), std::string("10.244.3.0/24"));
        QCOMPARE(cidr.size(), std::uint64_t{256});
        QVERIFY(cidr.contains(*parseIpv4("10.244.3.255")));
        QVERIFY(!cidr.contains(*parseIpv4("10.244.4.0")));
        QCOMPARE(range("0.0.0.0/0").size(), std::uint64_t{1} << 32);
        for (const char* bad : {"10.244.0.0", "10.244.0.0/33", "10.244.0/24", "x/24", "1.2.3.4/"}) {
            QVERIFY2(!Ipv4Cidr::parse(bad).ok(), bad);
        }
    }

    void skipsNetworkGatewayAndBroadcastAndKeepsOwners() {
        QTemporaryDir dir;
        Ipam ipam(dir.path().toStdString(), range("10.244.0.0/29"));  // .0 - .7
        QCOMPARE(ipam.gateway(), std::string("10.244.0.1"));
        std::set<std::string> given;
        for (int i = 0; i < 5; ++i) {
            auto address = ipam.allocate("pod-" + std::to_string(i));
            QVERIFY2(address.ok(), address.ok() ? "" : address.error().message().c_str());
            given.insert(*address);
        }
        QCOMPARE(given, (std::set<std::string>{"10.244.0.2", "10.244.0.3", "10.244.0.4",
                                               "10.244.0.5", "10.244.0.6"}));
        // Full: a sixth owner is refused; an existing owner gets its own address again.
        const auto full = ipam.allocate("pod-5");
        QVERIFY(!full.ok());
        QVERIFY(full.error().message().find("no free pod address") != std::string::npos);
        QCOMPARE(*ipam.allocate("pod-3"), std::string("10.244.0.5"));
        QCOMPARE(*ipam.addressOf("pod-0"), std::string("10.244.0.2"));
    }

    void freedAddressesComeBackLastAndSurviveRestart() {
        QTemporaryDir dir;
        {
            Ipam ipam(dir.path().toStdString(), range("10.244.1.0/24"));
            QCOMPARE(*ipam.allocate("a"), std::string("10.244.1.2"));
            QCOMPARE(*ipam.allocate("b"), std::string("10.244.1.3"));
            ipam.release("a");
            QVERIFY(!ipam.addressOf("a"));
            // Not the freed .2: the search goes on after the last reserved address.
            QCOMPARE(*ipam.allocate("c"), std::string("10.244.1.4"));
        }
        // A new Ipam on the same folder (an agent restart) sees what is held.
        Ipam again(dir.path().toStdString(), range("10.244.1.0/24"));
        QCOMPARE(*again.addressOf("b"), std::string("10.244.1.3"));
        QCOMPARE(*again.allocate("d"), std::string("10.244.1.5"));
        QCOMPARE(again.allocations().size(), std::size_t{3});
    }

    void concurrentOwnersNeverShareAnAddress() {
        QTemporaryDir dir;
        Ipam ipam(dir.path().toStdString(), range("10.244.2.0/24"));
        std::vector<std::string> got(200);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = t; i < 200; i += 4) {
                    got[static_cast<std::size_t>(i)] =
                        ipam.allocate("p" + std::to_string(i)).value();
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        QCOMPARE(std::set<std::string>(got.begin(), got.end()).size(), std::size_t{200});
    }
};

QTEST_GUILESS_MAIN(TstIpam)
#include "tst_ipam.moc"
