// SPDX-License-Identifier: Apache-2.0
// Figures for the per-request cost of authentication and authorisation: ES256 token
// verification, RBAC decisions over a large policy, and rebuilding the policy snapshot (what
// RbacPolicyCache does per batch of RBAC writes). Prints figures; asserts only that the
// operations gave the expected answers.
#include <chrono>
#include <cstdio>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/auth/bootstrap_policy.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/service_account_token.h"
#include "engine/auth/token_authenticator.h"

using namespace slipway;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kNamespaces = 1000;
constexpr int kBindingsPerNamespace = 5;

double microseconds(Clock::duration d, int operations) {
    return std::chrono::duration<double, std::micro>(d).count() / operations;
}

/// The bootstrap policy plus, in each of 1,000 namespaces, five RoleBindings of "view" or
/// "edit" to service accounts: 5,000 bindings.
std::vector<json> largePolicy() {
    std::vector<json> objects = auth::bootstrapClusterRoles();
    for (auto& binding : auth::bootstrapClusterRoleBindings()) {
        objects.push_back(std::move(binding));
    }
    for (int n = 0; n < kNamespaces; ++n) {
        const std::string ns = "ns-" + std::to_string(n);
        for (int b = 0; b < kBindingsPerNamespace; ++b) {
            objects.push_back(
                {{"kind", "RoleBinding"},
                 {"metadata", {{"name", "b-" + std::to_string(b)}, {"namespace", ns}}},
                 {"roleRef", {{"kind", "ClusterRole"}, {"name", b % 2 == 0 ? "view" : "edit"}}},
                 {"subjects",
                  {{{"kind", "ServiceAccount"},
                    {"name", "sa-" + std::to_string(b)},
                    {"namespace", ns}}}}});
        }
    }
    return objects;
}

apiserver::AuthorizationAttributes listPods(const apiserver::Identity& user,
                                            const std::string& ns) {
    return apiserver::AuthorizationAttributes::forResource(user, "list", "", "pods", ns);
}

}  // namespace

class BenchAuth : public QObject {
    Q_OBJECT
private slots:
    void tokenVerification() {
        auto key = auth::ServiceAccountKey::generate();
        QVERIFY(key.ok());
        auth::ServiceAccountTokenClaims claims;
        claims.nameSpace = "default";
        claims.name = "bot";
        claims.uid = "u";
        claims.audiences = {std::string(auth::kServiceAccountIssuer)};
        claims.issuedAt = std::chrono::system_clock::now();
        claims.expiresAt = claims.issuedAt + std::chrono::hours(1);
        constexpr int kTokens = 2000;
        auto start = Clock::now();
        std::vector<std::string> tokens;
        for (int i = 0; i < kTokens; ++i) {
            tokens.push_back(*auth::issueServiceAccountToken(*key, claims));
        }
        const double signUs = microseconds(Clock::now() - start, kTokens);
        const auth::TokenAuthenticator authenticator(
            *key, {std::string(auth::kServiceAccountIssuer)},
            [](const std::string&, const std::string&, const std::string&) {
                return std::optional<std::string>("u");
            });
        // Each token once: the signature is checked every time.
        start = Clock::now();
        for (const auto& token : tokens) {
            QVERIFY(authenticator.authenticateToken(token).ok());
        }
        const double verifyUs = microseconds(Clock::now() - start, kTokens);
        // The same tokens again within 10 s: from the cache.
        start = Clock::now();
        for (const auto& token : tokens) {
            QVERIFY(authenticator.authenticateToken(token).ok());
        }
        const double cachedUs = microseconds(Clock::now() - start, kTokens);
        QCOMPARE(authenticator.cacheHits(), std::uint64_t{kTokens});
        std::printf(
            "ES256 token: issue %.1f us, authenticate (verify + claims) %.1f us, "
            "authenticate again (cached) %.1f us\n",
            signUs, verifyUs, cachedUs);
    }

    void rbacDecisions() {
        const auto objects = largePolicy();
        auto start = Clock::now();
        auto policy = std::make_shared<auth::RbacPolicy>();
        for (const auto& object : objects) {
            policy->add(object);
        }
        const double buildMs =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        auth::RbacAuthorizer authorizer;
        authorizer.setPolicy(std::move(policy));

        const auto allowedUser = auth::serviceAccountIdentity("ns-500", "sa-2");
        const auto deniedUser = auth::serviceAccountIdentity("ns-500", "nobody");
        const apiserver::Identity admin{"slipway-admin", {"system:masters"}, true};
        constexpr int kDecisions = 200'000;
        const auto measure = [&](const apiserver::Identity& user, bool expected) {
            const auto attributes = listPods(user, "ns-500");
            const auto begin = Clock::now();
            for (int i = 0; i < kDecisions; ++i) {
                if (authorizer.authorize(attributes).allowed != expected) {
                    return -1.0;
                }
            }
            return microseconds(Clock::now() - begin, kDecisions);
        };
        const double allowedUs = measure(allowedUser, true);
        const double deniedUs = measure(deniedUser, false);
        const double adminUs = measure(admin, true);
        QVERIFY(allowedUs >= 0 && deniedUs >= 0 && adminUs >= 0);
        std::printf(
            "RBAC over %zu objects (%d RoleBindings): snapshot build %.1f ms; decision "
            "allowed %.2f us, denied %.2f us, system:masters %.2f us\n",
            objects.size(), kNamespaces * kBindingsPerNamespace, buildMs, allowedUs, deniedUs,
            adminUs);
    }
};

QTEST_GUILESS_MAIN(BenchAuth)
#include "bench_auth.moc"
