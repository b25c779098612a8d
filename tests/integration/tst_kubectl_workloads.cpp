// SPDX-License-Identifier: Apache-2.0
// Issue 4's end-to-end behaviour with the real kubectl (1.32) against a slipwayd with three
// simulated nodes: the seed's Deployment and Service, scaling, rollouts and rollbacks, pause,
// progress deadlines, self-healing, node failure, Jobs, autoscaling and namespace deletion.
// Every case asserts the objects' states, counts and events, not just exit codes.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

namespace {

const char* const kSeedApp =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: flask-app-deployment\n"
    "  labels:\n"
    "    app: flask-hello\n"
    "spec:\n"
    "  replicas: 3\n"
    "  selector:\n"
    "    matchLabels:\n"
    "      app: flask-hello\n"
    "  template:\n"
    "    metadata:\n"
    "      labels:\n"
    "        app: flask-hello\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: flask-hello-k8s\n"
    "        image: slipway.local/hello:1\n"
    "        ports:\n"
    "        - containerPort: 5000\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: flask-app-service\n"
    "spec:\n"
    "  selector:\n"
    "    app: flask-hello\n"
    "  ports:\n"
    "  - protocol: TCP\n"
    "    port: 80\n"
    "    targetPort: 5000\n"
    "  type: ClusterIP\n";

std::string str(const json& object, std::initializer_list<const char*> path) {
    const json* at = &object;
    for (const char* key : path) {
        if (!at->is_object() || !at->contains(key)) {
            return {};
        }
        at = &(*at)[key];
    }
    return at->is_string() ? at->get<std::string>() : at->dump();
}

std::int64_t integer(const json& object, std::initializer_list<const char*> path) {
    const json* at = &object;
    for (const char* key : path) {
        if (!at->is_object() || !at->contains(key)) {
            return 0;
        }
        at = &(*at)[key];
    }
    return at->is_number_integer() ? at->get<std::int64_t>() : 0;
}

bool podReady(const json& pod) {
    if (str(pod, {"status", "phase"}) != "Running" ||
        pod["metadata"].contains("deletionTimestamp")) {
        return false;
    }
    for (const auto& condition : pod["status"].value("conditions", json::array())) {
        if (condition.value("type", "") == "Ready") {
            return condition.value("status", "") == "True";
        }
    }
    return false;
}

/// Watches one Deployment and its ReplicaSets from a thread of its own, recording the fewest
/// available and the most pods desired at any moment: the ordering constraints of a rollout.
class RolloutSampler {
public:
    RolloutSampler(const client::Client& client, std::string nameSpace, std::string deployment)
        : m_client(client), m_nameSpace(std::move(nameSpace)), m_deployment(std::move(deployment)) {
        m_thread = std::thread([this] { run(); });
    }
    ~RolloutSampler() { stop(); }

