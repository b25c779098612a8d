// SPDX-License-Identifier: Apache-2.0
#include <limits>

#include <QtTest>

#include "engine/core/quantity.h"

using slipway::core::ErrorCode;
using slipway::core::Quantity;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

Quantity mustParse(const char* text) {
    auto parsed = Quantity::parse(text);
    if (!parsed) {
        qFatal("cannot parse %s: %s", text, parsed.error().message().c_str());
    }
    return *parsed;
}

const QString kFormatWrong =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

}  // namespace

class TstQuantity : public QObject {
    Q_OBJECT
private slots:
    // What kube-apiserver stores and serves for each input (apimachinery's String()).
    void serialisesLikeKubernetes_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("1000m") << "1000m"
                               << "1";
        QTest::newRow("0.5") << "0.5"
                             << "500m";
        QTest::newRow("0.1") << "0.1"
                             << "100m";
        QTest::newRow("100m kept") << "100m"
                                   << "100m";
        QTest::newRow("1") << "1"
                           << "1";
        QTest::newRow("0") << "0"
                           << "0";
        QTest::newRow("0Ki") << "0Ki"
                             << "0";
        QTest::newRow("0.0") << "0.0"
                             << "0";
        QTest::newRow("1Gi kept") << "1Gi"
                                  << "1Gi";
        QTest::newRow("1024Mi") << "1024Mi"
                                << "1Gi";
        QTest::newRow("1536Mi stays") << "1536Mi"
                                      << "1536Mi";
        QTest::newRow("1.5Gi") << "1.5Gi"
                               << "1536Mi";
        QTest::newRow("0.5Mi") << "0.5Mi"
                               << "512Ki";
        QTest::newRow("8Ki") << "8Ki"
                             << "8Ki";
        QTest::newRow("1025Ki") << "1025Ki"
                                << "1025Ki";
        QTest::newRow("binary below 1024 prints decimal") << "0.5Ki"
                                                          << "512";
        QTest::newRow(".001Ki") << ".001Ki"
                                << "1024m";
        QTest::newRow(".000000001Ki") << ".000000001Ki"
                                      << "1024n";
        QTest::newRow("rounds up to 2n") << ".000000000001Ki"
                                         << "2n";
        QTest::newRow("9Ei capped at int64") << "9Ei"
                                             << "9223372036854775807";
        QTest::newRow("1000M") << "1000M"
                               << "1G";
        QTest::newRow("1.5k") << "1.5k"
                              << "1500";
        QTest::newRow("2E") << "2E"
                            << "2E";
        QTest::newRow("12E") << "12E"
                             << "12E";
        QTest::newRow("1.25k") << "1.25k"
                               << "1250";
        QTest::newRow("1.2345678M") << "1.2345678M"
                                    << "1234567800m";
        QTest::newRow("1e3 keeps exponent form") << "1e3"
                                                 << "1e3";
        QTest::newRow("1E6") << "1E6"
                             << "1E6";
        QTest::newRow("1.2e3") << "1.2e3"
                               << "1200";
        QTest::newRow("1.3E+6") << "1.3E+6"
                                << "1300e3";
        QTest::newRow("1e-3") << "1e-3"
                              << "1e-3";
        QTest::newRow("1.1E-9 rounds up") << "1.1E-9"
                                          << "2e-9";
        QTest::newRow("10e3") << "10e3"
                              << "10e3";
        QTest::newRow("3.001n rounds up") << "3.001n"
                                          << "4n";
        QTest::newRow("below nano") << "0.0000000001"
                                    << "1n";
        QTest::newRow("123.45n") << "0.00000012345"
                                 << "124n";
        QTest::newRow("1e-100 is 1n") << "1e-100"
                                      << "1e-9";
        QTest::newRow("-1000m") << "-1000m"
                                << "-1";
        QTest::newRow("-1.5Gi") << "-1.5Gi"
                                << "-1536Mi";
        QTest::newRow("-0") << "-0"
                            << "0";
        QTest::newRow("largest") << "1000000000E"
                                 << "1000000000E";
        // Kubernetes keeps these as written, quirks and all.
        QTest::newRow("explicit plus kept") << "+1"
                                            << "+1";
        QTest::newRow("1.500 kept") << "1.500"
                                    << "1.500";
        QTest::newRow("1.G kept") << "1.G"
                                  << "1.G";
        QTest::newRow("100.035k kept") << "100.035k"
                                       << "100.035k";
        QTest::newRow("7.123456M kept") << "7.123456M"
                                        << "7.123456M";
        QTest::newRow("lone dot is zero") << "."
                                          << "0";
        QTest::newRow("bare suffix is zero") << "Ki"
                                             << "0";
    }
    void serialisesLikeKubernetes() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const auto parsed = Quantity::parse(input.toStdString());
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message().c_str());
        QCOMPARE(q(parsed->toString()), expected);
        QCOMPARE(q(parsed->toJson().get<std::string>()), expected);
        // What is served parses back to the same amount.
        const auto reparsed = Quantity::parse(parsed->toString());
        QVERIFY(reparsed.ok());
        QVERIFY(*reparsed == *parsed);
    }

    void keepsTheFormatItWasWrittenIn() {
        QVERIFY(mustParse("1Ki").format() == Quantity::Format::BinarySI);
        QVERIFY(mustParse("1k").format() == Quantity::Format::DecimalSI);
        QVERIFY(mustParse("1").format() == Quantity::Format::DecimalSI);
        QVERIFY(mustParse("1e3").format() == Quantity::Format::DecimalExponent);
        QVERIFY(mustParse("1E").format() == Quantity::Format::DecimalSI);  // exa, not exponent
        // A fraction of a unit in BinarySI becomes DecimalSI, as in Kubernetes.
        QVERIFY(mustParse("0.000000000001Ki").format() == Quantity::Format::DecimalSI);
    }

    void rejectsLikeKubernetes_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << kFormatWrong;
        QTest::newRow("two dots") << "1.1.M" << kFormatWrong;
        QTest::newRow("sign inside") << "1+1.0M" << kFormatWrong;
        QTest::newRow("word") << "aoeu" << kFormatWrong;
        QTest::newRow("unknown letter") << "0.1am" << kFormatWrong;
        QTest::newRow("leading space") << " 1" << kFormatWrong;
        QTest::newRow("trailing space") << "1 " << kFormatWrong;
        QTest::newRow("lowercase mi") << "0.1mi"
                                      << "unable to parse quantity's suffix";
        QTest::newRow("bare i") << ".5i"
                                << "unable to parse quantity's suffix";
        QTest::newRow("negative bare i") << "-3.01i"
                                         << "unable to parse quantity's suffix";
        QTest::newRow("e without digits") << "1e"
                                          << "unable to parse quantity's suffix";
        QTest::newRow("suffix then digits") << "1Ki5"
                                            << "unable to parse quantity's suffix";
        QTest::newRow("incomplete exponent") << "-3.01e-"
                                             << "unable to parse quantity's suffix";
        QTest::newRow("beyond range")
            << "2000000000E"
            << "quantity is too large: 2000000000E (the largest supported magnitude is 1e27)";
        QTest::newRow("huge exponent")
            << "1e1000"
            << "quantity is too large: 1e1000 (the largest supported magnitude is 1e27)";
    }
    void rejectsLikeKubernetes() {
        QFETCH(QString, input);
        QFETCH(QString, message);
        const auto parsed = Quantity::parse(input.toStdString());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code(), ErrorCode::BadRequest);
        QCOMPARE(q(parsed.error().message()), message);
    }

    void roundsValuesUpLikeKubernetes_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<qint64>("milli");
        QTest::addColumn<qint64>("value");
        QTest::newRow("100m") << "100m" << qint64(100) << qint64(1);
        QTest::newRow("0.1") << "0.1" << qint64(100) << qint64(1);
        QTest::newRow("1n") << "1n" << qint64(1) << qint64(1);
        QTest::newRow("1.5") << "1.5" << qint64(1500) << qint64(2);
        QTest::newRow("2") << "2" << qint64(2000) << qint64(2);
        QTest::newRow("1Ki") << "1Ki" << qint64(1024000) << qint64(1024);
        QTest::newRow("512Mi") << "512Mi" << qint64(536870912000) << qint64(536870912);
        QTest::newRow("-100m away from zero") << "-100m" << qint64(-100) << qint64(-1);
        QTest::newRow("0") << "0" << qint64(0) << qint64(0);
        QTest::newRow("2E milli saturates")
            << "2E" << std::numeric_limits<qint64>::max() << qint64(2000000000000000000);
    }
    void roundsValuesUpLikeKubernetes() {
        QFETCH(QString, input);
        QFETCH(qint64, milli);
        QFETCH(qint64, value);
        const auto parsed = mustParse(input.toStdString().c_str());
        QCOMPARE(qint64(parsed.milliValue()), milli);
        QCOMPARE(qint64(parsed.value()), value);
    }

    void comparesExactly() {
        QVERIFY(mustParse("1Gi") == mustParse("1073741824"));
        QVERIFY(mustParse("1000m") == mustParse("1"));
        QVERIFY(mustParse("1e3") == mustParse("1k"));
        QVERIFY(mustParse("100m") < mustParse("1"));
        QVERIFY(mustParse("1Ki") > mustParse("1k"));
        QVERIFY(mustParse("-1") < mustParse("0"));
        QVERIFY(mustParse("1n") > mustParse("0"));
        // One nano-unit apart at the top of the range is still told apart.
        QVERIFY(mustParse("999999999999999999.000000001") > mustParse("999999999999999999"));
        QVERIFY(mustParse("0.1") + mustParse("0.2") == mustParse("300m"));
    }

    void addsAndSubtractsForAccounting() {
        // Scheduler-style sum of container requests.
        Quantity cpu;
        for (const char* request : {"100m", "250m", "0.5", "1"}) {
            cpu += mustParse(request);
        }
        QCOMPARE(q(cpu.toString()), QString("1850m"));
        QCOMPARE(cpu.milliValue(), std::int64_t(1850));

        Quantity memory;
        memory += mustParse("1Gi");
        QVERIFY(memory.format() == Quantity::Format::BinarySI);  // zero takes the other's format
        memory += mustParse("512Mi");
        QCOMPARE(q(memory.toString()), QString("1536Mi"));

        const Quantity allocatable = mustParse("2");
        const Quantity left = allocatable - mustParse("2500m");
        QCOMPARE(q(left.toString()), QString("-500m"));
        QCOMPARE(left.sign(), -1);
        QCOMPARE(q((-left).toString()), QString("500m"));

        // Arithmetic drops the text kept from parsing.
        QCOMPARE(q((mustParse("+1") + Quantity()).toString()), QString("1"));
        // Mixed formats keep the left operand's.
        QCOMPARE(q((mustParse("1k") + mustParse("1Ki")).toString()), QString("2024"));
        QCOMPARE(q((mustParse("1Ki") + mustParse("1k")).toString()), QString("2024"));
        QCOMPARE(q((mustParse("1Ki") + mustParse("1Ki")).toString()), QString("2Ki"));
    }

    void buildsFromIntegers() {
        QCOMPARE(q(Quantity::fromMilli(250).toString()), QString("250m"));
        QCOMPARE(q(Quantity::fromMilli(2000).toString()), QString("2"));
        QCOMPARE(q(Quantity::fromValue(3).toString()), QString("3"));
        QCOMPARE(q(Quantity::fromValue(1024, Quantity::Format::BinarySI).toString()),
                 QString("1Ki"));
        QCOMPARE(q(Quantity::fromValue(3000000).toString()), QString("3M"));
        QCOMPARE(q(Quantity().toString()), QString("0"));
        QVERIFY(Quantity().isZero());
    }

    void readsJson() {
        QCOMPARE(q(Quantity::fromJson("512Mi")->toString()), QString("512Mi"));
        QCOMPARE(q(Quantity::fromJson(2)->toString()), QString("2"));
        QCOMPARE(q(Quantity::fromJson(0.5)->toString()), QString("500m"));
        QCOMPARE(q(Quantity::fromJson(" 1 ")->toString()), QString("1"));  // Kubernetes trims
        QVERIFY(Quantity::fromJson(nullptr)->isZero());
        const auto bad = Quantity::fromJson(nlohmann::json::object());
        QVERIFY(!bad.ok());
        QCOMPARE(q(bad.error().message()), kFormatWrong);
        QVERIFY(!Quantity::fromJson("").ok());
    }
};

QTEST_GUILESS_MAIN(TstQuantity)
#include "tst_quantity.moc"
