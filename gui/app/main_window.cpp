// SPDX-License-Identifier: Apache-2.0
#include "gui/app/main_window.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>

#include "gui/app/cluster_actions.h"
#include "gui/app/editor_tabs.h"
#include "gui/models/cluster_list_model.h"
#include "gui/models/event_model.h"
#include "gui/models/log_model.h"
#include "gui/models/object_details.h"
#include "gui/models/rollout_model.h"
#include "gui/models/topology_model.h"
#include "gui/services/cluster_connection.h"
#include "gui/services/cluster_service.h"
#include "gui/services/event_stream.h"
#include "gui/services/kubeconfig_contexts.h"
#include "gui/services/log_streams.h"
#include "gui/services/rollout_service.h"
#include "gui/views/cluster_manager_view.h"
#include "gui/views/events_page.h"
#include "gui/views/log_page.h"
#include "gui/views/rollout_page.h"
#include "gui/views/topology_page.h"
#include "gui/views/topology_view.h"

namespace slipway::gui {

MainWindow::MainWindow(vm::ClusterManagerOptions options, QWidget* parent)
    : QMainWindow(parent),
      m_clusterService(new ClusterService(std::move(options), this)),
      m_clusterModel(new ClusterListModel(this)),
      m_clusterView(new ClusterManagerView(m_clusterModel, this)),
      m_clusterActions(new ClusterActions(m_clusterService, m_clusterModel, m_clusterView, this)),
      m_kubeconfigContexts(new KubeconfigContexts(this)),
      m_tabs(new QTabWidget(this)),
      m_editors(new EditorTabs(m_tabs, this)),
      m_clusterCount(new QLabel(this)) {
    setWindowTitle(tr("Slipway Studio"));
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->addTab(m_clusterView, tr("Clusters"));
    m_clusterView->setAccessibleName(tr("Clusters"));
    m_clusterView->setAccessibleDescription(tr("Slipway's clusters on this computer"));
    m_clusterView->tableView()->setAccessibleName(tr("Clusters"));
    m_clusterView->tableView()->setTabKeyNavigation(false);          // Tab leaves it; arrows move
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);  // always there
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (index > 0) {
            QWidget* page = m_tabs->widget(index);
            m_editors->closeTab(page, [this, page] {  // an editor asks about unsaved changes
                m_tabs->removeTab(m_tabs->indexOf(page));
                page->deleteLater();
            });
        }
    });
    setCentralWidget(m_tabs);
    resize(1100, 650);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* connectContext = fileMenu->addAction(
        tr("&Connect to Kubeconfig Context\u2026"), this,
        [this] { m_kubeconfigContexts->list(KubeconfigContexts::defaultPath()); });
    connectContext->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    connect(m_kubeconfigContexts, &KubeconfigContexts::listed, this,
            &MainWindow::chooseKubeconfigContext);
    connect(m_kubeconfigContexts, &KubeconfigContexts::failed, this,
            [this](const QString& path, const QString& message) {
                QMessageBox::warning(this, tr("Connect to Kubeconfig Context"),
                                     tr("Could not read %1: %2").arg(path, message));
            });
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&New Manifest"), QKeySequence::New, m_editors,
                        [this] { m_editors->open(); });
    fileMenu->addAction(tr("&Open Manifest\u2026"), QKeySequence::Open, m_editors,
                        [this] { m_editors->openWithDialog(this); });
    QMenu* recent = fileMenu->addMenu(tr("Open &Recent Manifest"));
    connect(recent, &QMenu::aboutToShow, m_editors,
            [this, recent] { m_editors->fillRecentMenu(recent); });
    fileMenu->addSeparator();
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* clusterMenu = menuBar()->addMenu(tr("&Cluster"));
    clusterMenu->addAction(tr("&Create Cluster\u2026"),
                           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this,
                           [this] { m_clusterActions->openWizard(); });
    clusterMenu->addSeparator();
    QAction* topology = clusterMenu->addAction(tr("Open &Topology"), this,
                                               &MainWindow::openSelectedClusterTopology);
    topology->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_clusterView->tableView(), &QTableView::doubleClicked, this,
            &MainWindow::openSelectedClusterTopology);
    QAction* rollouts = clusterMenu->addAction(tr("Open &Rollouts"), this, [this] {
        ConnectionTarget target;
        if (selectedClusterTarget(target)) {
            openRollouts(target);
        }
    });
    rollouts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    QAction* events = clusterMenu->addAction(tr("Open &Events"), this, [this] {
        ConnectionTarget target;
        if (selectedClusterTarget(target)) {
            openEvents(target);
        }
    });
    events->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* logs = clusterMenu->addAction(tr("Open &Logs"), this, [this] {
        ConnectionTarget target;
        if (selectedClusterTarget(target)) {
            openLogs(target);
        }
    });
    logs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* about = helpMenu->addAction(tr("&About Slipway Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction* aboutQt = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);

    m_clusterCount->setObjectName(QStringLiteral("clusterCount"));
    m_clusterCount->setText(tr("Looking for clusters\u2026"));
    m_clusterCount->setToolTip(m_clusterService->clustersRoot());
    m_clusterCount->setContentsMargins(8, 2, 8, 2);
    statusBar()->addWidget(m_clusterCount);

    connect(m_clusterService, &ClusterService::clustersChanged, this,
            [this](const std::vector<vm::ClusterStatus>& clusters) {
                m_clusterModel->setClusters(clusters);
                m_editors->setClusters(clusters);
                m_clusterView->setErrorMessage({});
                m_listedOnce = true;
                updateClusterCount();
                emit clustersRefreshed();
            });
    connect(m_clusterService, &ClusterService::errorOccurred, this, [this](const QString& message) {
        m_clusterView->setErrorMessage(tr("Could not list clusters: %1").arg(message));
        if (!m_listedOnce) {
            m_clusterCount->clear();  // "Looking for clusters…" is over; the banner says why
        }
        emit clustersRefreshed();
    });
    m_clusterService->setActive(true);
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_editors->mayCloseWindow([this] { close(); })) {
        event->accept();
    } else {
        event->ignore();
    }
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Slipway Studio"),
                       tr("<h3>Slipway Studio %1</h3>"
                          "<p>Local Kubernetes-style clusters with a click.</p>"
                          "<p>Clusters are kept in %2.</p>")
                           .arg(QApplication::applicationVersion(),
                                m_clusterService->clustersRoot().toHtmlEscaped()));
}

