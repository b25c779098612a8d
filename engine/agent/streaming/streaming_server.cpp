// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/streaming/streaming_server.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/streaming/channel_protocol.h"
#include "engine/agent/streaming/image_upload.h"
#include "engine/api/status.h"
#include "engine/apiserver/http_server.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"
#include "engine/core/spdy/spdy.h"
#include "engine/core/timestamp.h"

namespace slipway::agent::streaming {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using apiserver::HttpRequest;
using apiserver::HttpResponse;

namespace {

/// kubectl's first try (client-go's tunneling dialer): SPDY inside WebSocket messages.
constexpr const char* kPortForwardTunnelProtocol = "SPDY/3.1+portforward.k8s.io";
constexpr std::string_view kPortForwardProtocol = "portforward.k8s.io";
/// How long the second stream of a port-forward request may keep the first waiting (the
/// kubelet's streamCreationTimeout).
constexpr std::chrono::seconds kStreamCreationTimeout{30};

HttpResponse statusResponse(const core::Error& error) {
    return HttpResponse::make(core::httpStatus(error.code()), "application/json",
                              api::failureStatus(error).dump());
}

/// Threads the server starts (log readers, exec waiters): finished ones are joined as new
/// ones start, the rest when the server stops.
class Workers {
public:
    void spawn(std::function<void()> work) {
        std::lock_guard lock(m_mutex);
        for (auto it = m_threads.begin(); it != m_threads.end();) {
            if (it->done->load()) {
                it->thread.join();
                it = m_threads.erase(it);
            } else {
                ++it;
            }
        }
        auto done = std::make_shared<std::atomic<bool>>(false);
        m_threads.push_back({std::thread([work = std::move(work), done] {
                                 work();
                                 done->store(true);
                             }),
                             done});
    }
    /// Joins every thread that finishes within `timeout`; the others (an exec whose process
    /// runs on) are detached: they hold what they use.
    void joinAll(std::chrono::milliseconds timeout) {
        std::list<Worker> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.swap(m_threads);
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (auto& worker : threads) {
            while (!worker.done->load() && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            if (worker.done->load()) {
                worker.thread.join();
            } else {
                worker.thread.detach();
            }
        }
    }

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::mutex m_mutex;
    std::list<Worker> m_threads;
};

/// Posts to the session I/O context while it exists: a detached waiter may finish after the
/// server stopped.
class SessionPoster {
public:
    explicit SessionPoster(asio::io_context& context) : m_context(&context) {}
    void post(std::function<void()> work) {
        std::lock_guard lock(m_mutex);
        if (m_context != nullptr) {
            asio::post(*m_context, std::move(work));
        }
    }
    void close() {
        std::lock_guard lock(m_mutex);
        m_context = nullptr;
    }

private:
    std::mutex m_mutex;
    asio::io_context* m_context;
};

/// A close-on-exec duplicate: the server's copies of a process's pipes must not leak into
/// other processes the agent starts (a leaked stdin write end would keep EOF from arriving).
int duplicate(int fd) {
    return ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

/// "a/b/c" → {"a", "b", "c"}, percent-decoded.
core::Result<std::vector<std::string>> pathSegments(std::string_view path) {
    std::vector<std::string> segments;
    while (!path.empty()) {
        const auto slash = path.find('/');
        auto decoded = apiserver::percentDecode(path.substr(0, slash));
        if (!decoded) {
            return decoded.error();
        }
        segments.push_back(std::move(*decoded));
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return segments;
}

/// The query as name → every value, in order (exec's `command` repeats).
class Query {
public:
    static core::Result<Query> parse(std::string_view query) {
        Query parsed;
        while (!query.empty()) {
            const auto amp = query.find('&');
            const auto item = query.substr(0, amp);
            if (!item.empty()) {
                const auto equals = item.find('=');
                std::string name(item.substr(0, equals));
                std::string value(equals == std::string_view::npos ? std::string_view()
                                                                   : item.substr(equals + 1));
                // In a query, '+' means space (Go's url.ParseQuery).
                for (std::string* text : {&name, &value}) {
                    for (char& c : *text) {
                        if (c == '+') {
                            c = ' ';
                        }
                    }
                }
                auto decodedName = apiserver::percentDecode(name);
                auto decodedValue = apiserver::percentDecode(value);
                if (!decodedName || !decodedValue) {
                    return core::Error(core::ErrorCode::BadRequest, "malformed query");
                }
                parsed.m_values.emplace_back(std::move(*decodedName), std::move(*decodedValue));
            }
            if (amp == std::string_view::npos) {
                break;
            }
            query.remove_prefix(amp + 1);
        }
        return parsed;
    }

    std::vector<std::string> all(std::string_view name) const {
        std::vector<std::string> values;
        for (const auto& [key, value] : m_values) {
            if (key == name) {
                values.push_back(value);
            }
        }
        return values;
    }
    std::optional<std::string> get(std::string_view name) const {
        for (const auto& [key, value] : m_values) {
            if (key == name) {
                return value;
            }
        }
        return std::nullopt;
    }
    /// Go's strconv.ParseBool as the kubelet reads its flags; absent → `fallback`.
    core::Result<bool> flag(std::string_view name, bool fallback) const {
        const auto value = get(name);
        if (!value) {
            return fallback;
        }
        if (*value == "1" || *value == "t" || *value == "T" || *value == "true" ||
            *value == "TRUE" || *value == "True" || value->empty()) {
            return true;
        }
        if (*value == "0" || *value == "f" || *value == "F" || *value == "false" ||
            *value == "FALSE" || *value == "False") {
            return false;
        }
        return core::Error(core::ErrorCode::BadRequest,
                           "invalid value for " + std::string(name) + ": " + *value);
    }
    core::Result<std::optional<std::int64_t>> integer(std::string_view name) const {
        const auto value = get(name);
        if (!value) {
            return std::optional<std::int64_t>();
        }
        try {
            std::size_t used = 0;
            const long long parsed = std::stoll(*value, &used);
            if (used == value->size()) {
                return std::optional<std::int64_t>(parsed);
            }
        } catch (const std::exception&) {
        }
        return core::Error(core::ErrorCode::BadRequest,
                           "invalid value for " + std::string(name) + ": " + *value);
    }

private:
    std::vector<std::pair<std::string, std::string>> m_values;
};

core::Result<LogOptions> logOptions(const Query& query) {
    LogOptions options;
    auto follow = query.flag("follow", false);
    auto previous = query.flag("previous", false);
    auto timestamps = query.flag("timestamps", false);
    auto tailLines = query.integer("tailLines");
    auto sinceSeconds = query.integer("sinceSeconds");
    auto limitBytes = query.integer("limitBytes");
    for (const auto* failed : {&follow, &previous, &timestamps}) {
        if (!*failed) {
            return failed->error();
        }
    }
    for (const auto* failed : {&tailLines, &sinceSeconds, &limitBytes}) {
        if (!*failed) {
            return failed->error();
        }
    }
    options.follow = *follow;
    options.previous = *previous;
    options.timestamps = *timestamps;
    // The kubelet's PodLogOptions validation.
    if (*tailLines && **tailLines < 0) {
        return core::Error(core::ErrorCode::BadRequest,
                           "tailLines: must be greater than or equal to 0");
    }
    options.tailLines = *tailLines;
    if (*limitBytes) {
        if (**limitBytes < 1) {
            return core::Error(core::ErrorCode::BadRequest, "limitBytes: must be greater than 0");
        }
        options.limitBytes = *limitBytes;
    }
    const auto sinceTime = query.get("sinceTime");
    if (*sinceSeconds && sinceTime) {
        return core::Error(core::ErrorCode::BadRequest,
                           "at most one of `sinceTime` or `sinceSeconds` may be specified");
    }
    if (*sinceSeconds) {
        if (**sinceSeconds < 1) {
            return core::Error(core::ErrorCode::BadRequest, "sinceSeconds: must be greater than 0");
        }
        options.since = std::chrono::system_clock::now() - std::chrono::seconds(**sinceSeconds);
    } else if (sinceTime) {
        const auto parsed = core::parseTimestamp(*sinceTime);
        if (!parsed) {
            return core::Error(core::ErrorCode::BadRequest,
                               "sinceTime: invalid value \"" + *sinceTime + "\"");
        }
        options.since = *parsed;
    }
    return options;
}

/// A container's log as a chunked response: a worker thread pulls lines from the LogSource
/// and hands them over; the HTTP server sends what has accumulated each time it is woken,
/// so a line reaches the client as soon as it is read.
class LogResponseStream final : public apiserver::ResponseStream {
public:
    LogResponseStream(std::unique_ptr<LogSource> source, LogOptions options)
        : m_source(std::move(source)), m_options(std::move(options)) {}

    /// Runs on a worker thread until the log ends or the stream is cancelled.
    void pull() {
        constexpr std::size_t kMaxPending = 1024 * 1024;
        std::int64_t sent = 0;
        LogLine line;
        while (!m_cancelled.load()) {
            {
                // Bounded: a slow client holds the reader back instead of growing the buffer.
                std::unique_lock lock(m_mutex);
                m_drained.wait_for(lock, std::chrono::milliseconds(200), [this] {
                    return m_pending.size() < kMaxPending || m_cancelled.load();
                });
                if (m_pending.size() >= kMaxPending) {
                    continue;
                }
            }
            const auto read = m_source->next(line, std::chrono::milliseconds(200));
            if (read == LogSource::Read::Timeout) {
                continue;
            }
            if (read == LogSource::Read::End) {
                break;
            }
            std::string text = m_options.timestamps ? line.timestamp + " " + line.content
                                                    : std::move(line.content);
            bool limitReached = false;
            if (m_options.limitBytes) {
                const auto room = *m_options.limitBytes - sent;
                if (static_cast<std::int64_t>(text.size()) >= room) {
                    text.resize(static_cast<std::size_t>(std::max<std::int64_t>(room, 0)));
                    limitReached = true;
                }
            }
            sent += static_cast<std::int64_t>(text.size());
            append(text);
            if (limitReached) {
                break;
            }
        }
        std::function<void()> wake;
        {
            std::lock_guard lock(m_mutex);
            m_ended = true;
            wake = m_wake;
        }
        if (wake) {
            wake();
        }
    }

    void start(std::function<void()> wake) override {
        bool ready = false;
        {
            std::lock_guard lock(m_mutex);
            m_wake = std::move(wake);
            ready = !m_pending.empty() || m_ended;
        }
        if (ready) {
            m_wake();
        }
    }
    bool read(std::string& out) override {
        std::lock_guard lock(m_mutex);
        out += m_pending;
        m_pending.clear();
        m_drained.notify_all();
        return !m_ended;
    }
    void cancel() override {
        m_cancelled.store(true);
        m_drained.notify_all();
    }

private:
    void append(const std::string& text) {
        std::function<void()> wake;
        {
            std::lock_guard lock(m_mutex);
            m_pending += text;
            wake = m_wake;
        }
        if (wake) {
            wake();
        }
    }

    std::unique_ptr<LogSource> m_source;
    LogOptions m_options;
    std::mutex m_mutex;
    std::condition_variable m_drained;
    std::string m_pending;
    std::function<void()> m_wake;
    bool m_ended = false;
    std::atomic<bool> m_cancelled{false};
};

/// The stream channels of kubelet's remotecommand protocol over one WebSocket connection,
/// on the server's session I/O context (one thread: no strand needed).
class ChannelSession : public std::enable_shared_from_this<ChannelSession> {
public:
    ChannelSession(asio::io_context& context, int fd, std::shared_ptr<ExecSession> exec,
                   ChannelProtocol protocol, Workers& workers,
                   std::shared_ptr<SessionPoster> poster)
        : m_context(context),
          m_poster(std::move(poster)),
          m_ws(asio::local::stream_protocol::socket(context, asio::local::stream_protocol(), fd)),
          m_exec(std::move(exec)),
          m_protocol(protocol),
          m_workers(workers) {}

    void run(http::request<http::empty_body> request) {
        m_ws.binary(true);
        m_ws.read_message_max(1024 * 1024);
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = std::chrono::seconds(30);
        timeouts.idle_timeout = websocket::stream_base::none();
        timeouts.keep_alive_pings = false;
        m_ws.set_option(timeouts);
        const std::string name(channelProtocolName(m_protocol));
        m_ws.set_option(
            websocket::stream_base::decorator([name](websocket::response_type& response) {
                response.set(http::field::sec_websocket_protocol, name);
            }));
        m_request = std::move(request);
        m_ws.async_accept(*m_request, [self = shared_from_this()](beast::error_code ec) {
            if (ec) {
                SPDLOG_DEBUG("streaming: WebSocket handshake: {}", ec.message());
                self->m_exec->cancel();
                return self->waitForExit();
            }
            self->started();
        });
    }

private:
    void started() {
        if (int fd = m_exec->stdinFd(); fd >= 0) {
            m_stdin.emplace(m_context, duplicate(fd));
        }
        openOutput(m_exec->stdoutFd(), kStdoutChannel);
        if (m_exec->stderrFd() != m_exec->stdoutFd()) {
            openOutput(m_exec->stderrFd(), kStderrChannel);
        }
        readClient();
        waitForExit();
    }

    void openOutput(int fd, std::uint8_t channel) {
        if (fd < 0) {
            return;
        }
        auto& output = m_outputs.emplace_back();
        output.channel = channel;
        output.descriptor.emplace(m_context, duplicate(fd));
        output.buffer.resize(32 * 1024);
        ++m_openOutputs;
        readOutput(output);
    }

    struct Output {
        std::uint8_t channel = 0;
        std::optional<asio::posix::stream_descriptor> descriptor;
        std::vector<char> buffer;
    };

    void readOutput(Output& output) {
        output.descriptor->async_read_some(
            asio::buffer(output.buffer),
            [self = shared_from_this(), &output](beast::error_code ec, std::size_t bytes) {
                if (ec) {
                    // EOF on a pipe; EIO on a pty master once the process is gone.
                    output.descriptor.reset();
                    --self->m_openOutputs;
                    return self->maybeFinish();
                }
                std::string message;
                message.reserve(bytes + 1);
                message.push_back(static_cast<char>(output.channel));
                message.append(output.buffer.data(), bytes);
                // The next read waits for this message to be sent: a slow client slows the
                // process down instead of growing a queue.
                self->send(std::move(message), [self, &output] {
                    if (output.descriptor) {
                        self->readOutput(output);
                    }
                });
            });
    }

    void send(std::string message, std::function<void()> sent = {}) {
        m_outbox.push_back({std::move(message), std::move(sent)});
        if (!m_writing) {
            writeNext();
        }
    }

    void writeNext() {
        if (m_outbox.empty() || m_clientGone) {
            return;
        }
        m_writing = true;
        m_ws.async_write(asio::buffer(m_outbox.front().data),
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             self->m_writing = false;
                             auto done = std::move(self->m_outbox.front().sent);
                             self->m_outbox.pop_front();
                             if (ec) {
                                 return self->clientGone();
                             }
                             if (done) {
                                 done();
                             }
                             if (self->m_outbox.empty() && self->m_closeWhenSent) {
                                 return self->closeWebSocket();
                             }
                             self->writeNext();
                         });
    }

    void readClient() {
        m_ws.async_read(m_incoming, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                return self->clientGone();
            }
            std::string message = beast::buffers_to_string(self->m_incoming.data());
            self->m_incoming.consume(self->m_incoming.size());
            self->received(message);
            self->readClient();
        });
    }

