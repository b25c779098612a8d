// SPDX-License-Identifier: Apache-2.0
// TopologyModel from hand-made objects: kubectl's pod STATUS, the graph, the layout and its
// stability, filters and search.
#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "gui/models/object_details.h"
#include "gui/models/topology_model.h"

using namespace slipway::gui;
using nlohmann::json;

namespace {

json meta(const std::string& name, const std::string& nameSpace = "default") {
    json m = {{"name", name}, {"uid", "uid-" + name}};
    if (!nameSpace.empty()) {
        m["namespace"] = nameSpace;
    }
    return m;
}

ResourceEvent upsert(ResourceKind kind, json object) {
    return {ResourceEvent::Type::Added, kind, std::make_shared<const json>(std::move(object))};
}

ResourceEvent removal(ResourceKind kind, json object) {
    return {ResourceEvent::Type::Deleted, kind, std::make_shared<const json>(std::move(object))};
}

json ns(const std::string& name) {
    return {{"metadata", meta(name, "")}, {"status", {{"phase", "Active"}}}};
}

json node(const std::string& name) {
    return {{"metadata", meta(name, "")},
            {"status", {{"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

json deployment(const std::string& name, int replicas, int ready) {
    return {{"metadata", meta(name)},
            {"spec", {{"replicas", replicas}}},
            {"status",
             {{"replicas", replicas},
              {"readyReplicas", ready},
              {"updatedReplicas", replicas},
              {"availableReplicas", ready}}}};
}

json replicaSet(const std::string& name, const std::string& deployment, int replicas) {
    json m = meta(name);
    m["ownerReferences"] =
        json::array({{{"kind", "Deployment"}, {"name", deployment}, {"controller", true}}});
    return {{"metadata", m},
            {"spec", {{"replicas", replicas}}},
            {"status", {{"replicas", replicas}, {"readyReplicas", replicas}}}};
}

json readyPod(const std::string& name, const std::string& owner, const std::string& nodeName,
              const std::string& app = "web") {
    json m = meta(name);
    m["labels"] = {{"app", app}};
    if (!owner.empty()) {
        m["ownerReferences"] =
            json::array({{{"kind", "ReplicaSet"}, {"name", owner}, {"controller", true}}});
    }
    json pod = {
        {"metadata", m},
        {"spec", {{"containers", json::array({{{"name", "c"}}})}}},
        {"status",
         {{"phase", "Running"},
          {"containerStatuses", json::array({{{"name", "c"},
                                              {"ready", true},
                                              {"restartCount", 0},
                                              {"state", {{"running", json::object()}}}}})}}}};
    if (!nodeName.empty()) {
        pod["spec"]["nodeName"] = nodeName;
    }
    return pod;
}

json podWith(const json& containerStatus, const std::string& phase = "Running") {
    return {{"metadata", meta("p")},
            {"spec", {{"containers", json::array({{{"name", "c"}}})}}},
            {"status", {{"phase", phase}, {"containerStatuses", json::array({containerStatus})}}}};
}

/// Three nodes, a Deployment "web" with ReplicaSet "web-1" and `pods` ready pods spread over
/// the nodes, a Service "web" selecting them.
ResourceEvents cluster(int pods) {
    ResourceEvents events = {
        upsert(ResourceKind::Namespace, ns("default")),
        upsert(ResourceKind::Namespace, ns("other")),
        upsert(ResourceKind::Node, node("sim-node-10")),
        upsert(ResourceKind::Node, node("sim-node-2")),
        upsert(ResourceKind::Node, node("sim-node-1")),
        upsert(ResourceKind::Deployment, deployment("web", pods, pods)),
        upsert(ResourceKind::ReplicaSet, replicaSet("web-1", "web", pods)),
        upsert(ResourceKind::Service,
               {{"metadata", meta("web")}, {"spec", {{"selector", {{"app", "web"}}}}}}),
    };
    const char* nodes[] = {"sim-node-1", "sim-node-2", "sim-node-10"};
    for (int i = 0; i < pods; ++i) {
        events.push_back(upsert(ResourceKind::Pod,
                                readyPod("web-1-" + std::to_string(i), "web-1", nodes[i % 3])));
    }
    return events;
}

QHash<QString, QPointF> positions(const TopologyModel& model) {
    QHash<QString, QPointF> result;
    for (const auto& v : model.vertices()) {
        result.insert(v.id, v.position);
    }
    return result;
}

}  // namespace

class TstTopologyModel : public QObject {
    Q_OBJECT

private slots:
    void podStatusFollowsKubectl_data() {
        QTest::addColumn<QByteArray>("pod");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("ready");
        QTest::addColumn<int>("restarts");
        QTest::addColumn<int>("state");
        auto row = [](const char* name, const json& pod, const char* status, const char* ready,
                      int restarts, VertexState state) {
            QTest::newRow(name) << QByteArray::fromStdString(pod.dump())
                                << QString::fromLatin1(status) << QString::fromLatin1(ready)
                                << restarts << static_cast<int>(state);
        };
        row("pending",
            {{"metadata", meta("p")},
             {"spec", {{"containers", json::array({{{"name", "c"}}})}}},
             {"status", {{"phase", "Pending"}}}},
            "Pending", "0/1", 0, VertexState::Pending);
        row("creating",
            podWith({{"ready", false},
                     {"restartCount", 0},
                     {"state", {{"waiting", {{"reason", "ContainerCreating"}}}}}},
                    "Pending"),
            "ContainerCreating", "0/1", 0, VertexState::ContainerCreating);
        row("ready", readyPod("p", "", "n"), "Running", "1/1", 0, VertexState::Ready);
        row("running, not ready",
            podWith(
                {{"ready", false}, {"restartCount", 0}, {"state", {{"running", json::object()}}}}),
            "Running", "0/1", 0, VertexState::Running);
        row("crash loop",
            podWith({{"ready", false},
                     {"restartCount", 4},
                     {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}),
            "CrashLoopBackOff", "0/1", 4, VertexState::CrashLoopBackOff);
        row("image pull",
            podWith({{"ready", false},
                     {"restartCount", 0},
                     {"state", {{"waiting", {{"reason", "ImagePullBackOff"}}}}}},
                    "Pending"),
            "ImagePullBackOff", "0/1", 0, VertexState::Error);
        row("completed",
            podWith({{"ready", false},
                     {"restartCount", 0},
                     {"state", {{"terminated", {{"reason", "Completed"}, {"exitCode", 0}}}}}},
                    "Succeeded"),
            "Completed", "0/1", 0, VertexState::Succeeded);
        row("exit code",
            podWith({{"ready", false},
                     {"restartCount", 0},
                     {"state", {{"terminated", {{"exitCode", 3}}}}}},
                    "Failed"),
            "ExitCode:3", "0/1", 0, VertexState::Error);
        json init = {{"metadata", meta("p")},
                     {"spec",
                      {{"initContainers", json::array({{{"name", "i1"}}, {{"name", "i2"}}})},
                       {"containers", json::array({{{"name", "c"}}})}}},
                     {"status",
                      {{"phase", "Pending"},
                       {"initContainerStatuses",
                        json::array({{{"name", "i1"},
                                      {"restartCount", 0},
                                      {"state", {{"terminated", {{"exitCode", 0}}}}}},
                                     {{"name", "i2"},
                                      {"restartCount", 0},
                                      {"state", {{"running", json::object()}}}}})}}}};
        row("init", init, "Init:1/2", "0/1", 0, VertexState::ContainerCreating);
        init["status"]["initContainerStatuses"][1]["state"] = {
            {"waiting", {{"reason", "CrashLoopBackOff"}}}};
        row("init crash", init, "Init:CrashLoopBackOff", "0/1", 0, VertexState::CrashLoopBackOff);
        json terminating = readyPod("p", "", "n");
        terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        row("terminating", terminating, "Terminating", "1/1", 0, VertexState::Terminating);
    }

    void podStatusFollowsKubectl() {
        QFETCH(QByteArray, pod);
        QFETCH(QString, status);
        QFETCH(QString, ready);
        QFETCH(int, restarts);
        QFETCH(int, state);
        const auto result = TopologyModel::podStatus(json::parse(pod.toStdString()));
        QCOMPARE(result.status, status);
        QCOMPARE(result.ready, ready);
        QCOMPARE(result.restarts, restarts);
        QCOMPARE(static_cast<int>(result.state), state);
    }

    void graphHasOwnershipRoutingAndLanes() {
        TopologyModel model;
        model.applyEvents(cluster(6));
        const QString rs = QStringLiteral("ReplicaSet/default/web-1");
        QCOMPARE(model.targetsOf(QStringLiteral("Deployment/default/web")), QStringList{rs});
        QCOMPARE(model.targetsOf(rs).size(), 6);
        // No EndpointSlice yet: the Service's selector picks the pods.
        QCOMPARE(model.targetsOf(QStringLiteral("Service/default/web"), TopologyEdge::Kind::Routes)
                     .size(),
                 6);
        const auto* service = model.vertex(QStringLiteral("Service/default/web"));
        QCOMPARE(service->state, VertexState::Ready);
        QCOMPARE(service->ready, QStringLiteral("6/6"));
        QCOMPARE(model.vertex(QStringLiteral("Deployment/default/web"))->color, ColorRole::Healthy);

        // Lanes in natural order: sim-node-1, sim-node-2, sim-node-10.
        const auto nodes = model.verticesOfKind(VertexKind::Node);
        QCOMPARE(nodes.size(), 3);
        const auto* n1 = model.vertex(QStringLiteral("Node//sim-node-1"));
        const auto* n2 = model.vertex(QStringLiteral("Node//sim-node-2"));
        const auto* n10 = model.vertex(QStringLiteral("Node//sim-node-10"));
        QCOMPARE(n1->position.y(), 0.0);
        QCOMPARE(n2->position.y(), TopologyModel::kLaneHeight);
        QCOMPARE(n10->position.y(), 2 * TopologyModel::kLaneHeight);
        for (const auto& v : model.vertices()) {
            if (v.kind == VertexKind::Pod) {
                const auto* lane = model.vertex(QStringLiteral("Node//") + v.nodeName);
                QVERIFY(lane->rect().contains(v.rect()));
            } else if (v.kind != VertexKind::Node && v.kind != VertexKind::Namespace) {
                QVERIFY2(v.rect().right() <= 0, qPrintable(v.id));  // the skeleton is left
            }
        }
        // The namespace box holds its controllers.
        const auto* box = model.vertex(QStringLiteral("Namespace//default"));
        QVERIFY(box->rect().contains(model.vertex(rs)->rect()));
        QVERIFY(box->rect().contains(service->rect()));
        QCOMPARE(model.skeletonLayoutCount(), 1);
    }

    void endpointSlicesRouteTraffic() {
        TopologyModel model;
        ResourceEvents events = cluster(3);
        json slice = {
            {"metadata", meta("web-abc")},
            {"endpoints", json::array({{{"conditions", {{"ready", true}}},
                                        {"targetRef", {{"kind", "Pod"}, {"name", "web-1-0"}}}},
                                       {{"conditions", {{"ready", false}}},
                                        {"targetRef", {{"kind", "Pod"}, {"name", "web-1-1"}}}}})}};
        slice["metadata"]["labels"] = {{"kubernetes.io/service-name", "web"}};
        events.push_back(upsert(ResourceKind::EndpointSlice, slice));
        model.applyEvents(events);
        const QStringList routed =
            model.targetsOf(QStringLiteral("Service/default/web"), TopologyEdge::Kind::Routes);
        QCOMPARE(routed, QStringList({QStringLiteral("Pod/default/web-1-0"),
                                      QStringLiteral("Pod/default/web-1-1")}));
        QCOMPARE(model.vertex(QStringLiteral("Service/default/web"))->ready, QStringLiteral("1/2"));
    }

    void onePodChangingMovesNothingElse() {
        TopologyModel model;
        model.applyEvents(cluster(9));
        const auto before = positions(model);
        QSignalSpy changes(&model, &TopologyModel::topologyChanged);

        // A pod's state changes: only it changes, nothing moves, dot does not run.
        json crashing = readyPod("web-1-4", "web-1", "sim-node-2");
        crashing["status"]["containerStatuses"][0]["state"] = {
            {"waiting", {{"reason", "CrashLoopBackOff"}}}};
        crashing["status"]["containerStatuses"][0]["ready"] = false;
        model.applyEvents({upsert(ResourceKind::Pod, crashing)});
        QCOMPARE(changes.count(), 1);
        auto delta = changes.takeFirst().constFirst().value<TopologyDelta>();
        // The pod, and the Service whose ready backends it counts.
        delta.changed.sort();
        QCOMPARE(delta.changed, QStringList({QStringLiteral("Pod/default/web-1-4"),
                                             QStringLiteral("Service/default/web")}));
        QVERIFY(delta.moved.isEmpty());
        QVERIFY(!delta.relaidOut);
        QCOMPARE(model.vertex(QStringLiteral("Pod/default/web-1-4"))->color, ColorRole::Danger);
        QCOMPARE(positions(model), before);

        // A pod goes and its replacement comes: it takes the freed slot, nobody else moves.
        model.applyEvents({removal(ResourceKind::Pod, readyPod("web-1-4", "web-1", "sim-node-2"))});
        model.applyEvents(
            {upsert(ResourceKind::Pod, readyPod("web-1-new", "web-1", "sim-node-2"))});
        const auto after = positions(model);
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (it.key() != QStringLiteral("Pod/default/web-1-4")) {
                QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
            }
        }
        QCOMPARE(after.value(QStringLiteral("Pod/default/web-1-new")),
                 before.value(QStringLiteral("Pod/default/web-1-4")));
        QCOMPARE(model.skeletonLayoutCount(), 1);

        // A new ReplicaSet (a rollout) changes the skeleton: dot runs again.
        model.applyEvents({upsert(ResourceKind::ReplicaSet, replicaSet("web-2", "web", 1))});
        QCOMPARE(model.skeletonLayoutCount(), 2);
        QVERIFY(model.vertex(QStringLiteral("ReplicaSet/default/web-2")) != nullptr);
    }

    void layoutIsDeterministic() {
        TopologyModel a;
        TopologyModel b;
        ResourceEvents events = cluster(12);
        a.applyEvents(events);
        std::reverse(events.begin(), events.end());
        b.applyEvents(events);
        QCOMPARE(positions(a), positions(b));
    }

    void unscheduledPodsWaitAboveTheLanes() {
        TopologyModel model;
        model.applyEvents(cluster(3));
        QVERIFY(model.unscheduledLane().isNull());
        model.applyEvents({upsert(ResourceKind::Pod, readyPod("lonely", "", ""))});
        QVERIFY(!model.unscheduledLane().isNull());
        const auto* pod = model.vertex(QStringLiteral("Pod/default/lonely"));
        QVERIFY(model.unscheduledLane().contains(pod->position));
        QVERIFY(pod->position.y() < 0);
    }

    void filtersAndSearch() {
        TopologyModel model;
        ResourceEvents events = cluster(3);
        events.push_back(upsert(ResourceKind::Deployment, [] {
            json d = deployment("db", 1, 0);
            d["metadata"]["namespace"] = "other";
            return d;
        }()));
        json dbPod = readyPod("db-0", "", "sim-node-1", "db");
        dbPod["metadata"]["namespace"] = "other";
        events.push_back(upsert(ResourceKind::Pod, dbPod));
        model.applyEvents(events);
        QCOMPARE(model.vertex(QStringLiteral("Deployment/other/db"))->state,
                 VertexState::Progressing);
        QCOMPARE(model.allNamespaces(),
                 QStringList({QStringLiteral("default"), QStringLiteral("other")}));

        TopologyFilter filter;
        filter.namespaces = {QStringLiteral("other")};
        QVERIFY(model.setFilter(filter).isEmpty());
        QVERIFY(model.vertex(QStringLiteral("Deployment/default/web")) == nullptr);
        QVERIFY(model.vertex(QStringLiteral("Namespace//default")) == nullptr);
        QVERIFY(model.vertex(QStringLiteral("Deployment/other/db")) != nullptr);
        QCOMPARE(model.verticesOfKind(VertexKind::Node).size(), 3);  // lanes stay

        filter = {};
        filter.labelSelector = QStringLiteral("app in (db)");
        QVERIFY(model.setFilter(filter).isEmpty());
        QCOMPARE(model.verticesOfKind(VertexKind::Pod).size(), 1);
        filter.labelSelector = QStringLiteral("app in (");
        QVERIFY(!model.setFilter(filter).isEmpty());
        QCOMPARE(model.filter().labelSelector, QStringLiteral("app in (db)"));

        filter = {};
        filter.kinds = {VertexKind::Deployment};
        QVERIFY(model.setFilter(filter).isEmpty());
        QCOMPARE(model.verticesOfKind(VertexKind::Pod).size(), 0);
        QCOMPARE(model.verticesOfKind(VertexKind::Deployment).size(), 2);

        QVERIFY(model.setFilter({}).isEmpty());
        QCOMPARE(
            model.search(QStringLiteral("DB")),
            QStringList({QStringLiteral("Deployment/other/db"), QStringLiteral("Pod/other/db-0")}));
        QCOMPARE(model.search(QStringLiteral("service/web")),
                 QStringList{QStringLiteral("Service/default/web")});
    }

    void detailsOfAnObject() {
        json pod = readyPod("web-1-0", "web-1", "n");
        pod["status"]["conditions"] =
            json::array({{{"type", "Ready"},
                          {"status", "True"},
                          {"lastTransitionTime", "2026-01-01T00:00:00Z"}}});
        pod["metadata"]["annotations"] = {{"note", "true"}, {"count", "10"}};
        pod["metadata"]["creationTimestamp"] = nullptr;
        pod["spec"]["volumes"] = json::array();
        const QString yaml = objectYaml(pod);
        QVERIFY2(yaml.contains(QStringLiteral("name: web-1-0")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("note: \"true\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("count: \"10\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("ready: true")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("creationTimestamp: null")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("[]")), qPrintable(yaml));
        const auto conditions = conditionsOf(pod);
        QCOMPARE(conditions.size(), 1);
        QCOMPARE(conditions[0].type, QStringLiteral("Ready"));
        QCOMPARE(conditions[0].status, QStringLiteral("True"));
        const auto events =
            eventRowsOf({json{{"type", "Warning"},
                              {"reason", "BackOff"},
                              {"message", "Back-off restarting"},
                              {"count", 5},
                              {"source", {{"component", "kubelet"}, {"host", "n"}}}}});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].count, 5);
        QCOMPARE(events[0].source, QStringLiteral("kubelet, n"));
    }
};

QTEST_GUILESS_MAIN(TstTopologyModel)
#include "tst_topology_model.moc"
