// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/node_proxy.h"

#include <algorithm>
#include <optional>
#include <random>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "engine/api/kind_registry.h"
#include "engine/api/status.h"
#include "engine/apiserver/object_codec.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"
#include "engine/store/store.h"

namespace slipway::apiserver {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

namespace {

HttpResponse statusResponse(const core::Error& error, json details = nullptr) {
    return HttpResponse::make(core::httpStatus(error.code()), "application/json",
                              details.is_null() ? api::failureStatus(error).dump()
                                                : api::failureStatus(error, details).dump());
}

/// The raw HTTP/1.1 answer a proxied connection gets when the agent cannot be reached.
std::string rawStatusResponse(const core::Error& error) {
    const std::string body = api::failureStatus(error).dump();
    const int code = core::httpStatus(error.code());
    return "HTTP/1.1 " + std::to_string(code) + " " +
           std::string(core::kubernetesReason(error.code())) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// Percent-encoding of one path segment (object names are DNS labels, but be exact).
std::string escapeSegment(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 15]);
        }
    }
    return out;
}

/// The query without `container` (the kubelet has it in the path); the rest passes through
/// as the client encoded it.
std::string queryWithoutContainer(std::string_view query) {
    std::string out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto item = query.substr(0, amp);
        const auto name = item.substr(0, item.find('='));
        if (!item.empty() && name != "container") {
            if (!out.empty()) {
                out.push_back('&');
            }
            out.append(item);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::vector<std::string> containerNames(const json& spec, const char* field) {
    std::vector<std::string> names;
    if (const auto it = spec.find(field); it != spec.end() && it->is_array()) {
        for (const auto& container : *it) {
            names.push_back(container.value("name", ""));
        }
    }
    return names;
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : " ") + names[i];
    }
    return out + "]";
}

/// "host:port", with brackets around an IPv6 address.
std::string hostPort(const std::string& host, std::uint16_t port) {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
}

/// One proxied connection: the client's side is the takeover socket, the agent's a TCP (TLS)
/// connection. The request head goes to the agent first; from then on bytes are relayed both
/// ways unchanged until both directions have ended (kube's UpgradeAwareHandler after the
/// 101, and for a log the agent's whole response).
template <typename AgentStream>
class Relay : public std::enable_shared_from_this<Relay<AgentStream>> {
public:
    Relay(asio::local::stream_protocol::socket client, AgentStream agent, std::string head,
          std::string dialError, std::string hostPort, core::ErrorCode failCode)
        : m_failCode(failCode),
          m_client(std::move(client)),
          m_agent(std::move(agent)),
          m_head(std::move(head)),
          m_dialError(std::move(dialError)),
          m_hostPort(std::move(hostPort)),
          m_fromClient(16 * 1024),
          m_fromAgent(16 * 1024) {}

