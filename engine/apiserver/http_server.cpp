// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/http_server.h"

#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <malloc.h>
#include <nlohmann/json.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "engine/apiserver/request_limiter.h"
#include "engine/apiserver/router.h"

namespace slipway::apiserver {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Endpoint::url() const {
    const bool v6 = address.find(':') != std::string::npos;
    return (tls ? "https://" : "http://") + (v6 ? "[" + address + "]" : address) + ":" +
           std::to_string(port);
}

core::Result<Endpoint> parseListenAddress(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        return core::Error(core::ErrorCode::BadRequest,
                           "listen address '" + text + "' has no port (want HOST:PORT)");
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.empty()) {
        host = "0.0.0.0";
    }
    const std::string portText = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc{} || end != portText.data() + portText.size() || port > 65535) {
        return core::Error(core::ErrorCode::BadRequest,
                           "listen address '" + text + "' has an invalid port");
    }
    boost::system::error_code addressError;
    asio::ip::make_address(host, addressError);
    if (addressError) {
        return core::Error(core::ErrorCode::BadRequest,
                           "listen address '" + text + "' has an invalid IP address");
    }
    return Endpoint{host, static_cast<std::uint16_t>(port), false};
}

namespace {

/// CN and O of the verified client certificate of `stream`, or anonymous without one.
Identity peerIdentity(SSL* ssl) {
    X509* peer = SSL_get0_peer_certificate(ssl);
    if (peer == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) {
        return Identity::anonymous();
    }
    Identity identity;
    identity.authenticated = true;
    const X509_NAME* name = X509_get_subject_name(peer);
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
        std::string value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                          static_cast<std::size_t>(ASN1_STRING_length(data)));
        if (nid == NID_commonName) {
            identity.user = std::move(value);
        } else if (nid == NID_organizationName) {
            identity.groups.push_back(std::move(value));
        }
    }
    identity.groups.emplace_back("system:authenticated");
    return identity;
}

/// Gives the heap's free memory back to the system when more than `above` bytes of it are
/// free. glibc keeps freed memory in its arenas, and fragments of it mapped: after a burst of
/// creates or a few large LISTs, most of slipwayd's RSS was memory it no longer used.
void trimHeap(std::size_t above) {
#if defined(__GLIBC__)
    const auto info = mallinfo2();
    if (info.fordblks > above) {
        malloc_trim(0);
    }
#else
    (void)above;
#endif
}