    void received(const std::string& message) {
        const auto frame = parseClientFrame(m_protocol, message);
        switch (frame.kind) {
            case ClientFrame::Kind::Stdin:
                if (m_stdin && !m_stdinClosing) {
                    m_stdinQueue.push_back(frame.data);
                    writeStdin();
                }
                break;
            case ClientFrame::Kind::CloseStdin:
                m_stdinClosing = true;
                writeStdin();
                break;
            case ClientFrame::Kind::Resize:
                m_exec->resize(frame.size);
                break;
            case ClientFrame::Kind::Ignored:
                break;
        }
    }

    void writeStdin() {
        if (m_stdinWriting || !m_stdin) {
            return;
        }
        if (m_stdinQueue.empty()) {
            if (m_stdinClosing) {
                closeStdin();
            }
            return;
        }
        m_stdinWriting = true;
        asio::async_write(*m_stdin, asio::buffer(m_stdinQueue.front()),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->m_stdinWriting = false;
                              self->m_stdinQueue.pop_front();
                              if (ec) {
                                  // The process closed its stdin: drop the rest.
                                  self->m_stdinQueue.clear();
                                  self->m_stdinClosing = true;
                              }
                              self->writeStdin();
                          });
    }

    void closeStdin() {
        if (m_stdin) {
            m_stdin.reset();
            m_exec->closeStdin();
        }
    }

