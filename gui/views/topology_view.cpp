// SPDX-License-Identifier: Apache-2.0
#include "gui/views/topology_view.h"

#include <algorithm>
#include <cmath>

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QParallelAnimationGroup>
#include <QPropertyAnimation>
#include <QScrollBar>
#include <QWheelEvent>

#include "gui/models/topology_model.h"
#include "gui/views/topology_items.h"

namespace slipway::gui {

namespace {

constexpr int kAppearMs = 350;
constexpr int kDisappearMs = 300;
constexpr int kMoveMs = 350;
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 4.0;
constexpr double kZoomStep = 1.25;

}  // namespace

TopologyView::TopologyView(TopologyModel* model, QWidget* parent)
    : QGraphicsView(parent), m_model(model), m_scene(new QGraphicsScene(this)) {
    setObjectName(QStringLiteral("topologyView"));
    setScene(m_scene);
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Cluster topology"));
    // Items are added and removed all the time; the BSP index pays off for hit tests and
    // exposed-area queries with thousands of items.
    m_scene->setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    connect(m_model, &TopologyModel::topologyChanged, this, &TopologyView::applyDelta);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        const auto items = m_scene->selectedItems();
        QString id;
        if (!items.isEmpty()) {
            if (auto* vertex = dynamic_cast<VertexItem*>(items.constFirst())) {
                id = vertex->vertex().id;
            }
        }
        if (id != m_selected) {
            m_selected = id;
            updateSelectionEdges();
            emit vertexSelected(id);
        }
    });
    rebuildAll();
}

TopologyView::~TopologyView() {
    // The scene would otherwise die with the other children, after this object's members, and
    // its items' signals (selection, geometry) would reach a half-destroyed view.
    m_scene->disconnect(this);
    for (QGraphicsItem* item : m_scene->items()) {
        if (auto* vertex = dynamic_cast<VertexItem*>(item)) {
            vertex->disconnect(this);
        }
    }
    delete m_scene;
}

double TopologyView::zoom() const {
    return transform().m11();
}

void TopologyView::scaleBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    factor = target / zoom();
    if (std::abs(factor - 1.0) < 1e-9) {
        return;
    }
    scale(factor, factor);
    emit zoomChanged(zoom());
}

void TopologyView::zoomIn() {
    scaleBy(kZoomStep);
}

void TopologyView::zoomOut() {
    scaleBy(1 / kZoomStep);
}

void TopologyView::zoomToFit() {
    const QRectF rect = m_model->boundingRect().adjusted(-40, -40, 40, 40);
    if (rect.isEmpty()) {
        return;
    }
    fitInView(rect, Qt::KeepAspectRatio);
    // Never blow a small graph up past its natural size.
    if (zoom() > 1.0) {
        setTransform(QTransform());
        centerOn(rect.center());
    } else if (zoom() < kMinZoom) {
        setTransform(QTransform::fromScale(kMinZoom, kMinZoom));
    }
    emit zoomChanged(zoom());
}

void TopologyView::selectVertex(const QString& id) {
    m_scene->clearSelection();
    if (VertexItem* item = m_vertices.value(id)) {
        item->setSelected(true);
        ensureVisible(item, 80, 80);
    }
}

void TopologyView::setHighlighted(const QStringList& ids) {
    m_highlighted = ids;
    const QSet<QString> marked(ids.cbegin(), ids.cend());
    for (VertexItem* item : std::as_const(m_vertices)) {
        const VertexKind kind = item->vertex().kind;
        const bool container = kind == VertexKind::Namespace || kind == VertexKind::Node;
        item->setDimmed(!marked.isEmpty() && !container && !marked.contains(item->vertex().id));
    }
}

void TopologyView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0) {
        scaleBy(std::pow(1.15, steps));
    }
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomIn();
            return;
        case Qt::Key_Minus:
            zoomOut();
            return;
        case Qt::Key_0:
            zoomToFit();
            return;
        case Qt::Key_Escape:
            selectVertex({});
            return;
        default:
            break;
    }
    QGraphicsView::keyPressEvent(event);  // arrows scroll
}

