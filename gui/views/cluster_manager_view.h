// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QStackedWidget;
class QTableView;

namespace slipway::gui {

/// The Clusters page: a title row, a table of the clusters (one row per cluster, columns as
/// ClusterListModel defines them), and in place of the table a hint when there are none.
/// It only shows what its model holds; fetching is someone else's job.
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

public slots:
    /// Shows `message` in a banner above the table; an empty message hides the banner.
    void setErrorMessage(const QString& message);

private:
    void updateEmptyState();
    void sizeColumns();

    QAbstractItemModel* m_model;
    QLabel* m_errorBanner;
    QStackedWidget* m_pages;
    QTableView* m_table;
    QLabel* m_emptyState;
};

}  // namespace slipway::gui
