// SPDX-License-Identifier: Apache-2.0
#include "engine/ingress/ingress_proxy.h"

#include <array>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "engine/pki/certificates.h"

namespace slipway::ingress {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kAwait = asio::use_awaitable;
/// Bytes relayed per read, in each direction.
constexpr std::size_t kRelayBufferBytes = 16 * 1024;
/// Upstream connections a client connection keeps open for its next requests.
constexpr std::size_t kIdleUpstreamsPerConnection = 4;
/// A failed connect tries the next endpoint, this many in all (ingress-nginx's
/// proxy-next-upstream-tries).
constexpr int kUpstreamTries = 3;

auto await(error_code& ec) {
    return asio::redirect_error(kAwait, ec);
}

const char* reasonText(unsigned status) {
    switch (status) {
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 408:
            return "Request Time-out";
        case 413:
            return "Request Entity Too Large";
        case 431:
            return "Request Header Fields Too Large";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Temporarily Unavailable";
        case 504:
            return "Gateway Time-out";
        default:
            return "Error";
    }
}

/// An answer of the proxy's own, with nginx's page (and "slipway" where nginx signs it).
http::response<http::string_body> ownAnswer(unsigned status, unsigned version, bool keepAlive) {
    const std::string title = std::to_string(status) + " " + reasonText(status);
    http::response<http::string_body> response{static_cast<http::status>(status), version};
    response.set(http::field::server, "slipway-ingress");
    response.set(http::field::content_type, "text/html");
    response.body() = "<html>\r\n<head><title>" + title +
                      "</title></head>\r\n<body>\r\n<center><h1>" + title +
                      "</h1></center>\r\n<hr><center>slipway</center>\r\n</body>\r\n</html>\r\n";
    response.keep_alive(keepAlive);
    response.prepare_payload();
    return response;
}

bool isUpgrade(const http::request<http::string_body>& request) {
    return request.find(http::field::upgrade) != request.end() &&
           beast::http::token_list{request[http::field::connection]}.exists("upgrade");
}

/// An upstream connection a client connection may reuse.
struct IdleUpstream {
    Upstream upstream;
    std::unique_ptr<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
};

}  // namespace

struct IngressProxy::Impl {
    explicit Impl(IngressProxyOptions proxyOptions)
        : options(std::move(proxyOptions)),
          io(options.threads),
          defaultTls(ssl::context::tls_server),
          routes(RoutingTable::build({})) {}

    IngressProxyOptions options;
    asio::io_context io;
    std::optional<tcp::acceptor> httpAcceptor;
    std::optional<tcp::acceptor> httpsAcceptor;
    std::uint16_t httpPort = 0;
    std::uint16_t httpsPort = 0;
    ssl::context defaultTls;
    std::vector<std::thread> threads;

    std::mutex mutex;
    std::shared_ptr<const RoutingTable> routes;
    /// TLS contexts made from the table's certificates, made on first use.
    std::map<std::shared_ptr<const TlsCertificate>, std::shared_ptr<ssl::context>> tlsContexts;

    std::shared_ptr<const RoutingTable> currentTable() {
        std::lock_guard lock(mutex);
        return routes;
    }

    /// The context serving `serverName`, or null for the default certificate.
    std::shared_ptr<ssl::context> contextFor(std::string_view serverName) {
        std::lock_guard lock(mutex);
        auto certificate = routes->certificateFor(serverName);
        if (!certificate) {
            return nullptr;
        }
        auto& context = tlsContexts[certificate];
        if (!context) {
            try {
                auto made = std::make_shared<ssl::context>(ssl::context::tls_server);
                made->use_certificate_chain(asio::buffer(certificate->certificatePem));
                made->use_private_key(asio::buffer(certificate->keyPem), ssl::context::pem);
                context = std::move(made);
            } catch (const boost::system::system_error& error) {
                spdlog::warn(
                    "ingress: certificate of Secret {} unusable ({}); serving the "
                    "default certificate",
                    certificate->secret, error.what());
                tlsContexts.erase(certificate);
                return nullptr;
            }
        }
        return context;
    }

