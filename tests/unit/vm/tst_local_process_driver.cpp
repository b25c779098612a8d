// SPDX-License-Identifier: Apache-2.0
// The local-process driver's pause and resume (SIGSTOP/SIGCONT of the daemon's process group)
// and stop from paused, on a stand-in daemon: `sleep`, which the driver accepts as its
// "slipwayd" when told that is the binary. Also the host probes the create wizard uses.
#include <fstream>

#include <QtTest>

#include "engine/core/atomic_file.h"
#include "vm/host_capabilities.h"
#include "vm/local_process_driver.h"
#include "vm/process.h"

using namespace slipway;

namespace {

/// The state letter of `pid` in /proc/PID/stat ('S' sleeping, 'T' stopped), or 0.
char stateOf(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() ? '\0' : line[paren + 2];
}

}  // namespace

class TstLocalProcessDriver : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void pauseAndResumeFreezeTheDaemon() {
        const std::filesystem::path sleep = vm::findExecutable("sleep");
        QVERIFY(std::filesystem::exists(sleep));
        vm::LocalProcessDriver driver(sleep);
        vm::ClusterSpec spec;
        spec.name = "unit-pause";
        const std::filesystem::path dir = m_dir.path().toStdString();

        // Stopped: nothing to pause.
        QCOMPARE(driver.pause(spec, dir).error().code(), core::ErrorCode::Unavailable);
        QCOMPARE(driver.resume(spec, dir).error().code(), core::ErrorCode::Unavailable);

        auto pid = vm::spawnDaemon({sleep.string(), "600"}, dir / "slipwayd.log");
        QVERIFY(pid.ok());
        QVERIFY(core::writeFileAtomically(dir / "slipwayd.pid", std::to_string(*pid) + "\n").ok());
        QVERIFY(driver.observe(spec, dir).running);
        QVERIFY(!driver.observe(spec, dir).paused);

        // Pause is idempotent and shows as paused; the process is stopped by the kernel.
        QVERIFY(driver.pause(spec, dir).ok());
        QCOMPARE(stateOf(*pid), 'T');
        QVERIFY(driver.observe(spec, dir).running);
        QVERIFY(driver.observe(spec, dir).paused);
        QVERIFY(driver.pause(spec, dir).ok());

        // Resume is idempotent too.
        QVERIFY(driver.resume(spec, dir).ok());
        QVERIFY(stateOf(*pid) != 'T');
        QVERIFY(!driver.observe(spec, dir).paused);
        QVERIFY(driver.resume(spec, dir).ok());

        // Stop from paused: the process must run again to take its SIGTERM, and it does.
        QVERIFY(driver.pause(spec, dir).ok());
        QVERIFY(driver.halt(spec, dir, std::chrono::seconds(5), {}).ok());
        QVERIFY(!vm::processAlive(*pid));
        QVERIFY(!driver.observe(spec, dir).running);
        QVERIFY(!std::filesystem::exists(dir / "slipwayd.pid"));
    }

    void readsTheHostsResources() {
        QCOMPARE(vm::memTotalMiB("MemTotal:       16314504 kB\nMemFree: 1 kB\n"),
                 std::int64_t{15932});
        QCOMPARE(vm::memTotalMiB("MemFree: 1 kB\n"), std::int64_t{0});
        // A root that does not exist yet is measured where it will be made.
        const auto host = vm::probeHostResources(m_dir.path().toStdString() + "/not/yet");
        QVERIFY(host.cpus >= 1);
        QVERIFY(host.memoryMiB > 0);
        QVERIFY(host.diskFreeGiB >= 0);
    }

    void localDriverNeedsSlipwaydAndRoot() {
        const auto missing = vm::localDriverAvailability("/nonexistent/slipwayd", true);
        QVERIFY(!missing.available);
        QVERIFY(missing.reason.find("slipwayd was not found") != std::string::npos);
        const std::filesystem::path sleep = vm::findExecutable("sleep");
        const auto notRoot = vm::localDriverAvailability(sleep, false);
        QVERIFY(!notRoot.available);
        QVERIFY(notRoot.reason.find("root") != std::string::npos);
        QVERIFY(vm::localDriverAvailability(sleep, true).available);
    }
};

QTEST_GUILESS_MAIN(TstLocalProcessDriver)
#include "tst_local_process_driver.moc"
