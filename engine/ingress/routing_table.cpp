// SPDX-License-Identifier: Apache-2.0
#include "engine/ingress/routing_table.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>
#include <unordered_map>

#include "engine/pki/certificates.h"

namespace slipway::ingress {

namespace {

using nlohmann::json;
using ObjectPtr = std::shared_ptr<const json>;

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const auto& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string namespaceOf(const json& object) {
    return stringAt(object, "/metadata/namespace"_json_pointer);
}

std::string nameOf(const json& object) {
    return stringAt(object, "/metadata/name"_json_pointer);
}

std::string keyOf(const json& object) {
    return namespaceOf(object) + "/" + nameOf(object);
}

const json& arrayAt(const json& object, const json::json_pointer& pointer) {
    static const json empty = json::array();
    if (!object.contains(pointer)) {
        return empty;
    }
    const auto& value = object.at(pointer);
    return value.is_array() ? value : empty;
}

PathType pathTypeOf(const json& path) {
    const std::string type = path.value("pathType", "");
    if (type == "Exact") {
        return PathType::Exact;
    }
    if (type == "Prefix") {
        return PathType::Prefix;
    }
    return PathType::ImplementationSpecific;
}

std::string toLower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

/// Backends by what names them, so that rules naming the same Service port share one (and its
/// round-robin position).
class BackendResolver {
public:
    explicit BackendResolver(const RoutingInput& input) {
        for (const auto& service : input.services) {
            m_services.emplace(keyOf(*service), service);
        }
        for (const auto& slice : input.endpointSlices) {
            const std::string service =
                stringAt(*slice, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
            if (!service.empty()) {
                m_slices[namespaceOf(*slice) + "/" + service].push_back(slice);
            }
        }
    }

    /// The backend of an IngressBackend object in `nameSpace`; null if it names no Service
    /// (a resource backend), which the caller treats as unroutable.
    std::shared_ptr<const Backend> resolve(const std::string& nameSpace, const json& backend) {
        if (!backend.is_object() || !backend.contains("service")) {
            return nullptr;
        }
        const json& service = backend["service"];
        const std::string name = service.value("name", "");
        std::string port;
        std::int64_t portNumber = 0;
        if (service.contains("port") && service["port"].is_object()) {
            portNumber = service["port"].value("number", std::int64_t{0});
            port = portNumber != 0 ? std::to_string(portNumber)
                                   : service["port"].value("name", std::string());
        }
        const std::string key = nameSpace + "/" + name + ":" + port;
        if (auto found = m_backends.find(key); found != m_backends.end()) {
            return found->second;
        }
        auto resolved = std::make_shared<const Backend>(
            nameSpace, name, port, upstreams(nameSpace, name, portNumber, port));
        m_backends.emplace(key, resolved);
        return resolved;
    }

private:
    std::vector<Upstream> upstreams(const std::string& nameSpace, const std::string& name,
                                    std::int64_t portNumber, const std::string& portName) const {
        const auto service = m_services.find(nameSpace + "/" + name);
        if (service == m_services.end() ||
            stringAt(*service->second, "/spec/type"_json_pointer) == "ExternalName") {
            return {};
        }
        // The Service port the Ingress names, by number or by name.
        const json* servicePort = nullptr;
        for (const auto& candidate : arrayAt(*service->second, "/spec/ports"_json_pointer)) {
            if ((portNumber != 0 && candidate.value("port", std::int64_t{0}) == portNumber) ||
                (portNumber == 0 && candidate.value("name", "") == portName)) {
                servicePort = &candidate;
                break;
            }
        }
        if (servicePort == nullptr) {
            return {};
        }
        // The EndpointSlices publish the target port under the Service port's name.
        const std::string endpointPortName = servicePort->value("name", "");
        std::set<std::tuple<std::string, std::uint16_t>> seen;
        std::vector<Upstream> result;
        const auto slices = m_slices.find(nameSpace + "/" + name);
        if (slices == m_slices.end()) {
            return {};
        }
        for (const auto& slice : slices->second) {
            const std::string addressType = slice->value("addressType", "");
            if (addressType != "IPv4" && addressType != "IPv6") {
                continue;
            }
            std::int64_t targetPort = -1;
            for (const auto& port : arrayAt(*slice, "/ports"_json_pointer)) {
                if (port.value("name", "") == endpointPortName &&
                    port.value("protocol", "TCP") == "TCP") {
                    targetPort = port.value("port", std::int64_t{-1});
                }
            }
            if (targetPort <= 0 || targetPort > 65535) {
                continue;
            }
            for (const auto& endpoint : arrayAt(*slice, "/endpoints"_json_pointer)) {
                // Ready unless said otherwise (a nil condition means ready, as the API says).
                const bool ready = !endpoint.contains("conditions") ||
                                   !endpoint["conditions"].is_object() ||
                                   endpoint["conditions"].value("ready", true);
                const auto& addresses = arrayAt(endpoint, "/addresses"_json_pointer);
                if (!ready || addresses.empty() || !addresses[0].is_string()) {
                    continue;
                }
                // Consumers use the first address (the API's rule for EndpointSlices).
                const auto address = addresses[0].get<std::string>();
                const auto port = static_cast<std::uint16_t>(targetPort);
                if (seen.emplace(address, port).second) {
                    result.push_back({address, port});
                }
            }
        }
        std::sort(result.begin(), result.end(), [](const Upstream& a, const Upstream& b) {
            return std::tie(a.address, a.port) < std::tie(b.address, b.port);
        });
        return result;
    }

    std::unordered_map<std::string, ObjectPtr> m_services;
    std::unordered_map<std::string, std::vector<ObjectPtr>> m_slices;
    std::unordered_map<std::string, std::shared_ptr<const Backend>> m_backends;
};

/// "/foo/" and "/foo" are the same Prefix rule; "/" stays.
std::string_view trimTrailingSlashes(std::string_view path) {
    while (path.size() > 1 && path.back() == '/') {
        path.remove_suffix(1);
    }
    return path;
}

void addPath(HostRules& rules, PathRule rule) {
    for (const auto& existing : rules.paths) {
        // The same path with the same match: the older Ingress keeps it.
        if (existing.path == rule.path && existing.type == rule.type) {
            return;
        }
    }
    rules.paths.push_back(std::move(rule));
}

void sortPaths(HostRules& rules) {
    // Longest path first; at equal length Exact before Prefix; otherwise as added (oldest
    // Ingress first), hence stable.
    std::stable_sort(rules.paths.begin(), rules.paths.end(),
                     [](const PathRule& a, const PathRule& b) {
                         if (a.path.size() != b.path.size()) {
                             return a.path.size() > b.path.size();
                         }
                         return a.type == PathType::Exact && b.type != PathType::Exact;
                     });
}

std::shared_ptr<const TlsCertificate> certificateOf(const RoutingInput& input,
                                                    const std::string& nameSpace,
                                                    const std::string& secretName) {
    for (const auto& secret : input.secrets) {
        if (namespaceOf(*secret) != nameSpace || nameOf(*secret) != secretName) {
            continue;
        }
        const std::string certificate = stringAt(*secret, "/data/tls.crt"_json_pointer);
        const std::string key = stringAt(*secret, "/data/tls.key"_json_pointer);
        auto certificatePem = pki::base64Decode(certificate);
        auto keyPem = pki::base64Decode(key);
        if (certificate.empty() || key.empty() || !certificatePem || !keyPem) {
            return nullptr;
        }
        return std::make_shared<const TlsCertificate>(
            TlsCertificate{nameSpace + "/" + secretName, *certificatePem, *keyPem});
    }
    return nullptr;
}

}  // namespace

std::optional<Upstream> Backend::pick() const {
    if (m_upstreams.empty()) {
        return std::nullopt;
    }
    const auto next = m_next.fetch_add(1, std::memory_order_relaxed);
    return m_upstreams[next % m_upstreams.size()];
}

std::string Backend::describe() const {
    return m_nameSpace + "/" + m_service + ":" + m_port;
}

bool pathMatches(PathType type, std::string_view rulePath, std::string_view path) {
    if (type == PathType::Exact) {
        return path == rulePath;
    }
    // Prefix: element by element, so "/foo" matches "/foo" and "/foo/bar" but not "/foobar".
    const std::string_view prefix = trimTrailingSlashes(rulePath);
    if (prefix == "/" || prefix.empty()) {
        return true;
    }
    if (!path.starts_with(prefix)) {
        return false;
    }
    return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool hostMatches(std::string_view pattern, std::string_view host) {
    if (!pattern.starts_with("*.")) {
        return pattern == host;
    }
    const std::string_view suffix = pattern.substr(1);  // ".example.com"
    if (host.size() <= suffix.size() || !host.ends_with(suffix)) {
        return false;
    }
    // Exactly one label in place of the '*'.
    const std::string_view label = host.substr(0, host.size() - suffix.size());
    return label.find('.') == std::string_view::npos;
}

std::string normalizeHost(std::string_view hostHeader) {
    std::string_view host = hostHeader;
    if (host.starts_with('[')) {
        const auto close = host.find(']');
        host = close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1);
    } else if (const auto colon = host.find(':');
               colon != std::string_view::npos &&
               host.find(':', colon + 1) == std::string_view::npos) {
        host = host.substr(0, colon);
    }
    while (!host.empty() && host.back() == '.') {
        host.remove_suffix(1);
    }
    return toLower(host);
}

bool servesIngress(const json& ingress, std::string_view className, bool classIsDefault) {
    const auto classNamePointer = "/spec/ingressClassName"_json_pointer;
    if (ingress.contains(classNamePointer) && ingress.at(classNamePointer).is_string()) {
        return ingress.at(classNamePointer).get<std::string>() == className;
    }
    const auto annotations = ingress.value("/metadata/annotations"_json_pointer, json::object());
    if (annotations.is_object() && annotations.contains(kLegacyClassAnnotation)) {
        const auto& value = annotations[kLegacyClassAnnotation];
        return value.is_string() && value.get<std::string>() == className;
    }
    return classIsDefault;
}

std::shared_ptr<const RoutingTable> RoutingTable::build(const RoutingInput& input) {
    auto table = std::make_shared<RoutingTable>();
    BackendResolver resolver(input);

    // Oldest first: it wins conflicts, as in ingress-nginx.
    std::vector<ObjectPtr> ingresses = input.ingresses;
    std::sort(ingresses.begin(), ingresses.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
        return std::make_tuple(stringAt(*a, "/metadata/creationTimestamp"_json_pointer),
                               namespaceOf(*a), nameOf(*a)) <
               std::make_tuple(stringAt(*b, "/metadata/creationTimestamp"_json_pointer),
                               namespaceOf(*b), nameOf(*b));
    });

