// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/apiserver/router.h"

using namespace slipway::apiserver;

class TstRouter : public QObject {
    Q_OBJECT
private slots:
    void splitsPathAndQuery() {
        QCOMPARE(splitTarget("/healthz?verbose").path, std::string_view("/healthz"));
        QCOMPARE(splitTarget("/healthz?verbose").query, std::string_view("verbose"));
        QCOMPARE(splitTarget("/version").query, std::string_view());
    }

    void livenessAnswersOkAtOnce() {
        Router router;
        for (const char* path : {"/healthz", "/livez"}) {
            const auto response = router.handle(HttpRequest("GET", path));
            QCOMPARE(response.status, 200);
            QCOMPARE(response.body, std::string("ok"));
            QVERIFY(response.contentType.rfind("text/plain", 0) == 0);
        }
    }

    void readinessWaitsForStartUp() {
        Router router;
        QCOMPARE(router.handle(HttpRequest("GET", "/readyz")).status, 503);
        router.setReady(true);
        const auto ready = router.handle(HttpRequest("GET", "/readyz"));
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.body, std::string("ok"));
    }

    void verboseListsChecks() {
        Router router;
        router.setReady(true);
        const auto response = router.handle(HttpRequest("GET", "/readyz?verbose=1&exclude=etcd"));
        QCOMPARE(response.status, 200);
        QVERIFY(response.body.find("[+]ping ok") != std::string::npos);
        QVERIFY(response.body.find("readyz check passed") != std::string::npos);
    }

    void versionIsKubernetesVersionInfo() {
        Router router;
        const auto response = router.handle(HttpRequest("GET", "/version?timeout=5s"));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.contentType, std::string("application/json"));
        const auto json = nlohmann::json::parse(response.body);
        QCOMPARE(json.at("major").get<std::string>(), std::string("1"));
        QCOMPARE(json.at("minor").get<std::string>(), std::string("32"));
    }

    void anonymousRequestsBeyondHealthAreUnauthorized() {
        Router router;
        const auto response = router.handle(HttpRequest("GET", "/api/v1/pods"));
        QCOMPARE(response.status, 401);
        const auto json = nlohmann::json::parse(response.body);
        QCOMPARE(json.at("reason").get<std::string>(), std::string("Unauthorized"));
    }

    void unknownPathIsNotFoundStatus() {
        Router router;
        HttpRequest request("GET", "/api/v1/pods");
        request.identity = {"slipway-admin", {"system:masters"}, true};
        const auto response = router.handle(request);
        QCOMPARE(response.status, 404);
        const auto json = nlohmann::json::parse(response.body);
        QCOMPARE(json.at("kind").get<std::string>(), std::string("Status"));
        QCOMPARE(json.at("reason").get<std::string>(), std::string("NotFound"));
        QCOMPARE(json.at("code").get<int>(), 404);
    }

    void writesToHealthEndpointsAreRefused() {
        Router router;
        const auto response = router.handle(HttpRequest("POST", "/healthz", "{}"));
        QCOMPARE(response.status, 405);
        QCOMPARE(nlohmann::json::parse(response.body).at("reason").get<std::string>(),
                 std::string("MethodNotAllowed"));
    }
};

QTEST_GUILESS_MAIN(TstRouter)
#include "tst_router.moc"
