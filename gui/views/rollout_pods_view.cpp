// SPDX-License-Identifier: Apache-2.0
#include "gui/views/rollout_pods_view.h"

#include <algorithm>

#include <QPainter>
#include <QPalette>

#include "gui/models/rollout_model.h"

namespace slipway::gui {

namespace {

/// Sizes follow the font (28/16/4/150 px for a 13 px line, the common default): a larger font
/// or a translation with longer words still fits. High-DPI screens need nothing more, Qt 6
/// scales these device-independent pixels.
struct Metrics {
    int rowHeight;
    int square;
    int gap;
    int labelWidth;
};

Metrics metricsOf(const QFontMetrics& font, const QStringList& labels) {
    int widest = 142;
    for (const QString& label : labels) {
        widest = std::max(widest, font.horizontalAdvance(label));
    }
    const int line = font.height();
    return {std::max(28, line * 2), std::max(16, line + 3), 4, widest + 8};
}

}  // namespace

RolloutPodsView::RolloutPodsView(RolloutModel* model, QWidget* parent)
    : QWidget(parent), m_model(model) {
    setAccessibleName(tr("Pods of each revision"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
    connect(model, &RolloutModel::changed, this, &RolloutPodsView::update);
}

void RolloutPodsView::update() {
    QStringList lines;
    for (const RevisionPods& group : m_model->revisionPods()) {
        lines.append(tr("Revision %1: %2 pods, %3 ready")
                         .arg(group.revision)
                         .arg(group.pods.size())
                         .arg(group.ready));
    }
    setAccessibleDescription(lines.join(QLatin1Char('\n')));
    updateGeometry();
    QWidget::update();
}

QStringList RolloutPodsView::labels() const {
    QStringList labels;
    for (const RevisionPods& group : m_model->revisionPods()) {
        const QString label = group.isNew ? tr("Revision %1 (new)").arg(group.revision)
                                          : tr("Revision %1").arg(group.revision);
        labels.append(tr("%1: %2").arg(label).arg(group.pods.size()));
    }
    return labels;
}

QSize RolloutPodsView::sizeHint() const {
    const Metrics m = metricsOf(fontMetrics(), labels());
    const auto rows = std::max<qsizetype>(1, m_model->revisionPods().size());
    return {m.labelWidth + 10 * (m.square + m.gap), static_cast<int>(rows) * m.rowHeight + 8};
}

QSize RolloutPodsView::minimumSizeHint() const {
    return sizeHint();
}

void RolloutPodsView::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& colors = palette();
    const auto& groups = m_model->revisionPods();
    if (groups.isEmpty()) {
        painter.setPen(colors.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("No pods."));
        return;
    }
    const QStringList texts = labels();
    const Metrics m = metricsOf(fontMetrics(), texts);
    int y = 4;
    for (qsizetype row = 0; row < groups.size(); ++row) {
        const RevisionPods& group = groups.at(row);
        const QColor color = group.isNew ? QColor(0x93, 0x33, 0xea) : QColor(0xea, 0x58, 0x0c);
        painter.setPen(colors.color(QPalette::WindowText));
        painter.drawText(QRect(4, y, m.labelWidth - 8, m.rowHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, texts.at(row));
        int x = m.labelWidth;
        // Ready first, then starting, then terminating: the counts read at a glance.
        const int total = static_cast<int>(group.pods.size());
        const int terminating = group.terminating;
        const int ready = std::min(group.ready, total - terminating);
        for (int i = 0; i < total; ++i) {
            const QRectF square(x, y + (m.rowHeight - m.square) / 2.0, m.square, m.square);
            painter.setPen(QPen(color, 2));
            if (i < ready) {
                painter.setBrush(color);
            } else {
                painter.setBrush(Qt::NoBrush);
            }
            painter.drawRoundedRect(square, 3, 3);
            if (i >= total - terminating) {
                painter.drawLine(square.topLeft(), square.bottomRight());
            }
            x += m.square + m.gap;
            if (x + m.square > width()) {
                break;
            }
        }
        y += m.rowHeight;
    }
}

}  // namespace slipway::gui
