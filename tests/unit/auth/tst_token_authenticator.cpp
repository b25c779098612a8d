// SPDX-License-Identifier: Apache-2.0
// Service-account tokens: signing with the server's key, and what the authenticator accepts.
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

#include "engine/auth/service_account_key.h"
#include "engine/auth/service_account_token.h"
#include "engine/auth/token_authenticator.h"

using namespace slipway;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

const std::string kAudience(auth::kServiceAccountIssuer);

auth::ServiceAccountTokenClaims botClaims(Clock::time_point issuedAt) {
    auth::ServiceAccountTokenClaims claims;
    claims.nameSpace = "default";
    claims.name = "bot";
    claims.uid = "uid-1";
    claims.audiences = {kAudience};
    claims.issuedAt = std::chrono::time_point_cast<std::chrono::seconds>(issuedAt);
    claims.expiresAt = claims.issuedAt + 1h;
    return claims;
}

}  // namespace

class TstTokenAuthenticator : public QObject {
    Q_OBJECT

    std::optional<auth::ServiceAccountKey> m_key;
    Clock::time_point m_now = Clock::now();
    /// The service accounts that exist: namespace/name → uid.
    std::map<std::string, std::string> m_serviceAccounts;
    /// The pods that exist: namespace/name → uid.
    std::map<std::string, std::string> m_pods;

    auth::TokenAuthenticator authenticator() {
        return auth::TokenAuthenticator(
            *m_key, {kAudience},
            [this](const std::string& resource, const std::string& ns,
                   const std::string& name) -> std::optional<std::string> {
                const auto& objects = resource == "serviceaccounts" ? m_serviceAccounts : m_pods;
                const auto it = objects.find(ns + "/" + name);
                return it == objects.end() ? std::nullopt : std::optional<std::string>(it->second);
            },
            [this] { return m_now; });
    }

    std::string issue(const auth::ServiceAccountTokenClaims& claims) {
        auto token = auth::issueServiceAccountToken(*m_key, claims);
        if (!token) {
            qFatal("%s", token.error().message().c_str());
        }
        return *token;
    }

private slots:
    void init() {
        auto key = auth::ServiceAccountKey::generate();
        QVERIFY(key.ok());
        m_key.emplace(std::move(*key));
        m_now = Clock::now();
        m_serviceAccounts = {{"default/bot", "uid-1"}};
        m_pods.clear();
    }

    void base64UrlRoundTrips() {
        for (const std::string bytes : {"", "f", "fo", "foo", "\xff\xfe\xfd?>"}) {
            const auto text = auth::base64UrlEncode(bytes);
            QVERIFY(text.find_first_of("+/=") == std::string::npos);
            QCOMPARE(auth::base64UrlDecode(text).valueOr(std::string("!")), bytes);
        }
        QVERIFY(!auth::base64UrlDecode("a+b=").ok());
    }

    void tokenHasKubernetesClaims() {
        const std::string token = issue(botClaims(m_now));
        const auto claims = m_key->verify(token);
        QVERIFY(claims.ok());
        QCOMPARE((*claims)["iss"].get<std::string>(), kAudience);
        QCOMPARE((*claims)["sub"].get<std::string>(),
                 std::string("system:serviceaccount:default:bot"));
        QCOMPARE((*claims)["aud"], nlohmann::json::array({kAudience}));
        QCOMPARE((*claims)["kubernetes.io"]["serviceaccount"]["uid"].get<std::string>(),
                 std::string("uid-1"));
        QCOMPARE((*claims)["exp"].get<long long>() - (*claims)["iat"].get<long long>(), 3600LL);
        // The header names ES256 and the key.
        const auto header = auth::base64UrlDecode(token.substr(0, token.find('.')));
        const auto headerJson = nlohmann::json::parse(*header);
        QCOMPARE(headerJson["alg"].get<std::string>(), std::string("ES256"));
        QCOMPARE(headerJson["kid"].get<std::string>(), m_key->keyId());
        // R||S: 64 bytes, base64url without padding is 86 characters.
        QCOMPARE(token.size() - token.rfind('.') - 1, std::size_t{86});
    }

