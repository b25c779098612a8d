// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/runtime/runtime.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <net/if.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "engine/agent/logs/cri_log.h"
#include "engine/agent/runtime/oci_spec.h"
#include "engine/agent/runtime/shim_protocol.h"
#include "engine/core/atomic_file.h"
#include "engine/core/replace_file.h"

namespace slipway::agent::runtime {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::Result;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

Error errnoError(std::string_view what, int error) {
    return Error(ErrorCode::Io, std::string(what) + ": " + std::strerror(error));
}

bool validId(const std::string& id) {
    return !id.empty() && id.size() <= 128 && id != "." && id != ".." &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
           });
}

void closeFd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

/// Starts a program with the given descriptors as the child's 0, 1, 2 (and more: target →
/// source). posix_spawn (a vfork-style clone in glibc): forking the agent, a large threaded
/// process, copied its page tables and then took copy-on-write faults in both processes until
/// the exec, which cost more CPU than anything else the agent did to start a container. Only
/// a controlling terminal (which posix_spawn cannot set) still takes the fork path.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::pair<int, int>>& fds,
            bool newSession = false, int controllingTty = -1) {
    std::vector<std::string> copy = argv;
    std::vector<char*> cargs;
    for (auto& arg : copy) {
        cargs.push_back(arg.data());
    }
    cargs.push_back(nullptr);
    if (controllingTty < 0) {
        // Sources are moved out of the way of the targets first (in the parent, close-on-exec:
        // only the dup2 copies reach the program).
        std::vector<int> moved;
        posix_spawn_file_actions_t actions;
        ::posix_spawn_file_actions_init(&actions);
        for (const auto& [target, source] : fds) {
            if (source < 0) {
                continue;
            }
            const int high = ::fcntl(source, F_DUPFD_CLOEXEC, 100);
            if (high >= 0) {
                moved.push_back(high);
                ::posix_spawn_file_actions_adddup2(&actions, high, target);
            }
        }
        posix_spawnattr_t attributes;
        ::posix_spawnattr_init(&attributes);
        if (newSession) {
            ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
        }
        pid_t pid = -1;
        const int error =
            ::posix_spawn(&pid, cargs[0], &actions, &attributes, cargs.data(), environ);
        ::posix_spawnattr_destroy(&attributes);
        ::posix_spawn_file_actions_destroy(&actions);
        for (const int fd : moved) {
            ::close(fd);
        }
        if (error != 0) {
            errno = error;
            return -1;
        }
        return pid;
    }
    const pid_t pid = ::fork();
    if (pid != 0) {
        return pid;
    }
    if (newSession) {
        ::setsid();
    }
    // Move sources out of the way of the targets first, then place them (no allocation here:
    // the parent may have other threads holding the allocator's locks).
    constexpr std::size_t kMaxFds = 8;
    int sources[kMaxFds];
    const std::size_t count = std::min(fds.size(), kMaxFds);
    for (std::size_t i = 0; i < count; ++i) {
        sources[i] = fds[i].second >= 0 ? ::fcntl(fds[i].second, F_DUPFD_CLOEXEC, 100) : -1;
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (sources[i] >= 0) {
            ::dup2(sources[i], fds[i].first);
        }
    }
    ::ioctl(0, TIOCSCTTY, 0);
    ::execv(cargs[0], cargs.data());
    ::_exit(127);
}

int waitFor(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return status;
}

/// Runs a command to the end with stdin from /dev/null; its exit status and combined output.
int runCommand(const std::vector<std::string>& argv, std::string* output) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        return -1;
    }
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t pid = spawn(argv, {{0, devNull}, {1, pipeFds[1]}, {2, pipeFds[1]}});
    ::close(pipeFds[1]);
    ::close(devNull);
    if (pid < 0) {
        ::close(pipeFds[0]);
        return -1;
    }
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) != 0) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (output) {
            output->append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(pipeFds[0]);
    const int status = waitFor(pid);
    return status;
}