/// Answers deferred until a write commits: stop() waits for the store to resume every one
/// before the I/O context goes away.
class PendingAnswers {
public:
    void begin() {
        std::lock_guard lock(m_mutex);
        ++m_count;
    }
    void end() {
        std::lock_guard lock(m_mutex);
        if (--m_count == 0) {
            m_idle.notify_all();
        }
    }
    void waitIdle(std::chrono::seconds timeout) {
        std::unique_lock lock(m_mutex);
        m_idle.wait_for(lock, timeout, [this] { return m_count == 0; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_idle;
    int m_count = 0;
};

/// The HTTP conversation of one connection, shared by plain and TLS sessions (CRTP, as in
/// Beast's flex server): read a request, answer it, repeat while keep-alive.
template <typename Derived>
class HttpConversation {
public:
    HttpConversation(beast::flat_buffer&& buffer, const ServerOptions& options,
                     const Router& router, RequestLimiter& limiter, PendingAnswers& pending,
                     Identity identity)
        : m_buffer(std::move(buffer)),
          m_options(options),
          m_router(router),
          m_limiter(limiter),
          m_pending(pending),
          m_identity(std::move(identity)) {}

protected:
    void read() {
        m_parser.emplace();
        // The declared length is judged in onHeader (where an upload may be let through
        // unread); Beast would refuse it while parsing the header. The limit applies again to
        // the body itself, chunked or not. (Not boost::none: Beast 1.74 compares the length
        // with the optional, and any length is "greater" than none.)
        m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
        m_parser->header_limit(m_options.maxHeaderBytes);
        beast::get_lowest_layer(derived().stream()).expires_after(m_options.readTimeout);
        // The header first: Boost 1.74's one-shot read skips body_limit when a small request
        // arrives in one piece (boostorg/beast#2183), so the declared length is checked here.
        http::async_read_header(
            derived().stream(), m_buffer, *m_parser,
            beast::bind_front_handler(&HttpConversation::onHeader, derived().shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t bytes) {
        if (ec) {
            return onRead(ec, bytes);
        }
        const auto length = m_parser->content_length();
        if (length && *length > m_options.maxBodyBytes) {
            const auto& header = m_parser->get();
            // An upload (an image to a node agent) is handed over unread: its handler takes
            // the connection over and receives the body as it arrives.
            if (m_router.acceptsStreamedBody(std::string(header.method_string()),
                                             header.target())) {
                return dispatch(*length);
            }
            return onRead(http::error::body_limit, bytes);
        }
        m_parser->body_limit(m_options.maxBodyBytes);
        http::async_read(
            derived().stream(), m_buffer, *m_parser,
            beast::bind_front_handler(&HttpConversation::onRead, derived().shared_from_this()));
    }

    void setIdentity(Identity identity) { m_identity = std::move(identity); }

private:
    Derived& derived() { return static_cast<Derived&>(*this); }

    void onRead(beast::error_code ec, std::size_t /*bytes*/) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
            ec == asio::ssl::error::stream_truncated) {
            return derived().close();
        }
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            return answerError(http::status::payload_too_large, "request too large");
        }
        if (ec) {
            return answerError(http::status::bad_request, ec.message());
        }
        dispatch(std::nullopt);
    }

    /// Routes the request read (its head only when `streamedBody` is set) and answers it.
    void dispatch(std::optional<std::uint64_t> streamedBody) {
        const auto& request = m_parser->get();
        HttpRequest routed(std::string(request.method_string()), std::string(request.target()),
                           request.body());
        routed.streamedBodyLength = streamedBody;
        routed.accept = std::string(request[http::field::accept]);
        routed.identity = m_identity;
        routed.contentType = std::string(request[http::field::content_type]);
        routed.authorization = std::string(request[http::field::authorization]);
        routed.impersonateUser = std::string(request["Impersonate-User"]);
        for (auto [it, end] = request.equal_range("Impersonate-Group"); it != end; ++it) {
            routed.impersonateGroups.emplace_back(it->value());
        }
        for (const auto& field : request) {
            routed.headers.emplace_back(std::string(field.name_string()),
                                        std::string(field.value()));
        }
        const auto admission = m_limiter.admit(routed.method, routed.target, routed.identity);
        // Held until the response is written; a stream is long-running and holds nothing.
        m_slot = admission.slot;
        m_version = request.version();
        // An unread body is still on the connection: nothing after this answer can be read.
        m_keepAlive = request.keep_alive() && !streamedBody;
        m_head = request.method() == http::verb::head;
        SPDLOG_DEBUG("{} {} {}", routed.identity.user, routed.method, routed.target);
        respond(admission.admitted ? m_router.handleAsync(routed) : tooManyRequests());
    }

    /// Sends `answer` to the request just read; a deferred one once it is ready. Nothing is
    /// read meanwhile: one request is answered at a time, as HTTP/1.1 without pipelining.
    void respond(HttpResponse answer) {
        if (answer.deferred) {
            return await(std::move(answer.deferred));
        }
        if (answer.takeover) {
            releaseSlot();
            return startTunnel(std::move(answer.takeover));
        }
        if (answer.stream) {
            releaseSlot();
            return startStream(std::move(answer), m_version, m_keepAlive);
        }

        auto response = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(answer.status), m_version);
        response->set(http::field::server, "slipwayd");
        response->set(http::field::content_type, answer.contentType);
        for (const auto& [name, value] : answer.headers) {
            response->insert(name, value);
        }
        response->keep_alive(m_keepAlive);
        if (!m_head) {
            response->body() = std::move(answer.body);
        }
        response->prepare_payload();
        write(std::move(response));
    }

    /// Lets the thread go while a write commits: the store's commit thread resumes the
    /// answer, which is made and sent on this connection's strand.
    void await(std::function<void(ResumeResponse)> deferred) {
        m_pending.begin();
        auto executor = derived().stream().get_executor();
        deferred([self = derived().shared_from_this(),
                  executor](std::function<HttpResponse()> finish) mutable {
            auto& pending = self->m_pending;
            asio::post(executor, [self = std::move(self), finish = std::move(finish)]() mutable {
                self->respond(finish());
            });
            pending.end();
        });
    }

    // Streaming (watch): headers with chunked encoding, then a chunk per read() of the
    // stream, woken by the stream's own notifier. Meanwhile one read of the socket is kept
    // pending: a client sends nothing while its response streams, so any completion means it
    // went away, and the stream is cancelled at once instead of at its deadline.
    void startStream(HttpResponse answer, unsigned version, bool keepAlive) {
        m_streaming = std::move(answer.stream);
        m_streamKeepAlive = keepAlive;
        m_streamHeader.emplace(static_cast<http::status>(answer.status), version);
        m_streamHeader->set(http::field::server, "slipwayd");
        m_streamHeader->set(http::field::content_type, answer.contentType);
        for (const auto& [name, value] : answer.headers) {
            m_streamHeader->insert(name, value);
        }
        m_streamHeader->keep_alive(keepAlive);
        m_streamHeader->chunked(true);
        m_streamSerializer.emplace(*m_streamHeader);
        auto& lowest = beast::get_lowest_layer(derived().stream());
        lowest.expires_after(m_options.readTimeout);
        m_writing = true;
        http::async_write_header(
            derived().stream(), *m_streamSerializer,
            [self = derived().shared_from_this(), timeout = answer.streamTimeout](
                beast::error_code ec, std::size_t) {
                self->m_writing = false;
                if (ec) {
                    return self->endStream(false);
                }
                self->watchForDisconnect();
                if (timeout.count() > 0) {
                    self->m_streamTimer.emplace(self->derived().stream().get_executor());
                    self->m_streamTimer->expires_after(timeout);
                    self->m_streamTimer->async_wait([self](beast::error_code timerError) {
                        if (!timerError && self->m_streaming) {
                            self->m_streamDone = true;  // deadline: finish cleanly
                            self->pump();
                        }
                    });
                }
                self->scheduleHeartbeat();
                std::weak_ptr<Derived> weak = self;
                auto executor = self->derived().stream().get_executor();
                self->m_streaming->start([weak, executor] {
                    asio::post(executor, [weak] {
                        if (auto alive = weak.lock()) {
                            alive->pump();
                        }
                    });
                });
                self->pump();
            });
    }

    /// Pumps the stream every heartbeat() even without a wake, for what is due by the clock.
    void scheduleHeartbeat() {
        const auto interval = m_streaming ? m_streaming->heartbeat() : std::chrono::milliseconds(0);
        if (interval.count() <= 0) {
            return;
        }
        if (!m_heartbeatTimer) {
            m_heartbeatTimer.emplace(derived().stream().get_executor());
        }
        m_heartbeatTimer->expires_after(interval);
        m_heartbeatTimer->async_wait(
            [self = derived().shared_from_this()](beast::error_code timerError) {
                if (!timerError && self->m_streaming) {
                    self->pump();
                    self->scheduleHeartbeat();
                }
            });
    }

    void watchForDisconnect() {
        beast::get_lowest_layer(derived().stream()).expires_never();
        derived().stream().async_read_some(
            asio::buffer(m_disconnectProbe),
            [self = derived().shared_from_this()](beast::error_code, std::size_t) {
                if (self->m_streaming) {
                    self->endStream(false);
                }
            });
    }

    void pump() {
        if (!m_streaming || m_writing) {
            return;
        }
        std::string data;
        const bool more = !m_streamDone && m_streaming->read(data);
        if (!more) {
            m_streamDone = true;
        }
        if (data.empty() && more) {
            return;  // nothing yet: the stream wakes us
        }
        m_chunk = std::move(data);
        m_writing = true;
        const auto afterWrite = [self = derived().shared_from_this()](beast::error_code ec,
                                                                      std::size_t) {
            self->m_writing = false;
            if (ec) {
                return self->endStream(false);
            }
            if (self->m_streamDone && self->m_chunk.empty()) {
                return self->endStream(true);
            }
            self->m_chunk.clear();
            self->pump();
        };
        if (m_chunk.empty()) {
            // Ended with nothing left: the terminating zero-length chunk.
            asio::async_write(derived().stream(), http::make_chunk_last(), std::move(afterWrite));
        } else {
            asio::async_write(derived().stream(), http::make_chunk(asio::buffer(m_chunk)),
                              std::move(afterWrite));
        }
    }

    /// `clean`: the last chunk went out and the connection may serve the next request.
    void endStream(bool clean) {
        if (!m_streaming) {
            return;
        }
        m_streaming->cancel();
        m_streaming.reset();
        if (m_streamTimer) {
            m_streamTimer->cancel();
        }
        if (m_heartbeatTimer) {
            m_heartbeatTimer->cancel();
        }
        // The disconnect probe holds a read on the socket, so the connection cannot be reused
        // for another request: close it even after a clean end (as kube-apiserver does for
        // watches over HTTP/1.1).
        (void)clean;
        derived().close();
    }
    // Takeover (upgrades, proxied responses): the connection is relayed to and from one end
    // of a socket pair whose other end the handler owns. Two pumps, one per direction; the
    // client's end of input is passed on as a shutdown of the pair's write side, and when the
    // handler's side ends the client's connection is closed once its reader has stopped (a
    // TLS shutdown must not race a pending TLS read).
    void startTunnel(ConnectionTakeover takeover) {
        int pair[2] = {-1, -1};
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
            return answerError(http::status::internal_server_error, "socketpair failed");
        }
        m_tunnel.emplace(derived().stream().get_executor(), asio::local::stream_protocol(),
                         pair[0]);
        beast::get_lowest_layer(derived().stream()).expires_never();
        // Bytes the client sent after the request head go first.
        m_fromClient.resize(16 * 1024);
        m_toClient.resize(16 * 1024);
        std::string early = beast::buffers_to_string(m_buffer.data());
        m_buffer.consume(m_buffer.size());
        takeover(pair[1]);
        if (early.empty()) {
            readClient();
        } else {
            auto data = std::make_shared<std::string>(std::move(early));
            asio::async_write(
                *m_tunnel, asio::buffer(*data),
                [self = derived().shared_from_this(), data](beast::error_code error, std::size_t) {
                    if (error) {
                        return self->clientInputEnded();
                    }
                    self->readClient();
                });
        }
        readTunnel();
    }

