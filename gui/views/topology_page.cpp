// SPDX-License-Identifier: Apache-2.0
#include "gui/views/topology_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/models/topology_model.h"
#include "gui/views/topology_view.h"

namespace slipway::gui {

namespace {

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void setRow(QTableWidget* table, int row, const QStringList& cells) {
    for (int column = 0; column < cells.size(); ++column) {
        table->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
}

}  // namespace

TopologyPage::TopologyPage(TopologyModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_view(new TopologyView(model, this)),
      m_namespaceBox(new QComboBox(this)),
      m_kindBox(new QComboBox(this)),
      m_labelEdit(new QLineEdit(this)),
      m_searchEdit(new QLineEdit(this)),
      m_filterError(new QLabel(this)),
      m_status(new QLabel(this)),
      m_detailsTitle(new QLabel(this)),
      m_logs(new QPushButton(tr("Lo&gs…"), this)),
      m_details(new QTabWidget(this)),
      m_yaml(new QPlainTextEdit(this)),
      m_conditions(makeTable(
          {tr("Type"), tr("Status"), tr("Reason"), tr("Message"), tr("Last transition")}, this)),
      m_events(makeTable({tr("Type"), tr("Reason"), tr("Age"), tr("From"), tr("Message")}, this)) {
    setObjectName(QStringLiteral("topologyPage"));
    setAccessibleName(tr("Topology"));
    setAccessibleDescription(
        tr("Live graph of the cluster's workloads, services, pods and nodes, with the selected "
           "object's details beside it."));
    m_view->setAccessibleName(tr("Topology graph"));
    m_conditions->setAccessibleName(tr("Conditions"));
    m_events->setAccessibleName(tr("Events"));

    m_namespaceBox->setAccessibleName(tr("Namespace"));
    m_namespaceBox->setMinimumContentsLength(14);
    m_kindBox->setAccessibleName(tr("Kind"));
    m_kindBox->addItem(tr("All kinds"));
    m_kindBox->addItem(tr("Workloads"), QStringLiteral("workloads"));
    for (VertexKind kind :
         {VertexKind::Deployment, VertexKind::ReplicaSet, VertexKind::StatefulSet,
          VertexKind::DaemonSet, VertexKind::Job, VertexKind::Service, VertexKind::Pod}) {
        m_kindBox->addItem(TopologyModel::kindName(kind), static_cast<int>(kind));
    }
    m_labelEdit->setPlaceholderText(tr("Label selector, e.g. app=web"));
    m_labelEdit->setAccessibleName(tr("Label selector"));
    m_labelEdit->setClearButtonEnabled(true);
    m_searchEdit->setPlaceholderText(tr("Search (Enter: next match)"));
    m_searchEdit->setAccessibleName(tr("Search"));
    m_searchEdit->setClearButtonEnabled(true);
    m_filterError->setObjectName(QStringLiteral("filterError"));
    m_filterError->setStyleSheet(QStringLiteral("color: #dc2626;"));
    m_filterError->hide();
    m_status->setObjectName(QStringLiteral("connectionStatus"));

    auto makeButton = [this](const QString& text, const QString& tip) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setAccessibleName(tip);
        button->setAutoRaise(true);
        return button;
    };
    QToolButton* zoomOut = makeButton(QStringLiteral("\u2212"), tr("Zoom out (-)"));
    QToolButton* zoomIn = makeButton(QStringLiteral("+"), tr("Zoom in (+)"));
    QToolButton* fit = makeButton(tr("Fit"), tr("Fit everything (0)"));
    connect(zoomOut, &QToolButton::clicked, m_view, &TopologyView::zoomOut);
    connect(zoomIn, &QToolButton::clicked, m_view, &TopologyView::zoomIn);
    connect(fit, &QToolButton::clicked, m_view, &TopologyView::zoomToFit);

    auto* filterBar = new QHBoxLayout;
    filterBar->addWidget(new QLabel(tr("Namespace:"), this));
    filterBar->addWidget(m_namespaceBox);
    filterBar->addWidget(m_kindBox);
    filterBar->addWidget(m_labelEdit, 2);
    filterBar->addWidget(m_searchEdit, 2);
    filterBar->addWidget(zoomOut);
    filterBar->addWidget(zoomIn);
    filterBar->addWidget(fit);
    filterBar->addWidget(m_status);

    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setFont(QFont(QStringLiteral("monospace")));
    m_yaml->setAccessibleName(tr("YAML"));
    m_details->addTab(m_yaml, tr("YAML"));
    m_details->addTab(m_conditions, tr("Conditions"));
    m_details->addTab(m_events, tr("Events"));
    m_detailsTitle->setWordWrap(true);
    m_detailsTitle->setTextFormat(Qt::PlainText);
    QFont titleFont = m_detailsTitle->font();
    titleFont.setBold(true);
    m_detailsTitle->setFont(titleFont);
    m_detailsTitle->setText(tr("Select an object to see its details."));

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 0, 0, 0);
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(m_detailsTitle, 1);
    titleRow->addWidget(m_logs, 0, Qt::AlignTop);
    sideLayout->addLayout(titleRow);
    sideLayout->addWidget(m_details, 1);
    m_logs->setEnabled(false);
    m_logs->setToolTip(
        tr("Follow the selected Pod's log, or those of every pod of the "
           "selected Deployment, in a Logs tab"));
    connect(m_logs, &QPushButton::clicked, this, [this] {
        const TopologyVertex* vertex = m_shownId.isEmpty() ? nullptr : m_model->vertex(m_shownId);
        if (vertex != nullptr) {
            emit logsRequested(vertex->nameSpace, vertex->name,
                               vertex->kind == VertexKind::Deployment);
        }
    });

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({900, 360});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filterBar);
    layout->addWidget(m_filterError);
    layout->addWidget(splitter, 1);