    void start(
        tcp::resolver::results_type endpoints, std::chrono::seconds timeout,
        std::function<void(AgentStream&, std::function<void(beast::error_code)>)> handshake) {
        auto self = this->shared_from_this();
        auto& lowest = beast::get_lowest_layer(m_agent);
        lowest.expires_after(timeout);
        lowest.async_connect(endpoints, [self, handshake = std::move(handshake)](
                                            beast::error_code ec, const tcp::endpoint&) {
            if (ec) {
                return self->fail(ec);
            }
            handshake(self->m_agent, [self](beast::error_code handshakeError) {
                if (handshakeError) {
                    return self->fail(handshakeError);
                }
                self->sendHead();
            });
        });
    }

private:
    void fail(beast::error_code ec) {
        // Go's words, as kube-apiserver relays them: "dial tcp 10.0.0.5:10250: connect:
        // connection refused".
        std::string reason = ec.message();
        if (ec == asio::error::connection_refused) {
            reason = "dial tcp " + m_hostPort + ": connect: connection refused";
        } else if (ec == beast::error::timeout) {
            reason = "dial tcp " + m_hostPort + ": i/o timeout";
        } else if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) {
            reason = "dial tcp " + m_hostPort + ": connect: no route to host";
        }
        auto answer = std::make_shared<std::string>(
            rawStatusResponse(core::Error(m_failCode, m_dialError + ": " + reason)));
        asio::async_write(
            m_client, asio::buffer(*answer),
            [self = this->shared_from_this(), answer](beast::error_code, std::size_t) {
                beast::error_code ignored;
                self->m_client.shutdown(asio::socket_base::shutdown_both, ignored);
            });
    }

    void sendHead() {
        beast::get_lowest_layer(m_agent).expires_never();
        asio::async_write(m_agent, asio::buffer(m_head),
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                  return self->fail(ec);
                              }
                              self->readClient();
                              self->readAgent();
                          });
    }

    void readClient() {
        m_client.async_read_some(
            asio::buffer(m_fromClient),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                if (ec) {
                    return self->clientEnded();
                }
                asio::async_write(self->m_agent, asio::buffer(self->m_fromClient.data(), bytes),
                                  [self](beast::error_code error, std::size_t) {
                                      if (error) {
                                          return self->clientEnded();
                                      }
                                      self->readClient();
                                  });
            });
    }

    void readAgent() {
        m_agent.async_read_some(
            asio::buffer(m_fromAgent),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                if (ec) {
                    return self->agentEnded();
                }
                asio::async_write(self->m_client, asio::buffer(self->m_fromAgent.data(), bytes),
                                  [self](beast::error_code error, std::size_t) {
                                      if (error) {
                                          return self->agentEnded();
                                      }
                                      self->readAgent();
                                  });
            });
    }

    void clientEnded() {
        // The client stopped sending (or went away): the agent learns it as end of input on
        // a plain connection; over TLS the connection is closed once the agent is done too.
        m_clientDone = true;
        if constexpr (std::is_same_v<AgentStream, beast::tcp_stream>) {
            beast::error_code ignored;
            m_agent.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
        finishIfDone();
    }

    void agentEnded() {
        m_agentDone = true;
        beast::error_code ignored;
        m_client.shutdown(asio::socket_base::shutdown_send, ignored);
        // Nothing more will come back: stop relaying the client's input as well.
        m_client.cancel(ignored);
        finishIfDone();
    }

    void finishIfDone() {
        if (!m_agentDone || !m_clientDone || m_closed) {
            return;
        }
        m_closed = true;
        beast::error_code ignored;
        beast::get_lowest_layer(m_agent).socket().close(ignored);
        m_client.close(ignored);
    }

    core::ErrorCode m_failCode;
    asio::local::stream_protocol::socket m_client;
    AgentStream m_agent;
    std::string m_head;
    std::string m_dialError;
    std::string m_hostPort;
    std::vector<char> m_fromClient;
    std::vector<char> m_fromAgent;
    bool m_clientDone = false;
    bool m_agentDone = false;
    bool m_closed = false;
};

}  // namespace

core::Result<NodeEndpoint> nodeEndpointFromStatus(const json& node) {
    const std::string name = node.value("/metadata/name"_json_pointer, "");
    // A simulated node's address (198.18.0.0/15) leads nowhere: say so instead of dialling.
    if (node.value("/metadata/labels/type"_json_pointer, "") == "sim") {
        return core::Error(core::ErrorCode::BadRequest,
                           "node " + name +
                               " is simulated (slipwayd --sim-nodes): it runs no containers, so "
                               "it has no logs, exec or port-forward");
    }
    const auto& status = node.contains("status") ? node["status"] : json::object();
    std::string host;
    if (const auto addresses = status.find("addresses");
        addresses != status.end() && addresses->is_array()) {
        for (const auto& address : *addresses) {
            if (address.value("type", "") == "InternalIP") {
                host = address.value("address", "");
                break;
            }
        }
        if (host.empty() && !addresses->empty()) {
            host = addresses->front().value("address", "");
        }
    }
    if (host.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "node " + name + " has no addresses to reach its agent at");
    }
    const auto port = node.value("/status/daemonEndpoints/kubeletEndpoint/Port"_json_pointer, 0);
    if (port <= 0 || port > 65535) {
        return core::Error(core::ErrorCode::BadRequest,
                           "node " + name + " does not publish its agent's port");
    }
    return NodeEndpoint{host, static_cast<std::uint16_t>(port)};
}

