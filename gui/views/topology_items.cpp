// SPDX-License-Identifier: Apache-2.0
#include "gui/views/topology_items.h"

#include <cmath>

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QStyleOptionGraphicsItem>
#include <QVariantAnimation>

namespace slipway::gui {

namespace {

constexpr int kColorFadeMs = 300;

QColor mix(const QColor& a, const QColor& b, double t) {
    auto channel = [t](float x, float y) {
        return static_cast<float>(static_cast<double>(x) + static_cast<double>(y - x) * t);
    };
    return QColor::fromRgbF(channel(a.redF(), b.redF()), channel(a.greenF(), b.greenF()),
                            channel(a.blueF(), b.blueF()), channel(a.alphaF(), b.alphaF()));
}

bool darkTheme() {
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

/// The short badge of a kind, as kubectl's short names.
QString badgeOf(VertexKind kind) {
    switch (kind) {
        case VertexKind::Deployment:
            return QStringLiteral("deploy");
        case VertexKind::ReplicaSet:
            return QStringLiteral("rs");
        case VertexKind::StatefulSet:
            return QStringLiteral("sts");
        case VertexKind::DaemonSet:
            return QStringLiteral("ds");
        case VertexKind::Job:
            return QStringLiteral("job");
        case VertexKind::Service:
            return QStringLiteral("svc");
        case VertexKind::Pod:
            return QStringLiteral("pod");
        case VertexKind::Node:
            return QStringLiteral("node");
        case VertexKind::Namespace:
            return QStringLiteral("ns");
    }
    return {};
}

}  // namespace

RoleColors roleColors(ColorRole role, bool dark) {
    QColor stroke;
    switch (role) {
        case ColorRole::Neutral:
            stroke = QColor(0x8a, 0x94, 0xa6);
            break;
        case ColorRole::Waiting:
            stroke = QColor(0xd9, 0x9a, 0x06);
            break;
        case ColorRole::Progress:
            stroke = QColor(0x25, 0x63, 0xeb);
            break;
        case ColorRole::Healthy:
            stroke = QColor(0x16, 0xa3, 0x4a);
            break;
        case ColorRole::Warning:
            stroke = QColor(0xea, 0x58, 0x0c);
            break;
        case ColorRole::Danger:
            stroke = QColor(0xdc, 0x26, 0x26);
            break;
        case ColorRole::Done:
            stroke = QColor(0x0d, 0x94, 0x88);
            break;
        case ColorRole::Muted:
            stroke = QColor(0x9c, 0xa3, 0xaf);
            break;
    }
    const QColor base = dark ? QColor(0x1f, 0x23, 0x2a) : QColor(Qt::white);
    return {stroke, mix(base, stroke, dark ? 0.28 : 0.14)};
}

VertexItem::VertexItem(const TopologyVertex& vertex, QGraphicsItem* parent)
    : QGraphicsObject(parent), m_vertex(vertex), m_previousRole(vertex.color) {
    setFlag(ItemSendsGeometryChanges);
    const bool isContainer =
        vertex.kind == VertexKind::Namespace || vertex.kind == VertexKind::Node;
    if (!isContainer) {
        setFlag(ItemIsSelectable);
        setCursor(Qt::PointingHandCursor);
        setZValue(2);
    } else {
        setZValue(vertex.kind == VertexKind::Node ? -3 : -2);
    }
    // Cards are redrawn from a cache while panning; lanes and boxes are cheap already.
    setCacheMode(isContainer ? NoCache : DeviceCoordinateCache);
    setPos(vertex.position);
    setToolTip(
        QStringLiteral("%1 %2\n%3 %4")
            .arg(TopologyModel::kindName(vertex.kind), vertex.name, vertex.status, vertex.ready));
}

void VertexItem::setVertex(const TopologyVertex& vertex, bool animate) {
    const ColorRole oldRole = m_vertex.color;
    const bool sizeChanged = vertex.size != m_vertex.size;
    if (sizeChanged) {
        prepareGeometryChange();
    }
    m_vertex = vertex;
    setToolTip(
        QStringLiteral("%1 %2\n%3 %4")
            .arg(TopologyModel::kindName(vertex.kind), vertex.name, vertex.status, vertex.ready));
    if (oldRole != vertex.color && animate) {
        m_previousRole = oldRole;
        if (m_colorAnimation) {
            m_colorAnimation->stop();
        }
        auto* animation = new QVariantAnimation(this);
        animation->setStartValue(0.0);
        animation->setEndValue(1.0);
        animation->setDuration(kColorFadeMs);
        connect(animation, &QVariantAnimation::valueChanged, this,
                [this](const QVariant& value) { setBlend(value.toDouble()); });
        m_colorAnimation = animation;
        animation->start(QAbstractAnimation::DeleteWhenStopped);
    } else {
        m_previousRole = vertex.color;
        m_blend = 1.0;
    }
    update();
    if (sizeChanged) {
        emit geometryChanged();
    }
}

void VertexItem::setDimmed(bool dimmed) {
    if (m_dimmed != dimmed) {
        m_dimmed = dimmed;
        setOpacity(dimmed ? 0.25 : 1.0);
    }
}

void VertexItem::setBlend(double blend) {
    m_blend = blend;
    update();
}

QPointF VertexItem::inPort() const {
    const QRectF r = boundingRect();
    return mapToScene(QPointF(r.left(), r.center().y()));
}

QPointF VertexItem::outPort() const {
    const QRectF r = boundingRect();
    return mapToScene(QPointF(r.right(), r.center().y()));
}

QRectF VertexItem::boundingRect() const {
    const QSizeF& s = m_vertex.size;
    if (m_vertex.kind == VertexKind::Namespace || m_vertex.kind == VertexKind::Node) {
        return QRectF(QPointF(0, 0), s);
    }
    // Room for the selection outline.
    return QRectF(-s.width() / 2, -s.height() / 2, s.width(), s.height()).adjusted(-3, -3, 3, 3);
}

QVariant VertexItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged) {
        emit geometryChanged();
    }
    return QGraphicsObject::itemChange(change, value);
}

