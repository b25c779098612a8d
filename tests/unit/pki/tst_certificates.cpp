// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <sys/stat.h>

#include "engine/pki/certificates.h"
#include "engine/pki/cluster_pki.h"

using namespace slipway;

class TstCertificates : public QObject {
    Q_OBJECT
private slots:
    void issuedCertificatesVerifyAgainstTheirCaOnly() {
        const auto ca = pki::createCertificateAuthority("test-ca", std::chrono::hours(24));
        QVERIFY(ca.ok());
        const auto other = pki::createCertificateAuthority("other-ca", std::chrono::hours(24));
        QVERIFY(other.ok());
        pki::CertificateRequest request;
        request.commonName = "jane";
        request.organizations = {"system:masters", "developers"};
        request.clientAuth = true;
        const auto leaf = pki::issueCertificate(*ca, request);
        QVERIFY(leaf.ok());
        QVERIFY(leaf->keyPem.find("PRIVATE KEY") != std::string::npos);

        QCOMPARE(*pki::verifyCertificate(leaf->certificatePem, ca->certificatePem), true);
        QCOMPARE(*pki::verifyCertificate(leaf->certificatePem, other->certificatePem), false);

        const auto subject = pki::certificateSubject(leaf->certificatePem);
        QVERIFY(subject.ok());
        QCOMPARE(subject->commonName, std::string("jane"));
        QCOMPARE(subject->organizations,
                 (std::vector<std::string>{"system:masters", "developers"}));
    }

    void garbageIsAnErrorNotACrash() {
        QVERIFY(!pki::certificateSubject("not a certificate").ok());
        pki::CertifiedKey broken{"junk", "junk"};
        QVERIFY(!pki::issueCertificate(broken, {}).ok());
    }

    void base64RoundTrips_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one") << QByteArray("a");
        QTest::newRow("two") << QByteArray("ab");
        QTest::newRow("three") << QByteArray("abc");
        QTest::newRow("binary") << QByteArray("\x00\xff\x10\x80", 4);
    }
    void base64RoundTrips() {
        QFETCH(QByteArray, bytes);
        const std::string raw(bytes.constData(), std::size_t(bytes.size()));
        const std::string encoded = pki::base64Encode(raw);
        QCOMPARE(QByteArray::fromStdString(encoded), bytes.toBase64());
        const auto decoded = pki::base64Decode(encoded);
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded, raw);
        QVERIFY(!pki::base64Decode("abc").ok());
    }

    void clusterPkiIsCreatedOnceAndKeptPrivate() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.filePath(QStringLiteral("pki")).toStdString();
        const auto first = pki::ensureClusterPki(root, {{"10.0.2.15"}, {"node-1"}});
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message().c_str());
        for (const char* key : {"ca.key", "admin.key", "apiserver.key"}) {
            struct stat info {};
            QCOMPARE(::stat((root / key).c_str(), &info), 0);
            QCOMPARE(info.st_mode & 0777, mode_t(0600));
        }
        QCOMPARE(*pki::verifyCertificate(first->apiServer.certificatePem,
                                         first->authority.certificatePem),
                 true);
        QCOMPARE(pki::certificateSubject(first->admin.certificatePem)->organizations,
                 std::vector<std::string>{"system:masters"});

        // A restart keeps the CA and the admin identity (kubeconfigs stay valid).
        const auto second = pki::ensureClusterPki(root);
        QVERIFY(second.ok());
        QCOMPARE(second->authority.certificatePem, first->authority.certificatePem);
        QCOMPARE(second->admin.certificatePem, first->admin.certificatePem);
        QCOMPARE(*pki::verifyCertificate(second->apiServer.certificatePem,
                                         first->authority.certificatePem),
                 true);
    }
};

QTEST_GUILESS_MAIN(TstCertificates)
#include "tst_certificates.moc"
