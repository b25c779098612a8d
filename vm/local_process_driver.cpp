// SPDX-License-Identifier: Apache-2.0
#include "vm/local_process_driver.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/core/atomic_file.h"
#include "vm/process.h"

namespace slipway::vm {
namespace {

constexpr const char* kPidFile = "slipwayd.pid";
constexpr const char* kLogFile = "slipwayd.log";

/// Binds 127.0.0.1:`port` and reports the port bound; the socket is closed again.
core::Result<std::uint16_t> bindLoopback(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return core::Error(core::ErrorCode::Network, std::strerror(errno));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof address;
    // The server sets SO_REUSEADDR too, so a port in TIME_WAIT counts as free for it.
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int error = errno;
        ::close(fd);
        return core::Error(core::ErrorCode::Network, std::strerror(error));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

pid_t readPid(const std::filesystem::path& file) {
    std::ifstream in(file);
    long pid = 0;
    in >> pid;
    return in ? static_cast<pid_t>(pid) : -1;
}

/// Whether `pid` is stopped by a signal: its state letter in /proc/PID/stat is 'T'. The state
/// follows the command name in parentheses, which may itself contain ')'.
bool processStopped(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return false;
    }
    const auto paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'T';
}

/// Signals are delivered asynchronously: wait (briefly) until /proc shows what was asked, so
/// that a status read right after pause() or resume() agrees with it.
void waitForStopState(pid_t pid, bool stopped) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (processStopped(pid) != stopped && processAlive(pid) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

/// Sends `signal` to the process group of `pid`. spawnDaemon made the daemon a member of a new
/// session whose group holds it and whatever it forks (not the caller), so the group is safe
/// to signal; a pid that leads no group of its own is signalled alone.
core::Result<void> signalGroup(pid_t pid, int signal, const char* what) {
    const pid_t group = ::getpgid(pid);
    const bool ownGroup = group > 1 && group != ::getpgid(0);
    if ((ownGroup ? ::kill(-group, signal) : ::kill(pid, signal)) != 0 && errno != ESRCH) {
        return core::Error(core::ErrorCode::Internal, std::string(what) + " slipwayd (pid " +
                                                          std::to_string(pid) +
                                                          "): " + std::strerror(errno));
    }
    return core::success();
}

}  // namespace

bool loopbackPortFree(std::uint16_t port) {
    return port != 0 && bindLoopback(port).ok();
}

core::Result<std::uint16_t> pickFreeLoopbackPort() {
    return bindLoopback(0);
}

core::Result<void> LocalProcessDriver::launch(ClusterSpec& spec, const std::filesystem::path& dir,
                                              const ProgressCallback& progress) {
    // Keep the port of earlier starts so kubeconfigs stay valid; move only if it was taken.
    if (!loopbackPortFree(spec.apiPort)) {
        auto port = pickFreeLoopbackPort();
        if (!port) {
            return port.error().wrap("choosing an API server port");
        }
        spec.apiPort = *port;
    }
    std::error_code ec;
    std::filesystem::remove(dir / "kubeconfig", ec);
    if (progress) {
        progress("Starting slipwayd on 127.0.0.1:" + std::to_string(spec.apiPort));
    }
    std::vector<std::string> argv = {
        m_slipwayd.string(), "server",
        "--data-dir",        (dir / "data").string(),
        "--listen",          "127.0.0.1:" + std::to_string(spec.apiPort),
        "--kubeconfig-out",  (dir / "kubeconfig").string(),
        "--cluster-name",    contextName(spec.name),
    };
    // Containers need root (namespaces, cgroups, runc): as root the cluster gets a real node
    // that runs them on this machine; otherwise it has no node (the VM driver gives one). The
    // machine's own network is not the cluster's: no pod network (bridge, masquerade) and so no
    // Service proxy, DNS or ingress ports here; pods get loopback only, and `slipway service`
    // tunnels to them.
    if (::geteuid() == 0) {
        argv.insert(argv.end(), {"--node-agent", "--node-name", spec.name, "--kubelet-port", "0",
                                 "--pod-network", "none"});
    }
    auto pid = spawnDaemon(argv, dir / kLogFile);
    if (!pid) {
        return pid.error();
    }
    return core::writeFileAtomically(dir / kPidFile, std::to_string(*pid) + "\n");
}

core::Result<void> LocalProcessDriver::release(const ClusterSpec& spec,
                                               const std::filesystem::path& dir,
                                               const ProgressCallback& progress) {
    (void)spec;
    std::error_code ec;
    if (!std::filesystem::exists(dir / "data" / "agent", ec)) {
        return core::success();  // the cluster never ran a node
    }
    if (progress) {
        progress("Removing the node's containers");
    }
    auto result =
        runProcess({m_slipwayd.string(), "reset-node", "--data-dir", (dir / "data").string()},
                   std::chrono::seconds(60));
    if (!result) {
        return result.error();
    }
    if (result->exitCode != 0) {
        return core::Error(core::ErrorCode::Internal,
                           "slipwayd reset-node failed: " + result->output);
    }
    return core::success();
}

core::Result<void> LocalProcessDriver::halt(const ClusterSpec& spec,
                                            const std::filesystem::path& dir,
                                            std::chrono::milliseconds grace,
                                            const ProgressCallback& progress) {
    const pid_t pid = readPid(dir / kPidFile);
    const MachineState machine = observe(spec, dir);
    if (machine.running) {
        if (machine.paused) {
            // A stopped process keeps SIGTERM pending: it must run again to shut down cleanly.
            if (auto resumed = signalGroup(pid, SIGCONT, "resuming"); !resumed) {
                return resumed;
            }
        }
        if (progress) {
            progress("Stopping slipwayd (pid " + std::to_string(pid) + ")");
        }
        if (auto stopped = terminateProcess(pid, grace); !stopped) {
            return stopped;
        }
    }
    std::error_code ec;
    std::filesystem::remove(dir / kPidFile, ec);
    return core::success();
}

std::filesystem::path LocalProcessDriver::logPath(const ClusterSpec& /*spec*/,
                                                  const std::filesystem::path& dir) const {
    return dir / kLogFile;
}

MachineState LocalProcessDriver::observe(const ClusterSpec& /*spec*/,
                                         const std::filesystem::path& dir) const {
    const pid_t pid = readPid(dir / kPidFile);
    if (pid <= 0 || !processAlive(pid)) {
        return MachineState::stopped();
    }
    // After a reboot the pid may belong to something else: only our binary counts.
    const std::string name = processName(pid);
    if (name != m_slipwayd.filename().string() && name != "slipwayd") {
        return MachineState::stopped("pid " + std::to_string(pid) + " is now '" + name +
                                     "', not slipwayd");
    }
    MachineState running;
    running.running = true;
    running.paused = processStopped(pid);
    return running;
}

core::Result<void> LocalProcessDriver::pause(const ClusterSpec& spec,
                                             const std::filesystem::path& dir) {
    const MachineState machine = observe(spec, dir);
    if (!machine.running) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running");
    }
    if (machine.paused) {
        return core::success();
    }
    const pid_t pid = readPid(dir / kPidFile);
    if (auto stopped = signalGroup(pid, SIGSTOP, "pausing"); !stopped) {
        return stopped;
    }
    waitForStopState(pid, true);
    return core::success();
}

core::Result<void> LocalProcessDriver::resume(const ClusterSpec& spec,
                                              const std::filesystem::path& dir) {
    const MachineState machine = observe(spec, dir);
    if (!machine.running) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + spec.name + "\" is not running");
    }
    const pid_t pid = readPid(dir / kPidFile);
    if (auto resumed = signalGroup(pid, SIGCONT, "resuming"); !resumed) {
        return resumed;
    }
    waitForStopState(pid, false);
    return core::success();
}

}  // namespace slipway::vm