RoleColors VertexItem::currentColors() const {
    const bool dark = darkTheme();
    const RoleColors now = roleColors(m_vertex.color, dark);
    if (m_blend >= 1.0) {
        return now;
    }
    const RoleColors before = roleColors(m_previousRole, dark);
    return {mix(before.stroke, now.stroke, m_blend), mix(before.fill, now.fill, m_blend)};
}

void VertexItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
    switch (m_vertex.kind) {
        case VertexKind::Node:
            paintLane(painter);
            break;
        case VertexKind::Namespace:
            paintNamespace(painter);
            break;
        default:
            paintCard(painter, detail);
            break;
    }
}

void VertexItem::paintCard(QPainter* painter, double detail) {
    const RoleColors colors = currentColors();
    const QSizeF& s = m_vertex.size;
    const QRectF rect(-s.width() / 2, -s.height() / 2, s.width(), s.height());
    if (detail < 0.3) {
        // Far away a card is a coloured block: nothing to read at that size anyway.
        painter->fillRect(rect, colors.stroke);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing, detail > 0.5);
    const QPalette palette = QGuiApplication::palette();
    if (isSelected()) {
        painter->setPen(QPen(palette.color(QPalette::Highlight), 3));
    } else {
        painter->setPen(QPen(colors.stroke, m_vertex.kind == VertexKind::Pod ? 1.2 : 1.8));
    }
    painter->setBrush(colors.fill);
    painter->drawRoundedRect(rect, 6, 6);

    const double iconSize = m_vertex.kind == VertexKind::Pod ? 18 : 22;
    const QRectF icon(rect.left() + 8, rect.center().y() - iconSize / 2, iconSize, iconSize);
    paintStateIcon(painter, icon, colors.stroke);
    if (detail < 0.45) {
        return;
    }

    const QColor textColor = palette.color(QPalette::WindowText);
    const double textLeft = icon.right() + 7;
    const double textWidth = rect.right() - 6 - textLeft;
    QFont font = painter->font();
    const QFont baseFont = font;
    QString secondLine = m_vertex.status;
    if (!m_vertex.ready.isEmpty()) {
        secondLine += QStringLiteral("  ") + m_vertex.ready;
    }
    if (m_vertex.restarts > 0) {
        secondLine += QStringLiteral("  \u21bb%1").arg(m_vertex.restarts);
    }
    if (m_vertex.kind != VertexKind::Pod) {
        secondLine = badgeOf(m_vertex.kind) + QStringLiteral(" \u00b7 ") + secondLine;
    }
    font.setPointSizeF(m_vertex.kind == VertexKind::Pod ? 8 : 9);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(textColor);
    const QFontMetricsF bold(font);
    const QRectF nameRect(textLeft, rect.top() + 3, textWidth, rect.height() / 2 - 1);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignBottom,
                      bold.elidedText(m_vertex.name, Qt::ElideMiddle, textWidth));
    font.setBold(false);
    font.setPointSizeF(m_vertex.kind == VertexKind::Pod ? 7 : 8);
    painter->setFont(font);
    QColor secondary = textColor;
    secondary.setAlphaF(0.7f);
    painter->setPen(secondary);
    const QFontMetricsF normal(font);
    const QRectF statusRect(textLeft, rect.center().y() + 1, textWidth, rect.height() / 2 - 4);
    painter->drawText(statusRect, Qt::AlignLeft | Qt::AlignTop,
                      normal.elidedText(secondLine, Qt::ElideRight, textWidth));
    painter->setFont(baseFont);
}