struct NodeProxy::Impl {
    Impl(const store::Store& s, const api::KindRegistry& r, NodeProxyOptions o)
        : store(s),
          registry(r),
          options(std::move(o)),
          tlsContext(asio::ssl::context::tls_client),
          insecureTlsContext(asio::ssl::context::tls_client),
          work(asio::make_work_guard(context)) {
        beast::error_code ignored;
        insecureTlsContext.set_verify_mode(asio::ssl::verify_none, ignored);
    }

    ~Impl() {
        work.reset();
        context.stop();
        if (thread.joinable()) {
            thread.join();
        }
    }

    core::Result<void> configureTls() {
        beast::error_code ec;
        tlsContext.set_options(asio::ssl::context::default_workarounds |
                                   asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                                   asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                               ec);
        if (!ec && !options.clientCertificatePem.empty()) {
            tlsContext.use_certificate_chain(asio::buffer(options.clientCertificatePem), ec);
            if (!ec) {
                tlsContext.use_private_key(asio::buffer(options.clientKeyPem),
                                           asio::ssl::context::pem, ec);
            }
        }
        if (!ec && !options.certificateAuthorityPem.empty()) {
            tlsContext.add_certificate_authority(asio::buffer(options.certificateAuthorityPem), ec);
            if (!ec) {
                tlsContext.set_verify_mode(asio::ssl::verify_peer, ec);
            }
        } else if (!ec) {
            tlsContext.set_verify_mode(asio::ssl::verify_none, ec);
        }
        if (ec) {
            return core::Error(core::ErrorCode::BadRequest, ec.message())
                .wrap("node proxy TLS configuration");
        }
        return core::success();
    }

    core::Result<json> object(const char* resource, const std::string& nameSpace,
                              const std::string& name) const {
        const auto type = registry.find("", "v1", resource);
        if (!type) {
            return core::Error(core::ErrorCode::Internal, std::string("no type for ") + resource);
        }
        auto stored = store.get(storageKey(*type, nameSpace, name));
        if (!stored) {
            if (stored.error().code() == core::ErrorCode::NotFound) {
                return core::Error(core::ErrorCode::NotFound,
                                   std::string(resource) + " \"" + name + "\" not found");
            }
            return stored.error();
        }
        return decodeObject(*stored, *type);
    }

