// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "engine/core/result.h"

namespace slipway::agent::runtime {

using TimePoint = std::chrono::system_clock::time_point;

/// A mount in the container, as in the OCI spec. A bind mount (type "bind") gets the options
/// "rbind" and "rprivate" plus "ro" when readOnly.
struct Mount {
    std::string destination;
    std::string source;
    std::string type = "bind";
    std::vector<std::string> options;
    bool readOnly = false;
};

/// cgroup limits (pod spec resources.limits turned into cgroup units by the caller:
/// cpu 500m → quota 50000 / period 100000, requests → shares). Unset = unlimited.
struct Resources {
    std::optional<std::int64_t> memoryLimitBytes;
    std::optional<std::uint64_t> cpuShares;
    std::optional<std::int64_t> cpuQuotaMicros;
    std::optional<std::uint64_t> cpuPeriodMicros;
    std::optional<std::int64_t> pidsLimit;
};

/// Everything the runtime needs to create one container. Persisted beside the bundle so that
/// listContainers() after an agent restart gives it back (pod identity as labels).
struct ContainerConfig {
    std::string id;  ///< unique on the node, [A-Za-z0-9_.-]; the caller makes it
    std::string podUid;
    std::string podName;
    std::string podNamespace;
    std::string containerName;
    int restartCount = 0;
    std::string image;    ///< the reference from the pod spec, for status
    std::string imageId;  ///< the resolved image ID (sha256:…)
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> annotations;

