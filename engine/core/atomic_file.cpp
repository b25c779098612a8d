// SPDX-License-Identifier: Apache-2.0
#include "engine/core/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/replace_file.h"

namespace slipway::core {

namespace {

Result<void> writeThroughRename(const std::filesystem::path& path, std::string_view content,
                                mode_t mode, bool durable) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    const auto fail = [&](const char* what, int fd) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0) {
            ::close(fd);
        }
        ::unlink(temporary.c_str());
        return Error(ErrorCode::Io, std::string(what) + " " + path.string() + ": " + reason);
    };
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return fail("writing", -1);
    }
    // open() applies the umask; the caller's mode (e.g. 0600 for credentials) is what counts.
    if (::fchmod(fd, mode) != 0) {
        return fail("setting the mode of", fd);
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail("writing", fd);
        }
        written += static_cast<std::size_t>(n);
    }
    if (durable && ::fsync(fd) != 0) {
        return fail("syncing", fd);
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        return fail("renaming into", -1);
    }
    return success();
}

}  // namespace

Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content,
                                 mode_t mode) {
    return writeThroughRename(path, content, mode, true);
}

Result<void> replaceFile(const std::filesystem::path& path, std::string_view content, mode_t mode) {
    return writeThroughRename(path, content, mode, false);
}

Result<std::string> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        return Error(error == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                     "cannot read " + path.string() + ": " + std::strerror(error));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace slipway::core
