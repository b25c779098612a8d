// SPDX-License-Identifier: Apache-2.0
// The cluster manager's helpers: LogFileFollower (the boot log dialog's tail -f) and
// TerminalLauncher (Open Terminal Here).
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "gui/services/log_file_follower.h"
#include "gui/services/terminal_launcher.h"

using slipway::gui::LogFileFollower;
using slipway::gui::TerminalLauncher;
using namespace std::chrono_literals;

namespace {

void append(const QString& path, const QByteArray& bytes,
            QIODevice::OpenMode mode = QIODevice::Append) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | mode));
    QCOMPARE(file.write(bytes), bytes.size());
}

/// An executable script `name` in `dir`.
QString makeExecutable(const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return {};
    }
    file.write("#!/bin/sh\nexit 0\n");
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

}  // namespace

class TstClusterTools : public QObject {
    Q_OBJECT

private slots:
    void followsAGrowingFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.log"));
        LogFileFollower follower(path);
        follower.setInterval(20ms);
        QString text;
        int restarts = 0;
        QSignalSpy missing(&follower, &LogFileFollower::missing);
        connect(&follower, &LogFileFollower::appended, this,
                [&text](const QString& more) { text += more; });
        connect(&follower, &LogFileFollower::restarted, this, [&] {
            ++restarts;
            text.clear();
        });
        follower.start();
        QTRY_VERIFY(missing.count() >= 1);  // not there yet

        append(path, "first line\n");
        QTRY_COMPARE(text, QStringLiteral("first line\n"));
        append(path, "second ");
        append(path, "line\n");
        QTRY_COMPARE(text, QStringLiteral("first line\nsecond line\n"));

        // A new boot truncates the console: the follower starts over.
        append(path, "new boot\n", QIODevice::Truncate);
        QTRY_COMPARE(text, QStringLiteral("new boot\n"));
        QCOMPARE(restarts, 1);
        follower.stop();
    }

    void startsNearTheEndOfALargeFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.log"));
        append(path, QByteArray(LogFileFollower::kInitialBytes, 'x') + "\nthe end\n");
        LogFileFollower follower(path);
        QString text;
        connect(&follower, &LogFileFollower::appended, this,
                [&text](const QString& more) { text += more; });
        follower.start();
        QTRY_VERIFY(text.endsWith(QStringLiteral("the end\n")));
        QCOMPARE(text.size(), qsizetype(LogFileFollower::kInitialBytes));
    }

    void findsATerminal() {
        QTemporaryDir bin;
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("PATH"), bin.path());
        QVERIFY(TerminalLauncher::findTerminal(environment).isEmpty());
        // Nothing at all: open() says so and what to install.
        const QString error = TerminalLauncher::open(bin.path(), QStringLiteral("/k"), environment);
        QVERIFY2(error.startsWith(QStringLiteral("No terminal emulator found")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("x-terminal-emulator")));

        const QString xterm = makeExecutable(bin, QStringLiteral("xterm"));
        QCOMPARE(TerminalLauncher::findTerminal(environment), xterm);
        const QString alternative = makeExecutable(bin, QStringLiteral("x-terminal-emulator"));
        QCOMPARE(TerminalLauncher::findTerminal(environment), alternative);
        // $TERMINAL wins, with or without arguments.
        const QString kitty = makeExecutable(bin, QStringLiteral("kitty"));
        environment.insert(QStringLiteral("TERMINAL"), QStringLiteral("kitty --single-instance"));
        QCOMPARE(TerminalLauncher::findTerminal(environment), kitty);
        environment.insert(QStringLiteral("TERMINAL"), QStringLiteral("nosuchterm"));
        QCOMPARE(TerminalLauncher::findTerminal(environment), alternative);
    }

    void opensTheTerminalWithKubeconfigSet() {
        // A stand-in terminal that records its directory and KUBECONFIG.
        QTemporaryDir bin;
        const QString record = bin.filePath(QStringLiteral("record"));
        const QString terminal = bin.filePath(QStringLiteral("x-terminal-emulator"));
        QFile script(terminal);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(
            QStringLiteral("#!/bin/sh\necho \"$PWD $KUBECONFIG\" > '%1.tmp' && mv '%1.tmp' '%1'\n")
                .arg(record)
                .toUtf8());
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                              QFileDevice::ExeOwner);
        script.close();
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("PATH"), bin.path() + QStringLiteral(":/usr/bin:/bin"));
        QTemporaryDir clusterDir;
        const QString error = TerminalLauncher::open(
            clusterDir.path(), clusterDir.filePath(QStringLiteral("kubeconfig")), environment);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY(QFile::exists(record));
        QFile recorded(record);
        QVERIFY(recorded.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(recorded.readAll()).trimmed(),
                 clusterDir.path() + QLatin1Char(' ') +
                     clusterDir.filePath(QStringLiteral("kubeconfig")));
    }
};

QTEST_GUILESS_MAIN(TstClusterTools)
#include "tst_cluster_tools.moc"
