// SPDX-License-Identifier: Apache-2.0
// slipwayd as a user runs it: flags, endpoints, kubeconfig, kubectl, signals.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/rest_client.h"

#include "test_support.h"

using namespace slipway;
using slipway::testing::binary;

class TstSlipwaydServer : public QObject {
    Q_OBJECT
private slots:
    void printsItsVersion() {
        const auto result =
            testing::run(binary(QStringLiteral("slipwayd")), {QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith(QStringLiteral("slipwayd ")), qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("v1.32.")));
    }

    void servesHealthAndVersionThenStopsOnSigterm() {
        testing::SlipwaydServer server;
        QVERIFY(server.start());
        QVERIFY(server.url().startsWith(QStringLiteral("https://127.0.0.1:")));
        const client::RestClient rest = server.client();
        for (const char* path : {"/healthz", "/livez", "/readyz"}) {
            const auto response = rest.get(path);
            QVERIFY2(response.ok(), path);
            QCOMPARE(response->status, 200);
            QCOMPARE(response->body, std::string("ok"));
        }
        const auto version = rest.get("/version");
        QVERIFY(version.ok());
        const auto info = nlohmann::json::parse(version->body);
        QCOMPARE(info.at("major").get<std::string>(), std::string("1"));
        QCOMPARE(info.at("minor").get<std::string>(), std::string("32"));

        // The admin certificate authenticates: the API answers; unknown resources are 404.
        QCOMPARE(rest.get("/api/v1/namespaces")->status, 200);
        QCOMPARE(rest.get("/api/v1/nonexistents")->status, 404);

        QCOMPARE(server.terminate(), 0);
        QVERIFY(!rest.get("/healthz").ok());
    }

    void plainHttpOnTheSamePortServesOnlyPublicEndpoints() {
        testing::SlipwaydServer server;
        QVERIFY(server.start());
        auto url = *client::ServerUrl::parse(server.url().toStdString());
        url.scheme = "http";  // what `curl 127.0.0.1:PORT/version` sends
        const client::RestClient plain{client::ClientConfig(url)};
        QCOMPARE(plain.get("/version")->status, 200);
        QCOMPARE(plain.get("/readyz")->status, 200);
        QCOMPARE(plain.get("/api/v1/namespaces")->status, 401);
    }

    void keepsItsCertificateAuthorityAcrossRestarts() {
        testing::SlipwaydServer server;
        QVERIFY(server.start());
        QFile caFile(server.dataDir() + QStringLiteral("/pki/ca.crt"));
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        const QByteArray ca = caFile.readAll();
        caFile.close();
        const auto keyPermissions =
            QFileInfo(server.dataDir() + QStringLiteral("/pki/ca.key")).permissions();
        QVERIFY(!(keyPermissions &
                  (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)));
        QCOMPARE(server.terminate(), 0);

        // Same data dir again: same CA, so old kubeconfigs keep working.
        QVERIFY(server.start());
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        QCOMPARE(caFile.readAll(), ca);
        QCOMPARE(server.client().get("/readyz")->status, 200);
    }

    void insecureHttpModeIsExplicit() {
        testing::SlipwaydServer server;
        QVERIFY(server.start({QStringLiteral("--insecure-http")}));
        QVERIFY(server.url().startsWith(QStringLiteral("http://")));
        // Everyone is an administrator in this test-only mode: the API answers, no 401.
        QCOMPARE(server.client().get("/api/v1/namespaces")->status, 200);
    }

    void kubectlReadsTheKubeconfigAndTheVersion() {
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/kubectl"))) {
            QSKIP("kubectl is not installed");
        }
        testing::SlipwaydServer server;
        QVERIFY(server.start());
        QTemporaryDir home;  // kubectl and its dispatcher cache under $HOME
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.remove(QStringLiteral("KUBECONFIG"));
        const auto result =
            testing::run(QStringLiteral("/usr/bin/kubectl"),
                         {QStringLiteral("--kubeconfig"), server.kubeconfigPath(),
                          QStringLiteral("version"), QStringLiteral("-o"), QStringLiteral("json")},
                         environment);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const auto json = nlohmann::json::parse(result.out.toStdString());
        QCOMPARE(json.at("serverVersion").at("minor").get<std::string>(), std::string("32"));
        QVERIFY(json.at("serverVersion").at("gitVersion").get<std::string>().find("slipway") !=
                std::string::npos);
        // The dispatcher ran the kubectl matching the server's minor ("32+" on its builds).
        QVERIFY(json.at("clientVersion").at("gitVersion").get<std::string>().rfind("v1.32.", 0) ==
                0);
    }

    void apiServerOnlyServesWithoutControllers() {
        testing::SlipwaydServer server;
        QVERIFY(server.start({QStringLiteral("--api-server-only")}));
        const client::RestClient rest = server.client();
        // The API and its store work as ever.
        const auto created =
            server.apiClient()->create(client::ResourceRef("", "v1", "configmaps", "default"),
                                       {{"apiVersion", "v1"},
                                        {"kind", "ConfigMap"},
                                        {"metadata", {{"name", "kept"}}},
                                        {"data", {{"a", "1"}}}});
        QVERIFY(created.ok());
        QCOMPARE(rest.get("/api/v1/namespaces/default/configmaps/kept")->status, 200);
        // metrics.k8s.io is served from the controllers' caches: not by an API server alone.
        const auto groups = nlohmann::json::parse(rest.get("/apis")->body);
        bool metrics = false;
        for (const auto& group : groups.at("groups")) {
            metrics = metrics || group.value("name", "") == "metrics.k8s.io";
        }
        QVERIFY(!metrics);
        QCOMPARE(server.terminate(), 0);

        // Without controllers there is no node to run anything on.
        QTemporaryDir dir;
        const auto conflicting =
            testing::run(binary(QStringLiteral("slipwayd")),
                         {QStringLiteral("server"), QStringLiteral("--data-dir"), dir.path(),
                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--api-server-only"), QStringLiteral("--sim-nodes"),
                          QStringLiteral("2")});
        QCOMPARE(conflicting.exitCode, 2);
        QVERIFY2(conflicting.err.contains(QStringLiteral("--api-server-only")),
                 qPrintable(conflicting.err));
    }

    void refusesASecondServerOnTheSameDataDir() {
        testing::SlipwaydServer first;
        QVERIFY(first.start());
        const auto second =
            testing::run(binary(QStringLiteral("slipwayd")),
                         {QStringLiteral("server"), QStringLiteral("--data-dir"), first.dataDir(),
                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(QStringLiteral("in use")), qPrintable(second.err));
    }

    void badFlagsExitWithUsageErrors() {
        QTemporaryDir dir;
        const auto badListen =
            testing::run(binary(QStringLiteral("slipwayd")),
                         {QStringLiteral("server"), QStringLiteral("--data-dir"), dir.path(),
                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1")});
        QCOMPARE(badListen.exitCode, 2);
        QVERIFY(badListen.err.contains(QStringLiteral("no port")));
        const auto unknown = testing::run(binary(QStringLiteral("slipwayd")),
                                          {QStringLiteral("server"), QStringLiteral("--bogus")});
        QVERIFY(unknown.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TstSlipwaydServer)
#include "tst_slipwayd_server.moc"