    HttpResponse handle(const HttpRequest& request, const RequestInfo& info) {
        const std::string& subresource = info.subresource;
        const bool log = subresource == "log";
        if (log && info.verb != "get") {
            return statusResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                              "the server does not allow this method on the "
                                              "requested resource"));
        }
        if (!log && info.verb != "get" && info.verb != "create") {
            return statusResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                              "the server does not allow this method on the "
                                              "requested resource"));
        }
        auto pod = object("pods", info.nameSpace, info.name);
        if (!pod) {
            if (pod.error().code() == core::ErrorCode::NotFound) {
                return statusResponse(pod.error(), {{"name", info.name}, {"kind", "pods"}});
            }
            return statusResponse(pod.error());
        }
        const auto [path, query] = splitTarget(request.target);
        auto parameters = QueryParameters::parse(query);
        if (!parameters) {
            return statusResponse(parameters.error());
        }
        const json spec = pod->value("spec", json::object());
        std::string container = parameters->get("container");
        if (subresource != "portforward") {
            const auto containers = containerNames(spec, "containers");
            const auto initContainers = containerNames(spec, "initContainers");
            const auto ephemeral = containerNames(spec, "ephemeralContainers");
            if (container.empty()) {
                // kube's pod REST: the only container is the default; otherwise the caller
                // must choose.
                if (containers.size() == 1) {
                    container = containers.front();
                } else {
                    std::string message = "a container name must be specified for pod " +
                                          info.name + ", choose one of: " + joinNames(containers);
                    if (!initContainers.empty()) {
                        message += " or one of the init containers: " + joinNames(initContainers);
                    }
                    if (!ephemeral.empty()) {
                        message += " or one of the ephemeral containers: " + joinNames(ephemeral);
                    }
                    return statusResponse(core::Error(core::ErrorCode::BadRequest, message));
                }
            } else {
                const auto has = [&container](const std::vector<std::string>& names) {
                    return std::find(names.begin(), names.end(), container) != names.end();
                };
                if (!has(containers) && !has(initContainers) && !has(ephemeral)) {
                    return statusResponse(core::Error(
                        core::ErrorCode::BadRequest,
                        "container " + container + " is not valid for pod " + info.name));
                }
            }
        }
        const std::string nodeName = spec.value("nodeName", "");
        if (nodeName.empty()) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "pod " + info.name + " does not have a host assigned"));
        }
        if (!log) {
            const std::string phase = pod->value("/status/phase"_json_pointer, "");
            if (phase == "Succeeded" || phase == "Failed") {
                const std::string what = subresource == "exec"     ? "exec into"
                                         : subresource == "attach" ? "attach to"
                                                                   : "port forward to";
                return statusResponse(core::Error(core::ErrorCode::BadRequest,
                                                  "cannot " + what +
                                                      " a container in a completed pod; current "
                                                      "phase is " +
                                                      phase));
            }
        }
        auto node = object("nodes", "", nodeName);
        if (!node) {
            return statusResponse(node.error());
        }
        auto endpoint = resolver(*node);
        if (!endpoint) {
            return statusResponse(endpoint.error());
        }

        std::string agentPath;
        const std::string ns = escapeSegment(info.nameSpace);
        const std::string podName = escapeSegment(info.name);
        if (log) {
            agentPath = "/containerLogs/" + ns + "/" + podName + "/" + escapeSegment(container);
        } else if (subresource == "exec" || subresource == "attach") {
            agentPath =
                "/" + subresource + "/" + ns + "/" + podName + "/" + escapeSegment(container);
        } else {
            agentPath = "/portForward/" + ns + "/" + podName;
        }
        const std::string forwardedQuery = queryWithoutContainer(query);
        if (!forwardedQuery.empty()) {
            agentPath += "?" + forwardedQuery;
        }
        const bool upgrade = !request.header("Upgrade").empty();
        const std::string agentAddress = hostPort(endpoint->host, endpoint->port);
        std::string head =
            request.method + " " + agentPath + " HTTP/1.1\r\nHost: " + agentAddress + "\r\n";
        // What the protocol needs passes through; the caller's credentials do not (the agent
        // trusts the API server's own certificate).
        for (const auto& [name, value] : request.headers) {
            const bool forwarded =
                equalsIgnoringCase(name, "Accept") || equalsIgnoringCase(name, "User-Agent") ||
                (upgrade &&
                 (equalsIgnoringCase(name, "Upgrade") || equalsIgnoringCase(name, "Connection") ||
                  equalsIgnoringCase(name, "Sec-WebSocket-Key") ||
                  equalsIgnoringCase(name, "Sec-WebSocket-Version") ||
                  equalsIgnoringCase(name, "Sec-WebSocket-Protocol") ||
                  equalsIgnoringCase(name, "Sec-WebSocket-Extensions") ||
                  equalsIgnoringCase(name, "X-Stream-Protocol-Version")));
            if (forwarded) {
                head += name + ": " + value + "\r\n";
            }
        }
        if (!upgrade) {
            head += "Connection: close\r\n";
        }
        if (!request.body.empty()) {
            head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
        }
        head += "\r\n" + request.body;
        const std::string scheme = options.useTls ? "https://" : "http://";
        // kube-apiserver's words: the upgrade handler's, or Go's url.Error of the log GET.
        const std::string dialError =
            upgrade ? "error dialing backend" : "Get \"" + scheme + agentAddress + agentPath + "\"";

        HttpResponse response;
        response.takeover = [this, host = endpoint->host, port = endpoint->port,
                             head = std::move(head), dialError](int fd) mutable {
            asio::post(context, [this, fd, host = std::move(host), port, head = std::move(head),
                                 dialError = std::move(dialError)]() mutable {
                connect(fd, host, port, std::move(head), std::move(dialError));
            });
        };
        return response;
    }

    /// How a relay reaches its backend: plain TCP, TLS as the API server's client toward
    /// the agents, or TLS without verification (the `https:` scheme of a proxy request).
    enum class Transport { Plain, AgentTls, InsecureTls };

    void connect(int fd, const std::string& host, std::uint16_t port, std::string head,
                 std::string dialError) {
        connectTo(fd, host, port, std::move(head), std::move(dialError),
                  options.useTls ? Transport::AgentTls : Transport::Plain,
                  core::ErrorCode::Internal);
    }

    void connectTo(int fd, const std::string& host, std::uint16_t port, std::string head,
                   std::string dialError, Transport transport, core::ErrorCode failCode) {
        asio::local::stream_protocol::socket client(context, asio::local::stream_protocol(), fd);
        tcp::resolver names(context);
        beast::error_code ec;
        // Node addresses are IPs; a name resolves here, briefly, on the proxy's thread.
        auto endpoints = names.resolve(host, std::to_string(port), ec);
        if (ec) {
            const auto answer =
                rawStatusResponse(core::Error(failCode, dialError + ": " + ec.message()));
            asio::write(client, asio::buffer(answer), ec);
            return;
        }
        if (transport == Transport::Plain) {
            auto relay = std::make_shared<Relay<beast::tcp_stream>>(
                std::move(client), beast::tcp_stream(context), std::move(head),
                std::move(dialError), hostPort(host, port), failCode);
            relay->start(
                endpoints, options.connectTimeout,
                [](beast::tcp_stream&, std::function<void(beast::error_code)> done) { done({}); });
            return;
        }
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        auto relay = std::make_shared<Relay<TlsStream>>(
            std::move(client),
            TlsStream(context, transport == Transport::AgentTls ? tlsContext : insecureTlsContext),
            std::move(head), std::move(dialError), hostPort(host, port), failCode);
        relay->start(endpoints, options.connectTimeout,
                     [host](TlsStream& stream, std::function<void(beast::error_code)> done) {
                         boost::system::error_code addressError;
                         asio::ip::make_address(host, addressError);
                         if (addressError) {
                             // SNI for a name (an address must not be sent as SNI).
                             SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                                      TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str()));
                         }
                         stream.async_handshake(
                             asio::ssl::stream_base::client,
                             [done = std::move(done)](beast::error_code error) { done(error); });
                     });
    }

    // ---- the proxy subresources: pods/proxy, services/proxy, nodes/proxy

    /// Where a proxy request goes.
    struct ProxyTarget {
        std::string host;
        std::uint16_t port = 0;
        Transport transport = Transport::Plain;
    };

    /// kube's proxyutil.IsProxyableIP: an address of the API server's own machine (loopback,
    /// link-local, unspecified) is not a place to proxy to.
    static core::Result<void> proxyableIp(const std::string& ip) {
        boost::system::error_code ec;
        const auto address = asio::ip::make_address(ip, ec);
        if (ec) {
            return core::Error(core::ErrorCode::BadRequest, "address not allowed");
        }
        bool refused = address.is_loopback() || address.is_unspecified() || address.is_multicast();
        if (address.is_v4()) {
            const auto bytes = address.to_v4().to_bytes();
            refused = refused || (bytes[0] == 169 && bytes[1] == 254);
        } else {
            refused = refused || address.to_v6().is_link_local();
        }
        if (refused) {
            return core::Error(core::ErrorCode::BadRequest, "address not allowed");
        }
        return core::success();
    }

    static std::optional<std::uint16_t> portNumber(const std::string& text) {
        if (text.empty() || text.size() > 5 ||
            !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
        }
        const int value = std::stoi(text);
        if (value < 1 || value > 65535) {
            return std::nullopt;
        }
        return static_cast<std::uint16_t>(value);
    }

    core::Result<ProxyTarget> podTarget(const std::string& nameSpace, const std::string& name,
                                        const std::string& scheme, std::string port) {
        auto pod = object("pods", nameSpace, name);
        if (!pod) {
            return pod.error();
        }
        const std::string ip = pod->value("/status/podIP"_json_pointer, "");
        if (auto allowed = proxyableIp(ip); !allowed) {
            return allowed.error();
        }
        // No port: the first declared container port, as kube's pod ResourceLocation picks.
        // A port name is looked up among the containers' ports.
        std::optional<std::uint16_t> number = portNumber(port);
        const json spec = pod->value("spec", json::object());
        for (const auto& container : spec.value("containers", json::array())) {
            for (const auto& declared : container.value("ports", json::array())) {
                const int value = declared.value("containerPort", 0);
                if (value < 1 || value > 65535) {
                    continue;
                }
                if ((port.empty() && !number) ||
                    (!port.empty() && !number && declared.value("name", "") == port)) {
                    number = static_cast<std::uint16_t>(value);
                }
            }
        }
        if (!number && !port.empty()) {
            return core::Error(core::ErrorCode::BadRequest,
                               "invalid port \"" + port + "\" for pod " + name);
        }
        ProxyTarget target;
        target.host = ip;
        target.transport = scheme == "https" ? Transport::InsecureTls : Transport::Plain;
        target.port = number.value_or(scheme == "https" ? 443 : 80);
        return target;
    }

    core::Result<ProxyTarget> serviceTarget(const std::string& nameSpace, const std::string& id,
                                            const std::string& name, const std::string& scheme,
                                            std::string port) {
        auto service = object("services", nameSpace, name);
        if (!service) {
            return service.error();
        }
        const json spec = service->value("spec", json::object());
        // A port number names the service port declaring it (kube's service
        // ResourceLocation); endpoints carry port names.
        if (const auto number = portNumber(port)) {
            bool found = false;
            for (const auto& declared : spec.value("ports", json::array())) {
                if (declared.value("port", 0) == *number) {
                    port = declared.value("name", "");
                    found = true;
                    break;
                }
            }
            if (!found) {
                return core::Error(core::ErrorCode::Unavailable,
                                   "no service port " + std::to_string(*number) +
                                       " found for service \"" + name + "\"");
            }
        }
        const std::string noEndpoints = "no endpoints available for service \"" + name + "\"";
        auto endpoints = object("endpoints", nameSpace, name);
        if (!endpoints) {
            if (endpoints.error().code() == core::ErrorCode::NotFound) {
                return core::Error(core::ErrorCode::Unavailable, noEndpoints);
            }
            return endpoints.error();
        }
        const json subsets = endpoints->value("subsets", json::array());
        if (subsets.empty()) {
            return core::Error(core::ErrorCode::Unavailable, noEndpoints);
        }
        // A random ready address that serves the port, as kube picks; each must be a pod's
        // current IP (its targetRef), so Endpoints cannot aim the API server anywhere else.
        static thread_local std::mt19937 random{std::random_device{}()};
        std::uniform_int_distribution<std::size_t> pick(0, 1 << 20);
        const std::size_t subsetSeed = pick(random) % subsets.size();
        for (std::size_t i = 0; i < subsets.size(); ++i) {
            const json& subset = subsets[(subsetSeed + i) % subsets.size()];
            const json addresses = subset.value("addresses", json::array());
            if (addresses.empty()) {
                continue;
            }
            for (const auto& declared : subset.value("ports", json::array())) {
                if (declared.value("name", "") != port) {
                    continue;
                }
                const int number = declared.value("port", 0);
                if (number < 1 || number > 65535) {
                    continue;
                }
                const std::size_t addressSeed = pick(random) % addresses.size();
                for (std::size_t a = 0; a < addresses.size(); ++a) {
                    const json& address = addresses[(addressSeed + a) % addresses.size()];
                    const std::string ip = address.value("ip", "");
                    if (!validEndpointAddress(nameSpace, address) || !proxyableIp(ip)) {
                        continue;
                    }
                    ProxyTarget target;
                    target.host = ip;
                    target.port = static_cast<std::uint16_t>(number);
                    target.transport =
                        scheme == "https" ? Transport::InsecureTls : Transport::Plain;
                    return target;
                }
            }
        }
        return core::Error(core::ErrorCode::Unavailable,
                           "no endpoints available for service \"" + id + "\"");
    }

    /// kube's isValidAddress: the address names a pod (targetRef) that has that IP.
    bool validEndpointAddress(const std::string& nameSpace, const json& address) const {
        const json ref = address.value("targetRef", json::object());
        if (ref.value("kind", "") != "Pod") {
            return false;
        }
        auto pod = object("pods", ref.value("namespace", nameSpace), ref.value("name", ""));
        if (!pod) {
            return false;
        }
        const std::string ip = address.value("ip", "");
        if (pod->value("/status/podIP"_json_pointer, "") == ip) {
            return true;
        }
        for (const auto& podIp : pod->value("/status/podIPs"_json_pointer, json::array())) {
            if (podIp.value("ip", "") == ip) {
                return true;
            }
        }
        return false;
    }

    core::Result<ProxyTarget> nodeTarget(const std::string& name, const std::string& scheme,
                                         const std::string& port) {
        auto node = object("nodes", "", name);
        if (!node) {
            return node.error();
        }
        auto endpoint = resolver(*node);
        if (!endpoint) {
            return endpoint.error();
        }
        ProxyTarget target;
        target.host = endpoint->host;
        // No port: the node agent, over the API server's own credentials toward agents.
        if (port.empty() || portNumber(port) == endpoint->port) {
            target.port = endpoint->port;
            target.transport = options.useTls ? Transport::AgentTls : Transport::Plain;
            return target;
        }
        const auto number = portNumber(port);
        if (!number) {
            return core::Error(core::ErrorCode::BadRequest,
                               "invalid port \"" + port + "\" for node " + name);
        }
        target.port = *number;
        target.transport = scheme == "https" ? Transport::InsecureTls : Transport::Plain;
        return target;
    }

    HttpResponse proxy(const HttpRequest& request, const RequestInfo& info) {
        const auto fail = [&info](const core::Error& error) {
            if (error.code() == core::ErrorCode::NotFound) {
                return statusResponse(error, {{"name", info.name}, {"kind", info.resource}});
            }
            return statusResponse(error);
        };
        // "name", "name:port" or "scheme:name:port" (Go's net.SplitSchemeNamePort).
        std::vector<std::string> parts;
        for (std::string_view rest = info.name;;) {
            const auto colon = rest.find(':');
            parts.emplace_back(rest.substr(0, colon));
            if (colon == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(colon + 1);
        }
        std::string scheme;
        std::string name;
        std::string port;
        bool valid = parts.size() <= 3;
        if (parts.size() == 3) {
            scheme = parts[0];
            valid = scheme == "http" || scheme == "https";
            parts.erase(parts.begin());
        }
        if (valid) {
            name = parts[0];
            port = parts.size() > 1 ? parts[1] : "";
            valid = !name.empty();
        }
        const std::string singular = info.resource.substr(0, info.resource.size() - 1);
        if (!valid) {
            return statusResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "invalid " + singular + " request \"" + info.name + "\""));
        }
        // What follows /proxy in the path, as the client encoded it, is the backend's path.
        const auto [path, query] = splitTarget(request.target);
        // Segments before it: api, v1, [namespaces, NS,] resource, name, proxy (counted, not
        // searched: a name or namespace may itself contain "proxy").
        std::size_t skip = info.nameSpace.empty() ? 5 : 7;
        std::size_t at = 0;
        while (skip > 0 && at != std::string_view::npos) {
            at = path.find('/', at + 1);
            --skip;
        }
        std::string remainder(at == std::string_view::npos ? std::string_view() : path.substr(at));
        if (remainder.empty()) {
            // kube answers a bare .../proxy with a redirect to .../proxy/.
            if (request.method == "GET" || request.method == "HEAD") {
                HttpResponse redirect = HttpResponse::make(301, "text/html", "");
                redirect.headers.emplace_back(
                    "Location",
                    std::string(path) + "/" + (query.empty() ? "" : "?" + std::string(query)));
                return redirect;
            }
            remainder = "/";
        }
        core::Result<ProxyTarget> target =
            info.resource == "pods" ? podTarget(info.nameSpace, name, scheme, port)
            : info.resource == "services"
                ? serviceTarget(info.nameSpace, info.name, name, scheme, port)
                : nodeTarget(name, scheme, port);
        if (!target) {
            return fail(target.error());
        }
        const std::string address = hostPort(target->host, target->port);
        std::string head = request.method + " " + remainder +
                           (query.empty() ? "" : "?" + std::string(query)) +
                           " HTTP/1.1\r\nHost: " + address + "\r\n";
        const bool upgrade = !request.header("Upgrade").empty();
        // The caller's credentials stay here; hop-by-hop headers are the relay's own.
        for (const auto& [header, value] : request.headers) {
            const bool dropped =
                equalsIgnoringCase(header, "Authorization") || equalsIgnoringCase(header, "Host") ||
                equalsIgnoringCase(header, "Content-Length") ||
                equalsIgnoringCase(header, "Transfer-Encoding") ||
                equalsIgnoringCase(header, "Keep-Alive") ||
                equalsIgnoringCase(header, "Proxy-Connection") ||
                header.rfind("Impersonate-", 0) == 0 || header.rfind("impersonate-", 0) == 0 ||
                (!upgrade && (equalsIgnoringCase(header, "Connection") ||
                              equalsIgnoringCase(header, "Upgrade")));
            if (!dropped) {
                head += header + ": " + value + "\r\n";
            }
        }
        if (!upgrade) {
            head += "Connection: close\r\n";
        }
        if (request.streamedBodyLength) {
            // The body follows through the takeover, relayed as it arrives.
            head += "Content-Length: " + std::to_string(*request.streamedBodyLength) + "\r\n";
        } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
                   request.method == "PATCH") {
            head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
        }
        head += "\r\n" + request.body;
        HttpResponse response;
        response.takeover = [this, target = *target, head = std::move(head)](int fd) mutable {
            asio::post(context,
                       [this, fd, target = std::move(target), head = std::move(head)]() mutable {
                           // kube's proxy ErrorResponder: "error trying to reach service: dial tcp
                           // …".
                           connectTo(fd, target.host, target.port, std::move(head),
                                     "error trying to reach service", target.transport,
                                     core::ErrorCode::Unavailable);
                       });
        };
        return response;
    }

    const store::Store& store;
    const api::KindRegistry& registry;
    NodeProxyOptions options;
    NodeResolver resolver = nodeEndpointFromStatus;
    asio::io_context context;
    asio::ssl::context tlsContext;
    asio::ssl::context insecureTlsContext;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::thread thread;
};

