// SPDX-License-Identifier: Apache-2.0
#include "engine/client/pod_log_stream.h"

#include <array>
#include <cstdint>
#include <limits>
#include <mutex>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "engine/client/resource_ref.h"
#include "engine/client/status_error.h"
#include "engine/client/tls_context.h"

namespace slipway::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kErrorBodyLimit = 1024 * 1024;

core::Error transportError(const beast::error_code& ec, const std::string& what) {
    const auto code =
        ec == beast::error::timeout ? core::ErrorCode::Timeout : core::ErrorCode::Network;
    return core::Error(code, ec.message()).wrap(what);
}

std::string targetOf(const PodLogRequest& request) {
    std::string target = "/api/v1/namespaces/" + percentEncode(request.nameSpace) + "/pods/" +
                         percentEncode(request.pod) + "/log";
    std::string query;
    auto add = [&query](const std::string& parameter) {
        query += (query.empty() ? "?" : "&") + parameter;
    };
    if (!request.container.empty()) {
        add("container=" + percentEncode(request.container));
    }
    if (request.follow) {
        add("follow=true");
    }
    if (request.timestamps) {
        add("timestamps=true");
    }
    if (request.tailLines) {
        add("tailLines=" + std::to_string(*request.tailLines));
    }
    return target + query;
}

}  // namespace

struct PodLogStream::Impl {
    ClientConfig config;
    PodLogRequest request;
    asio::io_context context;
    std::mutex mutex;
    bool cancelled = false;  // guarded by mutex

    bool isCancelled() {
        const std::lock_guard lock(mutex);
        return cancelled;
    }

    /// Runs the queued operation and returns what it reported, or Cancelled-like
    /// operation_aborted when cancel() stopped the context meanwhile.
    template <typename Start>
    beast::error_code runOne(Start&& start) {
        beast::error_code result = asio::error::operation_aborted;
        if (isCancelled()) {
            return result;
        }
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        context.run();
        context.restart();
        // A cancel() between run() returning and restart() would be forgotten by restart().
        if (isCancelled()) {
            return asio::error::operation_aborted;
        }
        return result;
    }

    template <typename Stream>
    core::Result<void> exchange(Stream& stream, const ChunkHandler& onChunk) {
        http::request<http::empty_body> get(http::verb::get, targetOf(request), 11);
        get.set(http::field::host, config.server.host);
        get.set(http::field::user_agent, "slipway");
        get.set(http::field::accept, "*/*");
        if (!config.bearerToken.empty()) {
            get.set(http::field::authorization, "Bearer " + config.bearerToken);
        }
        beast::error_code ec =
            runOne([&](auto handler) { http::async_write(stream, get, handler); });
        if (ec) {
            return failure(ec, "sending the log request");
        }
        beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        // A followed log has no end. Not boost::none: Boost 1.74 compares a Content-Length
        // against an empty optional as larger, and refuses every answer that has one.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        ec =
            runOne([&](auto handler) { http::async_read_header(stream, buffer, parser, handler); });
        if (ec) {
            return failure(ec, "reading the log answer");
        }
        const int status = static_cast<int>(parser.get().result_int());
        // Headers are in: the stream itself may be quiet for as long as the pod is.
        beast::get_lowest_layer(stream).expires_never();
        std::string errorBody;
        std::array<char, 16 * 1024> chunk{};
        while (!parser.is_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            // read_some: deliver what has come, not wait for a full buffer (a quiet log would
            // hold its last lines back).
            ec = runOne(
                [&](auto handler) { http::async_read_some(stream, buffer, parser, handler); });
            if (ec == http::error::need_buffer) {
                ec = {};
            }
            const std::size_t got = chunk.size() - parser.get().body().size;
            if (got > 0) {
                if (status == 200) {
                    onChunk(std::string_view(chunk.data(), got));
                } else if (errorBody.size() < kErrorBodyLimit) {
                    errorBody.append(chunk.data(), got);
                }
            }
            if (ec == http::error::end_of_stream || ec == asio::error::eof) {
                break;
            }
            if (ec) {
                return failure(ec, "reading the log");
            }
        }
        if (status != 200) {
            return errorFromStatus(status, errorBody);
        }
        return {};
    }

    core::Result<void> failure(const beast::error_code& ec, const std::string& what) {
        if (isCancelled()) {
            return core::Error(core::ErrorCode::Cancelled, "log stream cancelled");
        }
        return transportError(ec, what);
    }

    core::Result<void> run(const ChunkHandler& onChunk) {
        tcp::resolver resolver(context);
        beast::error_code ec;
        const auto endpoints =
            resolver.resolve(config.server.host, std::to_string(config.server.port), ec);
        if (ec) {
            return transportError(ec, "resolving " + config.server.toString());
        }
        if (config.server.scheme == "http") {
            beast::tcp_stream plain(context);
            plain.expires_after(request.connectTimeout);
            ec = runOne([&](auto handler) { plain.async_connect(endpoints, handler); });
            if (ec) {
                return failure(ec, "connecting to " + config.server.toString());
            }
            return exchange(plain, onChunk);
        }
        auto tls = detail::makeTlsContext(config);
        if (!tls) {
            return tls.error();
        }
        beast::ssl_stream<beast::tcp_stream> secure(beast::tcp_stream(context), **tls);
        detail::expectPeerName(secure.native_handle(), config.server.host);
        beast::get_lowest_layer(secure).expires_after(request.connectTimeout);
        ec = runOne([&](auto handler) {
            beast::get_lowest_layer(secure).async_connect(endpoints, handler);
        });
        if (!ec) {
            ec = runOne([&](auto handler) {
                secure.async_handshake(asio::ssl::stream_base::client, handler);
            });
        }
        if (ec) {
            return failure(ec, "connecting to " + config.server.toString());
        }
        return exchange(secure, onChunk);
    }
};

PodLogStream::PodLogStream(ClientConfig config, PodLogRequest request)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->config = std::move(config);
    m_impl->request = std::move(request);
}

PodLogStream::~PodLogStream() = default;

core::Result<void> PodLogStream::run(const ChunkHandler& onChunk) {
    if (m_impl->isCancelled()) {
        return core::Error(core::ErrorCode::Cancelled, "log stream cancelled");
    }
    try {
        auto result = m_impl->run(onChunk);
        if (!result.ok() && m_impl->isCancelled()) {
            return core::Error(core::ErrorCode::Cancelled, "log stream cancelled");
        }
        return result;
    } catch (const boost::system::system_error& e) {
        return core::Error(core::ErrorCode::Network, e.what());
    }
}

void PodLogStream::cancel() {
    {
        const std::lock_guard lock(m_impl->mutex);
        m_impl->cancelled = true;
    }
    // stop() makes the running run() return with its operation unfinished (operation_aborted
    // in runOne), and makes every later run() return at once.
    m_impl->context.stop();
}

}  // namespace slipway::client
