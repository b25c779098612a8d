// SPDX-License-Identifier: Apache-2.0
// ClusterConnection feeding a TopologyModel from a real slipwayd with simulated nodes: what
// the topology shows as a Deployment is created, scaled and deleted.
#include <algorithm>
#include <memory>

#include <QSignalSpy>
#include <QThread>
#include <QThreadPool>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/pki/kubeconfig.h"
#include "gui/models/topology_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/kubeconfig_contexts.h"

#include "tests/integration/test_support.h"

using namespace slipway;
using gui::TopologyModel;
using gui::VertexKind;
using gui::VertexState;
using nlohmann::json;

namespace {

json deployment(const char* name, int replicas) {
    json container = {{"name", "web"}, {"image", "nginx:1.25"}};
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

client::DeleteOptions graceful(std::int64_t seconds) {
    client::DeleteOptions options;
    options.gracePeriodSeconds = seconds;
    return options;
}

}  // namespace

class TstClusterConnection : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    std::unique_ptr<client::HttpsClient> m_api;
    std::unique_ptr<gui::ClusterConnection> m_connection;
    std::unique_ptr<TopologyModel> m_model;

    QStringList podsOf(const QString& replicaSet) const { return m_model->targetsOf(replicaSet); }

    /// The only ReplicaSet the model shows for the Deployment, or empty.
    QString replicaSetOf(const QString& deploymentId) const {
        const QStringList owned = m_model->targetsOf(deploymentId);
        return owned.size() == 1 ? owned.constFirst() : QString();
    }

    int readyPodsOn(const QString& replicaSet) const {
        int ready = 0;
        for (const QString& id : podsOf(replicaSet)) {
            const auto* pod = m_model->vertex(id);
            ready += pod != nullptr && pod->state == VertexState::Ready ? 1 : 0;
        }
        return ready;
    }

