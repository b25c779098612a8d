// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/logs/cri_log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <deque>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace slipway::agent::logs {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::Result;

namespace {

Error ioError(std::string_view what, const fs::path& path, int error) {
    return Error(ErrorCode::Io,
                 std::string(what) + " " + path.string() + ": " + std::strerror(error));
}

std::string_view streamName(Stream stream) {
    return stream == Stream::Stdout ? "stdout" : "stderr";
}

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool parseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

fs::path withSuffix(const fs::path& path, int n) {
    return fs::path(path.string() + "." + std::to_string(n));
}

}  // namespace

std::string formatRfc3339Nano(TimePoint time) {
    const auto sinceEpoch =
        std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
    auto nanos = (sinceEpoch - seconds).count();
    if (nanos < 0) {
        nanos += 1000000000;
        seconds -= std::chrono::seconds(1);
    }
    const std::time_t t = static_cast<std::time_t>(seconds.count());
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(nanos));
    return buffer;
}

std::optional<TimePoint> parseRfc3339Nano(std::string_view text) {
    // 2016-10-06T00:17:09[.669794202](Z|+hh:mm)
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || !parseDigits(text, 0, 4, year) || text[4] != '-' ||
        !parseDigits(text, 5, 2, month) || text[7] != '-' || !parseDigits(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't') || !parseDigits(text, 11, 2, hour) ||
        text[13] != ':' || !parseDigits(text, 14, 2, minute) || text[16] != ':' ||
        !parseDigits(text, 17, 2, second)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t nanos = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 9) {
                nanos = nanos * 10 + (text[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0) {
            return std::nullopt;
        }
        for (int i = digits; i < 9; ++i) {
            nanos *= 10;
        }
    }
    int offsetSeconds = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        if (!parseDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !parseDigits(text, pos + 4, 2, om)) {
            return std::nullopt;
        }
        offsetSeconds = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
        minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t t = ::timegm(&tm) - offsetSeconds;
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::seconds(t) + std::chrono::nanoseconds(nanos)));
}

fs::path containerLogPath(const fs::path& agentRoot, std::string_view podNamespace,
                          std::string_view podName, std::string_view podUid,
                          std::string_view containerName, int restartCount) {
    std::string podDir;
    podDir.append(podNamespace).append("_").append(podName).append("_").append(podUid);
    return agentRoot / "logs" / podDir / std::string(containerName) /
           (std::to_string(restartCount) + ".log");
}

