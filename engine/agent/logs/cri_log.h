// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::agent::logs {

using TimePoint = std::chrono::system_clock::time_point;

/// "2016-10-06T00:17:09.669794202Z": RFC 3339 in UTC with nine fractional digits, as the CRI
/// log format and `kubectl logs --timestamps` write it.
std::string formatRfc3339Nano(TimePoint time);
/// Parses RFC 3339 with any number of fractional digits (or none) and a Z or numeric offset.
std::optional<TimePoint> parseRfc3339Nano(std::string_view text);

/// Where the kubelet keeps a container's log:
/// `<root>/logs/<namespace>_<podName>_<podUID>/<container>/<restartCount>.log`.
std::filesystem::path containerLogPath(const std::filesystem::path& agentRoot,
                                       std::string_view podNamespace, std::string_view podName,
                                       std::string_view podUid, std::string_view containerName,
                                       int restartCount);

/// The stream a line came from.
enum class Stream { Stdout, Stderr };

/// Writes a container's output in the CRI log format, one entry per line:
///   `2016-10-06T00:17:09.669794202Z stdout F text`
/// A line longer than the maximum entry size, or output that ends without a newline when the
/// writer is flushed, is written as partial entries (`P`) followed by the final one (`F`).
/// Rotation by size: when the file would grow beyond maxSizeBytes, it is renamed to
/// `<path>.1` (older ones shift to `.2`, ...) and at most maxFiles files (the current one
/// included) are kept. Used by slipway-shim: no Qt, no Boost, no exceptions across its API.
class CriLogWriter {
public:
    struct Options {
        std::uint64_t maxSizeBytes = 10 * 1024 * 1024;  ///< kubelet's containerLogMaxSize 10Mi
        int maxFiles = 5;                               ///< kubelet's containerLogMaxFiles
        std::size_t maxEntryBytes = 16 * 1024;          ///< longer lines are split (P entries)
    };

    CriLogWriter(std::filesystem::path path, Options options);
    ~CriLogWriter();
    CriLogWriter(const CriLogWriter&) = delete;
    CriLogWriter& operator=(const CriLogWriter&) = delete;

    /// Opens (appends to) the file, creating its directory.
    core::Result<void> open();
    /// Feeds raw output of a stream; complete lines are written at once, the rest is kept until
    /// its newline comes (or flush()).
    core::Result<void> write(Stream stream, std::string_view data, TimePoint now);
    /// Writes what is pending of every stream as partial (P) entries, so that output without a
    /// newline (a prompt) shows up; the stream stays open.
    core::Result<void> flushPartial(TimePoint now);
    /// The streams ended: pending text is written as a final (F) entry.
    core::Result<void> close(TimePoint now);

    const std::filesystem::path& path() const { return m_path; }

private:
    core::Result<void> writeEntry(Stream stream, bool partial, std::string_view text,
                                  TimePoint now);
    core::Result<void> rotateIfNeeded(std::size_t incoming);

    std::filesystem::path m_path;
    Options m_options;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::string m_pending[2];
};

/// One logical line read back from a CRI log (partial entries merged).
struct LogLine {
    TimePoint time;  ///< timestamp of the line's first entry
    Stream stream = Stream::Stdout;
    std::string text;  ///< without the trailing newline
};

/// Parses one CRI log entry; nullopt for a malformed one. `partial` is set for a P entry.
std::optional<LogLine> parseCriLogEntry(std::string_view entry, bool* partial = nullptr);

/// `kubectl logs` options, as the kubelet's PodLogOptions.
struct LogOptions {
    std::optional<std::int64_t> tailLines;   ///< the last N lines only
    std::optional<TimePoint> sinceTime;      ///< lines at or after this time (sinceSeconds too)
    bool timestamps = false;                 ///< prefix each line with its RFC3339Nano time
    std::optional<std::int64_t> limitBytes;  ///< stop after this many bytes of output
    bool follow = false;                     ///< keep reading appended lines and rotations
    std::chrono::milliseconds pollInterval{100};
};

/// Reads a container's CRI log (the rotated files, oldest first, then the current one) and
/// hands the formatted output to `sink`, one line at a time with its newline
/// (`<time> ` first when timestamps). `sink` returning false stops reading (client gone).
/// With follow, the reader waits for more at the end of the current file until `cancel` is
/// set or `finished` returns true (the container exited: what is in the file then is read
/// to the end first); it notices rotation (the path gets a new inode) and carries on in the
/// new file.
class CriLogReader {
public:
    using Sink = std::function<bool(std::string_view)>;

    static core::Result<void> read(const std::filesystem::path& path, const LogOptions& options,
                                   const Sink& sink, const std::atomic<bool>* cancel = nullptr,
                                   const std::function<bool()>& finished = {});
};

/// The log of the previous instance of a container (`--previous`): `<N-1>.log` beside
/// `<N>.log`; nullopt when N is 0 or the name is not `<N>.log`.
std::optional<std::filesystem::path> previousLogPath(const std::filesystem::path& path);

}  // namespace slipway::agent::logs
