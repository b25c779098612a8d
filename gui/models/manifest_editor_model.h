// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <nlohmann/json.hpp>

#include "gui/models/manifest_document.h"
#include "gui/models/manifest_validator.h"

namespace slipway::gui {

class ManifestFormModel;

/// The state of one manifest editor: the text (a ManifestDocument), which of its documents the
/// form shows, the form itself (ManifestFormModel), the problems found by validation, and the
/// file it belongs to. No widgets: the YAML editor and the form are views of it.
///
/// Two ways in, one truth: the text editor calls setText() with what the user typed (the
/// documents are parsed at once, the form follows); the form calls setValue() or
/// removeValue(), which edit the text in place and announce the edit with textEdited() for the
/// editor to apply, so its undo history and the user's comments survive.
///
/// Validation (validateManifest, slipwayd's own rules) runs validationDelay() after the last
/// change, on a pool thread; a result that a newer change has overtaken is dropped. Files are
/// read and written on a pool thread too: nothing here blocks the GUI thread.
class ManifestEditorModel : public QObject {
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kDefaultValidationDelay{300};
    static constexpr int kMaxRecentFiles = 8;

    explicit ManifestEditorModel(QObject* parent = nullptr);
    ~ManifestEditorModel() override;

    const ManifestDocument& document() const { return m_document; }
    QString text() const { return QString::fromStdString(m_document.text()); }
    ManifestFormModel* form() const { return m_form; }

    /// The document the form shows (an index into document().parts()).
    int currentPart() const { return m_currentPart; }
    void setCurrentPart(int part);
    /// Shows the document at 0-based `line` in the form.
    void setCurrentLine(int line);

    /// Edits a field of document `part` (a JSON pointer) in the text; see ManifestDocument.
    /// Emits textEdited() and documentChanged(). False when nothing changed.
    bool setValue(int part, const std::string& pointer, const nlohmann::json& value);
    bool removeValue(int part, const std::string& pointer);

    /// The last validation's findings, in document and line order.
    const std::vector<ManifestDiagnostic>& diagnostics() const { return m_diagnostics; }
    /// Whether the validation of the current text has answered.
    bool validationPending() const { return m_validating || m_validationTimer.isActive(); }
    std::chrono::milliseconds validationDelay() const;
    void setValidationDelay(std::chrono::milliseconds delay);

    /// The file the text was read from or saved to; empty for a new manifest.
    QString filePath() const { return m_filePath; }
    /// The text differs from what was last read or saved.
    bool isModified() const { return m_document.text() != m_savedText; }

    /// Starts a new, unsaved manifest from the template of `kind` (manifestTemplate()).
    void newFromTemplate(const QString& kind, const QString& name = QStringLiteral("example"));
    /// Reads `path` (off the GUI thread); answers with fileLoaded or fileFailed.
    void load(const QString& path);
    /// Writes the text to `path` (off the GUI thread); answers with fileSaved or fileFailed.
    void save(const QString& path);

    /// Recently opened or saved files (QSettings "editor/recentFiles"), newest first, at most
    /// kMaxRecentFiles.
    static QStringList recentFiles();
    static void addRecentFile(const QString& path);

public slots:
    /// The whole text, as the editor now has it.
    void setText(const QString& text);
    /// Validates the current text now rather than after the delay.
    void validateNow();

signals:
    /// The model changed the text (a form edit): editors apply `edit` to stay in step.
    void textEdited(const slipway::gui::TextEdit& edit);
    /// The text was replaced whole (a file read, a template): editors take text().
    void textReset();
    /// The documents were parsed again (after any change of the text).
    void documentChanged();
    void currentPartChanged(int part);
    void diagnosticsChanged();
    void modifiedChanged(bool modified);
    void fileLoaded(const QString& path);
    void fileSaved(const QString& path);
    void fileFailed(const QString& path, const QString& message);

private:
    struct Shared;

    void textChanged(bool wasModified);
    void startValidation();

    ManifestDocument m_document;
    ManifestFormModel* m_form;
    int m_currentPart = 0;
    std::vector<ManifestDiagnostic> m_diagnostics;
    QTimer m_validationTimer;
    bool m_validating = false;
    std::uint64_t m_generation = 0;
    QString m_filePath;
    std::string m_savedText;
    std::shared_ptr<Shared> m_shared;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::TextEdit)
