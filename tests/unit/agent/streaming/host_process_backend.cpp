// SPDX-License-Identifier: Apache-2.0
#include "host_process_backend.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <set>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace slipway::testing {

namespace {

using agent::streaming::ExecOptions;
using agent::streaming::ExecSession;
using agent::streaming::LogLine;
using agent::streaming::LogOptions;
using agent::streaming::LogSource;
using agent::streaming::TerminalSize;

std::string key(const std::string& pod, const std::string& container) {
    return pod + "/" + container;
}

std::string nowRfc3339Nano() {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now - seconds).count();
    const std::time_t time = std::chrono::system_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long long>(nanos));
    return text;
}

/// A child process with the requested streams as pipes, or on a new pty.
struct Spawned {
    pid_t pid = -1;
    int stdinFd = -1;
    int stdoutFd = -1;
    int stderrFd = -1;
};

core::Result<Spawned> spawn(const std::vector<std::string>& command, const ExecOptions& options) {
    std::vector<char*> argv;
    for (const auto& argument : command) {
        argv.push_back(const_cast<char*>(argument.c_str()));
    }
    argv.push_back(nullptr);
    Spawned spawned;
    if (options.tty) {
        const int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
            return core::Error(core::ErrorCode::Internal, "cannot open a pty");
        }
        const std::string slaveName = ptsname(master);
        const pid_t pid = fork();
        if (pid == 0) {
            setsid();
            const int slave = open(slaveName.c_str(), O_RDWR);
            ioctl(slave, TIOCSCTTY, 0);
            dup2(slave, 0);
            dup2(slave, 1);
            dup2(slave, 2);
            if (slave > 2) {
                close(slave);
            }
            execvp(argv[0], argv.data());
            _exit(127);
        }
        spawned.pid = pid;
        spawned.stdinFd = options.stdin ? master : -1;
        spawned.stdoutFd = master;
        if (!options.stdin && !options.stdout) {
            close(master);
            spawned.stdoutFd = -1;
        }
        return spawned;
    }
    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if ((options.stdin && pipe2(in, O_CLOEXEC) != 0) ||
        (options.stdout && pipe2(out, O_CLOEXEC) != 0) ||
        (options.stderr && pipe2(err, O_CLOEXEC) != 0)) {
        return core::Error(core::ErrorCode::Internal, "pipe failed");
    }
    const pid_t pid = fork();
    if (pid == 0) {
        const int devNull = open("/dev/null", O_RDWR);
        dup2(options.stdin ? in[0] : devNull, 0);
        dup2(options.stdout ? out[1] : devNull, 1);
        dup2(options.stderr ? err[1] : devNull, 2);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    if (options.stdin) {
        close(in[0]);
        spawned.stdinFd = in[1];
    }
    if (options.stdout) {
        close(out[1]);
        spawned.stdoutFd = out[0];
    }
    if (options.stderr) {
        close(err[1]);
        spawned.stderrFd = err[0];
    }
    spawned.pid = pid;
    return spawned;
}

class HostExecSession final : public ExecSession {
public:
    HostExecSession(Spawned spawned, bool tty) : m_process(spawned), m_tty(tty) {}
    ~HostExecSession() override {
        if (!m_waited) {
            kill(m_process.pid, SIGKILL);
            waitpid(m_process.pid, nullptr, 0);
        }
        std::set<int> fds{m_process.stdinFd, m_process.stdoutFd, m_process.stderrFd};
        for (const int fd : fds) {
            if (fd >= 0) {
                close(fd);
            }
        }
    }

    int stdinFd() override { return m_process.stdinFd; }
    void closeStdin() override {
        if (m_tty) {
            // The terminal's end-of-file character, as a user pressing ^D.
            if (m_process.stdinFd >= 0) {
                const char eot = 4;
                [[maybe_unused]] const auto written = write(m_process.stdinFd, &eot, 1);
            }
            return;
        }
        if (m_process.stdinFd >= 0) {
            close(m_process.stdinFd);
            m_process.stdinFd = -1;
        }
    }
    int stdoutFd() override { return m_process.stdoutFd; }
    int stderrFd() override { return m_process.stderrFd; }
    void resize(TerminalSize size) override {
        if (!m_tty || m_process.stdoutFd < 0) {
            return;
        }
        winsize window{};
        window.ws_col = size.width;
        window.ws_row = size.height;
        ioctl(m_process.stdoutFd, TIOCSWINSZ, &window);
    }
    core::Result<int> wait() override {
        int status = 0;
        while (waitpid(m_process.pid, &status, 0) < 0) {
            if (errno != EINTR) {
                return core::Error(core::ErrorCode::Internal, "waitpid failed");
            }
        }
        m_waited = true;
        if (WIFSIGNALED(status)) {
            return 128 + WTERMSIG(status);
        }
        return WEXITSTATUS(status);
    }
    /// A test must not leave processes behind: the client going away ends the process.
    void cancel() override { kill(m_process.pid, SIGKILL); }

private:
    Spawned m_process;
    bool m_tty;
    std::atomic<bool> m_waited{false};
};

