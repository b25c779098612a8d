// SPDX-License-Identifier: Apache-2.0
// The kubelet's HTTP prober: GET with kube-probe's headers, no keep-alive, TLS without
// verification, same-host redirects followed (at most 10), the body read up to a limit; the
// failure messages are Go's net/http ones, as kubectl describe shows them.
#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/probes/probe_internal.h"

namespace slipway::agent::probes::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr const char* kAwaitingHeaders =
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
constexpr const char* kReadingBody =
    "context deadline exceeded (Client.Timeout or context cancellation while reading body)";

struct Url {
    std::string scheme;  // "http" or "https"
    std::string host;    // without brackets
    int port = 0;
    std::string path;  // with query

    std::string str() const { return scheme + "://" + joinHostPort(host, port) + path; }
};

int defaultPort(const std::string& scheme) {
    return scheme == "https" ? 443 : 80;
}

/// Resolves a Location header against the URL it came from (RFC 3986 forms a server sends:
/// absolute, scheme-relative, absolute path, relative path).
std::optional<Url> resolveLocation(const Url& base, std::string location) {
    Url next = base;
    auto lower = [](std::string text) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    };
    std::string rest;
    if (const auto colon = location.find("://");
        colon != std::string::npos && location.find('/') > colon) {
        next.scheme = lower(location.substr(0, colon));
        rest = location.substr(colon + 3);
    } else if (location.rfind("//", 0) == 0) {
        rest = location.substr(2);
    } else {
        if (location.empty() || location.front() != '/') {
            const auto slash = base.path.rfind('/', base.path.find('?'));
            location = base.path.substr(0, slash == std::string::npos ? 0 : slash + 1) + location;
        }
        next.path = location;
        return next;
    }
    if (next.scheme != "http" && next.scheme != "https") {
        return std::nullopt;
    }
    const auto pathStart = rest.find_first_of("/?");
    std::string authority = rest.substr(0, pathStart);
    next.path = pathStart == std::string::npos ? "/" : rest.substr(pathStart);
    if (next.path.front() == '?') {
        next.path.insert(next.path.begin(), '/');
    }
    next.port = defaultPort(next.scheme);
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) {
            return std::nullopt;
        }
        next.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            next.port = std::atoi(authority.c_str() + close + 2);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
        next.host = authority.substr(0, colon);
        next.port = std::atoi(authority.c_str() + colon + 1);
    } else {
        next.host = authority;
    }
    if (next.host.empty() || next.port <= 0 || next.port > 65535) {
        return std::nullopt;
    }
    return next;
}

bool isIpLiteral(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

/// What one request/response exchange gave.
struct Exchange {
    int status = 0;
    std::string location;
    std::string body;
    std::string error;  // Go's text, without the `Get "url": ` prefix
};

template <typename Stream>
asio::awaitable<void> talk(Stream& stream, http::request<http::empty_body>& request,
                           std::size_t bodyLimit, Exchange& out, bool& headersDone) {
    boost::system::error_code ec;
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        out.error = ec == beast::error::timeout ? kAwaitingHeaders : ec.message();
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        if (ec == beast::error::timeout) {
            out.error = kAwaitingHeaders;
        } else if (ec == http::error::end_of_stream || ec == asio::error::eof) {
            out.error = "EOF";
        } else {
            out.error = ec.message();
        }
        co_return;
    }
    headersDone = true;
    out.status = static_cast<int>(parser.get().result_int());
    if (auto it = parser.get().find(http::field::location); it != parser.get().end()) {
        out.location = std::string(it->value());
    }
    // Read the body up to the limit; the rest is ignored, as the kubelet does (a "non-fatal
    // body truncation").
    while (!parser.is_done() && parser.get().body().size() < bodyLimit) {
        co_await http::async_read_some(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            break;
        }
    }
    out.body = std::move(parser.get().body());
    if (out.body.size() > bodyLimit) {
        out.body.resize(bodyLimit);
    }
    if (ec && ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != asio::ssl::error::stream_truncated) {
        out.error = ec == beast::error::timeout ? kReadingBody : ec.message();
    }
}

