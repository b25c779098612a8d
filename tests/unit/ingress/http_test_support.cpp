// SPDX-License-Identifier: Apache-2.0
#include "http_test_support.h"

#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace slipway::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct TestBackend::Impl {
    std::string name;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread thread;
    std::atomic<int> requests{0};

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            boost::system::error_code ec;
            co_await http::async_read(stream, buffer, request,
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            ++requests;
            std::string text = name + " " + std::string(request.target()) + "\n";
            for (const auto& field : request) {
                text += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
            }
            text += "body: " + request.body() + "\n";
            if (request.find(http::field::upgrade) != request.end()) {
                // Switch protocols, then echo every byte until the client closes.
                http::response<http::empty_body> switching{http::status::switching_protocols, 11};
                switching.set(http::field::connection, "Upgrade");
                switching.set(http::field::upgrade, request[http::field::upgrade]);
                co_await http::async_write(stream, switching,
                                           asio::redirect_error(asio::use_awaitable, ec));
                std::array<char, 4096> bytes{};
                while (!ec) {
                    const std::size_t read = co_await stream.async_read_some(
                        asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
                    if (!ec) {
                        co_await asio::async_write(stream, asio::buffer(bytes.data(), read),
                                                   asio::redirect_error(asio::use_awaitable, ec));
                    }
                }
                co_return;
            }
            if (request.target() == "/slow") {
                asio::steady_timer timer(stream.get_executor(), std::chrono::seconds(3));
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            if (request.target() == "/stream") {
                http::response<http::empty_body> head{http::status::ok, 11};
                head.chunked(true);
                http::response_serializer<http::empty_body> serializer{head};
                co_await http::async_write_header(stream, serializer,
                                                  asio::redirect_error(asio::use_awaitable, ec));
                for (const char* part : {"one,", "two,", "three"}) {
                    co_await asio::async_write(
                        stream, http::make_chunk(asio::buffer(std::string_view(part))),
                        asio::redirect_error(asio::use_awaitable, ec));
                }
                co_await asio::async_write(stream, http::make_chunk_last(),
                                           asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            http::response<http::string_body> response{http::status::ok, request.version()};
            response.set(http::field::content_type, "text/plain");
            response.keep_alive(request.keep_alive());
            if (request.method() == http::verb::head) {
                response.content_length(text.size());  // the head of what GET would answer
            } else {
                response.body() = text;
                response.prepare_payload();
            }
            co_await http::async_write(stream, response,
                                       asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !request.keep_alive()) {
                co_return;
            }
        }
    }

    asio::awaitable<void> accept() {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket =
                co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }
};

TestBackend::TestBackend(std::string name) : m_impl(std::make_unique<Impl>()) {
    m_impl->name = std::move(name);
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    m_impl->acceptor.open(endpoint.protocol());
    m_impl->acceptor.bind(endpoint);
    m_impl->acceptor.listen();
    asio::co_spawn(m_impl->io, m_impl->accept(), asio::detached);
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->io.run(); });
}

TestBackend::~TestBackend() {
    m_impl->io.stop();
    m_impl->thread.join();
}

std::uint16_t TestBackend::port() const {
    return m_impl->acceptor.local_endpoint().port();
}

int TestBackend::requests() const {
    return m_impl->requests;
}

std::uint16_t closedPort() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

namespace {

template <class Stream>
Reply exchange(Stream& stream, const std::string& host, const std::string& target,
               const std::string& method, const std::string& body, int count) {
    Reply reply;
    beast::flat_buffer buffer;
    for (int i = 0; i < count; ++i) {
        http::request<http::string_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, host);
        request.body() = body;
        request.prepare_payload();
        boost::system::error_code ec;
        http::write(stream, request, ec);
        if (ec) {
            return {};
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        parser.skip(request.method() == http::verb::head);
        http::read(stream, buffer, parser, ec);
        if (ec) {
            return {};
        }
        const auto& response = parser.get();
        reply.status = static_cast<int>(response.result_int());
        reply.body = response.body();
        reply.headers.clear();
        for (const auto& field : response) {
            reply.headers[std::string(field.name_string())] = std::string(field.value());
        }
    }
    return reply;
}

}  // namespace

Reply httpRequest(std::uint16_t port, const std::string& host, const std::string& target, bool tls,
                  const std::string& method, const std::string& body, int count) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) {
        return {};
    }
    timeval timeout{10, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (!tls) {
        return exchange(socket, host, target, method, body, count);
    }
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.set_verify_mode(asio::ssl::verify_none);
    asio::ssl::stream<tcp::socket&> stream(socket, context);
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(host.c_str()));
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) {
        return {};
    }
    std::string commonName;
    if (X509* peer = SSL_get1_peer_certificate(stream.native_handle())) {
        char name[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof name);
        commonName = name;
        X509_free(peer);
    }
    Reply reply = exchange(stream, host, target, method, body, count);
    reply.peerCommonName = commonName;
    return reply;
}

std::string upgradeEcho(std::uint16_t port, const std::string& host, const std::string& message) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) {
        return {};
    }
    timeval timeout{10, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const std::string head = "GET /ws HTTP/1.1\r\nHost: " + host +
                             "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
    asio::write(socket, asio::buffer(head), ec);
    std::string received;
    asio::read_until(socket, asio::dynamic_buffer(received), "\r\n\r\n", ec);
    if (ec || !received.starts_with("HTTP/1.1 101")) {
        return {};
    }
    received.erase(0, received.find("\r\n\r\n") + 4);
    asio::write(socket, asio::buffer(message), ec);
    while (!ec && received.size() < message.size()) {
        std::array<char, 4096> bytes{};
        const std::size_t read = socket.read_some(asio::buffer(bytes), ec);
        received.append(bytes.data(), read);
    }
    return received;
}

}  // namespace slipway::testing
