// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>

#include <QStringList>
#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace slipway::gui {

class OperationPanel;

/// The Clusters page: a title row with *Create Cluster…*, a row of lifecycle actions on the
/// selected cluster (Start, Stop, Pause, Resume, Delete, Copy Kubeconfig, Open Terminal Here;
/// each enabled only in the states it applies to), the operations under way (OperationPanel),
/// a table of the clusters (columns as ClusterListModel defines them), and in place of the
/// table a hint when there are none. It only shows what its model holds and asks for actions
/// through signals; doing them is someone else's job.
class ClusterManagerView : public QWidget {
    Q_OBJECT

public:
    /// `model` is a ClusterListModel (or a proxy of one); the view does not own it.
    explicit ClusterManagerView(QAbstractItemModel* model, QWidget* parent = nullptr);
    ~ClusterManagerView() override;

    /// The table of clusters.
    QTableView* tableView() const { return m_table; }
    /// True while the model has no rows, no error is shown, and so the hint replaces the table.
    bool isShowingEmptyState() const;
    OperationPanel* operationPanel() const { return m_operations; }
    /// The name of the selected cluster, or empty.
    QString selectedCluster() const;
    /// Selects the row of `name` (when there is one).
    void selectCluster(const QString& name);
    /// The action buttons, by name: "create", "start", "stop", "pause", "resume", "delete",
    /// "copyKubeconfig", "openTerminal".
    QPushButton* actionButton(const QString& name) const;

    /// What Copy Kubeconfig puts on the clipboard for `kubeconfigPath`: a shell line
    /// `export KUBECONFIG='…'`, which a user pastes into a terminal to point kubectl at the
    /// cluster (the path quoted for POSIX shells).
    static QString kubeconfigExportLine(const QString& kubeconfigPath);

    /// Asks before deleting (a dialog); tests replace it.
    using Confirmation = std::function<bool(QWidget* parent, const QString& cluster)>;
    void setDeleteConfirmation(Confirmation confirmation);

public slots:
    /// Shows `message` in a banner above the table; an empty message hides the banner.
    void setErrorMessage(const QString& message);
    /// Enables the actions for the selected cluster's state and `busy` (an operation runs).
    void updateActions();
    /// Whether an operation runs on a cluster (its actions are disabled meanwhile).
    void setBusyClusters(const QStringList& clusters);

signals:
    void createRequested();
    void startRequested(const QString& cluster);
    void stopRequested(const QString& cluster);
    void pauseRequested(const QString& cluster);
    void resumeRequested(const QString& cluster);
    /// Sent once the user has confirmed.
    void deleteRequested(const QString& cluster);
    void openTerminalRequested(const QString& cluster, const QString& kubeconfigPath);
    /// Something to tell the user in passing ("Copied …").
    void statusMessage(const QString& message);

private:
    void updateEmptyState();
    void sizeColumns();
    QPushButton* addAction(const QString& name, const QString& text, const QString& toolTip);

    QAbstractItemModel* m_model;
    QLabel* m_errorBanner;
    QStackedWidget* m_pages;
    QTableView* m_table;
    QLabel* m_emptyState;
    OperationPanel* m_operations;
    std::map<QString, QPushButton*> m_actions;
    QStringList m_busy;
    Confirmation m_confirmDelete;
};

}  // namespace slipway::gui