void VertexItem::paintStateIcon(QPainter* painter, const QRectF& r, const QColor& color) const {
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawEllipse(r);
    QPen pen(Qt::white, std::max(1.5, r.width() / 9));
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const QPointF c = r.center();
    const double u = r.width() / 4;  // a quarter of the icon
    switch (m_vertex.state) {
        case VertexState::Ready:
        case VertexState::Succeeded: {
            QPainterPath check;  // a tick
            check.moveTo(c + QPointF(-u, 0));
            check.lineTo(c + QPointF(-u / 3, u * 0.8));
            check.lineTo(c + QPointF(u * 1.1, -u * 0.8));
            painter->drawPath(check);
            break;
        }
        case VertexState::Running:
        case VertexState::Progressing: {
            painter->setPen(Qt::NoPen);  // a play triangle
            painter->setBrush(Qt::white);
            const QPointF triangle[] = {c + QPointF(-u * 0.6, -u), c + QPointF(-u * 0.6, u),
                                        c + QPointF(u, 0)};
            painter->drawPolygon(triangle, 3);
            break;
        }
        case VertexState::Pending:
        case VertexState::ContainerCreating:  // a clock
            painter->drawEllipse(c, u * 1.2, u * 1.2);
            painter->drawLine(c, c + QPointF(0, -u * 0.8));
            painter->drawLine(c, c + QPointF(u * 0.6, 0));
            break;
        case VertexState::CrashLoopBackOff:  // a circular arrow
            painter->drawArc(QRectF(c - QPointF(u, u), QSizeF(2 * u, 2 * u)), 60 * 16, 270 * 16);
            painter->drawLine(c + QPointF(u * 0.5, -u * 0.87), c + QPointF(u * 1.1, -u * 0.3));
            painter->drawLine(c + QPointF(u * 0.5, -u * 0.87), c + QPointF(u * 0.2, -u * 0.1));
            break;
        case VertexState::Error:
        case VertexState::Failed:  // a cross
            painter->drawLine(c + QPointF(-u * 0.8, -u * 0.8), c + QPointF(u * 0.8, u * 0.8));
            painter->drawLine(c + QPointF(-u * 0.8, u * 0.8), c + QPointF(u * 0.8, -u * 0.8));
            break;
        case VertexState::Terminating:  // a minus
            painter->drawLine(c + QPointF(-u, 0), c + QPointF(u, 0));
            break;
        case VertexState::NotReady:  // an exclamation mark
            painter->drawLine(c + QPointF(0, -u), c + QPointF(0, u * 0.3));
            painter->drawPoint(c + QPointF(0, u * 0.9));
            break;
        case VertexState::Unknown:
            painter->drawPoint(c);
            break;
    }
    painter->restore();
}