    void clientGone() {
        if (m_clientGone) {
            return;
        }
        m_clientGone = true;
        // A message being written stays until its write completes (Beast reads from it).
        if (m_writing && !m_outbox.empty()) {
            m_outbox.erase(std::next(m_outbox.begin()), m_outbox.end());
        } else {
            m_outbox.clear();
        }
        if (!m_finished) {
            // The client went away mid-session: stop relaying; the process decides for itself.
            m_exec->cancel();
        }
        m_stdinQueue.clear();
        closeStdin();
        for (auto& output : m_outputs) {
            if (output.descriptor) {
                beast::error_code ignored;
                output.descriptor->cancel(ignored);
            }
        }
    }

    void waitForExit() {
        // Weak: a session whose client and output are gone has nothing left to send.
        std::weak_ptr<ChannelSession> weak = shared_from_this();
        m_workers.spawn([weak, exec = m_exec, poster = m_poster] {
            auto exited = exec->wait();
            poster->post([weak, exited = std::move(exited)]() mutable {
                if (auto self = weak.lock()) {
                    self->m_exit.emplace(std::move(exited));
                    self->maybeFinish();
                }
            });
        });
    }

    /// Once the process has exited and its output is read to the end: the status on
    /// channel 3, then a normal close.
    void maybeFinish() {
        if (m_finished || !m_exit || m_openOutputs > 0 || m_clientGone) {
            return;
        }
        m_finished = true;
        closeStdin();
        std::string status(1, static_cast<char>(kErrorChannel));
        status += exitStatus(*m_exit).dump();
        send(std::move(status));
        m_closeWhenSent = true;
        if (!m_writing) {
            closeWebSocket();
        }
    }