    void readClient() {
        m_clientReading = true;
        derived().stream().async_read_some(
            asio::buffer(m_fromClient),
            [self = derived().shared_from_this()](beast::error_code ec, std::size_t bytes) {
                self->m_clientReading = false;
                if (ec || self->m_tunnelOutputEnded) {
                    return self->clientInputEnded();
                }
                asio::async_write(*self->m_tunnel, asio::buffer(self->m_fromClient.data(), bytes),
                                  [self](beast::error_code error, std::size_t) {
                                      if (error) {
                                          return self->clientInputEnded();
                                      }
                                      self->readClient();
                                  });
            });
    }

    void clientInputEnded() {
        beast::error_code ignored;
        m_tunnel->shutdown(asio::socket_base::shutdown_send, ignored);
        if (m_tunnelOutputEnded && !m_closed) {
            m_closed = true;
            derived().close();
        }
    }

    void readTunnel() {
        m_tunnel->async_read_some(
            asio::buffer(m_toClient),
            [self = derived().shared_from_this()](beast::error_code ec, std::size_t bytes) {
                if (ec) {
                    return self->tunnelOutputEnded();
                }
                asio::async_write(self->derived().stream(),
                                  asio::buffer(self->m_toClient.data(), bytes),
                                  [self](beast::error_code error, std::size_t) {
                                      if (error) {
                                          return self->tunnelOutputEnded();
                                      }
                                      self->readTunnel();
                                  });
            });
    }

