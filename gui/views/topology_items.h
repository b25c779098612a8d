// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QGraphicsObject>
#include <QGraphicsPathItem>
#include <QPointer>

#include "gui/models/topology_model.h"

class QVariantAnimation;

namespace slipway::gui {

/// The colours of a state's ColorRole: a strong one for borders and icons, a fill.
struct RoleColors {
    QColor stroke;
    QColor fill;
};
RoleColors roleColors(ColorRole role, bool dark);

/// One vertex of the topology: a pod or controller card, a namespace box, or a node lane.
/// Position animations go through QGraphicsObject's `pos`; colour changes blend over
/// `blend` (0: the previous colour, 1: the current one).
class VertexItem : public QGraphicsObject {
    Q_OBJECT
    Q_PROPERTY(double blend READ blend WRITE setBlend)

public:
    explicit VertexItem(const TopologyVertex& vertex, QGraphicsItem* parent = nullptr);

    const TopologyVertex& vertex() const { return m_vertex; }
    /// Takes the vertex's new state; fades the colour over when `animate`.
    void setVertex(const TopologyVertex& vertex, bool animate);
    /// Dims the item (a search that it does not match).
    void setDimmed(bool dimmed);
    bool isDimmed() const { return m_dimmed; }

    double blend() const { return m_blend; }
    void setBlend(double blend);

    /// Where edges attach: the middle of the left and right sides, in scene coordinates.
    QPointF inPort() const;
    QPointF outPort() const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

signals:
    void geometryChanged();

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    void paintCard(QPainter* painter, double detail);
    void paintLane(QPainter* painter);
    void paintNamespace(QPainter* painter);
    void paintStateIcon(QPainter* painter, const QRectF& rect, const QColor& color) const;
    RoleColors currentColors() const;

    TopologyVertex m_vertex;
    ColorRole m_previousRole = ColorRole::Neutral;
    double m_blend = 1.0;
    bool m_dimmed = false;
    QPointer<QVariantAnimation> m_colorAnimation;
};

/// A line from an owner to what it owns (solid) or from a Service to a pod (dashed).
class EdgeItem : public QGraphicsPathItem {
public:
    /// `highlighted`: an edge of the selected vertex, drawn above the others.
    EdgeItem(const TopologyEdge& edge, bool highlighted = false, QGraphicsItem* parent = nullptr);

    const TopologyEdge& edge() const { return m_edge; }
    /// Redraws the curve between two ports (scene coordinates).
    void attach(QPointF from, QPointF to);

private:
    TopologyEdge m_edge;
};

}  // namespace slipway::gui
