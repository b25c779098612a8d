// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/registry_client.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include "engine/agent/images/sha256.h"

namespace slipway::agent::images {
namespace {

/// A registry on this machine's loopback (localhost, 127.0.0.0/8, [::1], any port): reached
/// over plain HTTP, as Docker treats such registries as insecure by default.
bool isLoopbackRegistry(const std::string& registry) {
    std::string host = registry;
    if (host.starts_with("[")) {
        host = host.substr(1, host.find(']') - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
        host = host.substr(0, colon);
    }
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using json = nlohmann::json;

constexpr std::string_view kManifestAccept =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::size_t kMaxManifestBytes = 4 << 20;

core::Error error(core::ErrorCode code, std::string message) {
    return core::Error(code, std::move(message));
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string base64(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(std::max(n, 0)));
    return out;
}

std::optional<std::string> unbase64(std::string_view in) {
    std::string clean;
    for (char c : in) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            clean += c;
        }
    }
    if (clean.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(clean.size() / 4 * 3 + 1, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0) {
        return std::nullopt;
    }
    std::size_t size = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (auto it = clean.rbegin(); it != clean.rend() && *it == '=' && size > 0; ++it) {
        --size;
    }
    out.resize(size);
    return out;
}

std::string urlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

struct Url {
    bool tls = true;
    std::string host;
    std::string port;
    std::string target = "/";

    std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

std::optional<Url> parseUrl(std::string_view text) {
    Url url;
    if (text.starts_with("https://")) {
        text.remove_prefix(8);
    } else if (text.starts_with("http://")) {
        url.tls = false;
        text.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    const auto slash = text.find('/');
    std::string_view authority = text.substr(0, slash);
    url.target = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        url.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (authority.starts_with(':')) {
            url.port = std::string(authority.substr(1));
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            url.port = std::string(authority.substr(colon + 1));
        }
    }
    if (url.port.empty()) {
        url.port = url.tls ? "443" : "80";
    }
    return url.host.empty() ? std::nullopt : std::optional<Url>(url);
}

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names
    std::string body;                            // unless streamed to a file
    std::uint64_t streamed = 0;                  // bytes written to the file

    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Where a successful (200/206) response body goes instead of memory.
struct FileSink {
    fs::path path;
    std::function<void(std::uint64_t)> onBytes;  // total streamed so far
};

std::shared_ptr<ssl::context> makeTlsContext() {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

// One HTTP/1.1 exchange on a fresh connection, every step bounded by `timeout` of silence.
class HttpExchange {
public:
    HttpExchange(std::chrono::milliseconds timeout, std::string userAgent,
                 std::shared_ptr<ssl::context> tls)
        : m_timeout(timeout), m_userAgent(std::move(userAgent)), m_tls(std::move(tls)) {}

    core::Result<HttpResponse> run(const Url& url, http::verb verb,
                                   const std::map<std::string, std::string>& headers,
                                   std::size_t maxBody, const FileSink* sink) {
        try {
            net::io_context ioc;
            tcp::resolver resolver(ioc);
            beast::error_code ec;
            const auto endpoints = resolver.resolve(url.host, url.port, ec);
            if (ec) {
                return error(core::ErrorCode::Network,
                             "resolving " + url.host + ": " + ec.message());
            }
            beast::tcp_stream tcpStream(ioc);
            tcpStream.expires_after(m_timeout);
            tcpStream.connect(endpoints, ec);
            if (ec) {
                return error(ec == beast::error::timeout ? core::ErrorCode::Timeout
                                                         : core::ErrorCode::Network,
                             "connecting to " + url.host + ":" + url.port + ": " + ec.message());
            }
            if (!url.tls) {
                return exchange(tcpStream, tcpStream, url, verb, headers, maxBody, sink);
            }
            beast::ssl_stream<beast::tcp_stream> tlsStream(std::move(tcpStream), *m_tls);
            SSL* handle = tlsStream.native_handle();
            // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
            SSL_ctrl(handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(url.host.c_str()));
            boost::system::error_code addrEc;
            net::ip::make_address(url.host, addrEc);
            if (addrEc) {
                SSL_set1_host(handle, url.host.c_str());
            } else {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), url.host.c_str());
            }
            tlsStream.handshake(ssl::stream_base::client, ec);
            if (ec) {
                return error(core::ErrorCode::Network,
                             "TLS handshake with " + url.host + ": " + ec.message());
            }
            return exchange(tlsStream, beast::get_lowest_layer(tlsStream), url, verb, headers,
                            maxBody, sink);
        } catch (const std::exception& e) {
            return error(core::ErrorCode::Network, std::string("HTTP: ") + e.what());
        }
    }

private:
    template <typename Stream>
    core::Result<HttpResponse> exchange(Stream& stream, beast::tcp_stream& lowest, const Url& url,
                                        http::verb verb,
                                        const std::map<std::string, std::string>& headers,
                                        std::size_t maxBody, const FileSink* sink) {
        http::request<http::empty_body> req{verb, url.target, 11};
        const bool defaultPort = (url.tls && url.port == "443") || (!url.tls && url.port == "80");
        req.set(http::field::host, defaultPort ? url.host : url.host + ":" + url.port);
        req.set(http::field::user_agent, m_userAgent);
        req.set(http::field::connection, "close");
        for (const auto& [name, value] : headers) {
            req.set(name, value);
        }
        beast::error_code ec;
        lowest.expires_after(m_timeout);
        http::write(stream, req, ec);
        if (ec) {
            return error(core::ErrorCode::Network, "sending to " + url.host + ": " + ec.message());
        }
        beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        // Our own limit applies below; boost::none would compare as smaller than every length
        // in Beast 1.74's check.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        parser.header_limit(64 * 1024);
        lowest.expires_after(m_timeout);
        http::read_header(stream, buffer, parser, ec);
        if (ec) {
            return error(
                ec == beast::error::timeout ? core::ErrorCode::Timeout : core::ErrorCode::Network,
                "reading from " + url.host + ": " + ec.message());
        }
        HttpResponse response;
        response.status = static_cast<int>(parser.get().result_int());
        for (const auto& field : parser.get()) {
            const auto name = field.name_string();
            const auto value = field.value();
            response.headers[lower(std::string_view(name.data(), name.size()))] =
                std::string(value.data(), value.size());
        }
        const bool toFile = sink != nullptr && (response.status == 200 || response.status == 206);
        int fd = -1;
        if (toFile) {
            const int flags =
                O_WRONLY | O_CREAT | O_CLOEXEC | (response.status == 206 ? O_APPEND : O_TRUNC);
            fd = ::open(sink->path.c_str(), flags, 0600);
            if (fd < 0) {
                return error(core::ErrorCode::Io,
                             "opening " + sink->path.string() + ": " + std::strerror(errno));
            }
        }
        struct Closer {
            int fd;
            ~Closer() {
                if (fd >= 0) {
                    ::close(fd);
                }
            }
        } closer{fd};
        std::array<char, 1 << 16> chunk{};
        while (!parser.is_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            lowest.expires_after(m_timeout);
            http::read(stream, buffer, parser, ec);
            if (ec == http::error::need_buffer) {
                ec = {};
            }
            if (ec && ec != http::error::end_of_stream) {
                return error(ec == beast::error::timeout ? core::ErrorCode::Timeout
                                                         : core::ErrorCode::Network,
                             "reading from " + url.host + ": " + ec.message());
            }
            const std::size_t got = chunk.size() - parser.get().body().size;
            if (got > 0) {
                if (toFile) {
                    std::size_t written = 0;
                    while (written < got) {
                        const ssize_t n = ::write(fd, chunk.data() + written, got - written);
                        if (n < 0 && errno == EINTR) {
                            continue;
                        }
                        if (n < 0) {
                            return error(core::ErrorCode::Io, "writing " + sink->path.string() +
                                                                  ": " + std::strerror(errno));
                        }
                        written += static_cast<std::size_t>(n);
                    }
                    response.streamed += got;
                    if (sink->onBytes) {
                        sink->onBytes(response.streamed);
                    }
                } else {
                    if (response.body.size() + got > maxBody) {
                        return error(core::ErrorCode::RequestTooLarge,
                                     "answer from " + url.host + " is larger than " +
                                         std::to_string(maxBody) + " bytes");
                    }
                    response.body.append(chunk.data(), got);
                }
            }
            if (ec == http::error::end_of_stream) {
                break;
            }
        }
        if (toFile && ::fsync(fd) != 0) {
            return error(core::ErrorCode::Io, "syncing " + sink->path.string());
        }
        return response;
    }

    std::chrono::milliseconds m_timeout;
    std::string m_userAgent;
    std::shared_ptr<ssl::context> m_tls;
};

std::string describeRegistryError(const HttpResponse& response) {
    json doc = json::parse(response.body, nullptr, false);
    if (!doc.is_discarded() && doc.contains("errors") && doc["errors"].is_array() &&
        !doc["errors"].empty()) {
        const json& first = doc["errors"][0];
        return first.value("code", "") + ": " + first.value("message", "");
    }
    return "HTTP " + std::to_string(response.status);
}

core::ErrorCode codeForStatus(int status) {
    switch (status) {
        case 401:
            return core::ErrorCode::Unauthorized;
        case 403:
            return core::ErrorCode::Forbidden;
        case 404:
            return core::ErrorCode::NotFound;
        case 429:
            return core::ErrorCode::TooManyRequests;
        default:
            return status >= 500 ? core::ErrorCode::Unavailable : core::ErrorCode::BadRequest;
    }
}

}  // namespace

namespace detail {

AuthChallenge parseAuthChallenge(std::string_view header) {
    AuthChallenge challenge;
    std::size_t i = 0;
    while (i < header.size() && header[i] == ' ') {
        ++i;
    }
    const auto space = header.find(' ', i);
    challenge.scheme = std::string(header.substr(i, space - i));
    if (space == std::string_view::npos) {
        return challenge;
    }
    i = space + 1;
    while (i < header.size()) {
        while (i < header.size() && (header[i] == ' ' || header[i] == ',')) {
            ++i;
        }
        const auto eq = header.find('=', i);
        if (eq == std::string_view::npos) {
            break;
        }
        std::string key = lower(header.substr(i, eq - i));
        i = eq + 1;
        std::string value;
        if (i < header.size() && header[i] == '"') {
            ++i;
            while (i < header.size() && header[i] != '"') {
                if (header[i] == '\\' && i + 1 < header.size()) {
                    ++i;
                }
                value += header[i++];
            }
            ++i;  // closing quote
        } else {
            while (i < header.size() && header[i] != ',') {
                value += header[i++];
            }
        }
        challenge.params[key] = value;
    }
    return challenge;
}

std::string credentialHost(std::string_view key) {
    std::string_view host = key;
    if (const auto scheme = host.find("://"); scheme != std::string_view::npos) {
        host.remove_prefix(scheme + 3);
    }
    host = host.substr(0, host.find('/'));
    std::string out = lower(host);
    if (out == "index.docker.io" || out == "registry-1.docker.io" ||
        out == "registry.hub.docker.com") {
        return "docker.io";
    }
    return out;
}

}  // namespace detail

core::Result<RegistryCredentialMap> parseDockerConfigJson(std::string_view text) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return error(core::ErrorCode::Invalid, "dockerconfigjson is not a JSON object");
    }
    // A legacy .dockercfg has the auths at the top level.
    const json auths = doc.contains("auths") ? doc["auths"] : doc;
    if (!auths.is_object()) {
        return error(core::ErrorCode::Invalid, "dockerconfigjson: auths is not an object");
    }
    RegistryCredentialMap out;
    for (const auto& [key, entry] : auths.items()) {
        if (!entry.is_object()) {
            continue;
        }
        RegistryCredentials creds;
        creds.username = entry.value("username", "");
        creds.password = entry.value("password", "");
        creds.identityToken = entry.value("identitytoken", "");
        if (const std::string auth = entry.value("auth", ""); !auth.empty()) {
            auto decoded = unbase64(auth);
            const auto colon = decoded ? decoded->find(':') : std::string::npos;
            if (!decoded || colon == std::string::npos) {
                return error(core::ErrorCode::Invalid,
                             "dockerconfigjson: the auth of \"" + key + "\" is not user:password");
            }
            creds.username = decoded->substr(0, colon);
            creds.password = decoded->substr(colon + 1);
        }
        out[detail::credentialHost(key)] = std::move(creds);
    }
    return out;
}

