// SPDX-License-Identifier: Apache-2.0
#include "gui/views/manifest_editor_page.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPalette>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QToolTip>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <Qsci/qscilexerdiff.h>
#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>

#include "gui/models/manifest_document.h"
#include "gui/models/manifest_editor_model.h"
#include "gui/models/manifest_form_model.h"
#include "gui/models/manifest_preview.h"
#include "gui/models/manifest_templates.h"
#include "gui/models/topology_model.h"
#include "gui/views/topology_view.h"

namespace slipway::gui {

namespace {

/// Form values with a fixed set of choices (a Service's type) are picked from a list, which
/// stays editable for values the list does not know.
class FormDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override {
        const QStringList choices = index.data(ManifestFormModel::ChoicesRole).toStringList();
        if (choices.isEmpty()) {
            return QStyledItemDelegate::createEditor(parent, option, index);
        }
        auto* box = new QComboBox(parent);
        box->setEditable(true);
        box->addItems(choices);
        return box;
    }

    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        if (auto* box = qobject_cast<QComboBox*>(editor)) {
            box->setCurrentText(index.data(Qt::EditRole).toString());
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }

    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override {
        if (auto* box = qobject_cast<QComboBox*>(editor)) {
            model->setData(index, box->currentText());
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }

    // Tab walks the fields; past the last one (Shift+Tab: before the first) it leaves the form
    // for the next control instead of wrapping round, so that the keyboard can get out.
    bool eventFilter(QObject* object, QEvent* event) override {
        auto* editor = qobject_cast<QWidget*>(object);
        if (editor != nullptr && event->type() == QEvent::KeyPress &&
            editor->parentWidget() != nullptr) {
            const auto* key = static_cast<QKeyEvent*>(event);
            const bool shift = (key->modifiers() & Qt::ShiftModifier) != 0;
            const bool forward = key->key() == Qt::Key_Tab && !shift;
            const bool backward =
                key->key() == Qt::Key_Backtab || (key->key() == Qt::Key_Tab && shift);
            auto* view = qobject_cast<QAbstractItemView*>(editor->parentWidget()->parentWidget());
            if ((forward || backward) && view != nullptr && view->model() != nullptr) {
                const int row = view->currentIndex().row();
                if ((forward && row == view->model()->rowCount() - 1) || (backward && row == 0)) {
                    emit commitData(editor);
                    emit closeEditor(editor, QAbstractItemDelegate::NoHint);
                    QKeyEvent tab(QEvent::KeyPress, forward ? Qt::Key_Tab : Qt::Key_Backtab,
                                  Qt::NoModifier);
                    QCoreApplication::sendEvent(view, &tab);
                    return true;
                }
            }
        }
        return QStyledItemDelegate::eventFilter(object, event);
    }
};

QFont editorFont() {
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSize(std::max(font.pointSize(), 10));
    return font;
}

}  // namespace

ManifestEditorPage::ManifestEditorPage(QWidget* parent)
    : QWidget(parent),
      m_model(new ManifestEditorModel(this)),
      m_previewModel(new TopologyModel(this)),
      m_previewFeed(std::make_unique<ManifestPreview>()),
      m_editor(new QsciScintilla(this)),
      m_output(new QsciScintilla(this)),
      m_formView(new QTableView(this)),
      m_documents(new QComboBox(this)),
      m_targets(new QComboBox(this)),
      m_problems(new QTreeWidget(this)),
      m_bottomTabs(new QTabWidget(this)),
      m_preview(new TopologyView(m_previewModel, this)),
      m_status(new QLabel(this)),
      m_dryRunAction(nullptr),
      m_diffAction(nullptr),
      m_applyAction(nullptr) {
    setObjectName(QStringLiteral("manifestEditorPage"));
    setAccessibleName(tr("Manifest editor"));
    setAccessibleDescription(
        tr("YAML editor with a form of the current document, its problems, "
           "and a preview of what applying creates."));
    m_editor->setAccessibleName(tr("YAML"));
    m_output->setAccessibleName(tr("Output"));
    m_problems->setAccessibleName(tr("Problems"));
    m_formView->setAccessibleName(tr("Form"));
    m_documents->setAccessibleName(tr("Document"));
    m_preview->setAccessibleName(tr("Preview"));
    m_targets->setAccessibleName(tr("Cluster"));

    // --- the YAML editor ---
    m_editor->setObjectName(QStringLiteral("manifestEditor"));
    m_editor->setUtf8(true);
    auto* lexer = new QsciLexerYAML(m_editor);
    lexer->setDefaultFont(editorFont());
    lexer->setFont(editorFont());
    lexer->setFoldComments(true);
    // The system's dark theme gets dark paper and light text; `---` lines are a quiet band
    // rather than the lexer's white on navy.
    const QPalette colours = palette();
    const bool dark = colours.color(QPalette::Base).lightness() < 128;
    if (dark) {
        lexer->setDefaultPaper(colours.color(QPalette::Base));
        lexer->setPaper(colours.color(QPalette::Base), -1);
        lexer->setDefaultColor(colours.color(QPalette::Text));
        lexer->setColor(colours.color(QPalette::Text), QsciLexerYAML::Default);
        lexer->setColor(QColor(0x8c, 0xc8, 0x8c), QsciLexerYAML::Comment);
        lexer->setColor(QColor(0x8a, 0xb4, 0xf8), QsciLexerYAML::Identifier);
        lexer->setColor(QColor(0xf2, 0x8b, 0x82), QsciLexerYAML::Keyword);
        lexer->setColor(QColor(0xf7, 0xc0, 0x6b), QsciLexerYAML::Number);
        lexer->setColor(QColor(0xc5, 0x8a, 0xf9), QsciLexerYAML::Reference);
        lexer->setColor(colours.color(QPalette::Text), QsciLexerYAML::Operator);
        lexer->setColor(colours.color(QPalette::Text), QsciLexerYAML::TextBlockMarker);
        lexer->setColor(QColor(0xc8, 0xd0, 0xdc), QsciLexerYAML::DocumentDelimiter);
        lexer->setPaper(QColor(0x3a, 0x40, 0x4a), QsciLexerYAML::DocumentDelimiter);
    } else {
        lexer->setColor(QColor(0x4a, 0x55, 0x68), QsciLexerYAML::DocumentDelimiter);
        lexer->setPaper(QColor(0xe6, 0xea, 0xf0), QsciLexerYAML::DocumentDelimiter);
    }
    m_editor->setLexer(lexer);
    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginLineNumbers(0, true);
    m_editor->setMarginWidth(0, QStringLiteral("00000"));
    m_editor->setMarginType(1, QsciScintilla::SymbolMargin);
    m_editor->setMarginWidth(1, 16);
    m_editor->setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    m_editor->setIndentationsUseTabs(false);
    m_editor->setIndentationWidth(2);
    m_editor->setTabWidth(2);
    m_editor->setAutoIndent(true);
    m_editor->setIndentationGuides(true);
    m_editor->setCaretLineVisible(true);
    m_editor->setCaretLineBackgroundColor(dark ? colours.color(QPalette::AlternateBase)
                                               : QColor(0xf2, 0xf6, 0xfc));
    m_editor->setCaretForegroundColor(colours.color(QPalette::Text));
    m_editor->setMarginsBackgroundColor(colours.color(QPalette::Window));
    m_editor->setMarginsForegroundColor(colours.color(QPalette::WindowText));
    m_editor->setFoldMarginColors(colours.color(QPalette::Window), colours.color(QPalette::Window));
    m_errorMarker = m_editor->markerDefine(QsciScintilla::Circle, 0);
    m_editor->setMarkerBackgroundColor(QColor(0xd9, 0x30, 0x25), m_errorMarker);
    m_editor->setMarkerForegroundColor(QColor(0x8c, 0x1d, 0x18), m_errorMarker);
    m_warningMarker = m_editor->markerDefine(QsciScintilla::Circle, 1);
    m_editor->setMarkerBackgroundColor(QColor(0xf0, 0xa2, 0x02), m_warningMarker);
    m_editor->setMarginMarkerMask(1, (1 << m_errorMarker) | (1 << m_warningMarker));
    m_errorIndicator = m_editor->indicatorDefine(QsciScintilla::SquiggleIndicator);
    m_editor->setIndicatorForegroundColor(QColor(0xd9, 0x30, 0x25), m_errorIndicator);
    // Resting the mouse on a marked line explains its problems.
    m_editor->SendScintilla(QsciScintillaBase::SCI_SETMOUSEDWELLTIME, 400UL, 0L);
    connect(m_editor, &QsciScintillaBase::SCN_DWELLSTART, this, [this](int position, int x, int y) {
        if (position < 0) {
            return;
        }
        int line = 0;
        int index = 0;
        m_editor->lineIndexFromPosition(position, &line, &index);
        QStringList messages;
        for (const ManifestDiagnostic& diagnostic : m_model->diagnostics()) {
            if (diagnostic.line == line) {
                messages << QString::fromStdString(diagnostic.text()).toHtmlEscaped();
            }
        }
        if (!messages.isEmpty()) {
            QToolTip::showText(m_editor->viewport()->mapToGlobal(QPoint(x, y)),
                               messages.join(QStringLiteral("<br>")), m_editor);
        }
    });
    connect(m_editor, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });

