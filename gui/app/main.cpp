// SPDX-License-Identifier: Apache-2.0
// slipway-studio: wires the application together and nothing else.
#include <cstdio>

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QTimer>
#include <QTranslator>

#include "gui/app/editor_tabs.h"
#include "gui/app/main_window.h"
#include "gui/models/manifest_editor_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/views/manifest_editor_page.h"
#include "gui/views/topology_page.h"
#include "gui/views/topology_view.h"

namespace {

/// Installs Slipway's translation for the user's languages (embedded under :/i18n) and Qt's and
/// QScintilla's own, when the system has them.
void installTranslators(QApplication& app) {
    auto* slipway = new QTranslator(&app);
    if (slipway->load(QLocale(), QStringLiteral("slipway"), QStringLiteral("_"),
                      QStringLiteral(":/i18n"))) {
        QApplication::installTranslator(slipway);
    }
    // Qt's own (qt6-translations-l10n) and QScintilla's (the editor's context menu), each
    // only when the system has it for the language.
    for (const auto* name : {"qtbase", "qscintilla"}) {
        auto* translator = new QTranslator(&app);
        if (translator->load(QLocale(), QString::fromLatin1(name), QStringLiteral("_"),
                             QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QApplication::installTranslator(translator);
        } else {
            delete translator;
        }
    }
}

/// Fusion with a dark palette, for `--dark` or SLIPWAY_STUDIO_DARK=1: Qt 6.4 has no colour-scheme
/// hint, and a desktop without a platform theme (Xvfb, a bare window manager) gives a light one.
/// Every view takes its colours from the palette, so this is all a dark theme needs.
void useDarkPalette() {
    QApplication::setStyle(QStringLiteral("Fusion"));
    QPalette dark;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe7, 0xea);
    const QColor disabledText(0x80, 0x83, 0x89);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    dark.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x45));
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::PlaceholderText, disabledText);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    dark.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    dark.setColor(QPalette::Midlight, QColor(0x3c, 0x3f, 0x45));
    dark.setColor(QPalette::Mid, QColor(0x24, 0x26, 0x29));
    dark.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    dark.setColor(QPalette::Shadow, QColor(0x0e, 0x0f, 0x10));
    dark.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    dark.setColor(QPalette::LinkVisited, QColor(0xc5, 0x8a, 0xf9));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        dark.setColor(QPalette::Disabled, role, disabledText);
    }
    QApplication::setPalette(dark);
}

/// Saves a picture of `window` to `file` and quits: 0 if it was written, 1 (with a line on
/// stderr) if not.
void saveAndQuit(slipway::gui::MainWindow& window, const QString& file) {
    if (!window.grab().save(file)) {
        std::fprintf(stderr, "slipway-studio: cannot write %s\n",
                     qPrintable(QDir::toNativeSeparators(file)));
        QApplication::exit(1);
        return;
    }
    QApplication::exit(0);
}

/// Saves a picture of `window` to `file` once its first listing is shown, then quits: for the
/// documentation's screenshots and for CI.
void screenshotAfterFirstRefresh(slipway::gui::MainWindow& window, const QString& file) {
    QObject::connect(
        &window, &slipway::gui::MainWindow::clustersRefreshed, &window,
        [&window, file] {
            // One more turn of the event loop lets pending layout and repaints settle.
            QTimer::singleShot(0, &window, [&window, file] { saveAndQuit(window, file); });
        },
        Qt::SingleShotConnection);
}

/// The same once the topology tab has its first listing and its animations have settled.
/// `select`: a vertex id ("Pod/default/web-1") to select first, so the side panel shows it.
void screenshotWhenTopologyReady(slipway::gui::MainWindow& window, const QString& file,
                                 const QString& select) {
    QObject::connect(
        &window, &slipway::gui::MainWindow::topologyReady, &window,
        [&window, file, select](slipway::gui::TopologyPage* page) {
            QTimer::singleShot(1500, &window, [&window, page, file, select] {
                page->view()->zoomToFit();
                if (!select.isEmpty()) {
                    page->view()->selectVertex(select);
                }
                QTimer::singleShot(200, &window, [&window, file] { saveAndQuit(window, file); });
            });
        },
        Qt::SingleShotConnection);
}

