// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>
#include <fstream>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/core/atomic_file.h"
#include "vm/image/guest_image.h"
#include "vm/image/guest_image_builder.h"

#include "tests/vm/image/cpio_reader.h"

using namespace slipway;
using namespace slipway::vm::image;
using slipway::vm::image::testing::readCpio;
namespace fs = std::filesystem;

namespace {

GuestConfig sampleConfig() {
    GuestConfig config;
    config.nodeName = "node-1";
    config.clusterName = "slipway-it's";
    config.pki.caCertificate = "CA CERT\n";
    config.pki.caKey = "CA KEY\n";
    config.pki.adminCertificate = "ADMIN CERT\n";
    config.pki.adminKey = "ADMIN KEY\n";
    config.extraArgs = {"--log-level", "debug", "--label=a b", "quote'd", "$(reboot)"};
    return config;
}

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// A tiny kernel module folder: modules.dep with a chain, alias and symbol files.
fs::path fakeModules(const QTemporaryDir& dir) {
    const fs::path modules = fs::path(dir.path().toStdString()) / "lib/modules/6.1.0-test";
    writeText(modules / "modules.dep",
              "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/jbd2/jbd2.ko\n"
              "kernel/lib/crc16.ko:\n"
              "kernel/fs/jbd2/jbd2.ko:\n"
              "kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/virtio/virtio.ko\n"
              "kernel/drivers/virtio/virtio.ko:\n"
              "kernel/sound/big.ko:\n");
    writeText(modules / "modules.alias",
              "alias fs-ext4 ext4\nalias crypto-crc32c crc32c_generic\n"
              "alias virtio:d00000004v* virtio_rng\nalias snd-card-0 big\n");
    writeText(modules / "modules.symbols", "alias symbol:jbd2_journal_start jbd2\n");
    writeText(modules / "modules.builtin", "kernel/fs/proc.ko\n");
    for (const char* file :
         {"kernel/fs/ext4/ext4.ko", "kernel/lib/crc16.ko", "kernel/fs/jbd2/jbd2.ko",
          "kernel/drivers/char/hw_random/virtio-rng.ko", "kernel/drivers/virtio/virtio.ko",
          "kernel/sound/big.ko"}) {
        writeText(modules / file, std::string("ELF ") + file);
    }
    return modules;
}

}  // namespace

class TestGuestImage : public QObject {
    Q_OBJECT

private slots:
    void quotesForTheShell() {
        QCOMPARE(shellQuote("plain"), std::string("'plain'"));
        QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
        QCOMPARE(shellQuote(""), std::string("''"));
    }

    /// What /init gets after sourcing guest.env is exactly what the host put in GuestConfig.
    void environmentReadsBackInAShell() {
        if (QStandardPaths::findExecutable(QStringLiteral("sh")).isEmpty()) {
            QSKIP("no sh");
        }
        QTemporaryDir dir;
        const QString env = dir.filePath(QStringLiteral("guest.env"));
        const auto config = sampleConfig();
        QVERIFY(core::writeFileAtomically(env.toStdString(), guestEnvironment(config)).ok());
        QProcess sh;
        sh.start(
            QStringLiteral("sh"),
            {QStringLiteral("-c"),
             QStringLiteral(". \"$0\"; printf '%s\\n' \"$SLIPWAY_ROLE\" \"$SLIPWAY_NODE_NAME\" "
                            "\"$SLIPWAY_CLUSTER_NAME\" \"$SLIPWAY_API_PORT\" "
                            "\"$SLIPWAY_NODE_IP\" \"$SLIPWAY_GATEWAY\"; "
                            "eval \"set -- $SLIPWAY_EXTRA_ARGS\"; echo \"$#\"; "
                            "printf '%s\\n' \"$@\""),
             env});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        const QStringList lines =
            QString::fromUtf8(sh.readAllStandardOutput()).split(QLatin1Char('\n'));
        const QStringList expected{QStringLiteral("server"),
                                   QStringLiteral("node-1"),
                                   QStringLiteral("slipway-it's"),
                                   QStringLiteral("6443"),
                                   QStringLiteral("10.0.2.15"),
                                   QStringLiteral("10.0.2.2"),
                                   QStringLiteral("5"),
                                   QStringLiteral("--log-level"),
                                   QStringLiteral("debug"),
                                   QStringLiteral("--label=a b"),
                                   QStringLiteral("quote'd"),
                                   QStringLiteral("$(reboot)"),
                                   QString()};
        QCOMPARE(lines, expected);
    }