    // --- output: diffs and apply results ---
    m_output->setObjectName(QStringLiteral("manifestOutput"));
    m_output->setUtf8(true);
    auto* diffLexer = new QsciLexerDiff(m_output);
    diffLexer->setDefaultFont(editorFont());
    diffLexer->setFont(editorFont());
    if (dark) {
        diffLexer->setDefaultPaper(colours.color(QPalette::Base));
        diffLexer->setPaper(colours.color(QPalette::Base), -1);
    }
    const QColor plain = colours.color(QPalette::Text);
    diffLexer->setColor(dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x1a, 0x7f, 0x37),
                        QsciLexerDiff::LineAdded);
    diffLexer->setColor(dark ? QColor(0xff, 0xa1, 0x98) : QColor(0xcf, 0x22, 0x2e),
                        QsciLexerDiff::LineRemoved);
    diffLexer->setColor(dark ? QColor(0xd2, 0xa8, 0xff) : QColor(0x82, 0x50, 0xdf),
                        QsciLexerDiff::Position);
    diffLexer->setColor(plain, QsciLexerDiff::Comment);
    diffLexer->setColor(plain, QsciLexerDiff::Default);
    diffLexer->setColor(plain, QsciLexerDiff::Command);
    m_output->setLexer(diffLexer);
    m_output->setReadOnly(true);
    m_output->setWrapMode(QsciScintilla::WrapWord);
    m_output->setMarginWidth(1, 0);

    // --- problems ---
    m_problems->setObjectName(QStringLiteral("manifestProblems"));
    m_problems->setRootIsDecorated(false);
    m_problems->setHeaderLabels({tr("Line"), tr("Document"), tr("Problem")});
    m_problems->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_problems->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(m_problems, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem* item) { goToLine(item->data(0, Qt::UserRole).toInt()); });
    connect(m_problems, &QTreeWidget::itemClicked, this,
            [this](QTreeWidgetItem* item) { goToLine(item->data(0, Qt::UserRole).toInt()); });
    m_bottomTabs->setDocumentMode(true);
    m_bottomTabs->addTab(m_problems, tr("Problems"));
    m_bottomTabs->addTab(m_output, tr("Output"));

    // --- form ---
    m_formView->setObjectName(QStringLiteral("manifestForm"));
    m_formView->setModel(m_model->form());
    m_formView->setItemDelegate(new FormDelegate(m_formView));
    m_formView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_formView->verticalHeader()->hide();
    m_formView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_formView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_formView->horizontalHeader()->setStretchLastSection(true);
    m_formView->setAlternatingRowColors(true);
    m_formView->setTabKeyNavigation(false);  // Tab moves between fields only while editing
    m_documents->setObjectName(QStringLiteral("manifestDocuments"));
    m_documents->setToolTip(tr("The document of the file the form shows"));
    connect(m_documents, &QComboBox::activated, this, [this](int index) {
        m_model->setCurrentPart(index);
        const auto& parts = m_model->document().parts();
        if (index >= 0 && index < static_cast<int>(parts.size())) {
            goToLine(parts[static_cast<std::size_t>(index)].firstLine);
        }
    });

    // --- preview ---
    m_preview->setObjectName(QStringLiteral("manifestPreview"));
    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(250);
    connect(&m_previewTimer, &QTimer::timeout, this, &ManifestEditorPage::updatePreview);

    // --- toolbar ---
    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* newMenu = new QMenu(tr("New"), this);
    for (const std::string& kind : manifestTemplateKinds()) {
        const QString name = QString::fromStdString(kind);
        newMenu->addAction(name, this, [this, name] {
            maybeSave([this, name] { m_model->newFromTemplate(name); });
        });
    }
    auto* newButton = new QToolButton(toolbar);
    newButton->setText(tr("New"));
    newButton->setToolTip(tr("Start a new manifest from a template"));
    newButton->setIcon(style()->standardIcon(QStyle::SP_FileIcon));
    newButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    newButton->setMenu(newMenu);
    newButton->setPopupMode(QToolButton::InstantPopup);
    toolbar->addWidget(newButton);
    QAction* open = toolbar->addAction(
        style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open\u2026"), this, [this] {
            const QString path =
                QFileDialog::getOpenFileName(this, tr("Open Manifest"), QString(),
                                             tr("YAML manifests (*.yaml *.yml);;All files (*)"));
            if (!path.isEmpty()) {
                openFile(path);
            }
        });
    open->setToolTip(tr("Open a manifest in this editor"));
    QAction* saveAction = toolbar->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                             tr("Save"), this, &ManifestEditorPage::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction* saveAsAction = new QAction(tr("Save As\u2026"), this);
    saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(saveAsAction, &QAction::triggered, this, &ManifestEditorPage::saveAs);
    toolbar->addAction(saveAsAction);
    toolbar->addSeparator();
    QAction* validate =
        toolbar->addAction(tr("Validate"), m_model, &ManifestEditorModel::validateNow);
    validate->setShortcut(QKeySequence(Qt::Key_F7));
    validate->setToolTip(tr("Check the manifest with the cluster's validation rules (F7)"));
    m_dryRunAction = toolbar->addAction(tr("Dry Run"), this, [this] { emit dryRunRequested(); });
    m_dryRunAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Enter)});
    m_dryRunAction->setToolTip(
        tr("Send the manifest to the cluster with dryRun=All: checked, nothing stored "
           "(Ctrl+Shift+Enter)"));
    m_diffAction = toolbar->addAction(tr("Diff"), this, [this] { emit diffRequested(); });
    m_diffAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_diffAction->setToolTip(tr("Compare the live objects with the manifest (Ctrl+Shift+D)"));
    m_applyAction = toolbar->addAction(style()->standardIcon(QStyle::SP_DialogApplyButton),
                                       tr("Apply"), this, &ManifestEditorPage::requestApply);
    m_applyAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_applyAction->setToolTip(tr("Create or update the objects in the cluster (Ctrl+Enter)"));
    toolbar->addSeparator();
    auto* clusterLabel = new QLabel(tr("Cluster:"), toolbar);
    clusterLabel->setContentsMargins(4, 0, 4, 0);
    toolbar->addWidget(clusterLabel);
    m_targets->setObjectName(QStringLiteral("manifestTargets"));
    m_targets->setMinimumContentsLength(16);
    m_targets->setPlaceholderText(tr("no running cluster"));
    m_targets->setToolTip(tr("The cluster dry runs, diffs and applies go to"));
    m_targets->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    toolbar->addWidget(m_targets);
    connect(m_targets, &QComboBox::activated, this, &ManifestEditorPage::targetChosen);
    for (QAction* action :
         {saveAction, saveAsAction, validate, m_dryRunAction, m_diffAction, m_applyAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);  // active wherever the focus is in the page
    }
    // A toolbar's buttons take no focus of their own: let Tab reach them as well.
    for (auto* button : toolbar->findChildren<QToolButton*>(Qt::FindDirectChildrenOnly)) {
        button->setFocusPolicy(Qt::TabFocus);
    }
    setBusy(false);

    // --- layout ---
    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_editor);
    left->addWidget(m_bottomTabs);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    auto* formPane = new QWidget(this);
    auto* formLayout = new QVBoxLayout(formPane);
    formLayout->setContentsMargins(0, 0, 0, 0);
    auto* formTitle = new QLabel(tr("<b>Form</b>"), formPane);
    formLayout->addWidget(formTitle);
    formLayout->addWidget(m_documents);
    formLayout->addWidget(m_formView);
    auto* previewPane = new QWidget(this);
    auto* previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->addWidget(
        new QLabel(tr("<b>Preview</b> \u2014 what applying creates"), previewPane));
    previewLayout->addWidget(m_preview);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(formPane);
    right->addWidget(previewPane);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 2);
    right->setSizes({330, 570});  // the form needs a dozen rows; the preview gets the rest
    auto* sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(left);
    sides->addWidget(right);
    sides->setStretchFactor(0, 1);
    sides->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(sides, 1);
    m_status->setObjectName(QStringLiteral("manifestStatus"));
    m_status->setContentsMargins(8, 2, 8, 2);
    layout->addWidget(m_status);

    // --- wiring ---
    connect(m_editor, &QsciScintilla::textChanged, this, [this] {
        if (!m_applyingEdit) {
            m_model->setText(m_editor->text());
        }
    });
    connect(m_editor, &QsciScintilla::cursorPositionChanged, this,
            [this](int line, int) { m_model->setCurrentLine(line); });
    connect(m_model, &ManifestEditorModel::textEdited, this, &ManifestEditorPage::applyEdit);
    connect(m_model, &ManifestEditorModel::textReset, this, &ManifestEditorPage::resetText);
    connect(m_model, &ManifestEditorModel::documentChanged, this, [this] {
        updateDocumentChoices();
        m_previewTimer.start();
        m_status->setText(tr("Checking\u2026"));
    });
    connect(m_model, &ManifestEditorModel::currentPartChanged, this,
            [this](int part) { m_documents->setCurrentIndex(part); });
    connect(m_model, &ManifestEditorModel::diagnosticsChanged, this,
            &ManifestEditorPage::showDiagnostics);
    connect(m_model, &ManifestEditorModel::modifiedChanged, this,
            [this] { emit titleChanged(title()); });
    connect(m_model, &ManifestEditorModel::fileLoaded, this, [this] {
        m_discarded = false;
        emit titleChanged(title());
        emit recentFilesChanged();
    });
    connect(m_model, &ManifestEditorModel::fileSaved, this, [this] {
        emit titleChanged(title());
        emit recentFilesChanged();
        if (m_afterSave) {
            auto proceed = std::move(m_afterSave);
            m_afterSave = nullptr;
            proceed();
        }
    });
    connect(m_model, &ManifestEditorModel::fileFailed, this,
            [this](const QString& path, const QString& message) {
                m_afterSave = nullptr;
                QMessageBox::warning(this, tr("Manifest"),
                                     tr("Could not use %1: %2").arg(path, message));
            });
}