    updateNamespaceChoices();
    connect(m_model, &TopologyModel::namespacesChanged, this,
            &TopologyPage::updateNamespaceChoices);
    connect(m_model, &TopologyModel::topologyChanged, this, &TopologyPage::onTopologyChanged);
    connect(m_namespaceBox, &QComboBox::currentIndexChanged, this, &TopologyPage::applyFilter);
    connect(m_kindBox, &QComboBox::currentIndexChanged, this, &TopologyPage::applyFilter);
    connect(m_labelEdit, &QLineEdit::editingFinished, this, &TopologyPage::applyFilter);
    connect(m_searchEdit, &QLineEdit::textChanged, this, [this] { search(false); });
    connect(m_searchEdit, &QLineEdit::returnPressed, this, [this] { search(true); });
    connect(m_view, &TopologyView::vertexSelected, this, &TopologyPage::showDetails);
}

TopologyPage::~TopologyPage() = default;

QString TopologyPage::filterError() const {
    return m_filterError->isHidden() ? QString() : m_filterError->text();
}

void TopologyPage::setConnectionStatus(const QString& text, bool isError) {
    m_status->setText(text);
    m_status->setStyleSheet(isError ? QStringLiteral("color: #dc2626;") : QString());
}

void TopologyPage::updateNamespaceChoices() {
    const QString current = m_namespaceBox->currentData().toString();
    const QSignalBlocker blocker(m_namespaceBox);
    m_namespaceBox->clear();
    m_namespaceBox->addItem(tr("All namespaces"));
    for (const QString& name : m_model->allNamespaces()) {
        m_namespaceBox->addItem(name, name);
    }
    const int index = current.isEmpty() ? 0 : m_namespaceBox->findData(current);
    m_namespaceBox->setCurrentIndex(std::max(index, 0));
}

