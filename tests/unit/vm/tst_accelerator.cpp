// SPDX-License-Identifier: Apache-2.0
// The KVM probe: a guest that boots means KVM, anything else TCG, and the answer is kept for
// the rest of the boot. QEMU is replaced by small scripts that behave like a working and a
// hanging KVM guest.
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "vm/accelerator.h"

using namespace slipway;

class TstAccelerator : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::filesystem::path script(const char* name, const std::string& body) {
        const auto path = std::filesystem::path(m_dir.path().toStdString()) / name;
        if (!core::writeFileAtomically(path, "#!/bin/sh\n" + body).ok()) {
            return {};
        }
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return path;
    }

    vm::KvmProbeOptions options(const std::filesystem::path& qemu) {
        vm::KvmProbeOptions probe;
        probe.qemu = qemu;
        probe.kernel = "/boot/vmlinuz-does-not-matter";
        probe.kvmDevice = "/dev/null";  // opens read-write like a usable /dev/kvm
        probe.deadline = std::chrono::milliseconds(1500);
        probe.bootId = "boot-1";
        return probe;
    }

private slots:
    void namesParse() {
        QVERIFY(*vm::parseAccelerator("kvm") == vm::Accelerator::Kvm);
        QVERIFY(*vm::parseAccelerator("tcg") == vm::Accelerator::Tcg);
        QVERIFY(*vm::parseAccelerator("auto") == vm::Accelerator::Auto);
        const auto bad = vm::parseAccelerator("hvf");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message().find("kvm, tcg or auto") != std::string::npos);
    }

    void aGuestThatBootsMeansKvm() {
        const auto qemu = script("qemu-boots",
                                 "echo 'Kernel panic - not syncing: VFS: Unable "
                                 "to mount root fs'\nexit 0\n");
        const auto choice = vm::probeKvm(options(qemu));
        QVERIFY(choice.accelerator == vm::Accelerator::Kvm);
        QVERIFY(!choice.cached);
    }

    void aGuestThatHangsMeansTcgAfterTheDeadline() {
        const auto qemu = script("qemu-hangs", "exec sleep 30\n");
        QElapsedTimer clock;
        clock.start();
        const auto choice = vm::probeKvm(options(qemu));
        QVERIFY(choice.accelerator == vm::Accelerator::Tcg);
        QVERIFY2(choice.reason.find("did not boot within") != std::string::npos,
                 choice.reason.c_str());
        QVERIFY(clock.elapsed() < 10000);
    }

    void qemuRefusingKvmMeansTcgWithItsMessage() {
        const auto qemu = script("qemu-fails",
                                 "echo 'qemu: failed to initialize kvm: Permission denied' >&2\n"
                                 "exit 1\n");
        const auto choice = vm::probeKvm(options(qemu));
        QVERIFY(choice.accelerator == vm::Accelerator::Tcg);
        QVERIFY2(choice.reason.find("failed to initialize kvm") != std::string::npos,
                 choice.reason.c_str());
    }

    void noKvmDeviceMeansTcgWithoutRunningQemu() {
        auto probe = options("/nonexistent/qemu");
        probe.kvmDevice = "/nonexistent/kvm";
        const auto choice = vm::probeKvm(probe);
        QVERIFY(choice.accelerator == vm::Accelerator::Tcg);
        QVERIFY(choice.reason.find("/nonexistent/kvm") != std::string::npos);
    }

    void theAnswerIsCachedForTheBoot() {
        const auto cache = std::filesystem::path(m_dir.path().toStdString()) / "cache/probe.json";
        const auto counter = std::filesystem::path(m_dir.path().toStdString()) / "runs";
        const auto qemu = script("qemu-counts", "echo run >> '" + counter.string() +
                                                    "'\necho 'Kernel panic - not syncing'\n");
        auto probe = options(qemu);
        probe.cacheFile = cache;
        QVERIFY(vm::probeKvm(probe).accelerator == vm::Accelerator::Kvm);
        const auto again = vm::probeKvm(probe);
        QVERIFY(again.accelerator == vm::Accelerator::Kvm);
        QVERIFY(again.cached);
        QCOMPARE(*core::readFile(counter), std::string("run\n"));

        // A new boot probes again.
        probe.bootId = "boot-2";
        const auto newBoot = vm::probeKvm(probe);
        QVERIFY(!newBoot.cached);
        QCOMPARE(*core::readFile(counter), std::string("run\nrun\n"));
    }
};

QTEST_GUILESS_MAIN(TstAccelerator)
#include "tst_accelerator.moc"