    void validTokenAuthenticatesAsTheServiceAccount() {
        const auto identity = authenticator().authenticateToken(issue(botClaims(m_now)));
        QVERIFY2(identity.ok(), identity.ok() ? "" : identity.error().message().c_str());
        QCOMPARE(identity->user, std::string("system:serviceaccount:default:bot"));
        QCOMPARE(identity->groups, (std::vector<std::string>{"system:serviceaccounts",
                                                             "system:serviceaccounts:default",
                                                             "system:authenticated"}));
        QVERIFY(identity->authenticated);
    }

    void expiredTokenIsRefused() {
        const std::string token = issue(botClaims(m_now - 2h));
        const auto identity = authenticator().authenticateToken(token);
        QVERIFY(!identity.ok());
        QCOMPARE(identity.error().code(), core::ErrorCode::Unauthorized);
        QCOMPARE(identity.error().message(), std::string("token has expired"));
        // One second before its expiry it was fine.
        m_now = m_now - 1h - 1s;
        QVERIFY(authenticator().authenticateToken(token).ok());
    }

    void tokenForAnotherAudienceIsRefused() {
        auto claims = botClaims(m_now);
        claims.audiences = {"vault"};
        const auto identity = authenticator().authenticateToken(issue(claims));
        QVERIFY(!identity.ok());
        QVERIFY(identity.error().message().find("audiences") != std::string::npos);
        // A TokenReview for that audience accepts it.
        QVERIFY(authenticator().authenticate(issue(claims), {"vault"}).ok());
    }

    void tamperedTokenIsRefused() {
        const std::string token = issue(botClaims(m_now));
        const auto firstDot = token.find('.');
        const auto lastDot = token.rfind('.');
        // Claims that say "admin" under the bot's signature.
        auto claims = *m_key->verify(token);
        claims["sub"] = "system:serviceaccount:kube-system:admin";
        const std::string forged = token.substr(0, firstDot + 1) +
                                   auth::base64UrlEncode(claims.dump()) + token.substr(lastDot);
        QVERIFY(!authenticator().authenticateToken(forged).ok());
        // A flipped signature bit.
        std::string flipped = token;
        flipped[lastDot + 5] = flipped[lastDot + 5] == 'A' ? 'B' : 'A';
        QVERIFY(!authenticator().authenticateToken(flipped).ok());
        // Signed by another key.
        auto other = auth::ServiceAccountKey::generate();
        const auto foreign = auth::issueServiceAccountToken(*other, botClaims(m_now));
        QVERIFY(!authenticator().authenticateToken(*foreign).ok());
        // Not a JWT at all; the "none" algorithm.
        QVERIFY(!authenticator().authenticateToken("abc").ok());
        const std::string none = auth::base64UrlEncode(R"({"alg":"none"})") + "." +
                                 token.substr(firstDot + 1, lastDot - firstDot - 1) + ".";
        QVERIFY(!authenticator().authenticateToken(none).ok());
    }

    void deletedOrRecreatedServiceAccountRevokesTheToken() {
        const std::string token = issue(botClaims(m_now));
        QVERIFY(authenticator().authenticateToken(token).ok());
        m_serviceAccounts.clear();
        auto identity = authenticator().authenticateToken(token);
        QVERIFY(!identity.ok());
        QVERIFY(identity.error().message().find("deleted") != std::string::npos);
        // Same name, new object: the old token names the old uid.
        m_serviceAccounts = {{"default/bot", "uid-2"}};
        QVERIFY(!authenticator().authenticateToken(token).ok());
    }

