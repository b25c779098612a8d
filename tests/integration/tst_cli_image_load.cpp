// SPDX-License-Identifier: Apache-2.0
// `slipway image load FILE` on a local-process cluster: a tarball the test builds, larger than
// anything the API server buffers, is streamed through the API server's nodes/proxy to the
// node agent, loaded, and runs as a pod (imagePullPolicy Never). Needs root (the local driver
// runs the node agent only as root).
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <unistd.h>

#include "test_support.h"
#include "tests/support/test_images.h"

using namespace slipway;

namespace {

constexpr std::size_t kBlobBytes = 6 * 1024 * 1024;  // twice the API server's body limit

}  // namespace

class TstCliImageLoad : public QObject {
    Q_OBJECT

    QTemporaryDir m_dataHome;
    QTemporaryDir m_files;
    const QStringList m_cluster{QStringLiteral("--cluster"), QStringLiteral("img")};

    testing::CommandResult slipway(const QStringList& arguments) {
        return testing::run(testing::binary(QStringLiteral("slipway")), arguments,
                            testing::slipwayEnvironment(m_dataHome.path()));
    }

    /// An image with busybox as its shell and a blob of incompressible bytes.
    QString writeImage() {
        const QString path = m_files.filePath(QStringLiteral("upload.tar"));
        return testing::writeBusyboxImage(path, "test.local/upload:1", kBlobBytes) ? path
                                                                                   : QString();
    }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        if (::geteuid() != 0) {
            QSKIP("the local driver runs containers only as root");
        }
        const auto started = slipway(QStringList{"start", "--driver", "local"} + m_cluster);
        QVERIFY2(started.exitCode == 0, qPrintable(started.out + started.err));
    }

    void loadedImageRunsAsAPod() {
        const QString archive = writeImage();
        QVERIFY(!archive.isEmpty());
        QVERIFY(QFileInfo(archive).size() > 2 * 3 * 1024 * 1024 - 1);

        const auto loaded = slipway(QStringList{"image", "load", archive} + m_cluster);
        QVERIFY2(loaded.exitCode == 0, qPrintable(loaded.out + loaded.err));
        // Progress ("* node img: loading upload.tar (8 MiB)"), then one line per node.
        QVERIFY2(loaded.out.startsWith(QStringLiteral("* node img: loading upload.tar (")),
                 qPrintable(loaded.out));
        QVERIFY2(loaded.out.endsWith(QStringLiteral("\nLoaded test.local/upload:1 on img\n")),
                 qPrintable(loaded.out));
        QCOMPARE(loaded.out.count(QStringLiteral("Loaded ")), 1);  // one node

        const auto kubeconfig = slipway(QStringList{"kubeconfig"} + m_cluster);
        QCOMPARE(kubeconfig.exitCode, 0);
        testing::Kubectl kubectl(kubeconfig.out.trimmed());
        const auto applied = kubectl(
            {"apply", "-f", "-"},
            QByteArray::fromStdString(testing::blobSizePod("uploaded", "test.local/upload:1")));
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const auto done = kubectl(
            {"wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/uploaded", "--timeout=120s"});
        QVERIFY2(done.exitCode == 0, qPrintable(done.out + done.err));
        // Every byte arrived: the blob inside the container has its full size.
        const auto logs = kubectl({"logs", "uploaded"});
        QCOMPARE(logs.out.trimmed(), QString::number(kBlobBytes));
    }

    void jsonOutputListsTheImage() {
        const QString archive = m_files.filePath(QStringLiteral("upload.tar"));
        const auto loaded =
            slipway(QStringList{"image", "load", archive, "-o", "json"} + m_cluster);
        QVERIFY2(loaded.exitCode == 0, qPrintable(loaded.err));
        const auto json = nlohmann::json::parse(loaded.out.toStdString());
        QCOMPARE(json.at("images").size(), std::size_t{1});
        QCOMPARE(json["images"][0]["repoTags"][0].get<std::string>(),
                 std::string("test.local/upload:1"));
        QVERIFY(json["images"][0]["id"].get<std::string>().rfind("sha256:", 0) == 0);
    }

    void notAnArchiveIsOneLineAndNonZero() {
        const QString bogus = m_files.filePath(QStringLiteral("bogus.tar"));
        QFile out(bogus);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray(4 * 1024 * 1024, 'x'));  // streamed too: over the body limit
        out.close();
        const auto refused = slipway(QStringList{"image", "load", bogus} + m_cluster);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.startsWith(QStringLiteral("slipway: image load: node ")),
                 qPrintable(refused.err));
        QCOMPARE(refused.err.count('\n'), 1);
        const auto missing = slipway(QStringList{"image", "load", "/nonexistent.tar"} + m_cluster);
        QVERIFY(missing.exitCode != 0);
    }

    void cleanupTestCase() { slipway({"delete", "--all"}); }
};

QTEST_GUILESS_MAIN(TstCliImageLoad)
#include "tst_cli_image_load.moc"