struct RegistryClient::Impl {
    ImageStore& store;
    RegistryOptions options;
    std::shared_ptr<ssl::context> tls = makeTlsContext();

    // The conversation with one repository: its base URL, credentials and current token.
    struct Session {
        Impl& impl;
        Url base;
        std::string registry;
        std::string repository;
        std::optional<RegistryCredentials> credentials;
        std::mutex mutex;
        std::string authorization;  // "Bearer …" / "Basic …" once a challenge was answered

        core::Result<HttpResponse> get(const std::string& path,
                                       std::map<std::string, std::string> headers,
                                       std::size_t maxBody, const FileSink* sink) {
            Url url = base;
            url.target = path;
            bool answered = false;
            for (int hop = 0; hop < 6; ++hop) {
                auto sent = headers;
                const bool sameOrigin = url.origin() == base.origin();
                {
                    std::lock_guard lock(mutex);
                    if (sameOrigin && !authorization.empty()) {
                        sent["Authorization"] = authorization;
                    }
                }
                HttpExchange exchange(impl.options.timeout, impl.options.userAgent, impl.tls);
                auto response = exchange.run(url, http::verb::get, sent, maxBody, sink);
                if (!response) {
                    return response;
                }
                const int status = response->status;
                if (status == 401 && sameOrigin && !answered) {
                    answered = true;
                    if (auto authed = answer(response->header("www-authenticate")); !authed) {
                        return authed.error();
                    }
                    continue;
                }
                if (status == 301 || status == 302 || status == 303 || status == 307 ||
                    status == 308) {
                    const std::string location = response->header("location");
                    if (location.starts_with("/")) {
                        url.target = location;
                    } else if (auto next = parseUrl(location)) {
                        url = *next;
                    } else {
                        return error(core::ErrorCode::Network,
                                     "registry redirected to \"" + location + "\"");
                    }
                    continue;
                }
                return response;
            }
            return error(core::ErrorCode::Network, "too many redirects from " + base.host);
        }

