// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "vm/cluster.h"

using namespace slipway;

class TstCluster : public QObject {
    Q_OBJECT
private slots:
    void acceptsDnsLabels_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default") << "slipway" << true;
        QTest::newRow("digits and dash") << "dev-2" << true;
        QTest::newRow("one char") << "a" << true;
        QTest::newRow("63 chars") << QString(63, QLatin1Char('a')) << true;
        QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("upper case") << "Dev" << false;
        QTest::newRow("leading dash") << "-dev" << false;
        QTest::newRow("trailing dash") << "dev-" << false;
        QTest::newRow("dot") << "a.b" << false;
        QTest::newRow("slash escapes folder") << "../etc" << false;
        QTest::newRow("quote") << "a\"b" << false;
    }
    void acceptsDnsLabels() {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const auto result = vm::validateClusterName(name.toStdString());
        QCOMPARE(result.ok(), valid);
        if (!valid) {
            QCOMPARE(result.error().code(), core::ErrorCode::Invalid);
        }
    }

    void contextNamesFollowMinikube() {
        QCOMPARE(vm::contextName("slipway"), std::string("slipway"));
        QCOMPARE(vm::contextName("dev"), std::string("slipway-dev"));
    }

    void specRoundTripsThroughJson() {
        QTemporaryDir dir;
        const std::filesystem::path file =
            dir.filePath(QStringLiteral("cluster.json")).toStdString();
        vm::ClusterSpec spec;
        spec.name = "dev";
        spec.cpus = 4;
        spec.memoryMiB = 8192;
        spec.nodes = 3;
        spec.apiPort = 40123;
        spec.createdAt = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
        QVERIFY(vm::saveClusterSpec(file, spec).ok());
        const auto loaded = vm::loadClusterSpec(file);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->name, spec.name);
        QCOMPARE(loaded->cpus, 4);
        QCOMPARE(loaded->memoryMiB, std::int64_t(8192));
        QCOMPARE(loaded->nodes, 3);
        QCOMPARE(loaded->apiPort, std::uint16_t(40123));
        QVERIFY(loaded->createdAt == spec.createdAt);
        QVERIFY(loaded->driver == vm::DriverKind::Local);
    }

    void malformedSpecIsInvalidNotACrash() {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("cluster.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"name\": 3}");
        file.close();
        const auto loaded = vm::loadClusterSpec(path.toStdString());
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code(), core::ErrorCode::Invalid);
    }

    void parsesDrivers() {
        QVERIFY(vm::parseDriver("local").ok());
        QVERIFY(*vm::parseDriver("libvirt") == vm::DriverKind::Libvirt);
        const auto unknown = vm::parseDriver("docker");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message().find("docker") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstCluster)
#include "tst_cluster.moc"
