// SPDX-License-Identifier: Apache-2.0
// The slipway-studio executable as a user starts it: options, embedded translations, and the
// --screenshot mode the documentation's pictures come from.
#include <filesystem>

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "vm/cluster.h"

namespace {

QString studioPath() {
    return QDir(qEnvironmentVariable("SLIPWAY_BIN_DIR")).filePath(QStringLiteral("slipway-studio"));
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs slipway-studio with `args` on the offscreen platform, in the given UI language.
Run runStudio(const QStringList& args, const QString& language = QStringLiteral("C")) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("LANG"), language);
    env.insert(QStringLiteral("LANGUAGE"), language.section(u'.', 0, 0));
    env.remove(QStringLiteral("LC_ALL"));
    env.remove(QStringLiteral("LC_MESSAGES"));
    process.setProcessEnvironment(env);
    process.start(studioPath(), args);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

}  // namespace

class TestSlipwayStudio : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(studioPath()).isExecutable(), qPrintable(studioPath()));
    }

    void printsItsVersion() {
        const Run run = runStudio({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("Slipway Studio 0.1.0"));
    }

    void helpNamesTheClustersRootOptionButNotTheHiddenOne() {
        const Run run = runStudio({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("--clusters-root <dir>")), qPrintable(run.out));
        QVERIFY(!run.out.contains(QStringLiteral("--screenshot")));
    }

    void loadsTheEmbeddedTranslationForTheSystemLanguage_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("expected");
        QTest::newRow("de") << QStringLiteral("de_DE.UTF-8")
                            << QStringLiteral("--clusters-root <Ordner>");
        QTest::newRow("fr") << QStringLiteral("fr_FR.UTF-8")
                            << QStringLiteral("--clusters-root <dossier>");
        QTest::newRow("es") << QStringLiteral("es_ES.UTF-8")
                            << QStringLiteral("--clusters-root <carpeta>");
        QTest::newRow("ja") << QStringLiteral("ja_JP.UTF-8")
                            << QStringLiteral("--clusters-root <フォルダー>");
    }

    void loadsTheEmbeddedTranslationForTheSystemLanguage() {
        QFETCH(QString, language);
        QFETCH(QString, expected);
        const Run run = runStudio({QStringLiteral("--help")}, language);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(expected), qPrintable(run.out));
    }

    void screenshotsTheFilledWindow() {
        QTemporaryDir root;
        for (const char* name : {"alpha", "bravo"}) {
            const std::filesystem::path dir =
                std::filesystem::path(root.path().toStdString()) / name;
            std::filesystem::create_directories(dir);
            slipway::vm::ClusterSpec spec;
            spec.name = name;
            QVERIFY(slipway::vm::saveClusterSpec(dir / "cluster.json", spec).ok());
        }
        const QString png = root.filePath(QStringLiteral("studio.png"));
        const Run run = runStudio(
            {QStringLiteral("--clusters-root"), root.path(), QStringLiteral("--screenshot"), png});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1100, 650));
    }

    void screenshotToAnUnwritablePathFails() {
        QTemporaryDir root;
        const Run run = runStudio({QStringLiteral("--clusters-root"), root.path(),
                                   QStringLiteral("--screenshot"),
                                   root.filePath(QStringLiteral("no/such/dir/x.png"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("cannot write")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestSlipwayStudio)
#include "tst_slipway_studio.moc"