TopologyPage* MainWindow::openTopology(const ConnectionTarget& target) {
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto* existing = qobject_cast<TopologyPage*>(m_tabs->widget(i));
        if (existing != nullptr &&
            existing->property("kubeconfigPath").toString() == target.kubeconfigPath &&
            existing->property("context").toString() == target.context) {
            m_tabs->setCurrentIndex(i);
            return existing;
        }
    }
    // The tab owns its model and connection; the view is destroyed before the model it shows.
    auto* model = new TopologyModel;
    auto* page = new TopologyPage(model, m_tabs);
    model->setParent(page);
    auto* connection = new ClusterConnection(target, page);
    page->setProperty("kubeconfigPath", target.kubeconfigPath);
    page->setProperty("context", target.context);
    page->setConnectionStatus(tr("Connecting\u2026"), false);
    connect(connection, &ClusterConnection::eventsReceived, model, &TopologyModel::applyEvents);
    connect(connection, &ClusterConnection::synced, page, [this, page] {
        page->setConnectionStatus(tr("Live"), false);
        page->view()->zoomToFit();  // the first batches may have held only part of the cluster
        emit topologyReady(page);
    });
    connect(connection, &ClusterConnection::errorOccurred, page, [page](const QString& message) {
        page->setConnectionStatus(tr("Error: %1").arg(message), true);
    });
    connect(page, &TopologyPage::objectEventsRequested, connection,
            &ClusterConnection::fetchObjectEvents);
    connect(connection, &ClusterConnection::objectEventsFetched, page,
            [page](const QString& requestId, const std::vector<nlohmann::json>& events) {
                page->setObjectEvents(requestId, eventRowsOf(events));
            });
    connect(page, &TopologyPage::logsRequested, this,
            [this, target](const QString& nameSpace, const QString& name, bool deployment) {
                openLogs(target)->followTarget(nameSpace, name, deployment);
            });
    const QString title = target.displayName.isEmpty() ? target.context : target.displayName;
    m_tabs->setCurrentIndex(m_tabs->addTab(page, tr("Topology: %1").arg(title)));
    connection->start();
    return page;
}

bool MainWindow::selectedClusterTarget(ConnectionTarget& target) {
    const QModelIndex current = m_clusterView->tableView()->currentIndex();
    if (!current.isValid()) {
        statusBar()->showMessage(tr("Select a running cluster first."), 4000);
        return false;
    }
    const vm::ClusterStatus& cluster = m_clusterModel->clusterAt(current.row());
    if (cluster.state != vm::ClusterState::Running || cluster.kubeconfigPath.empty()) {
        statusBar()->showMessage(
            tr("%1 is not running.").arg(QString::fromStdString(cluster.spec.name)), 4000);
        return false;
    }
    target.kubeconfigPath = QString::fromStdString(cluster.kubeconfigPath);
    target.displayName = QString::fromStdString(cluster.spec.name);
    return true;
}