    static int onServerName(SSL* ssl, int* /*alert*/, void* self) {
        const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        if (name == nullptr) {
            return SSL_TLSEXT_ERR_OK;
        }
        if (auto context = static_cast<Impl*>(self)->contextFor(name)) {
            // The SSL object takes its own reference to the context.
            SSL_set_SSL_CTX(ssl, context->native_handle());
        }
        return SSL_TLSEXT_ERR_OK;
    }

    core::Result<std::uint16_t> listen(std::optional<tcp::acceptor>& acceptor, int port) {
        error_code ec;
        const auto address = asio::ip::make_address(options.address, ec);
        if (ec) {
            return core::Error(core::ErrorCode::BadRequest,
                               "ingress: invalid listen address " + options.address);
        }
        const tcp::endpoint endpoint(address, static_cast<std::uint16_t>(port < 0 ? 0 : port));
        acceptor.emplace(io);
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor->set_option(asio::socket_base::reuse_address(true), ec);
            acceptor->bind(endpoint, ec);
        }
        if (!ec) {
            acceptor->listen(asio::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            return core::Error(core::ErrorCode::Unavailable,
                               "ingress: cannot listen on " + options.address + ":" +
                                   std::to_string(endpoint.port()) + ": " + ec.message());
        }
        return acceptor->local_endpoint().port();
    }

