// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "engine/core/result.h"

namespace slipway::core {

/// An exclusive advisory lock (flock) on a file, held for the object's lifetime. The kernel
/// drops it when the process dies, so a crash never leaves a stale lock behind.
class FileLock {
public:
    /// Takes the lock without waiting; Conflict if another process holds it.
    static Result<FileLock> acquire(const std::filesystem::path& path);

    FileLock(FileLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace slipway::core