std::optional<fs::path> previousLogPath(const fs::path& path) {
    const std::string name = path.filename().string();
    if (name.size() < 5 || !name.ends_with(".log")) {
        return std::nullopt;
    }
    const std::string number = name.substr(0, name.size() - 4);
    if (number.empty() ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const long n = std::stol(number);
    if (n <= 0) {
        return std::nullopt;
    }
    return path.parent_path() / (std::to_string(n - 1) + ".log");
}

// ---- writer

CriLogWriter::CriLogWriter(fs::path path, Options options)
    : m_path(std::move(path)), m_options(options) {
    if (m_options.maxEntryBytes == 0) {
        m_options.maxEntryBytes = 16 * 1024;
    }
    if (m_options.maxFiles < 1) {
        m_options.maxFiles = 1;
    }
}

CriLogWriter::~CriLogWriter() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Result<void> CriLogWriter::open() {
    std::error_code ec;
    fs::create_directories(m_path.parent_path(), ec);
    if (ec) {
        return Error(ErrorCode::Io,
                     "creating " + m_path.parent_path().string() + ": " + ec.message());
    }
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (m_fd < 0) {
        return ioError("opening", m_path, errno);
    }
    struct stat st {};
    if (::fstat(m_fd, &st) == 0) {
        m_size = static_cast<std::uint64_t>(st.st_size);
    }
    return core::success();
}

Result<void> CriLogWriter::rotateIfNeeded(std::size_t incoming) {
    if (m_size == 0 || m_size + incoming <= m_options.maxSizeBytes) {
        return core::success();
    }
    ::close(m_fd);
    m_fd = -1;
    if (m_options.maxFiles <= 1) {
        ::unlink(m_path.c_str());
    } else {
        ::unlink(withSuffix(m_path, m_options.maxFiles - 1).c_str());
        for (int i = m_options.maxFiles - 2; i >= 1; --i) {
            ::rename(withSuffix(m_path, i).c_str(), withSuffix(m_path, i + 1).c_str());
        }
        ::rename(m_path.c_str(), withSuffix(m_path, 1).c_str());
    }
    m_size = 0;
    return open();
}

Result<void> CriLogWriter::writeEntry(Stream stream, bool partial, std::string_view text,
                                      TimePoint now) {
    if (m_fd < 0) {
        return Error(ErrorCode::Internal, "log " + m_path.string() + " is not open");
    }
    std::string entry = formatRfc3339Nano(now);
    entry.append(" ").append(streamName(stream)).append(partial ? " P " : " F ");
    entry.append(text).append("\n");
    if (auto rotated = rotateIfNeeded(entry.size()); !rotated) {
        return rotated;
    }
    if (!writeAll(m_fd, entry)) {
        return ioError("writing", m_path, errno);
    }
    m_size += entry.size();
    return core::success();
}

Result<void> CriLogWriter::write(Stream stream, std::string_view data, TimePoint now) {
    std::string& pending = m_pending[stream == Stream::Stdout ? 0 : 1];
    pending.append(data);
    std::size_t start = 0;
    for (;;) {
        const std::size_t newline = pending.find('\n', start);
        if (newline == std::string::npos) {
            break;
        }
        std::string_view line(pending.data() + start, newline - start);
        while (line.size() > m_options.maxEntryBytes) {
            if (auto r = writeEntry(stream, true, line.substr(0, m_options.maxEntryBytes), now);
                !r) {
                return r;
            }
            line.remove_prefix(m_options.maxEntryBytes);
        }
        if (auto r = writeEntry(stream, false, line, now); !r) {
            return r;
        }
        start = newline + 1;
    }
    // A long unterminated run is written as partial entries right away.
    while (pending.size() - start >= m_options.maxEntryBytes) {
        if (auto r =
                writeEntry(stream, true,
                           std::string_view(pending).substr(start, m_options.maxEntryBytes), now);
            !r) {
            return r;
        }
        start += m_options.maxEntryBytes;
    }
    pending.erase(0, start);
    return core::success();
}

Result<void> CriLogWriter::flushPartial(TimePoint now) {
    for (int i = 0; i < 2; ++i) {
        if (!m_pending[i].empty()) {
            if (auto r =
                    writeEntry(i == 0 ? Stream::Stdout : Stream::Stderr, true, m_pending[i], now);
                !r) {
                return r;
            }
            m_pending[i].clear();
        }
    }
    return core::success();
}

Result<void> CriLogWriter::close(TimePoint now) {
    for (int i = 0; i < 2; ++i) {
        if (!m_pending[i].empty()) {
            if (auto r =
                    writeEntry(i == 0 ? Stream::Stdout : Stream::Stderr, false, m_pending[i], now);
                !r) {
                return r;
            }
            m_pending[i].clear();
        }
    }
    if (m_fd >= 0) {
        ::fsync(m_fd);
    }
    return core::success();
}

// ---- reader

std::optional<LogLine> parseCriLogEntry(std::string_view entry, bool* partial) {
    if (!entry.empty() && entry.back() == '\n') {
        entry.remove_suffix(1);
    }
    const std::size_t firstSpace = entry.find(' ');
    if (firstSpace == std::string_view::npos) {
        return std::nullopt;
    }
    auto time = parseRfc3339Nano(entry.substr(0, firstSpace));
    if (!time) {
        return std::nullopt;
    }
    std::string_view rest = entry.substr(firstSpace + 1);
    LogLine line;
    line.time = *time;
    if (rest.starts_with("stdout ")) {
        line.stream = Stream::Stdout;
    } else if (rest.starts_with("stderr ")) {
        line.stream = Stream::Stderr;
    } else {
        return std::nullopt;
    }
    rest.remove_prefix(7);
    // The tag: "P", "F", or older runtimes' none (a full line).
    bool isPartial = false;
    if (rest.starts_with("P ") || rest == "P") {
        isPartial = true;
        rest.remove_prefix(std::min<std::size_t>(2, rest.size()));
    } else if (rest.starts_with("F ") || rest == "F") {
        rest.remove_prefix(std::min<std::size_t>(2, rest.size()));
    }
    line.text = std::string(rest);
    if (partial) {
        *partial = isPartial;
    }
    return line;
}

namespace {

/// Turns the bytes of a log file into logical lines: complete entries only, partial ones
/// merged into the line their F entry ends.
class LineAssembler {
public:
    template <typename Emit>
    void feed(std::string_view data, Emit&& emit) {
        m_buffer.append(data);
        std::size_t start = 0;
        for (;;) {
            const std::size_t newline = m_buffer.find('\n', start);
            if (newline == std::string::npos) {
                break;
            }
            bool partial = false;
            auto entry = parseCriLogEntry(std::string_view(m_buffer).substr(start, newline - start),
                                          &partial);
            start = newline + 1;
            if (!entry) {
                continue;
            }
            auto& pending = m_pending[entry->stream == Stream::Stdout ? 0 : 1];
            if (!pending) {
                pending = std::move(*entry);
            } else {
                pending->text += entry->text;
            }
            if (!partial) {
                LogLine line = std::move(*pending);
                pending.reset();
                emit(std::move(line));
            }
        }
        m_buffer.erase(0, start);
    }

private:
    std::string m_buffer;
    std::optional<LogLine> m_pending[2];
};

struct Emitter {
    const LogOptions& options;
    const CriLogReader::Sink& sink;
    std::int64_t written = 0;
    bool stopped = false;

    /// False once nothing more may be written.
    bool emit(const LogLine& line) {
        if (stopped) {
            return false;
        }
        if (options.sinceTime && line.time < *options.sinceTime) {
            return true;
        }
        std::string out;
        if (options.timestamps) {
            out = formatRfc3339Nano(line.time) + " ";
        }
        out += line.text;
        out += '\n';
        if (options.limitBytes) {
            const std::int64_t left = *options.limitBytes - written;
            if (left <= 0) {
                stopped = true;
                return false;
            }
            if (static_cast<std::int64_t>(out.size()) > left) {
                out.resize(static_cast<std::size_t>(left));
                stopped = true;
            }
        }
        written += static_cast<std::int64_t>(out.size());
        if (!sink(out)) {
            stopped = true;
        }
        return !stopped;
    }
};

/// Reads from `fd` until end of file, feeding the assembler.
template <typename Emit>
bool drain(int fd, LineAssembler& assembler, Emit&& emit) {
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n == 0;
        }
        assembler.feed(std::string_view(buffer, static_cast<std::size_t>(n)), emit);
    }
}

}  // namespace

