// SPDX-License-Identifier: Apache-2.0
// The create-only review resources, called as the Router calls them.
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/apiserver/request_info.h"
#include "engine/auth/auth_resources.h"
#include "engine/auth/bootstrap_policy.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/rbac_policy_cache.h"
#include "engine/auth/service_account_key.h"
#include "engine/auth/token_authenticator.h"
#include "engine/store/store.h"

using namespace slipway;
using nlohmann::json;

namespace {

const apiserver::Identity kAdmin{"slipway-admin", {"system:masters", "system:authenticated"}, true};

apiserver::RequestInfo info(const std::string& resource, const std::string& nameSpace = {},
                            const std::string& name = {}, const std::string& subresource = {}) {
    apiserver::RequestInfo requestInfo;
    requestInfo.isResourceRequest = true;
    requestInfo.verb = "create";
    requestInfo.resource = resource;
    requestInfo.nameSpace = nameSpace;
    requestInfo.name = name;
    requestInfo.subresource = subresource;
    return requestInfo;
}

apiserver::HttpRequest post(const json& body, const apiserver::Identity& identity = kAdmin) {
    apiserver::HttpRequest request("POST", "/", body.dump());
    request.identity = identity;
    request.contentType = "application/json";
    return request;
}

}  // namespace

class TstAuthResources : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::optional<auth::ServiceAccountKey> m_key;
    std::unique_ptr<auth::TokenAuthenticator> m_authenticator;
    auth::RbacAuthorizer m_authorizer;
    std::unique_ptr<auth::RbacPolicyCache> m_cache;
    std::unique_ptr<auth::AuthResources> m_resources;

    std::string tokenFor(const std::string& name, const json& spec = json::object()) {
        const auto response =
            m_resources->tokenRequest(post({{"apiVersion", "authentication.k8s.io/v1"},
                                            {"kind", "TokenRequest"},
                                            {"spec", spec}}),
                                      info("serviceaccounts", "default", name, "token"));
        return response.status == 201
                   ? json::parse(response.body).at("status").at("token").get<std::string>()
                   : std::string();
    }