        // Answers a WWW-Authenticate challenge: a token from the realm, or Basic credentials.
        core::Result<void> answer(const std::string& header) {
            const auto challenge = detail::parseAuthChallenge(header);
            const std::string scheme = lower(challenge.scheme);
            if (scheme == "basic") {
                if (!credentials) {
                    return error(core::ErrorCode::Unauthorized,
                                 "registry " + registry + " wants credentials and none were given");
                }
                std::lock_guard lock(mutex);
                authorization =
                    "Basic " + base64(credentials->username + ":" + credentials->password);
                return core::success();
            }
            if (scheme != "bearer") {
                return error(core::ErrorCode::Unauthorized,
                             "registry " + registry + " asks for unsupported authentication \"" +
                                 challenge.scheme + "\"");
            }
            const auto realmIt = challenge.params.find("realm");
            auto realm =
                realmIt == challenge.params.end() ? std::nullopt : parseUrl(realmIt->second);
            if (!realm) {
                return error(core::ErrorCode::Unauthorized,
                             "registry " + registry + " sent a Bearer challenge without a realm");
            }
            std::string query;
            if (const auto service = challenge.params.find("service");
                service != challenge.params.end()) {
                query += "service=" + urlEncode(service->second);
            }
            const auto scopeIt = challenge.params.find("scope");
            const std::string scope = scopeIt != challenge.params.end()
                                          ? scopeIt->second
                                          : "repository:" + repository + ":pull";
            query += std::string(query.empty() ? "" : "&") + "scope=" + urlEncode(scope);
            realm->target += (realm->target.find('?') == std::string::npos ? "?" : "&") + query;
            std::map<std::string, std::string> headers;
            if (credentials) {
                headers["Authorization"] =
                    "Basic " + base64(credentials->username + ":" + credentials->password);
            }
            HttpExchange exchange(impl.options.timeout, impl.options.userAgent, impl.tls);
            auto response = exchange.run(*realm, http::verb::get, headers, 1 << 20, nullptr);
            if (!response) {
                return response.error().wrap("fetching a token from " + realm->host);
            }
            if (response->status != 200) {
                return error(response->status == 401 || response->status == 403
                                 ? core::ErrorCode::Unauthorized
                                 : codeForStatus(response->status),
                             "token server " + realm->host +
                                 " refused: " + describeRegistryError(*response));
            }
            json doc = json::parse(response->body, nullptr, false);
            std::string token;
            if (!doc.is_discarded() && doc.is_object()) {
                token = doc.value("token", "");
                if (token.empty()) {
                    token = doc.value("access_token", "");
                }
            }
            if (token.empty()) {
                return error(core::ErrorCode::Unauthorized,
                             "token server " + realm->host + " sent no token");
            }
            std::lock_guard lock(mutex);
            authorization = "Bearer " + token;
            return core::success();
        }
    };

