// SPDX-License-Identifier: Apache-2.0
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/apiserver/authentication.h"
#include "engine/apiserver/authorization.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"

using namespace slipway::apiserver;
using slipway::core::Error;
using slipway::core::ErrorCode;
using slipway::core::Result;

namespace {

/// Knows one token, "good", as user "bot".
class FakeAuthenticator : public Authenticator {
public:
    Result<Identity> authenticateToken(const std::string& token) const override {
        if (token != "good") {
            return Error(ErrorCode::Unauthorized, "bad token");
        }
        return Identity{"bot", {"system:authenticated"}, true};
    }
};

/// Allows what `allow` says and remembers what it was asked.
class FakeAuthorizer : public Authorizer {
public:
    AuthorizationDecision authorize(const AuthorizationAttributes& attributes) const override {
        asked.push_back(attributes);
        return {allow(attributes), ""};
    }
    std::function<bool(const AuthorizationAttributes&)> allow = [](const auto&) { return true; };
    mutable std::vector<AuthorizationAttributes> asked;
};

HttpRequest withToken(const char* method, const char* target, const char* authorization) {
    HttpRequest request(method, target);
    request.authorization = authorization;
    return request;
}

}  // namespace

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

    void bearerTokensAuthenticateThroughTheAuthenticator() {
        Router router;
        FakeAuthenticator authenticator;
        FakeAuthorizer authorizer;
        router.setAuthenticator(authenticator);
        router.setAuthorizer(authorizer);
        // Known token: past authentication (404: this router serves no resources).
        QCOMPARE(router.handle(withToken("GET", "/api/v1/pods", "Bearer good")).status, 404);
        QCOMPARE(authorizer.asked.back().user.user, std::string("bot"));
        QCOMPARE(router.handle(withToken("GET", "/api/v1/pods", "bearer  good ")).status, 404);
        // Unknown token, or another scheme: 401 before anything is routed.
        const auto bad = router.handle(withToken("GET", "/api/v1/pods", "Bearer bad"));
        QCOMPARE(bad.status, 401);
        QCOMPARE(nlohmann::json::parse(bad.body).at("message").get<std::string>(),
                 std::string("Unauthorized"));
        QCOMPARE(router.handle(withToken("GET", "/api/v1/pods", "Basic Ym90Og==")).status, 401);
        // A client certificate wins over a token.
        HttpRequest both = withToken("GET", "/api/v1/pods", "Bearer bad");
        both.identity = {"slipway-admin", {"system:masters"}, true};
        QCOMPARE(router.handle(both).status, 404);
        QCOMPARE(authorizer.asked.back().user.user, std::string("slipway-admin"));
    }

    void deniedRequestsAreForbiddenStatuses() {
        Router router;
        FakeAuthenticator authenticator;
        FakeAuthorizer authorizer;
        authorizer.allow = [](const AuthorizationAttributes&) { return false; };
        router.setAuthenticator(authenticator);
        router.setAuthorizer(authorizer);
        const auto denied = router.handle(
            withToken("GET", "/apis/apps/v1/namespaces/ns/deployments/web?x=1", "Bearer good"));
        QCOMPARE(denied.status, 403);
        const auto status = nlohmann::json::parse(denied.body);
        QCOMPARE(status.at("reason").get<std::string>(), std::string("Forbidden"));
        QCOMPARE(status.at("code").get<int>(), 403);
        QCOMPARE(status.at("message").get<std::string>(),
                 std::string("deployments.apps \"web\" is forbidden: User \"bot\" cannot get "
                             "resource \"deployments\" in API group \"apps\" in the namespace "
                             "\"ns\""));
        QCOMPARE(status.at("details"),
                 nlohmann::json({{"group", "apps"}, {"kind", "deployments"}, {"name", "web"}}));
        const auto& asked = authorizer.asked.back();
        QVERIFY(asked.resourceRequest);
        QCOMPARE(asked.verb, std::string("get"));
        QCOMPARE(asked.apiVersion, std::string("v1"));

        const auto path = router.handle(withToken("GET", "/openapi/v3", "Bearer good"));
        QCOMPARE(path.status, 403);
        QCOMPARE(nlohmann::json::parse(path.body).at("message").get<std::string>(),
                 std::string("forbidden: User \"bot\" cannot get path \"/openapi/v3\""));
        QVERIFY(!authorizer.asked.back().resourceRequest);
        // Health stays public.
        QCOMPARE(router.handle(HttpRequest("GET", "/livez")).status, 200);
    }

    void impersonationNeedsTheImpersonateVerb() {
        Router router;
        FakeAuthenticator authenticator;
        FakeAuthorizer authorizer;
        // "bot" may impersonate service accounts of "team" and the group "devs", nothing else;
        // whoever it acts as may do anything.
        authorizer.allow = [](const AuthorizationAttributes& attributes) {
            if (attributes.verb != "impersonate") {
                return true;
            }
            return (attributes.resource == "serviceaccounts" && attributes.nameSpace == "team") ||
                   (attributes.resource == "groups" && attributes.name == "devs");
        };
        router.setAuthenticator(authenticator);
        router.setAuthorizer(authorizer);

        auto request = withToken("GET", "/api/v1/namespaces/team/pods", "Bearer good");
        request.impersonateUser = "system:serviceaccount:team:builder";
        QCOMPARE(router.handle(request).status, 404);
        const auto& acting = authorizer.asked.back().user;
        QCOMPARE(acting.user, std::string("system:serviceaccount:team:builder"));
        QCOMPARE(acting.groups,
                 (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:team",
                                           "system:authenticated"}));

        request.impersonateUser = "jane";
        request.impersonateGroups = {"devs"};
        const auto refused = router.handle(request);
        QCOMPARE(refused.status, 403);
        QCOMPARE(nlohmann::json::parse(refused.body).at("message").get<std::string>(),
                 std::string("users \"jane\" is forbidden: User \"bot\" cannot impersonate "
                             "resource \"users\" in API group \"\" at the cluster scope"));

        request.impersonateUser.clear();
        QCOMPARE(router.handle(request).status, 400);
    }

    void createOnlyResourcesAnswerPostsAndRefuseTheRest() {
        Router router;
        router.addCreateOnlyResource(
            "authorization.k8s.io", "selfsubjectaccessreviews", "",
            [](const HttpRequest& request, const RequestInfo& info) {
                return HttpResponse::make(
                    201, "application/json",
                    nlohmann::json{{"user", request.identity.user}, {"resource", info.resource}}
                        .dump());
            });
        HttpRequest post("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "{}");
        post.identity = {"jane", {"system:authenticated"}, true};
        const auto created = router.handle(post);
        QCOMPARE(created.status, 201);
        QCOMPARE(nlohmann::json::parse(created.body),
                 nlohmann::json({{"user", "jane"}, {"resource", "selfsubjectaccessreviews"}}));
        HttpRequest list("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
        list.identity = post.identity;
        QCOMPARE(router.handle(list).status, 405);
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
