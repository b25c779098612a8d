// SPDX-License-Identifier: Apache-2.0
#include "vm/image/cpio_archive.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include "engine/core/atomic_file.h"

namespace slipway::vm::image {

namespace {

using core::Error;
using core::ErrorCode;

struct ArchiveDeleter {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
    void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t appendToString(struct archive*, void* userData, const void* buffer, size_t length) {
    static_cast<std::string*>(userData)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

Error archiveError(struct archive* a, const std::string& what) {
    const char* reason = archive_error_string(a);
    return Error(ErrorCode::Io, what + ": " + (reason ? reason : "unknown libarchive error"));
}

}  // namespace

std::string_view compressionName(Compression compression) {
    switch (compression) {
        case Compression::None:
            return "none";
        case Compression::Gzip:
            return "gzip";
        case Compression::Zstd:
            return "zstd";
    }
    return "none";
}

std::optional<Compression> parseCompression(std::string_view name) {
    for (auto compression : {Compression::None, Compression::Gzip, Compression::Zstd}) {
        if (compressionName(compression) == name) {
            return compression;
        }
    }
    return std::nullopt;
}

std::string CpioArchive::normalizePath(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= path.size()) {
        const std::size_t end = std::min(path.find('/', at), path.size());
        const std::string_view part = path.substr(at, end - at);
        if (part == "..") {
            if (parts.empty()) {
                return {};
            }
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.emplace_back(part);
        }
        at = end + 1;
    }
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return out;
}

void CpioArchive::addParents(const std::string& path) {
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        const std::string parent = path.substr(0, slash);
        if (!m_entries.contains(parent)) {
            m_entries.emplace(parent, Entry{Type::Directory, 0755, {}, {}});
        }
    }
}

void CpioArchive::addFile(std::string_view path, std::string content, std::uint32_t mode) {
    const std::string name = normalizePath(path);
    if (name.empty()) {
        return;
    }
    addParents(name);
    m_entries[name] = Entry{Type::File, mode & 07777, std::move(content), {}};
}

void CpioArchive::addFileFrom(std::string_view path, const std::filesystem::path& source,
                              std::uint32_t mode) {
    const std::string name = normalizePath(path);
    if (name.empty()) {
        return;
    }
    addParents(name);
    m_entries[name] = Entry{Type::File, mode & 07777, {}, source};
}

void CpioArchive::addDirectory(std::string_view path, std::uint32_t mode) {
    const std::string name = normalizePath(path);
    if (name.empty()) {
        return;
    }
    addParents(name);
    m_entries[name] = Entry{Type::Directory, mode & 07777, {}, {}};
}

void CpioArchive::addSymlink(std::string_view path, std::string target) {
    const std::string name = normalizePath(path);
    if (name.empty()) {
        return;
    }
    addParents(name);
    m_entries[name] = Entry{Type::Symlink, 0777, std::move(target), {}};
}

bool CpioArchive::contains(std::string_view path) const {
    return m_entries.contains(normalizePath(path));
}

core::Result<std::string> CpioArchive::toBytes(Compression compression) const {
    std::unique_ptr<struct archive, ArchiveDeleter> a(archive_write_new());
    archive_write_set_format_cpio_newc(a.get());
    switch (compression) {
        case Compression::None:
            archive_write_add_filter_none(a.get());
            break;
        case Compression::Gzip:
            archive_write_add_filter_gzip(a.get());
            // No modification time in the gzip header: same inputs, same bytes.
            archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr);
            archive_write_set_filter_option(a.get(), "gzip", "compression-level", "6");
            break;
        case Compression::Zstd:
            archive_write_add_filter_zstd(a.get());
            archive_write_set_filter_option(a.get(), "zstd", "compression-level", "9");
            break;
    }
    // No block padding: the archive ends with its trailer (the kernel skips zeros anyway).
    archive_write_set_bytes_per_block(a.get(), 0);
    archive_write_set_bytes_in_last_block(a.get(), 1);
    std::string out;
    if (archive_write_open(a.get(), &out, nullptr, appendToString, nullptr) != ARCHIVE_OK) {
        return archiveError(a.get(), "starting a cpio archive");
    }
    // std::map iterates in byte order of the path: a parent always comes before its children.
    std::int64_t inode = 0;
    std::vector<char> buffer(1 << 16);
    for (const auto& [path, entry] : m_entries) {
        std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
        archive_entry_set_pathname(e.get(), path.c_str());
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        archive_entry_set_mtime(e.get(), 0, 0);
        archive_entry_set_dev(e.get(), 0);
        archive_entry_set_ino64(e.get(), ++inode);
        archive_entry_set_perm(e.get(), static_cast<mode_t>(entry.mode));
        std::ifstream source;
        std::uint64_t size = 0;
        switch (entry.type) {
            case Type::Directory:
                archive_entry_set_filetype(e.get(), AE_IFDIR);
                archive_entry_set_nlink(e.get(), 2);
                archive_entry_set_size(e.get(), 0);
                break;
            case Type::Symlink:
                archive_entry_set_filetype(e.get(), AE_IFLNK);
                archive_entry_set_symlink(e.get(), entry.content.c_str());
                archive_entry_set_nlink(e.get(), 1);
                // The writer stores the target as the entry's data.
                archive_entry_set_size(e.get(), 0);
                break;
            case Type::File:
                archive_entry_set_filetype(e.get(), AE_IFREG);
                archive_entry_set_nlink(e.get(), 1);
                if (entry.source.empty()) {
                    size = entry.content.size();
                } else {
                    std::error_code ec;
                    size = std::filesystem::file_size(entry.source, ec);
                    source.open(entry.source, std::ios::binary);
                    if (ec || !source) {
                        return Error(ErrorCode::Io, "cannot read " + entry.source.string() +
                                                        " (for " + path + ")");
                    }
                }
                archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
                break;
        }
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
            return archiveError(a.get(), "writing the header of " + path);
        }
        if (entry.type != Type::File) {
            continue;
        }
        if (entry.source.empty()) {
            if (!entry.content.empty() &&
                archive_write_data(a.get(), entry.content.data(), entry.content.size()) < 0) {
                return archiveError(a.get(), "writing " + path);
            }
            continue;
        }
        std::uint64_t copied = 0;
        while (copied < size) {
            const std::uint64_t want = std::min<std::uint64_t>(buffer.size(), size - copied);
            source.read(buffer.data(), static_cast<std::streamsize>(want));
            const auto n = static_cast<std::size_t>(source.gcount());
            if (n == 0) {
                return Error(ErrorCode::Io, entry.source.string() + " shrank while being read");
            }
            if (archive_write_data(a.get(), buffer.data(), n) < 0) {
                return archiveError(a.get(), "writing " + path);
            }
            copied += n;
        }
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        return archiveError(a.get(), "finishing the cpio archive");
    }
    return out;
}

core::Result<void> CpioArchive::write(const std::filesystem::path& out, Compression compression,
                                      mode_t mode) const {
    auto bytes = toBytes(compression);
    if (!bytes) {
        return bytes.error();
    }
    return core::writeFileAtomically(out, *bytes, mode);
}

}  // namespace slipway::vm::image