    core::Result<std::pair<std::string, std::string>> fetchManifest(Session& session,
                                                                    const std::string& ref) {
        auto response =
            session.get("/v2/" + session.repository + "/manifests/" + ref,
                        {{"Accept", std::string(kManifestAccept)}}, kMaxManifestBytes, nullptr);
        if (!response) {
            return response.error();
        }
        if (response->status != 200) {
            return error(codeForStatus(response->status),
                         "pulling " + session.registry + "/" + session.repository + ":" + ref +
                             ": " + describeRegistryError(*response));
        }
        const std::string digest = detail::sha256Digest(response->body);
        if (isSha256Digest(ref) && digest != ref) {
            return error(core::ErrorCode::Invalid,
                         "manifest " + ref + " from the registry has digest " + digest);
        }
        return std::pair{digest, std::move(response->body)};
    }

    core::Result<void> storeText(const std::string& digest, const std::string& content) {
        if (store.hasBlob(digest)) {
            return core::success();
        }
        const fs::path file = store.stagingDirectory() / (detail::digestHex(digest) + ".new");
        {
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            out << content;
            if (!out) {
                return error(core::ErrorCode::Io, "writing " + file.string());
            }
        }
        return store.addBlob(digest, file);
    }

    core::Result<void> downloadBlob(Session& session, const std::string& digest, std::uint64_t size,
                                    const std::function<void(std::uint64_t)>& onBytes) {
        if (store.hasBlob(digest)) {
            onBytes(size);
            return core::success();
        }
        const fs::path partial =
            store.stagingDirectory() / (detail::digestHex(digest) + ".partial");
        core::Error last(core::ErrorCode::Network, "no attempt made");
        for (int attempt = 0; attempt < std::max(1, options.attempts); ++attempt) {
            std::error_code ec;
            const std::uint64_t offset = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
            std::map<std::string, std::string> headers;
            if (offset > 0) {
                headers["Range"] = "bytes=" + std::to_string(offset) + "-";
            }
            std::uint64_t base = offset;
            FileSink sink{partial, [&](std::uint64_t streamed) { onBytes(base + streamed); }};
            auto response = session.get("/v2/" + session.repository + "/blobs/" + digest, headers,
                                        1 << 20, &sink);
            if (!response) {
                last = response.error();  // the next attempt resumes from what arrived
                continue;
            }
            if (response->status == 200) {
                base = 0;  // the registry ignored the Range: the file was rewritten
            } else if (response->status == 416) {
                fs::remove(partial, ec);
                last = error(core::ErrorCode::Network, "registry refused to resume " + digest);
                continue;
            } else if (response->status != 206) {
                return error(codeForStatus(response->status),
                             "downloading " + digest + ": " + describeRegistryError(*response));
            }
            if (size > 0 && fs::file_size(partial, ec) < size) {
                last = error(core::ErrorCode::Network, "download of " + digest + " ended early");
                continue;
            }
            auto added = store.addBlob(digest, partial);
            if (added) {
                return core::success();
            }
            last = added.error();  // corrupt: addBlob deleted it, the next attempt starts over
        }
        return last;
    }

