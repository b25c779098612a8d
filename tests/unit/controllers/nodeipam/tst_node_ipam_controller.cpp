// SPDX-License-Identifier: Apache-2.0
// The node IPAM controller hands every node a podCIDR of the cluster CIDR, through a real
// in-process API server.
#include <QtTest>

#include "engine/controllers/nodeipam/node_ipam_controller.h"

#include "../controller_test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

json nodeJson(const std::string& name, const std::string& podCidr = {}) {
    json node = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}};
    if (!podCidr.empty()) {
        node["spec"]["podCIDR"] = podCidr;
        node["spec"]["podCIDRs"] = json::array({podCidr});
    }
    return node;
}

}  // namespace

class TstNodeIpamController : public QObject {
    Q_OBJECT

    static std::string podCidrOf(const client::Client& client, const std::string& name) {
        auto node = client.get(client::resources::nodes().named(name));
        return node ? node->value("/spec/podCIDR"_json_pointer, std::string()) : std::string();
    }

private slots:
    void nodesGetTheLowestFreeBlocks() {
        testing::ControllerHarness harness;
        harness.context->options.clusterCidr = "10.244.0.0/16";
        const auto& api = *harness.client;
        // The server's own node brought 10.244.0.0/24 (--pod-cidr); a node outside the range
        // (a simulated one far away) takes nothing from it.
        QVERIFY(api.create(client::resources::nodes(), nodeJson("server", "10.244.0.0/24")).ok());
        QVERIFY(api.create(client::resources::nodes(), nodeJson("far", "10.250.7.0/24")).ok());
        controllers::NodeIpamController controller(*harness.context);
        QVERIFY(harness.start());
        controller.run(1);

        QVERIFY(api.create(client::resources::nodes(), nodeJson("a")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(podCidrOf(api, "a"), std::string("10.244.1.0/24"), 10000);
        QVERIFY(api.create(client::resources::nodes(), nodeJson("b")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(podCidrOf(api, "b"), std::string("10.244.2.0/24"), 10000);
        auto b = api.get(client::resources::nodes().named("b"));
        QCOMPARE((*b)["spec"]["podCIDRs"], json::array({"10.244.2.0/24"}));
        // What a node brought stays.
        QCOMPARE(podCidrOf(api, "server"), std::string("10.244.0.0/24"));
        QCOMPARE(podCidrOf(api, "far"), std::string("10.250.7.0/24"));

        // A deleted node's block is the next one handed out.
        QVERIFY(api.remove(client::resources::nodes().named("a")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!api.get(client::resources::nodes().named("a")).ok(), 10000);
        QVERIFY(api.create(client::resources::nodes(), nodeJson("c")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(podCidrOf(api, "c"), std::string("10.244.1.0/24"), 10000);
        controller.stop();
    }

    void aReservedBlockWaitsForItsNode() {
        // A VM agent may register before the server's own node, which brings 10.244.0.0/24:
        // that block is reserved, so the agent gets the next one.
        testing::ControllerHarness harness;
        harness.context->options.clusterCidr = "10.244.0.0/16";
        harness.context->options.reservedPodCidrs = {"10.244.0.0/24"};
        const auto& api = *harness.client;
        controllers::NodeIpamController controller(*harness.context);
        QVERIFY(harness.start());
        controller.run(1);
        QVERIFY(api.create(client::resources::nodes(), nodeJson("agent")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(podCidrOf(api, "agent"), std::string("10.244.1.0/24"), 10000);
        QVERIFY(api.create(client::resources::nodes(), nodeJson("server", "10.244.0.0/24")).ok());
        QVERIFY(api.create(client::resources::nodes(), nodeJson("agent-2")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(podCidrOf(api, "agent-2"), std::string("10.244.2.0/24"), 10000);
        controller.stop();
    }

    void exhaustionIsReportedAndNothingIsHandedOutTwice() {
        testing::ControllerHarness harness;
        // Two /24 blocks only.
        harness.context->options.clusterCidr = "10.9.0.0/23";
        const auto& api = *harness.client;
        controllers::NodeIpamController controller(*harness.context);
        QVERIFY(harness.start());
        controller.run(1);
        for (const std::string name : {"n1", "n2", "n3"}) {
            QVERIFY(api.create(client::resources::nodes(), nodeJson(name)).ok());
        }
        QTRY_VERIFY_WITH_TIMEOUT(!podCidrOf(api, "n1").empty() && !podCidrOf(api, "n2").empty(),
                                 10000);
        QVERIFY(podCidrOf(api, "n1") != podCidrOf(api, "n2"));
        const auto events = [&] {
            auto list = api.list(client::resources::events().in("default"));
            int count = 0;
            for (const auto& event : list ? list->items : std::vector<json>{}) {
                count += event.value("reason", "") == "CIDRNotAvailable" ? 1 : 0;
            }
            return count;
        };
        QTRY_VERIFY_WITH_TIMEOUT(events() >= 1, 10000);
        QVERIFY(podCidrOf(api, "n3").empty());
        controller.stop();
    }

    void offWithoutAClusterCidr() {
        testing::ControllerHarness harness;
        const auto& api = *harness.client;
        controllers::NodeIpamController controller(*harness.context);
        QVERIFY(harness.start());
        controller.run(1);
        QVERIFY(api.create(client::resources::nodes(), nodeJson("lonely")).ok());
        // Nothing to wait for: with no range the controller has no worker at all.
        controller.stop();
        QVERIFY(podCidrOf(api, "lonely").empty());
    }
};

QTEST_GUILESS_MAIN(TstNodeIpamController)
#include "tst_node_ipam_controller.moc"
