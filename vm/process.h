// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "engine/core/result.h"

namespace slipway::vm {

/// Starts `argv` as a daemon: a new session, stdin from /dev/null, stdout and stderr appended
/// to `logFile`, reparented to init (double fork) so it outlives the caller and is never left
/// a zombie of it. Returns the daemon's pid once exec has succeeded; an exec failure (missing
/// binary, no permission) is reported as an error, not as a process that dies at once.
core::Result<pid_t> spawnDaemon(const std::vector<std::string>& argv,
                                const std::filesystem::path& logFile);

/// How a program run to completion ended.
struct ProcessResult {
    int exitCode = -1;   ///< 128 + signal when killed
    std::string output;  ///< stdout and stderr together
};

/// Runs `argv` to its end (killed after `timeout`), stdin from /dev/null, and returns its exit
/// code and output. An exec failure is an error.
core::Result<ProcessResult> runProcess(const std::vector<std::string>& argv,
                                       std::chrono::milliseconds timeout);

/// `name` as found in $PATH (the first executable of that name), or `name` itself when it
/// holds a '/' or is not found (the exec then reports it missing).
std::filesystem::path findExecutable(const std::string& name);

/// Another of Slipway's programs (`slipwayd`, `slipway-studio`): the one installed beside the
/// running executable (/usr/bin, or build/<preset>/bin in the build tree), else findExecutable.
std::filesystem::path findCompanion(const std::string& name);

/// True if `pid` exists and is not a zombie.
bool processAlive(pid_t pid);

/// The executable's file name for `pid` ("slipwayd"), empty if it is gone.
std::string processName(pid_t pid);

/// SIGTERM, then wait up to `grace` for the process to go, then SIGKILL and wait for it.
/// A process that is already gone is success.
core::Result<void> terminateProcess(pid_t pid, std::chrono::milliseconds grace);

/// The last `lines` lines of a text file (for error messages quoting a log).
std::string tailOfFile(const std::filesystem::path& file, std::size_t lines);

}  // namespace slipway::vm
