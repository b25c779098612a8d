// SPDX-License-Identifier: Apache-2.0
#include "engine/client/rest_client.h"

#include <charconv>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "engine/client/tls_context.h"
#include "engine/pki/certificates.h"
#include "engine/pki/kubeconfig.h"

namespace slipway::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

core::Result<ServerUrl> ServerUrl::parse(const std::string& url) {
    const auto invalid = [&url](const std::string& why) {
        return core::Error(core::ErrorCode::BadRequest, "invalid server URL '" + url + "': " + why);
    };
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string::npos) {
        return invalid("missing scheme (want https://HOST:PORT)");
    }
    ServerUrl result;
    result.scheme = url.substr(0, schemeEnd);
    if (result.scheme != "http" && result.scheme != "https") {
        return invalid("scheme '" + result.scheme + "' is not supported (want https or http)");
    }
    std::string rest = url.substr(schemeEnd + 3);
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        rest.resize(slash);
    }
    std::string portText;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string::npos) {
            return invalid("unclosed '[' in host");
        }
        result.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':') {
            portText = rest.substr(close + 2);
        }
    } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        result.host = rest.substr(0, colon);
        portText = rest.substr(colon + 1);
    } else {
        result.host = rest;
    }
    if (result.host.empty()) {
        return invalid("empty host");
    }
    unsigned port = result.scheme == "https" ? 443 : 80;
    if (!portText.empty()) {
        const auto [end, ec] =
            std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc{} || end != portText.data() + portText.size() || port == 0 ||
            port > 65535) {
            return invalid("bad port '" + portText + "'");
        }
    }
    result.port = static_cast<std::uint16_t>(port);
    return result;
}

