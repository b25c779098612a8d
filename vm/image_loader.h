// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::vm {

/// One image a node loaded.
struct LoadedImage {
    std::string node;
    std::string id;                     ///< "sha256:…"
    std::vector<std::string> repoTags;  ///< "slipway.local/flask:1"
};

/// `slipway image load FILE` (and Studio's): sends a `docker save` or OCI-layout tarball to
/// every real node of the cluster behind `kubeconfig`, through the API server's nodes/proxy
/// to each node agent's /images/load. The file is streamed from disk, so its size is bounded
/// by the nodes' disks, not by memory. Simulated nodes run no containers and are skipped.
/// `progress` hears "node N: loading…" lines. An error names the node that refused.
core::Result<std::vector<LoadedImage>> loadImage(
    const std::filesystem::path& kubeconfig, const std::filesystem::path& archive,
    const std::function<void(const std::string&)>& progress = {});

}  // namespace slipway::vm
