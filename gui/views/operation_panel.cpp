// SPDX-License-Identifier: Apache-2.0
#include "gui/views/operation_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace slipway::gui {

OperationPanel::OperationPanel(QWidget* parent) : QWidget(parent), m_layout(new QVBoxLayout(this)) {
    setObjectName(QStringLiteral("operationPanel"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    hide();
}

OperationPanel::~OperationPanel() = default;

void OperationPanel::begin(const QString& cluster, const QString& title, bool cancellable,
                           bool hasLog) {
    removeRow(cluster);
    Row row;
    row.widget = new QWidget(this);
    row.widget->setObjectName(QStringLiteral("operation-") + cluster);
    auto* layout = new QHBoxLayout(row.widget);
    layout->setContentsMargins(0, 0, 0, 0);
    row.title = new QLabel(title, row.widget);
    QFont bold = row.title->font();
    bold.setWeight(QFont::DemiBold);
    row.title->setFont(bold);
    row.bar = new QProgressBar(row.widget);
    row.bar->setObjectName(QStringLiteral("operationProgress"));
    row.bar->setRange(0, 0);  // phases have no known count: a busy bar
    row.bar->setTextVisible(false);
    row.bar->setFixedWidth(160);
    row.phase = new QLabel(tr("Starting\u2026"), row.widget);
    row.phase->setObjectName(QStringLiteral("operationPhase"));
    row.phase->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row.phase->setWordWrap(true);
    row.cancel = new QPushButton(tr("Cancel"), row.widget);
    row.cancel->setObjectName(QStringLiteral("operationCancel"));
    row.cancel->setVisible(cancellable);
    row.log = new QPushButton(tr("Boot Log\u2026"), row.widget);
    row.log->setObjectName(QStringLiteral("operationLog"));
    row.log->setToolTip(tr("Follow the guest's console (VMs) or slipwayd's log (local process)"));
    row.log->setVisible(hasLog);
    row.dismiss = new QPushButton(row.widget);
    row.dismiss->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    row.dismiss->setToolTip(tr("Dismiss"));
    row.dismiss->setFlat(true);
    row.dismiss->hide();
    layout->addWidget(row.title);
    layout->addWidget(row.bar);
    layout->addWidget(row.phase, 1);
    layout->addWidget(row.log);
    layout->addWidget(row.cancel);
    layout->addWidget(row.dismiss);
    row.running = true;
    connect(row.cancel, &QPushButton::clicked, this, [this, cluster, button = row.cancel] {
        button->setEnabled(false);
        button->setText(tr("Cancelling\u2026"));
        emit cancelRequested(cluster);
    });
    connect(row.log, &QPushButton::clicked, this,
            [this, cluster] { emit bootLogRequested(cluster); });
    connect(row.dismiss, &QPushButton::clicked, this, [this, cluster] { removeRow(cluster); });
    m_layout->addWidget(row.widget);
    m_rows[cluster] = row;
    show();
}

void OperationPanel::setPhase(const QString& cluster, const QString& phase) {
    const auto it = m_rows.find(cluster);
    if (it != m_rows.end() && it->second.running) {
        it->second.phase->setText(phase);
    }
}

void OperationPanel::finish(const QString& cluster, bool ok, const QString& message) {
    const auto it = m_rows.find(cluster);
    if (it == m_rows.end()) {
        return;
    }
    Row& row = it->second;
    row.running = false;
    row.bar->setRange(0, 1);
    row.bar->setValue(1);
    row.bar->hide();
    row.cancel->hide();
    row.dismiss->show();
    if (ok && message.isEmpty()) {
        removeRow(cluster);  // nothing worth keeping: the list shows the new state
        return;
    }
    row.phase->setText(ok ? message : tr("Failed: %1").arg(message));
    QPalette palette = row.phase->palette();
    if (!ok) {
        palette.setColor(QPalette::WindowText, QColor(0x8a, 0x1c, 0x14));
    }
    row.phase->setPalette(palette);
}

bool OperationPanel::isRunning(const QString& cluster) const {
    const auto it = m_rows.find(cluster);
    return it != m_rows.end() && it->second.running;
}

QString OperationPanel::text(const QString& cluster) const {
    const auto it = m_rows.find(cluster);
    return it == m_rows.end() ? QString() : it->second.phase->text();
}

void OperationPanel::removeRow(const QString& cluster) {
    const auto it = m_rows.find(cluster);
    if (it == m_rows.end()) {
        return;
    }
    it->second.widget->deleteLater();
    m_layout->removeWidget(it->second.widget);
    m_rows.erase(it);
    setVisible(!m_rows.empty());
}

}  // namespace slipway::gui
