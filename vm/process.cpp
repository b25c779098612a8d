// SPDX-License-Identifier: Apache-2.0
#include "vm/process.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace slipway::vm {
namespace {

core::Error systemError(const std::string& what) {
    return core::Error(core::ErrorCode::Io, what + ": " + std::strerror(errno));
}

bool readAll(int fd, void* data, std::size_t size) {
    auto* bytes = static_cast<char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

void writeAll(int fd, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

core::Result<pid_t> spawnDaemon(const std::vector<std::string>& argv,
                                const std::filesystem::path& logFile) {
    if (argv.empty()) {
        return core::Error(core::ErrorCode::BadRequest, "no command to run");
    }
    // Everything the children need is prepared before fork: after it only async-signal-safe
    // calls are allowed.
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);

    const int logFd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logFd < 0) {
        return systemError("opening " + logFile.string());
    }
    const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // Two pipes: `pidPipe` carries the daemon's pid from the middle child, `execPipe` (closed
    // on exec) carries errno if exec fails, or reaches EOF when exec succeeds.
    int pidPipe[2];
    int execPipe[2];
    if (nullFd < 0 || ::pipe2(pidPipe, O_CLOEXEC) != 0 || ::pipe2(execPipe, O_CLOEXEC) != 0) {
        const auto error = systemError("preparing to start " + argv.front());
        ::close(logFd);
        return error;
    }

    const pid_t middle = ::fork();
    if (middle < 0) {
        const auto error = systemError("fork");
        ::close(logFd);
        ::close(nullFd);
        return error;
    }
    if (middle == 0) {
        ::setsid();
        const pid_t daemon = ::fork();
        if (daemon == 0) {
            ::dup2(nullFd, STDIN_FILENO);
            ::dup2(logFd, STDOUT_FILENO);
            ::dup2(logFd, STDERR_FILENO);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            // Descriptors the caller left inheritable (a GUI has many) must not leak into
            // a daemon that outlives it.
            ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
            ::execv(args[0], args.data());
            const int error = errno;
            writeAll(execPipe[1], &error, sizeof error);
            ::_exit(127);
        }
        writeAll(pidPipe[1], &daemon, sizeof daemon);
        ::_exit(daemon < 0 ? 1 : 0);
    }

    ::close(logFd);
    ::close(nullFd);
    ::close(pidPipe[1]);
    ::close(execPipe[1]);
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
    }
    pid_t daemon = -1;
    const bool gotPid = readAll(pidPipe[0], &daemon, sizeof daemon) && daemon > 0;
    ::close(pidPipe[0]);
    int execError = 0;
    const bool execFailed = readAll(execPipe[0], &execError, sizeof execError);
    ::close(execPipe[0]);
    if (!gotPid) {
        return core::Error(core::ErrorCode::Io, "could not start " + argv.front());
    }
    if (execFailed) {
        return core::Error(core::ErrorCode::NotFound,
                           "cannot run " + argv.front() + ": " + std::strerror(execError));
    }
    return daemon;
}

std::filesystem::path findExecutable(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const char* path = std::getenv("PATH");
    std::string_view rest(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        if (colon == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(colon + 1);
    }
    return name;
}

std::filesystem::path findCompanion(const std::string& name) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto beside = self.parent_path() / name;
        if (::access(beside.c_str(), X_OK) == 0) {
            return beside;
        }
    }
    return findExecutable(name);
}

bool processAlive(pid_t pid) {
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) {
        return false;
    }
    // A zombie still answers kill(pid, 0); its state letter in /proc/PID/stat is 'Z'. The
    // state follows the command name in parentheses, which may itself contain ')'.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return false;
    }
    const auto paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

std::string processName(pid_t pid) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    if (!ec) {
        // A binary replaced on disk while running (a rebuild, a package upgrade) reads as
        // "/path/slipwayd (deleted)"; it is still the same program.
        std::string name = exe.filename().string();
        constexpr std::string_view kDeleted = " (deleted)";
        if (name.size() > kDeleted.size() && name.ends_with(kDeleted)) {
            name.resize(name.size() - kDeleted.size());
        }
        return name;
    }
    // Without permission to read exe (another user's process), fall back to comm.
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

core::Result<void> terminateProcess(pid_t pid, std::chrono::milliseconds grace) {
    using Clock = std::chrono::steady_clock;
    const auto waitGone = [pid](Clock::time_point deadline) {
        auto pause = std::chrono::milliseconds(5);
        while (processAlive(pid)) {
            if (Clock::now() >= deadline) {
                return false;
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::milliseconds(100));
        }
        return true;
    };
    if (!processAlive(pid)) {
        return core::success();
    }
    if (::kill(pid, SIGTERM) != 0 && errno != ESRCH) {
        return systemError("stopping process " + std::to_string(pid));
    }
    if (waitGone(Clock::now() + grace)) {
        return core::success();
    }
    if (::kill(pid, SIGKILL) != 0 && errno != ESRCH) {
        return systemError("killing process " + std::to_string(pid));
    }
    if (waitGone(Clock::now() + std::chrono::seconds(10))) {
        return core::success();
    }
    return core::Error(core::ErrorCode::Timeout,
                       "process " + std::to_string(pid) + " did not exit after SIGKILL");
}

std::string tailOfFile(const std::filesystem::path& file, std::size_t lines) {
    std::ifstream in(file);
    std::deque<std::string> last;
    std::string line;
    while (std::getline(in, line)) {
        last.push_back(line);
        if (last.size() > lines) {
            last.pop_front();
        }
    }
    std::string text;
    for (const auto& kept : last) {
        text += kept + "\n";
    }
    return text;
}

core::Result<ProcessResult> runProcess(const std::vector<std::string>& argv,
                                       std::chrono::milliseconds timeout) {
    if (argv.empty()) {
        return core::Error(core::ErrorCode::BadRequest, "no program to run");
    }
    int output[2];
    if (::pipe2(output, O_CLOEXEC) != 0) {
        return core::Error(core::ErrorCode::Io, std::string("pipe: ") + std::strerror(errno));
    }
    std::vector<char*> args;
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(output[0]);
        ::close(output[1]);
        return core::Error(core::ErrorCode::Io, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, STDIN_FILENO);
        ::dup2(output[1], STDOUT_FILENO);
        ::dup2(output[1], STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(output[1]);
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    ::fcntl(output[0], F_SETFL, O_NONBLOCK);
    int status = 0;
    bool exited = false;
    while (!exited) {
        ssize_t n = 0;
        while ((n = ::read(output[0], buffer, sizeof buffer)) > 0) {
            result.output.append(buffer, static_cast<std::size_t>(n));
        }
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            exited = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            exited = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ssize_t n = 0;
    while ((n = ::read(output[0], buffer, sizeof buffer)) > 0) {
        result.output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(output[0]);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (result.exitCode == 127 && result.output.empty()) {
        return core::Error(core::ErrorCode::NotFound, "cannot run " + argv.front());
    }
    return result;
}

}  // namespace slipway::vm