void TopologyPage::applyFilter() {
    TopologyFilter filter;
    if (const QString nameSpace = m_namespaceBox->currentData().toString(); !nameSpace.isEmpty()) {
        filter.namespaces = {nameSpace};
    }
    const QVariant kind = m_kindBox->currentData();
    if (kind.toString() == QLatin1String("workloads")) {
        filter.kinds = {VertexKind::Deployment, VertexKind::ReplicaSet, VertexKind::StatefulSet,
                        VertexKind::DaemonSet, VertexKind::Job};
    } else if (kind.isValid()) {
        filter.kinds = {static_cast<VertexKind>(kind.toInt())};
    }
    filter.labelSelector = m_labelEdit->text().trimmed();
    const QString error = m_model->setFilter(filter);
    if (error.isEmpty()) {
        m_filterError->hide();
        m_filterError->clear();
        m_view->zoomToFit();
        search(false);
    } else {
        m_filterError->setText(tr("Label selector: %1").arg(error));
        m_filterError->show();
    }
}

void TopologyPage::search(bool next) {
    const QString text = m_searchEdit->text();
    if (!next) {
        m_matches = m_model->search(text);
        m_matchIndex = -1;
        m_view->setHighlighted(m_matches);
    }
    if (next && !m_matches.isEmpty()) {
        m_matchIndex = static_cast<int>((m_matchIndex + 1) % m_matches.size());
        m_view->selectVertex(m_matches.at(m_matchIndex));
    }
}

void TopologyPage::onTopologyChanged(const TopologyDelta& delta) {
    if (!m_shownId.isEmpty() && delta.changed.contains(m_shownId)) {
        showDetails(m_shownId);
    }
    if (!m_searchEdit->text().isEmpty() && !delta.added.isEmpty()) {
        search(false);
    }
}

void TopologyPage::showDetails(const QString& id) {
    const TopologyVertex* vertex = id.isEmpty() ? nullptr : m_model->vertex(id);
    const bool sameObject = id == m_shownId;
    m_shownId = vertex != nullptr ? id : QString();
    m_logs->setEnabled(vertex != nullptr &&
                       (vertex->kind == VertexKind::Pod || vertex->kind == VertexKind::Deployment));
    if (vertex == nullptr) {
        m_detailsTitle->setText(tr("Select an object to see its details."));
        m_yaml->clear();
        m_conditions->setRowCount(0);
        m_events->setRowCount(0);
        return;
    }
    m_detailsTitle->setText(
        vertex->nameSpace.isEmpty()
            ? tr("%1 %2").arg(TopologyModel::kindName(vertex->kind), vertex->name)
            : tr("%1 %2 in %3")
                  .arg(TopologyModel::kindName(vertex->kind), vertex->name, vertex->nameSpace));
    const int scroll = m_yaml->verticalScrollBar()->value();
    m_yaml->setPlainText(vertex->object ? objectYaml(*vertex->object) : QString());
    if (sameObject) {
        m_yaml->verticalScrollBar()->setValue(scroll);  // a live update keeps the reader's place
    }
    const QList<ConditionRow> conditions =
        vertex->object ? conditionsOf(*vertex->object) : QList<ConditionRow>();
    m_conditions->setRowCount(static_cast<int>(conditions.size()));
    for (int row = 0; row < conditions.size(); ++row) {
        const ConditionRow& c = conditions[row];
        setRow(m_conditions, row, {c.type, c.status, c.reason, c.message, c.lastTransitionTime});
    }
    if (!sameObject) {
        m_events->setRowCount(0);
        m_eventsRequest = id;
        emit objectEventsRequested(id, TopologyModel::kindName(vertex->kind), vertex->nameSpace,
                                   vertex->name);
    }
}

void TopologyPage::setObjectEvents(const QString& requestId, const QList<EventRow>& events) {
    if (requestId != m_eventsRequest) {
        return;
    }
    m_events->setRowCount(static_cast<int>(events.size()));
    for (int row = 0; row < events.size(); ++row) {
        const EventRow& e = events[row];
        const QString reason =
            e.count > 1 ? tr("%1 (\u00d7%2)").arg(e.reason).arg(e.count) : e.reason;
        setRow(m_events, row, {e.type, reason, e.lastSeen, e.source, e.message});
    }
}

}  // namespace slipway::gui
