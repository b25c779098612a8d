// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace slipway::gui {

/// *Open terminal here*: a terminal emulator in a cluster's folder with KUBECONFIG set to the
/// cluster's kubeconfig, so `kubectl` in it talks to that cluster.
class TerminalLauncher {
public:
    /// The terminals tried after $TERMINAL, in order: Debian's alternative first, then the
    /// desktops' own, then xterm.
    static QStringList candidates();

    /// The terminal to run: $TERMINAL when it names an executable, else the first of
    /// candidates() found on `environment`'s PATH; empty when there is none.
    static QString findTerminal(const QProcessEnvironment& environment);

    /// Starts the terminal detached (the call only forks). Returns an empty string on success,
    /// else why not, fit to show to a user ("No terminal emulator found…").
    static QString open(
        const QString& workingDirectory, const QString& kubeconfigPath,
        const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());
};

}  // namespace slipway::gui
