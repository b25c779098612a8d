// SPDX-License-Identifier: Apache-2.0
#include "gui/models/resource_event.h"

#include <array>

namespace slipway::gui {

std::string_view resourceKindName(ResourceKind kind) {
    static constexpr std::array<std::string_view, kResourceKindCount> kNames = {
        "Namespace",   "Node",      "Pod", "Deployment", "ReplicaSet",
        "StatefulSet", "DaemonSet", "Job", "Service",    "EndpointSlice"};
    return kNames.at(static_cast<std::size_t>(kind));
}

QString qStringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const nlohmann::json& value = object.at(pointer);
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

std::optional<WorkloadObjects::Change> WorkloadObjects::apply(const ResourceEvent& event) {
    if (!event.object) {
        return std::nullopt;
    }
    QHash<QString, client::ObjectPtr>* objects = nullptr;
    switch (event.kind) {
        case ResourceKind::Deployment:
            objects = &deployments;
            break;
        case ResourceKind::ReplicaSet:
            objects = &replicaSets;
            break;
        case ResourceKind::Pod:
            objects = &pods;
            break;
        default:
            return std::nullopt;
    }
    Change change;
    change.kind = event.kind;
    change.nameSpace = qStringAt(*event.object, "/metadata/namespace"_json_pointer);
    const QString key = change.nameSpace + QLatin1Char('/') +
                        qStringAt(*event.object, "/metadata/name"_json_pointer);
    if (event.type == ResourceEvent::Type::Deleted) {
        change.vanished = objects->remove(key) > 0;
    } else {
        change.appeared = !objects->contains(key);
        objects->insert(key, event.object);
    }
    return change;
}

}  // namespace slipway::gui
