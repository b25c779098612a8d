// SPDX-License-Identifier: Apache-2.0
#include "gui/services/terminal_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace slipway::gui {

QStringList TerminalLauncher::candidates() {
    return {QStringLiteral("x-terminal-emulator"),
            QStringLiteral("gnome-terminal"),
            QStringLiteral("konsole"),
            QStringLiteral("xfce4-terminal"),
            QStringLiteral("kitty"),
            QStringLiteral("alacritty"),
            QStringLiteral("foot"),
            QStringLiteral("xterm")};
}

QString TerminalLauncher::findTerminal(const QProcessEnvironment& environment) {
    const QStringList path =
        environment.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts);
    const auto find = [&path](const QString& program) -> QString {
        if (program.contains(QLatin1Char('/'))) {
            const QFileInfo file(program);
            return file.isFile() && file.isExecutable() ? program : QString();
        }
        return QStandardPaths::findExecutable(program, path);
    };
    // $TERMINAL may carry arguments ("kitty --single-instance"): its program is what counts.
    const QString preferred =
        environment.value(QStringLiteral("TERMINAL")).section(QLatin1Char(' '), 0, 0);
    if (!preferred.isEmpty()) {
        if (QString found = find(preferred); !found.isEmpty()) {
            return found;
        }
    }
    for (const QString& candidate : candidates()) {
        if (QString found = find(candidate); !found.isEmpty()) {
            return found;
        }
    }
    return {};
}

QString TerminalLauncher::open(const QString& workingDirectory, const QString& kubeconfigPath,
                               const QProcessEnvironment& environment) {
    const QString terminal = findTerminal(environment);
    if (terminal.isEmpty()) {
        return QCoreApplication::translate(
                   "TerminalLauncher",
                   "No terminal emulator found: set $TERMINAL or install one of %1.")
            .arg(candidates().join(QStringLiteral(", ")));
    }
    QProcessEnvironment env = environment;
    env.insert(QStringLiteral("KUBECONFIG"), kubeconfigPath);
    QProcess process;
    process.setProgram(terminal);
    process.setWorkingDirectory(QDir(workingDirectory).exists() ? workingDirectory
                                                                : QDir::homePath());
    process.setProcessEnvironment(env);
    if (!process.startDetached()) {
        return QCoreApplication::translate("TerminalLauncher", "Could not start %1: %2")
            .arg(terminal, process.errorString());
    }
    return {};
}

}  // namespace slipway::gui
