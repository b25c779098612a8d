// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <QtTest>

#include "engine/agent/logs/cri_log.h"

using namespace slipway::agent::logs;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

TimePoint at(int second, int nanos = 0) {
    // 2024-05-01T10:00:00Z plus the given seconds.
    return TimePoint(std::chrono::seconds(1714557600 + second)) +
           std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos));
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string readLog(const fs::path& path, const LogOptions& options) {
    std::string out;
    auto result = CriLogReader::read(path, options, [&](std::string_view chunk) {
        out.append(chunk);
        return true;
    });
    if (!result) {
        return "error: " + result.error().message();
    }
    return out;
}

/// Writes lines "line 0".."line N-1" to stdout, one per second from at(0).
void writeLines(const fs::path& path, int count, CriLogWriter::Options options = {}) {
    CriLogWriter writer(path, options);
    QVERIFY(writer.open().ok());
    for (int i = 0; i < count; ++i) {
        QVERIFY(writer.write(Stream::Stdout, "line " + std::to_string(i) + "\n", at(i)).ok());
    }
    QVERIFY(writer.close(at(count)).ok());
}

}  // namespace

class TstCriLog : public QObject {
    Q_OBJECT
private slots:
    void formatsAndParsesRfc3339Nano() {
        QCOMPARE(formatRfc3339Nano(at(9, 669794202)),
                 std::string("2024-05-01T10:00:09.669794202Z"));
        QCOMPARE(formatRfc3339Nano(at(0)), std::string("2024-05-01T10:00:00.000000000Z"));
        QVERIFY(parseRfc3339Nano("2024-05-01T10:00:09.669794202Z") == at(9, 669794202));
        QVERIFY(parseRfc3339Nano("2024-05-01T10:00:09Z") == at(9));
        QVERIFY(parseRfc3339Nano("2024-05-01T12:00:09.5+02:00") == at(9, 500000000));
        QVERIFY(!parseRfc3339Nano("2024-05-01 10:00:09Z"));
        QVERIFY(!parseRfc3339Nano("yesterday"));
    }

    void logPathsFollowTheKubeletLayout() {
        QCOMPARE(containerLogPath("/var/lib/slipway/agent", "default", "web-1", "uid-1", "app", 2)
                     .string(),
                 std::string("/var/lib/slipway/agent/logs/default_web-1_uid-1/app/2.log"));
        QCOMPARE(previousLogPath("/x/app/2.log")->string(), std::string("/x/app/1.log"));
        QVERIFY(!previousLogPath("/x/app/0.log"));
        QVERIFY(!previousLogPath("/x/app/current.log"));
    }

