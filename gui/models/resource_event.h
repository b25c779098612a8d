// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>
#include <vector>

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

}  // namespace slipway::gui
