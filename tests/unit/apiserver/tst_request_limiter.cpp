// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/apiserver/request_limiter.h"
#include "engine/apiserver/router.h"

using namespace slipway::apiserver;

namespace {

const Identity kUser{"alice", {"system:authenticated"}, true};
const Identity kAdmin{"admin", {"system:masters", "system:authenticated"}, true};

}  // namespace

class TstRequestLimiter : public QObject {
    Q_OBJECT
private slots:
    void readOnlyAndMutatingHaveSeparateLimits() {
        RequestLimiter limiter(2, 1);
        const auto first = limiter.admit("GET", "/api/v1/pods", kUser);
        const auto second = limiter.admit("GET", "/api/v1/pods", kUser);
        QVERIFY(first.admitted && second.admitted);
        QVERIFY(!limiter.admit("GET", "/api/v1/pods", kUser).admitted);
        QCOMPARE(limiter.inFlightReadOnly(), 2);

        // Reads being full does not stop a write, and vice versa.
        const auto write = limiter.admit("POST", "/api/v1/namespaces/default/pods", kUser);
        QVERIFY(write.admitted);
        QCOMPARE(write.slot, RequestLimiter::Slot::Mutating);
        QVERIFY(!limiter.admit("DELETE", "/api/v1/namespaces/default/pods/x", kUser).admitted);

        limiter.release(first.slot);
        QCOMPARE(limiter.inFlightReadOnly(), 1);
        QVERIFY(limiter.admit("GET", "/api/v1/pods", kUser).admitted);
        limiter.release(write.slot);
        QCOMPARE(limiter.inFlightMutating(), 0);
    }

    void mastersAndLongRunningRequestsAreNotCounted() {
        RequestLimiter limiter(1, 1);
        QVERIFY(limiter.admit("GET", "/api/v1/pods", kUser).admitted);
        for (int i = 0; i < 5; ++i) {
            const auto admin = limiter.admit("GET", "/api/v1/pods", kAdmin);
            QVERIFY(admin.admitted);
            QCOMPARE(admin.slot, RequestLimiter::Slot::None);
            QVERIFY(limiter.admit("GET", "/api/v1/pods?watch=true", kUser).admitted);
        }
        QCOMPARE(limiter.inFlightReadOnly(), 1);
    }

    void longRunningRequests_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("longRunning");
        QTest::newRow("watch") << "GET"
                               << "/api/v1/pods?watch=true&resourceVersion=5" << true;
        QTest::newRow("watch=1") << "GET"
                                 << "/apis/apps/v1/deployments?watch=1" << true;
        QTest::newRow("watch=false") << "GET"
                                     << "/api/v1/pods?watch=false" << false;
        QTest::newRow("exec") << "POST"
                              << "/api/v1/namespaces/d/pods/p/exec?command=sh" << true;
        QTest::newRow("portforward") << "GET"
                                     << "/api/v1/namespaces/d/pods/p/portforward" << true;
        QTest::newRow("service proxy")
            << "GET"
            << "/api/v1/namespaces/d/services/s:80/proxy/index.html" << true;
        QTest::newRow("followed log") << "GET"
                                      << "/api/v1/namespaces/d/pods/p/log?follow=true" << true;
        QTest::newRow("log") << "GET"
                             << "/api/v1/namespaces/d/pods/p/log" << false;
        QTest::newRow("list") << "GET"
                              << "/api/v1/pods?limit=500" << false;
        QTest::newRow("a pod named exec") << "GET"
                                          << "/api/v1/namespaces/d/pods/exec" << false;
    }

    void longRunningRequests() {
        QFETCH(QString, method);
        QFETCH(QString, target);
        QFETCH(bool, longRunning);
        QCOMPARE(RequestLimiter::isLongRunning(method.toStdString(), target.toStdString()),
                 longRunning);
    }

    void zeroMeansUnlimited() {
        RequestLimiter limiter(0, 0);
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(limiter.admit("PUT", "/api/v1/namespaces/d/configmaps/c", kUser).admitted);
        }
        QCOMPARE(limiter.inFlightMutating(), 1000);
    }
};

QTEST_GUILESS_MAIN(TstRequestLimiter)
#include "tst_request_limiter.moc"
