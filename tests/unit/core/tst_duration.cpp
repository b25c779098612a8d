// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/duration.h"

class TstDuration : public QObject {
    Q_OBJECT
private slots:
    void parsesGoDurations() {
        using namespace std::chrono;
        QCOMPARE(*slipway::core::parseGoDuration("0"), nanoseconds(0));
        QCOMPARE(*slipway::core::parseGoDuration("300ms"), nanoseconds(milliseconds(300)));
        QCOMPARE(*slipway::core::parseGoDuration("1.5h"), nanoseconds(minutes(90)));
        QCOMPARE(*slipway::core::parseGoDuration("2h45m10s"),
                 nanoseconds(hours(2) + minutes(45) + seconds(10)));
        QCOMPARE(*slipway::core::parseGoDuration("-1m"), nanoseconds(minutes(-1)));
        QCOMPARE(*slipway::core::parseGoDuration("10us"), nanoseconds(10'000));
        QCOMPARE(*slipway::core::parseGoDuration("7ns"), nanoseconds(7));
        QCOMPARE(slipway::core::parseGoDuration("5").error().message(),
                 std::string("time: missing unit in duration \"5\""));
        QCOMPARE(slipway::core::parseGoDuration("").error().message(),
                 std::string("time: invalid duration \"\""));
        QCOMPARE(slipway::core::parseGoDuration("3d").error().message(),
                 std::string("time: unknown unit \"d\" in duration \"3d\""));
        QVERIFY(!slipway::core::parseGoDuration("soon").ok());
    }

    void matchesKubectlAgeColumn_data() {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("expected");
        // Boundaries of apimachinery's HumanDuration, each side.
        QTest::newRow("future beyond tolerance") << qint64(-2) << "<invalid>";
        QTest::newRow("future within tolerance") << qint64(-1) << "0s";
        QTest::newRow("zero") << qint64(0) << "0s";
        QTest::newRow("119s") << qint64(119) << "119s";
        QTest::newRow("2m exactly") << qint64(120) << "2m";
        QTest::newRow("3m20s") << qint64(200) << "3m20s";
        QTest::newRow("9m59s") << qint64(599) << "9m59s";
        QTest::newRow("10m drops seconds") << qint64(601) << "10m";
        QTest::newRow("179m") << qint64(179 * 60 + 59) << "179m";
        QTest::newRow("3h") << qint64(3 * 3600) << "3h";
        QTest::newRow("5h12m") << qint64(5 * 3600 + 12 * 60) << "5h12m";
        QTest::newRow("8h drops minutes") << qint64(8 * 3600 + 59 * 60) << "8h";
        QTest::newRow("47h") << qint64(47 * 3600) << "47h";
        QTest::newRow("2d3h") << qint64(51 * 3600) << "2d3h";
        QTest::newRow("7d23h") << qint64((7 * 24 + 23) * 3600) << "7d23h";
        QTest::newRow("8d drops hours") << qint64((8 * 24 + 5) * 3600) << "8d";
        QTest::newRow("729d") << qint64(729LL * 24 * 3600) << "729d";
        QTest::newRow("2y") << qint64(730LL * 24 * 3600) << "2y";
        QTest::newRow("3y20d") << qint64((3 * 365 + 20) * 24LL * 3600) << "3y20d";
        QTest::newRow("10y") << qint64(3650LL * 24 * 3600) << "10y";
    }
    void matchesKubectlAgeColumn() {
        QFETCH(qint64, seconds);
        QFETCH(QString, expected);
        QCOMPARE(
            QString::fromStdString(slipway::core::humanDuration(std::chrono::seconds(seconds))),
            expected);
    }
};

QTEST_GUILESS_MAIN(TstDuration)
#include "tst_duration.moc"
