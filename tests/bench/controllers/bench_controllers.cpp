// SPDX-License-Identifier: Apache-2.0
// The ReplicaSet and Deployment controllers at scale, in-process: a 100-replica rolling
// update when pods become ready at once (issue 4: < 5 s), and a 10,000-replica Deployment
// until every pod is created.
#include <chrono>
#include <cstdio>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/client/shared_informers.h"
#include "engine/controllers/deployment/deployment_controller.h"
#include "engine/controllers/replicaset/replica_set_controller.h"

#include "../../unit/client/test_server.h"
#include "../../unit/controllers/deployment/test_kubelet.h"

using namespace slipway;
using nlohmann::json;

namespace {

const client::ResourceRef kDeployments = client::resources::deployments().in("default");

json deploymentOf(const std::string& name, std::int64_t replicas, const std::string& image) {
    return {
        {"apiVersion", "apps/v1"},
        {"kind", "Deployment"},
        {"metadata", {{"name", name}}},
        {"spec",
         {{"replicas", replicas},
          {"selector", {{"matchLabels", {{"app", name}}}}},
          {"template",
           {{"metadata", {{"labels", {{"app", name}}}}},
            {"spec", {{"containers", json::array({{{"name", "main"}, {"image", image}}})}}}}}}}};
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

class BenchControllers : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<testing::TestKubelet> m_kubelet;
    std::unique_ptr<client::SharedInformers> m_informers;
    std::vector<std::unique_ptr<controllers::Controller>> m_controllers;

    json get(const std::string& name) {
        auto found = m_client->get(kDeployments.named(name));
        return found ? *found : json();
    }

    bool complete(const std::string& name) {
        const json d = get(name);
        const auto replicas = d["spec"].value("replicas", 1LL);
        const json status = d.value("status", json::object());
        return status.value("observedGeneration", 0LL) >= d["metadata"].value("generation", 1LL) &&
               status.value("updatedReplicas", 0LL) == replicas &&
               status.value("replicas", 0LL) == replicas &&
               status.value("availableReplicas", 0LL) == replicas;
    }

    void start(bool withKubelet) {
        if (withKubelet) {
            m_kubelet =
                std::make_unique<testing::TestKubelet>(*m_client, std::chrono::milliseconds(0), 4);
        }
        m_informers = std::make_unique<client::SharedInformers>(*m_client);
        const controllers::ControllerContext context{*m_client, *m_informers};
        m_controllers.push_back(std::make_unique<controllers::ReplicaSetController>(context));
        m_controllers.push_back(std::make_unique<controllers::DeploymentController>(context));
        m_informers->start();
        QVERIFY(m_informers->waitForSync(std::chrono::seconds(10)));
        for (auto& controller : m_controllers) {
            controller->run(2);
        }
    }

private slots:
    void init() {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("server")));
        m_server = std::make_unique<testing::TestServer>(m_dir.filePath("server").toStdString());
        QVERIFY2(m_server->error().empty(), m_server->error().c_str());
        m_client = m_server->directClient();
    }

    void cleanup() {
        if (m_informers) {
            m_informers->stop();  // no handler may run into a destroyed controller
        }
        for (auto it = m_controllers.rbegin(); it != m_controllers.rend(); ++it) {
            (*it)->stop();
        }
        m_controllers.clear();
        m_informers.reset();
        m_kubelet.reset();
        m_client.reset();
        m_server.reset();
        QDir(m_dir.filePath("server")).removeRecursively();
    }

    void rollingUpdateOf100Replicas() {
        start(true);
        auto begin = std::chrono::steady_clock::now();
        QVERIFY(m_client->create(kDeployments, deploymentOf("hundred", 100, "nginx:1")));
        QTRY_VERIFY_WITH_TIMEOUT(complete("hundred"), 60000);
        std::printf("BENCH deployment 100 replicas created and available: %.2f s\n",
                    secondsSince(begin));

        const json patch = {
            {"spec",
             {{"template",
               {{"spec",
                 {{"containers", json::array({{{"name", "main"}, {"image", "nginx:2"}}})}}}}}}}};
        begin = std::chrono::steady_clock::now();
        QVERIFY(m_client->patch(kDeployments.named("hundred"), client::PatchType::StrategicMerge,
                                patch));
        QTRY_VERIFY_WITH_TIMEOUT(
            complete("hundred") && get("hundred")["metadata"]["generation"] == 2, 60000);
        const double seconds = secondsSince(begin);
        std::printf(
            "BENCH deployment 100-replica rolling update (25%%/25%%), pods ready at "
            "once: %.2f s (target < 5 s)\n",
            seconds);
        QVERIFY2(seconds < 5.0, std::to_string(seconds).c_str());
    }

    void tenThousandReplicasCreated() {
        start(false);
        const auto begin = std::chrono::steady_clock::now();
        QVERIFY(m_client->create(kDeployments, deploymentOf("big", 10000, "nginx")));
        QTRY_COMPARE_WITH_TIMEOUT(get("big").value("status", json::object()).value("replicas", 0LL),
                                  10000LL, 300000);
        std::printf(
            "BENCH deployment 10,000 replicas: all pods created (status.replicas) in "
            "%.2f s\n",
            secondsSince(begin));
        auto pods = m_client->list(client::resources::pods().in("default"));
        QVERIFY(pods);
        QCOMPARE(pods->items.size(), std::size_t(10000));
    }
};

QTEST_GUILESS_MAIN(BenchControllers)
#include "bench_controllers.moc"
