// SPDX-License-Identifier: Apache-2.0
//
// Boots the built guest image (vmlinuz, initramfs.img + a node's config initramfs) in QEMU
// under TCG, with a fresh qcow2 data disk and user-mode networking forwarding a free port on
// 127.0.0.1 to the guest's API server, waits for the console markers and for /readyz to
// answer through the forward with the cluster PKI made on the host, then powers the guest off
// through the ACPI power button and checks that it stops gracefully. KVM is never used here:
// on these machines a KVM guest hangs.
#include <csignal>

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/client/https_client.h"
#include "engine/client/rest_client.h"
#include "engine/core/atomic_file.h"
#include "engine/pki/cluster_pki.h"
#include "vm/image/guest_image.h"

using namespace slipway;
namespace fs = std::filesystem;

namespace {

quint16 freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

QString readConsole(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

}  // namespace

class TestGuestBoot : public QObject {
    Q_OBJECT

private:
    fs::path m_image;
    QString m_qemu;
    QString m_qemuImg;

private slots:
    void initTestCase() {
        auto image = vm::image::locateGuestImage();
        if (!image) {
            QSKIP(qPrintable(QString::fromStdString(image.error().message())));
        }
        m_image = *image;
        m_qemu = QStandardPaths::findExecutable(QStringLiteral("qemu-system-x86_64"));
        m_qemuImg = QStandardPaths::findExecutable(QStringLiteral("qemu-img"));
        if (m_qemu.isEmpty() || m_qemuImg.isEmpty()) {
            QSKIP("qemu-system-x86_64 or qemu-img is not installed");
        }
    }

    void bootsToReadyzAndPowersOff() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();

        // The host's side of provisioning: the cluster PKI, the node's config initramfs, and
        // the node's initrd (base + config).
        auto pki = pki::ensureClusterPki(root / "pki");
        QVERIFY2(pki.ok(), pki.ok() ? "" : pki.error().message().c_str());
        vm::image::GuestConfig config;
        config.nodeName = "guest-boot-test";
        config.clusterName = "slipway-guest-boot-test";
        config.pki.caCertificate = pki->authority.certificatePem;
        config.pki.caKey = pki->authority.keyPem;
        config.pki.adminCertificate = pki->admin.certificatePem;
        config.pki.adminKey = pki->admin.keyPem;
        QVERIFY(vm::image::writeConfigInitramfs(config, root / "config.cpio").ok());
        const fs::path initrd = root / "initrd.img";
        QVERIFY(vm::image::writeNodeInitrd(m_image / std::string(vm::image::kInitramfsFileName),
                                           root / "config.cpio", initrd)
                    .ok());
        const QString disk = dir.filePath(QStringLiteral("data.qcow2"));
        QCOMPARE(QProcess::execute(m_qemuImg, {QStringLiteral("create"), QStringLiteral("-q"),
                                               QStringLiteral("-f"), QStringLiteral("qcow2"), disk,
                                               QStringLiteral("2G")}),
                 0);

        const quint16 port = freeLoopbackPort();
        QVERIFY(port != 0);
        const QString console = dir.filePath(QStringLiteral("console.log"));
        // The kernel the libvirt driver boots: the PVH vmlinux when the image has one.
        const QString kernel = QString::fromStdString(vm::image::bootKernel(m_image).string());
        const QStringList arguments{
            QStringLiteral("-accel"),
            QStringLiteral("tcg"),
            QStringLiteral("-machine"),
            QStringLiteral("q35"),
            QStringLiteral("-m"),
            QStringLiteral("1024"),
            QStringLiteral("-smp"),
            QStringLiteral("2"),
            QStringLiteral("-no-reboot"),
            QStringLiteral("-display"),
            QStringLiteral("none"),
            QStringLiteral("-kernel"),
            kernel,
            QStringLiteral("-initrd"),
            QString::fromStdString(initrd.string()),
            QStringLiteral("-append"),
            QString::fromUtf8(vm::image::kKernelCommandLine.data(),
                              vm::image::kKernelCommandLine.size()),
            QStringLiteral("-drive"),
            QStringLiteral("file=%1,if=virtio,format=qcow2").arg(disk),
            QStringLiteral("-netdev"),
            QStringLiteral("user,id=net0,hostfwd=tcp:127.0.0.1:%1-:6443").arg(port),
            QStringLiteral("-device"),
            QStringLiteral("virtio-net-pci,netdev=net0,romfile="),
            QStringLiteral("-serial"),
            QStringLiteral("file:%1").arg(console),
            QStringLiteral("-monitor"),
            QStringLiteral("stdio")};
        QProcess qemu;
        qemu.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // A test killed by its timeout must not leave its VM running.
        qemu.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        QElapsedTimer clock;
        clock.start();
        qemu.start(m_qemu, arguments);
        QVERIFY2(qemu.waitForStarted(10000), qPrintable(qemu.errorString()));
        const auto cleanup = qScopeGuard([&qemu] {
            if (qemu.state() != QProcess::NotRunning) {
                qemu.kill();
                qemu.waitForFinished(10000);
            }
        });

