// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::agent::streaming {

/// The options of `GET /containerLogs/{ns}/{pod}/{container}` (kubectl logs), as the kubelet
/// reads them from the query.
struct LogOptions {
    /// Keep the stream open and send new lines as they are written, until the container has
    /// stopped and its log is read to the end.
    bool follow = false;
    /// The previous instance of the container (restartCount - 1) instead of the current one.
    bool previous = false;
    /// Only the last N lines that pass `since` (kubectl --tail); none = all.
    std::optional<std::int64_t> tailLines;
    /// Only lines written at or after this time (sinceSeconds or sinceTime).
    std::optional<std::chrono::system_clock::time_point> since;
    /// Prefix each line with its RFC 3339 timestamp (the streaming server formats that from
    /// LogLine::timestamp).
    bool timestamps = false;
    /// Stop after this many bytes of output (the streaming server counts them).
    std::optional<std::int64_t> limitBytes;
};

/// One line of a container's log, as the CRI log file holds it.
struct LogLine {
    /// RFC 3339 with nanoseconds, as written in the CRI log ("2016-10-06T00:17:09.669794202Z").
    std::string timestamp;
    /// "stdout" or "stderr".
    std::string stream;
    /// The text, with its '\n' when the line was complete (a partial "P" line has none).
    std::string content;
};

/// A container's log being read. The backend applies previous, tailLines and since (they
/// depend on the files); the server applies timestamps and limitBytes.
class LogSource {
public:
    enum class Read {
        Line,     ///< `line` was filled
        Timeout,  ///< nothing new within the timeout; ask again (following)
        End,      ///< no more: not following and read to the end, or the container stopped
    };
    virtual ~LogSource() = default;
    /// The next line; waits up to `timeout` for one when following. Called from one thread.
    virtual Read next(LogLine& line, std::chrono::milliseconds timeout) = 0;
};

/// What an exec or attach connects: the streams kubectl asked for.
struct ExecOptions {
    bool stdin = false;
    bool stdout = true;
    bool stderr = true;
    /// A terminal: stdout and stderr are one stream (the pty), stderr is not separate.
    bool tty = false;
};

struct TerminalSize {
    std::uint16_t width = 0;
    std::uint16_t height = 0;
};

/// A process (exec) or a container's main process (attach) connected to a client. The server
/// reads the output fds and writes the stdin fd from its own I/O thread (non-blocking; it
/// sets O_NONBLOCK itself), so they must be pipes, sockets or a pty master. The session owns
/// its fds and closes them when destroyed.
class ExecSession {
public:
    virtual ~ExecSession() = default;
    /// Where the client's stdin goes; -1 without stdin. With a tty it may be the same fd as
    /// stdoutFd() (the pty master).
    virtual int stdinFd() = 0;
    /// The client's stdin ended (v5 close of channel 0): close the write end (for a pty, the
    /// session decides, e.g. sends the terminal's EOF character). The server never closes
    /// stdinFd() itself.
    virtual void closeStdin() = 0;
    /// The process's stdout (with a tty: the pty master, carrying both); -1 if not requested.
    virtual int stdoutFd() = 0;
    /// The process's stderr; -1 with a tty or if not requested.
    virtual int stderrFd() = 0;
    /// The client's terminal changed size (channel 4). Without a tty, ignored.
    virtual void resize(TerminalSize size) = 0;
    /// Blocks until the process has exited; its exit code (128 + signal number if killed).
    /// For attach: until the container's process exits. Called once, from a thread of the
    /// server's own. An error (e.g. the runtime lost the process) is sent to the client as a
    /// Failure status.
    virtual core::Result<int> wait() = 0;
    /// The client went away before the process ended. exec: the kubelet lets the process
    /// run on (as the CRI does); attach: nothing to do. wait() must still return in time:
    /// the server waits for it before destroying the session.
    virtual void cancel() {}
};

/// What the node agent's streaming server asks of the container runtime. The lead implements
/// it with the runc runtime; tests with host processes. Every method may be called from any
/// thread, concurrently. An error becomes the Kubernetes Status the client sees, with the
/// code's HTTP status (e.g. `core::ErrorCode::BadRequest` with kube's message
/// `container "c" in pod "p" is waiting to start: ContainerCreating`, NotFound for an
/// unknown pod or container).
class StreamingBackend {
public:
    virtual ~StreamingBackend() = default;

    /// The log of a container (`/containerLogs/{ns}/{pod}/{container}`).
    virtual core::Result<std::unique_ptr<LogSource>> logs(const std::string& nameSpace,
                                                          const std::string& pod,
                                                          const std::string& container,
                                                          const LogOptions& options) = 0;
    /// Runs `command` in a running container (`/exec/{ns}/{pod}/{container}`).
    virtual core::Result<std::unique_ptr<ExecSession>> exec(const std::string& nameSpace,
                                                            const std::string& pod,
                                                            const std::string& container,
                                                            const std::vector<std::string>& command,
                                                            const ExecOptions& options) = 0;
    /// Connects to a running container's main process (`/attach/{ns}/{pod}/{container}`).
    virtual core::Result<std::unique_ptr<ExecSession>> attach(const std::string& nameSpace,
                                                              const std::string& pod,
                                                              const std::string& container,
                                                              const ExecOptions& options) = 0;
    /// A connected stream socket to `port` on the pod's loopback, inside its network namespace
    /// (`/portForward/{ns}/{pod}`); the caller owns the fd. Not served yet: the default says
    /// so.
    virtual core::Result<int> portForward(const std::string& nameSpace, const std::string& pod,
                                          std::uint16_t port) {
        (void)nameSpace;
        (void)pod;
        (void)port;
        return core::Error(core::ErrorCode::BadRequest, "port forwarding is not supported");
    }
    /// Loads the images of a `docker save` or OCI-layout tarball into the node's image store
    /// (`POST /images/load`, what `slipway image load` sends); answers
    /// `{"images":[{"id":…,"repoTags":[…]}]}`.
    virtual core::Result<nlohmann::json> loadImages(const std::filesystem::path& archive) {
        (void)archive;
        return core::Error(core::ErrorCode::BadRequest, "this node does not load images");
    }
    /// Where uploads are received before loadImages(): on the image store's filesystem, so
    /// that a large image does not fill a tmpfs.
    virtual std::filesystem::path uploadDirectory() const {
        return std::filesystem::temp_directory_path();
    }
};

}  // namespace slipway::agent::streaming
