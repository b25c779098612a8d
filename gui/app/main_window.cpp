// SPDX-License-Identifier: Apache-2.0
#include "gui/app/main_window.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "gui/models/cluster_list_model.h"
#include "gui/services/cluster_service.h"
#include "gui/views/cluster_manager_view.h"

namespace slipway::gui {

MainWindow::MainWindow(vm::ClusterManagerOptions options, QWidget* parent)
    : QMainWindow(parent),
      m_clusterService(new ClusterService(std::move(options), this)),
      m_clusterModel(new ClusterListModel(this)),
      m_clusterView(new ClusterManagerView(m_clusterModel, this)),
      m_clusterCount(new QLabel(this)) {
    setWindowTitle(tr("Slipway Studio"));
    setCentralWidget(m_clusterView);
    resize(1100, 650);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

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

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Slipway Studio"),
                       tr("<h3>Slipway Studio %1</h3>"
                          "<p>Local Kubernetes-style clusters with a click.</p>"
                          "<p>Clusters are kept in %2.</p>")
                           .arg(QApplication::applicationVersion(),
                                m_clusterService->clustersRoot().toHtmlEscaped()));
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