    asio::awaitable<void> accept(tcp::acceptor& acceptor, bool tls) {
        for (;;) {
            error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io), await(ec));
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
                co_return;
            }
            if (ec) {
                continue;  // a connection that failed before we took it
            }
            auto executor = socket.get_executor();
            asio::co_spawn(executor, serve(std::move(socket), tls), asio::detached);
        }
    }

    asio::awaitable<void> serve(tcp::socket socket, bool tls) {
        error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        const std::string clientIp = ec ? std::string() : peer.address().to_string();
        const std::uint16_t port = socket.local_endpoint(ec).port();
        // The head and the body of an answer are separate writes: without this Nagle holds
        // the second until the client's delayed ACK (40 ms).
        socket.set_option(tcp::no_delay(true), ec);
        if (!tls) {
            beast::tcp_stream stream(std::move(socket));
            co_await session(stream, false, clientIp, port);
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), defaultTls);
        beast::get_lowest_layer(stream).expires_after(options.clientTimeout);
        co_await stream.async_handshake(ssl::stream_base::server, await(ec));
        if (ec) {
            co_return;
        }
        co_await session(stream, true, clientIp, port);
    }

    /// Requests of one client connection, one after another (keep-alive).
    template <class Stream>
    asio::awaitable<void> session(Stream& stream, bool tls, const std::string& clientIp,
                                  std::uint16_t port) {
        beast::flat_buffer buffer;
        std::vector<IdleUpstream> idle;
        bool first = true;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.maxHeaderBytes));
            parser.body_limit(options.maxRequestBodyBytes);
            beast::get_lowest_layer(stream).expires_after(first ? options.clientTimeout
                                                                : options.keepAliveTimeout);
            first = false;
            error_code ec;
            co_await http::async_read_header(stream, buffer, parser, await(ec));
            if (ec == http::error::header_limit) {
                co_await answer(stream, 431, 11, false);
                break;
            }
            if (ec) {
                break;  // closed, timed out (idle), or not HTTP
            }
            auto& head = parser.get();
            const unsigned version = head.version();
            if (head.has_content_length() &&
                *parser.content_length() > options.maxRequestBodyBytes) {
                co_await answer(stream, 413, version, false);
                break;
            }
            if (!parser.is_done()) {
                if (beast::iequals(head[http::field::expect], "100-continue")) {
                    http::response<http::empty_body> proceed{http::status::continue_, version};
                    co_await http::async_write(stream, proceed, await(ec));
                }
                beast::get_lowest_layer(stream).expires_after(options.clientTimeout);
                co_await http::async_read(stream, buffer, parser, await(ec));
                if (ec == http::error::body_limit) {
                    co_await answer(stream, 413, version, false);
                    break;
                }
                if (ec) {
                    break;
                }
            }
            http::request<http::string_body> request = parser.release();
            const bool keepAlive =
                co_await forward(stream, buffer, request, tls, clientIp, port, idle);
            if (!keepAlive) {
                break;
            }
        }
        error_code ignored;
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        } else {
            beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
            co_await stream.async_shutdown(await(ignored));
        }
    }

    template <class Stream>
    asio::awaitable<bool> answer(Stream& stream, unsigned status, unsigned version,
                                 bool keepAlive) {
        auto response = ownAnswer(status, version, keepAlive);
        beast::get_lowest_layer(stream).expires_after(options.clientTimeout);
        error_code ec;
        co_await http::async_write(stream, response, await(ec));
        co_return keepAlive && !ec;
    }

    /// An open connection to one of the backend's endpoints: an idle one of this client
    /// connection, or a new one (up to kUpstreamTries endpoints). `reused` says which.
    asio::awaitable<std::optional<IdleUpstream>> connect(const Backend& backend,
                                                         std::vector<IdleUpstream>& idle,
                                                         bool allowReuse, bool& reused,
                                                         bool& timedOut) {
        auto executor = co_await asio::this_coro::executor;
        const int tries =
            std::min<int>(kUpstreamTries, static_cast<int>(backend.upstreams().size()));
        for (int attempt = 0; attempt < tries; ++attempt) {
            const auto upstream = backend.pick();
            if (!upstream) {
                break;
            }
            if (allowReuse) {
                for (auto it = idle.begin(); it != idle.end(); ++it) {
                    if (it->upstream == *upstream && it->stream->socket().is_open()) {
                        IdleUpstream found = std::move(*it);
                        idle.erase(it);
                        reused = true;
                        co_return found;
                    }
                }
            }
            error_code ec;
            const auto address = asio::ip::make_address(upstream->address, ec);
            if (ec) {
                continue;
            }
            IdleUpstream connection{*upstream, std::make_unique<beast::tcp_stream>(executor), {}};
            connection.stream->expires_after(options.upstreamConnectTimeout);
            co_await connection.stream->async_connect(tcp::endpoint(address, upstream->port),
                                                      await(ec));
            if (!ec) {
                connection.stream->socket().set_option(tcp::no_delay(true), ec);
                reused = false;
                co_return connection;
            }
            timedOut = ec == beast::error::timeout;
            spdlog::debug("ingress: connecting to {}:{} for {}: {}", upstream->address,
                          upstream->port, backend.describe(), ec.message());
        }
        co_return std::nullopt;
    }

    /// Routes and relays one request; answers whether the client connection stays open.
    template <class Stream>
    asio::awaitable<bool> forward(Stream& stream, beast::flat_buffer& clientBuffer,
                                  http::request<http::string_body>& request, bool tls,
                                  const std::string& clientIp, std::uint16_t port,
                                  std::vector<IdleUpstream>& idle) {
        const unsigned version = request.version();
        const bool clientKeepAlive = request.keep_alive();
        const std::string host(request[http::field::host]);
        const auto table = currentTable();
        const auto match = table->match(host, request.target());
        if (!match.backend) {
            co_return co_await answer(stream, 404, version, clientKeepAlive);
        }
        if (!tls && httpsPort != 0 && table->redirectsToHttps(host)) {
            // ingress-nginx's ssl-redirect: a host with a certificate is served over HTTPS.
            auto redirect = ownAnswer(308, version, clientKeepAlive);
            std::string location = "https://" + normalizeHost(host);
            if (httpsPort != 443) {
                location += ":" + std::to_string(httpsPort);
            }
            location += std::string(request.target());
            redirect.set(http::field::location, location);
            beast::get_lowest_layer(stream).expires_after(options.clientTimeout);
            error_code ec;
            co_await http::async_write(stream, redirect, await(ec));
            co_return clientKeepAlive && !ec;
        }
        if (match.backend->upstreams().empty()) {
            co_return co_await answer(stream, 503, version, clientKeepAlive);
        }

        // The request as the upstream sees it: ingress-nginx's proxy headers, hop-by-hop
        // headers dropped, HTTP/1.1 with keep-alive.
        const bool upgrade = isUpgrade(request);
        const std::string upgradeTo(request[http::field::upgrade]);
        for (const auto field :
             {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
              http::field::te, http::field::trailer, http::field::transfer_encoding,
              http::field::upgrade, http::field::expect}) {
            request.erase(field);
        }
        request.set("X-Request-ID", requestId());
        request.set("X-Real-IP", clientIp);
        request.set("X-Forwarded-For", clientIp);
        request.set("X-Forwarded-Host", host);
        request.set("X-Forwarded-Port", std::to_string(port));
        request.set("X-Forwarded-Proto", tls ? "https" : "http");
        request.set("X-Forwarded-Scheme", tls ? "https" : "http");
        request.version(11);
        request.prepare_payload();
        if (upgrade) {
            request.set(http::field::connection, "upgrade");
            request.set(http::field::upgrade, upgradeTo);
        } else {
            request.keep_alive(true);
        }

        // Connect, send, read the response head. A kept-alive upstream connection that the
        // upstream closed meanwhile fails at once (write, or end of stream before any answer):
        // a new connection is tried once.
        std::optional<IdleUpstream> upstream;
        std::optional<http::response_parser<http::buffer_body>> parser;
        for (int round = 0; round < 2; ++round) {
            bool reused = false;
            bool timedOut = false;
            upstream =
                co_await connect(*match.backend, idle, round == 0 && !upgrade, reused, timedOut);
            if (!upstream) {
                co_return co_await answer(stream, timedOut ? 504 : 502, version, clientKeepAlive);
            }
            error_code ec;
            upstream->stream->expires_after(options.upstreamTimeout);
            co_await http::async_write(*upstream->stream, request, await(ec));
            if (!ec) {
                parser.emplace();
                parser->header_limit(static_cast<std::uint32_t>(options.maxUpstreamHeaderBytes));
                parser->body_limit(std::numeric_limits<std::uint64_t>::max());
                if (request.method() == http::verb::head) {
                    parser->skip(true);
                }
                upstream->stream->expires_after(options.upstreamTimeout);
                co_await http::async_read_header(*upstream->stream, upstream->buffer, *parser,
                                                 await(ec));
            }
            if (!ec) {
                break;
            }
            const bool stale =
                reused && (ec == http::error::end_of_stream ||
                           ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
            if (!stale || round == 1) {
                spdlog::debug("ingress: {} via {}:{}: {}", match.backend->describe(),
                              upstream->upstream.address, upstream->upstream.port, ec.message());
                co_return co_await answer(stream, ec == beast::error::timeout ? 504 : 502, version,
                                          clientKeepAlive);
            }
        }

        auto& response = parser->get();
        if (upgrade && response.result() == http::status::switching_protocols) {
            co_await tunnel(stream, clientBuffer, *upstream, *parser);
            co_return false;
        }

        // The response head as the client sees it: the client's version, our keep-alive, and a
        // body of unknown length chunked (or ended by closing, for HTTP/1.0).
        const bool upstreamKeepAlive = response.keep_alive();
        for (const auto field : {http::field::connection, http::field::keep_alive}) {
            response.erase(field);
        }
        response.version(version);
        bool keepAlive = clientKeepAlive;
        const bool bodyless = request.method() == http::verb::head ||
                              response.result_int() / 100 == 1 || response.result_int() == 204 ||
                              response.result_int() == 304;
        if (!bodyless && !parser->content_length() && !parser->chunked()) {
            if (version >= 11) {
                response.chunked(true);
            } else {
                keepAlive = false;
            }
        }
        if (version < 11 && parser->chunked()) {
            response.chunked(false);
            keepAlive = false;
        }
        response.keep_alive(keepAlive);

        // The body, streamed: each read of the upstream is written to the client before the
        // next (Beast's relay), so a slow client slows the upstream instead of filling memory.
        // The head goes out with the first piece of the body, in one write.
        http::response_serializer<http::buffer_body> serializer{response};
        error_code ec;
        std::array<char, kRelayBufferBytes> chunk{};
        while (!parser->is_done() || !serializer.is_done()) {
            if (!parser->is_done()) {
                response.body().data = chunk.data();
                response.body().size = chunk.size();
                upstream->stream->expires_after(options.upstreamTimeout);
                co_await http::async_read_some(*upstream->stream, upstream->buffer, *parser,
                                               await(ec));
                if (ec == http::error::need_buffer) {
                    ec = {};
                }
                if (ec) {
                    // The upstream broke off mid-body: the client cannot be told otherwise.
                    co_return false;
                }
                response.body().size = chunk.size() - response.body().size;
                response.body().data = chunk.data();
                response.body().more = !parser->is_done();
                if (response.body().size == 0 && response.body().more) {
                    // Only framing was read (a chunk header): an empty buffer would be written
                    // as the last chunk.
                    continue;
                }
            } else {
                response.body().data = nullptr;
                response.body().size = 0;
                response.body().more = false;
            }
            beast::get_lowest_layer(stream).expires_after(options.upstreamTimeout);
            co_await http::async_write(stream, serializer, await(ec));
            if (ec == http::error::need_buffer) {
                ec = {};
            }
            if (ec) {
                co_return false;
            }
        }
        if (upstreamKeepAlive && upstream->stream->socket().is_open()) {
            upstream->stream->expires_never();
            if (idle.size() >= kIdleUpstreamsPerConnection) {
                idle.erase(idle.begin());
            }
            idle.push_back(std::move(*upstream));
        }
        co_return keepAlive;
    }

    /// After a 101: the upstream's answer to the client, then bytes both ways until either side
    /// closes or both are idle for upstreamTimeout.
    template <class Stream>
    asio::awaitable<void> tunnel(Stream& stream, beast::flat_buffer& clientBuffer,
                                 IdleUpstream& upstream,
                                 http::response_parser<http::buffer_body>& parser) {
        error_code ec;
        http::response_serializer<http::buffer_body> serializer{parser.get()};
        beast::get_lowest_layer(stream).expires_after(options.upstreamTimeout);
        co_await http::async_write_header(stream, serializer, await(ec));
        if (ec) {
            co_return;
        }
        // Bytes already read past either head belong to the other side.
        if (upstream.buffer.size() > 0) {
            co_await asio::async_write(stream, upstream.buffer.data(), await(ec));
            upstream.buffer.consume(upstream.buffer.size());
        }
        if (!ec && clientBuffer.size() > 0) {
            co_await asio::async_write(*upstream.stream, clientBuffer.data(), await(ec));
            clientBuffer.consume(clientBuffer.size());
        }
        if (ec) {
            co_return;
        }
        auto executor = co_await asio::this_coro::executor;
        asio::steady_timer otherDone(executor, asio::steady_timer::time_point::max());
        bool finished = false;
        auto& upstreamStream = *upstream.stream;
        asio::co_spawn(
            executor,
            [&]() -> asio::awaitable<void> {
                co_await pump(upstreamStream, stream);
                beast::get_lowest_layer(stream).cancel();
                finished = true;
                otherDone.cancel();
            },
            asio::detached);
        co_await pump(stream, upstreamStream);
        // One side is done: end the other, then wait for its pump to notice.
        beast::get_lowest_layer(stream).cancel();
        upstreamStream.cancel();
        error_code ignored;
        upstreamStream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        if (!finished) {
            co_await otherDone.async_wait(await(ignored));
        }
    }

    template <class From, class To>
    asio::awaitable<void> pump(From& from, To& to) {
        std::array<char, kRelayBufferBytes> chunk{};
        for (;;) {
            error_code ec;
            beast::get_lowest_layer(from).expires_after(options.upstreamTimeout);
            const std::size_t read = co_await from.async_read_some(asio::buffer(chunk), await(ec));
            if (ec) {
                co_return;
            }
            beast::get_lowest_layer(to).expires_after(options.upstreamTimeout);
            co_await asio::async_write(to, asio::buffer(chunk.data(), read), await(ec));
            if (ec) {
                co_return;
            }
        }
    }

    static std::string requestId() {
        static thread_local std::uint64_t state =
            static_cast<std::uint64_t>(
                std::chrono::steady_clock::now().time_since_epoch().count()) ^
            std::hash<std::thread::id>()(std::this_thread::get_id());
        std::string id;
        for (int part = 0; part < 2; ++part) {
            // splitmix64: cheap, unique enough for a request id.
            state += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            z ^= z >> 31;
            static constexpr char kHex[] = "0123456789abcdef";
            for (int i = 0; i < 16; ++i) {
                id += kHex[(z >> (i * 4)) & 0xF];
            }
        }
        return id;
    }
};