Exchange exchange(int fd, const Url& url, const HttpProbeRequest& probe,
                  const ProberOptions& options, Clock::time_point deadline, bool& bodyTimeout) {
    Exchange out;
    asio::io_context io;
    int domain = AF_INET;
    socklen_t length = sizeof(domain);
    ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length);
    beast::tcp_stream tcp(io);
    boost::system::error_code ec;
    tcp.socket().assign(domain == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
    if (ec) {
        ::close(fd);
        out.error = ec.message();
        return out;
    }

    http::request<http::empty_body> request{http::verb::get, url.path, 11};
    bool hasUserAgent = false;
    bool hasAccept = false;
    bool hasHost = false;
    for (const auto& [name, value] : probe.headers) {
        if (beast::iequals(name, "User-Agent")) {
            hasUserAgent = true;
        } else if (beast::iequals(name, "Accept")) {
            hasAccept = true;
        } else if (beast::iequals(name, "Host")) {
            hasHost = true;
        }
        request.insert(name, value);
    }
    if (!hasHost) {
        // The URL's host and port, as Go's client sends it (the kubelet always names the port).
        request.set(http::field::host, joinHostPort(url.host, url.port));
    }
    if (!hasUserAgent) {
        request.set(http::field::user_agent, options.userAgent);
    }
    if (!hasAccept) {
        request.set(http::field::accept, "*/*");
    }
    request.set(http::field::connection, "close");

    bool headersDone = false;
    const auto left = deadline - Clock::now();
    tcp.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
    if (url.scheme == "https") {
        asio::ssl::context context(asio::ssl::context::tls_client);
        context.set_verify_mode(asio::ssl::verify_none);
        beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp), context);
        if (!isIpLiteral(url.host)) {
            // SSL_set_tlsext_host_name without its C cast.
            SSL_ctrl(tls.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(url.host.c_str()));
        }
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                boost::system::error_code hec;
                co_await tls.async_handshake(asio::ssl::stream_base::client,
                                             asio::redirect_error(asio::use_awaitable, hec));
                if (hec) {
                    out.error = hec == beast::error::timeout ? kAwaitingHeaders : hec.message();
                    co_return;
                }
                co_await talk(tls, request, options.maxBodyBytes, out, headersDone);
            },
            asio::detached);
        io.run();
    } else {
        asio::co_spawn(io, talk(tcp, request, options.maxBodyBytes, out, headersDone),
                       asio::detached);
        io.run();
    }
    bodyTimeout = headersDone && out.error == kReadingBody;
    return out;
}

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

ProbeOutcome runHttpProbe(const HttpProbeRequest& probe, const std::string& netnsPath,
                          const ProberOptions& options) {
    const auto deadline = Clock::now() + probe.timeout;
    Url url{probe.scheme, probe.host, probe.port, probe.path};
    const std::string firstHost = url.host;
    int redirects = 0;
    for (;;) {
        const std::string prefix = "Get \"" + url.str() + "\": ";
        auto dialed = dial(netnsPath, url.host, url.port, deadline);
        if (dialed.fd < 0) {
            return {ProbeResult::Failure,
                    prefix + (dialed.timedOut ? kAwaitingHeaders : dialed.error)};
        }
        bool bodyTimeout = false;
        Exchange answer = exchange(dialed.fd, url, probe, options, deadline, bodyTimeout);
        if (!answer.error.empty()) {
            // A timeout while reading the body is the kubelet's "probe errored" case: the
            // message is the read error without the request prefix.
            return {ProbeResult::Failure, bodyTimeout ? answer.error : prefix + answer.error};
        }
        if (isRedirect(answer.status) && !answer.location.empty()) {
            auto next = resolveLocation(url, answer.location);
            if (!next) {
                return {ProbeResult::Failure,
                        prefix + "failed to parse Location header " + answer.location};
            }
            // Redirects to another host are not followed: the 3xx answer itself is the result
            // (a Warning below).
            if (next->host == firstHost) {
                if (++redirects > options.maxRedirects) {
                    return {ProbeResult::Failure, "Get \"" + next->str() + "\": stopped after " +
                                                      std::to_string(options.maxRedirects) +
                                                      " redirects"};
                }
                url = *next;
                continue;
            }
        }
        if (answer.status >= 200 && answer.status < 400) {
            if (answer.status >= 300) {
                return {ProbeResult::Warning,
                        "Probe terminated redirects, Response body: " + answer.body};
            }
            return {ProbeResult::Success, answer.body};
        }
        return {ProbeResult::Failure,
                "HTTP probe failed with statuscode: " + std::to_string(answer.status)};
    }
}

}  // namespace slipway::agent::probes::detail