    std::filesystem::path rootfs;  ///< prepared by the image store; not removed by the runtime
    bool readonlyRootfs = false;
    std::vector<std::string> args;  ///< already merged with the image's entrypoint and cmd
    std::vector<std::string> env;   ///< "NAME=value"
    std::string cwd = "/";
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::vector<std::uint32_t> supplementalGroups;
    std::vector<std::string> capabilitiesAdd;   ///< "NET_ADMIN" or "CAP_NET_ADMIN"; "ALL"
    std::vector<std::string> capabilitiesDrop;  ///< same; "ALL" drops every default
    bool privileged = false;
    bool noNewPrivileges = false;
    std::string hostname;  ///< the pod's hostname (own UTS namespace)
    std::vector<Mount> mounts;
    std::string sandbox;  ///< network namespace path to join (createSandbox); empty: a new one
    Resources resources;
    int oomScoreAdj = 0;
    bool tty = false;
    bool stdin = false;  ///< keep stdin open for attach
    bool stdinOnce = false;
    std::filesystem::path logPath;  ///< the CRI log file (logs::containerLogPath)
};

enum class ContainerState { Created, Running, Exited, Unknown };

/// What the runtime knows about one container (CRI ContainerStatus).
struct ContainerStatus {
    ContainerConfig config;
    ContainerState state = ContainerState::Unknown;
    pid_t pid = 0;  ///< the container's init process on the host, while it runs
    TimePoint createdAt;
    std::optional<TimePoint> startedAt;
    std::optional<TimePoint> finishedAt;
    int exitCode = 0;  ///< 128 + signal when killed by a signal, as runc and the kubelet say
    int signal = 0;    ///< the signal that ended it, 0 if it exited
    bool oomKilled = false;
    std::string reason;   ///< Exited: "Completed" (code 0), "OOMKilled", "Error", "Unknown"
    std::string message;  ///< e.g. why a container is Unknown
};

/// Usage figures from the container's cgroup.
struct ContainerStats {
    TimePoint timestamp;
    std::uint64_t cpuUsageNanos = 0;          ///< cumulative CPU time
    std::uint64_t memoryUsageBytes = 0;       ///< usage including page cache
    std::uint64_t memoryWorkingSetBytes = 0;  ///< usage minus inactive file pages
};

/// How to run a process in a running container.
struct ExecOptions {
    std::vector<std::string> argv;
    std::vector<std::string> env;  ///< added to the container's environment
    std::string cwd;               ///< empty: the container's
    bool tty = false;
    /// File descriptors to hand to the process; -1 makes a pipe whose other end ExecProcess
    /// exposes (with tty, one pty master serves stdin and stdout; stderr is merged into it).
    /// Given descriptors are duplicated; the caller keeps and closes its own.
    int stdinFd = -1;
    int stdoutFd = -1;
    int stderrFd = -1;
    bool stdin = false;  ///< false: stdin is /dev/null unless stdinFd is given
};

/// A running exec: its streams, terminal size and exit code.
class ExecProcess {
public:
    virtual ~ExecProcess() = default;
    /// Write end of the process's stdin (or the pty master with tty); -1 if none.
    virtual int stdinFd() const = 0;
    /// Read end of the process's stdout (or the pty master with tty); -1 if the caller gave one.
    virtual int stdoutFd() const = 0;
    /// Read end of stderr; -1 with tty or if the caller gave one.
    virtual int stderrFd() const = 0;
    /// Closes our end of stdin: the process sees end of file.
    virtual void closeStdin() = 0;
    /// Sets the terminal size (tty only).
    virtual core::Result<void> resize(std::uint16_t width, std::uint16_t height) = 0;
    /// Waits up to `timeout` for the process to end; its exit code (128 + signal when killed),
    /// or nullopt if it still runs.
    virtual std::optional<int> wait(std::chrono::milliseconds timeout) = 0;
    /// Ends the process (and the runc exec driving it).
    virtual void kill(int signal) = 0;
};

/// The result of execSync.
struct ExecResult {
    int exitCode = 0;
    std::string stdoutText;
    std::string stderrText;
    bool timedOut = false;
};

/// A connection to a running container's own stdio (kubectl attach): read its output as it
/// comes, write its stdin (when the container was created with stdin), resize its terminal.
class AttachSession {
public:
    virtual ~AttachSession() = default;
    /// A socket: the output frames come from it (readOutput decodes them).
    virtual int fd() const = 0;
    /// Reads what is available: appends output to `out`/`err` (tty: everything to `out`);
    /// false once the container's output ended or the connection closed.
    virtual bool readOutput(std::string& out, std::string& err) = 0;
    virtual core::Result<void> writeStdin(std::string_view data) = 0;
    virtual core::Result<void> closeStdin() = 0;
    virtual core::Result<void> resize(std::uint16_t width, std::uint16_t height) = 0;
};

/// Where the runtime keeps things and which programs it runs.
struct RuntimeOptions {
    std::filesystem::path root;  ///< the agent's data dir: <root>/runc, <root>/containers
    std::filesystem::path runcPath = "/usr/bin/runc";
    /// The shim; empty: `slipway-shim` beside the running executable.
    std::filesystem::path shimPath;
    std::filesystem::path netnsDir = "/run/slipway/netns";
    /// This boot's id, recorded with each container: a shim of another boot is gone, whatever
    /// process has its pid now. Empty: /proc/sys/kernel/random/boot_id.
    std::string bootId;
    std::string cgroupParent = "/slipway";  ///< containers at <parent>/pod<uid>/<id>
    std::uint64_t logMaxSizeBytes = 10 * 1024 * 1024;
    int logMaxFiles = 5;
};

/// Containers on runc, each watched by a slipway-shim that outlives the agent. All state is
/// on disk under <root>/containers/<id>/ and <root>/runc/, so a new Runtime on the same root
/// sees (re-adopts) the containers a previous agent left running. Thread-safe: calls for
/// different containers may run in parallel.
class Runtime {
public:
    explicit Runtime(RuntimeOptions options);
    Runtime(std::filesystem::path root, std::filesystem::path runcPath = "/usr/bin/runc");
    ~Runtime();

    const RuntimeOptions& options() const { return m_options; }

    // ---- pod sandboxes

    /// A new network namespace with lo up, bind-mounted at <netnsDir>/<id>; returns that path.
    /// Idempotent: an existing sandbox's path is returned as is.
    core::Result<std::filesystem::path> createSandbox(const std::string& id,
                                                      const std::string& hostname);
    /// Unmounts and removes the namespace; a missing one is success.
    core::Result<void> removeSandbox(const std::string& id);
    /// The path of a sandbox's network namespace (whether or not it exists).
    std::filesystem::path sandboxPath(const std::string& id) const;
    /// Whether the sandbox's network namespace is mounted.
    bool sandboxExists(const std::string& id) const;

    // ---- containers