    for (const auto& ingress : ingresses) {
        const std::string nameSpace = namespaceOf(*ingress);
        const std::string key = keyOf(*ingress);
        std::shared_ptr<const Backend> defaultBackend;
        if (ingress->contains("/spec/defaultBackend"_json_pointer)) {
            defaultBackend =
                resolver.resolve(nameSpace, ingress->at("/spec/defaultBackend"_json_pointer));
            if (!table->m_defaultBackend) {
                table->m_defaultBackend = defaultBackend;
            }
        }
        std::vector<std::string> ruleHosts;
        for (const auto& rule : arrayAt(*ingress, "/spec/rules"_json_pointer)) {
            const std::string host = toLower(rule.value("host", ""));
            HostRules* rules = nullptr;
            if (host.empty()) {
                rules = &table->m_anyHost;
                table->m_hasAnyHostRules = true;
            } else if (host.starts_with("*.")) {
                rules = &table->m_wildcardHosts[host.substr(1)];
            } else {
                rules = &table->m_exactHosts[host];
            }
            if (!host.empty()) {
                ruleHosts.push_back(host);
            }
            if (!rules->defaultBackend && defaultBackend) {
                rules->defaultBackend = defaultBackend;
            }
            for (const auto& path : arrayAt(rule, "/http/paths"_json_pointer)) {
                PathRule pathRule;
                pathRule.path = path.value("path", "/");
                if (pathRule.path.empty()) {
                    pathRule.path = "/";
                }
                pathRule.type = pathTypeOf(path);
                pathRule.backend = resolver.resolve(nameSpace, path.value("backend", json()));
                if (!pathRule.backend) {
                    // A resource backend: routed, but nothing serves it (503).
                    pathRule.backend =
                        std::make_shared<const Backend>(nameSpace, "", "", std::vector<Upstream>{});
                }
                pathRule.ingress = key;
                addPath(*rules, std::move(pathRule));
            }
        }
        for (const auto& tls : arrayAt(*ingress, "/spec/tls"_json_pointer)) {
            const std::string secretName = tls.value("secretName", "");
            auto certificate =
                secretName.empty() ? nullptr : certificateOf(input, nameSpace, secretName);
            if (!certificate) {
                continue;  // the default certificate serves these hosts
            }
            std::vector<std::string> hosts;
            for (const auto& host : arrayAt(tls, "/hosts"_json_pointer)) {
                if (host.is_string()) {
                    hosts.push_back(toLower(host.get<std::string>()));
                }
            }
            if (hosts.empty()) {
                hosts = ruleHosts;  // no hosts: the Ingress's own
            }
            if (stringAt(
                    *ingress,
                    "/metadata/annotations/nginx.ingress.kubernetes.io~1ssl-redirect"_json_pointer) ==
                "false") {
                table->m_withoutRedirect.push_back(certificate);
            }
            for (const auto& host : hosts) {
                auto& certificates = host.starts_with("*.") ? table->m_wildcardCertificates
                                                            : table->m_exactCertificates;
                certificates.emplace(host.starts_with("*.") ? host.substr(1) : host, certificate);
            }
        }
    }
    for (auto& [host, rules] : table->m_exactHosts) {
        sortPaths(rules);
    }
    for (auto& [host, rules] : table->m_wildcardHosts) {
        sortPaths(rules);
    }
    sortPaths(table->m_anyHost);
    return table;
}

const HostRules* RoutingTable::rulesFor(const std::string& host) const {
    if (auto exact = m_exactHosts.find(host); exact != m_exactHosts.end()) {
        return &exact->second;
    }
    if (const auto dot = host.find('.'); dot != std::string::npos) {
        if (auto wildcard = m_wildcardHosts.find(std::string_view(host).substr(dot));
            wildcard != m_wildcardHosts.end()) {
            return &wildcard->second;
        }
    }
    return m_hasAnyHostRules ? &m_anyHost : nullptr;
}

RouteMatch RoutingTable::match(std::string_view host, std::string_view path) const {
    if (const auto query = path.find('?'); query != std::string_view::npos) {
        path = path.substr(0, query);
    }
    if (path.empty()) {
        path = "/";
    }
    const HostRules* rules = rulesFor(normalizeHost(host));
    if (rules == nullptr) {
        return {m_defaultBackend, {}};
    }
    for (const auto& rule : rules->paths) {
        if (pathMatches(rule.type, rule.path, path)) {
            return {rule.backend, rule.ingress};
        }
    }
    return {rules->defaultBackend ? rules->defaultBackend : m_defaultBackend, {}};
}

std::shared_ptr<const TlsCertificate> RoutingTable::certificateFor(
    std::string_view serverName) const {
    const std::string host = normalizeHost(serverName);
    if (auto exact = m_exactCertificates.find(host); exact != m_exactCertificates.end()) {
        return exact->second;
    }
    if (const auto dot = host.find('.'); dot != std::string::npos) {
        if (auto wildcard = m_wildcardCertificates.find(std::string_view(host).substr(dot));
            wildcard != m_wildcardCertificates.end()) {
            return wildcard->second;
        }
    }
    return nullptr;
}

bool RoutingTable::redirectsToHttps(std::string_view host) const {
    const auto certificate = certificateFor(host);
    return certificate && std::find(m_withoutRedirect.begin(), m_withoutRedirect.end(),
                                    certificate) == m_withoutRedirect.end();
}

std::vector<std::string> RoutingTable::hosts() const {
    std::vector<std::string> hosts;
    for (const auto& [host, rules] : m_exactHosts) {
        hosts.push_back(host);
    }
    for (const auto& [suffix, rules] : m_wildcardHosts) {
        hosts.push_back("*" + suffix);
    }
    return hosts;
}

std::vector<std::shared_ptr<const Backend>> RoutingTable::backends() const {
    std::vector<std::shared_ptr<const Backend>> all;
    const auto collect = [&all](const HostRules& rules) {
        for (const auto& rule : rules.paths) {
            all.push_back(rule.backend);
        }
        if (rules.defaultBackend) {
            all.push_back(rules.defaultBackend);
        }
    };
    for (const auto& [host, rules] : m_exactHosts) {
        collect(rules);
    }
    for (const auto& [suffix, rules] : m_wildcardHosts) {
        collect(rules);
    }
    collect(m_anyHost);
    if (m_defaultBackend) {
        all.push_back(m_defaultBackend);
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

}  // namespace slipway::ingress