NodeProxy::NodeProxy(const store::Store& store, const api::KindRegistry& registry,
                     NodeProxyOptions options)
    : m_impl(std::make_unique<Impl>(store, registry, std::move(options))) {
    if (m_impl->options.useTls) {
        if (auto configured = m_impl->configureTls(); !configured) {
            spdlog::error("{}", configured.error().message());
        }
    }
    auto& impl = *m_impl;
    impl.thread = std::thread([&impl] { impl.context.run(); });
}

NodeProxy::~NodeProxy() = default;

void NodeProxy::setNodeResolver(NodeResolver resolver) {
    m_impl->resolver = std::move(resolver);
}

void NodeProxy::install(Router& router) {
    Impl* impl = m_impl.get();
    for (const char* subresource : {"log", "exec", "attach", "portforward"}) {
        router.addConnectResource("", "pods", subresource,
                                  [impl](const HttpRequest& request, const RequestInfo& info) {
                                      return impl->handle(request, info);
                                  });
    }
    for (const char* resource : {"pods", "services", "nodes"}) {
        router.addConnectResource("", resource, "proxy",
                                  [impl](const HttpRequest& request, const RequestInfo& info) {
                                      return impl->proxy(request, info);
                                  });
    }
    // Uploads through a node (`slipway image load`) are relayed as they arrive.
    router.acceptStreamedBodies("", "nodes", "proxy");
}

}  // namespace slipway::apiserver
