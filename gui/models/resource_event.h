// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <QHash>
#include <QString>

#include "engine/client/indexer.h"

namespace slipway::gui {

/// The kinds of object Studio's live views watch. Each has an informer in ClusterConnection.
enum class ResourceKind {
    Namespace,
    Node,
    Pod,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    Service,
    EndpointSlice,
};

inline constexpr int kResourceKindCount = 10;

/// The Kubernetes kind name ("Deployment"), as in an object's `kind` and ownerReferences.
std::string_view resourceKindName(ResourceKind kind);

/// One change an informer saw, as delivered to the GUI thread: the object as it is now (added
/// or modified) or as it was last (deleted). Objects are shared and immutable.
struct ResourceEvent {
    enum class Type { Added, Modified, Deleted };

    Type type = Type::Added;
    ResourceKind kind = ResourceKind::Pod;
    client::ObjectPtr object;
};

/// A batch of changes, oldest first; at most one per object (the latest).
using ResourceEvents = std::vector<ResourceEvent>;

/// The string at `pointer` in `object`, or empty when it is absent or not a string.
QString qStringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer);

/// The Deployments, ReplicaSets and Pods of a cluster by "namespace/name", kept up to date from
/// ResourceEvents: what the rollout and log views work from.
struct WorkloadObjects {
    QHash<QString, client::ObjectPtr> deployments;
    QHash<QString, client::ObjectPtr> replicaSets;
    QHash<QString, client::ObjectPtr> pods;

    /// What one event changed.
    struct Change {
        ResourceKind kind = ResourceKind::Pod;
        QString nameSpace;
        bool appeared = false;  ///< an object not kept before
        bool vanished = false;  ///< a kept object deleted
    };
    /// Applies `event`; nothing for the kinds it does not keep (or an event without object).
    std::optional<Change> apply(const ResourceEvent& event);
};

}  // namespace slipway::gui