bool succeeded(int status) {
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

/// A bundle's state file: replaced through a rename, without an fsync. These files describe
/// processes that a reboot ends anyway, and three fsyncs per container were a good part of its
/// start-up on a busy disk.
Result<void> writeStateFile(const fs::path& path, std::string_view content) {
    return core::replaceFile(path, content);
}

std::string readSmallFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

/// Whether `pid` is the shim of the container whose bundle is `bundle`: alive, not a zombie,
/// and its command line names that bundle. A pid alone is not enough: after the machine
/// reboots (a VM killed and started again) the data dir still names the old shims' pids, and
/// the new boot's shims, started in the same order, often get exactly those numbers.
bool shimAlive(pid_t pid, const fs::path& bundle) {
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) {
        return false;
    }
    const std::string cmdline = readSmallFile("/proc/" + std::to_string(pid) + "/cmdline");
    if (cmdline.find("slipway-shim") == std::string::npos ||
        cmdline.find(std::string(1, '\0') + bundle.string() + std::string(1, '\0')) ==
            std::string::npos) {
        return false;
    }
    const std::string stat = readSmallFile("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

// ---- ContainerConfig on disk

json toJson(const ContainerConfig& c) {
    json mounts = json::array();
    for (const auto& m : c.mounts) {
        mounts.push_back(json{{"destination", m.destination},
                              {"source", m.source},
                              {"type", m.type},
                              {"options", m.options},
                              {"readOnly", m.readOnly}});
    }
    json resources = json::object();
    const auto& r = c.resources;
    if (r.memoryLimitBytes) {
        resources["memoryLimitBytes"] = *r.memoryLimitBytes;
    }
    if (r.cpuShares) {
        resources["cpuShares"] = *r.cpuShares;
    }
    if (r.cpuQuotaMicros) {
        resources["cpuQuotaMicros"] = *r.cpuQuotaMicros;
    }
    if (r.cpuPeriodMicros) {
        resources["cpuPeriodMicros"] = *r.cpuPeriodMicros;
    }
    if (r.pidsLimit) {
        resources["pidsLimit"] = *r.pidsLimit;
    }
    return json{{"id", c.id},
                {"podUid", c.podUid},
                {"podName", c.podName},
                {"podNamespace", c.podNamespace},
                {"containerName", c.containerName},
                {"restartCount", c.restartCount},
                {"image", c.image},
                {"imageId", c.imageId},
                {"labels", c.labels},
                {"annotations", c.annotations},
                {"rootfs", c.rootfs.string()},
                {"readonlyRootfs", c.readonlyRootfs},
                {"args", c.args},
                {"env", c.env},
                {"cwd", c.cwd},
                {"uid", c.uid},
                {"gid", c.gid},
                {"supplementalGroups", c.supplementalGroups},
                {"capabilitiesAdd", c.capabilitiesAdd},
                {"capabilitiesDrop", c.capabilitiesDrop},
                {"privileged", c.privileged},
                {"noNewPrivileges", c.noNewPrivileges},
                {"hostname", c.hostname},
                {"mounts", mounts},
                {"sandbox", c.sandbox},
                {"resources", resources},
                {"oomScoreAdj", c.oomScoreAdj},
                {"tty", c.tty},
                {"stdin", c.stdin},
                {"stdinOnce", c.stdinOnce},
                {"logPath", c.logPath.string()}};
}

template <typename T>
void get(const json& j, const char* key, T& out) {
    if (auto it = j.find(key); it != j.end() && !it->is_null()) {
        out = it->get<T>();
    }
}

ContainerConfig configFromJson(const json& j) {
    ContainerConfig c;
    get(j, "id", c.id);
    get(j, "podUid", c.podUid);
    get(j, "podName", c.podName);
    get(j, "podNamespace", c.podNamespace);
    get(j, "containerName", c.containerName);
    get(j, "restartCount", c.restartCount);
    get(j, "image", c.image);
    get(j, "imageId", c.imageId);
    get(j, "labels", c.labels);
    get(j, "annotations", c.annotations);
    std::string path;
    get(j, "rootfs", path);
    c.rootfs = path;
    get(j, "readonlyRootfs", c.readonlyRootfs);
    get(j, "args", c.args);
    get(j, "env", c.env);
    get(j, "cwd", c.cwd);
    get(j, "uid", c.uid);
    get(j, "gid", c.gid);
    get(j, "supplementalGroups", c.supplementalGroups);
    get(j, "capabilitiesAdd", c.capabilitiesAdd);
    get(j, "capabilitiesDrop", c.capabilitiesDrop);
    get(j, "privileged", c.privileged);
    get(j, "noNewPrivileges", c.noNewPrivileges);
    get(j, "hostname", c.hostname);
    if (auto it = j.find("mounts"); it != j.end() && it->is_array()) {
        for (const auto& m : *it) {
            Mount mount;
            get(m, "destination", mount.destination);
            get(m, "source", mount.source);
            get(m, "type", mount.type);
            get(m, "options", mount.options);
            get(m, "readOnly", mount.readOnly);
            c.mounts.push_back(std::move(mount));
        }
    }
    get(j, "sandbox", c.sandbox);
    if (auto it = j.find("resources"); it != j.end() && it->is_object()) {
        const auto& r = *it;
        if (r.contains("memoryLimitBytes")) {
            c.resources.memoryLimitBytes = r["memoryLimitBytes"].get<std::int64_t>();
        }
        if (r.contains("cpuShares")) {
            c.resources.cpuShares = r["cpuShares"].get<std::uint64_t>();
        }
        if (r.contains("cpuQuotaMicros")) {
            c.resources.cpuQuotaMicros = r["cpuQuotaMicros"].get<std::int64_t>();
        }
        if (r.contains("cpuPeriodMicros")) {
            c.resources.cpuPeriodMicros = r["cpuPeriodMicros"].get<std::uint64_t>();
        }
        if (r.contains("pidsLimit")) {
            c.resources.pidsLimit = r["pidsLimit"].get<std::int64_t>();
        }
    }
    get(j, "oomScoreAdj", c.oomScoreAdj);
    get(j, "tty", c.tty);
    get(j, "stdin", c.stdin);
    get(j, "stdinOnce", c.stdinOnce);
    get(j, "logPath", path);
    c.logPath = path;
    return c;
}

fs::path defaultShimPath() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("slipway-shim") : self.parent_path() / "slipway-shim";
}

bool cgroupV2() {
    std::error_code ec;
    return fs::exists("/sys/fs/cgroup/cgroup.controllers", ec);
}

std::optional<std::uint64_t> readNumber(const fs::path& path) {
    std::ifstream in(path);
    std::uint64_t value = 0;
    if (in >> value) {
        return value;
    }
    return std::nullopt;
}

/// A value from a "key value" file (memory.stat, cpu.stat).
std::optional<std::uint64_t> readKey(const fs::path& path, std::string_view wanted) {
    std::ifstream in(path);
    std::string key;
    std::uint64_t value = 0;
    while (in >> key >> value) {
        if (key == wanted) {
            return value;
        }
    }
    return std::nullopt;
}

/// The pod's cgroup goes with its last container: rmdir fails while others are in it.
void removePodCgroupIfEmpty(const std::string& containerCgroup) {
    const std::string pod = containerCgroup.substr(0, containerCgroup.rfind('/'));
    if (pod.empty()) {
        return;
    }
    if (cgroupV2()) {
        ::rmdir(("/sys/fs/cgroup" + pod).c_str());
        return;
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/sys/fs/cgroup", ec)) {
        ::rmdir((entry.path().string() + pod).c_str());
    }
}

// ---- exec

class RuncExecProcess final : public ExecProcess {
public:
    ~RuncExecProcess() override {
        if (m_pid > 0 && !m_exitCode) {
            kill(SIGKILL);
            waitFor(m_pid);
        }
        closeFd(m_stdin);
        closeFd(m_stdout);
        closeFd(m_stderr);
        closeFd(m_pidfd);
        std::error_code ec;
        fs::remove(m_pidFile, ec);
    }

    int stdinFd() const override { return m_stdin; }
    int stdoutFd() const override { return m_tty ? m_stdin : m_stdout; }
    int stderrFd() const override { return m_stderr; }

    void closeStdin() override {
        if (m_tty) {
            // EOF on a terminal is ^D at the start of a line.
            if (m_stdin >= 0) {
                const char eot = 4;
                (void)!::write(m_stdin, &eot, 1);
            }
            return;
        }
        closeFd(m_stdin);
    }

    Result<void> resize(std::uint16_t width, std::uint16_t height) override {
        if (!m_tty || m_stdin < 0) {
            return Error(ErrorCode::BadRequest, "the exec has no terminal");
        }
        winsize size{};
        size.ws_col = width;
        size.ws_row = height;
        if (::ioctl(m_stdin, TIOCSWINSZ, &size) != 0) {
            return errnoError("resizing the terminal", errno);
        }
        // runc copies the size of its own terminal (our pty's slave) to the container's.
        ::kill(m_pid, SIGWINCH);
        return core::success();
    }

    std::optional<int> wait(std::chrono::milliseconds timeout) override {
        if (m_exitCode) {
            return m_exitCode;
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        if (m_pidfd >= 0) {
            pollfd p{m_pidfd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(timeout.count()));
        }
        for (;;) {
            int status = 0;
            const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid) {
                m_exitCode = WIFEXITED(status) ? WEXITSTATUS(status)
                                               : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
                return m_exitCode;
            }
            if (r < 0 && errno != EINTR) {
                m_exitCode = 255;
                return m_exitCode;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return std::nullopt;
            }
            std::this_thread::sleep_for(5ms);
        }
    }

    void kill(int signal) override {
        if (m_exitCode) {
            return;
        }
        // runc forwards catchable signals; SIGKILL must hit the process itself.
        pid_t process = 0;
        std::ifstream(m_pidFile) >> process;
        if (process > 0) {
            ::kill(process, signal);
        }
        ::kill(m_pid, signal);
    }

    pid_t m_pid = -1;
    int m_pidfd = -1;
    int m_stdin = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    bool m_tty = false;
    fs::path m_pidFile;
    std::optional<int> m_exitCode;
};

// ---- attach

class ShimAttachSession final : public AttachSession {
public:
    explicit ShimAttachSession(int fd, bool tty) : m_fd(fd), m_tty(tty) {}
    ~ShimAttachSession() override { closeFd(m_fd); }

    int fd() const override { return m_fd; }

    bool readOutput(std::string& out, std::string& err) override {
        if (m_fd < 0) {
            return false;
        }
        char buffer[16 * 1024];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0) {
            return false;
        }
        if (n > 0) {
            m_input.append(buffer, static_cast<std::size_t>(n));
        } else if (errno != EAGAIN && errno != EINTR) {
            return false;
        }
        shim::FrameKind kind{};
        std::string payload;
        bool more = true;
        while (shim::decodeFrame(m_input, kind, payload)) {
            if (kind == shim::FrameKind::Stdout || (m_tty && kind == shim::FrameKind::Stderr)) {
                out += payload;
            } else if (kind == shim::FrameKind::Stderr) {
                err += payload;
            } else if (kind == shim::FrameKind::Exit) {
                more = false;
            }
        }
        return more;
    }

    Result<void> writeStdin(std::string_view data) override {
        return send(shim::encodeFrame(shim::FrameKind::Stdin, data));
    }
    Result<void> closeStdin() override {
        return send(shim::encodeFrame(shim::FrameKind::CloseStdin, {}));
    }
    Result<void> resize(std::uint16_t width, std::uint16_t height) override {
        const char size[4] = {static_cast<char>(width >> 8), static_cast<char>(width & 0xff),
                              static_cast<char>(height >> 8), static_cast<char>(height & 0xff)};
        return send(shim::encodeFrame(shim::FrameKind::Resize, std::string_view(size, 4)));
    }

private:
    Result<void> send(std::string_view frame) {
        while (!frame.empty()) {
            const ssize_t n = ::send(m_fd, frame.data(), frame.size(), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN) {
                    continue;
                }
                return errnoError("writing to the container", errno);
            }
            frame.remove_prefix(static_cast<std::size_t>(n));
        }
        return core::success();
    }

    int m_fd;
    bool m_tty;
    std::string m_input;
};

}  // namespace

