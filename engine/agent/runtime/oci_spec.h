// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agent/runtime/runtime.h"

namespace slipway::agent::runtime {

/// containerd's default capability set for unprivileged containers.
const std::vector<std::string>& defaultCapabilities();
/// Every capability the kernel knows (privileged containers, "ALL" in add).
const std::vector<std::string>& allCapabilities();

/// The capability set after add/drop (names normalised to CAP_…): drop "ALL" starts from
/// nothing, add "ALL" gives every one; privileged gives every one.
std::vector<std::string> effectiveCapabilities(const ContainerConfig& config);

/// The OCI runtime spec (config.json for runc 1.1, ociVersion 1.0.2) of a container: process
/// (args, env, cwd, user, capabilities, rlimits, noNewPrivileges, oomScoreAdj, terminal),
/// root (rootfs path, readonly), hostname, default mounts plus the config's, namespaces
/// (pid, ipc, uts, mount new; network joined at config.sandbox), cgroupsPath, resources,
/// masked and readonly paths (none when privileged), annotations.
nlohmann::json ociSpec(const ContainerConfig& config, const std::string& cgroupsPath);

}  // namespace slipway::agent::runtime
