// SPDX-License-Identifier: Apache-2.0
#include "engine/client/https_client.h"

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "engine/client/status_error.h"
#include "engine/client/tls_context.h"
#include "engine/client/watch_channel.h"

namespace slipway::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

/// Bytes taken from a watch stream per read: 64 KiB holds a few hundred typical events.
constexpr std::size_t kReadChunk = 64 * 1024;
/// The body of a refused watch (a Status) is read up to this size.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
/// A closing client gives its connections this long to wind down before it forces them.
constexpr auto kStopGrace = std::chrono::seconds(2);
/// A caller waits this much longer than the I/O deadline, which the I/O thread enforces.
constexpr auto kWaitSlack = std::chrono::seconds(5);
/// A watch requested without timeoutSeconds is cut after this long (plus the grace).
constexpr auto kDefaultStreamLimit = std::chrono::hours(1);

auto token(beast::error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

core::Error transportError(const beast::error_code& ec, const std::string& what) {
    core::ErrorCode code = core::ErrorCode::Network;
    if (ec == beast::error::timeout) {
        code = core::ErrorCode::Timeout;
    } else if (ec == asio::error::operation_aborted) {
        code = core::ErrorCode::Cancelled;
    }
    return core::Error(code, what + ": " + ec.message());
}

/// What a read or write on a pooled connection fails with when the server closed it while it
/// sat idle: the request never reached the server, so sending it again is safe.
bool closedWhileIdle(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::ssl::error::stream_truncated;
}

core::Error cancelled() {
    return core::Error(core::ErrorCode::Cancelled, "the client was closed");
}

}  // namespace

struct HttpsClient::Impl : std::enable_shared_from_this<HttpsClient::Impl> {
    /// One TCP (and TLS) connection. Lives on the I/O thread; registered in `live` so that
    /// stop() and cancellations can close it.
    class Connection {
    public:
        explicit Connection(Impl& owner) : m_owner(owner), m_id(++owner.nextId) {
            if (owner.tls) {
                secure.emplace(*owner.io, *owner.tls);
            } else {
                plain.emplace(*owner.io);
            }
            owner.live.emplace(m_id, this);
            ++owner.opened;
        }
        ~Connection() { m_owner.live.erase(m_id); }
        Connection(const Connection&) = delete;
        Connection& operator=(const Connection&) = delete;

        beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
        void close() {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
            lowest().close();
        }
        /// Runs `op` on the stream (TLS or plain); both give the same awaitable type.
        template <typename Op>
        auto onStream(Op&& op) {
            return secure ? op(*secure) : op(*plain);
        }

        std::optional<beast::tcp_stream> plain;
        std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
        beast::flat_buffer buffer;
        Clock::time_point idleSince;

    private:
        Impl& m_owner;
        const std::uint64_t m_id;
    };

    /// A watch while it streams, found by id from the consumer's demand and cancel hooks.
    struct WatchSession {
        WatchSession(Impl& impl, Connection& streamConnection)
            : owner(impl), id(++impl.nextId), timer(*impl.io), connection(streamConnection) {
            owner.sessions.emplace(id, this);
        }
        ~WatchSession() { owner.sessions.erase(id); }
        WatchSession(const WatchSession&) = delete;
        WatchSession& operator=(const WatchSession&) = delete;

        Impl& owner;
        const std::uint64_t id;
        /// Waited on while the consumer's buffer is full; cancelled to resume.
        asio::steady_timer timer;
        Connection& connection;
        bool cancelled = false;
    };

    using ConnectionPtr = std::unique_ptr<Connection>;

    Impl(ClientConfig clientConfig, HttpsClientOptions clientOptions)
        : config(std::move(clientConfig)),
          options(std::move(clientOptions)),
          io(std::make_unique<asio::io_context>(1)) {
        if (config.server.scheme == "https") {
            auto context = detail::makeTlsContext(config);
            if (context) {
                tls = std::move(*context);
            } else {
                setupError = context.error().message();
            }
        }
        const bool v6 = config.server.host.find(':') != std::string::npos;
        hostHeader = (v6 ? "[" + config.server.host + "]" : config.server.host) + ":" +
                     std::to_string(config.server.port);
    }

    ~Impl() {
        // Pending coroutine frames own connections and sessions that unregister themselves
        // from the maps below: destroy them while the maps still exist.
        work.reset();
        idle.clear();
        io.reset();
    }

