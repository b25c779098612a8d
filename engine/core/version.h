// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace slipway::core {

/// Slipway's own release, e.g. "0.1.0".
std::string slipwayVersion();

/// The Kubernetes version the engine speaks, as `gitVersion`: "v1.32.0-slipway.0.1.0".
std::string kubernetesGitVersion();

/// The body of `GET /version`: a Kubernetes `version.Info`. kubectl's dispatcher reads `minor`
/// to pick its binary, so major/minor must be the Kubernetes ones, not Slipway's.
nlohmann::json versionInfo();

}  // namespace slipway::core
