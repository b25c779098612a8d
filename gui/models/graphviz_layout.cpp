// SPDX-License-Identifier: Apache-2.0
#include "gui/models/graphviz_layout.h"

#include <string>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace slipway::gui {

namespace {

constexpr double kPointsPerInch = 72.0;

std::string number(double value) {
    return std::to_string(value);
}

void set(void* object, const char* name, const std::string& value) {
    // cgraph's API predates const.
    static char empty[] = "";
    agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()), empty);
}

QRectF rectOf(const boxf& box, double height) {
    // Graphviz's y axis points up; Qt's down.
    return QRectF(QPointF(box.LL.x, height - box.UR.y), QPointF(box.UR.x, height - box.LL.y));
}

}  // namespace

GraphvizLayout::GraphvizLayout() : m_context(gvContext()) {
    agseterr(AGERR);  // warnings about our own graphs would only be noise on stderr
}

GraphvizLayout::~GraphvizLayout() {
    gvFreeContext(m_context);
}

LayoutResult GraphvizLayout::layout(const LayoutGraph& graph) {
    LayoutResult result;
    if (graph.nodes.isEmpty()) {
        return result;
    }
    std::string name = "topology";
    Agraph_t* g = agopen(name.data(), Agdirected, nullptr);
    set(g, "rankdir", "LR");
    set(g, "nodesep", "0.25");
    set(g, "ranksep", "0.9");
    set(g, "splines", "false");  // we draw our own edges; skipping routing saves most of the time
    set(g, "ordering", "out");

    QHash<QString, Agraph_t*> clusters;
    for (const LayoutGraph::Cluster& cluster : graph.clusters) {
        std::string clusterName = "cluster_" + cluster.id.toStdString();
        Agraph_t* sub = agsubg(g, clusterName.data(), 1);
        set(sub, "label", cluster.label.toStdString());
        set(sub, "labeljust", "l");
        set(sub, "fontsize", "14");
        set(sub, "margin", "16");
        clusters.insert(cluster.id, sub);
    }
    QHash<QString, Agnode_t*> nodes;
    for (const LayoutGraph::Node& node : graph.nodes) {
        Agraph_t* parent = clusters.value(node.cluster, g);
        std::string nodeName = node.id.toStdString();
        Agnode_t* n = agnode(parent, nodeName.data(), 1);
        set(n, "shape", "box");
        set(n, "fixedsize", "true");
        set(n, "label", "");
        set(n, "width", number(node.size.width() / kPointsPerInch));
        set(n, "height", number(node.size.height() / kPointsPerInch));
        nodes.insert(node.id, n);
    }
    for (const LayoutGraph::Edge& edge : graph.edges) {
        Agnode_t* from = nodes.value(edge.from);
        Agnode_t* to = nodes.value(edge.to);
        if (from != nullptr && to != nullptr && from != to) {
            agedge(g, from, to, nullptr, 1);
        }
    }

    if (gvLayout(m_context, g, "dot") == 0) {
        const boxf bb = GD_bb(g);
        const double height = bb.UR.y;
        for (auto it = nodes.cbegin(); it != nodes.cend(); ++it) {
            const pointf c = ND_coord(it.value());
            result.positions.insert(it.key(), QPointF(c.x - bb.LL.x, height - c.y));
        }
        for (auto it = clusters.cbegin(); it != clusters.cend(); ++it) {
            result.clusterRects.insert(it.key(),
                                       rectOf(GD_bb(it.value()), height).translated(-bb.LL.x, 0));
        }
        result.boundingRect = QRectF(0, 0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
        gvFreeLayout(m_context, g);
    }
    agclose(g);
    return result;
}

}  // namespace slipway::gui
