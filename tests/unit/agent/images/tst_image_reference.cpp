// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/agent/images/image_reference.h"

using namespace slipway::agent::images;

class TestImageReference : public QObject {
    Q_OBJECT

private slots:
    void normalises_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("normalised");
        QTest::addColumn<QString>("familiar");
        const QString digest = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));
        QTest::newRow("official") << "nginx"
                                  << "docker.io/library/nginx:latest"
                                  << "nginx:latest";
        QTest::newRow("tag") << "nginx:1.25"
                             << "docker.io/library/nginx:1.25"
                             << "nginx:1.25";
        QTest::newRow("user") << "bitnami/redis:7"
                              << "docker.io/bitnami/redis:7"
                              << "bitnami/redis:7";
        QTest::newRow("index.docker.io") << "index.docker.io/library/busybox"
                                         << "docker.io/library/busybox:latest"
                                         << "busybox:latest";
        QTest::newRow("port") << "localhost:5000/app"
                              << "localhost:5000/app:latest"
                              << "localhost:5000/app:latest";
        QTest::newRow("port+tag") << "127.0.0.1:5000/team/app:v2"
                                  << "127.0.0.1:5000/team/app:v2"
                                  << "127.0.0.1:5000/team/app:v2";
        QTest::newRow("localhost") << "localhost/app"
                                   << "localhost/app:latest"
                                   << "localhost/app:latest";
        QTest::newRow("slipway") << "slipway.local/hello:1"
                                 << "slipway.local/hello:1"
                                 << "slipway.local/hello:1";
        QTest::newRow("digest") << QStringLiteral("nginx@") + digest
                                << QStringLiteral("docker.io/library/nginx@") + digest
                                << QStringLiteral("nginx@") + digest;
        QTest::newRow("tag+digest") << QStringLiteral("quay.io/a/b:1@") + digest
                                    << QStringLiteral("quay.io/a/b:1@") + digest
                                    << QStringLiteral("quay.io/a/b:1@") + digest;
        QTest::newRow("ipv6") << "[::1]:5000/app:x"
                              << "[::1]:5000/app:x"
                              << "[::1]:5000/app:x";
        QTest::newRow("separators") << "a/b__c.d-e---f:T_1.x-"
                                    << "docker.io/a/b__c.d-e---f:T_1.x-"
                                    << "a/b__c.d-e---f:T_1.x-";
    }

    void normalises() {
        QFETCH(QString, input);
        QFETCH(QString, normalised);
        QFETCH(QString, familiar);
        auto ref = parseReference(input.toStdString());
        QVERIFY2(ref.ok(), ref.ok() ? "" : ref.error().message().c_str());
        QCOMPARE(QString::fromStdString(ref->str()), normalised);
        QCOMPARE(QString::fromStdString(ref->familiar()), familiar);
        // Normalising is idempotent.
        auto again = normalizeReference(ref->str());
        QVERIFY(again.ok());
        QCOMPARE(QString::fromStdString(*again), normalised);
    }

    void parts() {
        auto ref = parseReference("localhost:5000/team/app:v2");
        QVERIFY(ref.ok());
        QCOMPARE(ref->registry, std::string("localhost:5000"));
        QCOMPARE(ref->repository, std::string("team/app"));
        QCOMPARE(ref->tag, std::string("v2"));
        QVERIFY(ref->digest.empty());
        QCOMPARE(ref->name(), std::string("localhost:5000/team/app"));
        QCOMPARE(ref->tagged(), std::string("localhost:5000/team/app:v2"));
        QVERIFY(ref->digested().empty());
    }

    void rejects_data() {
        QTest::addColumn<QString>("input");
        QTest::newRow("empty") << "";
        QTest::newRow("uppercase") << "Nginx";
        QTest::newRow("uppercase path") << "docker.io/Library/nginx";
        QTest::newRow("bad tag") << "nginx:-x";
        QTest::newRow("empty tag") << "nginx:";
        QTest::newRow("bad digest") << "nginx@sha256:abc";
        QTest::newRow("double slash") << "a//b";
        QTest::newRow("trailing slash") << "a/";
        QTest::newRow("bad separator") << "a..b";
        QTest::newRow("space") << "ng inx";
        QTest::newRow("bad port") << "localhost:/app";
    }

    void rejects() {
        QFETCH(QString, input);
        auto ref = parseReference(input.toStdString());
        QVERIFY(!ref.ok());
        QCOMPARE(ref.error().code(), slipway::core::ErrorCode::Invalid);
        QVERIFY(ref.error().message().starts_with("invalid reference format"));
    }

    void digests() {
        QVERIFY(isSha256Digest("sha256:" + std::string(64, '0')));
        QVERIFY(!isSha256Digest("sha256:" + std::string(63, '0')));
        QVERIFY(!isSha256Digest("sha256:" + std::string(64, 'A')));
        QVERIFY(!isSha256Digest("sha512:" + std::string(64, '0')));
    }
};

QTEST_GUILESS_MAIN(TestImageReference)
#include "tst_image_reference.moc"
