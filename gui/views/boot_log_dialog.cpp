// SPDX-License-Identifier: Apache-2.0
#include "gui/views/boot_log_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace slipway::gui {

namespace {
/// Lines kept: a guest's whole boot and then some, without the dialog growing without end.
constexpr int kMaxLines = 20000;
}  // namespace

BootLogDialog::BootLogDialog(const QString& cluster, const QString& path, QWidget* parent)
    : QDialog(parent), m_text(new QPlainTextEdit(this)), m_status(new QLabel(this)) {
    setWindowTitle(tr("Boot Log of %1").arg(cluster));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(820, 520);
    auto* where = new QLabel(path, this);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("bootLogText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setMaximumBlockCount(kMaxLines);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_status->setText(tr("Reading\u2026"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(where);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

BootLogDialog::~BootLogDialog() = default;

QString BootLogDialog::text() const {
    return m_text->toPlainText() + m_partialLine;
}

void BootLogDialog::appendText(const QString& text) {
    QScrollBar* bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    // appendPlainText adds whole paragraphs: hold back a line that has not ended yet.
    QString whole = m_partialLine + text;
    const auto lastNewline = whole.lastIndexOf(QLatin1Char('\n'));
    m_partialLine = whole.mid(lastNewline + 1);
    whole.truncate(lastNewline < 0 ? 0 : lastNewline);
    // A console's carriage returns are line ends too.
    whole.remove(QLatin1Char('\r'));
    if (lastNewline >= 0) {
        m_text->appendPlainText(whole);
    }
    m_status->setText(tr("Following the file; new lines appear as they are written."));
    if (atEnd) {
        bar->setValue(bar->maximum());
    }
}

void BootLogDialog::clearText() {
    m_text->clear();
    m_partialLine.clear();
}

void BootLogDialog::showMissing() {
    m_status->setText(tr("The log does not exist yet; it appears once the machine starts."));
}

}  // namespace slipway::gui