        client::ClientConfig clientConfig;
        clientConfig.server =
            *client::ServerUrl::parse("https://127.0.0.1:" + std::to_string(port));
        clientConfig.certificateAuthorityPem = pki->authority.certificatePem;
        clientConfig.clientCertificatePem = pki->admin.certificatePem;
        clientConfig.clientKeyPem = pki->admin.keyPem;
        const client::RestClient api(clientConfig);
        client::RequestOptions quick;
        quick.timeout = std::chrono::seconds(3);

        const QStringList markers{QString::fromUtf8(vm::image::kMarkerNetworkUp.data(),
                                                    vm::image::kMarkerNetworkUp.size()),
                                  QString::fromUtf8(vm::image::kMarkerDataDiskReady.data(),
                                                    vm::image::kMarkerDataDiskReady.size()),
                                  QString::fromUtf8(vm::image::kMarkerSlipwaydStarted.data(),
                                                    vm::image::kMarkerSlipwaydStarted.size())};
        QMap<QString, qint64> seenAt;
        qint64 readyAt = -1;
        QString readyBody;
        while (clock.elapsed() < 240000 && qemu.state() == QProcess::Running) {
            const QString log = readConsole(console);
            for (const auto& marker : markers) {
                if (!seenAt.contains(marker) && log.contains(marker)) {
                    seenAt[marker] = clock.elapsed();
                }
            }
            if (seenAt.contains(markers.last())) {
                const auto ready = api.get("/readyz", quick);
                if (ready.ok() && ready->status == 200) {
                    readyAt = clock.elapsed();
                    readyBody = QString::fromStdString(ready->body);
                    break;
                }
            }
            QTest::qWait(250);
        }
        const QString log = readConsole(console);
        if (readyAt < 0) {
            qWarning().noquote() << "console:\n" << log.right(6000);
        }
        for (const auto& marker : markers) {
            QVERIFY2(seenAt.contains(marker), qPrintable(QStringLiteral("no marker: ") + marker));
            qInfo("%-34s after %6.2f s", qPrintable(marker), double(seenAt[marker]) / 1000.0);
        }
        QVERIFY2(readyAt >= 0, "/readyz never answered 200 through the forward");
        QCOMPARE(readyBody, QStringLiteral("ok"));
        QVERIFY(!log.contains(QStringLiteral("slipway-guest: no /etc/slipway/guest.env")));
        qInfo("boot to /readyz under TCG: %.2f s", double(readyAt) / 1000.0);

        // The host's admin credentials work: the PKI the guest installed is the host's.
        const auto nodes = api.get("/api/v1/nodes", quick);
        QVERIFY(nodes.ok());
        QCOMPARE(nodes->status, 200);

        // A container runs: runc inside the guest (cgroup v2, and a root it can pivot_root out
        // of, which the initramfs' rootfs is not).
        const client::HttpsClient apiClient(clientConfig);
        const std::string pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"hello\"},"
            "\"spec\":{\"containers\":[{\"name\":\"hello\",\"image\":\"slipway.local/"
            "hello:1\"}]}}";
        const auto created = apiClient.send(
            client::Request("POST", "/api/v1/namespaces/default/pods", pod, "application/json"));
        QVERIFY(created.ok());
        QCOMPARE(created->status, 201);
        QElapsedTimer podClock;
        podClock.start();
        bool running = false;
        std::string lastStatus;
        while (!running && podClock.elapsed() < 120000) {
            const auto got = api.get("/api/v1/namespaces/default/pods/hello", quick);
            if (got.ok() && got->status == 200) {
                const auto object = nlohmann::json::parse(got->body, nullptr, false);
                const auto& statuses = object.value("status", nlohmann::json::object())
                                           .value("containerStatuses", nlohmann::json::array());
                lastStatus = statuses.dump();
                running = !statuses.empty() && statuses[0].value("ready", false);
            }
            if (!running) {
                QTest::qWait(500);
            }
        }
        QVERIFY2(running, lastStatus.c_str());
        qInfo("pod created → Ready in the guest: %.2f s", double(podClock.elapsed()) / 1000.0);

        // The ACPI power button, as libvirt's virDomainShutdown presses it.
        QElapsedTimer stopping;
        stopping.start();
        qemu.write("system_powerdown\n");
        QVERIFY2(qemu.waitForFinished(90000), "the guest did not power off on the power button");
        QCOMPARE(qemu.exitStatus(), QProcess::NormalExit);
        QVERIFY(readConsole(console).contains(QString::fromUtf8(
            vm::image::kMarkerPoweringOff.data(), vm::image::kMarkerPoweringOff.size())));
        qInfo("graceful power-off: %.2f s", double(stopping.elapsed()) / 1000.0);
    }
};

QTEST_GUILESS_MAIN(TestGuestBoot)
#include "tst_guest_boot.moc"
