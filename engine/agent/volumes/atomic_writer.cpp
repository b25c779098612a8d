// SPDX-License-Identifier: Apache-2.0
// The kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go), re-done: the payload lives in a
// timestamped directory, `..data` points at it, and each user-visible name is a symlink through
// `..data`. An update writes a new directory and swaps `..data` with one rename(2).
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <random>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/agent/volumes/volume_manager.h"
#include "engine/core/atomic_file.h"

namespace slipway::agent::volumes {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDataDir = "..data";
constexpr const char* kDataTmp = "..data_tmp";

core::Error ioError(const std::string& what, int error) {
    return core::Error(core::ErrorCode::Io, what + ": " + std::strerror(error));
}

/// "..2026_11_29_02_50_51.123456789": when, and unique within the volume.
std::string timestampedName() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof(text), "..%Y_%m_%d_%H_%M_%S.", &utc);
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return text + std::to_string(random() % 1'000'000'000ULL);
}

/// A payload path must stay inside the volume: relative, no "..", no empty segments.
core::Result<void> validatePath(const std::string& path) {
    if (path.empty()) {
        return core::Error(core::ErrorCode::Invalid, "invalid path: must not be empty");
    }
    if (path.front() == '/') {
        return core::Error(core::ErrorCode::Invalid,
                           "invalid path: must be relative path: " + path);
    }
    if (path.rfind("..", 0) == 0) {
        return core::Error(core::ErrorCode::Invalid,
                           "invalid path: must not start with '..': " + path);
    }
    for (const auto& part : fs::path(path)) {
        if (part == "..") {
            return core::Error(core::ErrorCode::Invalid,
                               "invalid path: must not contain '..': " + path);
        }
    }
    return core::success();
}

bool sameContent(const fs::path& dir, const std::map<std::string, ProjectedFile>& files) {
    std::error_code ec;
    std::size_t found = 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            ++found;
        }
    }
    if (ec || found != files.size()) {
        return false;
    }
    for (const auto& [path, file] : files) {
        auto content = core::readFile(dir / path);
        if (!content || *content != file.content) {
            return false;
        }
        struct stat info {};
        if (::stat((dir / path).c_str(), &info) != 0 || (info.st_mode & 07777) != file.mode) {
            return false;
        }
    }
    return true;
}

core::Result<void> writeFile(const fs::path& path, const ProjectedFile& file) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "mkdir " + path.parent_path().string() + ": " + ec.message());
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return ioError("open " + path.string(), errno);
    }
    std::size_t done = 0;
    while (done < file.content.size()) {
        const auto n = ::write(fd, file.content.data() + done, file.content.size() - done);
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return ioError("write " + path.string(), error);
        }
        done += static_cast<std::size_t>(n);
    }
    // The mode exactly as asked (umask does not apply, as os.WriteFile+Chmod in the kubelet).
    if (::fchmod(fd, file.mode) != 0 || ::close(fd) != 0) {
        return ioError("chmod " + path.string(), errno);
    }
    return core::success();
}

}  // namespace

core::Result<bool> writeAtomically(const fs::path& dir,
                                   const std::map<std::string, ProjectedFile>& files) {
    std::set<std::string> visible;
    for (const auto& [path, file] : files) {
        if (auto valid = validatePath(path); !valid) {
            return valid.error();
        }
        visible.insert(fs::path(path).begin()->string());
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io, "mkdir " + dir.string() + ": " + ec.message());
    }

    // 1. The current payload: unchanged content (and every visible link in place) writes
    //    nothing.
    const fs::path dataLink = dir / kDataDir;
    std::string oldTsDir;
    if (fs::is_symlink(fs::symlink_status(dataLink, ec))) {
        oldTsDir = fs::read_symlink(dataLink, ec).string();
    }
    if (!oldTsDir.empty() && sameContent(dir / oldTsDir, files)) {
        bool linksPresent = true;
        for (const auto& name : visible) {
            linksPresent = linksPresent && fs::is_symlink(fs::symlink_status(dir / name, ec));
        }
        if (linksPresent) {
            return false;
        }
    }

    // 2. A new timestamped directory with the payload.
    const std::string tsName = timestampedName();
    const fs::path tsDir = dir / tsName;
    if (::mkdir(tsDir.c_str(), 0755) != 0) {
        return ioError("mkdir " + tsDir.string(), errno);
    }
    ::chmod(tsDir.c_str(), 0755);
    for (const auto& [path, file] : files) {
        if (auto written = writeFile(tsDir / path, file); !written) {
            fs::remove_all(tsDir, ec);
            return written.error();
        }
    }

    // 3. `..data_tmp` → new directory, renamed over `..data`: the swap readers never see half of.
    const fs::path tmpLink = dir / kDataTmp;
    fs::remove(tmpLink, ec);
    if (::symlink(tsName.c_str(), tmpLink.c_str()) != 0) {
        return ioError("symlink " + tmpLink.string(), errno);
    }
    if (::rename(tmpLink.c_str(), dataLink.c_str()) != 0) {
        return ioError("rename " + tmpLink.string(), errno);
    }

    // 4. User-visible names as links through `..data`; names no longer in the payload go.
    for (const auto& name : visible) {
        const fs::path link = dir / name;
        if (fs::is_symlink(fs::symlink_status(link, ec))) {
            continue;
        }
        const std::string target = std::string(kDataDir) + "/" + name;
        if (::symlink(target.c_str(), link.c_str()) != 0) {
            return ioError("symlink " + link.string(), errno);
        }
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("..", 0) == 0 || visible.count(name) != 0) {
            continue;
        }
        if (fs::is_symlink(entry.symlink_status(ec))) {
            fs::remove(entry.path(), ec);
        }
    }

    // 5. The old payload.
    if (!oldTsDir.empty() && oldTsDir != tsName) {
        fs::remove_all(dir / oldTsDir, ec);
    }
    return true;
}

}  // namespace slipway::agent::volumes
