// SPDX-License-Identifier: Apache-2.0
#include "gui/views/events_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/models/event_model.h"

namespace slipway::gui {

namespace {

/// Warnings in the warning colour, so they stand out of a stream of Normal events.
class EventTypeDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(EventModel::TypeRole).toString() == QLatin1String("Warning") &&
            (index.column() == EventModel::TypeColumn ||
             index.column() == EventModel::ReasonColumn)) {
            option->palette.setColor(QPalette::Text, QColor(0xdc, 0x26, 0x26));
            option->font.setBold(true);
        }
    }
};

void fill(QComboBox* box, const QString& all, const QStringList& choices) {
    const QString current = box->currentData().toString();
    const QSignalBlocker blocker(box);
    box->clear();
    box->addItem(all);
    for (const QString& choice : choices) {
        box->addItem(choice, choice);
    }
    const int index = current.isEmpty() ? 0 : box->findData(current);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

}  // namespace

EventsPage::EventsPage(EventModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_filter(new EventFilterModel(this)),
      m_namespaceBox(new QComboBox(this)),
      m_kindBox(new QComboBox(this)),
      m_typeBox(new QComboBox(this)),
      m_searchEdit(new QLineEdit(this)),
      m_status(new QLabel(this)),
      m_table(new QTableView(this)),
      m_explanation(new QLabel(this)) {
    m_filter->setSourceModel(model);
    setAccessibleName(tr("Events"));
    setAccessibleDescription(
        tr("The cluster's events, newest first, with an explanation of the "
           "selected one."));
    m_explanation->setAccessibleName(tr("Explanation"));
    m_namespaceBox->setAccessibleName(tr("Namespace"));
    m_kindBox->setAccessibleName(tr("Kind"));
    m_typeBox->setAccessibleName(tr("Type"));
    m_typeBox->addItem(tr("All types"));
    m_typeBox->addItem(tr("Warnings"), QStringLiteral("Warning"));
    m_typeBox->addItem(tr("Normal"), QStringLiteral("Normal"));
    m_searchEdit->setPlaceholderText(tr("Filter by reason, message or object\u2026"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setAccessibleName(tr("Filter text"));

    auto* searchLabel = new QLabel(tr("Fil&ter:"), this);
    searchLabel->setBuddy(m_searchEdit);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_namespaceBox);
    bar->addWidget(m_kindBox);
    bar->addWidget(m_typeBox);
    bar->addWidget(searchLabel);
    bar->addWidget(m_searchEdit, 1);
    bar->addWidget(m_status);

    m_table->setModel(m_filter);
    m_table->setObjectName(QStringLiteral("events"));
    m_table->setAccessibleName(tr("Events"));
    m_table->setItemDelegate(new EventTypeDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    for (int column = 0; column < EventModel::kColumnCount; ++column) {
        header->setSectionResizeMode(column, column == EventModel::MessageColumn
                                                 ? QHeaderView::Stretch
                                                 : QHeaderView::ResizeToContents);
    }

    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::RichText);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanation->setMinimumHeight(m_explanation->fontMetrics().height() * 4);
    m_explanation->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_explanation->setFrameShape(QFrame::StyledPanel);
    m_explanation->setMargin(8);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_explanation);

    connect(m_namespaceBox, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setNamespaceFilter(m_namespaceBox->currentData().toString()); });
    connect(m_kindBox, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setKindFilter(m_kindBox->currentData().toString()); });
    connect(m_typeBox, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setTypeFilter(m_typeBox->currentData().toString()); });
    connect(m_searchEdit, &QLineEdit::textChanged, m_filter, &EventFilterModel::setTextFilter);
    connect(model, &EventModel::choicesChanged, this, &EventsPage::updateChoices);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventsPage::showSelected);
    connect(m_filter, &QAbstractItemModel::dataChanged, this, &EventsPage::showSelected);
    updateChoices();
    showSelected();
}

void EventsPage::setConnectionStatus(const QString& text, bool isError) {
    m_status->setText(text);
    m_status->setStyleSheet(isError ? QStringLiteral("color: #dc2626;") : QString());
}

void EventsPage::updateChoices() {
    fill(m_namespaceBox, tr("All namespaces"), m_model->namespaces());
    fill(m_kindBox, tr("All kinds"), m_model->kinds());
}

void EventsPage::showSelected() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_explanation->setText(tr("Select an event to see what it means."));
        return;
    }
    auto at = [&current](int column) { return current.siblingAtColumn(column).data().toString(); };
    const QString explanation = current.data(EventModel::ExplanationRole).toString();
    m_explanation->setText(tr("<b>%1</b> on %2: %3")
                               .arg(at(EventModel::ReasonColumn).toHtmlEscaped(),
                                    at(EventModel::ObjectColumn).toHtmlEscaped(),
                                    at(EventModel::MessageColumn).toHtmlEscaped()) +
                           QStringLiteral("<br/>") +
                           (explanation.isEmpty() ? tr("<i>No explanation for this reason yet.</i>")
                                                  : explanation.toHtmlEscaped()));
}

}  // namespace slipway::gui
