// SPDX-License-Identifier: Apache-2.0
#include "gui/views/cluster_table_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QPixmap>
#include <QStyle>

#include "gui/models/cluster_list_model.h"

namespace slipway::gui {

namespace {

/// A filled circle in the middle of a square icon, drawn at 1x and 2x for sharp HiDPI output.
QIcon dotIcon(const QColor& color) {
    QIcon icon;
    for (const int side : {16, 32}) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(color.darker(115), side / 16.0));
        painter.setBrush(color);
        const double diameter = side * 0.5;
        const double offset = (side - diameter) / 2.0;
        painter.drawEllipse(QRectF(offset, offset, diameter, diameter));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

}  // namespace

ClusterTableDelegate::ClusterTableDelegate(int stateColumn, QObject* parent)
    : QStyledItemDelegate(parent), m_stateColumn(stateColumn) {}

QColor ClusterTableDelegate::stateColor(vm::ClusterState state) {
    switch (state) {
        case vm::ClusterState::Running:
            return QColor(0x2d, 0xa4, 0x4e);
        case vm::ClusterState::Starting:
            return QColor(0xd9, 0x8e, 0x04);
        case vm::ClusterState::Paused:
            return QColor(0x3b, 0x82, 0xf6);
        case vm::ClusterState::Stopped:
            return QColor(0x8c, 0x95, 0x9f);
        case vm::ClusterState::Error:
            return QColor(0xcf, 0x22, 0x2e);
    }
    return QColor(Qt::gray);
}

void ClusterTableDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    // Rows are selected whole: a focus frame around one cell of the row would only be noise.
    cell.state &= ~QStyle::State_HasFocus;
    const QWidget* widget = option.widget;
    QStyle* style = widget != nullptr ? widget->style() : QApplication::style();

    // The selection background spans the whole cell; the content sits inside the padding.
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &cell, painter, widget);
    cell.rect.adjust(kHorizontalPadding, 0, -kHorizontalPadding, 0);
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
}

QSize ClusterTableDelegate::sizeHint(const QStyleOptionViewItem& option,
                                     const QModelIndex& index) const {
    return QStyledItemDelegate::sizeHint(option, index) + QSize(2 * kHorizontalPadding, 0);
}

void ClusterTableDelegate::initStyleOption(QStyleOptionViewItem* option,
                                           const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != m_stateColumn) {
        return;
    }
    const QVariant state = index.data(ClusterListModel::StateRole);
    if (!state.isValid()) {
        return;
    }
    // The style then lays out and paints the dot like any decoration.
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->icon = dotFor(state.value<vm::ClusterState>());
}

const QIcon& ClusterTableDelegate::dotFor(vm::ClusterState state) const {
    auto it = m_dots.find(state);
    if (it == m_dots.end()) {
        it = m_dots.emplace(state, dotIcon(stateColor(state))).first;
    }
    return it->second;
}

}  // namespace slipway::gui