    void configInitramfsRoundTrips() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath(QStringLiteral("config.cpio")).toStdString();
        const auto config = sampleConfig();
        QVERIFY(writeConfigInitramfs(config, path).ok());
        QCOMPARE(fs::status(path).permissions() & fs::perms::all,
                 fs::perms::owner_read | fs::perms::owner_write);
        const auto bytes = core::readFile(path);
        QVERIFY(bytes.ok());
        QCOMPARE(bytes->substr(0, 6), std::string("070701"));  // uncompressed newc
        const auto read = readCpio(*bytes);
        QVERIFY(read.ok);
        const std::vector<std::string> expected{"etc",
                                                "etc/slipway",
                                                "etc/slipway/guest.env",
                                                "etc/slipway/pki",
                                                "etc/slipway/pki/admin.crt",
                                                "etc/slipway/pki/admin.key",
                                                "etc/slipway/pki/ca.crt",
                                                "etc/slipway/pki/ca.key"};
        QCOMPARE(read.order, expected);
        QCOMPARE(read.entries.at("etc/slipway/guest.env").content, guestEnvironment(config));
        QCOMPARE(read.entries.at("etc/slipway/guest.env").mode, 0600u);
        QCOMPARE(read.entries.at("etc/slipway/pki").mode, 0700u);
        QCOMPARE(read.entries.at("etc/slipway/pki/ca.crt").content, std::string("CA CERT\n"));
        QCOMPARE(read.entries.at("etc/slipway/pki/ca.crt").mode, 0644u);
        QCOMPARE(read.entries.at("etc/slipway/pki/ca.key").content, std::string("CA KEY\n"));
        QCOMPARE(read.entries.at("etc/slipway/pki/ca.key").mode, 0600u);
        QCOMPARE(read.entries.at("etc/slipway/pki/admin.key").mode, 0600u);