    void tunnelOutputEnded() {
        m_tunnelOutputEnded = true;
        if (m_clientReading) {
            // The reader's completion closes the connection.
            beast::error_code ignored;
            beast::get_lowest_layer(derived().stream()).socket().cancel(ignored);
            return;
        }
        if (!m_closed) {
            m_closed = true;
            beast::error_code ignored;
            m_tunnel->shutdown(asio::socket_base::shutdown_both, ignored);
            derived().close();
        }
    }

    void answerError(http::status status, const std::string& message) {
        auto response = std::make_shared<http::response<http::string_body>>(status, 11);
        response->set(http::field::server, "slipwayd");
        response->set(http::field::content_type, "text/plain; charset=utf-8");
        response->keep_alive(false);
        response->body() = message;
        response->prepare_payload();
        write(std::move(response));
    }

    void releaseSlot() { m_limiter.release(std::exchange(m_slot, RequestLimiter::Slot::None)); }

    /// kube-apiserver's answer beyond the in-flight limit.
    static HttpResponse tooManyRequests() {
        auto response = HttpResponse::make(
            429, "application/json",
            nlohmann::json{{"kind", "Status"},
                           {"apiVersion", "v1"},
                           {"metadata", nlohmann::json::object()},
                           {"status", "Failure"},
                           {"message", "Too many requests, please try again later."},
                           {"reason", "TooManyRequests"},
                           {"details", {{"retryAfterSeconds", 1}}},
                           {"code", 429}}
                .dump());
        response.headers.emplace_back("Retry-After", "1");
        return response;
    }

