// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>

#include <sys/types.h>

#include "engine/core/result.h"

namespace slipway::core {

/// writeFileAtomically without the fsync: readers see the old file or the new one, never a torn
/// one, but a power loss may leave either, or an empty file. For state that a reboot makes
/// stale anyway (a running container's bundle), where an fsync per write
/// only costs a pod's start-up time on a busy disk.
Result<void> replaceFile(const std::filesystem::path& path, std::string_view content,
                         mode_t mode = 0644);

}  // namespace slipway::core
