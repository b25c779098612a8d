// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSet>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include "engine/core/label_selector.h"
#include "gui/models/resource_event.h"

namespace slipway::gui {

class GraphvizLayout;

/// What a vertex of the topology stands for.
enum class VertexKind {
    Namespace,
    Node,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    Service,
    Pod,
};

/// The state a vertex is drawn in. For pods it follows kubectl's STATUS column (a Running pod
/// whose containers are all ready is Ready); controllers are Ready when every replica is,
/// Progressing while they are getting there.
enum class VertexState {
    Unknown,
    Pending,
    ContainerCreating,
    Progressing,
    Running,
    Ready,
    NotReady,
    CrashLoopBackOff,
    Error,
    Terminating,
    Succeeded,
    Failed,
};

/// The palette entry a state is drawn with; the view maps roles to colours (light or dark).
enum class ColorRole {
    Neutral,   ///< nothing to say (a Service without selector)
    Waiting,   ///< pending, creating containers
    Progress,  ///< running, not ready yet; a rollout in progress
    Healthy,   ///< ready
    Warning,   ///< not ready although it should be
    Danger,    ///< crashing, failed
    Done,      ///< completed
    Muted,     ///< going away
};

/// One box of the topology.
struct TopologyVertex {
    QString id;  ///< "Pod/default/web-7d4-x2x", "Node//sim-node-1"
    VertexKind kind = VertexKind::Pod;
    QString name;
    QString nameSpace;  ///< empty for Nodes and Namespaces
    QString uid;
    VertexState state = VertexState::Unknown;
    ColorRole color = ColorRole::Neutral;
    /// What kubectl's STATUS column says ("Running", "CrashLoopBackOff", "Init:0/1") for pods,
    /// the phase or condition for other kinds.
    QString status;
    /// kubectl's READY column: "1/1" for a pod, "3/5" for a controller; empty where none.
    QString ready;
    int restarts = 0;
    QMap<QString, QString> labels;
    QString nodeName;  ///< Pods: spec.nodeName, empty while unscheduled
    QString ownerId;   ///< the vertex id of the controlling owner, empty if none
    /// Centre (for Namespace and Node vertices: top left of their box) in scene coordinates.
    QPointF position;
    QSizeF size;
    client::ObjectPtr object;  ///< the object as last seen

    /// The vertex's rectangle in scene coordinates.
    QRectF rect() const;
};

/// A line of the topology: from owner to owned (Owns), or from a Service to a pod it sends
/// traffic to (Routes).
struct TopologyEdge {
    enum class Kind { Owns, Routes };
    QString from;
    QString to;
    Kind kind = Kind::Owns;

    QString key() const { return from + QLatin1Char('>') + to; }
    friend bool operator==(const TopologyEdge&, const TopologyEdge&) = default;
};

/// What one update changed, for a view to apply incrementally (and animate).
struct TopologyDelta {
    QStringList added;    ///< vertices new to the graph
    QStringList removed;  ///< vertices gone (their last state is no longer in the model)
    QStringList changed;  ///< vertices whose object or state changed
    QStringList moved;    ///< vertices whose position or size changed
    QList<TopologyEdge> edgesAdded;
    QList<TopologyEdge> edgesRemoved;
    /// The skeleton was laid out again (the set of controllers or the filter changed).
    bool relaidOut = false;

    bool isEmpty() const;
};

/// Which part of the cluster is shown.
struct TopologyFilter {
    QStringList namespaces;  ///< empty: all
    QString labelSelector;   ///< kubectl -l syntax; applies to workloads, pods and services
    QSet<VertexKind> kinds;  ///< empty: all

    friend bool operator==(const TopologyFilter&, const TopologyFilter&) = default;
};

/// The live topology of a cluster as a graph with a layout: namespaces, nodes, controllers,
/// services and pods, their ownership and routing, fed by ResourceEvents (from
/// ClusterConnection) and independent of any widget.
///
/// Layout, in scene coordinates:
/// - Node lanes, right of x = 0: one horizontal lane per node in name order (numbers compared
///   as numbers), at a fixed height, and an "Unscheduled" lane above y = 0. A pod takes the
///   lowest free slot of its node's lane and keeps it while it exists, so pods coming and going
///   never move their neighbours.
/// - The skeleton, left of x = 0: Services, Deployments, ReplicaSets, StatefulSets, DaemonSets
///   and Jobs, laid out by Graphviz dot, grouped in a box per namespace. Dot runs only when the
///   set of skeleton vertices or their edges changes (a new ReplicaSet, a filter), not when a
///   pod or a controller's status does.
class TopologyModel : public QObject {
    Q_OBJECT

public:
    static constexpr QSizeF kPodSize{150, 40};
    static constexpr double kSlotWidth = 162;
    static constexpr double kLaneHeight = 60;
    static constexpr double kLaneHeaderWidth = 180;
    static constexpr int kMinimumLaneSlots = 4;
    static constexpr QSizeF kControllerSize{190, 48};
    /// The gap between the skeleton's right edge and the lanes (x = 0).
    static constexpr double kSkeletonGap = 120;

