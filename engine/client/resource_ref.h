// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::client {

/// Which object, or which collection, a Client call is about: group, version, resource (the
/// plural, as in the URL), namespace and name, plus an optional subresource ("status",
/// "scale"). An empty namespace on a namespaced resource means all namespaces (for list and
/// watch); an empty name means the collection.
///
///   ResourceRef("apps", "v1", "deployments").in("default").named("web")
///     → /apis/apps/v1/namespaces/default/deployments/web
struct ResourceRef {
    ResourceRef() = default;
    ResourceRef(std::string groupName, std::string versionName, std::string resourceName,
                std::string namespaceName = {}, std::string objectName = {})
        : group(std::move(groupName)),
          version(std::move(versionName)),
          resource(std::move(resourceName)),
          nameSpace(std::move(namespaceName)),
          name(std::move(objectName)) {}

    std::string group;  ///< "" for the core group
    std::string version;
    std::string resource;   ///< plural: "pods", "deployments"
    std::string nameSpace;  ///< `namespace` (a keyword in C++)
    std::string name;
    std::string subresource;

    /// A copy in namespace `ns`.
    ResourceRef in(std::string ns) const;
    /// A copy naming the object `objectName`.
    ResourceRef named(std::string objectName) const;
    /// A copy addressing a subresource of the object ("status", "scale").
    ResourceRef sub(std::string subresourceName) const;

    /// "v1" or "apps/v1".
    std::string apiVersion() const;
    /// The request path, percent-encoded: "/api/v1/namespaces/default/pods/web/status".
    std::string path() const;
    /// "pods \"web\" in namespace \"default\"", for messages.
    std::string describe() const;

    friend bool operator==(const ResourceRef&, const ResourceRef&) = default;
};

/// Percent-encodes one URL component (RFC 3986 unreserved characters pass through).
std::string percentEncode(std::string_view text);

/// A query string built from parameters in the order added: "labelSelector=app%3Dweb&limit=5".
class QueryBuilder {
public:
    /// Adds `name=value`; an empty value is skipped (Kubernetes treats absent and empty alike).
    QueryBuilder& add(std::string_view name, std::string_view value);
    QueryBuilder& add(std::string_view name, long long value);
    /// "?a=b&c=d", or "" when nothing was added.
    std::string str() const;

private:
    std::string m_query;
};

/// Built-in resources most callers need, so a call reads `client.get(pods().in("ns")...)`.
namespace resources {
inline ResourceRef namespaces() {
    return {"", "v1", "namespaces"};
}
inline ResourceRef nodes() {
    return {"", "v1", "nodes"};
}
inline ResourceRef pods() {
    return {"", "v1", "pods"};
}
inline ResourceRef services() {
    return {"", "v1", "services"};
}
inline ResourceRef endpoints() {
    return {"", "v1", "endpoints"};
}
inline ResourceRef configMaps() {
    return {"", "v1", "configmaps"};
}
inline ResourceRef secrets() {
    return {"", "v1", "secrets"};
}
inline ResourceRef events() {
    return {"", "v1", "events"};
}
inline ResourceRef serviceAccounts() {
    return {"", "v1", "serviceaccounts"};
}
inline ResourceRef deployments() {
    return {"apps", "v1", "deployments"};
}
inline ResourceRef replicaSets() {
    return {"apps", "v1", "replicasets"};
}
inline ResourceRef statefulSets() {
    return {"apps", "v1", "statefulsets"};
}
inline ResourceRef daemonSets() {
    return {"apps", "v1", "daemonsets"};
}
inline ResourceRef jobs() {
    return {"batch", "v1", "jobs"};
}
inline ResourceRef leases() {
    return {"coordination.k8s.io", "v1", "leases"};
}
}  // namespace resources

}  // namespace slipway::client
