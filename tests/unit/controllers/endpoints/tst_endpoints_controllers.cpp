// SPDX-License-Identifier: Apache-2.0
// The Endpoints and EndpointSlice controllers against an in-process API server; the test plays
// the kubelet, setting pod IPs and readiness through the status subresource.
#include <QtTest>

#include "engine/controllers/endpoints/endpoints_controller.h"
#include "engine/controllers/endpointslice/endpoint_slice_controller.h"

#include "../controller_test_support.h"

using namespace slipway;
using nlohmann::json;

namespace {

client::ResourceRef slicesRef() {
    return {"discovery.k8s.io", "v1", "endpointslices"};
}

json service(const std::string& name, const json& targetPort, bool headless = false) {
    json spec = {
        {"selector", {{"app", name}}},
        {"ports",
         json::array(
             {{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", targetPort}}})}};
    if (headless) {
        spec["clusterIP"] = "None";
    }
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"team", "a"}}}}},
            {"spec", spec}};
}

}  // namespace

class TstEndpointsControllers : public QObject {
    Q_OBJECT

    std::unique_ptr<testing::ControllerHarness> m_harness;
    std::unique_ptr<controllers::EndpointsController> m_endpoints;
    std::unique_ptr<controllers::EndpointSliceController> m_slices;

    const client::Client& api() { return *m_harness->client; }

    std::optional<json> endpoints(const std::string& name) {
        auto got = api().get(client::resources::endpoints().in("default").named(name));
        if (!got) {
            return std::nullopt;
        }
        return *got;
    }
    std::vector<json> slices(const std::string& service) {
        client::ListOptions options;
        options.labelSelector = "kubernetes.io/service-name=" + service;
        auto listed = api().list(slicesRef().in("default"), options);
        return listed ? listed->items : std::vector<json>{};
    }
    static std::size_t count(const json& object, const char* field) {
        std::size_t n = 0;
        for (const json& subset : object.value("subsets", json::array())) {
            n += subset.value(field, json::array()).size();
        }
        return n;
    }
    static std::size_t readyCount(const std::vector<json>& slices, bool ready) {
        std::size_t n = 0;
        for (const json& slice : slices) {
            for (const json& endpoint : slice.value("endpoints", json::array())) {
                if (endpoint.value("/conditions/ready"_json_pointer, false) == ready) {
                    ++n;
                }
            }
        }
        return n;
    }
    void createReadyPods(const std::string& app, int n, int firstIp = 1,
                         const std::string& nodeName = {}) {
        for (int i = 0; i < n; ++i) {
            json pod = testing::podJson("default", app + "-" + std::to_string(i), {{"app", app}});
            if (!nodeName.empty()) {
                pod["spec"]["nodeName"] = nodeName;
            }
            auto created = api().create(client::resources::pods().in("default"), pod);
            QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
            auto updated = testing::setPodStatus(api(), *created, "Running",
                                                 "10.0." + std::to_string((firstIp + i) / 250) +
                                                     "." + std::to_string((firstIp + i) % 250 + 1),
                                                 true);
            QVERIFY2(updated.ok(), updated ? "" : updated.error().message().c_str());
        }
    }

private slots:
    void init() {
        m_harness = std::make_unique<testing::ControllerHarness>();
        QVERIFY2(m_harness->server->error().empty(), m_harness->server->error().c_str());
        m_endpoints = std::make_unique<controllers::EndpointsController>(*m_harness->context);
        m_slices = std::make_unique<controllers::EndpointSliceController>(*m_harness->context);
        QVERIFY(m_harness->start());
        m_endpoints->run(2);
        m_slices->run(2);
    }
    void cleanup() {
        m_harness->informers->stop();  // no handler may run into a destroyed controller
        m_endpoints.reset();
        m_slices.reset();
        m_harness.reset();
    }

    void threeReadyPodsAndANamedTargetPort() {
        QVERIFY(
            api().create(client::resources::services().in("default"), service("web", "http")).ok());
        createReadyPods("web", 3);

        QTRY_VERIFY_WITH_TIMEOUT(endpoints("web") && count(*endpoints("web"), "addresses") == 3,
                                 10000);
        const json ep = *endpoints("web");
        QCOMPARE(ep["subsets"].size(), 1u);
        const json& subset = ep["subsets"][0];
        QCOMPARE(subset["ports"],
                 json::parse("[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]"));
        QCOMPARE(subset["addresses"][0]["ip"], json("10.0.0.2"));
        QCOMPARE(subset["addresses"][0]["targetRef"]["kind"], json("Pod"));
        QCOMPARE(subset["addresses"][0]["targetRef"]["name"], json("web-0"));
        QVERIFY(!subset.contains("notReadyAddresses"));
        QCOMPARE(ep["metadata"]["labels"]["team"], json("a"));
        QVERIFY(ep["metadata"]["annotations"].contains(
            "endpoints.kubernetes.io/last-change-trigger-time"));

        QTRY_VERIFY_WITH_TIMEOUT(slices("web").size() == 1 && readyCount(slices("web"), true) == 3,
                                 10000);
        const json slice = slices("web")[0];
        QCOMPARE(slice["addressType"], json("IPv4"));
        QCOMPARE(slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"],
                 json("endpointslice-controller.k8s.io"));
        QCOMPARE(slice["metadata"]["generateName"], json("web-"));
        QCOMPARE(slice["metadata"]["ownerReferences"][0]["kind"], json("Service"));
        QCOMPARE(slice["metadata"]["ownerReferences"][0]["controller"], json(true));
        QCOMPARE(slice["ports"][0]["port"], json(8080));
        QCOMPARE(slice["ports"][0]["name"], json("http"));
        const json& endpoint = slice["endpoints"][0];
        QCOMPARE(endpoint["conditions"],
                 json::parse("{\"ready\":true,\"serving\":true,\"terminating\":false}"));
        QCOMPARE(endpoint["targetRef"]["kind"], json("Pod"));

        // Nothing changed: nothing is rewritten.
        const std::string endpointsVersion = endpoints("web")->at("metadata").at("resourceVersion");
        const std::string sliceVersion = slices("web")[0]["metadata"]["resourceVersion"];
        auto pod = api().get(client::resources::pods().in("default").named("web-1"));
        QVERIFY(pod.ok());
        (*pod)["metadata"]["annotations"]["touched"] = "yes";
        QVERIFY(api().update(client::resources::pods().in("default").named("web-1"), *pod).ok());
        QTest::qWait(500);
        QCOMPARE(endpoints("web")->at("metadata").at("resourceVersion").get<std::string>(),
                 endpointsVersion);
        QCOMPARE(slices("web")[0]["metadata"]["resourceVersion"].get<std::string>(), sliceVersion);
    }