std::string_view containerStateName(ContainerState state) {
    switch (state) {
        case ContainerState::Created:
            return "Created";
        case ContainerState::Running:
            return "Running";
        case ContainerState::Exited:
            return "Exited";
        case ContainerState::Unknown:
            break;
    }
    return "Unknown";
}

Runtime::Runtime(RuntimeOptions options) : m_options(std::move(options)) {
    if (m_options.shimPath.empty()) {
        m_options.shimPath = defaultShimPath();
    }
    if (m_options.bootId.empty()) {
        m_options.bootId = trimmed(readSmallFile("/proc/sys/kernel/random/boot_id"));
    }
}

Runtime::Runtime(fs::path root, fs::path runcPath)
    : Runtime([&] {
          RuntimeOptions options;
          options.root = std::move(root);
          options.runcPath = std::move(runcPath);
          return options;
      }()) {}

Runtime::~Runtime() = default;

fs::path Runtime::bundleDir(const std::string& id) const {
    return m_options.root / "containers" / id;
}

std::string Runtime::cgroupPath(const ContainerConfig& config) const {
    std::string parent = m_options.cgroupParent;
    while (!parent.empty() && parent.back() == '/') {
        parent.pop_back();
    }
    if (!parent.empty() && parent.front() != '/') {
        parent.insert(parent.begin(), '/');
    }
    std::string pod = config.podUid.empty() ? std::string("pod-none") : "pod" + config.podUid;
    std::replace(pod.begin(), pod.end(), '/', '_');
    return parent + "/" + pod + "/" + config.id;
}