    void closeWebSocket() {
        m_closeWhenSent = false;
        m_ws.async_close(websocket::close_code::normal,
                         [self = shared_from_this()](beast::error_code) {});
    }

    asio::io_context& m_context;
    std::shared_ptr<SessionPoster> m_poster;
    websocket::stream<asio::local::stream_protocol::socket> m_ws;
    std::shared_ptr<ExecSession> m_exec;
    ChannelProtocol m_protocol;
    Workers& m_workers;
    std::optional<http::request<http::empty_body>> m_request;
    beast::flat_buffer m_incoming;

    struct Pending {
        std::string data;
        std::function<void()> sent;
    };
    std::deque<Pending> m_outbox;
    bool m_writing = false;
    bool m_closeWhenSent = false;

    std::optional<asio::posix::stream_descriptor> m_stdin;
    std::deque<std::string> m_stdinQueue;
    bool m_stdinWriting = false;
    bool m_stdinClosing = false;

    std::list<Output> m_outputs;
    int m_openOutputs = 0;
    std::optional<core::Result<int>> m_exit;
    bool m_finished = false;
    bool m_clientGone = false;
};

/// kubectl port-forward: one SPDY/3.1 connection (over the raw upgraded connection, or
/// tunnelled in WebSocket binary messages) carrying, per forwarded connection, a pair of
/// streams with headers streamType (data, error), port and requestID, as the kubelet's
/// portforward httpstream handler pairs them. Once both streams of a request are there the
/// backend connects to the port inside the pod; bytes then flow between the data stream and
/// that socket, a FIN on either side half-closing the other. A failure to connect is written
/// on the error stream in the kubelet's words. Runs on the session I/O context (one thread).
class PortForwardSession : public std::enable_shared_from_this<PortForwardSession> {
public:
    PortForwardSession(asio::io_context& context, int fd, bool webSocket, std::string nameSpace,
                       std::string pod, StreamingBackend& backend, Workers& workers,
                       std::shared_ptr<SessionPoster> poster)
        : m_context(context),
          m_nameSpace(std::move(nameSpace)),
          m_pod(std::move(pod)),
          m_backend(backend),
          m_workers(workers),
          m_poster(std::move(poster)),
          m_spdy(core::spdy::Connection::Role::Server, handlers()) {
        asio::local::stream_protocol::socket socket(context, asio::local::stream_protocol(), fd);
        if (webSocket) {
            m_ws.emplace(std::move(socket));
        } else {
            m_raw.emplace(std::move(socket));
        }
    }

    void run(http::request<http::empty_body> request, std::string answer) {
        if (m_raw) {
            // The SPDY upgrade's 101, then frames.
            auto head = std::make_shared<std::string>(std::move(answer));
            asio::async_write(*m_raw, asio::buffer(*head),
                              [self = shared_from_this(), head](beast::error_code ec, std::size_t) {
                                  if (ec) {
                                      return self->transportEnded();
                                  }
                                  self->readTransport();
                              });
            return;
        }
        m_ws->binary(true);
        m_ws->read_message_max(1024 * 1024);
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = std::chrono::seconds(30);
        timeouts.idle_timeout = websocket::stream_base::none();
        timeouts.keep_alive_pings = false;
        m_ws->set_option(timeouts);
        m_ws->set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(http::field::sec_websocket_protocol, kPortForwardTunnelProtocol);
        }));
        m_request = std::move(request);
        m_ws->async_accept(*m_request, [self = shared_from_this()](beast::error_code ec) {
            if (ec) {
                SPDLOG_DEBUG("streaming: port-forward WebSocket handshake: {}", ec.message());
                return;
            }
            self->readTransport();
        });
    }

