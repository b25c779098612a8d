// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/core/result.h"

namespace slipway::agent::images::detail {

/// How an unpacked layer records deletions of lower layers' files.
enum class WhiteoutFormat {
    Oci,      ///< as in the tar: ".wh.<name>" files and ".wh..wh..opq" markers
    Overlay,  ///< as overlayfs reads them: a 0:0 character device and trusted.overlay.opaque=y
};

struct UnpackedLayer {
    std::string blobDigest;       ///< sha256 of the (possibly compressed) blob
    std::string diffId;           ///< sha256 of the uncompressed tar
    std::uint64_t sizeBytes = 0;  ///< sum of the regular files' sizes
    std::uint64_t skippedDevices = 0;
};

/// Unpacks a layer blob (tar, plain or gzip/zstd/xz/bzip2-compressed) into the empty directory
/// `dest`. Paths with ".." or that lead through a symlink are refused; hard links must point
/// inside the layer; device nodes are skipped (the runtime provides /dev). Ownership is kept
/// when running as root.
core::Result<UnpackedLayer> unpackLayer(const std::filesystem::path& blob,
                                        const std::filesystem::path& dest, WhiteoutFormat format);

/// Copies the unpacked layer in `layerDir` onto `target`, deleting what its whiteouts delete
/// and emptying its opaque directories first. Never follows a symlink in `target`.
core::Result<void> applyLayerByCopy(const std::filesystem::path& layerDir,
                                    const std::filesystem::path& target, WhiteoutFormat format);

/// A path from an archive made relative and clean ("./a//b/" → "a/b"); empty for the root;
/// an error for ".." components.
core::Result<std::string> cleanArchivePath(std::string_view name);

}  // namespace slipway::agent::images::detail
