// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "engine/client/rest_client.h"
#include "engine/core/result.h"

namespace slipway::vm {

/// The API server, CA and credentials of the current context of the kubeconfig file at
/// `path` (a cluster's own, as slipwayd wrote it).
core::Result<client::ClientConfig> clientConfigFrom(const std::filesystem::path& path);

}  // namespace slipway::vm