Result<void> CriLogReader::read(const fs::path& path, const LogOptions& options, const Sink& sink,
                                const std::atomic<bool>* cancel,
                                const std::function<bool()>& finished) {
    // The rotated files, oldest first, then the current one.
    std::vector<fs::path> files;
    for (int i = 1;; ++i) {
        const fs::path rotated = withSuffix(path, i);
        std::error_code ec;
        if (!fs::exists(rotated, ec)) {
            break;
        }
        files.push_back(rotated);
    }
    std::reverse(files.begin(), files.end());

    Emitter emitter{options, sink};
    std::deque<LogLine> tail;
    const bool tailing = options.tailLines.has_value();
    auto collect = [&](LogLine&& line) {
        if (tailing) {
            if (*options.tailLines <= 0) {
                return;
            }
            tail.push_back(std::move(line));
            if (static_cast<std::int64_t>(tail.size()) > *options.tailLines) {
                tail.pop_front();
            }
        } else {
            emitter.emit(line);
        }
    };

    LineAssembler assembler;
    for (const auto& file : files) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            continue;  // rotated away meanwhile
        }
        drain(fd, assembler, collect);
        ::close(fd);
        if (emitter.stopped) {
            return core::success();
        }
    }

    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && !options.follow) {
        if (errno == ENOENT && !files.empty()) {
            fd = -1;
        } else {
            return Error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                         "opening " + path.string() + ": " + std::strerror(errno));
        }
    }
    if (fd >= 0) {
        drain(fd, assembler, collect);
    }
    if (tailing) {
        for (const auto& line : tail) {
            if (!emitter.emit(line)) {
                break;
            }
        }
        tail.clear();
    }
    auto direct = [&](LogLine&& line) { emitter.emit(line); };
    if (!options.follow || emitter.stopped) {
        if (fd >= 0) {
            ::close(fd);
        }
        return core::success();
    }

    bool lastRound = false;
    for (;;) {
        if (fd >= 0) {
            drain(fd, assembler, direct);
        }
        if (emitter.stopped || lastRound) {
            break;
        }
        // Rotated (or created) under us: finish the old file, carry on in the new one.
        struct stat now {};
        if (::stat(path.c_str(), &now) == 0) {
            struct stat current {};
            if (fd < 0 || (::fstat(fd, &current) == 0 &&
                           (current.st_ino != now.st_ino || current.st_dev != now.st_dev))) {
                const int next = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
                if (next >= 0) {
                    if (fd >= 0) {
                        drain(fd, assembler, direct);
                        ::close(fd);
                    }
                    fd = next;
                    continue;
                }
            }
        }
        if (cancel && cancel->load()) {
            break;
        }
        if (finished && finished()) {
            lastRound = true;  // read what the container wrote before it ended
            continue;
        }
        std::this_thread::sleep_for(options.pollInterval);
    }
    if (fd >= 0) {
        ::close(fd);
    }
    return core::success();
}

}  // namespace slipway::agent::logs
