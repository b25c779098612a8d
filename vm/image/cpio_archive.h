// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "engine/core/result.h"

namespace slipway::vm::image {

/// How an initramfs is compressed. The kernel unpacks each of these itself (CONFIG_RD_GZIP,
/// CONFIG_RD_ZSTD); libarchive writes LZ4 only in the frame format, which the kernel's legacy
/// LZ4 unpacker does not read, so LZ4 is not offered.
enum class Compression { None, Gzip, Zstd };

std::string_view compressionName(Compression compression);
/// "none", "gzip" or "zstd"; nullopt for anything else.
std::optional<Compression> parseCompression(std::string_view name);

/// A newc cpio archive (the initramfs format) built in memory and written with libarchive so
/// that the same entries always give the same bytes: entries sorted by path, every parent
/// directory present, mtime 0, uid and gid 0, inode numbers by position, no timestamps in the
/// compression header.
class CpioArchive {
public:
    enum class Type { File, Directory, Symlink };

    struct Entry {
        Type type = Type::File;
        std::uint32_t mode = 0644;  ///< permission bits only (07777)
        std::string content;        ///< file bytes, or the symlink's target
        /// A file whose bytes are read when the archive is written (large files stay on disk).
        std::filesystem::path source;
    };

    /// `path` is relative to the archive's root ("usr/bin/busybox"; a leading "/" or "./" is
    /// dropped). A later add of the same path replaces the earlier one. Missing parent
    /// directories are added with mode 0755.
    void addFile(std::string_view path, std::string content, std::uint32_t mode = 0644);
    void addFileFrom(std::string_view path, const std::filesystem::path& source,
                     std::uint32_t mode);
    void addDirectory(std::string_view path, std::uint32_t mode = 0755);
    void addSymlink(std::string_view path, std::string target);

    bool contains(std::string_view path) const;
    const std::map<std::string, Entry>& entries() const { return m_entries; }

    /// Writes the archive to `out` (replacing it atomically) with file mode `mode`.
    core::Result<void> write(const std::filesystem::path& out, Compression compression,
                             mode_t mode = 0644) const;
    /// The archive's bytes.
    core::Result<std::string> toBytes(Compression compression) const;

    /// "usr/bin/../lib/x" → "usr/lib/x"; empty for the root or for paths that leave it.
    static std::string normalizePath(std::string_view path);

private:
    void addParents(const std::string& path);

    std::map<std::string, Entry> m_entries;
};

}  // namespace slipway::vm::image