        // The same config again: the same bytes.
        const fs::path again = dir.filePath(QStringLiteral("again.cpio")).toStdString();
        QVERIFY(writeConfigInitramfs(config, again).ok());
        QVERIFY(*core::readFile(again) == *bytes);
    }

    void nodeInitrdIsBasePaddedThenConfig() {
        QTemporaryDir dir;
        const fs::path base = dir.filePath(QStringLiteral("base.img")).toStdString();
        const fs::path config = dir.filePath(QStringLiteral("config.cpio")).toStdString();
        const fs::path out = dir.filePath(QStringLiteral("initrd.img")).toStdString();
        CpioArchive archive;
        archive.addFile("init", "#!/bin/sh\n", 0755);
        archive.addFile("odd", "12345");
        auto baseBytes = archive.toBytes(Compression::Gzip);
        QVERIFY(baseBytes.ok());
        // Make the base's length not a multiple of 4 whatever gzip gave.
        while (baseBytes->size() % 4 != 1) {
            baseBytes->push_back('\0');
        }
        QVERIFY(core::writeFileAtomically(base, *baseBytes).ok());
        QVERIFY(writeConfigInitramfs(sampleConfig(), config).ok());
        QVERIFY(writeNodeInitrd(base, config, out).ok());
        const auto bytes = core::readFile(out);
        const auto configBytes = core::readFile(config);
        QVERIFY(bytes.ok() && configBytes.ok());
        const std::size_t padded = baseBytes->size() + 3;
        QCOMPARE(bytes->size(), padded + configBytes->size());
        QCOMPARE(bytes->substr(0, baseBytes->size()), *baseBytes);
        QCOMPARE(bytes->substr(baseBytes->size(), 3), std::string(3, '\0'));
        QCOMPARE(bytes->substr(padded), *configBytes);
        QCOMPARE(padded % 4, std::size_t(0));
        QVERIFY(!writeNodeInitrd(dir.filePath(QStringLiteral("missing")).toStdString(), config, out)
                     .ok());
    }

    void locatesTheImageFromTheEnvironment() {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        qputenv("SLIPWAY_GUEST_IMAGE_DIR", dir.path().toUtf8());
        writeText(folder / std::string(kKernelFileName), "kernel");
        const auto missing = locateGuestImage();
        // Without initramfs.img this folder does not count (the build tree may still have one).
        if (missing.ok()) {
            QVERIFY(*missing != folder);
        } else {
            QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
            QVERIFY(missing.error().message().find(folder.string()) != std::string::npos);
        }
        writeText(folder / std::string(kInitramfsFileName), "initramfs");
        const auto found = locateGuestImage();
        QVERIFY(found.ok());
        QCOMPARE(*found, folder.lexically_normal());
        qunsetenv("SLIPWAY_GUEST_IMAGE_DIR");
    }

    void closesModulesOverModulesDep() {
        QTemporaryDir dir;
        const fs::path modules = fakeModules(dir);
        const auto dep = core::readFile(modules / "modules.dep");
        const auto closure = moduleClosure(*dep, {"ext4", "virtio_rng"});
        QVERIFY(closure.ok());
        const std::vector<std::string> expected{
            "kernel/fs/ext4/ext4.ko", "kernel/lib/crc16.ko", "kernel/fs/jbd2/jbd2.ko",
            "kernel/drivers/char/hw_random/virtio-rng.ko", "kernel/drivers/virtio/virtio.ko"};
        QCOMPARE(*closure, expected);
        const auto missing = moduleClosure(*dep, {"nosuchmodule"});
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);
        QCOMPARE(
            filterModuleAliases(*core::readFile(modules / "modules.alias"), {"ext4", "virtio_rng"}),
            std::string("alias fs-ext4 ext4\nalias virtio:d00000004v* virtio_rng\n"));
    }

    void findsSharedLibrariesWithTheLoader() {
        const fs::path program = "/bin/sh";
        if (!fs::exists(program) ||
            QStandardPaths::findExecutable(QStringLiteral("ldd")).isEmpty()) {
            QSKIP("no /bin/sh or ldd");
        }
        const auto libraries = sharedLibraries(program);
        QVERIFY(libraries.ok());
        if (libraries->empty()) {
            QSKIP("/bin/sh is static here");
        }
        QVERIFY(std::any_of(libraries->begin(), libraries->end(), [](const fs::path& path) {
            return path.filename().string().starts_with("libc.so");
        }));
        QVERIFY(std::any_of(libraries->begin(), libraries->end(), [](const fs::path& path) {
            return path.filename().string().starts_with("ld-linux");
        }));
    }

    /// The same inputs give the same image bytes: two builds, one archive.
    void buildsTheSameImageTwice() {
        const fs::path busybox = "/bin/busybox";
        if (!fs::exists(busybox)) {
            QSKIP("busybox-static is not installed");
        }
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        writeText(root / "init.sh", "#!/bin/sh\necho hello\n");
        GuestImageInputs inputs;
        inputs.init = root / "init.sh";
        inputs.busybox = busybox;
        inputs.modulesDir = fakeModules(dir);
        inputs.modules = {"ext4", "virtio_rng"};
        // A dynamically linked program, stripped on the way in.
        inputs.programs = {{"/bin/busybox", "usr/bin/other", true}};
        if (fs::exists("/usr/bin/env")) {
            inputs.programs.push_back({"/usr/bin/env", "usr/bin/env2", false});
        }
        writeText(root / "images/demo-1.tar", "tarball");
        inputs.images = {root / "images/demo-1.tar"};
        inputs.workDir = root / "work";

        const auto first = buildGuestArchive(inputs);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        const auto firstBytes = first->toBytes(Compression::Gzip);
        const auto second = buildGuestArchive(inputs);
        QVERIFY(second.ok());
        const auto secondBytes = second->toBytes(Compression::Gzip);
        QVERIFY(firstBytes.ok() && secondBytes.ok());
        QVERIFY(*firstBytes == *secondBytes);

        const auto read = readCpio(*firstBytes);
        QVERIFY(read.ok);
        const auto& e = read.entries;
        QCOMPARE(e.at("init").mode, 0755u);
        QCOMPARE(e.at("init").content, std::string("#!/bin/sh\necho hello\n"));
        QCOMPARE(e.at("bin").content, std::string("usr/bin"));
        QCOMPARE(e.at("usr/bin/sh").content, std::string("/usr/bin/busybox"));
        QCOMPARE(e.at("usr/sbin/modprobe").content, std::string("/usr/bin/busybox"));
        QCOMPARE(e.at("tmp").mode, 01777u);
        const std::string modules = "usr/lib/modules/6.1.0-test/";
        QVERIFY(e.contains(modules + "kernel/fs/jbd2/jbd2.ko"));
        QVERIFY(e.contains(modules + "kernel/drivers/virtio/virtio.ko"));
        QVERIFY(!e.contains(modules + "kernel/sound/big.ko"));
        QCOMPARE(e.at(modules + "modules.dep").content,
                 std::string("kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/jbd2/jbd2.ko\n"
                             "kernel/lib/crc16.ko:\n"
                             "kernel/fs/jbd2/jbd2.ko:\n"
                             "kernel/drivers/char/hw_random/virtio-rng.ko: "
                             "kernel/drivers/virtio/virtio.ko\n"
                             "kernel/drivers/virtio/virtio.ko:\n"));
        QCOMPARE(e.at(modules + "modules.symbols").content,
                 std::string("alias symbol:jbd2_journal_start jbd2\n"));
        QVERIFY(e.contains("usr/share/slipway/images/demo-1.tar"));
        QVERIFY(e.contains("etc/acpi/PWRF/00000080"));
        // Stripped: not larger than the original.
        QVERIFY(e.at("usr/bin/other").content.size() <= fs::file_size(busybox));
        if (fs::exists("/usr/bin/env")) {
            QVERIFY(e.contains("usr/bin/env2"));
            // The loader is reachable by the path the program names (/lib64/ld-linux-...).
            QVERIFY(e.contains("lib64") || e.contains("usr/lib64"));
        }
    }
};

QTEST_GUILESS_MAIN(TestGuestImage)
#include "tst_guest_image.moc"
