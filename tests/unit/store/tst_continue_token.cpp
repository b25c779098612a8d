// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/store/continue_token.h"

using namespace slipway;
using store::detail::ContinueToken;

class TstContinueToken : public QObject {
    Q_OBJECT
private slots:
    void roundTripsAnyKeyBytes() {
        const std::string key("/registry/pods/ns/a.b\0\xff:", 24);
        const ContinueToken token{4711, key};
        const std::string text = store::detail::encodeContinueToken(token);
        // Only digits, a dot and lower-case hex: safe in a URL query as it is.
        for (const char c : text) {
            QVERIFY2((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.', text.c_str());
        }
        auto decoded = store::detail::decodeContinueToken(text);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->revision, 4711);
        QCOMPARE(decoded->lastKey.size(), key.size());
        QVERIFY(*decoded == token);
    }

    void rejectsWhatItDidNotProduce_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("no dot") << QByteArray("12");
        QTest::newRow("no revision") << QByteArray(".61");
        QTest::newRow("no key") << QByteArray("12.");
        QTest::newRow("odd hex") << QByteArray("12.616");
        QTest::newRow("not hex") << QByteArray("12.zz");
        QTest::newRow("upper-case hex") << QByteArray("12.6A");
        QTest::newRow("negative revision") << QByteArray("-3.61");
        QTest::newRow("zero revision") << QByteArray("0.61");
        QTest::newRow("junk in revision") << QByteArray("1x.61");
    }

    void rejectsWhatItDidNotProduce() {
        QFETCH(QByteArray, text);
        auto decoded = store::detail::decodeContinueToken(text.toStdString());
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code(), core::ErrorCode::BadRequest);
    }
};

QTEST_GUILESS_MAIN(TstContinueToken)
#include "tst_continue_token.moc"
