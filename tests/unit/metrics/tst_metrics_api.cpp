// SPDX-License-Identifier: Apache-2.0
// metrics.k8s.io/v1beta1 served by the API server from simulated usage: discovery, NodeMetrics
// and PodMetrics, selectors, the annotation chain Pod → ReplicaSet → Deployment.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/metrics/metrics_api.h"
#include "engine/metrics/simulated_metrics_source.h"

#include "../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kPodMetrics("metrics.k8s.io", "v1beta1", "pods");
const client::ResourceRef kNodeMetrics("metrics.k8s.io", "v1beta1", "nodes");

json pod(const std::string& name, const json& labels, const json& annotations,
         std::vector<std::string> containers, const json& owner = json()) {
    json list = json::array();
    for (const auto& container : containers) {
        list.push_back({{"name", container}, {"image", "nginx"}});
    }
    json object = {{"apiVersion", "v1"},
                   {"kind", "Pod"},
                   {"metadata",
                    {{"name", name},
                     {"namespace", "default"},
                     {"labels", labels},
                     {"annotations", annotations}}},
                   {"spec", {{"nodeName", "sim-1"}, {"containers", list}}}};
    if (!owner.is_null()) {
        object["metadata"]["ownerReferences"] = json::array({owner});
    }
    return object;
}

}  // namespace

class TstMetricsApi : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<metrics::SimulatedMetricsSource> m_source;
    std::unique_ptr<metrics::MetricsApi> m_api;

    bool running(const json& object) {
        auto created = m_client->create(client::resources::pods().in("default"), object);
        if (!created) {
            qWarning("%s", created.error().message().c_str());
            return false;
        }
        json status = *created;
        status["status"] = {{"phase", "Running"}};
        return m_client->updateStatus(client::resources::pods().in("default"), status).ok();
    }

    json podMetrics(const std::string& name) {
        auto object = m_client->get(kPodMetrics.in("default").named(name));
        return object ? *object : json();
    }

