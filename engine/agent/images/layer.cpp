// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/layer.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "engine/agent/images/sha256.h"

namespace slipway::agent::images::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr const char* kOpaqueXattr = "trusted.overlay.opaque";

core::Error ioError(const std::string& what, int err = errno) {
    return core::Error(core::ErrorCode::Io, what + ": " + std::strerror(err));
}

core::Error invalid(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

// Reads the blob file for libarchive, hashing every byte it hands out.
struct FileSource {
    int fd = -1;
    Sha256 hash;
    std::array<char, 1 << 16> buffer{};
};

la_ssize_t readFile(struct archive*, void* data, const void** out) {
    auto* src = static_cast<FileSource*>(data);
    ssize_t n;
    do {
        n = ::read(src->fd, src->buffer.data(), src->buffer.size());
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        src->hash.update(src->buffer.data(), static_cast<std::size_t>(n));
    }
    *out = src->buffer.data();
    return n;
}

// Feeds the inner tar reader with the decompressed stream of the outer raw reader, hashing it
// (the diffID).
struct RawSource {
    struct archive* outer = nullptr;
    Sha256 hash;
    std::array<char, 1 << 16> buffer{};
};

la_ssize_t readRaw(struct archive*, void* data, const void** out) {
    auto* src = static_cast<RawSource*>(data);
    const la_ssize_t n = archive_read_data(src->outer, src->buffer.data(), src->buffer.size());
    if (n > 0) {
        src->hash.update(src->buffer.data(), static_cast<std::size_t>(n));
    }
    *out = src->buffer.data();
    return n;
}

struct ArchiveDeleter {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

bool isRealDirectory(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Removes whatever is at `p` (file, symlink or tree) without following symlinks.
void removePath(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

// Makes sure every parent of dest/rel is a real directory inside dest, creating missing ones.
core::Result<void> ensureParents(const fs::path& dest, const std::string& rel) {
    fs::path current = dest;
    const fs::path relPath(rel);
    for (auto it = relPath.begin(); it != relPath.end();) {
        const fs::path component = *it;
        if (++it == relPath.end()) {
            break;
        }
        current /= component;
        struct stat st {};
        if (::lstat(current.c_str(), &st) != 0) {
            if (::mkdir(current.c_str(), 0755) != 0) {
                return ioError("creating " + current.string());
            }
        } else if (!S_ISDIR(st.st_mode)) {
            return invalid("layer entry \"" + rel + "\" leads through a non-directory");
        }
    }
    return core::success();
}

struct DirTimes {
    fs::path path;
    struct timespec mtime;
};

void setMetadata(const fs::path& p, struct archive_entry* entry, bool isSymlink, bool asRoot) {
    if (asRoot) {
        // Ownership as recorded; a failure leaves the file owned by root, which is harmless.
        [[maybe_unused]] int rc = ::lchown(p.c_str(), static_cast<uid_t>(archive_entry_uid(entry)),
                                           static_cast<gid_t>(archive_entry_gid(entry)));
    }
    if (!isSymlink) {
        ::chmod(p.c_str(), archive_entry_perm(entry) & 07777);
    }
    struct timespec times[2];
    times[0].tv_sec = archive_entry_mtime(entry);
    times[0].tv_nsec = archive_entry_mtime_nsec(entry);
    times[1] = times[0];
    ::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

core::Result<void> writeRegular(struct archive* a, const fs::path& p, la_int64_t size) {
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return ioError("creating " + p.string());
    }
    const void* block = nullptr;
    size_t blockSize = 0;
    la_int64_t offset = 0;
    for (;;) {
        const int rc = archive_read_data_block(a, &block, &blockSize, &offset);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            const std::string message = archive_error_string(a) ? archive_error_string(a) : "?";
            ::close(fd);
            return invalid("reading layer data for " + p.filename().string() + ": " + message);
        }
        const char* data = static_cast<const char*>(block);
        size_t left = blockSize;
        while (left > 0) {
            const ssize_t n = ::pwrite(fd, data, left, offset);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                const int err = errno;
                ::close(fd);
                return ioError("writing " + p.string(), err);
            }
            data += n;
            left -= static_cast<size_t>(n);
            offset += n;
        }
    }
    // Sparse files may end in a hole.
    if (::ftruncate(fd, size) != 0) {
        const int err = errno;
        ::close(fd);
        return ioError("sizing " + p.string(), err);
    }
    if (::close(fd) != 0) {
        return ioError("closing " + p.string());
    }
    return core::success();
}

core::Result<void> makeOverlayWhiteout(const fs::path& p) {
    removePath(p);
    if (::mknod(p.c_str(), S_IFCHR | 0000, makedev(0, 0)) != 0) {
        return ioError("creating whiteout " + p.string());
    }
    return core::success();
}

}  // namespace

core::Result<std::string> cleanArchivePath(std::string_view name) {
    std::string out;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto slash = name.find('/', start);
        if (slash == std::string_view::npos) {
            slash = name.size();
        }
        const std::string_view component = name.substr(start, slash - start);
        start = slash + 1;
        if (component.empty() || component == ".") {
            continue;
        }
        if (component == "..") {
            return invalid("archive entry \"" + std::string(name) + "\" escapes its root");
        }
        if (!out.empty()) {
            out += '/';
        }
        out += component;
    }
    return out;
}