    void start() {
        work.emplace(io->get_executor());
        std::promise<void> done;
        ioFinished = done.get_future();
        ioThread = std::thread([this, done = std::move(done)]() mutable {
            io->run();
            done.set_value();
        });
        ioThreadId = ioThread.get_id();
    }

    void stop() {
        if (!ioThread.joinable()) {
            return;
        }
        asio::post(*io, [this] {
            stopping = true;
            for (auto& [id, session] : sessions) {
                session->cancelled = true;
                session->timer.cancel();
            }
            for (auto& [id, connection] : live) {
                connection->close();
            }
            idle.clear();
        });
        work.reset();
        // Closed sockets complete every pending operation with an error, so the coroutines
        // end and run() returns; a resolver still asking DNS is the one thing that could hold
        // it up, and the grace bounds that.
        if (ioFinished.wait_for(kStopGrace) != std::future_status::ready) {
            io->stop();
        }
        ioThread.join();
        std::vector<std::weak_ptr<WatchChannel>> watchers;
        {
            std::lock_guard lock(channelsMutex);
            watchers.swap(channels);
        }
        for (const auto& weak : watchers) {
            if (auto channel = weak.lock()) {
                channel->finish(cancelled());
                channel->clearHooks();
            }
        }
    }

    bool onIoThread() const { return std::this_thread::get_id() == ioThreadId; }

    std::string describe(const Request& request) const {
        return request.method + " " + config.server.toString() + request.target;
    }

    http::request<http::string_body> makeMessage(const Request& request) const {
        http::request<http::string_body> message;
        setHeaders(message, request);
        message.body() = request.body;
        message.prepare_payload();
        return message;
    }

    template <typename Body>
    void setHeaders(http::request<Body>& message, const Request& request) const {
        const auto verb = http::string_to_verb(request.method);
        if (verb == http::verb::unknown) {
            message.method_string(request.method);
        } else {
            message.method(verb);
        }
        message.target(request.target);
        message.version(11);
        message.set(http::field::host, hostHeader);
        message.set(http::field::user_agent, options.userAgent);
        message.set(http::field::accept, request.accept);
        if (!config.bearerToken.empty()) {
            message.set(http::field::authorization, "Bearer " + config.bearerToken);
        }
        if (!request.contentType.empty()) {
            message.set(http::field::content_type, request.contentType);
        }
        message.keep_alive(true);
    }

    /// Sends the request on `connection`: the prepared `message`, or the request's file,
    /// streamed from disk.
    asio::awaitable<void> sendRequest(Connection& connection, const Request& request,
                                      const http::request<http::string_body>& message,
                                      beast::error_code& ec) {
        if (request.bodyFile.empty()) {
            co_await connection.onStream(
                [&](auto& stream) { return http::async_write(stream, message, token(ec)); });
            co_return;
        }
        http::request<http::file_body> upload;
        setHeaders(upload, request);
        upload.body().open(request.bodyFile.c_str(), beast::file_mode::scan, ec);
        if (ec) {
            co_return;
        }
        upload.prepare_payload();
        co_await connection.onStream(
            [&](auto& stream) { return http::async_write(stream, upload, token(ec)); });
    }

    // ---- connection pool (I/O thread only) -----------------------------------------------

    ConnectionPtr takeIdle() {
        while (!idle.empty()) {
            ConnectionPtr connection = std::move(idle.back());
            idle.pop_back();
            if (Clock::now() - connection->idleSince < options.idleTimeout &&
                connection->lowest().socket().is_open()) {
                return connection;
            }
        }
        return nullptr;
    }

    void release(ConnectionPtr connection) {
        if (stopping || idle.size() >= options.maxIdleConnections) {
            return;  // closed as it goes out of scope
        }
        connection->idleSince = Clock::now();
        idle.push_back(std::move(connection));
    }