    core::Result<Image> pull(std::string_view text, const RegistryCredentialMap& credentials,
                             const PullProgressCallback& progress) {
        auto ref = parseReference(text);
        if (!ref) {
            return ref.error();
        }
        std::mutex progressMutex;
        PullProgress state;
        auto report = [&](const PullProgress& p) {
            if (progress) {
                std::lock_guard lock(progressMutex);
                progress(p);
            }
        };
        report(state);

        const std::string host =
            ref->registry == "docker.io" ? "registry-1.docker.io" : ref->registry;
        const bool insecure =
            options.insecureRegistries.contains(ref->registry) || isLoopbackRegistry(ref->registry);
        auto base = parseUrl((insecure ? "http://" : "https://") + host);
        if (!base) {
            return error(core::ErrorCode::Invalid, "bad registry \"" + ref->registry + "\"");
        }
        Session session{*this, *base, ref->registry, ref->repository, std::nullopt, {}, {}};
        if (const auto it = credentials.find(ref->registry); it != credentials.end()) {
            session.credentials = it->second;
        }

        auto manifest = fetchManifest(session, ref->digest.empty() ? ref->tag : ref->digest);
        if (!manifest) {
            return manifest.error();
        }
        // The digest the reference resolved to first: an index's, or the image manifest's.
        const std::string topDigest = manifest->first;
        json doc = json::parse(manifest->second, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            return error(core::ErrorCode::Invalid, "the registry's manifest is not JSON");
        }
        if (doc.contains("manifests")) {
            std::string chosen;
            for (const auto& m : doc["manifests"]) {
                const json platform = m.value("platform", json::object());
                if (platform.value("os", "") == options.os &&
                    platform.value("architecture", "") == options.architecture) {
                    chosen = m.value("digest", "");
                    break;
                }
            }
            if (!isSha256Digest(chosen)) {
                return error(core::ErrorCode::NotFound, "no matching manifest for " + options.os +
                                                            "/" + options.architecture +
                                                            " in the manifest list entries");
            }
            if (auto stored = storeText(manifest->first, manifest->second); !stored) {
                return stored.error();
            }
            manifest = fetchManifest(session, chosen);
            if (!manifest) {
                return manifest.error();
            }
            doc = json::parse(manifest->second, nullptr, false);
            if (doc.is_discarded() || !doc.is_object()) {
                return error(core::ErrorCode::Invalid, "the registry's manifest is not JSON");
            }
        }
        if (doc.value("schemaVersion", 0) != 2 || !doc.contains("config")) {
            return error(core::ErrorCode::Invalid,
                         "unsupported manifest (schema 1 or not an image) for " + ref->str());
        }

        const std::string configDigest = doc["config"].value("digest", "");
        if (!isSha256Digest(configDigest)) {
            return error(core::ErrorCode::Invalid, "manifest has no config digest");
        }
        if (auto fetched =
                downloadBlob(session, configDigest, doc["config"].value("size", std::uint64_t{0}),
                             [](std::uint64_t) {});
            !fetched) {
            return fetched.error();
        }

        struct Layer {
            std::string digest;
            std::uint64_t size;
        };
        std::vector<Layer> layers;
        for (const auto& l : doc.value("layers", json::array())) {
            layers.push_back({l.value("digest", ""), l.value("size", std::uint64_t{0})});
            if (!isSha256Digest(layers.back().digest)) {
                return error(core::ErrorCode::Invalid, "manifest has a layer with a bad digest");
            }
            state.imageBytesTotal += layers.back().size;
        }
        std::vector<std::uint64_t> done(layers.size(), 0);
        std::atomic<std::size_t> next{0};
        std::mutex errorMutex;
        std::optional<core::Error> failure;
        auto worker = [&] {
            for (;;) {
                const std::size_t i = next++;
                if (i >= layers.size()) {
                    return;
                }
                {
                    std::lock_guard lock(errorMutex);
                    if (failure) {
                        return;
                    }
                }
                const Layer& layer = layers[i];
                auto onBytes = [&, i](std::uint64_t bytes) {
                    PullProgress p;
                    {
                        std::lock_guard lock(errorMutex);
                        done[i] = bytes;
                        p.imageBytesDone = 0;
                        for (auto d : done) {
                            p.imageBytesDone += d;
                        }
                    }
                    p.phase = PullProgress::Phase::Downloading;
                    p.digest = layer.digest;
                    p.bytesDone = bytes;
                    p.bytesTotal = layer.size;
                    p.imageBytesTotal = state.imageBytesTotal;
                    report(p);
                };
                auto fetched = downloadBlob(session, layer.digest, layer.size, onBytes);
                if (!fetched) {
                    std::lock_guard lock(errorMutex);
                    if (!failure) {
                        failure = fetched.error();
                    }
                    return;
                }
                PullProgress p;
                p.phase = PullProgress::Phase::Downloaded;
                p.digest = layer.digest;
                p.bytesDone = p.bytesTotal = layer.size;
                p.imageBytesTotal = state.imageBytesTotal;
                report(p);
            }
        };
        std::vector<std::thread> workers;
        const auto count = std::min<std::size_t>(
            layers.size(), static_cast<std::size_t>(std::max(1, options.parallelDownloads)));
        for (std::size_t i = 0; i < count; ++i) {
            workers.emplace_back(worker);
        }
        for (auto& w : workers) {
            w.join();
        }
        if (failure) {
            return *failure;
        }
        if (auto stored = storeText(manifest->first, manifest->second); !stored) {
            return stored.error();
        }
        const std::string name = (ref->tag.empty() ? ref->name() : ref->tagged()) + "@" + topDigest;
        auto image = store.addImage(name, manifest->first);
        if (!image) {
            return image.error();
        }
        PullProgress finished;
        finished.phase = PullProgress::Phase::Done;
        finished.imageBytesDone = finished.imageBytesTotal = state.imageBytesTotal;
        report(finished);
        return image;
    }
};

RegistryClient::RegistryClient(ImageStore& store, RegistryOptions options)
    : m_impl(std::make_unique<Impl>(Impl{store, std::move(options), makeTlsContext()})) {}

RegistryClient::~RegistryClient() = default;

core::Result<Image> RegistryClient::pull(std::string_view reference,
                                         const RegistryCredentialMap& credentials,
                                         const PullProgressCallback& progress) {
    return m_impl->pull(reference, credentials, progress);
}

}  // namespace slipway::agent::images
