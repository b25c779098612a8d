// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/auth/static_token_authenticator.h"

using namespace slipway;

namespace {

/// Answers one token with one identity.
class OneToken final : public apiserver::Authenticator {
public:
    core::Result<apiserver::Identity> authenticateToken(const std::string& token) const override {
        if (token == "sa-token") {
            return apiserver::Identity{"system:serviceaccount:default:app", {}, true};
        }
        return core::Error(core::ErrorCode::Unauthorized, "Unauthorized");
    }
};

}  // namespace

class TstStaticTokenAuthenticator : public QObject {
    Q_OBJECT

private slots:
    void readsKubesCsvFormat() {
        auto tokens = auth::StaticTokenAuthenticator::parse(
            "# nodes that may join\n"
            "\n"
            "t0k3n-one,system:node:m2,node-m2,\"system:nodes,team-a\"\r\n"
            "t0k3n-two, alice, 1001\n");
        QVERIFY2(tokens.ok(), tokens.ok() ? "" : tokens.error().message().c_str());
        QCOMPARE(tokens->size(), std::size_t{2});

        auto node = tokens->authenticateToken("t0k3n-one");
        QVERIFY(node.ok());
        QCOMPARE(node->user, std::string("system:node:m2"));
        QVERIFY(node->authenticated);
        QCOMPARE(node->groups,
                 (std::vector<std::string>{"system:nodes", "team-a", "system:authenticated"}));
        auto alice = tokens->authenticateToken("t0k3n-two");
        QVERIFY(alice.ok());
        QCOMPARE(alice->user, std::string("alice"));
        QCOMPARE(alice->groups, std::vector<std::string>{"system:authenticated"});

        for (const char* wrong : {"", "t0k3n", "t0k3n-one ", "T0K3N-ONE"}) {
            const auto refused = tokens->authenticateToken(wrong);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code(), core::ErrorCode::Unauthorized);
        }
    }

    void badLinesAreNamed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("two columns") << "ok,u,1\nbad,user\n"
                                     << "line 2: want token,user,uid";
        QTest::newRow("empty token") << ",user,1\n"
                                     << "line 1: empty token";
        QTest::newRow("empty user") << "tok,,1\n"
                                    << "line 1: empty user name";
        QTest::newRow("twice") << "tok,a,1\ntok,b,2\n"
                               << "line 2: the token of user b";
        QTest::newRow("open quote") << "tok,a,1,\"g1,g2\n"
                                    << "line 1: unterminated";
    }
    void badLinesAreNamed() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto parsed = auth::StaticTokenAuthenticator::parse(text.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code(), core::ErrorCode::Invalid);
        QVERIFY2(QString::fromStdString(parsed.error().message()).startsWith(message),
                 parsed.error().message().c_str());
    }

    void aMissingFileSaysWhich() {
        const auto loaded = auth::StaticTokenAuthenticator::load("/nonexistent/tokens.csv");
        QVERIFY(!loaded.ok());
        QVERIFY(QString::fromStdString(loaded.error().message())
                    .contains(QStringLiteral("/nonexistent/tokens.csv")));
    }

    void theFirstAuthenticatorThatAcceptsDecides() {
        auto tokens = auth::StaticTokenAuthenticator::parse("node-token,system:node:m2,m2\n");
        QVERIFY(tokens.ok());
        const OneToken serviceAccounts;
        const auth::UnionAuthenticator both({&*tokens, &serviceAccounts});
        QCOMPARE(both.authenticateToken("node-token")->user, std::string("system:node:m2"));
        QCOMPARE(both.authenticateToken("sa-token")->user,
                 std::string("system:serviceaccount:default:app"));
        const auto refused = both.authenticateToken("nobody");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Unauthorized);
    }
};

QTEST_GUILESS_MAIN(TstStaticTokenAuthenticator)
#include "tst_static_token_authenticator.moc"