void TopologyView::mousePressEvent(QMouseEvent* event) {
    // A click on empty space clears the selection; dragging still pans.
    if (itemAt(event->pos()) == nullptr) {
        m_scene->clearSelection();
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect, palette().color(QPalette::Base));
}

void TopologyView::rebuildAll() {
    for (VertexItem* item : std::as_const(m_vertices)) {
        delete item;
    }
    for (const DisplayEdge& edge : std::as_const(m_edges)) {
        delete edge.item;
    }
    qDeleteAll(m_selectionEdges);
    m_selectionEdges.clear();
    m_vertices.clear();
    m_edges.clear();
    m_displayKeyOf.clear();
    m_modelEdgesOf.clear();
    m_edgesOfVertex.clear();
    for (auto it = m_model->vertices().cbegin(); it != m_model->vertices().cend(); ++it) {
        addVertex(it.key());
    }
    for (const TopologyEdge& edge : m_model->edges()) {
        addEdge(edge);
    }
    updateUnscheduledLane();
}

void TopologyView::addVertex(const QString& id) {
    const TopologyVertex* vertex = m_model->vertex(id);
    if (vertex == nullptr) {
        return;
    }
    if (VertexItem* existing = m_vertices.take(id)) {
        delete existing;  // still fading out from an earlier removal
    }
    auto* item = new VertexItem(*vertex);
    m_scene->addItem(item);
    m_vertices.insert(id, item);
    connect(item, &VertexItem::geometryChanged, this, [this, id] { updateEdgesOf(id); });
    if (!m_highlighted.isEmpty() && vertex->kind != VertexKind::Node &&
        vertex->kind != VertexKind::Namespace) {
        item->setDimmed(!m_highlighted.contains(id));
    }
    if (m_animate && vertex->kind == VertexKind::Pod) {
        auto* group = new QParallelAnimationGroup(item);
        auto* fade = new QPropertyAnimation(item, "opacity", group);
        fade->setStartValue(0.0);
        fade->setEndValue(item->opacity());
        fade->setDuration(kAppearMs);
        auto* grow = new QPropertyAnimation(item, "scale", group);
        grow->setStartValue(0.4);
        grow->setEndValue(1.0);
        grow->setEasingCurve(QEasingCurve::OutBack);
        grow->setDuration(kAppearMs);
        item->setOpacity(0.0);
        group->start(QAbstractAnimation::DeleteWhenStopped);
    }
}

void TopologyView::removeVertex(const QString& id) {
    VertexItem* item = m_vertices.take(id);
    if (item == nullptr) {
        return;
    }
    if (id == m_selected) {
        m_selected.clear();
        updateSelectionEdges();
        emit vertexSelected({});
    }
    item->setSelected(false);
    item->setFlag(QGraphicsItem::ItemIsSelectable, false);
    if (!m_animate || item->vertex().kind != VertexKind::Pod) {
        delete item;
        return;
    }
    auto* group = new QParallelAnimationGroup(item);
    auto* fade = new QPropertyAnimation(item, "opacity", group);
    fade->setEndValue(0.0);
    fade->setDuration(kDisappearMs);
    auto* shrink = new QPropertyAnimation(item, "scale", group);
    shrink->setEndValue(0.3);
    shrink->setEasingCurve(QEasingCurve::InBack);
    shrink->setDuration(kDisappearMs);
    connect(group, &QAbstractAnimation::finished, item, &QObject::deleteLater);
    group->start();
}

QString TopologyView::displayKeyOf(const TopologyEdge& edge, QString* target) const {
    const TopologyVertex* to = m_model->vertex(edge.to);
    if (to != nullptr && to->kind == VertexKind::Pod) {
        // 2,000 pods of one ReplicaSet are a hundred lines to a hundred lanes, not 2,000 lines
        // across the view: readable, and what keeps panning smooth.
        const QString node = QStringLiteral("Node//") + to->nodeName;
        *target = QStringLiteral("lane:") +
                  (!to->nodeName.isEmpty() && m_vertices.contains(node) ? to->nodeName : QString());
        return edge.from + QLatin1Char('>') + *target +
               (edge.kind == TopologyEdge::Kind::Routes ? QStringLiteral("#r") : QString());
    }
    *target = edge.to;
    return edge.key();
}

