// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <archive.h>
#include <archive_entry.h>

namespace slipway::vm::image::testing {

/// One entry of a cpio archive as libarchive reads it back.
struct ReadEntry {
    unsigned type = 0;  ///< AE_IFREG, AE_IFDIR, AE_IFLNK
    unsigned mode = 0;  ///< permission bits
    std::int64_t uid = -1;
    std::int64_t gid = -1;
    std::int64_t mtime = -1;
    std::int64_t inode = -1;
    std::string content;  ///< file bytes or symlink target
};

/// The entries of `bytes` (any compression libarchive reads) in archive order. `ok` is false
/// when libarchive rejects the data; `formats` collects the archive format names it saw.
struct ReadArchive {
    bool ok = false;
    std::vector<std::string> order;
    std::map<std::string, ReadEntry> entries;
    std::vector<std::string> formats;
};

inline ReadArchive readCpio(const std::string& bytes) {
    ReadArchive out;
    std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(),
                                                                archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_cpio(a.get());
    // Concatenated archives (base + config) read as one.
    archive_read_set_options(a.get(), "read_concatenated_archives");
    if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
        return out;
    }
    struct archive_entry* entry = nullptr;
    int status = ARCHIVE_OK;
    while ((status = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
        ReadEntry read;
        read.type = archive_entry_filetype(entry);
        read.mode = archive_entry_perm(entry);
        read.uid = archive_entry_uid(entry);
        read.gid = archive_entry_gid(entry);
        read.mtime = archive_entry_mtime(entry);
        read.inode = archive_entry_ino64(entry);
        if (read.type == AE_IFLNK) {
            read.content = archive_entry_symlink(entry);
        } else {
            char buffer[65536];
            la_ssize_t n;
            while ((n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0) {
                read.content.append(buffer, static_cast<std::size_t>(n));
            }
        }
        const std::string format = archive_format_name(a.get());
        if (out.formats.empty() || out.formats.back() != format) {
            out.formats.push_back(format);
        }
        const std::string path = archive_entry_pathname(entry);
        out.order.push_back(path);
        out.entries[path] = std::move(read);
    }
    out.ok = status == ARCHIVE_EOF;
    return out;
}

}  // namespace slipway::vm::image::testing
