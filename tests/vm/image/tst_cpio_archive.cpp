// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <fstream>

#include <QTemporaryDir>
#include <QtTest>

#include "vm/image/cpio_archive.h"

#include "tests/vm/image/cpio_reader.h"

using namespace slipway::vm::image;
using slipway::vm::image::testing::readCpio;

class TestCpioArchive : public QObject {
    Q_OBJECT

private:
    static CpioArchive sample(const std::filesystem::path& source) {
        CpioArchive archive;
        archive.addFile("/usr/bin/tool", "#!/bin/sh\necho hi\n", 0755);
        archive.addSymlink("bin", "usr/bin");
        archive.addDirectory("tmp", 01777);
        archive.addFile("./etc/secret", "key", 0600);
        archive.addFileFrom("usr/share/data.bin", source, 0644);
        archive.addFile("empty", "");
        return archive;
    }

private slots:
    void normalizesPaths() {
        QCOMPARE(CpioArchive::normalizePath("/usr/bin/sh"), std::string("usr/bin/sh"));
        QCOMPARE(CpioArchive::normalizePath("./a//b/./c/"), std::string("a/b/c"));
        QCOMPARE(CpioArchive::normalizePath("usr/bin/../lib/x"), std::string("usr/lib/x"));
        QCOMPARE(CpioArchive::normalizePath("../etc/passwd"), std::string());
        QCOMPARE(CpioArchive::normalizePath("/"), std::string());
    }

    void parsesCompressionNames() {
        QCOMPARE(parseCompression("gzip"), std::optional(Compression::Gzip));
        QCOMPARE(parseCompression("zstd"), std::optional(Compression::Zstd));
        QCOMPARE(parseCompression("none"), std::optional(Compression::None));
        QVERIFY(!parseCompression("lz4"));
        QCOMPARE(compressionName(Compression::Zstd), std::string_view("zstd"));
    }

