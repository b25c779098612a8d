// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "vm/process.h"

using namespace slipway;
using namespace std::chrono_literals;

class TstProcess : public QObject {
    Q_OBJECT
private slots:
    void daemonRunsDetachedAndTerminates() {
        QTemporaryDir dir;
        const std::filesystem::path log = dir.filePath(QStringLiteral("out.log")).toStdString();
        const auto pid = vm::spawnDaemon({"/bin/sh", "-c", "echo started; exec sleep 60"}, log);
        QVERIFY2(pid.ok(), pid.ok() ? "" : pid.error().message().c_str());
        QVERIFY(vm::processAlive(*pid));
        // Not our child: the double fork hands it to init, so it outlives this test's parent.
        QVERIFY(::getppid() != *pid);
        QTRY_COMPARE(vm::processName(*pid), std::string("sleep"));
        QTRY_COMPARE(vm::tailOfFile(log, 5), std::string("started\n"));
        QVERIFY(vm::terminateProcess(*pid, 5s).ok());
        QVERIFY(!vm::processAlive(*pid));
        // Already gone is success.
        QVERIFY(vm::terminateProcess(*pid, 5s).ok());
    }

    void processIgnoringSigtermIsKilledAfterTheGrace() {
        QTemporaryDir dir;
        const auto pid = vm::spawnDaemon(
            {"/bin/sh", "-c", "trap '' TERM; echo armed; while :; do sleep 1; done"},
            dir.filePath(QStringLiteral("log")).toStdString());
        QVERIFY(pid.ok());
        QTRY_COMPARE(vm::tailOfFile(dir.filePath(QStringLiteral("log")).toStdString(), 1),
                     std::string("armed\n"));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(vm::terminateProcess(*pid, 300ms).ok());
        QVERIFY(!vm::processAlive(*pid));
        QVERIFY(clock.elapsed() >= 300);
    }

    void processNameSurvivesTheBinaryBeingReplaced() {
        // A rebuild or package upgrade deletes the running binary: it must still count as
        // the same program, or `slipway stop` would think the cluster stopped.
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("slipwayd"));
        QVERIFY(QFile::copy(QStringLiteral("/bin/sleep"), copy));
        const auto pid = vm::spawnDaemon({copy.toStdString(), "60"},
                                         dir.filePath(QStringLiteral("log")).toStdString());
        QVERIFY(pid.ok());
        QTRY_COMPARE(vm::processName(*pid), std::string("slipwayd"));
        QVERIFY(QFile::remove(copy));
        QCOMPARE(vm::processName(*pid), std::string("slipwayd"));
        QVERIFY(vm::terminateProcess(*pid, 5s).ok());
    }

    void missingBinaryIsAnErrorNotADeadProcess() {
        QTemporaryDir dir;
        const auto pid = vm::spawnDaemon({"/nonexistent/slipwayd", "server"},
                                         dir.filePath(QStringLiteral("log")).toStdString());
        QVERIFY(!pid.ok());
        QCOMPARE(pid.error().code(), core::ErrorCode::NotFound);
        QVERIFY(pid.error().message().find("/nonexistent/slipwayd") != std::string::npos);
    }

    void tailKeepsTheLastLines() {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("log"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("1\n2\n3\n4\n");
        file.close();
        QCOMPARE(vm::tailOfFile(path.toStdString(), 2), std::string("3\n4\n"));
        QCOMPARE(vm::tailOfFile("/nonexistent", 2), std::string());
    }
};

QTEST_GUILESS_MAIN(TstProcess)
#include "tst_process.moc"