    void stop() {
        m_stopping = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    std::int64_t minAvailable() const { return m_minAvailable; }
    std::int64_t maxDesired() const { return m_maxDesired; }
    bool started() const { return m_started; }

private:
    void run() {
        auto watch = m_client.watch(client::resources::replicaSets().in(m_nameSpace));
        auto deployments = m_client.watch(client::resources::deployments().in(m_nameSpace));
        if (!watch || !deployments) {
            return;
        }
        m_started = true;
        std::map<std::string, json> sets;
        while (!m_stopping) {
            bool changed = false;
            for (auto& event : watch->poll()) {
                const auto name = str(event.object, {"metadata", "name"});
                if (event.type == client::WatchEventType::Deleted) {
                    sets.erase(name);
                } else if (event.type != client::WatchEventType::Bookmark) {
                    sets[name] = event.object;
                }
                changed = true;
            }
            for (auto& event : deployments->poll()) {
                if (str(event.object, {"metadata", "name"}) == m_deployment &&
                    event.type == client::WatchEventType::Modified &&
                    integer(event.object, {"status", "observedGeneration"}) > 0) {
                    m_minAvailable =
                        std::min(m_minAvailable.load(),
                                 integer(event.object, {"status", "availableReplicas"}));
                }
            }
            if (changed) {
                std::int64_t desired = 0;
                for (const auto& [name, set] : sets) {
                    if (name.starts_with(m_deployment + "-")) {
                        desired += integer(set, {"spec", "replicas"});
                    }
                }
                m_maxDesired = std::max(m_maxDesired.load(), desired);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    const client::Client& m_client;
    const std::string m_nameSpace;
    const std::string m_deployment;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_started{false};
    std::atomic<std::int64_t> m_minAvailable{std::numeric_limits<std::int64_t>::max()};
    std::atomic<std::int64_t> m_maxDesired{0};
    std::thread m_thread;
};

}  // namespace

class TstKubectlWorkloads : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl kubectl{m_server.kubeconfigPath()};
    std::unique_ptr<client::HttpsClient> m_client;

    json getJson(const QStringList& arguments) { return kubectl.getJson(arguments); }

    std::vector<json> pods(const QString& selector, const QString& nameSpace = "default") {
        const auto list = getJson(args({"get", "pods", "-n"}) << nameSpace << "-l" << selector);
        return list.is_object() ? list["items"].get<std::vector<json>>() : std::vector<json>{};
    }
    int readyPods(const QString& selector, const QString& nameSpace = "default") {
        const auto all = pods(selector, nameSpace);
        return static_cast<int>(std::count_if(all.begin(), all.end(), podReady));
    }
    int livePods(const QString& selector, const QString& nameSpace = "default") {
        const auto all = pods(selector, nameSpace);
        return static_cast<int>(std::count_if(all.begin(), all.end(), [](const json& pod) {
            return !pod["metadata"].contains("deletionTimestamp");
        }));
    }
    std::vector<json> events(const QString& fieldSelector, const QString& nameSpace = "default") {
        const auto list = getJson(args({"get", "events", "-n"})
                                  << nameSpace << "--field-selector" << fieldSelector);
        return list.is_object() ? list["items"].get<std::vector<json>>() : std::vector<json>{};
    }
    bool hasEvent(const QString& fieldSelector, const std::string& reason,
                  const std::string& messagePart = {}, const QString& nameSpace = "default") {
        for (const auto& event : events(fieldSelector, nameSpace)) {
            if (event.value("reason", "") == reason &&
                event.value("message", "").find(messagePart) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
    bool rolloutStatus(const QString& deployment, const QString& timeout = "90s") {
        const auto status = kubectl(args({"rollout", "status"})
                                    << ("deployment/" + deployment) << "--timeout" << timeout);
        if (status.exitCode != 0) {
            qWarning() << status.out << status.err;
        }
        return status.exitCode == 0;
    }
    json replicaSetOfRevision(const QString& selector, int revision) {
        const auto sets = getJson(args({"get", "rs", "-l"}) << selector);
        for (const auto& set : sets["items"]) {
            if (str(set, {"metadata", "annotations", "deployment.kubernetes.io/revision"}) ==
                std::to_string(revision)) {
                return set;
            }
        }
        return {};
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start(args({"--sim-nodes", "3", "--sim-lease-renew-interval", "1s",
                                     "--node-monitor-grace-period", "4s", "--node-monitor-period",
                                     "1s", "--horizontal-pod-autoscaler-sync-period", "1s",
                                     "--sim-ready-delay", "200ms", "--sim-start-delay", "100ms"})));
        m_client = m_server.apiClient();
    }

    void simulatedNodesAreReady() {
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto nodes = getJson(args({"get", "nodes"}));
                if (!nodes.is_object() || nodes["items"].size() != 3) {
                    return false;
                }
                return std::all_of(nodes["items"].begin(), nodes["items"].end(), [](const json& n) {
                    for (const auto& condition : n["status"].value("conditions", json::array())) {
                        if (condition.value("type", "") == "Ready") {
                            return condition.value("status", "") == "True";
                        }
                    }
                    return false;
                });
            }(),
            30000);
        const auto table = kubectl(args({"get", "nodes"}));
        QVERIFY2(table.out.contains(QRegularExpression("sim-node-1\\s+Ready")),
                 qPrintable(table.out));
    }

    void seedDeploymentAndServiceComeUp() {
        const auto applied = kubectl(args({"apply", "-f", "-"}), kSeedApp);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QVERIFY(rolloutStatus("flask-app-deployment"));

        const auto running = pods("app=flask-hello");
        QCOMPARE(running.size(), std::size_t{3});
        std::set<std::string> ips;
        for (const auto& pod : running) {
            QVERIFY(podReady(pod));
            QVERIFY(!str(pod, {"spec", "nodeName"}).empty());
            ips.insert(str(pod, {"status", "podIP"}));
            QVERIFY(hasEvent(
                QString::fromStdString("involvedObject.name=" + str(pod, {"metadata", "name"})),
                "Scheduled", "Successfully assigned default/"));
        }
        QCOMPARE(ips.size(), std::size_t{3});

        // The Service's endpoints list the three pods, on port 5000.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto endpoints = getJson(args({"get", "endpoints", "flask-app-service"}));
                if (!endpoints.is_object() || !endpoints.contains("subsets") ||
                    endpoints["subsets"].empty()) {
                    return false;
                }
                const auto& subset = endpoints["subsets"][0];
                std::set<std::string> listed;
                for (const auto& address : subset.value("addresses", json::array())) {
                    listed.insert(address.value("ip", ""));
                }
                return listed == ips && subset["ports"][0].value("port", 0) == 5000;
            }(),
            20000);
        const auto deployment = getJson(args({"get", "deployment", "flask-app-deployment"}));
        QCOMPARE(integer(deployment, {"status", "availableReplicas"}), 3);
        QCOMPARE(integer(deployment, {"status", "observedGeneration"}),
                 integer(deployment, {"metadata", "generation"}));
        QVERIFY(hasEvent("involvedObject.name=flask-app-deployment", "ScalingReplicaSet",
                         "from 0 to 3"));
    }