ManifestEditorPage::~ManifestEditorPage() = default;

QString ManifestEditorPage::title() const {
    const QString path = m_model->filePath();
    QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
    if (m_model->isModified()) {
        name += QLatin1Char('*');
    }
    return name;
}

void ManifestEditorPage::setTargets(const QStringList& names, int current) {
    m_targets->clear();
    m_targets->addItems(names);
    m_targets->setCurrentIndex(current);
    setBusy(false);
}

int ManifestEditorPage::currentTarget() const {
    return m_targets->currentIndex();
}

void ManifestEditorPage::applyEdit(const TextEdit& edit) {
    m_applyingEdit = true;
    m_editor->beginUndoAction();
    m_editor->SendScintilla(QsciScintillaBase::SCI_SETTARGETRANGE,
                            static_cast<unsigned long>(edit.begin), static_cast<long>(edit.end));
    m_editor->SendScintilla(QsciScintillaBase::SCI_REPLACETARGET,
                            static_cast<unsigned long>(edit.text.size()), edit.text.c_str());
    m_editor->endUndoAction();
    m_applyingEdit = false;
}

void ManifestEditorPage::resetText() {
    m_applyingEdit = true;
    m_editor->setText(m_model->text());
    m_editor->setCursorPosition(0, 0);
    m_applyingEdit = false;
    emit titleChanged(title());
}

