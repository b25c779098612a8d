// SPDX-License-Identifier: Apache-2.0
// Issue 5: a node that lost power. A slipwayd with its node agent runs real containers on the
// pod network inside a network namespace this test makes (the "node"); then it is killed and
// everything a reboot takes away goes too (the containers' processes and shims, the pods'
// network namespaces and veths, their cgroups, every mount under the data dir, the node's
// bridge, nftables and forwarding), while the data dir stays as a disk would. The slipwayd
// started again on it must find its pods' sandboxes gone and start the pods again as a kubelet
// does after a reboot. Needs root (runc, namespaces, nftables); skipped otherwise.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <unistd.h>

#include "test_support.h"
#include "tests/support/netns.h"

using namespace slipway;
using nlohmann::json;
using testing::args;
using testing::eventually;

namespace {

constexpr const char* kNodeIp = "192.168.214.2";

// An init container, so that its second run in the new sandbox shows too.
const char* const kHello =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: hello\n"
    "spec:\n"
    "  replicas: 1\n"
    "  selector:\n"
    "    matchLabels: {app: hello}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: hello}\n"
    "    spec:\n"
    "      terminationGracePeriodSeconds: 1\n"
    "      initContainers:\n"
    "      - name: prepare\n"
    "        image: slipway.local/busybox:1\n"
    "        command: [sh, -c, 'echo prepared']\n"
    "      containers:\n"
    "      - name: hello\n"
    "        image: slipway.local/hello:1\n"
    "        ports:\n"
    "        - containerPort: 8080\n"
    "        readinessProbe:\n"
    "          httpGet: {path: /healthz, port: 8080}\n"
    "          periodSeconds: 1\n";

const char* const kOnce =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: once\n"
    "spec:\n"
    "  restartPolicy: Never\n"
    "  terminationGracePeriodSeconds: 0\n"
    "  containers:\n"
    "  - name: shell\n"
    "    image: slipway.local/busybox:1\n"
    "    command: [sleep, '3600']\n";

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

json containerStatus(const json& pod, const char* list = "containerStatuses") {
    const json statuses = pod.value("status", json::object()).value(list, json::array());
    return statuses.empty() ? json::object() : statuses[0];
}

}  // namespace

class TstNodeReboot : public QObject {
    Q_OBJECT

private:
    testing::NetworkNamespace m_node;
    testing::SlipwaydServer m_server;
    std::unique_ptr<testing::Kubectl> m_kubectl;
    const QStringList m_serverArgs = args({"--node-agent", "--kubelet-port", "0", "--node-ip",
                                           kNodeIp, "--crash-loop-backoff", "1s"});

    testing::CommandResult kubectl(const QStringList& arguments, const QByteArray& input = {}) {
        return (*m_kubectl)(arguments, input);
    }
    /// `kubectl ARGS -o json`; an empty object when kubectl fails.
    json getJson(const QStringList& arguments) {
        json got = m_kubectl->getJson(arguments);
        return got.is_object() ? got : json::object();
    }
    json pod(const QString& name) { return getJson({"get", "pod", name}); }
    std::vector<json> readyPods(const QString& selector) { return m_kubectl->readyPods(selector); }

    bool nodeReady() {
        const json nodes = getJson(args({"get", "nodes"}));
        for (const auto& node : nodes.value("items", json::array())) {
            for (const auto& condition : node["status"].value("conditions", json::array())) {
                if (condition.value("type", "") == "Ready") {
                    return condition.value("status", "") == "True";
                }
            }
        }
        return false;
    }

    /// The page a pod serves on its address, fetched from the node (across the bridge).
    QString pageAt(const std::string& podIp) {
        QString out;
        m_node.exec(QStringLiteral("timeout 5 busybox wget -qO- http://%1:8080/")
                        .arg(QString::fromStdString(podIp)),
                    &out);
        return out;
    }