    void scaleToTenAndBack() {
        QCOMPARE(
            kubectl(args({"scale", "deployment/flask-app-deployment", "--replicas=10"})).exitCode,
            0);
        QVERIFY(rolloutStatus("flask-app-deployment"));
        QTRY_COMPARE_WITH_TIMEOUT(readyPods("app=flask-hello"), 10, 30000);
        QCOMPARE(
            kubectl(args({"scale", "deployment/flask-app-deployment", "--replicas=3"})).exitCode,
            0);
        QTRY_COMPARE_WITH_TIMEOUT(livePods("app=flask-hello"), 3, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(pods("app=flask-hello").size()), 3, 30000);
        const auto deployment = getJson(args({"get", "deployment", "flask-app-deployment"}));
        QCOMPARE(integer(deployment, {"status", "replicas"}), 3);
    }

    void setImageRollsOutWithinTheSurgeAndUnavailabilityLimits() {
        RolloutSampler sampler(*m_client, "default", "flask-app-deployment");
        QTRY_VERIFY_WITH_TIMEOUT(sampler.started(), 10000);
        QCOMPARE(kubectl(args({"set", "image", "deployment/flask-app-deployment",
                               "flask-hello-k8s=slipway.local/hello:2"}))
                     .exitCode,
                 0);
        QVERIFY(rolloutStatus("flask-app-deployment"));
        sampler.stop();
        // 3 replicas, 25% / 25%: maxUnavailable rounds down to 0 and maxSurge up to 1.
        QVERIFY2(sampler.minAvailable() >= 3, qPrintable(QString::number(sampler.minAvailable())));
        QVERIFY2(sampler.maxDesired() <= 4, qPrintable(QString::number(sampler.maxDesired())));

        const auto previous = replicaSetOfRevision("app=flask-hello", 1);
        const auto current = replicaSetOfRevision("app=flask-hello", 2);
        QVERIFY(previous.is_object() && current.is_object());
        QCOMPARE(integer(previous, {"spec", "replicas"}), 0);
        QCOMPARE(integer(current, {"status", "readyReplicas"}), 3);
        for (const auto& pod : pods("app=flask-hello")) {
            QCOMPARE(str(pod, {"spec", "containers"}).find("hello:2") != std::string::npos, true);
        }
    }