core::Result<UnpackedLayer> unpackLayer(const fs::path& blob, const fs::path& dest,
                                        WhiteoutFormat format) {
    const bool asRoot = ::geteuid() == 0;
    FileSource file;
    file.fd = ::open(blob.c_str(), O_RDONLY | O_CLOEXEC);
    if (file.fd < 0) {
        return ioError("opening layer " + blob.string());
    }
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{file.fd};

    ArchivePtr outer(archive_read_new());
    // gzip and zstd are what OCI layers use; no external decompressor programs.
    archive_read_support_filter_gzip(outer.get());
    archive_read_support_filter_zstd(outer.get());
    archive_read_support_filter_xz(outer.get());
    archive_read_support_filter_bzip2(outer.get());
    archive_read_support_format_raw(outer.get());
    if (archive_read_open(outer.get(), &file, nullptr, readFile, nullptr) != ARCHIVE_OK) {
        return invalid(
            std::string("layer ") + blob.filename().string() + ": " +
            (archive_error_string(outer.get()) ? archive_error_string(outer.get()) : "unreadable"));
    }
    struct archive_entry* rawEntry = nullptr;
    if (archive_read_next_header(outer.get(), &rawEntry) != ARCHIVE_OK) {
        return invalid("layer " + blob.filename().string() + " is empty or unreadable");
    }

    RawSource raw;
    raw.outer = outer.get();
    ArchivePtr tar(archive_read_new());
    archive_read_support_filter_none(tar.get());
    archive_read_support_format_tar(tar.get());
    archive_read_support_format_empty(tar.get());
    if (archive_read_open(tar.get(), &raw, nullptr, readRaw, nullptr) != ARCHIVE_OK) {
        return invalid(std::string("layer is not a tar: ") +
                       (archive_error_string(tar.get()) ? archive_error_string(tar.get()) : "?"));
    }

    UnpackedLayer result;
    std::vector<DirTimes> dirs;
    std::vector<std::string> whiteouts;  // overlay format: made after extraction
    std::vector<std::string> opaques;
    struct archive_entry* entry = nullptr;
    for (;;) {
        const int rc = archive_read_next_header(tar.get(), &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            return invalid(std::string("reading layer: ") + (archive_error_string(tar.get())
                                                                 ? archive_error_string(tar.get())
                                                                 : "?"));
        }
        const char* rawName = archive_entry_pathname(entry);
        if (rawName == nullptr) {
            return invalid("layer entry without a name");
        }
        auto rel = cleanArchivePath(rawName);
        if (!rel) {
            return rel.error();
        }
        if (rel->empty()) {
            if (archive_entry_filetype(entry) == AE_IFDIR) {
                setMetadata(dest, entry, false, asRoot);
                dirs.push_back({dest,
                                {archive_entry_mtime(entry),
                                 static_cast<long>(archive_entry_mtime_nsec(entry))}});
            }
            continue;
        }
        if (auto parents = ensureParents(dest, *rel); !parents) {
            return parents.error();
        }
        const fs::path path = dest / *rel;
        const std::string base = path.filename().string();

        if (base.starts_with(kWhiteoutPrefix)) {
            const std::string parentRel = fs::path(*rel).parent_path().string();
            if (base == kOpaqueMarker) {
                if (format == WhiteoutFormat::Overlay) {
                    opaques.push_back(parentRel);
                    continue;
                }
            } else if (base.starts_with(".wh..wh.")) {
                continue;  // aufs bookkeeping (.wh..wh.plnk and friends)
            } else if (format == WhiteoutFormat::Overlay) {
                whiteouts.push_back(
                    (fs::path(parentRel) / base.substr(kWhiteoutPrefix.size())).string());
                continue;
            }
            // OCI format: keep the marker as an empty file.
            removePath(path);
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
            if (fd < 0) {
                return ioError("creating " + path.string());
            }
            ::close(fd);
            continue;
        }

        if (const char* link = archive_entry_hardlink(entry)) {
            auto target = cleanArchivePath(link);
            if (!target) {
                return target.error();
            }
            const fs::path targetPath = dest / *target;
            struct stat st {};
            if (target->empty() || ::lstat(targetPath.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) {
                return invalid("layer hard link \"" + *rel + "\" points to \"" + *target +
                               "\", which is not an earlier file of the layer");
            }
            // The target's parents must be real directories too.
            if (auto parents = ensureParents(dest, *target); !parents) {
                return parents.error();
            }
            removePath(path);
            if (::link(targetPath.c_str(), path.c_str()) != 0) {
                return ioError("linking " + path.string());
            }
            continue;
        }

        switch (archive_entry_filetype(entry)) {
            case AE_IFDIR: {
                if (!isRealDirectory(path)) {
                    removePath(path);
                    if (::mkdir(path.c_str(), 0700) != 0) {
                        return ioError("creating " + path.string());
                    }
                }
                setMetadata(path, entry, false, asRoot);
                dirs.push_back({path,
                                {archive_entry_mtime(entry),
                                 static_cast<long>(archive_entry_mtime_nsec(entry))}});
                break;
            }
            case AE_IFREG: {
                removePath(path);
                if (auto written = writeRegular(tar.get(), path, archive_entry_size(entry));
                    !written) {
                    return written.error();
                }
                setMetadata(path, entry, false, asRoot);
                result.sizeBytes += static_cast<std::uint64_t>(archive_entry_size(entry));
                break;
            }
            case AE_IFLNK: {
                const char* target = archive_entry_symlink(entry);
                removePath(path);
                if (target == nullptr || ::symlink(target, path.c_str()) != 0) {
                    return ioError("creating symlink " + path.string());
                }
                setMetadata(path, entry, true, asRoot);
                break;
            }
            case AE_IFIFO: {
                removePath(path);
                if (::mkfifo(path.c_str(), 0600) != 0) {
                    return ioError("creating fifo " + path.string());
                }
                setMetadata(path, entry, false, asRoot);
                break;
            }
            default:
                // Character and block devices, sockets: the runtime provides /dev.
                ++result.skippedDevices;
                break;
        }
    }

    // Hash whatever follows the tar's end-of-archive blocks, then the rest of the file.
    for (;;) {
        const void* ignored = nullptr;
        const la_ssize_t n = readRaw(nullptr, &raw, &ignored);
        if (n <= 0) {
            if (n < 0) {
                return invalid("layer " + blob.filename().string() + " is truncated or corrupt");
            }
            break;
        }
    }
    for (;;) {
        const void* ignored = nullptr;
        const la_ssize_t n = readFile(nullptr, &file, &ignored);
        if (n <= 0) {
            break;
        }
    }

    for (const auto& w : whiteouts) {
        if (auto parents = ensureParents(dest, w); !parents) {
            return parents.error();
        }
        if (auto made = makeOverlayWhiteout(dest / w); !made) {
            return made.error();
        }
    }
    for (const auto& o : opaques) {
        const fs::path dir = o.empty() ? dest : dest / o;
        if (!isRealDirectory(dir)) {
            if (auto parents = ensureParents(dest, o + "/x"); !parents) {
                return parents.error();
            }
        }
        if (::setxattr(dir.c_str(), kOpaqueXattr, "y", 1, 0) != 0) {
            return ioError("marking " + dir.string() + " opaque");
        }
    }
    // Directory times last: creating entries inside changed them.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
        struct timespec times[2] = {it->mtime, it->mtime};
        ::utimensat(AT_FDCWD, it->path.c_str(), times, AT_SYMLINK_NOFOLLOW);
    }
    result.blobDigest = file.hash.digest();
    result.diffId = raw.hash.digest();
    return result;
}

