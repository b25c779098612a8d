// SPDX-License-Identifier: Apache-2.0
// The HorizontalPodAutoscaler controller against an in-process API server serving the
// resource metrics API from simulated usage. There is no Deployment controller here: the
// test plays it and the kubelet, creating Running pods for the Deployment's replicas.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/podautoscaler/horizontal_controller.h"
#include "engine/core/timestamp.h"
#include "engine/metrics/metrics_api.h"
#include "engine/metrics/simulated_metrics_source.h"

#include "../../client/test_server.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kHpas("autoscaling", "v2", "horizontalpodautoscalers");

json deployment(const std::string& name, int replicas) {
    json container = {{"name", "web"},
                      {"image", "nginx"},
                      {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "64Mi"}}}}}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", name}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", name}}}}},
                {"spec", {{"containers", json::array({container})}}}}}}}};
}

}  // namespace

class TstHorizontalController : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::unique_ptr<metrics::SimulatedMetricsSource> m_source;
    std::unique_ptr<metrics::MetricsApi> m_metricsApi;
    std::unique_ptr<controllers::HorizontalController> m_controller;
    int m_podSequence = 0;

    /// The kubelet's and the ReplicaSet controller's part: as many Running, Ready pods of
    /// `name`'s ReplicaSet as the Deployment's spec.replicas (newest deleted first).
    bool reconcilePods(const std::string& name, const json& replicaSet) {
        auto current = m_client->get(client::resources::deployments().in("default").named(name));
        if (!current) {
            return false;
        }
        const int want = current->at("spec").value("replicas", 0);
        client::ListOptions options;
        options.labelSelector = "app=" + name;
        auto pods = m_client->list(client::resources::pods().in("default"), options);
        if (!pods) {
            return false;
        }
        int have = static_cast<int>(pods->items.size());
        const std::string anHourAgo =
            core::formatTimestamp(std::chrono::system_clock::now() - std::chrono::hours(1));
        while (have < want) {
            json pod = replicaSet["spec"]["template"];
            pod["apiVersion"] = "v1";
            pod["kind"] = "Pod";
            pod["metadata"]["name"] = name + "-" + std::to_string(m_podSequence++);
            pod["metadata"]["namespace"] = "default";
            pod["metadata"]["ownerReferences"] =
                json::array({{{"apiVersion", "apps/v1"},
                              {"kind", "ReplicaSet"},
                              {"name", replicaSet["metadata"]["name"]},
                              {"uid", replicaSet["metadata"]["uid"]},
                              {"controller", true}}});
            pod["spec"]["nodeName"] = "sim-1";
            auto created = m_client->create(client::resources::pods().in("default"), pod);
            if (!created) {
                return false;
            }
            json status = *created;
            status["status"] = {{"phase", "Running"},
                                {"startTime", anHourAgo},
                                {"conditions", json::array({{{"type", "Ready"},
                                                             {"status", "True"},
                                                             {"lastTransitionTime", anHourAgo}}})}};
            if (!m_client->updateStatus(client::resources::pods().in("default"), status)) {
                return false;
            }
            ++have;
        }
        for (auto it = pods->items.rbegin(); have > want && it != pods->items.rend(); ++it) {
            const std::string podName = (*it)["metadata"]["name"];
            client::DeleteOptions now;
            now.gracePeriodSeconds = 0;
            if (!m_client->remove(client::resources::pods().in("default").named(podName), now)) {
                return false;
            }
            --have;
        }
        return true;
    }

    int specReplicas(const std::string& name) {
        auto object = m_client->get(client::resources::deployments().in("default").named(name));
        return object ? object->at("spec").value("replicas", -1) : -1;
    }

    json hpa(const std::string& name) {
        auto object = m_client->get(kHpas.in("default").named(name));
        return object ? *object : json();
    }

    json condition(const json& object, const std::string& type) {
        if (!object.is_object()) {
            return json::object();
        }
        for (const auto& item :
             object.value("status", json::object()).value("conditions", json::array())) {
            if (item.value("type", "") == type) {
                return item;
            }
        }
        return json::object();
    }

    /// Reason → messages of the HPA's events.
    std::multimap<std::string, std::string> events(const std::string& name) {
        client::ListOptions options;
        options.fieldSelector = "involvedObject.name=" + name;
        std::multimap<std::string, std::string> found;
        if (auto list = m_client->list(client::resources::events().in("default"), options)) {
            for (const auto& event : list->items) {
                found.emplace(event.value("reason", ""), event.value("message", ""));
            }
        }
        return found;
    }

    bool hasEvent(const std::string& name, const std::string& reason, const std::string& message) {
        const auto all = events(name);
        const auto [first, last] = all.equal_range(reason);
        return std::any_of(first, last, [&](const auto& item) { return item.second == message; });
    }

    void annotate(const std::string& name, const std::string& cpu) {
        const json patch = {
            {"metadata",
             {{"annotations", {{metrics::SimulatedMetricsSource::kCpuUsageAnnotation, cpu}}}}}};
        QVERIFY(m_client
                    ->patch(client::resources::deployments().in("default").named(name),
                            client::PatchType::Merge, patch)
                    .ok());
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<testing::TestServer>(m_dir->path().toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        QVERIFY(metrics::MetricsApi::registerKinds(m_server->registry()).ok());
        m_client = m_server->directClient();
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        m_source = std::make_unique<metrics::SimulatedMetricsSource>(*m_informers);
        m_metricsApi = std::make_unique<metrics::MetricsApi>(*m_source);
        m_metricsApi->registerWith(m_server->mutableRouter());
        controllers::HorizontalControllerOptions options;
        options.syncPeriod = std::chrono::seconds(1);
        options.downscaleStabilizationWindow = std::chrono::seconds(2);
        m_controller = std::make_unique<controllers::HorizontalController>(
            controllers::ControllerContext{*m_client, *m_informers}, options);
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(10)));
        m_controller->run(1);

        const json node = {
            {"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "sim-1"}}}};
        QVERIFY(m_client->create(client::resources::nodes(), node).ok());
    }

    void cleanup() {
        if (m_informers) {
            m_informers->stop();  // no handler may run into a destroyed controller
        }
        if (m_controller) {
            m_controller->stop();
        }
        m_controller.reset();
        m_informers.reset();
        m_metricsApi.reset();
        m_source.reset();
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void scalesUpOnHighUsageAndDownAfterTheWindow() {
        auto web =
            m_client->create(client::resources::deployments().in("default"), deployment("web", 2));
        QVERIFY(web.ok());
        json replicaSet = {{"apiVersion", "apps/v1"},
                           {"kind", "ReplicaSet"},
                           {"metadata",
                            {{"name", "web-5d8f"},
                             {"namespace", "default"},
                             {"labels", {{"app", "web"}}},
                             {"ownerReferences", json::array({{{"apiVersion", "apps/v1"},
                                                               {"kind", "Deployment"},
                                                               {"name", "web"},
                                                               {"uid", (*web)["metadata"]["uid"]},
                                                               {"controller", true}}})}}},
                           {"spec",
                            {{"replicas", 2},
                             {"selector", {{"matchLabels", {{"app", "web"}}}}},
                             {"template", (*web)["spec"]["template"]}}}};
        auto createdSet =
            m_client->create(client::resources::replicaSets().in("default"), replicaSet);
        QVERIFY(createdSet.ok());
        replicaSet = *createdSet;
        QVERIFY(reconcilePods("web", replicaSet));
        // 90m of 100m requested: 90% against a 50% target.
        annotate("web", "90m");

        // Scale down after 2 s of lower recommendations; at most 4, at least 2 replicas.
        const json autoscaler = {
            {"apiVersion", "autoscaling/v2"},
            {"kind", "HorizontalPodAutoscaler"},
            {"metadata", {{"name", "web"}, {"namespace", "default"}}},
            {"spec",
             {{"scaleTargetRef",
               {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}},
              {"minReplicas", 2},
              {"maxReplicas", 4},
              {"metrics",
               json::array(
                   {{{"type", "Resource"},
                     {"resource",
                      {{"name", "cpu"},
                       {"target", {{"type", "Utilization"}, {"averageUtilization", 50}}}}}}})},
              {"behavior", {{"scaleDown", {{"stabilizationWindowSeconds", 2}}}}}}}};
        QVERIFY(m_client->create(kHpas.in("default"), autoscaler).ok());

        // ceil(2 × 90/50) = 4.
        QTRY_COMPARE_WITH_TIMEOUT(specReplicas("web"), 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            hasEvent("web", "SuccessfulRescale",
                     "New size: 4; reason: cpu resource utilization (percentage of request) above "
                     "target"),
            5000);
        QVERIFY(reconcilePods("web", replicaSet));
        // With 4 pods at 90% it would want 8: held at maxReplicas.
        QTRY_COMPARE_WITH_TIMEOUT(condition(hpa("web"), "ScalingLimited").value("reason", ""),
                                  std::string("TooManyReplicas"), 10000);
        json status = hpa("web")["status"];
        QCOMPARE(status.value("currentReplicas", 0), 4);
        QCOMPARE(status.value("desiredReplicas", 0), 4);
        QVERIFY(status.contains("lastScaleTime"));
        QCOMPARE(status["currentMetrics"][0]["resource"]["current"]["averageUtilization"],
                 json(90));
        QCOMPARE(status["currentMetrics"][0]["resource"]["current"]["averageValue"], json("90m"));
        QCOMPARE(condition(hpa("web"), "ScalingLimited").value("status", ""), std::string("True"));
        QCOMPARE(condition(hpa("web"), "ScalingActive").value("reason", ""),
                 std::string("ValidMetricFound"));
        QCOMPARE(condition(hpa("web"), "AbleToScale").value("status", ""), std::string("True"));

        // Load drops to 20%: ceil(4 × 0.4) = 2, once 2 s of higher recommendations are past.
        annotate("web", "20m");
        // Held at 4 while recommendations of 4 are in the window.
        QTRY_COMPARE_WITH_TIMEOUT(condition(hpa("web"), "AbleToScale").value("reason", ""),
                                  std::string("ScaleDownStabilized"), 10000);
        QCOMPARE(specReplicas("web"), 4);
        QTRY_VERIFY_WITH_TIMEOUT(hpa("web")["status"]["currentMetrics"][0]["resource"]["current"]
                                           ["averageUtilization"] == json(20),
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(specReplicas("web"), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            hasEvent("web", "SuccessfulRescale", "New size: 2; reason: All metrics below target"),
            5000);
        QVERIFY(reconcilePods("web", replicaSet));
        // At minReplicas now: 20% would want 1.
        QTRY_COMPARE_WITH_TIMEOUT(condition(hpa("web"), "ScalingLimited").value("reason", ""),
                                  std::string("TooFewReplicas"), 10000);
        QCOMPARE(hpa("web")["status"].value("currentReplicas", 0), 2);
        QCOMPARE(condition(hpa("web"), "AbleToScale").value("reason", ""),
                 std::string("ReadyForNewScale"));
    }

    void reportsMissingMetrics() {
        // A target whose pods do not run: no metrics to scale on.
        QVERIFY(
            m_client->create(client::resources::deployments().in("default"), deployment("idle", 1))
                .ok());
        const json autoscaler = {
            {"apiVersion", "autoscaling/v1"},
            {"kind", "HorizontalPodAutoscaler"},
            {"metadata", {{"name", "idle"}, {"namespace", "default"}}},
            {"spec",
             {{"scaleTargetRef",
               {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "idle"}}},
              {"maxReplicas", 3},
              {"targetCPUUtilizationPercentage", 50}}}};
        QVERIFY(m_client
                    ->create(client::ResourceRef("autoscaling", "v1", "horizontalpodautoscalers")
                                 .in("default"),
                             autoscaler)
                    .ok());
        const std::string inner =
            "failed to get cpu utilization: unable to get metrics for "
            "resource cpu: no metrics returned from resource metrics API";
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent("idle", "FailedGetResourceMetric", inner), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            hasEvent("idle", "FailedComputeMetricsReplicas",
                     "invalid metrics (1 invalid out of 1), first error is: failed to get cpu "
                     "resource metric value: " +
                         inner),
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(condition(hpa("idle"), "ScalingActive").value("reason", ""),
                                  std::string("FailedGetResourceMetric"), 10000);
        const json active = condition(hpa("idle"), "ScalingActive");
        QCOMPARE(active.value("status", ""), std::string("False"));
        QCOMPARE(active.value("message", ""),
                 "the HPA was unable to compute the replica count: " + inner);
        QCOMPARE(condition(hpa("idle"), "AbleToScale").value("reason", ""),
                 std::string("SucceededGetScale"));
        QCOMPARE(hpa("idle")["status"].value("currentReplicas", -1), 1);
        QCOMPARE(specReplicas("idle"), 1);
    }

    void reportsAMissingTarget() {
        const json autoscaler = {
            {"apiVersion", "autoscaling/v2"},
            {"kind", "HorizontalPodAutoscaler"},
            {"metadata", {{"name", "ghost"}, {"namespace", "default"}}},
            {"spec",
             {{"scaleTargetRef",
               {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "ghost"}}},
              {"maxReplicas", 3}}}};
        QVERIFY(m_client->create(kHpas.in("default"), autoscaler).ok());
        QTRY_COMPARE_WITH_TIMEOUT(condition(hpa("ghost"), "AbleToScale").value("reason", ""),
                                  std::string("FailedGetScale"), 10000);
        QCOMPARE(condition(hpa("ghost"), "AbleToScale").value("status", ""), std::string("False"));
        QTRY_VERIFY_WITH_TIMEOUT(events("ghost").count("FailedGetScale") == 1, 5000);
    }
};

QTEST_GUILESS_MAIN(TstHorizontalController)
#include "tst_horizontal_controller.moc"