    void rolloutUndoReturnsToThePreviousTemplate() {
        const auto undone = kubectl(args({"rollout", "undo", "deployment/flask-app-deployment"}));
        QVERIFY2(undone.exitCode == 0, qPrintable(undone.err));
        QVERIFY(rolloutStatus("flask-app-deployment"));
        const auto deployment = getJson(args({"get", "deployment", "flask-app-deployment"}));
        QCOMPARE(str(deployment["spec"]["template"]["spec"]["containers"][0], {"image"}),
                 std::string("slipway.local/hello:1"));
        QCOMPARE(str(deployment, {"metadata", "annotations", "deployment.kubernetes.io/revision"}),
                 std::string("3"));
        // The revision-1 ReplicaSet came back as revision 3: no third ReplicaSet.
        const auto sets = getJson(args({"get", "rs", "-l", "app=flask-hello"}));
        QCOMPARE(sets["items"].size(), std::size_t{2});
        const auto history =
            kubectl(args({"rollout", "history", "deployment/flask-app-deployment"}));
        QVERIFY2(history.out.contains(QRegularExpression("\\n2\\s")) &&
                     history.out.contains(QRegularExpression("\\n3\\s")),
                 qPrintable(history.out));
    }

    void pauseStopsTheRollout() {
        QCOMPARE(kubectl(args({"rollout", "pause", "deployment/flask-app-deployment"})).exitCode,
                 0);
        QCOMPARE(kubectl(args({"set", "image", "deployment/flask-app-deployment",
                               "flask-hello-k8s=slipway.local/hello:3"}))
                     .exitCode,
                 0);
        // Paused: the controller observes the change but starts no new ReplicaSet.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto d = getJson(args({"get", "deployment", "flask-app-deployment"}));
                return integer(d, {"status", "observedGeneration"}) ==
                       integer(d, {"metadata", "generation"});
            }(),
            10000);
        const auto paused = getJson(args({"get", "deployment", "flask-app-deployment"}));
        bool pausedCondition = false;
        for (const auto& condition : paused["status"]["conditions"]) {
            pausedCondition |= condition.value("reason", "") == "DeploymentPaused";
        }
        QVERIFY(pausedCondition);
        for (const auto& pod : pods("app=flask-hello")) {
            QVERIFY(str(pod, {"spec", "containers"}).find("hello:3") == std::string::npos);
        }
        QCOMPARE(kubectl(args({"rollout", "resume", "deployment/flask-app-deployment"})).exitCode,
                 0);
        QVERIFY(rolloutStatus("flask-app-deployment"));
        QVERIFY(replicaSetOfRevision("app=flask-hello", 4).is_object());
    }

    void neverReadyImageExceedsTheProgressDeadline() {
        QCOMPARE(kubectl(args({"create", "deployment", "stuck", "--image=slipway.local/hello:1",
                               "--replicas=2"}))
                     .exitCode,
                 0);
        QVERIFY(rolloutStatus("stuck"));
        QCOMPARE(kubectl(args({"patch", "deployment", "stuck", "-p",
                               "{\"spec\":{\"progressDeadlineSeconds\":3}}"}))
                     .exitCode,
                 0);
        QCOMPARE(kubectl(args({"set", "image", "deployment/stuck",
                               "hello=registry.invalid/doesnotexist:1"}))
                     .exitCode,
                 0);
        const auto status =
            kubectl(args({"rollout", "status", "deployment/stuck", "--timeout=60s"}));
        QVERIFY(status.exitCode != 0);
        QVERIFY2(status.err.contains("exceeded its progress deadline"), qPrintable(status.err));
        const auto deployment = getJson(args({"get", "deployment", "stuck"}));
        bool exceeded = false;
        for (const auto& condition : deployment["status"]["conditions"]) {
            exceeded |= condition.value("type", "") == "Progressing" &&
                        condition.value("status", "") == "False" &&
                        condition.value("reason", "") == "ProgressDeadlineExceeded";
        }
        QVERIFY(exceeded);
        // The old pods were never taken below replicas - maxUnavailable (2 - 0).
        QCOMPARE(readyPods("app=stuck"), 2);
        QVERIFY(kubectl(args({"delete", "deployment", "stuck"})).exitCode == 0);
    }

    void deletingAPodBringsAReplacement() {
        const auto before = pods("app=flask-hello");
        QCOMPARE(before.size(), std::size_t{3});
        const auto victim = QString::fromStdString(str(before.front(), {"metadata", "name"}));
        QCOMPARE(kubectl(args({"delete", "pod"}) << victim).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto now = pods("app=flask-hello");
                return now.size() == 3 && std::count_if(now.begin(), now.end(), podReady) == 3 &&
                       std::none_of(now.begin(), now.end(), [&](const json& pod) {
                           return str(pod, {"metadata", "name"}) == victim.toStdString();
                       });
            }(),
            30000);
        QVERIFY(hasEvent("involvedObject.kind=ReplicaSet", "SuccessfulCreate"));
    }

    void stoppedNodeHeartbeatsMovePodsElsewhere() {
        const char* manifest =
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata: {name: sturdy}\n"
            "spec:\n"
            "  replicas: 6\n"
            "  selector: {matchLabels: {app: sturdy}}\n"
            "  template:\n"
            "    metadata: {labels: {app: sturdy}}\n"
            "    spec:\n"
            "      tolerations:\n"
            "      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, "
            "tolerationSeconds: 2}\n"
            "      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, "
            "tolerationSeconds: 2}\n"
            "      containers:\n"
            "      - {name: app, image: slipway.local/hello:1}\n";
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), manifest).exitCode, 0);
        QVERIFY(rolloutStatus("sturdy"));
        std::map<std::string, int> perNode;
        for (const auto& pod : pods("app=sturdy")) {
            ++perNode[str(pod, {"spec", "nodeName"})];
        }
        QVERIFY(!perNode.empty());
        const auto victim = std::max_element(perNode.begin(), perNode.end(), [](auto& a, auto& b) {
                                return a.second < b.second;
                            })->first;
        QCOMPARE(kubectl(args({"annotate", "node"})
                         << QString::fromStdString(victim) << "sim.slipway.dev/stopped=true")
                     .exitCode,
                 0);
        // NotReady with the unreachable taint, then every pod ready again on the other nodes.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto node = getJson(args({"get", "node"}) << QString::fromStdString(victim));
                for (const auto& taint : node["spec"].value("taints", json::array())) {
                    if (taint.value("key", "") == "node.kubernetes.io/unreachable") {
                        return true;
                    }
                }
                return false;
            }(),
            30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto now = pods("app=sturdy");
                return std::count_if(now.begin(), now.end(), [&](const json& pod) {
                           return podReady(pod) && str(pod, {"spec", "nodeName"}) != victim;
                       }) == 6;
            }(),
            60000);
        QVERIFY(hasEvent("involvedObject.kind=Pod", "TaintManagerEviction"));
        QCOMPARE(kubectl(args({"annotate", "node"})
                         << QString::fromStdString(victim) << "sim.slipway.dev/stopped-")
                     .exitCode,
                 0);
        QVERIFY(kubectl(args({"delete", "deployment", "sturdy"})).exitCode == 0);
    }

    void jobWithFiveCompletionsTwoAtATime() {
        const char* manifest =
            "apiVersion: batch/v1\n"
            "kind: Job\n"
            "metadata: {name: batch}\n"
            "spec:\n"
            "  completions: 5\n"
            "  parallelism: 2\n"
            "  template:\n"
            "    metadata: {annotations: {sim.slipway.dev/run-duration: 1s}}\n"
            "    spec:\n"
            "      restartPolicy: Never\n"
            "      containers:\n"
            "      - {name: work, image: slipway.local/busybox:1, command: [sh, -c, 'echo "
            "done']}\n";
        std::atomic<int> maxActive{0};
        std::atomic<bool> stop{false};
        std::thread sampler([&] {
            while (!stop) {
                const auto job =
                    m_client->get(client::resources::jobs().in("default").named("batch"));
                if (job) {
                    maxActive = std::max<int>(
                        maxActive, static_cast<int>(integer(*job, {"status", "active"})));
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), manifest).exitCode, 0);
        const auto waited =
            kubectl(args({"wait", "--for=condition=complete", "job/batch", "--timeout=90s"}));
        stop = true;
        sampler.join();
        QVERIFY2(waited.exitCode == 0, qPrintable(waited.err));
        const auto job = getJson(args({"get", "job", "batch"}));
        QCOMPARE(integer(job, {"status", "succeeded"}), 5);
        QVERIFY(maxActive <= 2 && maxActive >= 1);
        QVERIFY(hasEvent("involvedObject.name=batch", "Completed"));
        QVERIFY(hasEvent("involvedObject.name=batch", "SuccessfulCreate"));
    }

    void autoscalerScalesUpUnderLoadAndBackDown() {
        const char* manifest =
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata: {name: busy}\n"
            "spec:\n"
            "  replicas: 1\n"
            "  selector: {matchLabels: {app: busy}}\n"
            "  template:\n"
            "    metadata: {labels: {app: busy}}\n"
            "    spec:\n"
            "      containers:\n"
            "      - name: app\n"
            "        image: slipway.local/hello:1\n"
            "        resources: {requests: {cpu: 100m}}\n"
            "---\n"
            "apiVersion: autoscaling/v2\n"
            "kind: HorizontalPodAutoscaler\n"
            "metadata: {name: busy}\n"
            "spec:\n"
            "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: busy}\n"
            "  minReplicas: 1\n"
            "  maxReplicas: 5\n"
            "  metrics:\n"
            "  - type: Resource\n"
            "    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n"
            "  behavior:\n"
            "    scaleDown: {stabilizationWindowSeconds: 0}\n";
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), manifest).exitCode, 0);
        QVERIFY(rolloutStatus("busy"));
        // Simulated load: 200m per pod is 200% of the request, so 1 → 4 replicas.
        QCOMPARE(kubectl(args({"annotate", "deployment", "busy", "sim.slipway.dev/cpu-usage=200m"}))
                     .exitCode,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            integer(getJson(args({"get", "deployment", "busy"})), {"spec", "replicas"}) >= 4,
            60000);
        QVERIFY(hasEvent("involvedObject.name=busy", "SuccessfulRescale", "above target"));
        QCOMPARE(kubectl(args({"annotate", "deployment", "busy", "--overwrite",
                               "sim.slipway.dev/cpu-usage=5m"}))
                     .exitCode,
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            integer(getJson(args({"get", "deployment", "busy"})), {"spec", "replicas"}), 1, 60000);
        QVERIFY(hasEvent("involvedObject.name=busy", "SuccessfulRescale", "below target"));
    }

    void deletingANamespaceDeletesEverythingInIt() {
        QCOMPARE(kubectl(args({"create", "namespace", "scratch"})).exitCode, 0);
        QCOMPARE(kubectl(args({"create", "deployment", "web", "-n", "scratch",
                               "--image=slipway.local/hello:1", "--replicas=2"}))
                     .exitCode,
                 0);
        QCOMPARE(
            kubectl(args({"expose", "deployment", "web", "-n", "scratch", "--port=80"})).exitCode,
            0);
        QTRY_COMPARE_WITH_TIMEOUT(readyPods("app=web", "scratch"), 2, 30000);
        QCOMPARE(kubectl(args({"delete", "namespace", "scratch", "--timeout=60s"})).exitCode, 0);
        QCOMPARE(kubectl(args({"get", "namespace", "scratch"})).exitCode, 1);
        const auto left = m_client->list(client::resources::pods().in("scratch"));
        QVERIFY(left.ok() && left->items.empty());
        const auto sets = m_client->list(client::resources::replicaSets().in("scratch"));
        QVERIFY(sets.ok() && sets->items.empty());
    }
};

QTEST_GUILESS_MAIN(TstKubectlWorkloads)
#include "tst_kubectl_workloads.moc"
