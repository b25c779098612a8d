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
