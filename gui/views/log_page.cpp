// SPDX-License-Identifier: Apache-2.0
#include "gui/views/log_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "gui/models/log_model.h"

namespace slipway::gui {

LogPage::LogPage(LogModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_kindBox(new QComboBox(this)),
      m_targetBox(new QComboBox(this)),
      m_follow(new QPushButton(tr("F&ollow"), this)),
      m_clear(new QPushButton(tr("Cl&ear"), this)),
      m_autoScroll(new QCheckBox(tr("Scroll to &new lines"), this)),
      m_status(new QLabel(this)),
      m_lines(new QListView(this)) {
    m_kindBox->addItem(tr("Deployment"), true);
    m_kindBox->addItem(tr("Pod"), false);
    m_kindBox->setAccessibleName(tr("Follow the log of a"));
    m_targetBox->setAccessibleName(tr("Pod or Deployment"));
    m_targetBox->setMinimumContentsLength(30);
    m_targetBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_autoScroll->setChecked(true);
    setAccessibleName(tr("Logs"));
    setAccessibleDescription(tr("Follows the log of a pod or of all pods of a Deployment."));
    auto* label = new QLabel(tr("&Log of:"), this);
    label->setBuddy(m_kindBox);
    auto* bar = new QHBoxLayout;
    bar->addWidget(label);
    bar->addWidget(m_kindBox);
    bar->addWidget(m_targetBox);
    bar->addWidget(m_follow);
    bar->addWidget(m_clear);
    bar->addWidget(m_autoScroll);
    bar->addStretch();
    bar->addWidget(m_status);

    m_lines->setModel(model);
    m_lines->setObjectName(QStringLiteral("logLines"));
    m_lines->setAccessibleName(tr("Log lines"));
    m_lines->setUniformItemSizes(true);
    m_lines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_lines->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_lines->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_lines, 1);

    connect(m_kindBox, &QComboBox::currentIndexChanged, this, &LogPage::updateTargets);
    connect(model, &LogModel::targetsChanged, this, &LogPage::updateTargets);
    connect(m_follow, &QPushButton::clicked, this, &LogPage::follow);
    connect(m_targetBox, &QComboBox::activated, this, &LogPage::follow);
    connect(m_clear, &QPushButton::clicked, model, &LogModel::clear);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_autoScroll->isChecked()) {
            m_lines->scrollToBottom();
        }
    });
    updateTargets();
}

void LogPage::setConnectionStatus(const QString& text, bool isError) {
    m_status->setText(text);
    m_status->setStyleSheet(isError ? QStringLiteral("color: #dc2626;") : QString());
}

void LogPage::updateTargets() {
    const bool deployments = m_kindBox->currentData().toBool();
    const QString current = m_targetBox->currentText();
    const QSignalBlocker blocker(m_targetBox);
    m_targetBox->clear();
    m_targetBox->addItems(deployments ? m_model->deployments() : m_model->pods());
    const int index = m_targetBox->findText(current);
    m_targetBox->setCurrentIndex(index >= 0 ? index : 0);
}

void LogPage::followTarget(const QString& nameSpace, const QString& name, bool deployment) {
    const int kind = m_kindBox->findData(deployment);
    if (kind >= 0) {
        m_kindBox->setCurrentIndex(kind);
    }
    const QString key = nameSpace + QLatin1Char('/') + name;
    if (m_targetBox->findText(key) < 0) {
        m_targetBox->addItem(key);  // listed before the cluster's pods arrive
    }
    m_targetBox->setCurrentText(key);
    follow();
}

void LogPage::follow() {
    const QString key = m_targetBox->currentText();
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    if (slash < 0) {
        return;
    }
    m_model->follow(key.left(slash), key.mid(slash + 1), m_kindBox->currentData().toBool());
    m_status->setText(tr("Following %1").arg(key));
    m_status->setStyleSheet(QString());
}

}  // namespace slipway::gui