    asio::awaitable<core::Result<ConnectionPtr>> open(Clock::time_point deadline,
                                                      std::string where) {
        beast::error_code ec;
        std::vector<tcp::endpoint> endpoints;
        boost::system::error_code notAnAddress;
        const auto address = asio::ip::make_address(config.server.host, notAnAddress);
        if (!notAnAddress) {
            endpoints.emplace_back(address, config.server.port);
        } else {
            tcp::resolver resolver(*io);
            const auto results = co_await resolver.async_resolve(
                config.server.host, std::to_string(config.server.port), token(ec));
            if (ec) {
                co_return transportError(ec, "resolving " + where);
            }
            for (const auto& entry : results) {
                endpoints.push_back(entry.endpoint());
            }
        }
        if (stopping) {
            co_return cancelled();
        }
        auto connection = std::make_unique<Connection>(*this);
        connection->lowest().expires_at(deadline);
        co_await connection->lowest().async_connect(endpoints, token(ec));
        if (ec) {
            co_return transportError(ec, "connecting to " + where);
        }
        // As Go does for every TCP connection: a request is written whole, so Nagle's delay
        // only ever holds back the last segment of it.
        connection->lowest().socket().set_option(tcp::no_delay(true), ec);
        if (connection->secure) {
            detail::expectPeerName(connection->secure->native_handle(), config.server.host);
            co_await connection->secure->async_handshake(asio::ssl::stream_base::client, token(ec));
            if (ec) {
                co_return transportError(ec, "TLS handshake with " + where);
            }
        }
        co_return std::move(connection);
    }

    /// A pooled connection, or a new one.
    asio::awaitable<core::Result<ConnectionPtr>> acquire(Clock::time_point deadline,
                                                         const std::string& where, bool& reused) {
        if (auto pooled = takeIdle()) {
            reused = true;
            co_return std::move(pooled);
        }
        reused = false;
        co_return co_await open(deadline, where);
    }

    // ---- requests --------------------------------------------------------------------------

    asio::awaitable<core::Result<Response>> roundTrip(Request request) {
        const auto timeout = request.timeout.count() > 0 ? request.timeout : options.requestTimeout;
        const auto deadline = Clock::now() + timeout;
        const auto message = makeMessage(request);
        const std::string where = describe(request);
        for (int attempt = 0;; ++attempt) {
            bool reused = false;
            auto acquired = co_await acquire(deadline, where, reused);
            if (!acquired) {
                co_return acquired.error();
            }
            ConnectionPtr connection = std::move(*acquired);
            const bool mayRetry = reused && attempt == 0;

            beast::error_code ec;
            connection->lowest().expires_at(deadline);
            co_await sendRequest(*connection, request, message, ec);
            if (ec) {
                if (mayRetry) {
                    continue;
                }
                co_return transportError(ec, "sending " + where);
            }
            http::response_parser<http::string_body> parser;
            parser.header_limit(options.maxHeaderBytes);
            parser.body_limit(std::uint64_t{options.maxBodyBytes});
            // Header first, then body: Beast 1.74 drops the body limit's error when an eager
            // read finds a too-large Content-Length together with the body it announces
            // (boostorg/beast#2183); a header-only read reports it.
            co_await connection->onStream([&](auto& stream) {
                return http::async_read_header(stream, connection->buffer, parser, token(ec));
            });
            if (!ec && !parser.is_done()) {
                co_await connection->onStream([&](auto& stream) {
                    return http::async_read(stream, connection->buffer, parser, token(ec));
                });
            }
            if (ec) {
                if (mayRetry && !parser.got_some() && closedWhileIdle(ec)) {
                    continue;
                }
                co_return transportError(ec, "reading the answer to " + where);
            }
            auto& answer = parser.get();
            Response response;
            response.status = static_cast<int>(answer.result_int());
            response.contentType = std::string(answer[http::field::content_type]);
            response.body = std::move(answer.body());
            if (answer.keep_alive()) {
                release(std::move(connection));
            }
            co_return response;
        }
    }

    asio::awaitable<void> exchange(Request request,
                                   std::shared_ptr<std::promise<core::Result<Response>>> promise) {
        core::Result<Response> result = core::Error(core::ErrorCode::Internal, "no answer");
        try {
            result = co_await roundTrip(std::move(request));
        } catch (const std::exception& e) {
            result = core::Error(core::ErrorCode::Internal, e.what());
        }
        promise->set_value(std::move(result));
    }

    // ---- watches ---------------------------------------------------------------------------

    void resumeSession(std::uint64_t id) {
        if (const auto it = sessions.find(id); it != sessions.end()) {
            it->second->timer.cancel();
        }
    }

    void cancelSession(std::uint64_t id) {
        if (const auto it = sessions.find(id); it != sessions.end()) {
            it->second->cancelled = true;
            it->second->timer.cancel();
            it->second->connection.close();
        }
    }

    void trackChannel(const std::shared_ptr<WatchChannel>& channel) {
        std::lock_guard lock(channelsMutex);
        std::erase_if(channels, [](const auto& weak) { return weak.expired(); });
        channels.push_back(channel);
    }