private:
    struct Forward {
        std::string requestId;
        std::uint16_t port = 0;
        std::uint32_t dataId = 0;
        std::uint32_t errorId = 0;
        std::optional<asio::posix::stream_descriptor> socket;
        std::vector<char> buffer;
        std::deque<std::string> toPod;
        bool podWriting = false;
        bool clientFin = false;    ///< the client's data stream ended
        bool podShutdown = false;  ///< we shut the pod socket's write side
        bool podEof = false;       ///< the pod socket's read side ended
        bool closed = false;
        /// Until both streams of the request are there (the kubelet's stream creation
        /// timeout).
        std::optional<asio::steady_timer> pairing;
    };
    using ForwardPtr = std::shared_ptr<Forward>;

    core::spdy::Connection::Handlers handlers() {
        core::spdy::Connection::Handlers handlers;
        handlers.stream = [this](std::uint32_t id, const core::spdy::HeaderBlock& headers, bool) {
            streamOpened(id, headers);
        };
        handlers.data = [this](std::uint32_t id, std::string_view data, bool fin) {
            dataReceived(id, data, fin);
        };
        handlers.reset = [this](std::uint32_t id, core::spdy::RstStatus) {
            if (const auto it = m_byStream.find(id); it != m_byStream.end()) {
                closeForward(it->second);
            }
        };
        return handlers;
    }

    void streamOpened(std::uint32_t id, const core::spdy::HeaderBlock& headers) {
        // The kubelet's checks (httpStreamReceived): a stream failing them is reset.
        const std::string portText = headers.value("port");
        const std::string type = headers.value("streamType");
        unsigned long port = 0;
        try {
            std::size_t used = 0;
            port = std::stoul(portText, &used);
            if (used != portText.size()) {
                port = 0;
            }
        } catch (const std::exception&) {
            port = 0;
        }
        if (port < 1 || port > 65535 || (type != "data" && type != "error")) {
            SPDLOG_DEBUG("streaming: port-forward stream {} refused (port {:?}, streamType {:?})",
                         id, portText, type);
            m_spdy.reset(id, core::spdy::RstStatus::Cancel);
            return flush();
        }
        std::string requestId = headers.value("requestID");
        if (requestId.empty()) {
            // Clients before requestID: the error stream's id names the pair, the data
            // stream follows it.
            requestId = std::to_string(type == "error" ? id : id - 2);
        }
        auto& forward = m_byRequest[requestId];
        if (!forward) {
            forward = std::make_shared<Forward>();
            forward->requestId = requestId;
            forward->port = static_cast<std::uint16_t>(port);
            forward->pairing.emplace(m_context, kStreamCreationTimeout);
            forward->pairing->async_wait(
                [self = shared_from_this(), forward = forward](beast::error_code ec) {
                    if (!ec) {
                        self->pairingTimedOut(forward);
                    }
                });
        }
        std::uint32_t& slot = type == "data" ? forward->dataId : forward->errorId;
        if (slot != 0) {
            m_spdy.reset(id, core::spdy::RstStatus::ProtocolError);
            return flush();
        }
        slot = id;
        m_byStream[id] = forward;
        m_spdy.reply(id);
        if (forward->dataId != 0 && forward->errorId != 0) {
            forward->pairing->cancel();
            connect(forward);
        }
        flush();
    }

    void pairingTimedOut(const ForwardPtr& forward) {
        if (forward->closed || (forward->dataId != 0 && forward->errorId != 0)) {
            return;
        }
        if (forward->errorId != 0) {
            m_spdy.sendData(forward->errorId,
                            "(request=" + forward->requestId + ") timed out waiting for streams",
                            true);
        }
        if (forward->dataId != 0) {
            m_spdy.reset(forward->dataId, core::spdy::RstStatus::Cancel);
        }
        closeForward(forward);
        flush();
    }

    void connect(const ForwardPtr& forward) {
        std::weak_ptr<PortForwardSession> weak = shared_from_this();
        m_workers.spawn([weak, forward, poster = m_poster, backend = &m_backend,
                         nameSpace = m_nameSpace, pod = m_pod] {
            auto connected = backend->portForward(nameSpace, pod, forward->port);
            poster->post([weak, forward, connected = std::move(connected)]() mutable {
                auto self = weak.lock();
                if (!self) {
                    if (connected) {
                        ::close(*connected);
                    }
                    return;
                }
                self->connected(forward, std::move(connected));
            });
        });
    }

    void connected(const ForwardPtr& forward, core::Result<int> fd) {
        if (forward->closed) {
            if (fd) {
                ::close(*fd);
            }
            return;
        }
        if (!fd) {
            // The kubelet's words; its pod is the CRI sandbox and the uid is empty.
            const std::string message = "error forwarding port " + std::to_string(forward->port) +
                                        " to pod " + m_pod + ", uid : " + fd.error().message();
            SPDLOG_INFO("streaming: {}", message);
            m_spdy.sendData(forward->errorId, message);
            finishStreams(forward);
            closeForward(forward);
            return flush();
        }
        forward->socket.emplace(m_context, *fd);
        forward->buffer.resize(32 * 1024);
        readPod(forward);
        writePod(forward);
    }

    /// The end of both streams of a request from our side (kubelet: defer Close of each).
    void finishStreams(const ForwardPtr& forward) {
        m_spdy.sendData(forward->dataId, {}, true);
        m_spdy.sendData(forward->errorId, {}, true);
    }

    void readPod(const ForwardPtr& forward) {
        forward->socket->async_read_some(
            asio::buffer(forward->buffer),
            [self = shared_from_this(), forward](beast::error_code ec, std::size_t bytes) {
                if (forward->closed) {
                    return;
                }
                if (ec) {
                    forward->podEof = true;
                    self->finishStreams(forward);
                    self->flush();
                    return self->maybeDone(forward);
                }
                self->m_spdy.sendData(forward->dataId,
                                      std::string_view(forward->buffer.data(), bytes));
                self->flush();
                // The next read waits until this data is written: a slow client slows the pod
                // down instead of growing a queue.
                self->whenWritten([self, forward] {
                    if (!forward->closed) {
                        self->readPod(forward);
                    }
                });
            });
    }

    void dataReceived(std::uint32_t id, std::string_view data, bool fin) {
        const auto it = m_byStream.find(id);
        if (it == m_byStream.end()) {
            return;
        }
        const ForwardPtr forward = it->second;
        if (id != forward->dataId) {
            return;  // the client writes nothing on the error stream; it only closes it
        }
        if (!data.empty() && !forward->clientFin && !forward->podShutdown) {
            forward->toPod.emplace_back(data);
            m_queuedToPods += data.size();
        }
        if (fin) {
            forward->clientFin = true;
        }
        writePod(forward);
    }

    void writePod(const ForwardPtr& forward) {
        if (forward->closed || !forward->socket || forward->podWriting) {
            return;
        }
        if (forward->toPod.empty()) {
            if (forward->clientFin && !forward->podShutdown) {
                // The client is done sending: the pod's server reads end of input.
                forward->podShutdown = true;
                ::shutdown(forward->socket->native_handle(), SHUT_WR);
                maybeDone(forward);
            }
            return;
        }
        forward->podWriting = true;
        asio::async_write(*forward->socket, asio::buffer(forward->toPod.front()),
                          [self = shared_from_this(), forward](beast::error_code ec, std::size_t) {
                              forward->podWriting = false;
                              if (forward->closed) {
                                  return;
                              }
                              self->m_queuedToPods -= forward->toPod.front().size();
                              forward->toPod.pop_front();
                              if (ec) {
                                  // The pod closed its side: what the client sends is dropped.
                                  for (const auto& chunk : forward->toPod) {
                                      self->m_queuedToPods -= chunk.size();
                                  }
                                  forward->toPod.clear();
                                  forward->clientFin = true;
                              }
                              self->writePod(forward);
                              self->resumeReading();
                          });
    }

    void maybeDone(const ForwardPtr& forward) {
        if (forward->podEof && forward->podShutdown) {
            closeForward(forward);
        }
    }

    void closeForward(const ForwardPtr& forward) {
        if (forward->closed) {
            return;
        }
        forward->closed = true;
        if (forward->pairing) {
            forward->pairing->cancel();
        }
        for (const auto& chunk : forward->toPod) {
            m_queuedToPods -= chunk.size();
        }
        forward->toPod.clear();
        if (forward->socket) {
            beast::error_code ignored;
            forward->socket->close(ignored);
        }
        m_byStream.erase(forward->dataId);
        m_byStream.erase(forward->errorId);
        m_byRequest.erase(forward->requestId);
        resumeReading();
    }

    // ---- the client's connection

    void readTransport() {
        // Bounded: while the pods have not taken 4 MiB the client sent, its connection waits.
        if (m_reading || m_ended || m_queuedToPods > 4 * 1024 * 1024) {
            return;
        }
        m_reading = true;
        auto received = [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
            self->m_reading = false;
            if (ec) {
                return self->transportEnded();
            }
            std::string data;
            if (self->m_ws) {
                data = beast::buffers_to_string(self->m_incoming.data());
                self->m_incoming.consume(self->m_incoming.size());
            } else {
                data.assign(self->m_readBuffer.data(), bytes);
            }
            if (auto ok = self->m_spdy.receive(data); !ok) {
                SPDLOG_DEBUG("streaming: port-forward: {}", ok.error().message());
                self->m_closeWhenWritten = true;
                return self->flush();
            }
            self->flush();
            self->readTransport();
        };
        if (m_ws) {
            m_ws->async_read(m_incoming, std::move(received));
        } else {
            m_readBuffer.resize(32 * 1024);
            m_raw->async_read_some(asio::buffer(m_readBuffer), std::move(received));
        }
    }

    void resumeReading() {
        if (!m_reading && !m_ended) {
            readTransport();
        }
    }

    void flush() {
        m_outbox += m_spdy.takeOutput();
        if (m_writing || m_ended) {
            return;
        }
        if (m_outbox.empty()) {
            auto callbacks = std::move(m_afterWrite);
            m_afterWrite.clear();
            for (auto& callback : callbacks) {
                callback();
            }
            if (m_closeWhenWritten) {
                transportEnded();
            }
            return;
        }
        m_writing = true;
        m_sending.swap(m_outbox);
        m_outbox.clear();
        auto written = [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->m_writing = false;
            self->m_sending.clear();
            if (ec) {
                return self->transportEnded();
            }
            self->flush();
        };
        if (m_ws) {
            m_ws->async_write(asio::buffer(m_sending), std::move(written));
        } else {
            asio::async_write(*m_raw, asio::buffer(m_sending), std::move(written));
        }
    }

    void whenWritten(std::function<void()> callback) {
        if (!m_writing && m_outbox.empty()) {
            return callback();
        }
        m_afterWrite.push_back(std::move(callback));
    }

    /// The client went away (or broke the protocol): every forward ends with it.
    void transportEnded() {
        if (m_ended) {
            return;
        }
        m_ended = true;
        m_afterWrite.clear();
        std::vector<ForwardPtr> forwards;
        for (const auto& [id, forward] : m_byRequest) {
            forwards.push_back(forward);
        }
        for (const auto& forward : forwards) {
            closeForward(forward);
        }
        beast::error_code ignored;
        if (m_ws) {
            beast::get_lowest_layer(*m_ws).close(ignored);
        } else {
            m_raw->close(ignored);
        }
    }

    asio::io_context& m_context;
    std::string m_nameSpace;
    std::string m_pod;
    StreamingBackend& m_backend;
    Workers& m_workers;
    std::shared_ptr<SessionPoster> m_poster;
    core::spdy::Connection m_spdy;
    std::optional<websocket::stream<asio::local::stream_protocol::socket>> m_ws;
    std::optional<asio::local::stream_protocol::socket> m_raw;
    std::optional<http::request<http::empty_body>> m_request;
    beast::flat_buffer m_incoming;
    std::vector<char> m_readBuffer;
    std::string m_outbox;
    std::string m_sending;
    std::vector<std::function<void()>> m_afterWrite;
    std::map<std::string, ForwardPtr> m_byRequest;
    std::map<std::uint32_t, ForwardPtr> m_byStream;
    std::size_t m_queuedToPods = 0;
    bool m_reading = false;
    bool m_writing = false;
    bool m_ended = false;
    bool m_closeWhenWritten = false;
};

