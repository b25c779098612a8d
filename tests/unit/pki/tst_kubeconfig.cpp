// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <sys/stat.h>

#include "engine/pki/kubeconfig.h"

using namespace slipway;

class TstKubeconfig : public QObject {
    Q_OBJECT
private slots:
    void forServerHasOneCurrentContext() {
        const auto config = pki::Kubeconfig::forServer("slipway", "http://127.0.0.1:6443");
        QCOMPARE(config.currentContext, std::string("slipway"));
        const auto* context = config.findContext("slipway");
        QVERIFY(context != nullptr);
        const auto* cluster = config.findCluster(context->cluster);
        QVERIFY(cluster != nullptr);
        QCOMPARE(cluster->server, std::string("http://127.0.0.1:6443"));
    }

    void roundTripsThroughYaml() {
        pki::Kubeconfig config = pki::Kubeconfig::forServer("demo", "http://127.0.0.1:1234");
        config.clusters.push_back({"prod", "https://10.0.0.1:6443", "Q0EK", false});
        config.users.push_back({"admin", "Q0VSVAo=", "S0VZCg==", ""});
        config.users.push_back({"robot", {}, {}, "s3cr3t"});
        config.contexts.push_back({"prod", "prod", "admin", "web"});
        const auto parsed = pki::Kubeconfig::fromYaml(config.toYaml());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->clusters.size(), std::size_t(2));
        QCOMPARE(parsed->clusters[1].certificateAuthorityData, std::string("Q0EK"));
        QCOMPARE(parsed->users[1].clientKeyData, std::string("S0VZCg=="));
        QCOMPARE(parsed->users[2].token, std::string("s3cr3t"));
        QCOMPARE(parsed->findContext("prod")->nameSpace, std::string("web"));
        QCOMPARE(parsed->currentContext, std::string("demo"));
    }

    void yamlUsesKubectlFieldNames() {
        const auto yaml = pki::Kubeconfig::forServer("s", "http://127.0.0.1:1").toYaml();
        for (const char* key : {"apiVersion: v1", "kind: Config", "current-context: s",
                                "server: http://127.0.0.1:1"}) {
            QVERIFY2(yaml.find(key) != std::string::npos, key);
        }
    }

    void savesPrivatelyAndLoadsBack() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("kubeconfig")).toStdString();
        QVERIFY(pki::Kubeconfig::forServer("x", "http://127.0.0.1:9").save(path).ok());
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        const auto loaded = pki::Kubeconfig::load(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->clusters.at(0).server, std::string("http://127.0.0.1:9"));
    }

    void readsCredentialsGivenAsFiles() {
        // minikube's style: paths (one relative to the kubeconfig's folder) instead of *-data.
        QTemporaryDir dir;
        auto write = [&dir](const char* name, const std::string& content) {
            QFile file(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content.data(), static_cast<qint64>(content.size()));
        };
        write("ca.crt", "CA PEM");
        write("client.crt", "CERT PEM");
        write("client.key", "KEY PEM");
        write("token", "s3cret\n");
        const std::string yaml =
            "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n"
            "    server: https://127.0.0.1:8443\n    certificate-authority: ca.crt\n"
            "users:\n- name: m\n  user:\n    client-certificate: " +
            dir.filePath(QStringLiteral("client.crt")).toStdString() +
            "\n    client-key: client.key\n- name: t\n  user:\n    tokenFile: token\n"
            "contexts:\n- name: m\n  context: {cluster: m, user: m}\ncurrent-context: m\n";
        write("config", yaml);
        const auto loaded =
            pki::Kubeconfig::load(dir.filePath(QStringLiteral("config")).toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->clusters.at(0).certificateAuthorityData, pki::base64Encode("CA PEM"));
        QCOMPARE(loaded->users.at(0).clientCertificateData, pki::base64Encode("CERT PEM"));
        QCOMPARE(loaded->users.at(0).clientKeyData, pki::base64Encode("KEY PEM"));
        QCOMPARE(loaded->users.at(1).token, std::string("s3cret"));

        QFile::remove(dir.filePath(QStringLiteral("client.key")));
        const auto missing =
            pki::Kubeconfig::load(dir.filePath(QStringLiteral("config")).toStdString());
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message().find("client.key") != std::string::npos,
                 missing.error().message().c_str());
    }

    void reportsMissingAndMalformedFiles() {
        QTemporaryDir dir;
        const auto missing =
            pki::Kubeconfig::load(dir.filePath(QStringLiteral("none")).toStdString());
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code(), core::ErrorCode::NotFound);

        const auto malformed = pki::Kubeconfig::fromYaml("clusters: [unclosed");
        QVERIFY(!malformed.ok());
        QCOMPARE(malformed.error().code(), core::ErrorCode::Invalid);
        const auto scalar = pki::Kubeconfig::fromYaml("just a string");
        QVERIFY(!scalar.ok());

        const auto empty = pki::Kubeconfig::fromYaml("");
        QVERIFY(empty.ok());
        QVERIFY(empty->contexts.empty());
    }
};

QTEST_GUILESS_MAIN(TstKubeconfig)
#include "tst_kubeconfig.moc"
