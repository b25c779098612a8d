// SPDX-License-Identifier: Apache-2.0
#include "engine/client/port_forward.h"

#include <deque>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/client/resource_ref.h"
#include "engine/client/tls_context.h"
#include "engine/core/spdy/spdy.h"

namespace slipway::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

core::Error transportError(const beast::error_code& ec, const std::string& what) {
    const auto code =
        ec == beast::error::timeout ? core::ErrorCode::Timeout : core::ErrorCode::Network;
    return core::Error(code, ec.message()).wrap(what);
}

/// Runs the queued operation of `context` and returns the error it reported (every step of
/// the upgrade is async so the stream's deadline bounds it).
template <typename Start>
beast::error_code runOne(asio::io_context& context, Start&& start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    context.run();
    context.restart();
    return result;
}

/// One forwarded connection over an upgraded stream (TCP or TLS), on one thread.
template <typename Stream>
class Forward {
public:
    Forward(asio::io_context& context, Stream& remote, beast::flat_buffer& early, int localFd,
            std::uint16_t port)
        : m_remote(remote),
          m_local(context, localFd),
          m_spdy(core::spdy::Connection::Role::Client, handlers()) {
        const std::string portText = std::to_string(port);
        // kubectl's order: the error stream (whose write side it closes at once), then the
        // data stream, both naming the request.
        m_errorId =
            m_spdy.openStream({{"streamType", "error"}, {"port", portText}, {"requestID", "0"}});
        m_spdy.sendData(m_errorId, {}, true);
        m_dataId =
            m_spdy.openStream({{"streamType", "data"}, {"port", portText}, {"requestID", "0"}});
        if (early.size() > 0) {
            m_pendingRemote = beast::buffers_to_string(early.data());
            early.consume(early.size());
        }
        m_remoteBuffer.resize(32 * 1024);
        m_localBuffer.resize(32 * 1024);
    }

    core::Result<void> run(asio::io_context& context) {
        flush();
        if (!m_pendingRemote.empty()) {
            received(std::exchange(m_pendingRemote, {}));
        }
        readRemote();
        readLocal();
        context.run();
        if (!m_errorText.empty()) {
            return core::Error(core::ErrorCode::Unavailable, m_errorText);
        }
        if (m_failure) {
            return *m_failure;
        }
        return {};
    }

private:
    core::spdy::Connection::Handlers handlers() {
        core::spdy::Connection::Handlers handlers;
        handlers.data = [this](std::uint32_t id, std::string_view data, bool fin) {
            if (id == m_errorId) {
                m_errorText.append(
                    data.substr(0, 4096 - std::min<std::size_t>(4096, m_errorText.size())));
                m_errorDone = m_errorDone || fin;
            } else if (id == m_dataId) {
                if (!data.empty()) {
                    m_toLocal.emplace_back(data);
                }
                m_remoteFin = m_remoteFin || fin;
                writeLocal();
            }
            maybeFinish();
        };
        handlers.reset = [this](std::uint32_t, core::spdy::RstStatus) {
            m_remoteFin = true;
            m_errorDone = true;
            finish();
        };
        handlers.goAway = [this](core::spdy::GoAwayStatus) {
            m_remoteFin = true;
            m_errorDone = true;
            finish();
        };
        return handlers;
    }

    void received(const std::string& bytes) {
        if (auto ok = m_spdy.receive(bytes); !ok) {
            m_failure = ok.error();
            return finish();
        }
        flush();
    }

    void readRemote() {
        if (m_finished) {
            return;
        }
        // The next read waits until what arrived reached the local side (back-pressure).
        if (!m_toLocal.empty()) {
            m_readRemoteWhenDrained = true;
            return;
        }
        m_remote.async_read_some(asio::buffer(m_remoteBuffer),
                                 [this](beast::error_code ec, std::size_t bytes) {
                                     if (ec) {
                                         m_remoteFin = true;
                                         m_errorDone = true;
                                         return finish();
                                     }
                                     received(std::string(m_remoteBuffer.data(), bytes));
                                     readRemote();
                                 });
    }

    void writeLocal() {
        if (m_localWriting || m_finished) {
            return;
        }
        if (m_toLocal.empty()) {
            if (m_remoteFin && !m_localShutdown) {
                m_localShutdown = true;
                ::shutdown(m_local.native_handle(), SHUT_WR);
                maybeFinish();
            }
            if (m_readRemoteWhenDrained) {
                m_readRemoteWhenDrained = false;
                readRemote();
            }
            return;
        }
        m_localWriting = true;
        asio::async_write(m_local, asio::buffer(m_toLocal.front()),
                          [this](beast::error_code ec, std::size_t) {
                              m_localWriting = false;
                              m_toLocal.pop_front();
                              if (ec) {
                                  m_toLocal.clear();
                              }
                              writeLocal();
                          });
    }

    void readLocal() {
        if (m_finished || m_localEof) {
            return;
        }
        m_local.async_read_some(
            asio::buffer(m_localBuffer), [this](beast::error_code ec, std::size_t bytes) {
                if (m_finished) {
                    return;
                }
                if (ec) {
                    m_localEof = true;
                    m_spdy.sendData(m_dataId, {}, true);
                    flush();
                    return maybeFinish();
                }
                m_spdy.sendData(m_dataId, std::string_view(m_localBuffer.data(), bytes));
                flush();
                m_readLocalWhenWritten = true;
            });
    }

