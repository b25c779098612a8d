// SPDX-License-Identifier: Apache-2.0
#include "gui/views/rollout_page.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/models/rollout_model.h"
#include "gui/views/rollout_pods_view.h"
#include "gui/views/rollout_timeline_chart.h"

namespace slipway::gui {

RolloutPage::RolloutPage(RolloutModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_deploymentBox(new QComboBox(this)),
      m_status(new QLabel(this)),
      m_state(new QLabel(this)),
      m_stuck(new QLabel(this)),
      m_strategy(new QLabel(this)),
      m_revisions(new QTableView(this)),
      m_pods(new RolloutPodsView(model, this)),
      m_chart(new RolloutTimelineChart(model, this)),
      m_setImage(new QPushButton(tr("Set &image\u2026"), this)),
      m_scale(new QPushButton(tr("&Scale\u2026"), this)),
      m_pause(new QPushButton(tr("&Pause"), this)),
      m_resume(new QPushButton(tr("Resu&me"), this)),
      m_restart(new QPushButton(tr("R&estart"), this)),
      m_undo(new QPushButton(tr("&Undo to revision\u2026"), this)),
      m_message(new QLabel(this)) {
    auto* chooserLabel = new QLabel(tr("&Deployment:"), this);
    chooserLabel->setBuddy(m_deploymentBox);
    m_deploymentBox->setObjectName(QStringLiteral("deploymentBox"));
    setAccessibleName(tr("Rollouts"));
    setAccessibleDescription(
        tr("Revision history, pods and replica timeline of a Deployment, with its rollout "
           "commands."));
    m_deploymentBox->setMinimumContentsLength(24);
    m_deploymentBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto* top = new QHBoxLayout;
    top->addWidget(chooserLabel);
    top->addWidget(m_deploymentBox);
    top->addStretch();
    top->addWidget(m_status);

    QFont bold = m_state->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_state->setFont(bold);
    m_state->setObjectName(QStringLiteral("rolloutState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stuck->setObjectName(QStringLiteral("stuckReason"));
    m_stuck->setWordWrap(true);
    m_stuck->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stuck->setStyleSheet(QStringLiteral("color: #dc2626;"));
    m_strategy->setObjectName(QStringLiteral("strategy"));
    m_strategy->setWordWrap(true);
    m_strategy->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_revisions->setModel(model);
    m_revisions->setObjectName(QStringLiteral("revisions"));
    m_revisions->setAccessibleName(tr("Revision history"));
    m_revisions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_revisions->setSelectionMode(QAbstractItemView::SingleSelection);
    m_revisions->setAlternatingRowColors(true);
    m_revisions->verticalHeader()->hide();
    m_revisions->horizontalHeader()->setStretchLastSection(true);
    m_revisions->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_revisions->setTabKeyNavigation(false);

    auto* history = new QGroupBox(tr("Revision history"), this);
    auto* historyLayout = new QVBoxLayout(history);
    historyLayout->addWidget(m_revisions);
    auto* podsBox = new QGroupBox(tr("Pods of each revision"), this);
    auto* podsLayout = new QVBoxLayout(podsBox);
    podsLayout->addWidget(m_pods);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(history, 1);
    leftLayout->addWidget(podsBox, 1);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({600, 900});

    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_setImage, m_scale, m_pause, m_resume, m_restart, m_undo}) {
        buttons->addWidget(button);
    }
    buttons->addStretch();
    m_message->setObjectName(QStringLiteral("commandMessage"));
    m_message->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_state);
    layout->addWidget(m_stuck);
    layout->addWidget(m_strategy);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    setTabOrder(m_deploymentBox, m_setImage);
    setTabOrder(m_setImage, m_scale);
    setTabOrder(m_scale, m_pause);
    setTabOrder(m_pause, m_resume);
    setTabOrder(m_resume, m_restart);
    setTabOrder(m_restart, m_undo);
    setTabOrder(m_undo, m_revisions);

    connect(m_deploymentBox, &QComboBox::currentIndexChanged, this, &RolloutPage::chooseDeployment);
    connect(model, &RolloutModel::deploymentsChanged, this, &RolloutPage::updateDeploymentChoices);
    connect(model, &RolloutModel::changed, this, &RolloutPage::updateState);
    connect(model, &RolloutModel::commandMessage, this,
            [this](const QString& message, bool failed) {
                m_message->setText(message);
                m_message->setStyleSheet(failed ? QStringLiteral("color: #dc2626;") : QString());
            });
    connect(m_revisions->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RolloutPage::updateState);
    connect(m_setImage, &QPushButton::clicked, this, &RolloutPage::setImage);
    connect(m_scale, &QPushButton::clicked, this, &RolloutPage::scale);
    connect(m_pause, &QPushButton::clicked, model, &RolloutModel::pause);
    connect(m_resume, &QPushButton::clicked, model, &RolloutModel::resume);
    connect(m_restart, &QPushButton::clicked, model, &RolloutModel::restart);
    connect(m_undo, &QPushButton::clicked, this, &RolloutPage::undo);
    updateDeploymentChoices();
    updateState();
}

void RolloutPage::setConnectionStatus(const QString& text, bool isError) {
    m_status->setText(text);
    m_status->setStyleSheet(isError ? QStringLiteral("color: #dc2626;") : QString());
}

void RolloutPage::updateDeploymentChoices() {
    const QString current = m_deploymentBox->currentText();
    {
        const QSignalBlocker blocker(m_deploymentBox);
        m_deploymentBox->clear();
        m_deploymentBox->addItems(m_model->deployments());
        const int index = m_deploymentBox->findText(current);
        m_deploymentBox->setCurrentIndex(index >= 0 ? index : 0);
    }
    if (m_deploymentBox->currentText() != current || m_model->name().isEmpty()) {
        chooseDeployment();
    }
}

void RolloutPage::chooseDeployment() {
    const QString key = m_deploymentBox->currentText();
    const qsizetype slash = key.indexOf(QLatin1Char('/'));
    if (slash < 0) {
        return;
    }
    const QString nameSpace = key.left(slash);
    const QString name = key.mid(slash + 1);
    if (nameSpace != m_model->nameSpace() || name != m_model->name()) {
        m_model->setDeployment(nameSpace, name);
        m_message->clear();
    }
}

long long RolloutPage::selectedRevision() const {
    const QModelIndex current = m_revisions->currentIndex();
    if (current.isValid()) {
        return m_model->index(current.row(), 0).data(Qt::UserRole).toLongLong();
    }
    // kubectl rollout undo's default: the revision before the current one.
    for (const RolloutRevision& r : m_model->revisions()) {
        if (!r.isNew) {
            return r.revision;
        }
    }
    return 0;
}

void RolloutPage::updateState() {
    const bool found = m_model->state() != RolloutModel::State::NotFound;
    m_state->setText(m_model->statusText());
    QString color;
    switch (m_model->state()) {
        case RolloutModel::State::Stuck:
            color = QStringLiteral("color: #dc2626;");
            break;
        case RolloutModel::State::Complete:
            color = QStringLiteral("color: #16a34a;");
            break;
        case RolloutModel::State::Paused:
            color = QStringLiteral("color: #d97706;");
            break;
        default:
            break;
    }
    m_state->setStyleSheet(color);
    m_stuck->setText(m_model->stuckReason());
    m_stuck->setVisible(!m_model->stuckReason().isEmpty());
    m_strategy->setText(m_model->strategyText());
    m_setImage->setEnabled(found);
    m_scale->setEnabled(found);
    m_pause->setEnabled(found && !m_model->paused());
    m_resume->setEnabled(found && m_model->paused());
    m_restart->setEnabled(found && !m_model->paused());
    const long long revision = selectedRevision();
    m_undo->setEnabled(found && revision > 0 && revision != m_model->currentRevision());
    m_undo->setText(revision > 0 ? tr("&Undo to revision %1").arg(revision)
                                 : tr("&Undo to revision\u2026"));
}

void RolloutPage::setImage() {
    const QStringList containers = m_model->containerNames();
    if (containers.isEmpty()) {
        return;
    }
    bool ok = true;
    QString container = containers.constFirst();
    if (containers.size() > 1) {
        container = QInputDialog::getItem(this, tr("Set Image"), tr("Container:"), containers, 0,
                                          false, &ok);
        if (!ok) {
            return;
        }
    }
    const QString current = m_model->containerImages().value(containers.indexOf(container));
    const QString image = QInputDialog::getText(this, tr("Set Image"),
                                                tr("New image for container %1:").arg(container),
                                                QLineEdit::Normal, current, &ok);
    if (ok && image != current) {
        m_model->setImage(container, image);
    }
}

void RolloutPage::scale() {
    bool ok = false;
    const int replicas = QInputDialog::getInt(this, tr("Scale"), tr("Replicas:"),
                                              m_model->specReplicas(), 0, 10000, 1, &ok);
    if (ok) {
        m_model->scale(replicas);
    }
}

void RolloutPage::undo() {
    const long long revision = selectedRevision();
    if (revision > 0) {
        m_model->undoTo(revision);
    }
}

}  // namespace slipway::gui