    void notReadyPodMoves() {
        QVERIFY(
            api().create(client::resources::services().in("default"), service("api", 9090)).ok());
        createReadyPods("api", 3);
        QTRY_VERIFY_WITH_TIMEOUT(endpoints("api") && count(*endpoints("api"), "addresses") == 3,
                                 10000);
        QCOMPARE(endpoints("api")->at("subsets")[0]["ports"][0]["port"], json(9090));

        auto pod = api().get(client::resources::pods().in("default").named("api-1"));
        QVERIFY(pod.ok());
        QVERIFY(
            testing::setPodStatus(api(), *pod, "Running", (*pod)["status"]["podIP"], false).ok());
        QTRY_VERIFY_WITH_TIMEOUT(count(*endpoints("api"), "addresses") == 2 &&
                                     count(*endpoints("api"), "notReadyAddresses") == 1,
                                 10000);
        QCOMPARE(endpoints("api")->at("subsets")[0]["notReadyAddresses"][0]["targetRef"]["name"],
                 json("api-1"));
        QTRY_VERIFY_WITH_TIMEOUT(readyCount(slices("api"), false) == 1, 10000);
        for (const json& endpoint : slices("api")[0]["endpoints"]) {
            if (endpoint["targetRef"]["name"] == "api-1") {
                QCOMPARE(endpoint["conditions"]["serving"], json(false));
            }
        }

        // A pod without an IP is left out; a deleted one goes.
        QVERIFY(api()
                    .create(client::resources::pods().in("default"),
                            testing::podJson("default", "api-noip", {{"app", "api"}}))
                    .ok());
        QVERIFY(api().remove(client::resources::pods().in("default").named("api-0")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(count(*endpoints("api"), "addresses") == 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(readyCount(slices("api"), true) == 1, 10000);
    }

    void publishNotReadyHeadlessAndZones() {
        const json node = {
            {"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             {{"name", "n1"}, {"labels", {{"topology.kubernetes.io/zone", "zone-a"}}}}}};
        QVERIFY(api().create(client::resources::nodes(), node).ok());
        json headless = service("db", "http", true);
        headless["spec"]["publishNotReadyAddresses"] = true;
        QVERIFY(api().create(client::resources::services().in("default"), headless).ok());
        createReadyPods("db", 2, 50, "n1");
        auto pod = api().get(client::resources::pods().in("default").named("db-0"));
        QVERIFY(
            testing::setPodStatus(api(), *pod, "Running", (*pod)["status"]["podIP"], false).ok());

        // Published though not ready.
        QTRY_VERIFY_WITH_TIMEOUT(endpoints("db") && count(*endpoints("db"), "addresses") == 2,
                                 10000);
        const json ep = *endpoints("db");
        QCOMPARE(ep["metadata"]["labels"]["service.kubernetes.io/headless"], json(""));
        QCOMPARE(ep["subsets"][0]["addresses"][0]["nodeName"], json("n1"));
        QTRY_VERIFY_WITH_TIMEOUT(readyCount(slices("db"), true) == 2, 10000);
        const json slice = slices("db")[0];
        QCOMPARE(slice["metadata"]["labels"]["service.kubernetes.io/headless"], json(""));
        for (const json& endpoint : slice["endpoints"]) {
            QCOMPARE(endpoint["zone"], json("zone-a"));
            QCOMPARE(endpoint["nodeName"], json("n1"));
        }
    }

    void manyPodsSpreadOverSlicesAndDeletedServiceLosesEndpoints() {
        QVERIFY(
            api().create(client::resources::services().in("default"), service("big", "http")).ok());
        createReadyPods("big", 150);
        QTRY_VERIFY_WITH_TIMEOUT(readyCount(slices("big"), true) == 150, 20000);
        const auto all = slices("big");
        QCOMPARE(all.size(), 2u);
        for (const json& slice : all) {
            QVERIFY(slice["endpoints"].size() <= 100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(endpoints("big") && count(*endpoints("big"), "addresses") == 150,
                                 20000);

        QVERIFY(api().remove(client::resources::services().in("default").named("big")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!endpoints("big"), 10000);
    }

    void serviceWithoutPodsHasAPlaceholderSlice() {
        QVERIFY(api()
                    .create(client::resources::services().in("default"), service("empty", "http"))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(slices("empty").size() == 1, 10000);
        QVERIFY(slices("empty")[0].value("endpoints", json::array()).empty());
        QTRY_VERIFY_WITH_TIMEOUT(endpoints("empty").has_value(), 10000);
        QVERIFY(!endpoints("empty")->contains("subsets"));
        createReadyPods("empty", 1, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            readyCount(slices("empty"), true) == 1 && slices("empty").size() == 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TstEndpointsControllers)
#include "tst_endpoints_controllers.moc"