    asio::awaitable<void> watch(Request request, std::shared_ptr<WatchChannel> channel,
                                std::shared_ptr<std::promise<core::Result<void>>> headers) {
        bool answered = false;
        const auto answer = [&](core::Result<void> outcome) {
            if (!answered) {
                answered = true;
                headers->set_value(std::move(outcome));
            }
        };
        try {
            co_await streamWatch(std::move(request), channel, answer);
            answer(cancelled());
        } catch (const std::exception& e) {
            answer(core::Error(core::ErrorCode::Internal, e.what()));
            channel->finish(core::Error(core::ErrorCode::Internal, e.what()));
        }
    }

    template <typename Answer>
    asio::awaitable<void> streamWatch(Request request, std::shared_ptr<WatchChannel> channel,
                                      const Answer& answer) {
        const auto headerDeadline = Clock::now() + options.requestTimeout;
        const auto message = makeMessage(request);
        const std::string where = describe(request);

        ConnectionPtr connection;
        std::optional<http::response_parser<http::buffer_body>> parser;
        beast::error_code ec;
        for (int attempt = 0;; ++attempt) {
            bool reused = false;
            auto acquired = co_await acquire(headerDeadline, where, reused);
            if (!acquired) {
                answer(acquired.error());
                co_return;
            }
            connection = std::move(*acquired);
            const bool mayRetry = reused && attempt == 0;
            connection->lowest().expires_at(headerDeadline);
            co_await connection->onStream(
                [&](auto& stream) { return http::async_write(stream, message, token(ec)); });
            if (ec) {
                if (mayRetry) {
                    continue;
                }
                answer(transportError(ec, "sending " + where));
                co_return;
            }
            parser.emplace();
            parser->header_limit(options.maxHeaderBytes);
            // A stream has no total size; each event is bounded below instead.
            parser->body_limit(boost::none);
            co_await connection->onStream([&](auto& stream) {
                return http::async_read_header(stream, connection->buffer, *parser, token(ec));
            });
            if (ec) {
                if (mayRetry && !parser->got_some() && closedWhileIdle(ec)) {
                    continue;
                }
                answer(transportError(ec, "reading the answer to " + where));
                co_return;
            }
            break;
        }

        std::vector<char> chunk(kReadChunk);
        const auto readSome = [&]() -> asio::awaitable<std::size_t> {
            parser->get().body().data = chunk.data();
            parser->get().body().size = chunk.size();
            co_await connection->onStream([&](auto& stream) {
                return http::async_read_some(stream, connection->buffer, *parser, token(ec));
            });
            if (ec == http::error::need_buffer) {
                ec = {};
            }
            co_return chunk.size() - parser->get().body().size;
        };

        const int status = static_cast<int>(parser->get().result_int());
        if (status != 200) {
            std::string body;
            while (!parser->is_done() && body.size() < kMaxErrorBody) {
                const std::size_t got = co_await readSome();
                body.append(chunk.data(), got);
                if (ec) {
                    break;
                }
            }
            answer(errorFromStatus(status, body));
            co_return;
        }

        WatchSession session(*this, *connection);
        const std::weak_ptr<Impl> weak = shared_from_this();
        const auto id = session.id;
        channel->setHooks(
            [weak, id] {
                if (auto self = weak.lock()) {
                    asio::post(*self->io, [raw = self.get(), id] { raw->resumeSession(id); });
                }
            },
            [weak, id] {
                if (auto self = weak.lock()) {
                    asio::post(*self->io, [raw = self.get(), id] { raw->cancelSession(id); });
                }
            });
        trackChannel(channel);
        answer(core::success());

        const auto limit =
            request.timeout.count() > 0
                ? request.timeout
                : std::chrono::duration_cast<std::chrono::milliseconds>(kDefaultStreamLimit);
        const auto streamDeadline = Clock::now() + limit + options.watchGrace;
        std::string lines;
        bool reusable = false;
        for (;;) {
            if (session.cancelled || stopping) {
                channel->finish(cancelled());
                break;
            }
            if (!pushLines(*channel, lines) || channel->finished()) {
                break;
            }
            if (channel->pauseIfFull()) {
                // The consumer's buffer is full: read nothing until it makes room. TCP then
                // pushes back on the server, whose own bounded queue ends us with 410 if we
                // stay behind too long.
                session.timer.expires_at(Clock::time_point::max());
                co_await session.timer.async_wait(token(ec));
                continue;
            }
            if (lines.size() > options.maxWatchEventBytes) {
                channel->finish(core::Error(core::ErrorCode::Network,
                                            "a watch event from " + where + " is larger than " +
                                                std::to_string(options.maxWatchEventBytes) +
                                                " bytes"));
                break;
            }
            if (parser->is_done()) {
                // The server ended the stream (timeoutSeconds): a clean end.
                if (!lines.empty()) {
                    channel->pushLine(lines);
                }
                channel->finish(std::nullopt);
                reusable = parser->get().keep_alive();
                break;
            }
            connection->lowest().expires_at(streamDeadline);
            const std::size_t got = co_await readSome();
            lines.append(chunk.data(), got);
            if (ec) {
                channel->finish(session.cancelled || stopping
                                    ? cancelled()
                                    : transportError(ec, "reading the watch " + where));
                break;
            }
        }
        channel->clearHooks();
        if (reusable && !session.cancelled) {
            release(std::move(connection));
        }
    }

