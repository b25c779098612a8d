// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/node_proxy.h"

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
          std::string dialError, std::string hostPort)
        : m_client(std::move(client)),
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
            rawStatusResponse(core::Error(core::ErrorCode::Internal, m_dialError + ": " + reason)));
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
          work(asio::make_work_guard(context)) {}

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

    void connect(int fd, const std::string& host, std::uint16_t port, std::string head,
                 std::string dialError) {
        asio::local::stream_protocol::socket client(context, asio::local::stream_protocol(), fd);
        tcp::resolver names(context);
        beast::error_code ec;
        // Node addresses are IPs; a name resolves here, briefly, on the proxy's thread.
        auto endpoints = names.resolve(host, std::to_string(port), ec);
        if (ec) {
            const auto answer = rawStatusResponse(
                core::Error(core::ErrorCode::Internal, dialError + ": " + ec.message()));
            asio::write(client, asio::buffer(answer), ec);
            return;
        }
        if (!options.useTls) {
            auto relay = std::make_shared<Relay<beast::tcp_stream>>(
                std::move(client), beast::tcp_stream(context), std::move(head),
                std::move(dialError), hostPort(host, port));
            relay->start(
                endpoints, options.connectTimeout,
                [](beast::tcp_stream&, std::function<void(beast::error_code)> done) { done({}); });
            return;
        }
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        auto relay = std::make_shared<Relay<TlsStream>>(
            std::move(client), TlsStream(context, tlsContext), std::move(head),
            std::move(dialError), hostPort(host, port));
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

    const store::Store& store;
    const api::KindRegistry& registry;
    NodeProxyOptions options;
    NodeResolver resolver = nodeEndpointFromStatus;
    asio::io_context context;
    asio::ssl::context tlsContext;
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
}

}  // namespace slipway::apiserver
