// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <memory>

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QTableView;
class QTabWidget;
class QTreeWidget;
class QsciScintilla;

namespace slipway::gui {

class ManifestEditorModel;
class ManifestPreview;
class TopologyModel;
class TopologyView;
struct TextEdit;

/// The visual manifest editor: a YAML editor (QScintilla: highlighting, folding, markers on
/// the lines validation finds problems on) beside a form of the document under the cursor and
/// a preview, in the topology's style, of what applying would create; below the editor the
/// problems (click one to go to its line) and the output of dry runs, diffs and applies.
///
/// A thin view over ManifestEditorModel, which it owns (and the preview's TopologyModel).
/// Talking to a cluster is MainWindow's business: the page asks with dryRunRequested,
/// diffRequested and applyRequested and shows the answers given to showOutcome().
class ManifestEditorPage : public QWidget {
    Q_OBJECT

public:
    explicit ManifestEditorPage(QWidget* parent = nullptr);
    ~ManifestEditorPage() override;

    ManifestEditorModel* model() const { return m_model; }
    QsciScintilla* editor() const { return m_editor; }
    QTableView* formView() const { return m_formView; }
    QTreeWidget* problemsView() const { return m_problems; }
    TopologyView* previewView() const { return m_preview; }
    TopologyModel* previewModel() const { return m_previewModel; }

    /// "web.yaml", "Untitled", with "*" while modified: for the tab.
    QString title() const;

    /// The clusters to apply to, by name; `current` is selected.
    void setTargets(const QStringList& names, int current);
    int currentTarget() const;

    /// Asks whether to save unsaved changes (Save, Discard, Cancel), then runs `proceed`
    /// unless the user cancelled; after Save, once the file is written. Runs `proceed` at once
    /// when there is nothing to save.
    void maybeSave(std::function<void()> proceed);
    /// Saves to the file the text came from, or asks for one.
    void save();
    void saveAs();
    /// Opens `path` in this page (after maybeSave).
    void openFile(const QString& path);

    /// Shows what a dry run, diff or apply did: one line per object, and a diff.
    void showOutcome(const QString& heading, const QStringList& lines, const QString& diffText,
                     bool failed);
    void setBusy(bool busy);

signals:
    void titleChanged(const QString& title);
    void dryRunRequested();
    void diffRequested();
    void applyRequested();
    void targetChosen(int index);
    /// A file was read or written: the recent files have changed.
    void recentFilesChanged();

private:
    void applyEdit(const TextEdit& edit);
    void resetText();
    void showDiagnostics();
    void updateDocumentChoices();
    void updatePreview();
    void goToLine(int line);
    void requestApply();

    ManifestEditorModel* m_model;
    TopologyModel* m_previewModel;
    std::unique_ptr<ManifestPreview> m_previewFeed;
    QsciScintilla* m_editor;
    QsciScintilla* m_output;
    QTableView* m_formView;
    QComboBox* m_documents;
    QComboBox* m_targets;
    QTreeWidget* m_problems;
    QTabWidget* m_bottomTabs;
    TopologyView* m_preview;
    QLabel* m_status;
    QAction* m_dryRunAction;
    QAction* m_diffAction;
    QAction* m_applyAction;
    QTimer m_previewTimer;
    bool m_applyingEdit = false;
    bool m_discarded = false;
    std::function<void()> m_afterSave;
    int m_errorMarker = 0;
    int m_warningMarker = 1;
    int m_errorIndicator = 0;
};

}  // namespace slipway::gui