QPointF TopologyView::portOf(const QString& target, bool incoming) const {
    if (target.startsWith(QLatin1String("lane:"))) {
        const QString node = target.mid(5);
        QRectF lane = node.isEmpty() ? m_model->unscheduledLane() : QRectF();
        if (VertexItem* item =
                node.isEmpty() ? nullptr : m_vertices.value(QStringLiteral("Node//") + node)) {
            lane = item->sceneBoundingRect();
        }
        return QPointF(lane.left() + TopologyModel::kLaneHeaderWidth - 12, lane.center().y());
    }
    VertexItem* item = m_vertices.value(target);
    if (item == nullptr) {
        return {};
    }
    return incoming ? item->inPort() : item->outPort();
}

void TopologyView::attach(DisplayEdge& edge) {
    edge.item->attach(portOf(edge.from, false), portOf(edge.to, true));
}

void TopologyView::reference(const QString& displayKey, const TopologyEdge& edge,
                             const QString& target) {
    auto it = m_edges.find(displayKey);
    if (it != m_edges.end()) {
        ++it->references;
        return;
    }
    DisplayEdge shown;
    shown.item = new EdgeItem(TopologyEdge{edge.from, target, edge.kind});
    shown.references = 1;
    shown.from = edge.from;
    shown.to = target;
    attach(shown);
    m_scene->addItem(shown.item);
    m_edges.insert(displayKey, shown);
    m_edgesOfVertex.insert(shown.from, displayKey);
    m_edgesOfVertex.insert(shown.to.startsWith(QLatin1String("lane:"))
                               ? QStringLiteral("Node//") + shown.to.mid(5)
                               : shown.to,
                           displayKey);
}

void TopologyView::release(const QString& displayKey) {
    auto it = m_edges.find(displayKey);
    if (it == m_edges.end() || --it->references > 0) {
        return;
    }
    const QString to = it->to.startsWith(QLatin1String("lane:"))
                           ? QStringLiteral("Node//") + it->to.mid(5)
                           : it->to;
    m_edgesOfVertex.remove(it->from, displayKey);
    m_edgesOfVertex.remove(to, displayKey);
    delete it->item;
    m_edges.erase(it);
}

void TopologyView::addEdge(const TopologyEdge& edge) {
    const QString key = edge.key();
    if (m_displayKeyOf.contains(key) || !m_vertices.contains(edge.from) ||
        !m_vertices.contains(edge.to)) {
        return;
    }
    QString target;
    const QString displayKey = displayKeyOf(edge, &target);
    m_displayKeyOf.insert(key, displayKey);
    m_modelEdgesOf.insert(edge.from, key);
    m_modelEdgesOf.insert(edge.to, key);
    reference(displayKey, edge, target);
}

void TopologyView::removeEdge(const TopologyEdge& edge) {
    const QString key = edge.key();
    auto it = m_displayKeyOf.find(key);
    if (it == m_displayKeyOf.end()) {
        return;
    }
    const QString displayKey = it.value();
    m_displayKeyOf.erase(it);
    m_modelEdgesOf.remove(edge.from, key);
    m_modelEdgesOf.remove(edge.to, key);
    release(displayKey);
}

void TopologyView::reassignEdgesOf(const QString& podId) {
    const QStringList keys = m_modelEdgesOf.values(podId);
    for (const QString& key : keys) {
        auto edge = m_model->edges().constFind(key);
        auto shown = m_displayKeyOf.find(key);
        if (edge == m_model->edges().constEnd() || shown == m_displayKeyOf.end()) {
            continue;
        }
        QString target;
        const QString displayKey = displayKeyOf(*edge, &target);
        if (displayKey != shown.value()) {
            const QString old = shown.value();
            shown.value() = displayKey;
            reference(displayKey, *edge, target);
            release(old);
        }
    }
}