    /// The pod addresses the agent's IPAM holds, with the sandbox holding each.
    std::map<std::string, std::string> ipamAddresses() {
        std::map<std::string, std::string> held;
        const QDir dir(m_server.dataDir() + QStringLiteral("/agent/network/ipam"));
        for (const auto& name : dir.entryList(QDir::Files)) {
            if (name.startsWith(QStringLiteral("10."))) {
                std::string owner = readText(dir.filePath(name).toStdString());
                owner.erase(std::remove(owner.begin(), owner.end(), '\n'), owner.end());
                held[name.toStdString()] = owner;
            }
        }
        return held;
    }

    /// An unclean power-off and the boot after it, on this machine: slipwayd is SIGKILLed,
    /// then what a reboot takes away goes: every process of the agent's containers and their
    /// shims, the containers' cgroups, the pods' network namespaces (their veths go with
    /// them), every mount under the data dir (root filesystems, tmpfs volumes), and in the
    /// node's namespace the bridge, the nftables tables and IPv4 forwarding. The data dir
    /// itself, runc's state root in it (<data>/agent/runc) included, stays as a disk keeps it.
    void powerOff() {
        m_server.process().kill();
        QVERIFY(m_server.process().waitForFinished(10000));

        const std::string containers = (m_server.dataDir() + "/agent/containers").toStdString();
        std::set<std::string> podUids;
        std::error_code ec;
        for (const auto& bundle : std::filesystem::directory_iterator(containers, ec)) {
            const json record =
                json::parse(readText(bundle.path() / "container.json"), nullptr, false);
            if (record.is_object()) {
                podUids.insert(record["config"].value("podUid", ""));
            }
            // The shims first, so that none records an exit: a reboot ends everything at once.
            // (A pid is only trusted if its command line names the bundle; the containers'
            // own processes are found through their cgroups below.)
            const pid_t pid = std::atoi(readText(bundle.path() / "shim.pid").c_str());
            if (pid > 0 && readText("/proc/" + std::to_string(pid) + "/cmdline")
                                   .find(bundle.path().string()) != std::string::npos) {
                ::kill(pid, SIGKILL);
            }
        }
        QVERIFY(!podUids.empty());

        // Whatever else runs in the pods' cgroups, then the cgroups themselves.
        std::vector<std::filesystem::path> podCgroups;
        for (const auto& uid : podUids) {
            if (std::filesystem::is_directory("/sys/fs/cgroup/slipway/pod" + uid, ec)) {
                podCgroups.emplace_back("/sys/fs/cgroup/slipway/pod" + uid);  // cgroup v2
            }
            for (const auto& controller :
                 std::filesystem::directory_iterator("/sys/fs/cgroup", ec)) {
                const auto path = controller.path() / "slipway" / ("pod" + uid);
                if (std::filesystem::is_directory(path, ec)) {
                    podCgroups.push_back(path);
                }
            }
        }
        const auto killCgroups = [&] {
            bool empty = true;
            for (const auto& pod : podCgroups) {
                for (const auto& child : std::filesystem::directory_iterator(pod, ec)) {
                    if (!child.is_directory()) {
                        continue;
                    }
                    std::ifstream procs(child.path() / "cgroup.procs");
                    for (pid_t pid = 0; procs >> pid;) {
                        ::kill(pid, SIGKILL);
                        empty = false;
                    }
                }
            }
            return empty;
        };
        QVERIFY2(eventually(killCgroups, 20000), "the containers' processes did not end");
        for (const auto& pod : podCgroups) {
            for (const auto& child : std::filesystem::directory_iterator(pod, ec)) {
                if (child.is_directory()) {
                    ::rmdir(child.path().c_str());
                }
            }
            ::rmdir(pod.c_str());
        }

        // The pods' network namespaces (/run is a tmpfs).
        for (const auto& uid : podUids) {
            const std::string netns = "/run/slipway/netns/" + uid;
            while (::umount2(netns.c_str(), MNT_DETACH) == 0) {
            }
            ::unlink(netns.c_str());
        }
        // Every mount under the data dir, deepest first.
        const std::string prefix =
            std::filesystem::weakly_canonical(m_server.dataDir().toStdString()).string() + "/";
        std::vector<std::string> mounts;
        std::ifstream mountinfo("/proc/self/mountinfo");
        for (std::string line; std::getline(mountinfo, line);) {
            std::istringstream fields(line);
            std::string id, parent, device, root, mountPoint;
            fields >> id >> parent >> device >> root >> mountPoint;
            if (mountPoint.starts_with(prefix)) {
                mounts.push_back(mountPoint);
            }
        }
        std::sort(mounts.begin(), mounts.end(),
                  [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
        for (const auto& mountPoint : mounts) {
            ::umount2(mountPoint.c_str(), MNT_DETACH);
        }
        // The node's network state that lives in memory.
        QCOMPARE(m_node.exec(QStringLiteral("ip link del slipway0; nft flush ruleset && "
                                            "sysctl -qw net.ipv4.ip_forward=0")),
                 0);
        // The pods' veths went with their namespaces.
        QVERIFY(eventually(
            [&] {
                QString links;
                m_node.exec(QStringLiteral("ip -o link show"), &links);
                return !links.contains(QStringLiteral(": veth"));
            },
            10000));
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (!testing::NetworkNamespace::available()) {
            QSKIP("runs containers on a pod network in a namespace of its own: needs root");
        }
        QVERIFY2(m_node.ok(), qPrintable(m_node.error()));
        QVERIFY(m_node.addDummy(QStringLiteral("node0"), QString(kNodeIp) + "/24"));
        m_server.setNetworkNamespace(&m_node);
        QVERIFY(m_server.start(m_serverArgs));
        m_kubectl = std::make_unique<testing::Kubectl>(m_server.kubeconfigPath());
        m_kubectl->setNetworkNamespace(&m_node);
        QVERIFY(eventually([&] { return nodeReady(); }, 60000));
    }

    void podsStartAgainAfterAPowerOff() {
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kHello).exitCode, 0);
        QCOMPARE(kubectl(args({"apply", "-f", "-"}), kOnce).exitCode, 0);
        QVERIFY2(
            eventually([&] { return readyPods(QStringLiteral("app=hello")).size() == 1; }, 120000),
            "hello never became ready");
        QVERIFY(eventually(
            [&] {
                return pod(QStringLiteral("once"))
                           .value("/status/phase"_json_pointer, std::string()) == "Running";
            },
            60000));
        const json before = readyPods(QStringLiteral("app=hello")).front();
        const QString name = QString::fromStdString(before["metadata"].value("name", ""));
        const std::string uid = before["metadata"].value("uid", "");
        const std::string onceUid = pod(QStringLiteral("once"))["metadata"].value("uid", "");
        const std::string oldIp = before.value("/status/podIP"_json_pointer, std::string());
        const json oldStatus = containerStatus(before);
        QCOMPARE(oldStatus.value("restartCount", -1), 0);
        QVERIFY(pageAt(oldIp).contains(QStringLiteral("hello, version 1")));

        powerOff();
        if (QTest::currentTestFailed()) {
            return;
        }
        QVERIFY(!QFileInfo::exists(QString::fromStdString("/run/slipway/netns/" + uid)));
        QVERIFY(m_server.start(m_serverArgs));

        // The same pod (nothing deleted or replaced) runs again in a new sandbox: its container
        // restarted once, the one before it terminated 255 "Unknown" (its task vanished).
        QVERIFY2(eventually(
                     [&] {
                         const auto ready = readyPods(QStringLiteral("app=hello"));
                         return ready.size() == 1 &&
                                containerStatus(ready.front()).value("restartCount", 0) == 1;
                     },
                     120000),
                 "hello did not become ready again with restartCount 1");
        const json after = pod(name);
        QCOMPARE(after["metadata"].value("uid", ""), uid);
        const json status = containerStatus(after);
        QVERIFY2(status.value("/state/running"_json_pointer, json()).is_object(),
                 status.dump().c_str());
        QCOMPARE(status.value("ready", false), true);
        QVERIFY(status.value("containerID", "") != oldStatus.value("containerID", ""));
        const json last = status.value("/lastState/terminated"_json_pointer, json::object());
        QCOMPARE(last.value("reason", ""), std::string("Unknown"));
        QCOMPARE(last.value("exitCode", 0), 255);
        QCOMPARE(last.value("containerID", ""), oldStatus.value("containerID", ""));
        // Its init container ran again in the new sandbox.
        const json init = containerStatus(after, "initContainerStatuses");
        QCOMPARE(init.value("restartCount", 0), 1);
        QCOMPARE(init.value("/state/terminated/reason"_json_pointer, std::string()),
                 std::string("Completed"));
        // The new sandbox: a namespace, an address on the bridge, the page served there.
        QVERIFY(QFileInfo::exists(QString::fromStdString("/run/slipway/netns/" + uid)));
        const std::string newIp = after.value("/status/podIP"_json_pointer, std::string());
        QVERIFY2(newIp.starts_with("10.244.0."), newIp.c_str());
        QVERIFY(eventually([&] { return pageAt(newIp).contains("hello, version 1"); }, 30000));
        // The volumes came back too (the service account's token, a tmpfs the reboot took).
        const auto exec = kubectl({"exec", name, "-c", "hello", "--", "cat",
                                   "/var/run/secrets/kubernetes.io/serviceaccount/namespace"});
        QVERIFY2(exec.exitCode == 0, qPrintable(exec.err));
        QCOMPARE(exec.out.trimmed(), QStringLiteral("default"));
        QVERIFY(eventually(
            [&] {
                const json events =
                    getJson({"get", "events", "--field-selector", "involvedObject.name=" + name});
                for (const auto& event : events.value("items", json::array())) {
                    if (event.value("reason", "") == "SandboxChanged") {
                        return true;
                    }
                }
                return false;
            },
            30000));

        // restartPolicy Never: no new sandbox, the container stays terminated, the pod failed.
        QVERIFY(eventually(
            [&] {
                return pod(QStringLiteral("once"))
                           .value("/status/phase"_json_pointer, std::string()) == "Failed";
            },
            60000));
        const json once = containerStatus(pod(QStringLiteral("once")));
        QCOMPARE(once.value("restartCount", -1), 0);
        QCOMPARE(once.value("/state/terminated/reason"_json_pointer, std::string()),
                 std::string("Unknown"));
        QCOMPARE(once.value("/state/terminated/exitCode"_json_pointer, 0), 255);
        QVERIFY(!QFileInfo::exists(QString::fromStdString("/run/slipway/netns/" + onceUid)));

        // The addresses of the vanished sandboxes were freed: the IPAM holds hello's only.
        const auto held = ipamAddresses();
        QCOMPARE(held.size(), std::size_t{1});
        QCOMPARE(held.begin()->first, newIp);
        QCOMPARE(held.begin()->second, uid);
    }

    void cleanupTestCase() {
        if (m_kubectl && m_server.process().state() == QProcess::Running) {
            kubectl(args({"delete", "deployment", "hello", "--wait=false"}));
            kubectl(args({"delete", "pod", "once", "--wait=false"}));
            eventually(
                [&] {
                    return getJson(args({"get", "pods"})).value("items", json::array()).empty();
                },
                60000);
        }
        // ~SlipwaydServer resets the node (containers, sandboxes, mounts, the pod network).
    }
};

QTEST_GUILESS_MAIN(TstNodeReboot)
#include "tst_node_reboot.moc"
