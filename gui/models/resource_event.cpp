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

}  // namespace slipway::gui
