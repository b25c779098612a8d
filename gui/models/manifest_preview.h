// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/models/resource_event.h"

namespace slipway::gui {

/// What applying a manifest would create, as objects a TopologyModel draws: the manifest's
/// own workloads and Services, and what their controllers would make of them before any
/// scheduling. A Deployment of 3 replicas becomes Deployment → ReplicaSet (named with a
/// pod-template-hash, as the Deployment controller names it) → 3 Pending pods carrying the
/// template's labels; a ReplicaSet or StatefulSet its pods (StatefulSet pods ordinal-named);
/// a Job `parallelism` pods; a Service selects the pods its selector matches, as the topology
/// shows a Service before its EndpointSlices exist. Namespaces are added for what they hold.
/// Other kinds (ConfigMaps, Secrets, Ingresses, claims) have no vertex in the topology.
class ManifestPreview {
public:
    /// The events that turn the previous preview into the one of `objects`: Added or Modified
    /// for what is (still) there, Deleted for what is gone. Feed them to
    /// TopologyModel::applyEvents.
    ResourceEvents update(const std::vector<nlohmann::json>& objects);

    /// The preview objects of `objects`, each with the kind the topology shows it as.
    static std::vector<std::pair<ResourceKind, nlohmann::json>> previewObjects(
        const std::vector<nlohmann::json>& objects);

private:
    /// "kind/namespace/name" → the object shown now.
    std::map<std::string, std::pair<ResourceKind, nlohmann::json>> m_shown;
};

}  // namespace slipway::gui