    void write(std::shared_ptr<http::response<http::string_body>> response) {
        const bool close = !response->keep_alive();
        const bool large =
            m_options.trimInterval.count() > 0 && response->body().size() >= m_options.trimAbove;
        beast::get_lowest_layer(derived().stream()).expires_after(m_options.readTimeout);
        http::async_write(derived().stream(), *response,
                          [self = derived().shared_from_this(), response, close, large](
                              beast::error_code ec, std::size_t) mutable {
                              response.reset();
                              if (large) {
                                  trimHeap(self->m_options.trimAbove);
                              }
                              self->releaseSlot();
                              if (ec || close) {
                                  return self->close();
                              }
                              self->read();
                          });
    }

    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    const ServerOptions& m_options;
    const Router& m_router;
    RequestLimiter& m_limiter;
    PendingAnswers& m_pending;
    RequestLimiter::Slot m_slot = RequestLimiter::Slot::None;
    Identity m_identity;
    unsigned m_version = 11;
    bool m_keepAlive = false;
    bool m_head = false;

    std::shared_ptr<ResponseStream> m_streaming;
    std::optional<http::response<http::empty_body>> m_streamHeader;
    std::optional<http::response_serializer<http::empty_body>> m_streamSerializer;
    std::optional<asio::steady_timer> m_streamTimer;
    std::optional<asio::steady_timer> m_heartbeatTimer;
    std::string m_chunk;
    char m_disconnectProbe[1] = {};
    bool m_writing = false;
    bool m_streamDone = false;
    bool m_streamKeepAlive = false;

    std::optional<asio::local::stream_protocol::socket> m_tunnel;
    std::vector<char> m_fromClient;
    std::vector<char> m_toClient;
    bool m_clientReading = false;
    bool m_tunnelOutputEnded = false;
    bool m_closed = false;
};

class PlainSession : public HttpConversation<PlainSession>,
                     public std::enable_shared_from_this<PlainSession> {
public:
    PlainSession(beast::tcp_stream&& stream, beast::flat_buffer&& buffer,
                 const ServerOptions& options, const Router& router, RequestLimiter& limiter,
                 PendingAnswers& pending)
        : HttpConversation(std::move(buffer), options, router, limiter, pending,
                           options.plainIdentity),
          m_stream(std::move(stream)) {}

    void run() { read(); }
    beast::tcp_stream& stream() { return m_stream; }
    void close() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

private:
    beast::tcp_stream m_stream;
};

