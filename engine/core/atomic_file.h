// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "engine/core/result.h"

namespace slipway::core {

/// Replaces `path` with `content` so that readers see the old file or the new one, never a
/// torn one, even after a crash: write a temporary file beside it, fsync, rename over.
Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content,
                                 mode_t mode = 0644);

/// Reads a whole file; a missing file is NotFound, other failures Io.
Result<std::string> readFile(const std::filesystem::path& path);

}  // namespace slipway::core