IngressProxy::IngressProxy(IngressProxyOptions options)
    : m_impl(std::make_shared<Impl>(std::move(options))) {}

IngressProxy::~IngressProxy() {
    stop();
}

core::Result<void> IngressProxy::start() {
    auto& impl = *m_impl;
    if (impl.options.httpsPort != 0) {
        std::string certificatePem = impl.options.defaultCertificatePem;
        std::string keyPem = impl.options.defaultKeyPem;
        if (certificatePem.empty() || keyPem.empty()) {
            // ingress-nginx's "Kubernetes Ingress Controller Fake Certificate", ours.
            auto authority = pki::createCertificateAuthority("Slipway Ingress Controller Fake CA",
                                                             std::chrono::hours(24 * 365));
            if (!authority) {
                return authority.error();
            }
            pki::CertificateRequest request;
            request.commonName = "Slipway Ingress Controller Fake Certificate";
            request.organizations = {"Slipway"};
            request.dnsNames = {"ingress.local"};
            request.serverAuth = true;
            auto fake = pki::issueCertificate(*authority, request);
            if (!fake) {
                return fake.error();
            }
            certificatePem = fake->certificatePem;
            keyPem = fake->keyPem;
        }
        try {
            impl.defaultTls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                                        ssl::context::no_tlsv1_1);
            impl.defaultTls.use_certificate_chain(asio::buffer(certificatePem));
            impl.defaultTls.use_private_key(asio::buffer(keyPem), ssl::context::pem);
        } catch (const boost::system::system_error& error) {
            return core::Error(core::ErrorCode::BadRequest,
                               std::string("ingress: default certificate: ") + error.what());
        }
        // SSL_CTX_set_tlsext_servername_callback/_arg, without the macros' C casts.
        SSL_CTX_callback_ctrl(impl.defaultTls.native_handle(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                              reinterpret_cast<void (*)()>(&Impl::onServerName));
        SSL_CTX_ctrl(impl.defaultTls.native_handle(), SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, &impl);
        auto port = impl.listen(impl.httpsAcceptor, impl.options.httpsPort);
        if (!port) {
            return port.error();
        }
        impl.httpsPort = *port;
    }
    if (impl.options.httpPort != 0) {
        auto port = impl.listen(impl.httpAcceptor, impl.options.httpPort);
        if (!port) {
            impl.httpsAcceptor.reset();
            impl.httpsPort = 0;
            return port.error();
        }
        impl.httpPort = *port;
    }
    if (impl.httpAcceptor) {
        asio::co_spawn(impl.io, impl.accept(*impl.httpAcceptor, false), asio::detached);
    }
    if (impl.httpsAcceptor) {
        asio::co_spawn(impl.io, impl.accept(*impl.httpsAcceptor, true), asio::detached);
    }
    for (int i = 0; i < std::max(1, impl.options.threads); ++i) {
        impl.threads.emplace_back([&impl] { impl.io.run(); });
    }
    spdlog::info("ingress: serving HTTP on {}:{} and HTTPS on {}:{} (0: off)", impl.options.address,
                 impl.httpPort, impl.options.address, impl.httpsPort);
    return core::success();
}

void IngressProxy::stop() {
    auto& impl = *m_impl;
    if (impl.threads.empty()) {
        return;
    }
    asio::post(impl.io, [&impl] {
        error_code ignored;
        if (impl.httpAcceptor) {
            impl.httpAcceptor->close(ignored);
        }
        if (impl.httpsAcceptor) {
            impl.httpsAcceptor->close(ignored);
        }
    });
    impl.io.stop();
    for (auto& thread : impl.threads) {
        thread.join();
    }
    impl.threads.clear();
}

std::uint16_t IngressProxy::httpPort() const {
    return m_impl->httpPort;
}

std::uint16_t IngressProxy::httpsPort() const {
    return m_impl->httpsPort;
}

void IngressProxy::setTable(std::shared_ptr<const RoutingTable> table) {
    if (!table) {
        table = RoutingTable::build({});
    }
    std::lock_guard lock(m_impl->mutex);
    m_impl->routes = std::move(table);
    m_impl->tlsContexts.clear();
}

}  // namespace slipway::ingress