/// Lines of a script's stdout; with follow they are handed out as they are printed.
class ScriptLogSource final : public LogSource {
public:
    ScriptLogSource(Spawned spawned, LogOptions options)
        : m_process(spawned), m_options(std::move(options)) {
        if (!m_options.follow) {
            // The whole log first, so that tailLines can pick the last lines.
            LogLine line;
            while (readLine(line, std::chrono::milliseconds(-1))) {
                m_ready.push_back(line);
            }
            if (m_options.tailLines) {
                while (static_cast<std::int64_t>(m_ready.size()) > *m_options.tailLines) {
                    m_ready.pop_front();
                }
            }
        }
    }
    ~ScriptLogSource() override {
        kill(m_process.pid, SIGKILL);
        waitpid(m_process.pid, nullptr, 0);
        close(m_process.stdoutFd);
    }

    Read next(LogLine& line, std::chrono::milliseconds timeout) override {
        if (!m_options.follow) {
            if (m_ready.empty()) {
                return Read::End;
            }
            line = std::move(m_ready.front());
            m_ready.pop_front();
            return Read::Line;
        }
        if (readLine(line, timeout)) {
            return Read::Line;
        }
        return m_eof ? Read::End : Read::Timeout;
    }

private:
    /// A whole line within `timeout` (negative: wait as long as it takes); false at the end
    /// or on timeout.
    bool readLine(LogLine& line, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
                line.timestamp = nowRfc3339Nano();
                line.stream = "stdout";
                line.content = m_buffer.substr(0, newline + 1);
                m_buffer.erase(0, newline + 1);
                return true;
            }
            if (m_eof) {
                if (m_buffer.empty()) {
                    return false;
                }
                line.timestamp = nowRfc3339Nano();
                line.stream = "stdout";
                line.content = std::exchange(m_buffer, {});
                return true;
            }
            int wait = -1;
            if (timeout.count() >= 0) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                if (left.count() <= 0) {
                    return false;
                }
                wait = static_cast<int>(left.count());
            }
            pollfd poller{m_process.stdoutFd, POLLIN, 0};
            if (poll(&poller, 1, wait) <= 0) {
                continue;
            }
            char chunk[4096];
            const auto got = read(m_process.stdoutFd, chunk, sizeof chunk);
            if (got <= 0) {
                m_eof = true;
            } else {
                m_buffer.append(chunk, static_cast<std::size_t>(got));
            }
        }
    }

    Spawned m_process;
    LogOptions m_options;
    std::string m_buffer;
    bool m_eof = false;
    std::deque<LogLine> m_ready;
};

}  // namespace

void HostProcessBackend::setLogScript(const std::string& pod, const std::string& container,
                                      std::string script) {
    std::lock_guard lock(m_mutex);
    m_logScripts[key(pod, container)] = std::move(script);
}

void HostProcessBackend::setWaiting(const std::string& pod, const std::string& container,
                                    std::string reason) {
    std::lock_guard lock(m_mutex);
    m_waiting[key(pod, container)] = std::move(reason);
}

void HostProcessBackend::setAttachScript(const std::string& pod, const std::string& container,
                                         std::string script) {
    std::lock_guard lock(m_mutex);
    m_attachScripts[key(pod, container)] = std::move(script);
}

core::Result<std::unique_ptr<LogSource>> HostProcessBackend::logs(const std::string& /*nameSpace*/,
                                                                  const std::string& pod,
                                                                  const std::string& container,
                                                                  const LogOptions& options) {
    std::string script;
    {
        std::lock_guard lock(m_mutex);
        if (const auto waiting = m_waiting.find(key(pod, container)); waiting != m_waiting.end()) {
            return core::Error(core::ErrorCode::BadRequest,
                               "container \"" + container + "\" in pod \"" + pod +
                                   "\" is waiting to start: " + waiting->second);
        }
        const auto found = m_logScripts.find(key(pod, container));
        if (found == m_logScripts.end()) {
            return core::Error(core::ErrorCode::NotFound,
                               "container \"" + container + "\" in pod \"" + pod + "\" not found");
        }
        script = found->second;
    }
    ExecOptions streams;
    streams.stderr = false;
    auto spawned = spawn({"/bin/sh", "-c", script}, streams);
    if (!spawned) {
        return spawned.error();
    }
    return std::unique_ptr<LogSource>(std::make_unique<ScriptLogSource>(*spawned, options));
}

core::Result<std::unique_ptr<ExecSession>> HostProcessBackend::exec(
    const std::string& /*nameSpace*/, const std::string& /*pod*/, const std::string& /*container*/,
    const std::vector<std::string>& command, const ExecOptions& options) {
    auto spawned = spawn(command, options);
    if (!spawned) {
        return spawned.error();
    }
    return std::unique_ptr<ExecSession>(std::make_unique<HostExecSession>(*spawned, options.tty));
}

core::Result<std::unique_ptr<ExecSession>> HostProcessBackend::attach(
    const std::string& /*nameSpace*/, const std::string& pod, const std::string& container,
    const ExecOptions& options) {
    std::string script;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_attachScripts.find(key(pod, container));
        if (found == m_attachScripts.end()) {
            return core::Error(core::ErrorCode::NotFound,
                               "container \"" + container + "\" in pod \"" + pod + "\" not found");
        }
        script = found->second;
    }
    auto spawned = spawn({"/bin/sh", "-c", script}, options);
    if (!spawned) {
        return spawned.error();
    }
    return std::unique_ptr<ExecSession>(std::make_unique<HostExecSession>(*spawned, options.tty));
}

core::Result<int> HostProcessBackend::portForward(const std::string&, const std::string& pod,
                                                  std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        return core::Error(core::ErrorCode::BadRequest,
                           "failed to connect to localhost:" + std::to_string(port) + " for pod " +
                               pod + ": " + std::strerror(error));
    }
    return fd;
}

}  // namespace slipway::testing
