// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/file_lock.h"

using namespace slipway;

class TstFileLock : public QObject {
    Q_OBJECT
private slots:
    void secondHolderIsRefusedUntilTheFirstLetsGo() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("lock")).toStdString();
        {
            auto first = core::FileLock::acquire(path);
            QVERIFY(first.ok());
            // flock belongs to the open file description, so a second open conflicts even
            // inside one process, as a second slipwayd would.
            auto second = core::FileLock::acquire(path);
            QVERIFY(!second.ok());
            QCOMPARE(second.error().code(), core::ErrorCode::Conflict);
        }
        auto again = core::FileLock::acquire(path);
        QVERIFY(again.ok());
    }

    void moveTransfersOwnership() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("lock")).toStdString();
        auto first = core::FileLock::acquire(path);
        QVERIFY(first.ok());
        core::FileLock moved = std::move(*first);
        QVERIFY(!core::FileLock::acquire(path).ok());
    }
};

QTEST_GUILESS_MAIN(TstFileLock)
#include "tst_file_lock.moc"