void ManifestEditorPage::showDiagnostics() {
    const int lines = m_editor->lines();
    m_editor->markerDeleteAll(m_errorMarker);
    m_editor->markerDeleteAll(m_warningMarker);
    if (lines > 0) {
        m_editor->clearIndicatorRange(0, 0, lines - 1, m_editor->lineLength(lines - 1),
                                      m_errorIndicator);
    }
    m_problems->clear();
    const auto& parts = m_model->document().parts();
    int errors = 0;
    for (const ManifestDiagnostic& diagnostic : m_model->diagnostics()) {
        const bool error = diagnostic.severity == ManifestDiagnostic::Severity::Error;
        errors += error ? 1 : 0;
        if (diagnostic.line >= 0 && diagnostic.line < lines) {
            m_editor->markerAdd(diagnostic.line, error ? m_errorMarker : m_warningMarker);
            const QString text = m_editor->text(diagnostic.line);
            const int from = static_cast<int>(text.indexOf(text.trimmed()));
            const int to = static_cast<int>(from + text.trimmed().size());
            if (error && to > from) {
                m_editor->fillIndicatorRange(diagnostic.line, from, diagnostic.line, to,
                                             m_errorIndicator);
            }
        }
        auto* item = new QTreeWidgetItem(m_problems);
        item->setIcon(0, style()->standardIcon(error ? QStyle::SP_MessageBoxCritical
                                                     : QStyle::SP_MessageBoxWarning));
        item->setText(0, QString::number(diagnostic.line + 1));
        item->setData(0, Qt::UserRole, diagnostic.line);
        const auto part = static_cast<std::size_t>(diagnostic.part);
        item->setText(1, part < parts.size() && !parts[part].title().empty()
                             ? QString::fromStdString(parts[part].title())
                             : tr("document %1").arg(diagnostic.part + 1));
        item->setText(2, QString::fromStdString(diagnostic.text()));
        item->setToolTip(2, item->text(2));
    }
    const int count = static_cast<int>(m_model->diagnostics().size());
    if (count == 0) {
        m_status->setText(tr("No problems found"));
    } else if (count == 1) {
        m_status->setText(tr("1 problem"));
    } else {
        m_status->setText(tr("%n problems", nullptr, count));
    }
    m_bottomTabs->setTabText(0, count == 0 ? tr("Problems") : tr("Problems (%1)").arg(count));
    if (errors > 0) {
        m_bottomTabs->setCurrentWidget(m_problems);
    }
}