/// The same once a manifest editor has read its file and validated it; with a cluster to apply
/// to, after a diff against it too, so that the picture shows the output pane.
void screenshotWhenManifestChecked(slipway::gui::MainWindow& window,
                                   slipway::gui::ManifestEditorPage* page, const QString& file) {
    QObject::connect(
        page->model(), &slipway::gui::ManifestEditorModel::diagnosticsChanged, &window,
        [&window, page, file] {
            if (page->currentTarget() >= 0) {
                emit page->diffRequested();
            }
            QTimer::singleShot(2500, &window, [&window, file] { saveAndQuit(window, file); });
        },
        Qt::SingleShotConnection);
}

}  // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Slipway"));
    QApplication::setApplicationName(QStringLiteral("Slipway Studio"));
    QApplication::setApplicationVersion(QStringLiteral(SLIPWAY_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.slipway.Studio"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/slipway.svg")));
    installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Create and watch local Kubernetes-style clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption clustersRoot(
        QStringLiteral("clusters-root"),
        QCoreApplication::translate("main",
                                    "Keep clusters in <dir> instead of the default folder."),
        QCoreApplication::translate("main", "dir"));
    parser.addOption(clustersRoot);
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"),
        QCoreApplication::translate("main", "Open the topology of the cluster in <file>."),
        QCoreApplication::translate("main", "file"));
    parser.addOption(kubeconfig);
    const QCommandLineOption context(
        QStringLiteral("context"),
        QCoreApplication::translate("main",
                                    "With --kubeconfig: use <name> instead of the "
                                    "current context."),
        QCoreApplication::translate("main", "name"));
    parser.addOption(context);
    const QCommandLineOption manifest(
        QStringLiteral("manifest"),
        QCoreApplication::translate("main", "Open <file> in the manifest editor."),
        QCoreApplication::translate("main", "file"));
    parser.addOption(manifest);
    const QCommandLineOption dark(
        QStringLiteral("dark"),
        QCoreApplication::translate("main",
                                    "Use a dark colour scheme whatever the desktop's (as does "
                                    "SLIPWAY_STUDIO_DARK=1)."));
    parser.addOption(dark);
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window to <file> and quit."),
                                  QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    QCommandLineOption select(QStringLiteral("select"),
                              QStringLiteral("With --screenshot: select topology vertex <id>."),
                              QStringLiteral("id"));
    select.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(select);
    parser.process(app);
    if (parser.isSet(dark) || qEnvironmentVariableIntValue("SLIPWAY_STUDIO_DARK") == 1) {
        useDarkPalette();
    }

    slipway::vm::ClusterManagerOptions options;
    if (parser.isSet(clustersRoot)) {
        options.clustersRoot = QDir(parser.value(clustersRoot)).absolutePath().toStdString();
    }

    slipway::gui::MainWindow window(std::move(options));
    if (parser.isSet(manifest)) {
        // With --kubeconfig, the manifest applies to that cluster.
        slipway::gui::ConnectionTarget target;
        target.kubeconfigPath = QDir(parser.value(kubeconfig)).absolutePath();
        target.context = parser.value(context);
        target.displayName =
            target.context.isEmpty() ? QFileInfo(target.kubeconfigPath).fileName() : target.context;
        auto* page = window.editorTabs()->open(parser.value(manifest),
                                               parser.isSet(kubeconfig) ? &target : nullptr);
        if (parser.isSet(screenshot)) {
            window.resize(1600, 950);
            screenshotWhenManifestChecked(window, page, parser.value(screenshot));
        }
    } else if (parser.isSet(kubeconfig)) {
        slipway::gui::ConnectionTarget target;
        target.kubeconfigPath = QDir(parser.value(kubeconfig)).absolutePath();
        target.context = parser.value(context);
        target.displayName =
            target.context.isEmpty() ? QFileInfo(target.kubeconfigPath).fileName() : target.context;
        window.openTopology(target);
    }
    if (parser.isSet(manifest)) {
        // its screenshot is taken above
    } else if (parser.isSet(screenshot) && parser.isSet(kubeconfig)) {
        window.resize(1600, 950);  // room for the graph and the side panel in the picture
        screenshotWhenTopologyReady(window, parser.value(screenshot), parser.value(select));
    } else if (parser.isSet(screenshot)) {
        screenshotAfterFirstRefresh(window, parser.value(screenshot));
    }
    window.show();
    return QApplication::exec();
}
