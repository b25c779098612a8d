// SPDX-License-Identifier: Apache-2.0
#include "gui/views/rollout_pods_view.h"

#include <algorithm>

#include <QPainter>
#include <QPalette>

#include "gui/models/rollout_model.h"

namespace slipway::gui {

namespace {

constexpr int kRowHeight = 28;
constexpr int kSquare = 16;
constexpr int kGap = 4;
constexpr int kLabelWidth = 150;

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

QSize RolloutPodsView::sizeHint() const {
    const auto rows = std::max<qsizetype>(1, m_model->revisionPods().size());
    return {kLabelWidth + 10 * (kSquare + kGap), static_cast<int>(rows) * kRowHeight + 8};
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
    int y = 4;
    for (const RevisionPods& group : groups) {
        const QColor color = group.isNew ? QColor(0x93, 0x33, 0xea) : QColor(0xea, 0x58, 0x0c);
        painter.setPen(colors.color(QPalette::WindowText));
        const QString label = group.isNew ? tr("Revision %1 (new)").arg(group.revision)
                                          : tr("Revision %1").arg(group.revision);
        painter.drawText(QRect(4, y, kLabelWidth - 8, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("%1: %2").arg(label).arg(group.pods.size()));
        int x = kLabelWidth;
        // Ready first, then starting, then terminating: the counts read at a glance.
        const int total = static_cast<int>(group.pods.size());
        const int terminating = group.terminating;
        const int ready = std::min(group.ready, total - terminating);
        for (int i = 0; i < total; ++i) {
            const QRectF square(x, y + (kRowHeight - kSquare) / 2.0, kSquare, kSquare);
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
            x += kSquare + kGap;
            if (x + kSquare > width()) {
                break;
            }
        }
        y += kRowHeight;
    }
}

}  // namespace slipway::gui