    ClientConfig config;
    HttpsClientOptions options;
    std::shared_ptr<asio::ssl::context> tls;
    std::string setupError;
    std::string hostHeader;
    std::unique_ptr<asio::io_context> io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread ioThread;
    std::thread::id ioThreadId;
    std::future<void> ioFinished;

    // Touched on the I/O thread only.
    std::uint64_t nextId = 0;
    std::map<std::uint64_t, Connection*> live;
    std::map<std::uint64_t, WatchSession*> sessions;
    std::vector<ConnectionPtr> idle;
    bool stopping = false;

    std::atomic<std::size_t> opened{0};
    std::mutex channelsMutex;
    std::vector<std::weak_ptr<WatchChannel>> channels;
};

HttpsClient::HttpsClient(ClientConfig config, HttpsClientOptions options)
    : m_impl(std::make_shared<Impl>(std::move(config), std::move(options))) {
    m_impl->start();
}

HttpsClient::~HttpsClient() {
    m_impl->stop();
}

const ClientConfig& HttpsClient::config() const {
    return m_impl->config;
}

std::size_t HttpsClient::connectionsOpened() const {
    return m_impl->opened.load();
}

core::Result<Response> HttpsClient::send(const Request& request) const {
    Impl& impl = *m_impl;
    if (!impl.setupError.empty()) {
        return core::Error(core::ErrorCode::BadRequest, impl.setupError);
    }
    if (impl.onIoThread()) {
        return core::Error(core::ErrorCode::Internal,
                           "a blocking API call from the client's I/O thread (a watch notifier) "
                           "would deadlock");
    }
    auto promise = std::make_shared<std::promise<core::Result<Response>>>();
    auto future = promise->get_future();
    asio::post(*impl.io, [raw = &impl, request, promise] {
        asio::co_spawn(*raw->io, raw->exchange(request, promise), asio::detached);
    });
    const auto timeout =
        request.timeout.count() > 0 ? request.timeout : impl.options.requestTimeout;
    if (future.wait_for(timeout + kWaitSlack) != std::future_status::ready) {
        return core::Error(core::ErrorCode::Timeout, impl.describe(request) + ": no answer");
    }
    try {
        return future.get();
    } catch (const std::future_error&) {
        return cancelled();
    }
}

core::Result<Watch> HttpsClient::stream(const Request& request, std::size_t bufferCapacity) const {
    Impl& impl = *m_impl;
    if (!impl.setupError.empty()) {
        return core::Error(core::ErrorCode::BadRequest, impl.setupError);
    }
    if (impl.onIoThread()) {
        return core::Error(core::ErrorCode::Internal,
                           "a blocking API call from the client's I/O thread (a watch notifier) "
                           "would deadlock");
    }
    auto channel = std::make_shared<WatchChannel>(bufferCapacity);
    auto headers = std::make_shared<std::promise<core::Result<void>>>();
    auto future = headers->get_future();
    asio::post(*impl.io, [raw = &impl, request, channel, headers] {
        asio::co_spawn(*raw->io, raw->watch(request, channel, headers), asio::detached);
    });
    if (future.wait_for(impl.options.requestTimeout + kWaitSlack) != std::future_status::ready) {
        channel->cancel();
        return core::Error(core::ErrorCode::Timeout, impl.describe(request) + ": no answer");
    }
    core::Result<void> outcome = cancelled();
    try {
        outcome = future.get();
    } catch (const std::future_error&) {
    }
    if (!outcome) {
        channel->cancel();
        return outcome.error();
    }
    return Watch(std::move(channel));
}

}  // namespace slipway::client