void ManifestEditorPage::updateDocumentChoices() {
    const auto& parts = m_model->document().parts();
    QStringList titles;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string title = parts[i].title();
        titles << (title.empty()
                       ? tr("%1: (empty or invalid)").arg(i + 1)
                       : QStringLiteral("%1: %2").arg(i + 1).arg(QString::fromStdString(title)));
    }
    QStringList current;
    for (int i = 0; i < m_documents->count(); ++i) {
        current << m_documents->itemText(i);
    }
    if (current != titles) {
        m_documents->clear();
        m_documents->addItems(titles);
    }
    m_documents->setCurrentIndex(m_model->currentPart());
}

void ManifestEditorPage::updatePreview() {
    const ResourceEvents events = m_previewFeed->update(m_model->document().objects());
    if (events.empty()) {
        return;
    }
    m_previewModel->applyEvents(events);
    m_preview->zoomToFit();
}

void ManifestEditorPage::goToLine(int line) {
    m_editor->setCursorPosition(line, 0);
    m_editor->ensureLineVisible(line);
    m_editor->setFocus();
}

void ManifestEditorPage::requestApply() {
    int errors = 0;
    for (const auto& diagnostic : m_model->diagnostics()) {
        errors += diagnostic.severity == ManifestDiagnostic::Severity::Error ? 1 : 0;
    }
    if (errors > 0 && QMessageBox::question(this, tr("Apply"),
                                            tr("The manifest has %n problem(s). Apply it anyway?",
                                               nullptr, errors)) != QMessageBox::Yes) {
        return;
    }
    emit applyRequested();
}

