// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <sys/stat.h>

#include "engine/core/atomic_file.h"
#include "engine/core/replace_file.h"

using namespace slipway;

class TstAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void writesReplacesAndReadsBack() {
        QTemporaryDir dir;
        const std::filesystem::path file =
            dir.filePath(QStringLiteral("config.json")).toStdString();
        QVERIFY(core::writeFileAtomically(file, "first").ok());
        QVERIFY(core::writeFileAtomically(file, "second, longer").ok());
        const auto text = core::readFile(file);
        QVERIFY(text.ok());
        QCOMPARE(*text, std::string("second, longer"));
        // Nothing of the temporary file is left beside it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("config.json")});
    }

    void appliesTheModeDespiteTheUmask() {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("secret")).toStdString();
        const mode_t previous = ::umask(0);
        const auto written = core::writeFileAtomically(file, "token", 0600);
        ::umask(previous);
        QVERIFY(written.ok());
        struct stat info {};
        QCOMPARE(::stat(file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
    }

    void replaceFileSwapsWholeFilesToo() {
        // The same rename-over as writeFileAtomically, without the fsync.
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("state.json")).toStdString();
        QVERIFY(core::replaceFile(file, "{\"ready\":false}").ok());
        QVERIFY(core::replaceFile(file, "{\"ready\":true}", 0600).ok());
        QCOMPARE(*core::readFile(file), std::string("{\"ready\":true}"));
        struct stat info {};
        QCOMPARE(::stat(file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("state.json")});
        QCOMPARE(core::replaceFile("/nonexistent-dir/state.json", "x").error().code(),
                 core::ErrorCode::Io);
    }

    void missingFileIsNotFound() {
        QTemporaryDir dir;
        const auto text = core::readFile(dir.filePath(QStringLiteral("absent")).toStdString());
        QVERIFY(!text.ok());
        QCOMPARE(text.error().code(), core::ErrorCode::NotFound);
    }

    void unwritableDirectoryIsAnIoErrorNamingThePath() {
        const std::filesystem::path file = "/nonexistent-dir-slipway/file";
        const auto written = core::writeFileAtomically(file, "x");
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code(), core::ErrorCode::Io);
        QVERIFY(written.error().message().find("/nonexistent-dir-slipway/file") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstAtomicFile)
#include "tst_atomic_file.moc"
