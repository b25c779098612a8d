// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engine/core/result.h"

namespace slipway::vm {

/// The kubeconfig file kubectl would write a new context to, as client-go chooses it: with
/// $KUBECONFIG set, the first file of its list that exists, else the list's last entry; without
/// it, ~/.kube/config. Empty when there is neither $KUBECONFIG nor a home directory.
std::filesystem::path userKubeconfigPath();

/// Copies the cluster, user and context named `contextName` from the cluster's own kubeconfig
/// (`clusterKubeconfig`, as slipwayd or the VM driver write it) into `target`, replacing
/// entries of that name and leaving every other entry, field and preference of `target` as it
/// was; with `makeCurrent`, also sets current-context (as `minikube start` does). Creates
/// `target` (mode 0600, with its folder) if absent. Holds `<target>.lock` while it
/// reads and writes, as client-go does, so a concurrent kubectl does not lose an edit.
core::Result<void> mergeClusterKubeconfig(const std::filesystem::path& clusterKubeconfig,
                                          const std::string& contextName,
                                          const std::filesystem::path& target,
                                          bool makeCurrent = true);

/// Removes the cluster, user and context named `contextName` from `target`, and clears
/// current-context if it named them. A missing file or entry is success (idempotent).
core::Result<void> removeClusterKubeconfig(const std::string& contextName,
                                           const std::filesystem::path& target);

}  // namespace slipway::vm
