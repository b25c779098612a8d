// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slipway::gui {

/// The kinds the manifest editor has templates and forms for, in menu order: Deployment,
/// Service, ConfigMap, Secret, Job, Ingress, PersistentVolumeClaim.
const std::vector<std::string>& manifestTemplateKinds();

/// A commented YAML manifest for a new object of `kind` named `name`, valid as it stands
/// (tests check it against slipwayd's validation). Empty for other kinds.
std::string manifestTemplate(std::string_view kind, std::string_view name = "example");

}  // namespace slipway::gui
