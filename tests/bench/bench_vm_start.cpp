// SPDX-License-Identifier: Apache-2.0
// Figures for docs/BENCHMARKS.md: a libvirt cluster under TCG, from `slipway start` to node
// Ready split by the phases slipway prints, a restart of the stopped cluster, the memory the
// VM and the engine use with the demo app running, and the same start for two nodes. Prints
// figures; asserts only that the operations succeeded. Needs libvirt and the guest image (like
// tests/vm).
#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "vm/libvirt_connection.h"

#include "tests/integration/test_support.h"
#include "tests/vm/vm_test_cluster.h"

using namespace slipway;

namespace {

const char* const kDemo =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: hello}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector: {matchLabels: {app: hello}}\n"
    "  template:\n"
    "    metadata: {labels: {app: hello}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - {name: hello, image: slipway.local/hello:1, ports: [{containerPort: 8080}]}\n";

/// A phase line `* text` and when it was printed (ms since the command started).
struct Phase {
    double atMs = 0;
    QString text;
};

/// The resident memory of a process in MiB, from /proc/PID/status (VmRSS).
double residentMiB(const QString& pid) {
    const auto status = core::readFile("/proc/" + pid.toStdString() + "/status");
    if (!status) {
        return 0;
    }
    const auto at = status->find("VmRSS:");
    if (at == std::string::npos) {
        return 0;
    }
    return std::stod(status->substr(at + 6)) / 1024.0;
}

}  // namespace

class BenchVmStart : public QObject {
    Q_OBJECT

    testing::VmTestCluster m_cluster{QStringLiteral("bench-vm")};
    testing::VmTestCluster m_twoNodes{QStringLiteral("bench-vmm")};

    /// Runs `slipway ARGS`, timestamping every line it prints.
    static std::vector<Phase> timedPhases(const testing::VmTestCluster& cluster,
                                          const QStringList& arguments, int* exitCode) {
        QProcess process;
        process.setProcessEnvironment(cluster.environment());
        QElapsedTimer clock;
        clock.start();
        process.start(testing::binary(QStringLiteral("slipway")),
                      arguments + QStringList{"--cluster", cluster.name()});
        std::vector<Phase> phases;
        QByteArray pending;
        while (process.state() != QProcess::NotRunning || process.bytesAvailable() > 0) {
            process.waitForReadyRead(100);
            pending += process.readAllStandardOutput();
            for (auto newline = pending.indexOf('\n'); newline >= 0;
                 newline = pending.indexOf('\n')) {
                phases.push_back(
                    {double(clock.nsecsElapsed()) / 1e6, QString::fromUtf8(pending.left(newline))});
                pending.remove(0, newline + 1);
            }
            if (clock.elapsed() > 600000) {
                process.kill();
            }
        }
        phases.push_back({double(clock.nsecsElapsed()) / 1e6, QStringLiteral("(exit)")});
        *exitCode = process.exitCode();
        if (process.exitCode() != 0) {
            qWarning("%s", process.readAllStandardError().constData());
        }
        return phases;
    }

    static void printPhases(const char* title, const std::vector<Phase>& phases) {
        std::printf("BENCH %s: %.1f s in all\n", title, phases.back().atMs / 1000.0);
        for (std::size_t i = 0; i + 1 < phases.size(); ++i) {
            // Each phase lasts until the next line.
            const double duration = phases[i + 1].atMs - phases[i].atMs;
            std::printf("BENCH   +%6.2f s  %6.2f s  %s\n", phases[i].atMs / 1000.0,
                        duration / 1000.0, qPrintable(phases[i].text));
        }
    }

private slots:
    void initTestCase() {
        if (const QString why = testing::VmTestCluster::libvirtUnusable(); !why.isEmpty()) {
            QSKIP(qPrintable(why));
        }
    }

    void startToNodeReadyUnderTcg() {
        int exitCode = -1;
        const auto first = timedPhases(m_cluster,
                                       {"start", "--driver", "libvirt", "--accel", "tcg", "--cpus",
                                        "2", "--memory", "512", "--disk", "2"},
                                       &exitCode);
        QCOMPARE(exitCode, 0);
        printPhases("slipway start --driver libvirt --accel tcg (new cluster, to node Ready)",
                    first);

        QCOMPARE(m_cluster.slipway({"stop"}, 600000).exitCode, 0);
        const auto second = timedPhases(m_cluster, {"start"}, &exitCode);
        QCOMPARE(exitCode, 0);
        printPhases("slipway start (stopped cluster, disk kept, to node Ready)", second);
    }

    void memoryWithTheDemoApp() {
        testing::Kubectl kubectl(m_cluster.kubeconfig());
        QCOMPARE(kubectl({"apply", "-f", "-"}, kDemo).exitCode, 0);
        const auto rolled = kubectl({"rollout", "status", "deployment/hello", "--timeout=300s"});
        QVERIFY2(rolled.exitCode == 0, qPrintable(rolled.err));
        // QEMU's resident memory is what the VM costs the host.
        const auto pid =
            core::readFile("/run/libvirt/qemu/slipway-" + m_cluster.name().toStdString() + ".pid");
        QVERIFY(pid.ok());
        std::printf("BENCH VM (QEMU process) resident memory, 512 MiB VM, 2 hello pods: %.0f MiB\n",
                    residentMiB(QString::fromStdString(*pid).trimmed()));
        // What the guest reports itself (slipwayd's metrics: the node's working set).
        QVERIFY(testing::eventually(
            [&] {
                const auto top = kubectl({"top", "node", "--no-headers"});
                if (top.exitCode != 0 || top.out.trimmed().isEmpty()) {
                    return false;
                }
                std::printf("BENCH guest memory in use (kubectl top node): %s\n",
                            qPrintable(top.out.simplified()));
                return true;
            },
            120000));
    }

    void twoNodesToAllReadyUnderTcg() {
        // The first cluster is gone: two TCG guests have the machine's two cores to themselves.
        QCOMPARE(m_cluster.slipway({"delete"}, 600000).exitCode, 0);
        int exitCode = -1;
        const auto first = timedPhases(m_twoNodes,
                                       {"start", "--driver", "libvirt", "--accel", "tcg", "--nodes",
                                        "2", "--cpus", "1", "--memory", "1024", "--disk", "2"},
                                       &exitCode);
        QCOMPARE(exitCode, 0);
        printPhases("slipway start --nodes 2 --cpus 1 (new cluster, to all nodes Ready)", first);
        QCOMPARE(m_twoNodes.slipway({"stop"}, 600000).exitCode, 0);
        const auto second = timedPhases(m_twoNodes, {"start"}, &exitCode);
        QCOMPARE(exitCode, 0);
        printPhases("slipway start (2 nodes stopped, disks kept, to all nodes Ready)", second);
        const auto added = timedPhases(m_twoNodes, {"node", "add"}, &exitCode);
        QCOMPARE(exitCode, 0);
        printPhases("slipway node add (a third node, to Ready)", added);
    }

    void cleanupTestCase() {
        m_cluster.removeEverything();
        m_twoNodes.removeEverything();
    }
};

QTEST_GUILESS_MAIN(BenchVmStart)
#include "bench_vm_start.moc"