    /// Writes the bundle (config.json from the config), launches its shim, which runs
    /// `runc create` with the output on pipes it copies into config.logPath. The container is
    /// Created (its process waits for startContainer). AlreadyExists for an existing id.
    core::Result<void> createContainer(const ContainerConfig& config);
    /// `runc start`: the container's process runs.
    core::Result<void> startContainer(const std::string& id);
    /// createContainer and startContainer in one: the shim runs `runc run --detach`, one runc
    /// process instead of two (each a Go program costing tens of ms of CPU to start). For
    /// callers with nothing to do between create and start (no hooks); the container is
    /// Running (or already Exited) when this returns.
    core::Result<void> runContainer(const ContainerConfig& config);
    /// SIGTERM, wait up to gracePeriod for the exit, then SIGKILL and wait for the shim to
    /// record the exit. Stopping a stopped container is success.
    core::Result<void> stopContainer(const std::string& id, std::chrono::milliseconds gracePeriod);
    /// Sends a signal to the container's process.
    core::Result<void> signalContainer(const std::string& id, int signal);
    /// Kills it if it still runs, `runc delete`s it and removes its bundle. The log file and
    /// the rootfs stay (the caller's). A missing container is success.
    core::Result<void> removeContainer(const std::string& id);
    /// NotFound for an unknown id.
    core::Result<ContainerStatus> containerStatus(const std::string& id) const;
    /// Every container under <root>/containers, from disk; with `idPrefix`, only those whose
    /// id starts with it (a pod's, when the caller's ids begin with the pod's uid): the others'
    /// records are not read.
    std::vector<ContainerStatus> listContainers(std::string_view idPrefix = {}) const;
    /// Records a container whose shim is gone without an exit status (the machine rebooted or
    /// the shim was killed) as Exited, as containerd does for a task that vanished: exit code
    /// 255, reason "Unknown", finishedAt now. Whatever is left of it (processes in its cgroup,
    /// runc's state) is removed first. Only a container whose shim had started (its pid file
    /// is there) or that was made in an earlier boot is recorded: one still being created is
    /// left alone. Returns the container's status (unchanged unless it was lost).
    core::Result<ContainerStatus> recoverLostContainer(const std::string& id);
    /// Waits up to `timeout` for the container to exit; its status (NotFound, Timeout).
    core::Result<ContainerStatus> waitContainer(const std::string& id,
                                                std::chrono::milliseconds timeout) const;

    /// Runs a process in a running container (`runc exec`).
    core::Result<std::unique_ptr<ExecProcess>> exec(const std::string& id,
                                                    const ExecOptions& options);
    /// Runs a command to the end (exec probes): its output and exit code; after `timeout` it
    /// is killed and timedOut is set.
    core::Result<ExecResult> execSync(const std::string& id, const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout);
    /// Connects to the container's own stdio through its shim.
    core::Result<std::unique_ptr<AttachSession>> attach(const std::string& id);

    /// CPU and memory usage from the container's cgroup (v1 or v2).
    core::Result<ContainerStats> stats(const std::string& id) const;

    /// The container's bundle directory.
    std::filesystem::path bundleDir(const std::string& id) const;
    /// The container's cgroup path relative to the hierarchy root (<parent>/pod<uid>/<id>).
    std::string cgroupPath(const ContainerConfig& config) const;

private:
    core::Result<void> launch(const ContainerConfig& config, bool start);
    /// container.json parsed, for as long as the file is the same (inode, size, mtime): it is
    /// written once per container, and the relist reads every container's each second.
    struct Record {
        std::uint64_t inode = 0;
        std::int64_t size = 0;
        std::int64_t mtimeNs = 0;
        ContainerConfig config;
        TimePoint createdAt;
        std::string bootId;  ///< the boot the container was made in (empty in old records)
    };
    core::Result<Record> readRecord(const std::string& id) const;
    /// A container made in another boot than this one: its shim is gone for sure.
    bool fromEarlierBoot(const Record& record) const;
    /// `runc delete --force id`: the container's processes and runc's state go (none left is
    /// fine).
    void runcDeleteForce(const std::string& id) const;

    RuntimeOptions m_options;
    mutable std::mutex m_recordsMutex;
    mutable std::map<std::string, std::shared_ptr<const Record>> m_records;
};

/// "Created", "Running", "Exited", "Unknown".
std::string_view containerStateName(ContainerState state);

}  // namespace slipway::agent::runtime
