// SPDX-License-Identifier: Apache-2.0
//
// slipway-shim: watches one container, conmon-style. The Runtime starts it per container; it
// detaches from the agent (setsid, double fork) so that the container outlives an agent
// restart, becomes the subreaper of the container's init process, runs `runc create` with the
// container's output on pipes (or a pty) it owns, copies that output into the CRI log, serves
// attach clients, and when the container exits records how (exit code, signal, OOM kill)
// before anyone can remove the cgroup.
//
//   slipway-shim --id ID --bundle DIR --runc PATH --runc-root DIR --log PATH --cgroup PATH
//                [--log-max-size BYTES] [--log-max-files N] [--tty] [--stdin] [--stdin-once]
//                [--start] [--sync-fd FD]
//
// On the sync descriptor it writes "ok <init pid>\n" once the container is created (with
// --start: created and started, by `runc run --detach`), or "error <message>\n".

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "engine/agent/logs/cri_log.h"
#include "engine/agent/runtime/shim_protocol.h"

namespace {

namespace fs = std::filesystem;
using slipway::agent::logs::CriLogWriter;
using slipway::agent::logs::formatRfc3339Nano;
using slipway::agent::logs::Stream;
using namespace slipway::agent::runtime::shim;

struct Args {
    std::string id;
    fs::path bundle;
    std::string runc = "/usr/bin/runc";
    std::string runcRoot;
    fs::path log;
    std::string cgroup;
    std::uint64_t logMaxSize = 10 * 1024 * 1024;
    int logMaxFiles = 5;
    bool tty = false;
    bool stdinOpen = false;
    bool stdinOnce = false;
    bool start = false;  ///< `runc run --detach` instead of `runc create`
    int syncFd = -1;
};

std::chrono::system_clock::time_point now() {
    return std::chrono::system_clock::now();
}

void writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void report(Args& args, const std::string& line) {
    if (args.syncFd >= 0) {
        writeAll(args.syncFd, line + "\n");
        ::close(args.syncFd);
        args.syncFd = -1;
    }
}

/// Through a temporary and a rename; `sync` for the exit record only (the pid file is
/// written on every container's start, where an fsync is a cost worth avoiding).
bool writeFileAtomically(const fs::path& path, const std::string& content, bool sync = false) {
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return false;
    }
    writeAll(fd, content);
    if (sync) {
        ::fsync(fd);
    }
    ::close(fd);
    return ::rename(tmp.c_str(), path.c_str()) == 0;
}

/// The "oom_kill N" count from memory.oom_control (v1) or memory.events (v2).
long oomKills(const std::string& cgroup) {
    for (const fs::path& file :
         {fs::path("/sys/fs/cgroup/memory") / cgroup.substr(1) / "memory.oom_control",
          fs::path("/sys/fs/cgroup") / cgroup.substr(1) / "memory.events"}) {
        std::ifstream in(file);
        std::string key;
        long value = 0;
        while (in >> key >> value) {
            if (key == "oom_kill") {
                return value;
            }
        }
    }
    return 0;
}

/// Receives the pty master runc sends over the console socket.
int receiveConsole(int listener) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) {
        return -1;
    }
    const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
        return -1;
    }
    char name[4096];
    iovec iov{name, sizeof name};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr message{};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    int fd = -1;
    if (::recvmsg(connection, &message, MSG_CMSG_CLOEXEC) > 0) {
        for (cmsghdr* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
            }
        }
    }
    ::close(connection);
    return fd;
}

