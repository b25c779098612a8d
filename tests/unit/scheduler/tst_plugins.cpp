// SPDX-License-Identifier: Apache-2.0
// The scheduler's plugins and Framework on typed nodes and pods: each filter's verdict and
// kube's reason, the scores, and the FailedScheduling message for a mix of reasons.
#include <memory>
#include <vector>

#include <QtTest>

#include "engine/scheduler/framework.h"
#include "engine/scheduler/plugins.h"

#include "scheduler_test_objects.h"

using namespace slipway;
using namespace slipway::scheduler;
using nlohmann::json;

namespace {

/// Nodes for a Framework or plugin: NodeInfos and the view over them.
struct Cluster {
    std::vector<std::unique_ptr<NodeInfo>> nodes;
    std::vector<NodeInfo*> pointers;

    NodeInfo& add(const json& node) {
        nodes.push_back(std::make_unique<NodeInfo>(NodeSpec::fromJson(node)));
        pointers.push_back(nodes.back().get());
        return *nodes.back();
    }
    ClusterView view() const {
        ClusterView view{pointers, 0, 0};
        for (const NodeInfo* node : pointers) {
            view.podsWithAffinity += node->podsWithAffinity().size();
            view.podsWithRequiredAntiAffinity += node->podsWithRequiredAntiAffinity().size();
        }
        return view;
    }
};

PodInfoPtr podOf(const json& pod) {
    return PodInfo::fromJson(pod);
}

json withSpec(json pod, const char* field, const json& value) {
    pod["spec"][field] = value;
    return pod;
}

json zoned(const std::string& name, const std::string& zone) {
    return testing::schedulerNode(name, "4", "8Gi", 110, {{"topology.kubernetes.io/zone", zone}});
}

json controlPlaneTaint() {
    return json::array(
        {{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}});
}

}  // namespace

class TstPlugins : public QObject {
    Q_OBJECT

private slots:
    void podRequestsCountInitContainersSidecarsAndOverhead() {
        json pod = testing::schedulerPod("p", "500m", "256Mi");
        pod["spec"]["containers"].push_back(
            {{"name", "b"}, {"resources", {{"requests", {{"cpu", "250m"}}}}}});
        // An init container larger than the containers' sum sets the cpu request.
        pod["spec"]["initContainers"] =
            json::array({{{"name", "init"},
                          {"resources", {{"requests", {{"cpu", "2"}, {"memory", "64Mi"}}}}}}});
        pod["spec"]["overhead"] = {{"cpu", "100m"}, {"memory", "10Mi"}};
        const auto info = podOf(pod);
        QCOMPARE(info->requests.milliCpu, 2100);  // max(750, 2000) + 100
        QCOMPARE(info->requests.memory, (256 + 10) * 1024 * 1024);
        // Scoring counts 200Mi for container "b", which names no memory.
        QCOMPARE(info->nonZeroMemory, (256 + 200 + 10) * 1024 * 1024);

        // A sidecar (restartPolicy Always) runs beside the containers and later init containers.
        json sidecar = testing::schedulerPod("s", "1");
        sidecar["spec"]["initContainers"] =
            json::array({{{"name", "proxy"},
                          {"restartPolicy", "Always"},
                          {"resources", {{"requests", {{"cpu", "500m"}}}}}},
                         {{"name", "migrate"}, {"resources", {{"requests", {{"cpu", "1200m"}}}}}}});
        QCOMPARE(podOf(sidecar)->requests.milliCpu, 1700);  // max(1000+500, 1200+500)
    }