std::string ServerUrl::toString() const {
    const bool v6 = host.find(':') != std::string::npos;
    return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<ClientConfig> ClientConfig::fromKubeconfig(const pki::Kubeconfig& kubeconfig,
                                                        const std::string& contextName) {
    const std::string name = contextName.empty() ? kubeconfig.currentContext : contextName;
    const auto* context = kubeconfig.findContext(name);
    if (context == nullptr) {
        return core::Error(core::ErrorCode::NotFound,
                           "context \"" + name + "\" not found in kubeconfig");
    }
    const auto* cluster = kubeconfig.findCluster(context->cluster);
    if (cluster == nullptr) {
        return core::Error(core::ErrorCode::NotFound,
                           "cluster \"" + context->cluster + "\" not found in kubeconfig");
    }
    auto server = ServerUrl::parse(cluster->server);
    if (!server) {
        return server.error();
    }
    ClientConfig config;
    config.server = std::move(*server);
    config.insecureSkipTlsVerify = cluster->insecureSkipTlsVerify;
    const auto decode = [](const std::string& data, std::string& into,
                           const char* field) -> core::Result<void> {
        if (data.empty()) {
            return core::success();
        }
        auto decoded = pki::base64Decode(data);
        if (!decoded) {
            return decoded.error().wrap(std::string("kubeconfig ") + field);
        }
        into = std::move(*decoded);
        return core::success();
    };
    if (auto ok = decode(cluster->certificateAuthorityData, config.certificateAuthorityPem,
                         "certificate-authority-data");
        !ok) {
        return ok.error();
    }
    if (const auto* user = kubeconfig.findUser(context->user)) {
        if (auto ok = decode(user->clientCertificateData, config.clientCertificatePem,
                             "client-certificate-data");
            !ok) {
            return ok.error();
        }
        if (auto ok = decode(user->clientKeyData, config.clientKeyPem, "client-key-data"); !ok) {
            return ok.error();
        }
        config.bearerToken = user->token;
    }
    return config;
}

struct RestClient::Impl {
    explicit Impl(ClientConfig c) : config(std::move(c)) {
        if (config.server.scheme != "https") {
            return;
        }
        auto context = detail::makeTlsContext(config);
        if (context) {
            tls = std::move(*context);
        } else {
            setupError = context.error().message();
        }
    }

    ClientConfig config;
    std::shared_ptr<asio::ssl::context> tls;
    std::string setupError;
};

namespace {

core::Error transportError(const beast::error_code& ec, const std::string& what) {
    const auto code =
        ec == beast::error::timeout ? core::ErrorCode::Timeout : core::ErrorCode::Network;
    return core::Error(code, ec.message()).wrap(what);
}

/// Runs the queued operations of `context` and returns the error the last one reported.
template <typename Start>
beast::error_code runOne(asio::io_context& context, Start&& start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    context.run();
    context.restart();
    return result;
}

/// Writes `request` and reads the response on an established stream.
template <typename Stream>
core::Result<RestResponse> exchange(asio::io_context& context, Stream& stream,
                                    const http::request<http::empty_body>& request,
                                    const RequestOptions& options, const std::string& where) {
    if (auto ec = runOne(
            context, [&](auto handler) { http::async_write(stream, request, std::move(handler)); });
        ec) {
        return transportError(ec, "sending to " + where);
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{options.maxBodyBytes});
    // Header first, then body: Beast 1.74 drops the body limit's error when an eager read finds
    // a too-large Content-Length together with the body it announces (boostorg/beast#2183).
    auto ec = runOne(context, [&](auto handler) {
        http::async_read_header(stream, buffer, parser, std::move(handler));
    });
    if (!ec && !parser.is_done()) {
        ec = runOne(context, [&](auto handler) {
            http::async_read(stream, buffer, parser, std::move(handler));
        });
    }
    if (ec) {
        return transportError(ec, "reading from " + where);
    }
    const auto& response = parser.get();
    return RestResponse{static_cast<int>(response.result_int()),
                        std::string(response[http::field::content_type]), response.body()};
}

}  // namespace

RestClient::RestClient(ClientConfig config) : m_impl(std::make_shared<Impl>(std::move(config))) {}
RestClient::~RestClient() = default;
RestClient::RestClient(const RestClient&) = default;
RestClient& RestClient::operator=(const RestClient&) = default;

const ServerUrl& RestClient::server() const {
    return m_impl->config.server;
}

core::Result<RestResponse> RestClient::get(const std::string& path,
                                           const RequestOptions& options) const {
    const auto& config = m_impl->config;
    const std::string where = config.server.toString() + path;
    if (!m_impl->setupError.empty()) {
        return core::Error(core::ErrorCode::BadRequest, m_impl->setupError);
    }
    try {
        asio::io_context context;
        tcp::resolver resolver(context);
        beast::error_code ec;
        const auto endpoints =
            resolver.resolve(config.server.host, std::to_string(config.server.port), ec);
        if (ec) {
            return transportError(ec, "resolving " + where);
        }

        http::request<http::empty_body> request(http::verb::get, path, 11);
        request.set(http::field::host, config.server.host);
        request.set(http::field::user_agent, "slipway");
        request.set(http::field::accept, "application/json, */*");
        if (!config.bearerToken.empty()) {
            request.set(http::field::authorization, "Bearer " + config.bearerToken);
        }

        // One deadline for the whole exchange: connect, handshake, write and read.
        beast::tcp_stream plain(context);
        plain.expires_after(options.timeout);
        if (config.server.scheme == "http") {
            if (auto failed = runOne(
                    context,
                    [&](auto handler) { plain.async_connect(endpoints, std::move(handler)); });
                failed) {
                return transportError(failed, "connecting to " + where);
            }
            return exchange(context, plain, request, options, where);
        }

        beast::ssl_stream<beast::tcp_stream> secure(std::move(plain), *m_impl->tls);
        // Verify the certificate names the host we dialled.
        detail::expectPeerName(secure.native_handle(), config.server.host);
        if (auto failed = runOne(context,
                                 [&](auto handler) {
                                     beast::get_lowest_layer(secure).async_connect(
                                         endpoints, std::move(handler));
                                 });
            failed) {
            return transportError(failed, "connecting to " + where);
        }
        if (auto failed = runOne(context,
                                 [&](auto handler) {
                                     secure.async_handshake(asio::ssl::stream_base::client,
                                                            std::move(handler));
                                 });
            failed) {
            return transportError(failed, "TLS handshake with " + where);
        }
        return exchange(context, secure, request, options, where);
    } catch (const boost::system::system_error& e) {
        return core::Error(core::ErrorCode::Network, e.what()).wrap(where);
    }
}

}  // namespace slipway::client