int listenUnix(const fs::path& path) {
    ::unlink(path.c_str());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string p = path.string();
    if (fd < 0 || p.size() >= sizeof address.sun_path) {
        return -1;
    }
    std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 16) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void setNonBlocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::optional<Args> parse(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (flag == "--id") {
            args.id = value();
        } else if (flag == "--bundle") {
            args.bundle = value();
        } else if (flag == "--runc") {
            args.runc = value();
        } else if (flag == "--runc-root") {
            args.runcRoot = value();
        } else if (flag == "--log") {
            args.log = value();
        } else if (flag == "--cgroup") {
            args.cgroup = value();
        } else if (flag == "--log-max-size") {
            args.logMaxSize = std::stoull(value());
        } else if (flag == "--log-max-files") {
            args.logMaxFiles = std::stoi(value());
        } else if (flag == "--tty") {
            args.tty = true;
        } else if (flag == "--stdin") {
            args.stdinOpen = true;
        } else if (flag == "--stdin-once") {
            args.stdinOnce = true;
        } else if (flag == "--start") {
            args.start = true;
        } else if (flag == "--sync-fd") {
            args.syncFd = std::stoi(value());
        } else {
            return std::nullopt;
        }
    }
    if (args.id.empty() || args.bundle.empty() || args.runcRoot.empty() || args.log.empty()) {
        return std::nullopt;
    }
    return args;
}