namespace {

bool isOverlayWhiteout(const struct stat& st) {
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool isOpaque(const fs::path& dir, WhiteoutFormat format) {
    if (format == WhiteoutFormat::Oci) {
        struct stat st {};
        return ::lstat((dir / std::string(kOpaqueMarker)).c_str(), &st) == 0;
    }
    char value[4] = {};
    const ssize_t n = ::lgetxattr(dir.c_str(), kOpaqueXattr, value, sizeof value);
    return n == 1 && value[0] == 'y';
}

void copyMetadata(const fs::path& from, const fs::path& to, const struct stat& st) {
    if (::geteuid() == 0) {
        [[maybe_unused]] int rc = ::lchown(to.c_str(), st.st_uid, st.st_gid);
    }
    if (!S_ISLNK(st.st_mode)) {
        ::chmod(to.c_str(), st.st_mode & 07777);
    }
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    ::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
    (void)from;
}

core::Result<void> copyFileContents(const fs::path& from, const fs::path& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) {
        return ioError("opening " + from.string());
    }
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        const int err = errno;
        ::close(in);
        return ioError("creating " + to.string(), err);
    }
    std::array<char, 1 << 16> buffer{};
    for (;;) {
        const ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        const char* data = buffer.data();
        auto left = static_cast<size_t>(n);
        while (left > 0) {
            const ssize_t w = ::write(out, data, left);
            if (w < 0) {
                if (errno == EINTR) {
                    continue;
                }
                const int err = errno;
                ::close(in);
                ::close(out);
                return ioError("writing " + to.string(), err);
            }
            data += w;
            left -= static_cast<size_t>(w);
        }
    }
    ::close(in);
    if (::close(out) != 0) {
        return ioError("closing " + to.string());
    }
    return core::success();
}

