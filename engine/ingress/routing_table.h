// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::ingress {

/// The IngressClass slipwayd creates and serves, and its spec.controller.
inline constexpr const char* kIngressClassName = "slipway";
inline constexpr const char* kControllerName = "slipway.dev/ingress-controller";
/// The annotation that makes an IngressClass the cluster's default.
inline constexpr const char* kDefaultClassAnnotation =
    "ingressclass.kubernetes.io/is-default-class";
/// The pre-IngressClass way of naming a class (still honoured, as ingress-nginx does).
inline constexpr const char* kLegacyClassAnnotation = "kubernetes.io/ingress.class";
/// ingress-nginx's annotation that, set to "false", serves an Ingress's TLS hosts over plain
/// HTTP too instead of redirecting them to HTTPS.
inline constexpr const char* kSslRedirectAnnotation = "nginx.ingress.kubernetes.io/ssl-redirect";

/// How an Ingress path matches (networking.k8s.io/v1 HTTPIngressPath.pathType).
/// ImplementationSpecific is matched as Prefix.
enum class PathType { Exact, Prefix, ImplementationSpecific };

/// Where a request is sent: a ready endpoint's address and the Service's target port on it.
struct Upstream {
    std::string address;
    std::uint16_t port = 0;

    friend bool operator==(const Upstream&, const Upstream&) = default;
};

/// A Service port an Ingress names (by number or by name), resolved to the ready endpoints of
/// the Service's EndpointSlices. Shared by every rule naming it; pick() balances round robin.
class Backend {
public:
    Backend(std::string nameSpace, std::string service, std::string port,
            std::vector<Upstream> upstreams)
        : m_nameSpace(std::move(nameSpace)),
          m_service(std::move(service)),
          m_port(std::move(port)),
          m_upstreams(std::move(upstreams)) {}

    const std::string& nameSpace() const { return m_nameSpace; }
    const std::string& service() const { return m_service; }
    /// The port as the Ingress names it: "80" or "http".
    const std::string& port() const { return m_port; }
    /// Ready endpoints in a stable order (address, then port); empty: 503.
    const std::vector<Upstream>& upstreams() const { return m_upstreams; }
    /// The next upstream, round robin; nullopt without any.
    std::optional<Upstream> pick() const;
    /// "default/web:80", for logs.
    std::string describe() const;

private:
    std::string m_nameSpace;
    std::string m_service;
    std::string m_port;
    std::vector<Upstream> m_upstreams;
    mutable std::atomic<std::uint64_t> m_next{0};
};

/// One path of a host, as an Ingress rule gives it.
struct PathRule {
    std::string path;
    PathType type = PathType::Prefix;
    std::shared_ptr<const Backend> backend;
    std::string ingress;  ///< "namespace/name" of the Ingress it came from
};

/// The paths of one host (merged over every Ingress naming it), longest first, and the backend
/// for requests none matches (the first such Ingress's spec.defaultBackend, if any).
struct HostRules {
    std::vector<PathRule> paths;
    std::shared_ptr<const Backend> defaultBackend;
};

/// A TLS certificate and key (PEM) from a kubernetes.io/tls Secret.
struct TlsCertificate {
    std::string secret;  ///< "namespace/name"
    std::string certificatePem;
    std::string keyPem;
};

/// What a request goes to. No backend means nothing matched: the default backend's 404.
struct RouteMatch {
    std::shared_ptr<const Backend> backend;
    std::string ingress;  ///< the Ingress that routed it ("" for none)
};

/// What the routing table is built from: the Ingresses the controller serves (already filtered
/// by class) and the Services, EndpointSlices and Secrets they may name.
struct RoutingInput {
    std::vector<std::shared_ptr<const nlohmann::json>> ingresses;
    std::vector<std::shared_ptr<const nlohmann::json>> services;
    std::vector<std::shared_ptr<const nlohmann::json>> endpointSlices;
    std::vector<std::shared_ptr<const nlohmann::json>> secrets;
};

/// The ingress controller's view of every Ingress it serves, immutable once built (the
/// controller builds a new one on every change and hands it to the proxy), as ingress-nginx's
/// generated configuration:
///  - a request's host (the Host header without its port, lower-cased) picks an exact host's
///    rules, else a wildcard's (`*.example.com` matches one more label, `a.example.com` but
///    neither `example.com` nor `a.b.example.com`), else the rules without a host;
///  - within them the longest matching path wins, Exact before Prefix at equal length; Prefix
///    matches element-wise (`/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; a
///    trailing `/` on the rule is ignored);
///  - a host that matches but none of its paths goes to its Ingress's spec.defaultBackend; a
///    host that matches no rule goes to the oldest Ingress's spec.defaultBackend; else 404.
/// Among Ingresses naming the same host and path, the oldest (creationTimestamp, then
/// namespace/name) wins.
class RoutingTable {
public:
    /// Builds the table. Backends are resolved against `input`: a Service port by number or
    /// name, its targetPort through the EndpointSlices' port of the same name, ready endpoints
    /// only (conditions.ready true or absent).
    static std::shared_ptr<const RoutingTable> build(const RoutingInput& input);

    /// The backend for `host` (a Host header; a port is stripped) and `path` (a request
    /// target; the query is stripped).
    RouteMatch match(std::string_view host, std::string_view path) const;
    /// The certificate for a TLS server name (SNI): an exact spec.tls host, else a wildcard one;
    /// null means the default certificate.
    std::shared_ptr<const TlsCertificate> certificateFor(std::string_view serverName) const;
    /// True if `host` has a certificate (ingress-nginx then redirects its plain HTTP to HTTPS).
    bool hasTls(std::string_view host) const { return certificateFor(host) != nullptr; }
    /// True if plain HTTP requests for `host` are redirected to HTTPS: it has a certificate and
    /// the Ingress that gave it did not set kSslRedirectAnnotation to "false".
    bool redirectsToHttps(std::string_view host) const;

    /// The hosts with rules, for logs and tests.
    std::vector<std::string> hosts() const;
    /// Every distinct backend (for logs and tests).
    std::vector<std::shared_ptr<const Backend>> backends() const;

private:
    const HostRules* rulesFor(const std::string& host) const;

    std::map<std::string, HostRules, std::less<>> m_exactHosts;
    /// Keyed by the wildcard's suffix: "*.example.com" → ".example.com".
    std::map<std::string, HostRules, std::less<>> m_wildcardHosts;
    HostRules m_anyHost;
    bool m_hasAnyHostRules = false;
    std::shared_ptr<const Backend> m_defaultBackend;
    std::map<std::string, std::shared_ptr<const TlsCertificate>, std::less<>> m_exactCertificates;
    std::map<std::string, std::shared_ptr<const TlsCertificate>, std::less<>>
        m_wildcardCertificates;
    /// Certificates whose Ingress turned the redirect off.
    std::vector<std::shared_ptr<const TlsCertificate>> m_withoutRedirect;
};

/// True if `path` (a request path) matches `rulePath` under `type`.
bool pathMatches(PathType type, std::string_view rulePath, std::string_view path);
/// True if `host` matches `pattern`: equal, or `*.suffix` with exactly one label before it.
bool hostMatches(std::string_view pattern, std::string_view host);
/// The host of a Host header: the port removed ("[::1]:80" → "::1"), lower-cased, no final dot.
std::string normalizeHost(std::string_view hostHeader);

/// True if `ingress` is served by the class `className`: spec.ingressClassName names it, or the
/// legacy annotation does, or neither is set and the class is the cluster's default.
bool servesIngress(const nlohmann::json& ingress, std::string_view className, bool classIsDefault);

}  // namespace slipway::ingress