// ---- sandboxes

fs::path Runtime::sandboxPath(const std::string& id) const {
    return m_options.netnsDir / id;
}

bool Runtime::sandboxExists(const std::string& id) const {
    // A mounted namespace is an nsfs inode, not the empty file under it (statfs rather than
    // a search of /proc/self/mountinfo, which grows with every pod's mounts).
    constexpr decltype(statfs::f_type) kNsfsMagic = 0x6e736673;
    struct statfs fs {};
    return ::statfs(sandboxPath(id).c_str(), &fs) == 0 && fs.f_type == kNsfsMagic;
}

Result<fs::path> Runtime::createSandbox(const std::string& id, const std::string& hostname) {
    (void)hostname;  // the UTS namespace is per container; the pod's hostname goes in each
    if (!validId(id)) {
        return Error(ErrorCode::Invalid, "invalid sandbox id \"" + id + "\"");
    }
    const fs::path path = sandboxPath(id);
    if (sandboxExists(id)) {
        return path;
    }
    std::error_code ec;
    fs::create_directories(m_options.netnsDir, ec);
    if (ec) {
        return Error(ErrorCode::Io,
                     "creating " + m_options.netnsDir.string() + ": " + ec.message());
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
    if (fd < 0) {
        return errnoError("creating " + path.string(), errno);
    }
    ::close(fd);

    // unshare(CLONE_NEWNET) moves only the calling thread: do it in a thread of its own, bind
    // its namespace to the file, bring lo up inside, and let the thread end.
    std::optional<Error> failure;
    std::thread worker([&] {
        if (::unshare(CLONE_NEWNET) != 0) {
            failure = errnoError("unshare(CLONE_NEWNET)", errno);
            return;
        }
        const std::string self = "/proc/self/task/" + std::to_string(::gettid()) + "/ns/net";
        if (::mount(self.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
            failure = errnoError("bind-mounting the network namespace at " + path.string(), errno);
            return;
        }
        const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (sock < 0) {
            failure = errnoError("socket", errno);
            return;
        }
        ifreq request{};
        std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
        if (::ioctl(sock, SIOCGIFFLAGS, &request) == 0) {
            request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
            if (::ioctl(sock, SIOCSIFFLAGS, &request) != 0) {
                failure = errnoError("bringing lo up", errno);
            }
        } else {
            failure = errnoError("reading lo's flags", errno);
        }
        ::close(sock);
    });
    worker.join();
    if (failure) {
        (void)removeSandbox(id);
        return *failure;
    }
    return path;
}

Result<void> Runtime::removeSandbox(const std::string& id) {
    if (!validId(id)) {
        return Error(ErrorCode::Invalid, "invalid sandbox id \"" + id + "\"");
    }
    const fs::path path = sandboxPath(id);
    while (::umount2(path.c_str(), MNT_DETACH) == 0) {
        // mounted more than once: unmount every layer
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return errnoError("removing " + path.string(), errno);
    }
    return core::success();
}

// ---- containers

Result<void> Runtime::createContainer(const ContainerConfig& config) {
    return launch(config, false);
}

Result<void> Runtime::runContainer(const ContainerConfig& config) {
    return launch(config, true);
}

Result<void> Runtime::launch(const ContainerConfig& config, bool start) {
    if (!validId(config.id)) {
        return Error(ErrorCode::Invalid, "invalid container id \"" + config.id + "\"");
    }
    if (config.args.empty()) {
        return Error(ErrorCode::Invalid, "container " + config.id + " has no command");
    }
    if (config.logPath.empty()) {
        return Error(ErrorCode::Invalid, "container " + config.id + " has no log path");
    }
    const fs::path bundle = bundleDir(config.id);
    std::error_code ec;
    if (fs::exists(bundle / shim::kContainerFile, ec)) {
        if (fs::file_size(bundle / shim::kContainerFile, ec) != 0 || ec) {
            return Error(ErrorCode::AlreadyExists, "container " + config.id + " already exists");
        }
        // An empty record: written just before a power-off that its data never reached (the
        // state files are not fsynced). No container is listed from it; its debris goes.
        (void)removeContainer(config.id);
    }
    if (fs::exists(m_options.root / "runc" / config.id, ec)) {
        // runc's state of a container we have no record of: the same power-off kept runc's
        // state file and lost our record. Its process went with the boot; runc would refuse
        // the id. A state runc cannot read (torn by the power-off) is removed by hand.
        runcDeleteForce(config.id);
        fs::remove_all(m_options.root / "runc" / config.id, ec);
    }
    fs::create_directories(bundle, ec);
    fs::create_directories(m_options.root / "runc", ec);
    if (ec) {
        return Error(ErrorCode::Io, "creating " + bundle.string() + ": " + ec.message());
    }
    const std::string cgroup = cgroupPath(config);
    if (auto written = writeStateFile(bundle / shim::kConfigFile, ociSpec(config, cgroup).dump(2));
        !written) {
        return written.error();
    }
    json record{{"config", toJson(config)},
                {"createdAt", logs::formatRfc3339Nano(std::chrono::system_clock::now())},
                {"bootId", m_options.bootId}};
    if (auto written = writeStateFile(bundle / shim::kContainerFile, record.dump(2)); !written) {
        return written.error();
    }

    int sync[2];
    if (::pipe2(sync, O_CLOEXEC) != 0) {
        return errnoError("pipe", errno);
    }
    std::vector<std::string> argv = {m_options.shimPath.string(),
                                     "--id",
                                     config.id,
                                     "--bundle",
                                     bundle.string(),
                                     "--runc",
                                     m_options.runcPath.string(),
                                     "--runc-root",
                                     (m_options.root / "runc").string(),
                                     "--log",
                                     config.logPath.string(),
                                     "--cgroup",
                                     cgroup,
                                     "--log-max-size",
                                     std::to_string(m_options.logMaxSizeBytes),
                                     "--log-max-files",
                                     std::to_string(m_options.logMaxFiles),
                                     "--sync-fd",
                                     "3"};
    if (config.tty) {
        argv.push_back("--tty");
    }
    if (config.stdin) {
        argv.push_back("--stdin");
    }
    if (config.stdinOnce) {
        argv.push_back("--stdin-once");
    }
    if (start) {
        argv.push_back("--start");
    }
    // Taken before: a short-lived container may have finished by the time runc returns.
    const auto startedAt = std::chrono::system_clock::now();
    const int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t pid = spawn(argv, {{0, devNull}, {1, devNull}, {2, devNull}, {3, sync[1]}});
    ::close(devNull);
    ::close(sync[1]);
    if (pid < 0) {
        ::close(sync[0]);
        return errnoError("starting " + m_options.shimPath.string(), errno);
    }
    std::string answer;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            break;
        }
        pollfd p{sync[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        const ssize_t n = ::read(sync[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(sync[0]);
    const int shimStatus = waitFor(pid);
    answer = trimmed(answer);
    if (answer.starts_with("ok ")) {
        if (start) {
            return writeStateFile(bundle / shim::kStartedFile, logs::formatRfc3339Nano(startedAt));
        }
        return core::success();
    }
    std::string message = answer.starts_with("error ") ? answer.substr(6) : answer;
    if (message.empty()) {
        message = WIFEXITED(shimStatus) && WEXITSTATUS(shimStatus) == 127
                      ? "cannot run " + m_options.shimPath.string()
                      : "the shim ended without creating the container";
    }
    // Leave nothing behind: a failed create is no container.
    for (const auto* name :
         {shim::kConfigFile.data(), shim::kContainerFile.data(), shim::kShimPidFile.data(),
          shim::kInitPidFile.data(), shim::kRuncLog.data(), shim::kShimLog.data()}) {
        fs::remove(bundle / name, ec);
    }
    fs::remove(bundle, ec);
    removePodCgroupIfEmpty(cgroup);
    return Error(ErrorCode::Internal, "creating container " + config.id + ": " + message);
}

Result<void> Runtime::startContainer(const std::string& id) {
    auto status = containerStatus(id);
    if (!status) {
        return status.error();
    }
    if (status->state != ContainerState::Created) {
        return Error(ErrorCode::Conflict, "container " + id + " is " +
                                              std::string(containerStateName(status->state)) +
                                              ", not Created");
    }
    // Taken before: a short-lived container may have finished by the time runc returns.
    const auto startedAt = std::chrono::system_clock::now();
    std::string output;
    const int result = runCommand(
        {m_options.runcPath.string(), "--root", (m_options.root / "runc").string(), "start", id},
        &output);
    if (!succeeded(result)) {
        return Error(ErrorCode::Internal, "starting container " + id + ": " + trimmed(output));
    }
    return writeStateFile(bundleDir(id) / shim::kStartedFile, logs::formatRfc3339Nano(startedAt));
}

Result<void> Runtime::signalContainer(const std::string& id, int signal) {
    std::string output;
    const int result =
        runCommand({m_options.runcPath.string(), "--root", (m_options.root / "runc").string(),
                    "kill", id, std::to_string(signal)},
                   &output);
    if (!succeeded(result)) {
        return Error(ErrorCode::Internal, "signalling container " + id + ": " + trimmed(output));
    }
    return core::success();
}

Result<ContainerStatus> Runtime::waitContainer(const std::string& id,
                                               std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto status = containerStatus(id);
        if (!status) {
            return status;
        }
        if (status->state == ContainerState::Exited || status->state == ContainerState::Unknown) {
            return status;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Error(ErrorCode::Timeout, "container " + id + " still runs");
        }
        std::this_thread::sleep_for(20ms);
    }
}

Result<void> Runtime::stopContainer(const std::string& id, std::chrono::milliseconds gracePeriod) {
    auto status = containerStatus(id);
    if (!status) {
        return status.error();
    }
    if (status->state == ContainerState::Exited || status->state == ContainerState::Unknown) {
        return core::success();
    }
    if (gracePeriod > 0ms) {
        (void)signalContainer(id, SIGTERM);
        auto waited = waitContainer(id, gracePeriod);
        if (waited && waited->state != ContainerState::Running &&
            waited->state != ContainerState::Created) {
            return core::success();
        }
    }
    (void)signalContainer(id, SIGKILL);
    auto waited = waitContainer(id, 30s);
    if (!waited) {
        return waited.error().wrap("stopping container " + id);
    }
    return core::success();
}

Result<void> Runtime::removeContainer(const std::string& id) {
    if (!validId(id)) {
        return Error(ErrorCode::Invalid, "invalid container id \"" + id + "\"");
    }
    const fs::path bundle = bundleDir(id);
    auto status = containerStatus(id);
    if (status) {
        if (auto stopped = stopContainer(id, 0ms); !stopped) {
            return stopped;
        }
    }
    runcDeleteForce(id);
    pid_t shimPid = 0;
    std::ifstream(bundle / shim::kShimPidFile) >> shimPid;
    if (shimAlive(shimPid, bundle)) {
        ::kill(shimPid, SIGKILL);
    }
    std::error_code ec;
    for (const auto name :
         {shim::kConfigFile, shim::kContainerFile, shim::kShimPidFile, shim::kInitPidFile,
          shim::kStartedFile, shim::kExitFile, shim::kAttachSocket, shim::kConsoleSocket,
          shim::kShimLog, shim::kRuncLog}) {
        fs::remove(bundle / name, ec);
    }
    // The rootfs mount point (the image store's) may still be there: then the directory stays.
    fs::remove(bundle, ec);
    {
        std::lock_guard lock(m_recordsMutex);
        m_records.erase(id);
    }
    if (status) {
        removePodCgroupIfEmpty(cgroupPath(status->config));
    }
    return core::success();
}

Result<Runtime::Record> Runtime::readRecord(const std::string& id) const {
    const fs::path path = bundleDir(id) / shim::kContainerFile;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
        std::lock_guard lock(m_recordsMutex);
        m_records.erase(id);
        return Error(ErrorCode::NotFound, "container " + id + " not found");
    }
    const std::int64_t mtimeNs =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    {
        std::lock_guard lock(m_recordsMutex);
        const auto it = m_records.find(id);
        if (it != m_records.end() && it->second->inode == st.st_ino &&
            it->second->size == st.st_size && it->second->mtimeNs == mtimeNs) {
            return *it->second;
        }
    }
    const std::string text = readSmallFile(path);
    if (text.empty()) {
        return Error(ErrorCode::NotFound, "container " + id + " not found");
    }
    auto parsed = std::make_shared<Record>();
    parsed->inode = st.st_ino;
    parsed->size = st.st_size;
    parsed->mtimeNs = mtimeNs;
    try {
        const json doc = json::parse(text);
        parsed->config = configFromJson(doc.at("config"));
        if (auto created = logs::parseRfc3339Nano(doc.value("createdAt", ""))) {
            parsed->createdAt = *created;
        }
        parsed->bootId = doc.value("bootId", "");
    } catch (const json::exception& e) {
        return Error(ErrorCode::Internal, "reading container " + id + ": " + e.what());
    }
    if (static_cast<std::int64_t>(text.size()) != st.st_size) {
        return *parsed;  // replaced while read: not cached
    }
    std::lock_guard lock(m_recordsMutex);
    m_records[id] = parsed;
    return *parsed;
}

Result<ContainerStatus> Runtime::containerStatus(const std::string& id) const {
    if (!validId(id)) {
        return Error(ErrorCode::NotFound, "container \"" + id + "\" not found");
    }
    const fs::path bundle = bundleDir(id);
    auto found = readRecord(id);
    if (!found) {
        return found.error();
    }
    ContainerStatus status;
    status.config = std::move(found->config);
    status.createdAt = found->createdAt;
    status.startedAt = logs::parseRfc3339Nano(trimmed(readSmallFile(bundle / shim::kStartedFile)));

    const std::string exitText = readSmallFile(bundle / shim::kExitFile);
    if (!exitText.empty()) {
        try {
            const json exit = json::parse(exitText);
            status.state = ContainerState::Exited;
            status.exitCode = exit.value("exitCode", 255);
            status.signal = exit.value("signal", 0);
            status.oomKilled = exit.value("oomKilled", false);
            status.finishedAt = logs::parseRfc3339Nano(exit.value("finishedAt", ""));
            status.reason = status.oomKilled       ? "OOMKilled"
                            : status.exitCode == 0 ? "Completed"
                                                   : "Error";
            // A container recorded as lost (recoverLostContainer) says so itself.
            status.reason = exit.value("reason", status.reason);
            status.message = exit.value("message", "");
            return status;
        } catch (const json::exception&) {
            // torn write cannot happen (rename); a broken file falls through to Unknown
        }
    }
    // A shim of an earlier boot is gone, whatever process has its pid in this one.
    const bool otherBoot = fromEarlierBoot(*found);
    pid_t shimPid = 0;
    std::ifstream(bundle / shim::kShimPidFile) >> shimPid;
    if (!otherBoot && shimAlive(shimPid, bundle)) {
        std::ifstream(bundle / shim::kInitPidFile) >> status.pid;
        status.state = status.startedAt ? ContainerState::Running : ContainerState::Created;
        return status;
    }
    status.state = ContainerState::Unknown;
    status.exitCode = 255;
    status.reason = "Unknown";
    status.message = otherBoot ? "the container ran before the machine restarted"
                               : "the container's shim is gone";
    return status;
}

void Runtime::runcDeleteForce(const std::string& id) const {
    std::string output;  // runc's complaint about a state already gone is of no interest
    runCommand({m_options.runcPath.string(), "--root", (m_options.root / "runc").string(), "delete",
                "--force", id},
               &output);
}

bool Runtime::fromEarlierBoot(const Record& record) const {
    return !record.bootId.empty() && record.bootId != m_options.bootId;
}

Result<ContainerStatus> Runtime::recoverLostContainer(const std::string& id) {
    auto status = containerStatus(id);
    if (!status || status->state != ContainerState::Unknown) {
        return status;
    }
    const fs::path bundle = bundleDir(id);
    std::error_code ec;
    auto record = readRecord(id);
    const bool otherBoot = record && fromEarlierBoot(*record);
    if (!otherBoot && !fs::exists(bundle / shim::kShimPidFile, ec)) {
        return status;  // its shim has not started yet: being created
    }
    // Whatever survived the shim (its container's processes, when only the shim was killed)
    // goes, and with it runc's state of the old process and its cgroup.
    runcDeleteForce(id);
    const auto finishedAt = std::chrono::system_clock::now();
    const json exit{{"exitCode", 255},     {"signal", 0},
                    {"oomKilled", false},  {"finishedAt", logs::formatRfc3339Nano(finishedAt)},
                    {"reason", "Unknown"}, {"lost", true}};
    if (auto written = writeStateFile(bundle / shim::kExitFile, exit.dump()); !written) {
        return written.error();
    }
    return containerStatus(id);
}

std::vector<ContainerStatus> Runtime::listContainers(std::string_view idPrefix) const {
    std::vector<ContainerStatus> result;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_options.root / "containers", ec)) {
        const std::string id = entry.path().filename().string();
        if (!id.starts_with(idPrefix)) {
            continue;
        }
        if (auto status = containerStatus(id)) {
            result.push_back(std::move(*status));
        }
    }
    std::sort(result.begin(), result.end(), [](const ContainerStatus& a, const ContainerStatus& b) {
        return a.config.id < b.config.id;
    });
    return result;
}

// ---- exec and attach

Result<std::unique_ptr<ExecProcess>> Runtime::exec(const std::string& id,
                                                   const ExecOptions& options) {
    if (options.argv.empty()) {
        return Error(ErrorCode::BadRequest, "exec needs a command");
    }
    auto status = containerStatus(id);
    if (!status) {
        return status.error();
    }
    if (status->state != ContainerState::Running) {
        return Error(ErrorCode::Conflict, "container " + id + " is not running");
    }
    static std::atomic<unsigned> counter{0};
    auto process = std::make_unique<RuncExecProcess>();
    process->m_tty = options.tty;
    process->m_pidFile = bundleDir(id) / ("exec-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(counter++) + ".pid");
    std::vector<std::string> argv = {m_options.runcPath.string(),
                                     "--root",
                                     (m_options.root / "runc").string(),
                                     "exec",
                                     "--pid-file",
                                     process->m_pidFile.string()};
    if (options.tty) {
        argv.push_back("--tty");
    }
    if (!options.cwd.empty()) {
        argv.push_back("--cwd");
        argv.push_back(options.cwd);
    }
    for (const auto& env : options.env) {
        argv.push_back("--env");
        argv.push_back(env);
    }
    argv.push_back(id);
    argv.insert(argv.end(), options.argv.begin(), options.argv.end());

    std::vector<int> toClose;
    auto cleanup = [&] {
        for (int fd : toClose) {
            ::close(fd);
        }
    };
    const int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    toClose.push_back(devNull);
    pid_t pid = -1;
    if (options.tty) {
        // runc relays between the container's terminal and its own stdio: give it a pty of
        // ours, raw, whose size runc copies on SIGWINCH.
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
            cleanup();
            return errnoError("allocating a terminal", errno);
        }
        char name[128];
        ::ptsname_r(master, name, sizeof name);
        const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
            ::close(master);
            cleanup();
            return errnoError("opening the terminal", errno);
        }
        toClose.push_back(slave);
        termios mode{};
        ::tcgetattr(slave, &mode);
        ::cfmakeraw(&mode);
        ::tcsetattr(slave, TCSANOW, &mode);
        winsize size{};
        size.ws_col = 80;
        size.ws_row = 24;
        ::ioctl(master, TIOCSWINSZ, &size);
        pid = spawn(argv, {{0, slave}, {1, slave}, {2, slave}}, true, slave);
        process->m_stdin = master;
    } else {
        int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
        int childIn = options.stdinFd >= 0 ? options.stdinFd : devNull;
        int childOut = options.stdoutFd;
        int childErr = options.stderrFd;
        if (options.stdinFd < 0 && options.stdin) {
            if (::pipe2(in, O_CLOEXEC) != 0) {
                cleanup();
                return errnoError("pipe", errno);
            }
            childIn = in[0];
            toClose.push_back(in[0]);
            process->m_stdin = in[1];
        }
        if (childOut < 0) {
            if (::pipe2(out, O_CLOEXEC) != 0) {
                cleanup();
                return errnoError("pipe", errno);
            }
            childOut = out[1];
            toClose.push_back(out[1]);
            process->m_stdout = out[0];
        }
        if (childErr < 0) {
            if (::pipe2(err, O_CLOEXEC) != 0) {
                cleanup();
                return errnoError("pipe", errno);
            }
            childErr = err[1];
            toClose.push_back(err[1]);
            process->m_stderr = err[0];
        }
        pid = spawn(argv, {{0, childIn}, {1, childOut}, {2, childErr}});
    }
    cleanup();
    if (pid < 0) {
        return errnoError("running runc exec", errno);
    }
    process->m_pid = pid;
    process->m_pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    return std::unique_ptr<ExecProcess>(std::move(process));
}