/// The request as Beast's WebSocket accept wants it, from the router's transport-free copy.
http::request<http::empty_body> beastRequest(const HttpRequest& request) {
    http::request<http::empty_body> beast;
    beast.method_string(request.method);
    beast.target(request.target);
    beast.version(11);
    for (const auto& [name, value] : request.headers) {
        beast.insert(name, value);
    }
    return beast;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

struct StreamingServer::Impl {
    Impl(StreamingServerOptions opts, StreamingBackend& b)
        : options(std::move(opts)),
          backend(b),
          work(asio::make_work_guard(context)),
          poster(std::make_shared<SessionPoster>(context)) {}

    HttpResponse containerLogs(const HttpRequest& request) {
        if (request.method != "GET" && request.method != "HEAD") {
            return statusResponse(
                core::Error(core::ErrorCode::MethodNotAllowed, request.method + " is not allowed"));
        }
        const auto [path, queryText] = apiserver::splitTarget(request.target);
        auto segments = pathSegments(path.substr(std::string_view("/containerLogs/").size()));
        if (!segments || segments->size() != 3) {
            return statusResponse(core::Error(core::ErrorCode::NotFound, "404 page not found"));
        }
        auto query = Query::parse(queryText);
        if (!query) {
            return statusResponse(query.error());
        }
        auto logs = logOptions(*query);
        if (!logs) {
            return statusResponse(logs.error());
        }
        auto source = backend.logs((*segments)[0], (*segments)[1], (*segments)[2], *logs);
        if (!source) {
            return statusResponse(source.error());
        }
        auto stream = std::make_shared<LogResponseStream>(std::move(*source), *logs);
        {
            std::lock_guard lock(liveMutex);
            std::erase_if(liveLogs, [](const auto& weak) { return weak.expired(); });
            liveLogs.push_back(stream);
        }
        workers.spawn([stream] { stream->pull(); });
        HttpResponse response;
        response.status = 200;
        response.contentType = "text/plain";
        response.stream = std::move(stream);
        return response;
    }

    HttpResponse execOrAttach(const HttpRequest& request, bool exec) {
        const auto [path, queryText] = apiserver::splitTarget(request.target);
        const std::string_view prefix = exec ? "/exec/" : "/attach/";
        auto segments = pathSegments(path.substr(prefix.size()));
        if (!segments || segments->size() != 3) {
            return statusResponse(core::Error(core::ErrorCode::NotFound, "404 page not found"));
        }
        auto query = Query::parse(queryText);
        if (!query) {
            return statusResponse(query.error());
        }
        ExecOptions streams;
        auto stdinFlag = query->flag("stdin", false);
        auto stdoutFlag = query->flag("stdout", false);
        auto stderrFlag = query->flag("stderr", false);
        auto ttyFlag = query->flag("tty", false);
        for (const auto* flag : {&stdinFlag, &stdoutFlag, &stderrFlag, &ttyFlag}) {
            if (!*flag) {
                return statusResponse(flag->error());
            }
        }
        streams.stdin = *stdinFlag;
        streams.stdout = *stdoutFlag;
        streams.tty = *ttyFlag;
        // With a terminal, stderr is the terminal too (the kubelet ignores stderr=true).
        streams.stderr = *stderrFlag && !streams.tty;
        if (!streams.stdin && !streams.stdout && !*stderrFlag) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "you must specify at least 1 of stdin, stdout, stderr"));
        }
        const auto command = query->all("command");
        if (exec && command.empty()) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest, "you must specify at least 1 command"));
        }
        if (!equalsIgnoringCase(request.header("Upgrade"), "websocket")) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "Upgrade request required: this node agent streams over WebSocket "
                            "(v5.channel.k8s.io, v4.channel.k8s.io)"));
        }
        const auto protocol = negotiateChannelProtocol(request.header("Sec-WebSocket-Protocol"));
        if (!protocol) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "unable to upgrade: no supported subprotocol in \"" +
                                request.header("Sec-WebSocket-Protocol") +
                                "\" (supported: v5.channel.k8s.io, v4.channel.k8s.io)"));
        }
        auto session =
            exec ? backend.exec((*segments)[0], (*segments)[1], (*segments)[2], command, streams)
                 : backend.attach((*segments)[0], (*segments)[1], (*segments)[2], streams);
        if (!session) {
            return statusResponse(session.error());
        }
        std::shared_ptr<ExecSession> shared = std::move(*session);
        {
            std::lock_guard lock(liveMutex);
            std::erase_if(liveSessions, [](const auto& weak) { return weak.expired(); });
            liveSessions.push_back(shared);
        }
        HttpResponse response;
        response.takeover =
            [this, shared, poster = poster,
             beast = std::make_shared<http::request<http::empty_body>>(beastRequest(request)),
             protocol = *protocol](int fd) mutable {
                asio::post(context, [this, fd, shared, beast, protocol, poster] {
                    std::make_shared<ChannelSession>(context, fd, shared, protocol, workers, poster)
                        ->run(std::move(*beast));
                });
            };
        return response;
    }

    /// `/portForward/{ns}/{pod}`: a WebSocket carrying SPDY (subprotocol
    /// SPDY/3.1+portforward.k8s.io, what kube-apiserver would otherwise translate) or the
    /// kubelet's own SPDY/3.1 upgrade (X-Stream-Protocol-Version: portforward.k8s.io).
    HttpResponse portForward(const HttpRequest& request) {
        const auto [path, queryText] = apiserver::splitTarget(request.target);
        auto segments = pathSegments(path.substr(std::string_view("/portForward/").size()));
        if (!segments || segments->size() != 2) {
            return statusResponse(core::Error(core::ErrorCode::NotFound, "404 page not found"));
        }
        const std::string upgrade = request.header("Upgrade");
        bool webSocket = false;
        std::string answer;
        if (equalsIgnoringCase(upgrade, "websocket")) {
            const std::string offered = request.header("Sec-WebSocket-Protocol");
            bool found = false;
            for (std::string_view rest = offered; !rest.empty();) {
                const auto comma = rest.find(',');
                std::string_view item = rest.substr(0, comma);
                while (!item.empty() && item.front() == ' ') {
                    item.remove_prefix(1);
                }
                while (!item.empty() && item.back() == ' ') {
                    item.remove_suffix(1);
                }
                found = found || item == kPortForwardTunnelProtocol;
                rest =
                    comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            }
            if (!found) {
                return statusResponse(
                    core::Error(core::ErrorCode::BadRequest,
                                "unable to upgrade: no supported subprotocol in \"" + offered +
                                    "\" (supported: " + kPortForwardTunnelProtocol + ")"));
            }
            webSocket = true;
        } else if (equalsIgnoringCase(upgrade, "SPDY/3.1")) {
            // httpstream.Handshake: the client lists the protocols it speaks; none at all is
            // an old client, answered without the header.
            const std::string offered = request.header("X-Stream-Protocol-Version");
            answer =
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "
                "SPDY/3.1\r\n";
            if (!offered.empty()) {
                if (offered.find(kPortForwardProtocol) == std::string::npos) {
                    return statusResponse(core::Error(
                        core::ErrorCode::Forbidden,
                        "unable to upgrade: unable to negotiate protocol: client supports [" +
                            offered + "], server supports [" + std::string(kPortForwardProtocol) +
                            "]"));
                }
                answer +=
                    "X-Stream-Protocol-Version: " + std::string(kPortForwardProtocol) + "\r\n";
            }
            answer += "\r\n";
        } else {
            return statusResponse(core::Error(
                core::ErrorCode::BadRequest,
                "Upgrade request required: port forwarding speaks SPDY/3.1 (an Upgrade: SPDY/3.1 "
                "POST, or a WebSocket with subprotocol SPDY/3.1+portforward.k8s.io)"));
        }
        HttpResponse response;
        response.takeover = [this, webSocket, answer = std::move(answer),
                             nameSpace = (*segments)[0], pod = (*segments)[1],
                             beast = std::make_shared<http::request<http::empty_body>>(
                                 beastRequest(request))](int fd) mutable {
            asio::post(context, [this, fd, webSocket, answer = std::move(answer),
                                 nameSpace = std::move(nameSpace), pod = std::move(pod),
                                 beast]() mutable {
                std::make_shared<PortForwardSession>(context, fd, webSocket, std::move(nameSpace),
                                                     std::move(pod), backend, workers, poster)
                    ->run(std::move(*beast), std::move(answer));
            });
        };
        return response;
    }

    StreamingServerOptions options;
    StreamingBackend& backend;
    asio::io_context context;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::shared_ptr<SessionPoster> poster;
    std::thread sessionThread;
    Workers workers;
    std::mutex liveMutex;
    std::vector<std::weak_ptr<LogResponseStream>> liveLogs;
    std::vector<std::weak_ptr<ExecSession>> liveSessions;
    ImageUpload imageUpload{backend,
                            [this](std::function<void()> job) { workers.spawn(std::move(job)); }};
    apiserver::Router router;
    std::unique_ptr<apiserver::HttpServer> http;
    std::once_flag stopped;
};