    void flush() {
        m_outbox += m_spdy.takeOutput();
        if (m_remoteWriting || m_finished) {
            return;
        }
        if (m_outbox.empty()) {
            if (m_readLocalWhenWritten) {
                m_readLocalWhenWritten = false;
                readLocal();
            }
            return;
        }
        m_remoteWriting = true;
        m_sending.swap(m_outbox);
        m_outbox.clear();
        asio::async_write(m_remote, asio::buffer(m_sending),
                          [this](beast::error_code ec, std::size_t) {
                              m_remoteWriting = false;
                              m_sending.clear();
                              if (ec) {
                                  m_failure = transportError(ec, "writing to the API server");
                                  return finish();
                              }
                              flush();
                          });
    }

    void maybeFinish() {
        // Done when the pod's side has ended (data FIN reached the local side) and the
        // error stream is closed; the local side's end was passed on as our FIN.
        if (m_remoteFin && m_errorDone && m_localShutdown && !m_localWriting) {
            finish();
        }
    }

    void finish() {
        if (m_finished) {
            return;
        }
        m_finished = true;
        beast::error_code ignored;
        m_local.close(ignored);
        beast::get_lowest_layer(m_remote).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(m_remote).socket().close(ignored);
    }

    Stream& m_remote;
    asio::posix::stream_descriptor m_local;
    core::spdy::Connection m_spdy;
    std::uint32_t m_errorId = 0;
    std::uint32_t m_dataId = 0;
    std::string m_pendingRemote;
    std::vector<char> m_remoteBuffer;
    std::vector<char> m_localBuffer;
    std::deque<std::string> m_toLocal;
    std::string m_outbox;
    std::string m_sending;
    std::string m_errorText;
    std::optional<core::Error> m_failure;
    bool m_errorDone = false;
    bool m_remoteFin = false;
    bool m_localEof = false;
    bool m_localShutdown = false;
    bool m_localWriting = false;
    bool m_remoteWriting = false;
    bool m_readRemoteWhenDrained = false;
    bool m_readLocalWhenWritten = false;
    bool m_finished = false;
};

/// The upgrade request, its answer, then the forward.
template <typename Stream>
core::Result<void> upgradeAndForward(asio::io_context& context, Stream& stream,
                                     const ClientConfig& config, const PortForwardTarget& target,
                                     int& localFd) {
    const std::string path = "/api/v1/namespaces/" + percentEncode(target.nameSpace) + "/pods/" +
                             percentEncode(target.pod) + "/portforward";
    http::request<http::empty_body> request(http::verb::post, path, 11);
    request.set(http::field::host, config.server.host);
    request.set(http::field::user_agent, "slipway");
    request.set(http::field::connection, "Upgrade");
    request.set(http::field::upgrade, "SPDY/3.1");
    request.set("X-Stream-Protocol-Version", "portforward.k8s.io");
    request.content_length(0);
    if (!config.bearerToken.empty()) {
        request.set(http::field::authorization, "Bearer " + config.bearerToken);
    }
    beast::error_code ec =
        runOne(context, [&](auto handler) { http::async_write(stream, request, handler); });
    if (ec) {
        return transportError(ec, "sending the port-forward request");
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    ec = runOne(context,
                [&](auto handler) { http::async_read_header(stream, buffer, parser, handler); });
    if (ec) {
        return transportError(ec, "reading the port-forward answer");
    }
    if (parser.get().result_int() != 101) {
        (void)runOne(context,
                     [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
        std::string message =
            "port-forward refused with HTTP " + std::to_string(parser.get().result_int());
        const auto status = nlohmann::json::parse(parser.get().body(), nullptr, false);
        if (status.is_object() && status.contains("message")) {
            message = status.value("message", message);
        }
        const unsigned code = parser.get().result_int();
        return core::Error(code == 404   ? core::ErrorCode::NotFound
                           : code == 403 ? core::ErrorCode::Forbidden
                                         : core::ErrorCode::BadRequest,
                           message);
    }
    beast::get_lowest_layer(stream).expires_never();
    const int fd = std::exchange(localFd, -1);
    Forward<Stream> forward(context, stream, buffer, fd, target.port);
    return forward.run(context);
}

}  // namespace

core::Result<void> forwardConnection(const ClientConfig& config, const PortForwardTarget& target,
                                     int localFd) {
    core::Result<void> result;
    try {
        asio::io_context context;
        tcp::resolver resolver(context);
        beast::error_code ec;
        const auto endpoints =
            resolver.resolve(config.server.host, std::to_string(config.server.port), ec);
        if (ec) {
            result = transportError(ec, "resolving " + config.server.toString());
        } else if (config.server.scheme == "http") {
            beast::tcp_stream plain(context);
            plain.expires_after(target.connectTimeout);
            ec = runOne(context, [&](auto handler) { plain.async_connect(endpoints, handler); });
            result = ec ? core::Result<void>(
                              transportError(ec, "connecting to " + config.server.toString()))
                        : upgradeAndForward(context, plain, config, target, localFd);
        } else {
            auto tls = detail::makeTlsContext(config);
            if (!tls) {
                result = tls.error();
            } else {
                beast::ssl_stream<beast::tcp_stream> secure(beast::tcp_stream(context), **tls);
                detail::expectPeerName(secure.native_handle(), config.server.host);
                beast::get_lowest_layer(secure).expires_after(target.connectTimeout);
                ec = runOne(context, [&](auto handler) {
                    beast::get_lowest_layer(secure).async_connect(endpoints, handler);
                });
                if (!ec) {
                    ec = runOne(context, [&](auto handler) {
                        secure.async_handshake(asio::ssl::stream_base::client, handler);
                    });
                }
                result = ec ? core::Result<void>(
                                  transportError(ec, "connecting to " + config.server.toString()))
                            : upgradeAndForward(context, secure, config, target, localFd);
            }
        }
    } catch (const boost::system::system_error& e) {
        result = core::Error(core::ErrorCode::Network, e.what());
    }
    if (localFd >= 0) {
        ::close(localFd);
    }
    return result;
}

}  // namespace slipway::client