private slots:
    void initTestCase() {
        auto opened = store::Store::open(m_dir.filePath(QStringLiteral("store.db")).toStdString());
        QVERIFY(opened.ok());
        m_store = std::move(*opened);
        QVERIFY(auth::ensureBootstrapPolicy(*m_store, std::chrono::system_clock::now()).ok());
        QVERIFY(m_store
                    ->create("/registry/core/serviceaccounts/default/bot",
                             json{{"apiVersion", "v1"},
                                  {"kind", "ServiceAccount"},
                                  {"metadata",
                                   {{"name", "bot"}, {"namespace", "default"}, {"uid", "u-1"}}}}
                                 .dump())
                    .ok());
        m_key.emplace(*auth::ServiceAccountKey::generate());
        m_authenticator = std::make_unique<auth::TokenAuthenticator>(
            *m_key, std::vector<std::string>{std::string(auth::kServiceAccountIssuer)},
            auth::objectUidFromStore(*m_store));
        m_cache = std::make_unique<auth::RbacPolicyCache>(*m_store, m_authorizer);
        QVERIFY(m_cache->start().ok());
        m_resources =
            std::make_unique<auth::AuthResources>(*m_store, *m_key, *m_authenticator, m_authorizer);
    }

    void cleanupTestCase() {
        m_cache.reset();
        m_store.reset();
    }

    void tokenRequestDefaultsAndLimits() {
        const auto response =
            m_resources->tokenRequest(post({{"apiVersion", "authentication.k8s.io/v1"},
                                            {"kind", "TokenRequest"},
                                            {"spec", json::object()}}),
                                      info("serviceaccounts", "default", "bot", "token"));
        QCOMPARE(response.status, 201);
        const auto body = json::parse(response.body);
        QCOMPARE(body.at("kind"), json("TokenRequest"));
        QCOMPARE(body.at("spec").at("expirationSeconds"), json(3600));
        QCOMPARE(body.at("spec").at("audiences"), json({auth::kServiceAccountIssuer}));
        QCOMPARE(body.at("metadata").at("name"), json("bot"));
        QVERIFY(!body.at("status").at("expirationTimestamp").get<std::string>().empty());

        const auto tooLong =
            m_resources->tokenRequest(post({{"spec", {{"expirationSeconds", 1LL << 33}}}}),
                                      info("serviceaccounts", "default", "bot", "token"));
        QCOMPARE(tooLong.status, 422);
        const auto missing = m_resources->tokenRequest(
            post({{"spec", json::object()}}), info("serviceaccounts", "default", "ghost", "token"));
        QCOMPARE(missing.status, 404);
        const auto wrongKind =
            m_resources->tokenRequest(post({{"apiVersion", "v1"}, {"kind", "Pod"}}),
                                      info("serviceaccounts", "default", "bot", "token"));
        QCOMPARE(wrongKind.status, 400);
    }

    void tokenReviewAuthenticatesTokens() {
        const std::string token = tokenFor("bot");
        QVERIFY(!token.empty());
        auto response = m_resources->tokenReview(post({{"apiVersion", "authentication.k8s.io/v1"},
                                                       {"kind", "TokenReview"},
                                                       {"spec", {{"token", token}}}}),
                                                 info("tokenreviews"));
        QCOMPARE(response.status, 201);
        auto status = json::parse(response.body).at("status");
        QCOMPARE(status.at("authenticated"), json(true));
        QCOMPARE(status.at("user").at("username"), json("system:serviceaccount:default:bot"));

        // A token for another audience is valid only in a review for that audience.
        const std::string vault = tokenFor("bot", {{"audiences", {"vault"}}});
        response =
            m_resources->tokenReview(post({{"spec", {{"token", vault}}}}), info("tokenreviews"));
        status = json::parse(response.body).at("status");
        QVERIFY(!status.contains("authenticated"));
        QVERIFY(status.at("error").get<std::string>().find("audiences") != std::string::npos);
        response = m_resources->tokenReview(
            post({{"spec", {{"token", vault}, {"audiences", {"vault"}}}}}), info("tokenreviews"));
        QCOMPARE(json::parse(response.body).at("status").at("audiences"), json({"vault"}));
    }

    void subjectAccessReviewsAskTheAuthorizer() {
        const json listPods = {
            {"resourceAttributes",
             {{"namespace", "default"}, {"verb", "list"}, {"resource", "pods"}}}};
        // Self: the caller.
        auto response =
            m_resources->subjectAccessReview(post({{"apiVersion", "authorization.k8s.io/v1"},
                                                   {"kind", "SelfSubjectAccessReview"},
                                                   {"spec", listPods}}),
                                             info("selfsubjectaccessreviews"));
        QCOMPARE(response.status, 201);
        QCOMPARE(json::parse(response.body).at("status").at("allowed"), json(true));

        // For another user: spec.user and spec.groups.
        json spec = listPods;
        spec["user"] = "jane";
        spec["groups"] = {"system:authenticated"};
        response =
            m_resources->subjectAccessReview(post({{"spec", spec}}), info("subjectaccessreviews"));
        auto body = json::parse(response.body);
        QCOMPARE(body.at("kind"), json("SubjectAccessReview"));
        QCOMPARE(body.at("status").at("allowed"), json(false));
        spec["groups"] = {"system:masters"};
        response =
            m_resources->subjectAccessReview(post({{"spec", spec}}), info("subjectaccessreviews"));
        QCOMPARE(json::parse(response.body).at("status").at("allowed"), json(true));

        // Non-resource: discovery is for every authenticated user.
        response = m_resources->subjectAccessReview(
            post({{"spec",
                   {{"user", "jane"},
                    {"groups", {"system:authenticated"}},
                    {"nonResourceAttributes", {{"path", "/apis"}, {"verb", "get"}}}}}}),
            info("subjectaccessreviews"));
        body = json::parse(response.body);
        QCOMPARE(body.at("status").at("allowed"), json(true));
        QCOMPARE(body.at("status").at("reason"),
                 json("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole "
                      "\"system:discovery\" to Group \"system:authenticated\""));

        // Invalid: no subject; both or neither kind of attributes; a local review elsewhere.
        QCOMPARE(m_resources
                     ->subjectAccessReview(post({{"spec", listPods}}), info("subjectaccessreviews"))
                     .status,
                 422);
        QCOMPARE(m_resources
                     ->subjectAccessReview(post({{"spec", {{"user", "jane"}}}}),
                                           info("subjectaccessreviews"))
                     .status,
                 422);
        spec["user"] = "jane";
        QCOMPARE(m_resources
                     ->subjectAccessReview(post({{"spec", spec}}),
                                           info("localsubjectaccessreviews", "kube-system"))
                     .status,
                 422);
        QCOMPARE(m_resources
                     ->subjectAccessReview(post({{"spec", spec}}),
                                           info("localsubjectaccessreviews", "default"))
                     .status,
                 201);
    }

    void selfSubjectReviewAndRulesReview() {
        const apiserver::Identity jane{"jane", {"devs", "system:authenticated"}, true};
        auto response = m_resources->selfSubjectReview(
            post({{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}}, jane),
            info("selfsubjectreviews"));
        QCOMPARE(response.status, 201);
        QCOMPARE(json::parse(response.body).at("status").at("userInfo"),
                 json({{"username", "jane"}, {"groups", {"devs", "system:authenticated"}}}));

        response = m_resources->selfSubjectRulesReview(
            post({{"spec", {{"namespace", "default"}}}}, jane), info("selfsubjectrulesreviews"));
        const auto status = json::parse(response.body).at("status");
        QCOMPARE(status.at("incomplete"), json(false));
        QVERIFY(std::any_of(status.at("resourceRules").begin(), status.at("resourceRules").end(),
                            [](const json& rule) {
                                return rule.at("resources") == json({"selfsubjectaccessreviews",
                                                                     "selfsubjectrulesreviews"});
                            }));
        QVERIFY(
            std::any_of(status.at("nonResourceRules").begin(), status.at("nonResourceRules").end(),
                        [](const json& rule) { return rule.at("nonResourceURLs").size() == 11; }));
    }
};

QTEST_GUILESS_MAIN(TstAuthResources)
#include "tst_auth_resources.moc"
