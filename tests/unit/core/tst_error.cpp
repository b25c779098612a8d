// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/error.h"
#include "engine/core/result.h"

using slipway::core::Error;
using slipway::core::ErrorCode;
using slipway::core::Result;

class TstError : public QObject {
    Q_OBJECT
private slots:
    void codesMapToKubernetesStatus_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("http");
        QTest::addColumn<QString>("reason");
        QTest::newRow("NotFound") << int(ErrorCode::NotFound) << 404 << "NotFound";
        QTest::newRow("AlreadyExists") << int(ErrorCode::AlreadyExists) << 409 << "AlreadyExists";
        QTest::newRow("Conflict") << int(ErrorCode::Conflict) << 409 << "Conflict";
        QTest::newRow("Gone") << int(ErrorCode::Gone) << 410 << "Expired";
        QTest::newRow("Invalid") << int(ErrorCode::Invalid) << 422 << "Invalid";
        QTest::newRow("MethodNotAllowed")
            << int(ErrorCode::MethodNotAllowed) << 405 << "MethodNotAllowed";
        QTest::newRow("Internal") << int(ErrorCode::Internal) << 500 << "InternalError";
    }
    void codesMapToKubernetesStatus() {
        QFETCH(int, code);
        QFETCH(int, http);
        QFETCH(QString, reason);
        const auto errorCode = static_cast<ErrorCode>(code);
        QCOMPARE(slipway::core::httpStatus(errorCode), http);
        QCOMPARE(QString::fromStdString(std::string(slipway::core::kubernetesReason(errorCode))),
                 reason);
    }

    void wrapPrependsContextAndKeepsCode() {
        const Error error(ErrorCode::Io, "No such file or directory");
        const Error wrapped = error.wrap("reading cluster.json");
        QCOMPARE(wrapped.code(), ErrorCode::Io);
        QCOMPARE(wrapped.message(), std::string("reading cluster.json: No such file or directory"));
    }

    void resultCarriesValueOrError() {
        Result<int> good = 42;
        QVERIFY(good.ok());
        QCOMPARE(*good, 42);
        QCOMPARE(good.valueOr(7), 42);

        Result<int> bad = Error(ErrorCode::NotFound, "gone");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code(), ErrorCode::NotFound);
        QCOMPARE(bad.valueOr(7), 7);

        Result<std::string> moved = std::string("payload");
        const std::string taken = *std::move(moved);
        QCOMPARE(taken, std::string("payload"));
    }

    void voidResult() {
        Result<void> fine = slipway::core::success();
        QVERIFY(fine.ok());
        Result<void> failed = Error(ErrorCode::Timeout, "too slow");
        QVERIFY(!failed);
        QCOMPARE(failed.error().message(), std::string("too slow"));
    }
};

QTEST_GUILESS_MAIN(TstError)
#include "tst_error.moc"
