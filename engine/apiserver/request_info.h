// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::apiserver {

/// Decoded query parameters. Kubernetes lets a parameter repeat; the first value wins here,
/// which is what every parameter the API server reads expects.
class QueryParameters {
public:
    static core::Result<QueryParameters> parse(std::string_view query);

    bool has(std::string_view name) const { return m_values.find(name) != m_values.end(); }
    /// The value, or `fallback` when absent.
    std::string get(std::string_view name, std::string_view fallback = {}) const;
    /// "true"/"1" → true; absent → `fallback`.
    bool flag(std::string_view name, bool fallback = false) const;
    /// An integer parameter; BadRequest if present but not an integer.
    core::Result<std::optional<long long>> integer(std::string_view name) const;

private:
    std::map<std::string, std::string, std::less<>> m_values;
};

/// Percent-decoding of a URL component ('+' stays '+', as Go's PathUnescape).
core::Result<std::string> percentDecode(std::string_view text);

/// What a request is about, as kube-apiserver's RequestInfoFactory reads it from the path:
///   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
///   /apis/{group}/{version}/{resource}/{name}
/// plus the verb from the method and the query (GET on a collection is list, with
/// watch=true it is watch; DELETE on a collection is deletecollection).
struct RequestInfo {
    bool isResourceRequest = false;
    std::string path;
    std::string verb;       ///< get list watch create update patch delete deletecollection
    std::string apiPrefix;  ///< "api" or "apis"
    std::string group;      ///< "" for core
    std::string version;
    std::string nameSpace;  ///< `namespace` ("" for cluster-scoped or all namespaces)
    std::string resource;   ///< "pods"
    std::string name;       ///< "" for collections
    std::string subresource;
    /// Path segments after /api or /apis when the request is not a resource request:
    /// discovery documents ("/api", "/apis/apps", "/apis/apps/v1" are resource lists).
    std::string groupPath;
};

/// Reads a request's path (without query) and method. `watch` is the value of the `watch`
/// query parameter. Non-API paths give isResourceRequest=false.
core::Result<RequestInfo> parseRequestInfo(std::string_view method, std::string_view path,
                                           bool watch);

}  // namespace slipway::apiserver