Result<ExecResult> Runtime::execSync(const std::string& id, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds timeout) {
    ExecOptions options;
    options.argv = argv;
    auto process = exec(id, options);
    if (!process) {
        return process.error();
    }
    ExecResult result;
    auto& p = **process;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int out = p.stdoutFd();
    int err = p.stderrFd();
    char buffer[8192];
    while (out >= 0 || err >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            result.timedOut = true;
            p.kill(SIGKILL);
            break;
        }
        pollfd fds[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
        if (::poll(fds, 2, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        for (auto& f : fds) {
            if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            const ssize_t n = ::read(f.fd, buffer, sizeof buffer);
            if (n > 0) {
                (f.fd == out ? result.stdoutText : result.stderrText)
                    .append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                (f.fd == out ? out : err) = -1;
            }
        }
    }
    const auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   deadline - std::chrono::steady_clock::now()),
                               0ms);
    auto code = p.wait(result.timedOut ? 10s : left);
    if (!code) {
        result.timedOut = true;
        p.kill(SIGKILL);
        code = p.wait(10s);
    }
    result.exitCode = code.value_or(137);
    return result;
}

Result<std::unique_ptr<AttachSession>> Runtime::attach(const std::string& id) {
    auto status = containerStatus(id);
    if (!status) {
        return status.error();
    }
    if (status->state != ContainerState::Running && status->state != ContainerState::Created) {
        return Error(ErrorCode::Conflict, "container " + id + " is not running");
    }
    const std::string path = (bundleDir(id) / shim::kAttachSocket).string();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (fd < 0 || path.size() >= sizeof address.sun_path) {
        if (fd >= 0) {
            ::close(fd);
        }
        return Error(ErrorCode::Internal, "attach socket path too long: " + path);
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        return errnoError("attaching to container " + id, error);
    }
    return std::unique_ptr<AttachSession>(
        std::make_unique<ShimAttachSession>(fd, status->config.tty));
}