    void roundTripsEntriesModesAndContents_data() {
        QTest::addColumn<int>("compression");
        QTest::newRow("none") << static_cast<int>(Compression::None);
        QTest::newRow("gzip") << static_cast<int>(Compression::Gzip);
        QTest::newRow("zstd") << static_cast<int>(Compression::Zstd);
    }
    void roundTripsEntriesModesAndContents() {
        QFETCH(int, compression);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path source = dir.filePath(QStringLiteral("data.bin")).toStdString();
        std::string big(200000, '\0');
        for (std::size_t i = 0; i < big.size(); ++i) {
            big[i] = static_cast<char>(i * 7 % 251);
        }
        std::ofstream(source, std::ios::binary) << big;

        const auto bytes = sample(source).toBytes(static_cast<Compression>(compression));
        QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().message().c_str());
        const auto read = readCpio(*bytes);
        QVERIFY(read.ok);
        QCOMPARE(read.formats.size(), std::size_t(1));
        QVERIFY2(read.formats.front().find("newc") != std::string::npos ||
                     read.formats.front().find("SVR4") != std::string::npos,
                 read.formats.front().c_str());
        // Sorted, with every parent directory before its children.
        const std::vector<std::string> expected{
            "bin", "empty",   "etc",          "etc/secret", "tmp",
            "usr", "usr/bin", "usr/bin/tool", "usr/share",  "usr/share/data.bin"};
        QCOMPARE(read.order, expected);
        std::int64_t lastInode = 0;
        for (const auto& path : read.order) {
            const auto& entry = read.entries.at(path);
            QCOMPARE(entry.uid, std::int64_t(0));
            QCOMPARE(entry.gid, std::int64_t(0));
            QCOMPARE(entry.mtime, std::int64_t(0));
            QVERIFY2(entry.inode > lastInode, path.c_str());  // fixed, by position
            lastInode = entry.inode;
        }
        QCOMPARE(read.entries.at("usr/bin/tool").type, static_cast<unsigned>(AE_IFREG));
        QCOMPARE(read.entries.at("usr/bin/tool").mode, 0755u);
        QCOMPARE(read.entries.at("usr/bin/tool").content, std::string("#!/bin/sh\necho hi\n"));
        QCOMPARE(read.entries.at("etc/secret").mode, 0600u);
        QCOMPARE(read.entries.at("tmp").type, static_cast<unsigned>(AE_IFDIR));
        QCOMPARE(read.entries.at("tmp").mode, 01777u);
        QCOMPARE(read.entries.at("usr/share").mode, 0755u);
        QCOMPARE(read.entries.at("bin").type, static_cast<unsigned>(AE_IFLNK));
        QCOMPARE(read.entries.at("bin").content, std::string("usr/bin"));
        QCOMPARE(read.entries.at("usr/share/data.bin").content, big);
        QCOMPARE(read.entries.at("empty").content, std::string());
    }

    void sameEntriesGiveSameBytes_data() { roundTripsEntriesModesAndContents_data(); }
    void sameEntriesGiveSameBytes() {
        QFETCH(int, compression);
        QTemporaryDir dir;
        const std::filesystem::path source = dir.filePath(QStringLiteral("data.bin")).toStdString();
        std::ofstream(source, std::ios::binary) << std::string(5000, 'x');
        const auto first = sample(source).toBytes(static_cast<Compression>(compression));
        // Added in another order, and the source file touched: still the same bytes.
        CpioArchive reordered;
        reordered.addFile("empty", "");
        reordered.addFileFrom("usr/share/data.bin", source, 0644);
        reordered.addFile("etc/secret", "key", 0600);
        reordered.addDirectory("tmp", 01777);
        reordered.addSymlink("bin", "usr/bin");
        reordered.addFile("usr/bin/tool", "#!/bin/sh\necho hi\n", 0755);
        std::filesystem::last_write_time(source, std::filesystem::file_time_type::clock::now());
        const auto second = reordered.toBytes(static_cast<Compression>(compression));
        QVERIFY(first.ok() && second.ok());
        QVERIFY(*first == *second);
    }

    void gzipHeaderHasNoTimestamp() {
        CpioArchive archive;
        archive.addFile("a", "b");
        const auto bytes = archive.toBytes(Compression::Gzip);
        QVERIFY(bytes.ok());
        QVERIFY(bytes->size() > 10);
        QCOMPARE(static_cast<unsigned char>((*bytes)[0]), 0x1fu);
        QCOMPARE(static_cast<unsigned char>((*bytes)[1]), 0x8bu);
        // MTIME, bytes 4..7 of the member header (RFC 1952).
        QVERIFY(std::all_of(bytes->begin() + 4, bytes->begin() + 8, [](char c) { return c == 0; }));
    }

    void uncompressedArchiveIsNotPaddedToBlocks() {
        CpioArchive archive;
        archive.addFile("a", "b");
        const auto bytes = archive.toBytes(Compression::None);
        QVERIFY(bytes.ok());
        // Two headers (110 bytes + name, padded to 4) and the data: far below libarchive's
        // 10240-byte default block.
        QVERIFY(bytes->size() < 512);
        QCOMPARE(bytes->size() % 4, std::size_t(0));
        QVERIFY(bytes->find("TRAILER!!!") != std::string::npos);
    }

    void laterAddReplacesEarlier() {
        CpioArchive archive;
        archive.addFile("usr/bin/mke2fs", "applet");
        archive.addSymlink("usr/bin/mke2fs", "/usr/bin/busybox");
        QCOMPARE(archive.entries().at("usr/bin/mke2fs").type, CpioArchive::Type::Symlink);
        QVERIFY(archive.contains("/usr/bin/mke2fs"));
    }

    void missingSourceIsAnError() {
        CpioArchive archive;
        archive.addFileFrom("x", "/nonexistent/slipway-test-file", 0644);
        const auto bytes = archive.toBytes(Compression::None);
        QVERIFY(!bytes.ok());
        QVERIFY(bytes.error().message().find("/nonexistent/slipway-test-file") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCpioArchive)
#include "tst_cpio_archive.moc"
