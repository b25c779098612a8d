// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/status.h"

using namespace slipway;

class TstStatus : public QObject {
    Q_OBJECT
private slots:
    void failureStatusHasKubernetesShape() {
        const auto status =
            api::failureStatus(core::Error(core::ErrorCode::NotFound, "pods \"web\" not found"));
        QCOMPARE(status.at("kind").get<std::string>(), std::string("Status"));
        QCOMPARE(status.at("apiVersion").get<std::string>(), std::string("v1"));
        QCOMPARE(status.at("status").get<std::string>(), std::string("Failure"));
        QCOMPARE(status.at("reason").get<std::string>(), std::string("NotFound"));
        QCOMPARE(status.at("code").get<int>(), 404);
        QCOMPARE(status.at("message").get<std::string>(), std::string("pods \"web\" not found"));
        QVERIFY(status.at("metadata").is_object());
    }
};

QTEST_GUILESS_MAIN(TstStatus)
#include "tst_status.moc"