// ---- stats

Result<ContainerStats> Runtime::stats(const std::string& id) const {
    auto status = containerStatus(id);
    if (!status) {
        return status.error();
    }
    const std::string cgroup = cgroupPath(status->config);
    ContainerStats stats;
    stats.timestamp = std::chrono::system_clock::now();
    if (cgroupV2()) {
        const fs::path dir = fs::path("/sys/fs/cgroup") / cgroup.substr(1);
        auto usage = readKey(dir / "cpu.stat", "usage_usec");
        auto memory = readNumber(dir / "memory.current");
        if (!usage || !memory) {
            return Error(ErrorCode::NotFound, "no cgroup for container " + id);
        }
        stats.cpuUsageNanos = *usage * 1000;
        stats.memoryUsageBytes = *memory;
        const auto inactive = readKey(dir / "memory.stat", "inactive_file").value_or(0);
        stats.memoryWorkingSetBytes = *memory > inactive ? *memory - inactive : 0;
        return stats;
    }
    auto usage =
        readNumber(fs::path("/sys/fs/cgroup/cpuacct") / cgroup.substr(1) / "cpuacct.usage");
    const fs::path memoryDir = fs::path("/sys/fs/cgroup/memory") / cgroup.substr(1);
    auto memory = readNumber(memoryDir / "memory.usage_in_bytes");
    if (!usage || !memory) {
        return Error(ErrorCode::NotFound, "no cgroup for container " + id);
    }
    stats.cpuUsageNanos = *usage;
    stats.memoryUsageBytes = *memory;
    const auto inactive = readKey(memoryDir / "memory.stat", "total_inactive_file").value_or(0);
    stats.memoryWorkingSetBytes = *memory > inactive ? *memory - inactive : 0;
    return stats;
}

}  // namespace slipway::agent::runtime