void TopologyView::updateEdgesOf(const QString& id) {
    const QStringList keys = m_edgesOfVertex.values(id);
    for (const QString& key : keys) {
        auto it = m_edges.find(key);
        if (it != m_edges.end()) {
            attach(it.value());
        }
    }
    if (!m_selected.isEmpty() && id == m_selected) {
        updateSelectionEdges();
    }
}

void TopologyView::updateSelectionEdges() {
    qDeleteAll(m_selectionEdges);
    m_selectionEdges.clear();
    if (m_selected.isEmpty()) {
        return;
    }
    const QStringList keys = m_modelEdgesOf.values(m_selected);
    for (const QString& key : keys) {
        auto edge = m_model->edges().constFind(key);
        if (edge == m_model->edges().constEnd()) {
            continue;
        }
        auto* item = new EdgeItem(*edge, true);
        item->attach(portOf(edge->from, false), portOf(edge->to, true));
        m_scene->addItem(item);
        m_selectionEdges.append(item);
    }
}

void TopologyView::updateUnscheduledLane() {
    const QRectF lane = m_model->unscheduledLane();
    if (lane.isNull()) {
        delete m_unscheduledLane;  // deletes its label too
        m_unscheduledLane = nullptr;
        m_unscheduledLabel = nullptr;
        return;
    }
    if (m_unscheduledLane == nullptr) {
        m_unscheduledLane = m_scene->addRect(QRectF(), Qt::NoPen, QColor(0xd9, 0x9a, 0x06, 30));
        m_unscheduledLane->setZValue(-3);
        m_unscheduledLabel = new QGraphicsSimpleTextItem(tr("Unscheduled"), m_unscheduledLane);
        m_unscheduledLabel->setBrush(palette().color(QPalette::WindowText));
    }
    m_unscheduledLane->setRect(lane.adjusted(0, 2, 0, -2));
    m_unscheduledLabel->setPos(lane.topLeft() + QPointF(12, lane.height() / 2 - 8));
}

void TopologyView::applyDelta(const TopologyDelta& delta) {
    // Edges first out, vertices in, then edges in: an edge is always between living items.
    for (const TopologyEdge& edge : delta.edgesRemoved) {
        removeEdge(edge);
    }
    for (const QString& id : delta.removed) {
        removeVertex(id);
    }
    for (const QString& id : delta.added) {
        addVertex(id);
    }
    for (const QString& id : delta.changed) {
        if (VertexItem* item = m_vertices.value(id); item && m_model->vertex(id)) {
            item->setVertex(*m_model->vertex(id), m_animate);
        }
    }
    for (const QString& id : delta.moved) {
        VertexItem* item = m_vertices.value(id);
        const TopologyVertex* vertex = m_model->vertex(id);
        if (item == nullptr || vertex == nullptr) {
            continue;
        }
        if (item->vertex().size != vertex->size) {
            item->setVertex(*vertex, false);
        }
        if (m_animate && vertex->kind != VertexKind::Node &&
            vertex->kind != VertexKind::Namespace) {
            auto* move = new QPropertyAnimation(item, "pos", item);
            move->setEndValue(vertex->position);
            move->setDuration(kMoveMs);
            move->setEasingCurve(QEasingCurve::InOutCubic);
            move->start(QAbstractAnimation::DeleteWhenStopped);
        } else {
            item->setPos(vertex->position);
        }
    }
    for (const TopologyEdge& edge : delta.edgesAdded) {
        addEdge(edge);
    }
    for (const QString& id : delta.moved) {
        if (const TopologyVertex* v = m_model->vertex(id); v && v->kind == VertexKind::Pod) {
            reassignEdgesOf(id);
        }
    }
    updateUnscheduledLane();
    if (!m_selected.isEmpty()) {
        updateSelectionEdges();
    }
    const QRectF bounds = m_model->boundingRect().adjusted(-400, -400, 400, 400);
    m_scene->setSceneRect(bounds.united(m_scene->sceneRect()));
    if (!m_fittedOnce && !m_model->vertices().isEmpty()) {
        m_fittedOnce = true;
        zoomToFit();
    }
}

}  // namespace slipway::gui