void clearDirectory(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> children;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        children.push_back(it->path());
    }
    for (const auto& child : children) {
        removePath(child);
    }
}

core::Result<void> copyTree(const fs::path& src, const fs::path& dst, WhiteoutFormat format) {
    if (isOpaque(src, format)) {
        clearDirectory(dst);
    }
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(src, ec), end; !ec && it != end; it.increment(ec)) {
        names.push_back(it->path().filename().string());
    }
    if (ec) {
        return ioError("listing " + src.string(), ec.value());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        const fs::path from = src / name;
        const fs::path to = dst / name;
        struct stat st {};
        if (::lstat(from.c_str(), &st) != 0) {
            return ioError("reading " + from.string());
        }
        if (format == WhiteoutFormat::Oci && name.starts_with(kWhiteoutPrefix)) {
            if (name != kOpaqueMarker && !name.starts_with(".wh..wh.")) {
                removePath(dst / name.substr(kWhiteoutPrefix.size()));
            }
            continue;
        }
        if (format == WhiteoutFormat::Overlay && isOverlayWhiteout(st)) {
            removePath(to);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!isRealDirectory(to)) {
                removePath(to);
                if (::mkdir(to.c_str(), 0700) != 0) {
                    return ioError("creating " + to.string());
                }
            }
            if (auto copied = copyTree(from, to, format); !copied) {
                return copied;
            }
        } else if (S_ISREG(st.st_mode)) {
            removePath(to);
            if (auto copied = copyFileContents(from, to); !copied) {
                return copied;
            }
        } else if (S_ISLNK(st.st_mode)) {
            std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
            const ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
            if (n < 0) {
                return ioError("reading link " + from.string());
            }
            target.resize(static_cast<std::size_t>(n));
            removePath(to);
            if (::symlink(target.c_str(), to.c_str()) != 0) {
                return ioError("creating symlink " + to.string());
            }
        } else if (S_ISFIFO(st.st_mode)) {
            removePath(to);
            if (::mkfifo(to.c_str(), 0600) != 0) {
                return ioError("creating fifo " + to.string());
            }
        } else {
            continue;  // devices and sockets are not copied
        }
        copyMetadata(from, to, st);
    }
    struct stat dirStat {};
    if (::lstat(src.c_str(), &dirStat) == 0) {
        copyMetadata(src, dst, dirStat);
    }
    return core::success();
}

}  // namespace

core::Result<void> applyLayerByCopy(const fs::path& layerDir, const fs::path& target,
                                    WhiteoutFormat format) {
    if (!isRealDirectory(target)) {
        return invalid("rootfs target " + target.string() + " is not a directory");
    }
    return copyTree(layerDir, target, format);
}

}  // namespace slipway::agent::images::detail