    explicit TopologyModel(QObject* parent = nullptr);
    ~TopologyModel() override;

    /// Applies a batch of changes and emits one topologyChanged for it.
    void applyEvents(const ResourceEvents& events);
    /// Forgets everything (a new connection).
    void clear();

    /// The vertices shown (those passing the filter), by id.
    const QHash<QString, TopologyVertex>& vertices() const { return m_visible; }
    const TopologyVertex* vertex(const QString& id) const;
    /// The edges shown, by TopologyEdge::key().
    const QHash<QString, TopologyEdge>& edges() const { return m_edges; }
    /// The shown vertices of `kind`, sorted by namespace and name.
    QList<const TopologyVertex*> verticesOfKind(VertexKind kind) const;
    /// The shown vertices `id` has an edge of `kind` to.
    QStringList targetsOf(const QString& id,
                          TopologyEdge::Kind kind = TopologyEdge::Kind::Owns) const;
    /// Every namespace the cluster has, sorted (for a filter's choices).
    QStringList allNamespaces() const;
    /// The scene rectangle everything shown fits in.
    QRectF boundingRect() const;
    /// The lane of pods no node runs (yet), above the node lanes; null when there are none.
    QRectF unscheduledLane() const { return m_unscheduledLane; }
    /// How often dot has run (tests check it does not run for pod changes).
    int skeletonLayoutCount() const { return m_skeletonLayouts; }

    const TopologyFilter& filter() const { return m_filter; }
    /// Shows only what `filter` selects (and lays that out anew). Returns an error message for
    /// a malformed label selector, leaving the filter as it was; empty on success.
    QString setFilter(const TopologyFilter& filter);

    /// The shown vertices whose name, "kind/name" or a label value contains `text` (case
    /// insensitively), in kind, namespace and name order.
    QStringList search(const QString& text) const;

    static QString vertexId(VertexKind kind, const QString& nameSpace, const QString& name);
    /// "Deployment", "Pod", ...: the Kubernetes kind name (not translated).
    static QString kindName(VertexKind kind);
    /// The translated name of a state, for legends and tooltips.
    static QString stateText(VertexState state);
    static ColorRole colorRoleOf(VertexState state);

    /// kubectl's STATUS for a pod (k8s.io/kubernetes printers: printPod), its READY ("1/2")
    /// and RESTARTS; exposed for tests.
    struct PodStatus {
        QString status;
        QString ready;
        int restarts = 0;
        VertexState state = VertexState::Unknown;
    };
    static PodStatus podStatus(const nlohmann::json& pod);

signals:
    /// One batch (or a filter change) has been applied.
    void topologyChanged(const slipway::gui::TopologyDelta& delta);
    /// allNamespaces() changed.
    void namespacesChanged();

private:
    struct LaneSlots {
        QStringList podIds;  ///< pod id per slot, empty when free
    };

    TopologyVertex derive(ResourceKind kind, const client::ObjectPtr& object) const;
    void rebuild(bool fullLayout);
    bool passesFilter(const TopologyVertex& vertex) const;
    QHash<QString, TopologyEdge> computeEdges(QHash<QString, TopologyVertex>& vertices) const;
    void layoutSkeleton(QHash<QString, TopologyVertex>& vertices,
                        const QHash<QString, TopologyEdge>& edges, bool force);
    void layoutLanes(QHash<QString, TopologyVertex>& vertices);

    std::array<QHash<QString, client::ObjectPtr>, kResourceKindCount> m_objects;
    QHash<QString, TopologyVertex> m_derived;  ///< every vertex, filter or not
    QHash<QString, TopologyVertex> m_visible;
    QHash<QString, TopologyEdge> m_edges;
    TopologyFilter m_filter;
    std::optional<core::LabelSelector> m_selector;  ///< parsed labelSelector; none when empty
    QStringList m_namespaces;

    // Layout state kept between updates, so that it is stable.
    std::unique_ptr<GraphvizLayout> m_graphviz;
    QString m_skeletonSignature;
    QHash<QString, QPointF> m_skeletonPositions;
    QHash<QString, QRectF> m_namespaceRects;
    QRectF m_skeletonRect;
    QRectF m_unscheduledLane;
    QHash<QString, LaneSlots> m_lanes;               ///< by node name ("" = unscheduled)
    QHash<QString, QPair<QString, int>> m_podSlots;  ///< pod id → (node name, slot)
    int m_skeletonLayouts = 0;
};

}  // namespace slipway::gui

Q_DECLARE_METATYPE(slipway::gui::TopologyDelta)
