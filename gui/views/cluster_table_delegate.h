// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>

#include <QColor>
#include <QIcon>
#include <QStyledItemDelegate>

#include "vm/cluster.h"

namespace slipway::gui {

/// Draws the cells of the cluster table: with air on both sides of every value, and in the
/// State column a coloured dot before the state, so a glance down the column tells running from
/// stopped from broken. Reads ClusterListModel::StateRole; the colours live here, not in the
/// model.
class ClusterTableDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    /// `stateColumn` is the column that gets the dots.
    explicit ClusterTableDelegate(int stateColumn, QObject* parent = nullptr);

    /// Horizontal space left free on each side of a cell's content, in pixels.
    static constexpr int kHorizontalPadding = 8;

    /// The colour of a state's dot: green running, amber starting, blue paused, grey stopped,
    /// red error.
    static QColor stateColor(vm::ClusterState state);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    const QIcon& dotFor(vm::ClusterState state) const;

    int m_stateColumn;
    mutable std::map<vm::ClusterState, QIcon> m_dots;  // drawn on first use
};

}  // namespace slipway::gui
