// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/api/kind_registry.h"
#include "engine/apiserver/router.h"
#include "engine/metrics/metrics_source.h"

namespace slipway::metrics {

/// The resource metrics API, metrics.k8s.io/v1beta1, as metrics-server serves it through
/// kube-apiserver's aggregation layer, served here by slipwayd itself from a MetricsSource:
///
///   GET /apis/metrics.k8s.io/v1beta1/nodes[/NAME]                      NodeMetrics(List)
///   GET /apis/metrics.k8s.io/v1beta1/[namespaces/NS/]pods[/NAME]       PodMetrics(List)
///
/// with labelSelector and fieldSelector (metadata.name, metadata.namespace) on lists, and
/// server-side Tables (NAME, CPU, MEMORY, WINDOW) for `kubectl get podmetrics`. This is what
/// `kubectl top nodes|pods` and the HorizontalPodAutoscaler controller read. Nothing is
/// stored and nothing can be written or watched (405), as with metrics-server.
class MetricsApi {
public:
    static constexpr const char* kGroup = "metrics.k8s.io";
    static constexpr const char* kVersion = "v1beta1";

    /// The source must outlive this object.
    explicit MetricsApi(const MetricsSource& source) : m_source(source) {}

    /// Adds NodeMetrics and PodMetrics (get, list) to the registry, so that discovery lists
    /// the group. Fails only if they are there already.
    static core::Result<void> registerKinds(api::KindRegistry& registry);
    /// Registers the handlers of `nodes` and `pods` of metrics.k8s.io on the router.
    void registerWith(apiserver::Router& router) const;

    apiserver::HttpResponse nodes(const apiserver::HttpRequest& request,
                                  const apiserver::RequestInfo& info) const;
    apiserver::HttpResponse pods(const apiserver::HttpRequest& request,
                                 const apiserver::RequestInfo& info) const;

    /// A NodeMetrics / PodMetrics object as metrics-server writes them.
    static nlohmann::json toJson(const NodeUsage& usage);
    static nlohmann::json toJson(const PodUsage& usage);

private:
    const MetricsSource& m_source;
};

/// A duration as Go's time.Duration prints it (metav1.Duration in JSON): "10s", "1.5s",
/// "1m0s".
std::string goDuration(std::chrono::milliseconds duration);

}  // namespace slipway::metrics
