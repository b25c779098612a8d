// SPDX-License-Identifier: Apache-2.0
#include "gui/views/cluster_manager_view.h"

#include <algorithm>

#include <QAbstractItemModel>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QStringList>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/models/cluster_list_model.h"
#include "gui/views/cluster_table_delegate.h"

namespace slipway::gui {

namespace {

constexpr int kTablePage = 0;
constexpr int kEmptyPage = 1;
/// The margin the style keeps between a cell's edge and its text (PM_FocusFrameHMargin + 1 in
/// Fusion and most others): header titles get it too, so they line up with the values.
constexpr int kTextMargin = 3;

}  // namespace

ClusterManagerView::ClusterManagerView(QAbstractItemModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_errorBanner(new QLabel(this)),
      m_pages(new QStackedWidget(this)),
      m_table(new QTableView(m_pages)),
      m_emptyState(new QLabel(m_pages)) {
    auto* title = new QLabel(tr("Clusters"), this);
    title->setObjectName(QStringLiteral("clustersTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch();

    m_errorBanner->setObjectName(QStringLiteral("errorBanner"));
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setStyleSheet(QStringLiteral(
        "QLabel#errorBanner { background: #fdecea; color: #8a1c14; border: 1px solid #f5c2c0;"
        " border-radius: 4px; padding: 8px; }"));
    m_errorBanner->hide();

    m_table->setObjectName(QStringLiteral("clusterTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ClusterTableDelegate(ClusterListModel::StateColumn, m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 16);
    // Taller rows, and a flat header whose titles line up with the padded cells below them:
    // a list of a few clusters reads better with air between the columns.
    m_table->setStyleSheet(
        QStringLiteral("QTableView#clusterTable { border: 1px solid palette(mid); }"
                       "QHeaderView::section { padding: 6px %1px; border: none;"
                       " border-bottom: 1px solid palette(mid); background: palette(window);"
                       " font-weight: 600; }")
            .arg(ClusterTableDelegate::kHorizontalPadding + kTextMargin));

    sizeColumns();

    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextFormat(Qt::RichText);
    //: Shown instead of the cluster table when there are no clusters. %1 is a shell command.
    //: "Create cluster" names a button that arrives with the cluster wizard.
    m_emptyState->setText(tr("No clusters yet \u2014 run %1 or use Create cluster")
                              .arg(QStringLiteral("<code>slipway start</code>")));
    QPalette hintPalette = m_emptyState->palette();
    hintPalette.setColor(QPalette::WindowText, hintPalette.color(QPalette::PlaceholderText));
    m_emptyState->setPalette(hintPalette);

    m_pages->insertWidget(kTablePage, m_table);
    m_pages->insertWidget(kEmptyPage, m_emptyState);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 8);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_pages, 1);

    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::layoutChanged, this,
            &ClusterManagerView::updateEmptyState);
    updateEmptyState();
}

ClusterManagerView::~ClusterManagerView() = default;

bool ClusterManagerView::isShowingEmptyState() const {
    return m_pages->currentIndex() == kEmptyPage;
}

void ClusterManagerView::setErrorMessage(const QString& message) {
    m_errorBanner->setText(message);
    m_errorBanner->setVisible(!message.isEmpty());
    updateEmptyState();
}

void ClusterManagerView::updateEmptyState() {
    // "No clusters yet" would be a guess while the listing fails: then the banner speaks.
    const bool empty = m_model->rowCount() == 0 && m_errorBanner->text().isEmpty();
    m_pages->setCurrentIndex(empty ? kEmptyPage : kTablePage);
}

void ClusterManagerView::sizeColumns() {
    // Widths fit the widest value a column usually holds (or its translated title), so that
    // nothing is clipped in any language; the name takes what is left.
    QHeaderView* header = m_table->horizontalHeader();
    const QFontMetrics cellMetrics(m_table->font());
    QFont headerFont = header->font();
    headerFont.setWeight(QFont::DemiBold);  // as the style sheet draws titles
    const QFontMetrics headerMetrics(headerFont);
    const int padding = 2 * (ClusterTableDelegate::kHorizontalPadding + kTextMargin) + 8;
    const int dotWidth = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_table);

    const auto fit = [&](int column, const QStringList& samples, int extra = 0) {
        int width =
            headerMetrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString());
        for (const QString& sample : samples) {
            width = std::max(width, cellMetrics.horizontalAdvance(sample) + extra);
        }
        header->setSectionResizeMode(column, QHeaderView::Interactive);
        header->resizeSection(column, width + padding);
    };

    QStringList states;
    for (const auto state :
         {vm::ClusterState::Stopped, vm::ClusterState::Starting, vm::ClusterState::Running,
          vm::ClusterState::Paused, vm::ClusterState::Error}) {
        states << ClusterListModel::stateText(state);
    }
    fit(ClusterListModel::StateColumn, states, dotWidth + 8);
    fit(ClusterListModel::DriverColumn, {QStringLiteral("libvirt")});
    fit(ClusterListModel::CpusColumn, {QStringLiteral("64")});
    fit(ClusterListModel::MemoryColumn, {ClusterListModel::formatMemory(65536 + 512)});
    fit(ClusterListModel::NodesColumn, {QStringLiteral("16")});
    fit(ClusterListModel::ApiAddressColumn, {QStringLiteral("https://127.0.0.1:65535")});
    fit(ClusterListModel::AgeColumn, {QStringLiteral("7d23h"), QStringLiteral("9m59s")});
    header->setMinimumSectionSize(headerMetrics.horizontalAdvance(QStringLiteral("MMMM")));
    header->setSectionResizeMode(ClusterListModel::NameColumn, QHeaderView::Stretch);
    header->setStretchLastSection(false);
}

}  // namespace slipway::gui