    /// Asks for the pod's events and waits for the answer: does it hold the scheduler's?
    bool podHasScheduledEvent(const QString& nameSpace, const QString& name) {
        QSignalSpy fetched(m_connection.get(), &gui::ClusterConnection::objectEventsFetched);
        m_connection->fetchObjectEvents(QStringLiteral("request"), QStringLiteral("Pod"), nameSpace,
                                        name);
        if (!fetched.wait(5000)) {
            return false;
        }
        const auto events = fetched.constFirst().at(1).value<std::vector<nlohmann::json>>();
        return std::any_of(events.begin(), events.end(), [](const nlohmann::json& e) {
            return e.value("reason", "") == "Scheduled";
        });
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start(testing::args(
            {"--sim-nodes", "3", "--sim-start-delay", "100ms", "--sim-ready-delay", "300ms"})));
        m_api = m_server.apiClient();
    }

    void connectsAndSyncs() {
        m_model = std::make_unique<TopologyModel>();
        m_connection = std::make_unique<gui::ClusterConnection>(
            gui::ConnectionTarget{m_server.kubeconfigPath(), {}, QStringLiteral("test")});
        connect(m_connection.get(), &gui::ClusterConnection::eventsReceived, m_model.get(),
                &TopologyModel::applyEvents);
        QSignalSpy synced(m_connection.get(), &gui::ClusterConnection::synced);
        QSignalSpy batches(m_connection.get(), &gui::ClusterConnection::eventsReceived);
        const Qt::HANDLE guiThread = QThread::currentThreadId();
        Qt::HANDLE deliveredOn = nullptr;
        const auto probe =
            connect(m_connection.get(), &gui::ClusterConnection::eventsReceived, this,
                    [&deliveredOn] { deliveredOn = QThread::currentThreadId(); });
        m_connection->start();
        QVERIFY(synced.wait(30000));
        QCOMPARE(m_connection->state(), gui::ClusterConnection::State::Connected);
        QVERIFY(batches.count() >= 1);
        disconnect(probe);
        QCOMPARE(deliveredOn, guiThread);
        // Three simulated nodes, each a lane, in name order, and the default namespace.
        QTRY_COMPARE_WITH_TIMEOUT(m_model->verticesOfKind(VertexKind::Node).size(), 3, 15000);
        const auto nodes = m_model->verticesOfKind(VertexKind::Node);
        QCOMPARE(nodes[0]->name, QStringLiteral("sim-node-1"));
        QVERIFY(nodes[0]->position.y() < nodes[1]->position.y());
        QVERIFY(m_model->vertex(QStringLiteral("Namespace//default")) != nullptr);
        QVERIFY(m_model->allNamespaces().contains(QStringLiteral("kube-system")));
    }

    void unreachableServerIsAnError() {
        // A kubeconfig whose server refuses: an error, not silence.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        const auto saved =
            pki::Kubeconfig::forServer("gone", "http://127.0.0.1:1").save(path.toStdString());
        QVERIFY(saved.ok());
        gui::ClusterConnection connection(gui::ConnectionTarget{path, {}, {}});
        QSignalSpy failed(&connection, &gui::ClusterConnection::errorOccurred);
        connection.start();
        QVERIFY(failed.wait(15000));
        QCOMPARE(connection.state(), gui::ClusterConnection::State::Failed);
        QVERIFY(!failed.constFirst().constFirst().toString().isEmpty());
    }

    void listsKubeconfigContexts() {
        gui::KubeconfigContexts contexts;
        QSignalSpy listed(&contexts, &gui::KubeconfigContexts::listed);
        contexts.list(m_server.kubeconfigPath());
        QVERIFY(listed.wait(10000));
        const QStringList names = listed.constFirst().at(1).toStringList();
        QCOMPARE(names.size(), 1);
        QCOMPARE(listed.constFirst().at(2).toString(), names.constFirst());  // current-context

        QSignalSpy failed(&contexts, &gui::KubeconfigContexts::failed);
        contexts.list(m_server.kubeconfigPath() + QStringLiteral(".missing"));
        QVERIFY(failed.wait(10000));
    }

    void deploymentShowsReplicaSetAndReadyPods() {
        const auto created =
            m_api->create(client::resources::deployments().in("default"), deployment("web", 3));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message().c_str());
        const QString deploymentId = QStringLiteral("Deployment/default/web");
        QTRY_VERIFY_WITH_TIMEOUT(m_model->vertex(deploymentId) != nullptr, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!replicaSetOf(deploymentId).isEmpty(), 15000);
        const QString rs = replicaSetOf(deploymentId);
        QCOMPARE(m_model->vertex(rs)->kind, VertexKind::ReplicaSet);
        QTRY_COMPARE_WITH_TIMEOUT(podsOf(rs).size(), 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(readyPodsOn(rs), 3, 20000);
        for (const QString& id : podsOf(rs)) {
            const auto* pod = m_model->vertex(id);
            QCOMPARE(pod->status, QStringLiteral("Running"));
            QCOMPARE(pod->ready, QStringLiteral("1/1"));
            QCOMPARE(pod->color, gui::ColorRole::Healthy);
            // In its node's lane.
            QVERIFY(pod->nodeName.startsWith(QStringLiteral("sim-node-")));
            const auto* node = m_model->vertex(QStringLiteral("Node//") + pod->nodeName);
            QVERIFY(node != nullptr);
            QVERIFY2(node->rect().contains(pod->position), qPrintable(id));
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_model->vertex(deploymentId)->state, VertexState::Ready, 15000);
        QCOMPARE(m_model->vertex(deploymentId)->ready, QStringLiteral("3/3"));
        // The skeleton is left of the lanes, the Deployment left of its ReplicaSet.
        QVERIFY(m_model->vertex(rs)->position.x() < 0);
        QVERIFY(m_model->vertex(deploymentId)->position.x() < m_model->vertex(rs)->position.x());
    }

    void scaleUpShowsFivePods() {
        const auto scaled =
            m_api->patch(client::resources::deployments().in("default").named("web"),
                         client::PatchType::Merge, json{{"spec", {{"replicas", 5}}}});
        QVERIFY2(scaled.ok(), scaled.ok() ? "" : scaled.error().message().c_str());
        const QString rs = replicaSetOf(QStringLiteral("Deployment/default/web"));
        QTRY_COMPARE_WITH_TIMEOUT(podsOf(rs).size(), 5, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(readyPodsOn(rs), 5, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->vertex(QStringLiteral("Deployment/default/web"))->ready,
                                  QStringLiteral("5/5"), 15000);
    }

    void onePodChangingMovesNoOtherVertex() {
        const QString rs = replicaSetOf(QStringLiteral("Deployment/default/web"));
        QHash<QString, QPointF> before;
        for (const auto& v : m_model->vertices()) {
            before.insert(v.id, v.position);
        }
        const int layouts = m_model->skeletonLayoutCount();
        // A label on one pod: an update of that pod only.
        const QString victim = podsOf(rs).constFirst();
        const QString name = m_model->vertex(victim)->name;
        QSignalSpy changes(m_model.get(), &TopologyModel::topologyChanged);
        const auto labelled = m_api->patch(
            client::resources::pods().in("default").named(name.toStdString()),
            client::PatchType::Merge, json{{"metadata", {{"labels", {{"touched", "yes"}}}}}});
        QVERIFY(labelled.ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_model->vertex(victim)->labels.value(QStringLiteral("touched")),
                                  QStringLiteral("yes"), 10000);
        for (const auto& v : m_model->vertices()) {
            QVERIFY2(before.value(v.id) == v.position, qPrintable(v.id));
        }
        QCOMPARE(m_model->skeletonLayoutCount(), layouts);

        // Deleting a pod: the ReplicaSet replaces it; no other pod moves.
        const auto removed = m_api->remove(
            client::resources::pods().in("default").named(name.toStdString()), graceful(1));
        QVERIFY(removed.ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_model->vertex(victim) == nullptr, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(readyPodsOn(rs), 5, 20000);
        for (const auto& v : m_model->vertices()) {
            if (v.kind == VertexKind::Pod && v.id != victim && before.contains(v.id)) {
                QVERIFY2(before.value(v.id) == v.position, qPrintable(v.id));
            }
            if (v.kind == VertexKind::Deployment || v.kind == VertexKind::ReplicaSet ||
                v.kind == VertexKind::Namespace) {
                QVERIFY2(before.value(v.id) == v.position, qPrintable(v.id));
            }
        }
        QCOMPARE(m_model->skeletonLayoutCount(), layouts);
    }

    void deletingTheDeploymentRemovesEverything() {
        const QString rs = replicaSetOf(QStringLiteral("Deployment/default/web"));
        client::DeleteOptions options;
        options.propagationPolicy = client::PropagationPolicy::Background;
        const auto removed =
            m_api->remove(client::resources::deployments().in("default").named("web"), options);
        QVERIFY(removed.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_model->vertex(QStringLiteral("Deployment/default/web")) == nullptr, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_model->vertex(rs) == nullptr, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->verticesOfKind(VertexKind::Pod).size(), 0, 30000);
        QCOMPARE(m_model->verticesOfKind(VertexKind::Node).size(), 3);
    }

    void objectEventsAreFetched() {
        const auto created =
            m_api->create(client::resources::deployments().in("default"), deployment("events", 1));
        QVERIFY(created.ok());
        QTRY_VERIFY_WITH_TIMEOUT(!m_model->verticesOfKind(VertexKind::Pod).isEmpty(), 15000);
        // Copies: the model's vertices are replaced by every update.
        const QString nameSpace = m_model->verticesOfKind(VertexKind::Pod).constFirst()->nameSpace;
        const QString name = m_model->verticesOfKind(VertexKind::Pod).constFirst()->name;
        QTRY_VERIFY_WITH_TIMEOUT(podHasScheduledEvent(nameSpace, name), 20000);
    }

    void cleanupTestCase() {
        m_connection.reset();
        m_model.reset();
        m_api.reset();
        QThreadPool::globalInstance()->waitForDone(15000);
        QCOMPARE(m_server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstClusterConnection)
#include "tst_cluster_connection.moc"