class TlsSession : public HttpConversation<TlsSession>,
                   public std::enable_shared_from_this<TlsSession> {
public:
    TlsSession(beast::tcp_stream&& stream, asio::ssl::context& context, beast::flat_buffer&& buffer,
               const ServerOptions& options, const Router& router, RequestLimiter& limiter,
               PendingAnswers& pending)
        : HttpConversation(std::move(buffer), options, router, limiter, pending,
                           Identity::anonymous()),
          m_stream(std::move(stream), context),
          m_handshakeBuffer(),
          m_timeout(options.readTimeout) {}

    void run(beast::flat_buffer&& detected) {
        // The detector already read the first bytes of the handshake: hand them back.
        m_handshakeBuffer = std::move(detected);
        beast::get_lowest_layer(m_stream).expires_after(m_timeout);
        m_stream.async_handshake(
            asio::ssl::stream_base::server, m_handshakeBuffer.data(),
            [self = shared_from_this()](beast::error_code ec, std::size_t used) {
                if (ec) {
                    SPDLOG_DEBUG("TLS handshake: {}", ec.message());
                    return;
                }
                self->m_handshakeBuffer.consume(used);
                self->setIdentity(peerIdentity(self->m_stream.native_handle()));
                self->read();
            });
    }
    beast::ssl_stream<beast::tcp_stream>& stream() { return m_stream; }
    void close() {
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(5));
        m_stream.async_shutdown([self = shared_from_this()](beast::error_code) {});
    }

private:
    beast::ssl_stream<beast::tcp_stream> m_stream;
    beast::flat_buffer m_handshakeBuffer;
    std::chrono::seconds m_timeout;
};

/// Reads the first bytes of a connection to tell a TLS ClientHello from plain HTTP.
class ProtocolDetector : public std::enable_shared_from_this<ProtocolDetector> {
public:
    ProtocolDetector(tcp::socket&& socket, asio::ssl::context& context,
                     const ServerOptions& options, const Router& router, RequestLimiter& limiter,
                     PendingAnswers& pending)
        : m_stream(std::move(socket)),
          m_context(context),
          m_options(options),
          m_router(router),
          m_limiter(limiter),
          m_pending(pending) {}

    void run() {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
            self->m_stream.expires_after(self->m_options.readTimeout);
            beast::async_detect_ssl(self->m_stream, self->m_buffer,
                                    beast::bind_front_handler(&ProtocolDetector::onDetect, self));
        });
    }

private:
    void onDetect(beast::error_code ec, bool tls) {
        if (ec) {
            return;
        }
        if (tls) {
            std::make_shared<TlsSession>(std::move(m_stream), m_context, beast::flat_buffer{},
                                         m_options, m_router, m_limiter, m_pending)
                ->run(std::move(m_buffer));
        } else {
            std::make_shared<PlainSession>(std::move(m_stream), std::move(m_buffer), m_options,
                                           m_router, m_limiter, m_pending)
                ->run();
        }
    }

    beast::tcp_stream m_stream;
    asio::ssl::context& m_context;
    beast::flat_buffer m_buffer;
    const ServerOptions& m_options;
    const Router& m_router;
    RequestLimiter& m_limiter;
    PendingAnswers& m_pending;
};

core::Result<void> configureTls(asio::ssl::context& context, const TlsOptions& tls) {
    beast::error_code ec;
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1,
                        ec);
    // An idle connection (a watch between events, a kept-alive client) gives its TLS read and
    // write buffers back, some 34 KiB each: a thousand watchers would otherwise hold 34 MiB.
    SSL_CTX_set_mode(context.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    if (!ec) {
        context.use_certificate_chain(asio::buffer(tls.certificatePem), ec);
    }
    if (!ec) {
        context.use_private_key(asio::buffer(tls.keyPem), asio::ssl::context::pem, ec);
    }
    if (!ec && !tls.clientCaPem.empty()) {
        context.add_certificate_authority(asio::buffer(tls.clientCaPem), ec);
        // Ask for a client certificate but accept connections without one: those are
        // anonymous (and may still authenticate with a bearer token).
        if (!ec) {
            context.set_verify_mode(asio::ssl::verify_peer, ec);
        }
    }
    if (ec) {
        return core::Error(core::ErrorCode::BadRequest, ec.message()).wrap("TLS configuration");
    }
    return core::success();
}

}  // namespace