    void nodeResourcesFit() {
        Cluster cluster;
        NodeInfo& node = cluster.add(testing::schedulerNode("n1", "2", "4Gi", 2));
        node.addPod(podOf(testing::schedulerPod("existing", "1500m", "1Gi")));
        NodeResourcesFitPlugin fit;

        QVERIFY(fit.filter(*podOf(testing::schedulerPod("small", "500m", "1Gi")), node).ok());
        const Status cpu = fit.filter(*podOf(testing::schedulerPod("big", "501m")), node);
        QCOMPARE(cpu.code, Status::Code::Unschedulable);
        QCOMPARE(cpu.reasons(), std::vector<std::string>{"Insufficient cpu"});
        const Status both = fit.filter(*podOf(testing::schedulerPod("huge", "1", "4Gi")), node);
        QCOMPARE(both.reasons(),
                 (std::vector<std::string>{"Insufficient cpu", "Insufficient memory"}));

        node.addPod(podOf(testing::schedulerPod("second")));
        const Status full = fit.filter(*podOf(testing::schedulerPod("third")), node);
        QCOMPARE(full.reasons(), std::vector<std::string>{"Too many pods"});

        json gpu = testing::schedulerPod("gpu");
        gpu["spec"]["containers"][0]["resources"] = {{"requests", {{"nvidia.com/gpu", "1"}}}};
        QCOMPARE(fit.filter(*podOf(gpu), *cluster.pointers[0]).reasons(),
                 (std::vector<std::string>{"Too many pods", "Insufficient nvidia.com/gpu"}));

        // A pod removed frees what it held.
        QVERIFY(node.removePod("default/second"));
        QVERIFY(node.removePod("default/existing"));
        QVERIFY(fit.filter(*podOf(testing::schedulerPod("big", "2", "4Gi")), node).ok());
    }

    void resourceScores() {
        Cluster cluster;
        NodeInfo& node = cluster.add(testing::schedulerNode("n1", "4", "8Gi"));
        node.addPod(podOf(testing::schedulerPod("existing", "1", "2Gi")));
        const auto pod = podOf(testing::schedulerPod("p", "1", "2Gi"));
        // LeastAllocated: cpu (4000-2000)*100/4000 = 50, memory (8-4)*100/8 = 50.
        QCOMPARE(NodeResourcesFitPlugin().score(*pod, node), 50);
        // Balanced: cpu 0.5, memory 0.5: no deviation.
        QCOMPARE(BalancedAllocationPlugin().score(*pod, node), 100);
        const auto cpuHeavy = podOf(testing::schedulerPod("c", "1"));
        // cpu 2000/4000 = 0.5, memory 2Gi/8Gi = 0.25: deviation 0.125, score 87.
        QCOMPARE(BalancedAllocationPlugin().score(*cpuHeavy, node), 87);
        // Best-effort pods count 100m and 200Mi when scoring.
        const auto bestEffort = podOf(testing::schedulerPod("b"));
        QCOMPARE(bestEffort->nonZeroMilliCpu, 100);
        QCOMPARE(NodeResourcesFitPlugin().score(*bestEffort, node),
                 ((4000 - 1100) * 100 / 4000 + (8192 - 2248) * 100 / 8192) / 2);
    }

    void nodeUnschedulableAndNodeName() {
        json cordoned = testing::schedulerNode("n1");
        cordoned["spec"]["unschedulable"] = true;
        const NodeInfo node(NodeSpec::fromJson(cordoned));
        const auto pod = podOf(testing::schedulerPod("p"));
        const Status status = NodeUnschedulablePlugin().filter(*pod, node);
        QCOMPARE(status.code, Status::Code::UnschedulableAndUnresolvable);
        QCOMPARE(status.reasons().front(), std::string("node(s) were unschedulable"));
        const auto tolerating = podOf(withSpec(
            testing::schedulerPod("t"), "tolerations",
            json::array({{{"key", "node.kubernetes.io/unschedulable"}, {"operator", "Exists"}}})));
        QVERIFY(NodeUnschedulablePlugin().filter(*tolerating, node).ok());

        const auto named = podOf(withSpec(testing::schedulerPod("n"), "nodeName", "n2"));
        QCOMPARE(NodeNamePlugin().filter(*named, node).reasons().front(),
                 std::string("node(s) didn't match the requested node name"));
    }