void ManifestEditorPage::maybeSave(std::function<void()> proceed) {
    if (!m_model->isModified() || m_discarded) {
        proceed();
        return;
    }
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved Changes"),
        tr("%1 has changes that are not saved. Save them?").arg(title()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        m_afterSave = std::move(proceed);  // runs once the file is written
        save();
    } else if (answer == QMessageBox::Discard) {
        m_discarded = true;
        proceed();
    }
}

void ManifestEditorPage::save() {
    if (m_model->filePath().isEmpty()) {
        saveAs();
        return;
    }
    m_model->save(m_model->filePath());
}

void ManifestEditorPage::saveAs() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Manifest"), m_model->filePath(),
                                     tr("YAML manifests (*.yaml *.yml);;All files (*)"));
    if (path.isEmpty()) {
        m_afterSave = nullptr;  // cancelled: whatever waited for the save does not happen
        return;
    }
    m_model->save(path);
}

void ManifestEditorPage::openFile(const QString& path) {
    maybeSave([this, path] {
        m_discarded = false;
        m_model->load(path);
    });
}

void ManifestEditorPage::showOutcome(const QString& heading, const QStringList& lines,
                                     const QString& diffText, bool failed) {
    QString text = heading + QLatin1Char('\n');
    for (const QString& line : lines) {
        text += line + QLatin1Char('\n');
    }
    if (!diffText.isEmpty()) {
        text += QLatin1Char('\n') + diffText;
    }
    m_output->setText(text);
    m_bottomTabs->setCurrentWidget(m_output);
    m_status->setText(failed ? tr("%1 failed").arg(heading) : heading);
}

void ManifestEditorPage::setBusy(bool busy) {
    const bool ready = !busy && m_targets->count() > 0;
    for (QAction* action : {m_dryRunAction, m_diffAction, m_applyAction}) {
        action->setEnabled(ready);
    }
    if (busy) {
        m_status->setText(tr("Talking to the cluster\u2026"));
    }
}

}  // namespace slipway::gui