struct HttpServer::Impl {
    Impl(ServerOptions opts, const Router& r)
        : options(std::move(opts)),
          router(r),
          context(std::max(1, options.threads)),
          tlsContext(asio::ssl::context::tls_server),
          acceptor(asio::make_strand(context)),
          limiter(options.maxRequestsInFlight, options.maxMutatingRequestsInFlight) {}

    void accept() {
        acceptor.async_accept(
            asio::make_strand(context), [this](beast::error_code ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
                    return;
                }
                if (ec) {
                    spdlog::warn("accept: {}", ec.message());
                    return accept();
                }
                // Watch events are small writes: without this, Nagle's algorithm and the client's
                // delayed ACK hold them back up to 40 ms.
                beast::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                if (options.tls) {
                    std::make_shared<ProtocolDetector>(std::move(socket), tlsContext, options,
                                                       router, limiter, pending)
                        ->run();
                } else {
                    auto session = std::make_shared<PlainSession>(
                        beast::tcp_stream(std::move(socket)), beast::flat_buffer{}, options, router,
                        limiter, pending);
                    asio::dispatch(session->stream().get_executor(), [session] { session->run(); });
                }
                accept();
            });
    }

    ServerOptions options;
    const Router& router;
    asio::io_context context;
    asio::ssl::context tlsContext;
    tcp::acceptor acceptor;
    void scheduleTrim() {
        trimTimer.expires_after(options.trimInterval);
        trimTimer.async_wait([this](beast::error_code ec) {
            if (ec) {
                return;
            }
            trimHeap(options.trimAbove);
            scheduleTrim();
        });
    }

    RequestLimiter limiter;
    PendingAnswers pending;
    asio::steady_timer trimTimer{context};
    std::vector<std::thread> threads;
    std::once_flag stopped;
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : m_impl(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() {
    stop();
}

core::Result<Endpoint> HttpServer::start() {
    auto& impl = *m_impl;
    if (impl.options.tls) {
        if (auto configured = configureTls(impl.tlsContext, *impl.options.tls); !configured) {
            return configured.error();
        }
    }
    beast::error_code ec;
    const auto address = asio::ip::make_address(impl.options.address, ec);
    if (ec) {
        return core::Error(core::ErrorCode::BadRequest,
                           "invalid listen address '" + impl.options.address + "'");
    }
    const tcp::endpoint endpoint(address, impl.options.port);
    const std::string where = impl.options.address + ":" + std::to_string(impl.options.port);
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        impl.acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return core::Error(core::ErrorCode::Network, ec.message()).wrap("listening on " + where);
    }
    const auto bound = impl.acceptor.local_endpoint();
    impl.accept();
    if (impl.options.trimInterval.count() > 0) {
        impl.scheduleTrim();
    }
    for (int i = 0; i < std::max(1, impl.options.threads); ++i) {
        impl.threads.emplace_back([&impl] { impl.context.run(); });
    }
    return Endpoint{bound.address().to_string(), bound.port(), impl.options.tls.has_value()};
}

void HttpServer::stop() {
    std::call_once(m_impl->stopped, [this] {
        auto& impl = *m_impl;
        asio::post(impl.acceptor.get_executor(), [&impl] {
            beast::error_code ignored;
            impl.acceptor.close(ignored);
        });
        // Open keep-alive connections would keep run() busy until their read timeout; the
        // process is going away, so stop the loop and let the sessions be destroyed with it.
        impl.context.stop();
        for (auto& thread : impl.threads) {
            thread.join();
        }
        impl.threads.clear();
        // Writes still committing resume their answers into the stopped context, which
        // drops them (and their sessions) when it is destroyed.
        impl.pending.waitIdle(std::chrono::seconds(30));
    });
}

}  // namespace slipway::apiserver