    void writesOneEntryPerLineWithStreamAndTag() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("c/0.log")).toStdString();
        CriLogWriter writer(path, {});
        QVERIFY(writer.open().ok());
        QVERIFY(writer.write(Stream::Stdout, "hello\nwor", at(1)).ok());
        QVERIFY(writer.write(Stream::Stderr, "oops\n", at(2)).ok());
        QVERIFY(writer.write(Stream::Stdout, "ld\n", at(3)).ok());
        QVERIFY(writer.write(Stream::Stdout, "no newline", at(4)).ok());
        QVERIFY(writer.close(at(5)).ok());
        QCOMPARE(readAll(path),
                 std::string("2024-05-01T10:00:01.000000000Z stdout F hello\n"
                             "2024-05-01T10:00:02.000000000Z stderr F oops\n"
                             "2024-05-01T10:00:03.000000000Z stdout F world\n"
                             "2024-05-01T10:00:05.000000000Z stdout F no newline\n"));
    }

    void splitsLongLinesIntoPartialEntriesAndMergesThemBack() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("0.log")).toStdString();
        CriLogWriter writer(path, {.maxSizeBytes = 1 << 20, .maxFiles = 2, .maxEntryBytes = 4});
        QVERIFY(writer.open().ok());
        QVERIFY(writer.write(Stream::Stdout, "abcdefghij\n", at(1)).ok());
        QVERIFY(writer.write(Stream::Stdout, "$ ", at(2)).ok());
        QVERIFY(writer.flushPartial(at(2)).ok());
        QVERIFY(writer.write(Stream::Stdout, "ls\n", at(3)).ok());
        QVERIFY(writer.close(at(4)).ok());
        QCOMPARE(readAll(path), std::string("2024-05-01T10:00:01.000000000Z stdout P abcd\n"
                                            "2024-05-01T10:00:01.000000000Z stdout P efgh\n"
                                            "2024-05-01T10:00:01.000000000Z stdout F ij\n"
                                            "2024-05-01T10:00:02.000000000Z stdout P $ \n"
                                            "2024-05-01T10:00:03.000000000Z stdout F ls\n"));
        QCOMPARE(readLog(path, {}), std::string("abcdefghij\n$ ls\n"));
        LogOptions options;
        options.timestamps = true;
        QCOMPARE(readLog(path, options), std::string("2024-05-01T10:00:01.000000000Z abcdefghij\n"
                                                     "2024-05-01T10:00:02.000000000Z $ ls\n"));
    }

    void rotatesBySizeKeepingMaxFiles() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("0.log")).toStdString();
        // Each entry is 46 bytes ("<30-byte time> stdout F line N\n"): 3 fit in 150 bytes.
        writeLines(path, 20, {.maxSizeBytes = 150, .maxFiles = 3, .maxEntryBytes = 1024});
        QVERIFY(fs::exists(path));
        QVERIFY(fs::exists(path.string() + ".1"));
        QVERIFY(fs::exists(path.string() + ".2"));
        QVERIFY(!fs::exists(path.string() + ".3"));
        QVERIFY(fs::file_size(path) <= 150);
        // The newest lines survive, in order, across the rotated files.
        const std::string all = readLog(path, {});
        QVERIFY2(all.ends_with("line 17\nline 18\nline 19\n"), all.c_str());
        QVERIFY(all.find("line 0\n") == std::string::npos);
        QVERIFY(all.find("line 12\nline 13\n") != std::string::npos);
    }

    void tailSinceAndLimitBytes() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("0.log")).toStdString();
        writeLines(path, 10);
        LogOptions tail;
        tail.tailLines = 3;
        QCOMPARE(readLog(path, tail), std::string("line 7\nline 8\nline 9\n"));
        tail.tailLines = 0;
        QCOMPARE(readLog(path, tail), std::string());
        LogOptions since;
        since.sinceTime = at(8);
        QCOMPARE(readLog(path, since), std::string("line 8\nline 9\n"));
        LogOptions limit;
        limit.limitBytes = 10;
        QCOMPARE(readLog(path, limit), std::string("line 0\nlin"));
        LogOptions stamped;
        stamped.tailLines = 1;
        stamped.timestamps = true;
        QCOMPARE(readLog(path, stamped), std::string("2024-05-01T10:00:09.000000000Z line 9\n"));
    }

    void missingLogIsNotFound() {
        QTemporaryDir dir;
        auto result = CriLogReader::read(dir.filePath(QStringLiteral("9.log")).toStdString(), {},
                                         [](std::string_view) { return true; });
        QVERIFY(!result);
        QCOMPARE(result.error().code(), slipway::core::ErrorCode::NotFound);
    }

    void followSeesAppendedLinesAndRotationUntilCancelled() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("0.log")).toStdString();
        CriLogWriter writer(path, {.maxSizeBytes = 200, .maxFiles = 2, .maxEntryBytes = 1024});
        QVERIFY(writer.open().ok());
        QVERIFY(writer.write(Stream::Stdout, "before\n", at(0)).ok());

        std::atomic<bool> cancel{false};
        std::mutex mutex;
        std::string out;
        LogOptions options;
        options.follow = true;
        options.pollInterval = 10ms;
        std::thread reader([&] {
            (void)CriLogReader::read(
                path, options,
                [&](std::string_view chunk) {
                    std::lock_guard lock(mutex);
                    out.append(chunk);
                    return true;
                },
                &cancel);
        });
        auto seen = [&](const std::string& text) {
            std::lock_guard lock(mutex);
            return out.find(text) != std::string::npos;
        };
        QTRY_VERIFY_WITH_TIMEOUT(seen("before\n"), 5000);
        // Enough lines to rotate the file twice under the reader.
        for (int i = 0; i < 12; ++i) {
            QVERIFY(
                writer.write(Stream::Stdout, "after " + std::to_string(i) + "\n", at(i + 1)).ok());
            std::this_thread::sleep_for(20ms);
        }
        QTRY_VERIFY_WITH_TIMEOUT(seen("after 11\n"), 5000);
        cancel = true;
        reader.join();
        std::lock_guard lock(mutex);
        std::string expected = "before\n";
        for (int i = 0; i < 12; ++i) {
            expected += "after " + std::to_string(i) + "\n";
        }
        QCOMPARE(out, expected);
    }

    void followStopsWhenTheContainerFinished() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("0.log")).toStdString();
        writeLines(path, 2);
        LogOptions options;
        options.follow = true;
        options.pollInterval = 10ms;
        std::string out;
        auto result = CriLogReader::read(
            path, options,
            [&](std::string_view chunk) {
                out.append(chunk);
                return true;
            },
            nullptr, [] { return true; });
        QVERIFY(result.ok());
        QCOMPARE(out, std::string("line 0\nline 1\n"));
    }
};

QTEST_GUILESS_MAIN(TstCriLog)
#include "tst_cri_log.moc"
