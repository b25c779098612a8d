// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <vector>

#include <QList>
#include <QObject>

#include "gui/services/cluster_connection.h"
#include "vm/cluster_manager.h"

class QMenu;
class QTabWidget;
class QWidget;

namespace slipway::gui {

class ManifestEditorPage;

/// The manifest editor tabs of the main window: opens ManifestEditorPages in the window's tab
/// widget, gives each its own ApplyService (dry run, diff and apply off the GUI thread) and the
/// clusters it can apply to, and asks before unsaved changes are lost. Composition only, so
/// that MainWindow stays a thin root.
class EditorTabs : public QObject {
    Q_OBJECT

public:
    EditorTabs(QTabWidget* tabs, QObject* parent);

    /// Opens (or brings forward) an editor on `path`, or a new Deployment from its template
    /// when `path` is empty. `extraTarget`, when given, is offered first as where to apply.
    ManifestEditorPage* open(const QString& path = {},
                             const ConnectionTarget* extraTarget = nullptr);
    /// Asks for a file, then opens it.
    void openWithDialog(QWidget* parent);
    /// Fills `menu` with the recent manifests (for QMenu::aboutToShow).
    void fillRecentMenu(QMenu* menu);
    /// The running clusters become the targets every editor offers.
    void setClusters(const std::vector<vm::ClusterStatus>& clusters);

    /// For a tab about to close: an editor first asks about unsaved changes, then runs
    /// `close`; any other page runs it at once.
    void closeTab(QWidget* page, const std::function<void()>& close);
    /// Whether the window may close now. If an editor has unsaved changes it asks (and closes
    /// its tab) and calls `retry` afterwards, and this answers false.
    bool mayCloseWindow(const std::function<void()>& retry);

private:
    void updateTargets();

    QTabWidget* m_tabs;
    QList<ConnectionTarget> m_extraTargets;    // given on the command line, first
    QList<ConnectionTarget> m_clusterTargets;  // running clusters
    QList<ConnectionTarget> m_targets;         // both, as the editors list them
};

}  // namespace slipway::gui
