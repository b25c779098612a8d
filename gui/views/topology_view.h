// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGraphicsView>
#include <QHash>
#include <QMultiHash>
#include <QString>
#include <QStringList>

class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace slipway::gui {

class EdgeItem;
class TopologyModel;
class VertexItem;
struct TopologyDelta;
struct TopologyEdge;

/// The topology graph of a TopologyModel: a box per vertex coloured by state (with a state
/// icon), namespace boxes around the controllers, a lane per node holding its pods, and lines
/// for ownership and routing. It follows the model's deltas item by item, animating pods that
/// come, go and move, so that a change costs as much as it touches.
///
/// Zoom with the wheel or + / - (0 fits everything), pan by dragging or with the arrow keys.
/// Clicking a vertex selects it (vertexSelected).
class TopologyView : public QGraphicsView {
    Q_OBJECT

public:
    explicit TopologyView(TopologyModel* model, QWidget* parent = nullptr);
    ~TopologyView() override;

    /// The current scale (1 = one scene unit per pixel).
    double zoom() const;
    /// Animations on by default; off makes every change show at once (tests, benchmarks).
    void setAnimationsEnabled(bool enabled) { m_animate = enabled; }
    bool animationsEnabled() const { return m_animate; }

    /// The vertex item of `id`, or null (for tests).
    VertexItem* vertexItem(const QString& id) const { return m_vertices.value(id); }
    int vertexItemCount() const { return static_cast<int>(m_vertices.size()); }
    /// Lines drawn: one per edge between skeleton vertices, one per (source, node lane) for the
    /// edges to pods, whatever the number of pods in the lane.
    int edgeItemCount() const { return static_cast<int>(m_edges.size()); }
    /// The selected vertex's own edges, drawn one by one (to each of its pods).
    int selectionEdgeCount() const { return static_cast<int>(m_selectionEdges.size()); }
    /// The selected vertex's id, or empty.
    QString selectedVertex() const { return m_selected; }

public slots:
    void zoomIn();
    void zoomOut();
    /// Fits everything shown into the view.
    void zoomToFit();
    /// Selects `id` (empty: none) and brings it into view.
    void selectVertex(const QString& id);
    /// Marks the vertices of a search; the others are dimmed. Empty: nothing is dimmed.
    void setHighlighted(const QStringList& ids);

signals:
    void vertexSelected(const QString& id);
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    void applyDelta(const TopologyDelta& delta);
    void rebuildAll();
    void addVertex(const QString& id);
    void removeVertex(const QString& id);
    struct DisplayEdge {
        EdgeItem* item = nullptr;
        int references = 0;
        QString from;
        QString to;  ///< a vertex id, or the lane's id ("lane:<node>") of an aggregated edge
    };

    /// Where `edge` is drawn: itself, or (to a pod) the line from its source to the pod's lane.
    QString displayKeyOf(const TopologyEdge& edge, QString* target) const;
    void addEdge(const TopologyEdge& edge);
    void removeEdge(const TopologyEdge& edge);
    void reference(const QString& displayKey, const TopologyEdge& edge, const QString& target);
    void release(const QString& displayKey);
    /// A pod changed lanes: its edges are drawn to the new one.
    void reassignEdgesOf(const QString& podId);
    void attach(DisplayEdge& edge);
    void updateEdgesOf(const QString& id);
    void updateSelectionEdges();
    QPointF portOf(const QString& target, bool incoming) const;
    void updateUnscheduledLane();
    void scaleBy(double factor);

    TopologyModel* m_model;
    QGraphicsScene* m_scene;
    QHash<QString, VertexItem*> m_vertices;
    QHash<QString, DisplayEdge> m_edges;           ///< by display key
    QHash<QString, QString> m_displayKeyOf;        ///< model edge key → display key
    QMultiHash<QString, QString> m_modelEdgesOf;   ///< vertex id → model edge keys
    QMultiHash<QString, QString> m_edgesOfVertex;  ///< vertex or lane id → display keys
    QList<EdgeItem*> m_selectionEdges;
    QGraphicsRectItem* m_unscheduledLane = nullptr;
    QGraphicsSimpleTextItem* m_unscheduledLabel = nullptr;
    QString m_selected;
    QStringList m_highlighted;
    bool m_animate = true;
    bool m_fittedOnce = false;
};

}  // namespace slipway::gui
