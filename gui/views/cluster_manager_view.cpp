// SPDX-License-Identifier: Apache-2.0
#include "gui/views/cluster_manager_view.h"

#include <algorithm>

#include <QAbstractItemModel>
#include <QApplication>
#include <QClipboard>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStringList>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/models/cluster_list_model.h"
#include "gui/views/cluster_table_delegate.h"
#include "gui/views/operation_panel.h"

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
      m_emptyState(new QLabel(m_pages)),
      m_operations(new OperationPanel(this)) {
    auto* title = new QLabel(tr("Clusters"), this);
    title->setObjectName(QStringLiteral("clustersTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch();
    QPushButton* create = addAction(QStringLiteral("create"), tr("Create Cluster…"),
                                    tr("Create a cluster with the wizard"));
    create->setDefault(true);
    header->addWidget(create);

    auto* actions = new QHBoxLayout;
    actions->setSpacing(6);
    for (QPushButton* button :
         {addAction(QStringLiteral("start"), tr("Start"), tr("Start the selected cluster")),
          addAction(QStringLiteral("stop"), tr("Stop"),
                    tr("Shut the selected cluster down (its data is kept)")),
          addAction(QStringLiteral("pause"), tr("Pause"),
                    tr("Freeze the selected cluster where it is; Resume lets it go on")),
          addAction(QStringLiteral("resume"), tr("Resume"), tr("Let the paused cluster run")),
          addAction(QStringLiteral("delete"), tr("Delete…"),
                    tr("Stop the selected cluster and delete it with all its data"))}) {
        actions->addWidget(button);
    }
    actions->addSpacing(12);
    actions->addWidget(
        addAction(QStringLiteral("copyKubeconfig"), tr("Copy Kubeconfig"),
                  tr("Copy an export KUBECONFIG=… line for the selected cluster: paste it into a "
                     "terminal and kubectl uses that cluster")));
    actions->addWidget(addAction(QStringLiteral("openTerminal"), tr("Open Terminal Here"),
                                 tr("Open a terminal in the cluster's folder with KUBECONFIG "
                                    "set to its kubeconfig")));
    actions->addStretch();

    connect(m_actions[QStringLiteral("create")], &QPushButton::clicked, this,
            &ClusterManagerView::createRequested);
    const auto onSelected = [this](const QString& action, auto signal) {
        connect(m_actions[action], &QPushButton::clicked, this, [this, signal] {
            const QString name = selectedCluster();
            if (!name.isEmpty()) {
                emit(this->*signal)(name);
            }
        });
    };
    onSelected(QStringLiteral("start"), &ClusterManagerView::startRequested);
    onSelected(QStringLiteral("stop"), &ClusterManagerView::stopRequested);
    onSelected(QStringLiteral("pause"), &ClusterManagerView::pauseRequested);
    onSelected(QStringLiteral("resume"), &ClusterManagerView::resumeRequested);
    connect(m_actions[QStringLiteral("delete")], &QPushButton::clicked, this, [this] {
        const QString name = selectedCluster();
        if (!name.isEmpty() && m_confirmDelete(this, name)) {
            emit deleteRequested(name);
        }
    });
    connect(m_actions[QStringLiteral("copyKubeconfig")], &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        const QString path = current.data(ClusterListModel::KubeconfigPathRole).toString();
        if (path.isEmpty()) {
            return;
        }
        QApplication::clipboard()->setText(kubeconfigExportLine(path));
        emit statusMessage(tr("Copied \"%1\": paste it into a terminal to use %2 with kubectl")
                               .arg(kubeconfigExportLine(path), selectedCluster()));
    });
    connect(m_actions[QStringLiteral("openTerminal")], &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        const QString path = current.data(ClusterListModel::KubeconfigPathRole).toString();
        if (!path.isEmpty()) {
            emit openTerminalRequested(selectedCluster(), path);
        }
    });
    m_confirmDelete = [](QWidget* owner, const QString& cluster) {
        QMessageBox box(QMessageBox::Warning, tr("Delete Cluster"),
                        tr("Delete the cluster \"%1\"?").arg(cluster), QMessageBox::Cancel, owner);
        box.setInformativeText(
            tr("Its machines are stopped and its folder, with every object "
               "and volume in it, is removed. This cannot be undone."));
        QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        return box.clickedButton() == remove;
    };

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
    layout->addLayout(actions);
    layout->addWidget(m_operations);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_pages, 1);

    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::layoutChanged, this,
            &ClusterManagerView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ClusterManagerView::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ClusterManagerView::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ClusterManagerView::updateActions);
    updateEmptyState();
    updateActions();
}

QPushButton* ClusterManagerView::addAction(const QString& name, const QString& text,
                                           const QString& toolTip) {
    auto* button = new QPushButton(text, this);
    button->setObjectName(name + QStringLiteral("Button"));
    button->setToolTip(toolTip);
    m_actions[name] = button;
    return button;
}

QPushButton* ClusterManagerView::actionButton(const QString& name) const {
    const auto it = m_actions.find(name);
    return it == m_actions.end() ? nullptr : it->second;
}

QString ClusterManagerView::selectedCluster() const {
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(ClusterListModel::NameRole).toString() : QString();
}

void ClusterManagerView::selectCluster(const QString& name) {
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        if (index.data(ClusterListModel::NameRole).toString() == name) {
            m_table->setCurrentIndex(index);
            m_table->selectRow(row);
            return;
        }
    }
}

QString ClusterManagerView::kubeconfigExportLine(const QString& kubeconfigPath) {
    // Single quotes keep every character but the quote itself, which becomes '\''.
    QString quoted = kubeconfigPath;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QStringLiteral("export KUBECONFIG='%1'").arg(quoted);
}

void ClusterManagerView::setDeleteConfirmation(Confirmation confirmation) {
    m_confirmDelete = std::move(confirmation);
}

void ClusterManagerView::setBusyClusters(const QStringList& clusters) {
    m_busy = clusters;
    updateActions();
}

void ClusterManagerView::updateActions() {
    const QModelIndex current = m_table->currentIndex();
    const QString name = selectedCluster();
    const bool selected = current.isValid() && !m_busy.contains(name);
    const auto state = current.data(ClusterListModel::StateRole).value<vm::ClusterState>();
    const bool hasKubeconfig =
        !current.data(ClusterListModel::KubeconfigPathRole).toString().isEmpty();
    const auto enable = [this](const char* action, bool on) {
        m_actions[QString::fromLatin1(action)]->setEnabled(on);
    };
    enable("start",
           selected && (state == vm::ClusterState::Stopped || state == vm::ClusterState::Error));
    enable("stop", selected && state != vm::ClusterState::Stopped);
    enable("pause",
           selected && (state == vm::ClusterState::Running || state == vm::ClusterState::Starting));
    enable("resume", selected && state == vm::ClusterState::Paused);
    enable("delete", selected);
    enable("copyKubeconfig", current.isValid() && hasKubeconfig);
    enable("openTerminal", current.isValid() && hasKubeconfig);
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
