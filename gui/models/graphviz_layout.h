// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

struct GVC_s;

namespace slipway::gui {

/// A graph to lay out: boxes of a given size, optionally in a cluster (drawn as a box around
/// its members), joined by directed edges.
struct LayoutGraph {
    struct Node {
        QString id;
        QSizeF size;
        QString cluster;  ///< id of the cluster it belongs to, or empty
    };
    struct Cluster {
        QString id;
        QString label;
    };
    struct Edge {
        QString from;
        QString to;
    };
    QList<Cluster> clusters;
    QList<Node> nodes;
    QList<Edge> edges;
};

/// Where the layout put things, in a y-down coordinate system whose bounding box starts at
/// (0, 0). Positions are the centres of the nodes.
struct LayoutResult {
    QHash<QString, QPointF> positions;
    QHash<QString, QRectF> clusterRects;
    QRectF boundingRect;
};

/// Hierarchical layout with Graphviz's dot (libgvc): ranks left to right, crossings minimised,
/// clusters kept together. Graphviz is not thread-safe: use one instance from one thread.
class GraphvizLayout {
public:
    GraphvizLayout();
    ~GraphvizLayout();
    GraphvizLayout(const GraphvizLayout&) = delete;
    GraphvizLayout& operator=(const GraphvizLayout&) = delete;

    /// Lays `graph` out. Deterministic: the same graph (in the same order) gives the same result.
    LayoutResult layout(const LayoutGraph& graph);

private:
    GVC_s* m_context;
};

}  // namespace slipway::gui