void VertexItem::paintLane(QPainter* painter) {
    const QPalette palette = QGuiApplication::palette();
    const QRectF rect(QPointF(0, 0), m_vertex.size);
    const QColor base = palette.color(QPalette::Base);
    const QColor lane = mix(base, palette.color(QPalette::WindowText), 0.03);
    painter->fillRect(rect.adjusted(0, 2, 0, -2), lane);
    const QRectF header(0, 2, TopologyModel::kLaneHeaderWidth - 12, rect.height() - 4);
    const RoleColors colors = roleColors(m_vertex.color, darkTheme());
    painter->fillRect(header, mix(base, palette.color(QPalette::WindowText), 0.07));
    painter->fillRect(QRectF(header.topLeft(), QSizeF(4, header.height())), colors.stroke);
    QFont font = painter->font();
    const QFont baseFont = font;
    font.setBold(true);
    font.setPointSizeF(8.5);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::WindowText));
    const QFontMetricsF metrics(font);
    painter->drawText(header.adjusted(12, 4, -4, -header.height() / 2),
                      Qt::AlignLeft | Qt::AlignBottom,
                      metrics.elidedText(m_vertex.name, Qt::ElideMiddle, header.width() - 16));
    font.setBold(false);
    font.setPointSizeF(7.5);
    painter->setFont(font);
    painter->setPen(colors.stroke);
    painter->drawText(header.adjusted(12, header.height() / 2 + 2, -4, -4),
                      Qt::AlignLeft | Qt::AlignTop, m_vertex.status);
    painter->setFont(baseFont);
}

void VertexItem::paintNamespace(QPainter* painter) {
    const QPalette palette = QGuiApplication::palette();
    const QRectF rect(QPointF(0, 0), m_vertex.size);
    QColor border = palette.color(QPalette::WindowText);
    border.setAlphaF(0.35f);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(border, 1.2, Qt::DashLine));
    QColor fill = palette.color(QPalette::Highlight);
    fill.setAlphaF(0.04f);
    painter->setBrush(fill);
    painter->drawRoundedRect(rect, 8, 8);
    QFont font = painter->font();
    const QFont baseFont = font;
    font.setBold(true);
    font.setPointSizeF(9);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::WindowText));
    painter->drawText(rect.adjusted(10, 4, -10, -4), Qt::AlignLeft | Qt::AlignTop,
                      QStringLiteral("ns \u00b7 ") + m_vertex.name);
    painter->setFont(baseFont);
}

EdgeItem::EdgeItem(const TopologyEdge& edge, bool highlighted, QGraphicsItem* parent)
    : QGraphicsPathItem(parent), m_edge(edge) {
    const bool owns = edge.kind == TopologyEdge::Kind::Owns;
    QColor color =
        owns ? QGuiApplication::palette().color(QPalette::WindowText) : QColor(0x25, 0x63, 0xeb);
    color.setAlphaF(highlighted ? 0.9f : (owns ? 0.35f : 0.45f));
    QPen pen(color, highlighted ? 2.0 : 1.2);
    if (!owns) {
        pen.setStyle(Qt::DashLine);
    }
    pen.setCosmetic(true);
    setPen(pen);
    setZValue(highlighted ? 1 : -1);
}

void EdgeItem::attach(QPointF a, QPointF b) {
    QPainterPath path(a);
    const double dx = std::max(40.0, std::abs(b.x() - a.x()) / 2);
    path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
    setPath(path);
}

}  // namespace slipway::gui