/// Runs `runc` with the given stdio; returns its wait status.
int runRunc(const Args& args, const std::vector<std::string>& command, int in, int out, int err) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        std::vector<std::string> full = {
            args.runc,      "--root", args.runcRoot, "--log", (args.bundle / kRuncLog).string(),
            "--log-format", "json"};
        full.insert(full.end(), command.begin(), command.end());
        std::vector<char*> cargs;
        for (auto& a : full) {
            cargs.push_back(a.data());
        }
        cargs.push_back(nullptr);
        ::execv(args.runc.c_str(), cargs.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

std::string readAvailable(int fd) {
    std::string text;
    setNonBlocking(fd);
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

/// SIGCHLD wakes the loop through this pipe (the handler only writes a byte).
int g_childPipe[2] = {-1, -1};

extern "C" void onChild(int) {
    const int saved = errno;
    const char byte = 0;
    (void)!::write(g_childPipe[1], &byte, 1);
    errno = saved;
}

struct Client {
    int fd;
    std::string input;
};

int run(Args& args) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    if (::pipe2(g_childPipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        struct sigaction action {};
        action.sa_handler = onChild;
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
        ::sigaction(SIGCHLD, &action, nullptr);
    }
    writeFileAtomically(args.bundle / kShimPidFile, std::to_string(::getpid()));

    CriLogWriter log(args.log, {args.logMaxSize, args.logMaxFiles, 16 * 1024});
    if (auto opened = log.open(); !opened) {
        report(args, "error " + opened.error().message());
        return 1;
    }

    const int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    int outPipe[2] = {-1, -1}, errPipe[2] = {-1, -1}, inPipe[2] = {-1, -1};
    int consoleListener = -1;
    // With --start, `runc run --detach`: created and started by one runc process.
    std::vector<std::string> create = {"create", "--bundle", args.bundle.string(), "--pid-file",
                                       (args.bundle / kInitPidFile).string()};
    if (args.start) {
        create.front() = "run";
        create.insert(create.begin() + 1, "--detach");
    }
    int runcIn = devNull, runcOut = devNull, runcErr = devNull;
    int errorCapture[2] = {-1, -1};
    if (args.tty) {
        consoleListener = listenUnix(args.bundle / kConsoleSocket);
        if (consoleListener < 0) {
            report(args, "error cannot listen on the console socket");
            return 1;
        }
        create.push_back("--console-socket");
        create.push_back((args.bundle / kConsoleSocket).string());
        if (::pipe2(errorCapture, O_CLOEXEC) == 0) {
            runcErr = errorCapture[1];
        }
    } else {
        if (::pipe2(outPipe, O_CLOEXEC) != 0 || ::pipe2(errPipe, O_CLOEXEC) != 0) {
            report(args, "error pipe: " + std::string(std::strerror(errno)));
            return 1;
        }
        runcOut = outPipe[1];
        runcErr = errPipe[1];
        if (args.stdinOpen && ::pipe2(inPipe, O_CLOEXEC) == 0) {
            runcIn = inPipe[0];
        }
    }
    create.push_back(args.id);

    const int status = runRunc(args, create, runcIn, runcOut, runcErr);
    if (outPipe[1] >= 0) {
        ::close(outPipe[1]);
    }
    if (errPipe[1] >= 0) {
        ::close(errPipe[1]);
    }
    if (inPipe[0] >= 0) {
        ::close(inPipe[0]);
    }
    if (errorCapture[1] >= 0) {
        ::close(errorCapture[1]);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // Whatever is on the pipes is runc's complaint: the container never ran.
        std::string message =
            errorCapture[0] >= 0 ? readAvailable(errorCapture[0]) : readAvailable(errPipe[0]);
        if (message.empty()) {
            message = std::string(args.start ? "runc run" : "runc create") + " failed (status " +
                      std::to_string(status) + ")";
        }
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
            message.pop_back();
        }
        for (char& c : message) {
            if (c == '\n') {
                c = ' ';
            }
        }
        runRunc(args, {"delete", "--force", args.id}, devNull, devNull, devNull);
        report(args, "error " + message);
        return 1;
    }
    if (errorCapture[0] >= 0) {
        ::close(errorCapture[0]);
    }
    int master = -1;
    if (args.tty) {
        master = receiveConsole(consoleListener);
        ::close(consoleListener);
        ::unlink((args.bundle / kConsoleSocket).c_str());
        if (master < 0) {
            runRunc(args, {"delete", "--force", args.id}, devNull, devNull, devNull);
            report(args, "error did not receive the container's console");
            return 1;
        }
    }
    pid_t initPid = 0;
    {
        std::ifstream in(args.bundle / kInitPidFile);
        in >> initPid;
    }
    if (initPid <= 0) {
        runRunc(args, {"delete", "--force", args.id}, devNull, devNull, devNull);
        report(args, "error runc wrote no pid file");
        return 1;
    }
    const int attachListener = listenUnix(args.bundle / kAttachSocket);
    report(args, "ok " + std::to_string(initPid));

    // The loop: copy output, serve attach clients, reap the container.
    int stdinFd = args.tty ? master : inPipe[1];
    int outFd = args.tty ? master : outPipe[0];
    int errFd = args.tty ? -1 : errPipe[0];
    std::vector<Client> clients;
    bool exited = false;
    int exitStatus = 0;
    std::chrono::system_clock::time_point finishedAt;
    std::chrono::steady_clock::time_point drainDeadline;
    bool oomKilled = false;
    bool unterminated = false;  // output without its newline waits in the writer
    auto unterminatedSince = std::chrono::steady_clock::now();
    char buffer[32 * 1024];

    // A client that does not keep up is dropped: the container's output must never wait for
    // an attach client (its pipe would fill and the container block).
    auto broadcast = [&](FrameKind kind, std::string_view data) {
        const std::string frame = encodeFrame(kind, data);
        for (auto& client : clients) {
            if (client.fd < 0) {
                continue;
            }
            const ssize_t n =
                ::send(client.fd, frame.data(), frame.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n != static_cast<ssize_t>(frame.size())) {
                ::close(client.fd);
                client.fd = -1;
            }
        }
    };
    // Input for the container waits here rather than blocking the shim (and with it the
    // output the container may be blocked on) when the container does not read it.
    std::string stdinPending;
    bool stdinCloseRequested = false;
    if (stdinFd >= 0) {
        setNonBlocking(stdinFd);
    }
    auto flushStdin = [&]() {
        while (stdinFd >= 0 && !stdinPending.empty()) {
            const ssize_t n = ::write(stdinFd, stdinPending.data(), stdinPending.size());
            if (n > 0) {
                stdinPending.erase(0, static_cast<std::size_t>(n));
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && errno == EAGAIN) {
                return;
            } else {
                stdinPending.clear();  // the reader is gone
            }
        }
        if (stdinCloseRequested && stdinPending.empty() && !args.tty && stdinFd >= 0) {
            ::close(stdinFd);
            stdinFd = -1;
        }
    };
    auto closeStdin = [&]() {
        stdinCloseRequested = true;
        flushStdin();
    };

    for (;;) {
        std::vector<pollfd> fds;
        if (outFd >= 0) {
            fds.push_back({outFd, POLLIN, 0});
        }
        if (errFd >= 0) {
            fds.push_back({errFd, POLLIN, 0});
        }
        if (attachListener >= 0) {
            fds.push_back({attachListener, POLLIN, 0});
        }
        for (const auto& client : clients) {
            fds.push_back({client.fd, POLLIN, 0});
        }
        if (g_childPipe[0] >= 0) {
            fds.push_back({g_childPipe[0], POLLIN, 0});
        }
        ::poll(fds.data(), fds.size(),
               exited || !stdinPending.empty() ? 50
               : unterminated                  ? 250
                                               : 1000);
        flushStdin();
        if (unterminated &&
            std::chrono::steady_clock::now() - unterminatedSince > std::chrono::seconds(1)) {
            // Output without a newline (a prompt) shows up as a partial line after a second.
            (void)log.flushPartial(now());
            unterminated = false;
        }
        for (const auto& p : fds) {
            if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            if (p.fd == outFd || p.fd == errFd) {
                const bool isOut = p.fd == outFd;
                const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
                if (n > 0) {
                    const std::string_view data(buffer, static_cast<std::size_t>(n));
                    (void)log.write(isOut ? Stream::Stdout : Stream::Stderr, data, now());
                    if (data.back() == '\n') {
                        unterminated = false;
                    } else if (!unterminated) {
                        unterminated = true;
                        unterminatedSince = std::chrono::steady_clock::now();
                    }
                    broadcast(isOut ? FrameKind::Stdout : FrameKind::Stderr, data);
                } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                    // EOF (a pty master reports EIO once the slave side is gone).
                    if (isOut) {
                        if (!args.tty) {
                            ::close(outFd);
                        }
                        outFd = -1;
                    } else {
                        ::close(errFd);
                        errFd = -1;
                    }
                }
            } else if (p.fd == g_childPipe[0]) {
                char drain[64];
                while (::read(g_childPipe[0], drain, sizeof drain) > 0) {
                }
            } else if (p.fd == attachListener) {
                const int c = ::accept4(attachListener, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    const int bufferSize = 1 << 20;
                    ::setsockopt(c, SOL_SOCKET, SO_SNDBUF, &bufferSize, sizeof bufferSize);
                    clients.push_back({c, {}});
                }
            } else {
                for (auto& client : clients) {
                    if (client.fd != p.fd) {
                        continue;
                    }
                    const ssize_t n = ::read(client.fd, buffer, sizeof buffer);
                    if (n <= 0) {
                        ::close(client.fd);
                        client.fd = -1;
                        if (args.stdinOnce) {
                            closeStdin();
                        }
                        continue;
                    }
                    client.input.append(buffer, static_cast<std::size_t>(n));
                    FrameKind kind{};
                    std::string payload;
                    while (decodeFrame(client.input, kind, payload)) {
                        if (kind == FrameKind::Stdin && stdinFd >= 0 &&
                            stdinPending.size() < (16u << 20)) {
                            stdinPending += payload;
                            flushStdin();
                        } else if (kind == FrameKind::CloseStdin) {
                            closeStdin();
                        } else if (kind == FrameKind::Resize && args.tty && payload.size() == 4) {
                            const auto* b = reinterpret_cast<const unsigned char*>(payload.data());
                            winsize size{};
                            size.ws_col = static_cast<unsigned short>((b[0] << 8) | b[1]);
                            size.ws_row = static_cast<unsigned short>((b[2] << 8) | b[3]);
                            ::ioctl(master, TIOCSWINSZ, &size);
                        }
                    }
                }
            }
        }
        std::erase_if(clients, [](const Client& client) { return client.fd < 0; });

        // Reap: the container's init (reparented to us) and anything else that ends up here.
        for (;;) {
            int waitStatus = 0;
            const pid_t pid = ::waitpid(-1, &waitStatus, WNOHANG);
            if (pid <= 0) {
                break;
            }
            if (pid == initPid && !exited) {
                exited = true;
                exitStatus = waitStatus;
                finishedAt = now();
                // Before anyone can `runc delete` the cgroup.
                oomKilled = !args.cgroup.empty() && oomKills(args.cgroup) > 0;
                drainDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            }
        }
        if (!exited && ::kill(initPid, 0) != 0 && errno == ESRCH) {
            // Not our child (a restarted shim never is): it is gone all the same.
            exited = true;
            exitStatus = 255 << 8;
            finishedAt = now();
            oomKilled = !args.cgroup.empty() && oomKills(args.cgroup) > 0;
            drainDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        }
        if (exited && ((outFd < 0 && errFd < 0) || args.tty ||
                       std::chrono::steady_clock::now() > drainDeadline)) {
            if (args.tty && outFd >= 0) {
                // Read what is left on the pty without blocking.
                const std::string rest = readAvailable(outFd);
                (void)log.write(Stream::Stdout, rest, now());
                broadcast(FrameKind::Stdout, rest);
            }
            break;
        }
    }
    (void)log.close(now());

    int exitCode = 0;
    int signal = 0;
    if (WIFEXITED(exitStatus)) {
        exitCode = WEXITSTATUS(exitStatus);
    } else if (WIFSIGNALED(exitStatus)) {
        signal = WTERMSIG(exitStatus);
        exitCode = 128 + signal;
    }
    std::ostringstream json;
    json << "{\"exitCode\":" << exitCode << ",\"signal\":" << signal
         << ",\"oomKilled\":" << (oomKilled ? "true" : "false") << ",\"finishedAt\":\""
         << formatRfc3339Nano(finishedAt) << "\",\"pid\":" << initPid << "}\n";
    writeFileAtomically(args.bundle / kExitFile, json.str(), true);

    broadcast(FrameKind::Exit, {});
    for (auto& client : clients) {
        ::close(client.fd);
    }
    ::unlink((args.bundle / kAttachSocket).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse(argc, argv);
    if (!args) {
        std::fprintf(
            stderr,
            "usage: slipway-shim --id ID --bundle DIR --runc-root DIR --log PATH "
            "[--runc PATH] [--cgroup PATH] [--log-max-size N] [--log-max-files N] [--start] "
            "[--tty] [--stdin] [--stdin-once] [--sync-fd FD]\n");
        return 2;
    }
    // Detach from the agent: a new session, and a grandchild that init adopts, so that
    // neither the agent's exit nor its process group's signals reach us.
    const pid_t first = ::fork();
    if (first < 0) {
        report(*args, "error fork: " + std::string(std::strerror(errno)));
        return 1;
    }
    if (first > 0) {
        if (args->syncFd >= 0) {
            ::close(args->syncFd);
        }
        int status = 0;
        ::waitpid(first, &status, 0);
        return 0;
    }
    ::setsid();
    const pid_t second = ::fork();
    if (second < 0) {
        report(*args, "error fork: " + std::string(std::strerror(errno)));
        ::_exit(1);
    }
    if (second > 0) {
        ::_exit(0);
    }
    if (::chdir(args->bundle.c_str()) != 0) {
        report(*args, "error chdir " + args->bundle.string());
        ::_exit(1);
    }
    const int devNull = ::open("/dev/null", O_RDWR);
    const int shimLog =
        ::open((args->bundle / kShimLog).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(devNull, 0);
    ::dup2(devNull, 1);
    ::dup2(shimLog >= 0 ? shimLog : devNull, 2);
    // Nothing of the agent's stays open here but the sync pipe, and that one not in runc.
    const int sync = args->syncFd;
    if (sync >= 3) {
        ::close_range(3, static_cast<unsigned>(sync) - 1, 0);
        ::close_range(static_cast<unsigned>(sync) + 1, ~0U, 0);
        ::fcntl(sync, F_SETFD, FD_CLOEXEC);
    } else {
        ::close_range(3, ~0U, 0);
    }
    ::_exit(run(*args));
}