void MainWindow::openSelectedClusterTopology() {
    ConnectionTarget target;
    if (selectedClusterTarget(target)) {
        openTopology(target);
    }
}

RolloutPage* MainWindow::openRollouts(const ConnectionTarget& target) {
    // The tab owns its model, connection and service.
    auto* model = new RolloutModel;
    auto* page = new RolloutPage(model, m_tabs);
    model->setParent(page);
    auto* connection = new ClusterConnection(target, page);
    auto* service = new RolloutService(target, page);
    page->setConnectionStatus(tr("Connecting\u2026"), false);
    connect(connection, &ClusterConnection::eventsReceived, model, &RolloutModel::applyEvents);
    connect(model, &RolloutModel::patchRequested, service, &RolloutService::applyPatch);
    connect(service, &RolloutService::patchApplied, model, &RolloutModel::commandFinished);
    connect(connection, &ClusterConnection::synced, page,
            [page] { page->setConnectionStatus(tr("Live"), false); });
    connect(connection, &ClusterConnection::errorOccurred, page, [page](const QString& message) {
        page->setConnectionStatus(tr("Error: %1").arg(message), true);
    });
    const QString title = target.displayName.isEmpty() ? target.context : target.displayName;
    m_tabs->setCurrentIndex(m_tabs->addTab(page, tr("Rollouts: %1").arg(title)));
    connection->start();
    return page;
}

EventsPage* MainWindow::openEvents(const ConnectionTarget& target) {
    auto* model = new EventModel;
    auto* page = new EventsPage(model, m_tabs);
    model->setParent(page);
    auto* stream = new EventStream(target, page);
    page->setConnectionStatus(tr("Connecting\u2026"), false);
    connect(stream, &EventStream::eventsReceived, model, &EventModel::applyChanges);
    connect(stream, &EventStream::synced, page,
            [page] { page->setConnectionStatus(tr("Live"), false); });
    connect(stream, &EventStream::errorOccurred, page, [page](const QString& message) {
        page->setConnectionStatus(tr("Error: %1").arg(message), true);
    });
    const QString title = target.displayName.isEmpty() ? target.context : target.displayName;
    m_tabs->setCurrentIndex(m_tabs->addTab(page, tr("Events: %1").arg(title)));
    stream->start();
    return page;
}

LogPage* MainWindow::openLogs(const ConnectionTarget& target) {
    auto* model = new LogModel;
    auto* page = new LogPage(model, m_tabs);
    model->setParent(page);
    auto* connection = new ClusterConnection(target, page);
    auto* streams = new LogStreams(target, page);
    connect(connection, &ClusterConnection::eventsReceived, model, &LogModel::applyEvents);
    connect(model, &LogModel::streamRequested, streams, &LogStreams::follow);
    connect(model, &LogModel::streamStopRequested, streams, &LogStreams::stop);
    connect(streams, &LogStreams::chunkReceived, model, &LogModel::appendChunk);
    connect(streams, &LogStreams::streamEnded, model, &LogModel::streamEnded);
    connect(connection, &ClusterConnection::errorOccurred, page, [page](const QString& message) {
        page->setConnectionStatus(tr("Error: %1").arg(message), true);
    });
    const QString title = target.displayName.isEmpty() ? target.context : target.displayName;
    m_tabs->setCurrentIndex(m_tabs->addTab(page, tr("Logs: %1").arg(title)));
    connection->start();
    return page;
}

void MainWindow::chooseKubeconfigContext(const QString& path, const QStringList& contexts,
                                         const QString& current) {
    if (contexts.isEmpty()) {
        QMessageBox::information(this, tr("Connect to Kubeconfig Context"),
                                 tr("%1 has no contexts.").arg(path));
        return;
    }
    bool ok = false;
    const QString context = QInputDialog::getItem(
        this, tr("Connect to Kubeconfig Context"), tr("Context in %1:").arg(path), contexts,
        std::max<int>(0, static_cast<int>(contexts.indexOf(current))), false, &ok);
    if (ok && !context.isEmpty()) {
        openTopology(ConnectionTarget{path, context, context});
    }
}

void MainWindow::updateClusterCount() {
    const int count = m_clusterModel->rowCount();
    // Singular apart, so English needs no translation file for its plural; every other
    // language gets all the plural forms it has through %n.
    if (count == 1) {
        //: Status bar
        m_clusterCount->setText(tr("1 cluster"));
    } else {
        //: Status bar; %n is never 1 here
        m_clusterCount->setText(tr("%n clusters", nullptr, count));
    }
}

}  // namespace slipway::gui
