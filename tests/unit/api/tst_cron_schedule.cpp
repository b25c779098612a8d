// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/cron_schedule.h"
#include "engine/api/json_fields.h"

using slipway::api::CronSchedule;

namespace {

std::chrono::system_clock::time_point at(const QString& text) {
    const auto time = slipway::api::detail::parseTimestamp(text.toStdString());
    if (!time) {
        qFatal("bad timestamp %s", qPrintable(text));
    }
    return *time;
}

QString rfc3339(std::chrono::system_clock::time_point time) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch());
    return QDateTime::fromSecsSinceEpoch(seconds.count(), Qt::UTC).toString(Qt::ISODate);
}

}  // namespace

class TstCronSchedule : public QObject {
    Q_OBJECT
private slots:
    // Errors worded as robfig/cron words them (kube-apiserver passes them on).
    void parseErrors_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty spec string";
        QTest::newRow("words") << "every day"
                               << "expected exactly 5 fields, found 2: [every day]";
        QTest::newRow("six fields") << "0 0 * * * *"
                                    << "expected exactly 5 fields, found 6: [0 0 * * * *]";
        QTest::newRow("minute range") << "60 * * * *"
                                      << "end of range (60) above maximum (59): 60";
        QTest::newRow("day zero") << "0 0 0 * *"
                                  << "beginning of range (0) below minimum (1): 0";
        QTest::newRow("reversed") << "0 5-1 * * *"
                                  << "beginning of range (5) beyond end of range (1): 5-1";
        QTest::newRow("step zero") << "*/0 * * * *"
                                   << "step of range should be a positive number: */0";
        QTest::newRow("not a number")
            << "x * * * *"
            << "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax";
        QTest::newRow("hyphens") << "1-2-3 * * * *"
                                 << "too many hyphens: 1-2-3";
        QTest::newRow("weekday 7") << "0 0 * * 7"
                                   << "end of range (7) above maximum (6): 7";
        QTest::newRow("descriptor") << "@often"
                                    << "unrecognized descriptor: @often";
    }

    void parseErrors() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        const auto parsed = CronSchedule::parse(spec.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(QString::fromStdString(parsed.error().message()), message);
    }

    void next_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("expected");
        QTest::newRow("every minute") << "* * * * *"
                                      << "2024-06-01T12:00:30Z"
                                      << "2024-06-01T12:01:00Z";
        QTest::newRow("every 5 minutes") << "*/5 * * * *"
                                         << "2024-06-01T12:03:00Z"
                                         << "2024-06-01T12:05:00Z";
        QTest::newRow("nightly") << "0 3 * * *"
                                 << "2024-06-01T12:00:00Z"
                                 << "2024-06-02T03:00:00Z";
        QTest::newRow("strictly after") << "0 3 * * *"
                                        << "2024-06-02T03:00:00Z"
                                        << "2024-06-03T03:00:00Z";
        QTest::newRow("weekdays by name") << "30 9 * * mon-fri"
                                          << "2024-06-01T12:00:00Z"
                                          << "2024-06-03T09:30:00Z";  // 1 June 2024 is a Saturday
        QTest::newRow("day of month or week") << "0 0 13 * fri"
                                              << "2024-06-01T00:00:00Z"
                                              << "2024-06-07T00:00:00Z";
        QTest::newRow("month name") << "0 0 1 jan *"
                                    << "2024-06-01T00:00:00Z"
                                    << "2025-01-01T00:00:00Z";
        QTest::newRow("leap day") << "0 0 29 2 *"
                                  << "2024-03-01T00:00:00Z"
                                  << "2028-02-29T00:00:00Z";
        QTest::newRow("hourly") << "@hourly"
                                << "2024-06-01T12:59:59Z"
                                << "2024-06-01T13:00:00Z";
        QTest::newRow("weekly") << "@weekly"
                                << "2024-06-01T12:00:00Z"
                                << "2024-06-02T00:00:00Z";
        QTest::newRow("every 90s") << "@every 1m30s"
                                   << "2024-06-01T12:00:00Z"
                                   << "2024-06-01T12:01:30Z";
        QTest::newRow("list") << "15,45 * * * *"
                              << "2024-06-01T12:20:00Z"
                              << "2024-06-01T12:45:00Z";
    }

    void next() {
        QFETCH(QString, spec);
        QFETCH(QString, after);
        QFETCH(QString, expected);
        const auto schedule = CronSchedule::parse(spec.toStdString());
        QVERIFY2(schedule.ok(), qPrintable(spec));
        const auto fire = schedule->next(at(after));
        QVERIFY(fire.has_value());
        QCOMPARE(rfc3339(*fire), expected);
    }

    void impossibleDateNeverFires() {
        const auto schedule = CronSchedule::parse("0 0 30 2 *");
        QVERIFY(schedule.ok());
        QVERIFY(!schedule->next(at("2024-01-01T00:00:00Z")).has_value());
    }
};

QTEST_GUILESS_MAIN(TstCronSchedule)
#include "tst_cron_schedule.moc"