    void taintToleration() {
        const NodeInfo tainted(NodeSpec::fromJson(
            testing::schedulerNode("cp", "4", "8Gi", 110, {}, controlPlaneTaint())));
        TaintTolerationPlugin plugin;
        const Status status = plugin.filter(*podOf(testing::schedulerPod("p")), tainted);
        QCOMPARE(status.code, Status::Code::UnschedulableAndUnresolvable);
        QCOMPARE(
            status.reasons().front(),
            std::string("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
        const auto tolerating =
            podOf(withSpec(testing::schedulerPod("t"), "tolerations",
                           json::array({{{"key", "node-role.kubernetes.io/control-plane"},
                                         {"operator", "Exists"},
                                         {"effect", "NoSchedule"}}})));
        QVERIFY(plugin.filter(*tolerating, tainted).ok());
        // Equal needs the value; an empty key with Exists tolerates everything.
        const NodeInfo gpu(NodeSpec::fromJson(testing::schedulerNode(
            "g", "4", "8Gi", 110, {},
            json::array({{{"key", "gpu"}, {"value", "true"}, {"effect", "NoExecute"}}}))));
        const auto wrongValue = podOf(
            withSpec(testing::schedulerPod("w"), "tolerations",
                     json::array({{{"key", "gpu"}, {"operator", "Equal"}, {"value", "false"}}})));
        QCOMPARE(plugin.filter(*wrongValue, gpu).reasons().front(),
                 std::string("node(s) had untolerated taint {gpu: true}"));
        const auto everything = podOf(withSpec(testing::schedulerPod("e"), "tolerations",
                                               json::array({{{"operator", "Exists"}}})));
        QVERIFY(plugin.filter(*everything, gpu).ok());

        // PreferNoSchedule: fewer untolerated taints score higher (reversed).
        Cluster cluster;
        cluster.add(testing::schedulerNode("clean"));
        cluster.add(
            testing::schedulerNode("soft", "4", "8Gi", 110, {},
                                   json::array({{{"key", "a"}, {"effect", "PreferNoSchedule"}},
                                                {{"key", "b"}, {"effect", "PreferNoSchedule"}}})));
        const auto pod = podOf(testing::schedulerPod("p"));
        std::vector<const NodeInfo*> feasible(cluster.pointers.begin(), cluster.pointers.end());
        QVERIFY(plugin.preScore(*pod, feasible, cluster.view()));
        std::vector<std::int64_t> scores = {plugin.score(*pod, *feasible[0]),
                                            plugin.score(*pod, *feasible[1])};
        QCOMPARE(scores, (std::vector<std::int64_t>{0, 2}));
        plugin.normalize(feasible, scores);
        QCOMPARE(scores, (std::vector<std::int64_t>{100, 0}));
    }

    void nodeAffinity() {
        Cluster cluster;
        NodeInfo& a = cluster.add(
            testing::schedulerNode("n1", "4", "8Gi", 110, {{"disk", "ssd"}, {"generation", "5"}}));
        NodeInfo& b = cluster.add(testing::schedulerNode("n2", "4", "8Gi", 110, {{"disk", "hdd"}}));
        NodeAffinityPlugin plugin;
        const auto selector =
            podOf(withSpec(testing::schedulerPod("s"), "nodeSelector", {{"disk", "ssd"}}));
        QVERIFY(plugin.filter(*selector, a).ok());
        QCOMPARE(plugin.filter(*selector, b).reasons().front(),
                 std::string("node(s) didn't match Pod's node affinity/selector"));

        const json required = {
            {"nodeAffinity",
             {{"requiredDuringSchedulingIgnoredDuringExecution",
               {{"nodeSelectorTerms",
                 json::array({{{"matchExpressions", json::array({{{"key", "generation"},
                                                                  {"operator", "Gt"},
                                                                  {"values", {"4"}}}})}},
                              {{"matchFields", json::array({{{"key", "metadata.name"},
                                                             {"operator", "In"},
                                                             {"values", {"n2"}}}})}}})}}}}}};
        const auto affinity = podOf(withSpec(testing::schedulerPod("a"), "affinity", required));
        QVERIFY(plugin.filter(*affinity, a).ok());  // generation 5 > 4
        QVERIFY(plugin.filter(*affinity, b).ok());  // matchFields names n2
        QCOMPARE(plugin.filter(*affinity, cluster.add(testing::schedulerNode("n3"))).code,
                 Status::Code::UnschedulableAndUnresolvable);

        const json preferred = {
            {"nodeAffinity",
             {{"preferredDuringSchedulingIgnoredDuringExecution",
               json::array({{{"weight", 30},
                             {"preference",
                              {{"matchExpressions", json::array({{{"key", "disk"},
                                                                  {"operator", "In"},
                                                                  {"values", {"ssd"}}}})}}}},
                            {{"weight", 10},
                             {"preference",
                              {{"matchExpressions",
                                json::array({{{"key", "disk"}, {"operator", "Exists"}}})}}}}})}}}};
        const auto prefers = podOf(withSpec(testing::schedulerPod("p"), "affinity", preferred));
        std::vector<const NodeInfo*> feasible = {&a, &b};
        QVERIFY(plugin.preScore(*prefers, feasible, cluster.view()));
        std::vector<std::int64_t> scores = {plugin.score(*prefers, a), plugin.score(*prefers, b)};
        QCOMPARE(scores, (std::vector<std::int64_t>{40, 10}));
        plugin.normalize(feasible, scores);
        QCOMPARE(scores, (std::vector<std::int64_t>{100, 25}));
    }

    void nodePorts() {
        json withPort = testing::schedulerPod("web");
        withPort["spec"]["containers"][0]["ports"] =
            json::array({{{"containerPort", 80}, {"hostPort", 8080}, {"protocol", "TCP"}}});
        NodeInfo node(NodeSpec::fromJson(testing::schedulerNode("n1")));
        NodePortsPlugin plugin;
        QVERIFY(plugin.filter(*podOf(withPort), node).ok());
        node.addPod(podOf(withPort));
        withPort["metadata"]["name"] = "web-2";
        QCOMPARE(plugin.filter(*podOf(withPort), node).reasons().front(),
                 std::string("node(s) didn't have free ports for the requested pod ports"));
        withPort["spec"]["containers"][0]["ports"][0]["protocol"] = "UDP";
        QVERIFY(plugin.filter(*podOf(withPort), node).ok());
    }

    void podTopologySpread() {
        Cluster cluster;
        NodeInfo& a = cluster.add(zoned("a1", "a"));
        NodeInfo& b = cluster.add(zoned("b1", "b"));
        NodeInfo& c = cluster.add(zoned("c1", "c"));
        NodeInfo& bare = cluster.add(testing::schedulerNode("bare"));
        const json web = {{"app", "web"}};
        a.addPod(podOf(testing::schedulerPod("w1", "", "", web)));
        a.addPod(podOf(testing::schedulerPod("w2", "", "", web)));
        b.addPod(podOf(testing::schedulerPod("w3", "", "", web)));
        c.addPod(podOf(testing::schedulerPod("w4", "", "", web)));
        c.addPod(podOf(testing::schedulerPod("other", "", "", {{"app", "db"}})));
        // The same labels in another namespace do not count.
        c.addPod(podOf(testing::schedulerPod("elsewhere", "", "", web, "team")));

        const json constraint = json::array({{{"maxSkew", 1},
                                              {"topologyKey", "topology.kubernetes.io/zone"},
                                              {"whenUnsatisfiable", "DoNotSchedule"},
                                              {"labelSelector", {{"matchLabels", web}}}}});
        const auto pod = podOf(withSpec(testing::schedulerPod("w5", "", "", web),
                                        "topologySpreadConstraints", constraint));
        PodTopologySpreadPlugin plugin;
        QVERIFY(plugin.preFilter(*pod, cluster.view()).ok());
        // Zones a:2 b:1 c:1, minimum 1: a gives skew 2+1-1 = 2 > 1.
        const Status onA = plugin.filter(*pod, a);
        QCOMPARE(onA.code, Status::Code::Unschedulable);
        QCOMPARE(onA.reasons().front(),
                 std::string("node(s) didn't match pod topology spread constraints"));
        QVERIFY(plugin.filter(*pod, b).ok());
        QVERIFY(plugin.filter(*pod, c).ok());
        const Status missing = plugin.filter(*pod, bare);
        QCOMPARE(missing.code, Status::Code::UnschedulableAndUnresolvable);
        QCOMPARE(missing.reasons().front(),
                 std::string("node(s) didn't match pod topology spread constraints (missing "
                             "required label)"));

        // ScheduleAnyway scores: emptier zones better.
        json soft = constraint;
        soft[0]["whenUnsatisfiable"] = "ScheduleAnyway";
        const auto softPod = podOf(
            withSpec(testing::schedulerPod("w6", "", "", web), "topologySpreadConstraints", soft));
        QCOMPARE(plugin.preFilter(*softPod, cluster.view()).code, Status::Code::Skip);
        std::vector<const NodeInfo*> feasible = {&a, &b, &c};
        QVERIFY(plugin.preScore(*softPod, feasible, cluster.view()));
        std::vector<std::int64_t> scores;
        for (const NodeInfo* node : feasible) {
            scores.push_back(plugin.score(*softPod, *node));
        }
        plugin.normalize(feasible, scores);
        QVERIFY(scores[1] > scores[0]);
        QCOMPARE(scores[1], scores[2]);
    }

    void interPodAffinity() {
        Cluster cluster;
        NodeInfo& a1 = cluster.add(zoned("a1", "a"));
        NodeInfo& a2 = cluster.add(zoned("a2", "a"));
        NodeInfo& b1 = cluster.add(zoned("b1", "b"));
        a1.addPod(podOf(testing::schedulerPod("db", "", "", {{"app", "db"}})));
        const auto term = [](const json& labels, const char* key) {
            return json{{"labelSelector", {{"matchLabels", labels}}}, {"topologyKey", key}};
        };
        InterPodAffinityPlugin plugin;

        // Affinity to app=db by zone: a1 and a2 share zone a with the db pod.
        const auto withDb = podOf(
            withSpec(testing::schedulerPod("api"), "affinity",
                     {{"podAffinity",
                       {{"requiredDuringSchedulingIgnoredDuringExecution",
                         json::array({term({{"app", "db"}}, "topology.kubernetes.io/zone")})}}}}));
        QVERIFY(plugin.preFilter(*withDb, cluster.view()).ok());
        QVERIFY(plugin.filter(*withDb, a1).ok());
        QVERIFY(plugin.filter(*withDb, a2).ok());
        const Status inB = plugin.filter(*withDb, b1);
        QCOMPARE(inB.code, Status::Code::UnschedulableAndUnresolvable);
        QCOMPARE(inB.reasons().front(), std::string("node(s) didn't match pod affinity rules"));

        // The first pod of a group with affinity to itself goes anywhere.
        const json cache = {{"app", "cache"}};
        const auto first =
            podOf(withSpec(testing::schedulerPod("cache-0", "", "", cache), "affinity",
                           {{"podAffinity",
                             {{"requiredDuringSchedulingIgnoredDuringExecution",
                               json::array({term(cache, "kubernetes.io/hostname")})}}}}));
        QVERIFY(plugin.preFilter(*first, cluster.view()).ok());
        QVERIFY(plugin.filter(*first, b1).ok());

        // Anti-affinity to app=db per host: not on a1.
        const auto awayFromDb =
            podOf(withSpec(testing::schedulerPod("batch"), "affinity",
                           {{"podAntiAffinity",
                             {{"requiredDuringSchedulingIgnoredDuringExecution",
                               json::array({term({{"app", "db"}}, "kubernetes.io/hostname")})}}}}));
        QVERIFY(plugin.preFilter(*awayFromDb, cluster.view()).ok());
        QCOMPARE(plugin.filter(*awayFromDb, a1).reasons().front(),
                 std::string("node(s) didn't match pod anti-affinity rules"));
        QCOMPARE(plugin.filter(*awayFromDb, a1).code, Status::Code::Unschedulable);
        QVERIFY(plugin.filter(*awayFromDb, a2).ok());

        // An existing pod's anti-affinity keeps web pods out of its zone.
        b1.addPod(podOf(withSpec(
            testing::schedulerPod("loner"), "affinity",
            {{"podAntiAffinity",
              {{"requiredDuringSchedulingIgnoredDuringExecution",
                json::array({term({{"app", "web"}}, "topology.kubernetes.io/zone")})}}}})));
        const auto web = podOf(testing::schedulerPod("web", "", "", {{"app", "web"}}));
        QVERIFY(plugin.preFilter(*web, cluster.view()).ok());
        QCOMPARE(plugin.filter(*web, b1).reasons().front(),
                 std::string("node(s) didn't satisfy existing pods anti-affinity rules"));
        QVERIFY(plugin.filter(*web, a1).ok());
        // Without any pod with required anti-affinity in the cluster, nothing to check.
        QVERIFY(b1.removePod("default/loner"));
        QCOMPARE(plugin.preFilter(*web, cluster.view()).code, Status::Code::Skip);

        // Preferred affinity scores the db's zone highest.
        const auto prefers = podOf(withSpec(
            testing::schedulerPod("near"), "affinity",
            {{"podAffinity",
              {{"preferredDuringSchedulingIgnoredDuringExecution",
                json::array({{{"weight", 50},
                              {"podAffinityTerm",
                               term({{"app", "db"}}, "topology.kubernetes.io/zone")}}})}}}}));
        std::vector<const NodeInfo*> feasible = {&a1, &a2, &b1};
        QVERIFY(plugin.preScore(*prefers, feasible, cluster.view()));
        std::vector<std::int64_t> scores;
        for (const NodeInfo* node : feasible) {
            scores.push_back(plugin.score(*prefers, *node));
        }
        plugin.normalize(feasible, scores);
        QCOMPARE(scores, (std::vector<std::int64_t>{100, 100, 0}));
    }

    void feasibleNodesToFindIsAdaptive() {
        const Framework framework;
        QCOMPARE(framework.feasibleNodesToFind(50), std::size_t(50));
        QCOMPARE(framework.feasibleNodesToFind(200), std::size_t(100));  // 49% = 98 → at least 100
        QCOMPARE(framework.feasibleNodesToFind(1000), std::size_t(420));   // 42%
        QCOMPARE(framework.feasibleNodesToFind(5000), std::size_t(500));   // 10%
        QCOMPARE(framework.feasibleNodesToFind(10000), std::size_t(500));  // 5%
        const Framework all(FrameworkOptions{100, 1});
        QCOMPARE(all.feasibleNodesToFind(1000), std::size_t(1000));
    }

    void failedSchedulingMessage() {
        Cluster cluster;
        cluster.add(testing::schedulerNode("node-1", "4"));
        cluster.add(testing::schedulerNode("node-2", "4"));
        cluster.add(testing::schedulerNode("node-3", "4", "8Gi", 110, {}, controlPlaneTaint()));
        Framework framework;
        const auto pod = podOf(testing::schedulerPod("web-x", "8"));
        const ScheduleResult result = framework.schedule(*pod, cluster.view());
        QVERIFY(!result.scheduled());
        QCOMPARE(result.fitError.message(),
                 std::string("0/3 nodes are available: 1 node(s) had untolerated taint "
                             "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. "
                             "preemption: 0/3 nodes are available: 1 Preemption is not helpful "
                             "for scheduling, 2 No preemption victims found for incoming pod."));
        QVERIFY(result.fitError.unschedulablePlugins & maskOf(PluginId::NodeResourcesFit));
        QVERIFY(result.fitError.unschedulablePlugins & maskOf(PluginId::TaintToleration));

        // More reasons: a node short of memory too, a cordoned one, a full one.
        cluster.add(testing::schedulerNode("node-4", "4", "1Gi"));
        json cordoned = testing::schedulerNode("node-5");
        cordoned["spec"]["unschedulable"] = true;
        cluster.add(cordoned);
        cluster.add(testing::schedulerNode("node-6", "4", "8Gi", 1))
            .addPod(podOf(testing::schedulerPod("resident")));
        const auto big = podOf(testing::schedulerPod("web-y", "8", "2Gi"));
        QCOMPARE(framework.schedule(*big, cluster.view()).fitError.message(),
                 std::string("0/6 nodes are available: 1 Insufficient memory, 1 Too many pods, 1 "
                             "node(s) had untolerated taint {node-role.kubernetes.io/"
                             "control-plane: }, 1 node(s) were unschedulable, 4 Insufficient "
                             "cpu. preemption: 0/6 nodes are available: 2 Preemption is not "
                             "helpful for scheduling, 4 No preemption victims found for "
                             "incoming pod."));

        json never = testing::schedulerPod("web-z", "8");
        never["spec"]["preemptionPolicy"] = "Never";
        QCOMPARE(framework.schedule(*podOf(never), cluster.view()).fitError.message(),
                 std::string("0/6 nodes are available: 1 Too many pods, 1 node(s) had untolerated "
                             "taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were "
                             "unschedulable, 4 Insufficient cpu. not eligible due to "
                             "preemptionPolicy=Never."));

        Cluster empty;
        QCOMPARE(framework.schedule(*pod, empty.view()).error,
                 std::string("no nodes available to schedule pods"));
    }

    void frameworkPrefersTheLeastAllocatedNode() {
        Cluster cluster;
        NodeInfo& busy = cluster.add(testing::schedulerNode("busy", "4", "8Gi"));
        cluster.add(testing::schedulerNode("idle", "4", "8Gi"));
        busy.addPod(podOf(testing::schedulerPod("existing", "2", "4Gi")));
        Framework framework;
        for (int i = 0; i < 5; ++i) {
            const auto result = framework.schedule(
                *podOf(testing::schedulerPod("p" + std::to_string(i), "500m", "1Gi")),
                cluster.view());
            QCOMPARE(result.node, std::string("idle"));
            QCOMPARE(result.feasibleNodes, std::size_t(2));
        }
    }
};

QTEST_GUILESS_MAIN(TstPlugins)
#include "tst_plugins.moc"