private slots:
    void initTestCase() {
        m_server = std::make_unique<testing::TestServer>(m_dir.path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        QVERIFY(metrics::MetricsApi::registerKinds(m_server->registry()).ok());
        QVERIFY(!metrics::MetricsApi::registerKinds(m_server->registry()).ok());
        m_client = m_server->directClient();
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        m_source = std::make_unique<metrics::SimulatedMetricsSource>(*m_informers);
        m_api = std::make_unique<metrics::MetricsApi>(*m_source);
        m_api->registerWith(m_server->mutableRouter());
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(10)));
    }

    void cleanupTestCase() {
        m_informers.reset();
        m_api.reset();
        m_source.reset();
        m_client.reset();
        m_server.reset();
    }

    void discoveryListsTheGroup() {
        auto groups = m_client->send(client::Request("GET", "/apis"));
        QVERIFY(groups.ok());
        QVERIFY(groups->body.find("\"metrics.k8s.io\"") != std::string::npos);
        auto resources = m_client->send(client::Request("GET", "/apis/metrics.k8s.io/v1beta1"));
        QVERIFY(resources.ok());
        const json document = json::parse(resources->body);
        QCOMPARE(document["resources"].size(), std::size_t{2});
        for (const auto& resource : document["resources"]) {
            QCOMPARE(resource["verbs"], json::array({"get", "list"}));
        }
    }

    void podUsageFromAnnotationsAndControllers() {
        const json node = {
            {"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "sim-1"}}}};
        QVERIFY(m_client->create(client::resources::nodes(), node).ok());

        // Its own annotation, split over two containers.
        QVERIFY(running(
            pod("own", {{"app", "own"}},
                {{"sim.slipway.dev/cpu-usage", "500m"}, {"sim.slipway.dev/memory-usage", "64Mi"}},
                {"web", "side"})));
        // None anywhere: the default.
        QVERIFY(running(pod("plain", {{"app", "plain"}}, json::object(), {"web"})));

        // From the Deployment, through its ReplicaSet.
        json deployment = {
            {"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata",
             {{"name", "web"}, {"annotations", {{"sim.slipway.dev/cpu-usage", "250m"}}}}},
            {"spec",
             {{"selector", {{"matchLabels", {{"app", "web"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "web"}}}}},
                {"spec",
                 {{"containers", json::array({{{"name", "web"}, {"image", "nginx"}}})}}}}}}}};
        auto createdDeployment =
            m_client->create(client::resources::deployments().in("default"), deployment);
        QVERIFY(createdDeployment.ok());
        json replicaSet = {
            {"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata",
             {{"name", "web-1"},
              {"ownerReferences", json::array({{{"apiVersion", "apps/v1"},
                                                {"kind", "Deployment"},
                                                {"name", "web"},
                                                {"uid", (*createdDeployment)["metadata"]["uid"]},
                                                {"controller", true}}})}}},
            {"spec",
             {{"selector", deployment["spec"]["selector"]},
              {"template", deployment["spec"]["template"]}}}};
        auto createdSet =
            m_client->create(client::resources::replicaSets().in("default"), replicaSet);
        QVERIFY(createdSet.ok());
        QVERIFY(running(pod("web-1-a", {{"app", "web"}}, json::object(), {"web"},
                            {{"apiVersion", "apps/v1"},
                             {"kind", "ReplicaSet"},
                             {"name", "web-1"},
                             {"uid", (*createdSet)["metadata"]["uid"]},
                             {"controller", true}})));
        // Pending pods have no usage.
        QVERIFY(m_client
                    ->create(client::resources::pods().in("default"),
                             pod("waiting", {{"app", "web"}}, json::object(), {"web"}))
                    .ok());

        QTRY_VERIFY_WITH_TIMEOUT(!podMetrics("web-1-a").is_null(), 5000);
        json own = podMetrics("own");
        QCOMPARE(own["kind"], json("PodMetrics"));
        QCOMPARE(own["apiVersion"], json("metrics.k8s.io/v1beta1"));
        QCOMPARE(own["window"], json("10s"));
        QCOMPARE(own["metadata"]["labels"]["app"], json("own"));
        QCOMPARE(own["containers"].size(), std::size_t{2});
        QCOMPARE(own["containers"][0]["usage"]["cpu"], json("250m"));
        QCOMPARE(own["containers"][1]["usage"]["memory"], json("32Mi"));
        QCOMPARE(podMetrics("plain")["containers"][0]["usage"],
                 json({{"cpu", "1m"}, {"memory", "8Mi"}}));
        QCOMPARE(podMetrics("web-1-a")["containers"][0]["usage"]["cpu"], json("250m"));

        // Annotating the Deployment changes the usage of its pods at once.
        QVERIFY(m_client
                    ->patch(client::resources::deployments().in("default").named("web"),
                            client::PatchType::Merge,
                            {{"metadata", {{"annotations", {{"sim.slipway.dev/cpu-usage", "2"}}}}}})
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(podMetrics("web-1-a")["containers"][0]["usage"]["cpu"], json("2"),
                                  5000);

        // Lists, by namespace and label selector; the pending pod is not there.
        client::ListOptions byLabel;
        byLabel.labelSelector = "app=web";
        auto web = m_client->list(kPodMetrics.in("default"), byLabel);
        QVERIFY(web.ok());
        QCOMPARE(web->items.size(), std::size_t{1});
        auto all = m_client->list(kPodMetrics);
        QVERIFY(all.ok());
        QCOMPARE(all->items.size(), std::size_t{3});
        auto none = m_client->list(kPodMetrics.in("kube-system"));
        QVERIFY(none.ok());
        QVERIFY(none->items.empty());
        auto missing = m_client->get(kPodMetrics.in("default").named("waiting"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
        QCOMPARE(missing.error().message(),
                 std::string("podmetrics.metrics.k8s.io \"default/waiting\" not found"));

        // The node: its base (50m, 128Mi) plus its pods (500m + 1m + 2, 64Mi + 8Mi + 8Mi).
        auto node1 = m_client->get(kNodeMetrics.named("sim-1"));
        QVERIFY(node1.ok());
        QCOMPARE((*node1)["usage"]["cpu"], json("2551m"));
        QCOMPARE((*node1)["usage"]["memory"], json("208Mi"));
        auto nodes = m_client->list(kNodeMetrics);
        QVERIFY(nodes.ok());
        QCOMPARE(nodes->items.size(), std::size_t{1});
        QVERIFY(!m_client->get(kNodeMetrics.named("nope")).ok());
    }

    void readOnly() {
        auto created = m_client->create(kPodMetrics.in("default"), {{"metadata", {{"name", "x"}}}});
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code(), core::ErrorCode::MethodNotAllowed);
        auto watched = m_client->send(client::Request(
            "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?watch=true"));
        QVERIFY(watched.ok());
        QCOMPARE(watched->status, 405);
    }

    void tables() {
        client::Request request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods");
        request.accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        auto answer = m_client->send(request);
        QVERIFY(answer.ok());
        const json table = json::parse(answer->body);
        QCOMPARE(table["kind"], json("Table"));
        QCOMPARE(table["columnDefinitions"][1]["name"], json("CPU"));
        QCOMPARE(table["rows"].size(), std::size_t{3});
        QCOMPARE(table["rows"][0]["cells"][0], json("own"));
        QCOMPARE(table["rows"][0]["cells"][1], json("500m"));
    }
};

QTEST_GUILESS_MAIN(TstMetricsApi)
#include "tst_metrics_api.moc"