StreamingServer::StreamingServer(StreamingServerOptions options, StreamingBackend& backend)
    : m_impl(std::make_unique<Impl>(std::move(options), backend)) {
    auto& impl = *m_impl;
    impl.router.addPathHandler("/containerLogs/", [&impl](const HttpRequest& request) {
        return impl.containerLogs(request);
    });
    impl.router.addPathHandler(
        "/exec/", [&impl](const HttpRequest& request) { return impl.execOrAttach(request, true); });
    impl.router.addPathHandler("/attach/", [&impl](const HttpRequest& request) {
        return impl.execOrAttach(request, false);
    });
    impl.router.addPathHandler(
        "/portForward/", [&impl](const HttpRequest& request) { return impl.portForward(request); });
    impl.router.addPathHandler("/images/", [&impl](const HttpRequest& request) {
        return impl.imageUpload.handle(request);
    });
    impl.router.acceptStreamedBodies("/images/");
    impl.router.setReady(true);
}

StreamingServer::~StreamingServer() {
    stop();
}

core::Result<std::uint16_t> StreamingServer::start() {
    auto& impl = *m_impl;
    apiserver::ServerOptions server;
    server.address = impl.options.address;
    server.port = impl.options.port;
    server.threads = std::max(1, impl.options.threads);
    // Streams are long; a read timeout applies only while waiting for a request.
    server.readTimeout = std::chrono::seconds(60);
    server.trimInterval = std::chrono::milliseconds(0);
    if (impl.options.tls) {
        server.tls = apiserver::TlsOptions{impl.options.tls->certificatePem,
                                           impl.options.tls->keyPem, impl.options.tls->clientCaPem};
    } else {
        server.plainIdentity = apiserver::Identity{"system:node-agent-test", {}, true};
    }
    impl.http = std::make_unique<apiserver::HttpServer>(std::move(server), impl.router);
    auto bound = impl.http->start();
    if (!bound) {
        impl.http.reset();
        return bound.error();
    }
    impl.sessionThread = std::thread([&impl] { impl.context.run(); });
    return bound->port;
}

void StreamingServer::stop() {
    std::call_once(m_impl->stopped, [this] {
        auto& impl = *m_impl;
        if (impl.http) {
            impl.http->stop();
        }
        impl.work.reset();
        impl.context.stop();
        if (impl.sessionThread.joinable()) {
            impl.sessionThread.join();
        }
        impl.poster->close();
        {
            std::lock_guard lock(impl.liveMutex);
            for (const auto& weak : impl.liveLogs) {
                if (auto stream = weak.lock()) {
                    stream->cancel();
                }
            }
            for (const auto& weak : impl.liveSessions) {
                if (auto session = weak.lock()) {
                    session->cancel();
                }
            }
        }
        impl.workers.joinAll(std::chrono::seconds(2));
    });
}

}  // namespace slipway::agent::streaming