    void tokenBoundToAPodDiesWithThePod() {
        auto claims = botClaims(m_now);
        claims.bound = auth::ServiceAccountTokenClaims::BoundObject{"pods", "web", "pod-uid-1"};
        const std::string token = issue(claims);
        m_pods = {{"default/web", "pod-uid-1"}};
        QVERIFY(authenticator().authenticateToken(token).ok());
        auto parsed = auth::validateServiceAccountToken(*m_key, token, {kAudience}, m_now);
        QVERIFY(parsed && parsed->bound);
        QCOMPARE(parsed->bound->resource, std::string("pods"));
        QCOMPARE(parsed->bound->name, std::string("web"));
        QCOMPARE(parsed->bound->uid, std::string("pod-uid-1"));
        // A new pod of the same name is another pod.
        m_pods = {{"default/web", "pod-uid-2"}};
        auto recreated = authenticator().authenticateToken(token);
        QVERIFY(!recreated.ok());
        QCOMPARE(recreated.error().message(),
                 std::string("pod UID (pod-uid-2) does not match claim (pod-uid-1)"));
        m_pods.clear();
        auto deleted = authenticator().authenticateToken(token);
        QVERIFY(!deleted.ok());
        QCOMPARE(deleted.error().message(), std::string("pod default/web has been deleted"));
    }

    void checkedClaimsAreCachedForTenSeconds() {
        const auto cached = authenticator();
        const std::string token = issue(botClaims(m_now));
        QVERIFY(cached.authenticateToken(token).ok());
        QCOMPARE(cached.cachedTokens(), std::size_t{1});
        QCOMPARE(cached.cacheHits(), std::uint64_t{0});
        m_now += 9s;
        QVERIFY(cached.authenticateToken(token).ok());
        QCOMPARE(cached.cacheHits(), std::uint64_t{1});
        // The ServiceAccount is still looked up on every use: deleting it revokes at once.
        m_serviceAccounts.clear();
        QVERIFY(!cached.authenticateToken(token).ok());
        QCOMPARE(cached.cacheHits(), std::uint64_t{2});
        m_serviceAccounts = {{"default/bot", "uid-1"}};
        // After 10 s the signature is checked again (no hit), and cached anew.
        m_now += 2s;
        QVERIFY(cached.authenticateToken(token).ok());
        QCOMPARE(cached.cacheHits(), std::uint64_t{2});
        QVERIFY(cached.authenticateToken(token).ok());
        QCOMPARE(cached.cacheHits(), std::uint64_t{3});
        // Another audience is another entry; a refused token is not cached.
        auto vault = botClaims(m_now);
        vault.audiences = {"vault"};
        QVERIFY(cached.authenticate(issue(vault), {"vault"}).ok());
        QVERIFY(!cached.authenticateToken(issue(vault)).ok());
        QCOMPARE(cached.cachedTokens(), std::size_t{2});
    }

    void cachedClaimsNeverOutliveTheToken() {
        const auto cached = authenticator();
        auto claims = botClaims(m_now);
        claims.expiresAt = claims.issuedAt + 5s;
        const std::string token = issue(claims);
        QVERIFY(cached.authenticateToken(token).ok());
        m_now = claims.issuedAt + 4s;
        QVERIFY(cached.authenticateToken(token).ok());
        QCOMPARE(cached.cacheHits(), std::uint64_t{1});
        m_now = claims.issuedAt + 6s;
        const auto expired = cached.authenticateToken(token);
        QVERIFY(!expired.ok());
        QCOMPARE(expired.error().message(), std::string("token has expired"));
    }

    void keyIsCreatedOnceWithOwnerOnlyMode() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "pki" / "sa.key";
        auto created = auth::ServiceAccountKey::loadOrCreate(path);
        QVERIFY(created.ok());
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600U);
        auto loaded = auth::ServiceAccountKey::loadOrCreate(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->keyId(), created->keyId());
        // A token signed before a restart still verifies after it.
        const auto token = auth::issueServiceAccountToken(*created, botClaims(m_now));
        QVERIFY(loaded->verify(*token).ok());
    }
};

QTEST_GUILESS_MAIN(TstTokenAuthenticator)
#include "tst_token_authenticator.moc"
