// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/endpoints/endpoints_util.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's EndpointSlice controller (pkg/controller/endpointslice and the
/// staging endpointslice reconciler): every Service with a selector has discovery.k8s.io/v1
/// EndpointSlices (addressType IPv4) labelled kubernetes.io/service-name=<service> and
/// endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io, owned by the
/// Service, named generateName "<service>-", holding at most 100 endpoints each. An endpoint
/// is a pod with an IP: its address, conditions ready (Ready and not terminating, or the
/// Service publishes not-ready addresses), serving (Ready) and terminating, nodeName, zone
/// (the node's topology.kubernetes.io/zone) and a targetRef to the pod. Pods whose ports
/// resolve differently go to slices of their own port list.
///
/// The reconciler keeps endpoints where they are, updates slices whose endpoints changed,
/// fills new endpoints into slices with room before creating slices, deletes emptied slices,
/// and leaves one placeholder slice (no endpoints) for a Service without any. As kube's
/// EndpointSliceTracker, it remembers the generation of every slice it wrote and does not
/// sync a Service while the informer's cache is older than its own writes.
class EndpointSliceController : public Controller {
public:
    static constexpr const char* kManagedBy = "endpointslice.kubernetes.io/managed-by";
    static constexpr const char* kControllerName = "endpointslice-controller.k8s.io";
    static constexpr const char* kServiceName = "kubernetes.io/service-name";

    struct Options {
        /// kube's --max-endpoints-per-slice (default 100).
        std::size_t maxEndpointsPerSlice = 100;
    };

    explicit EndpointSliceController(const ControllerContext& context);
    EndpointSliceController(const ControllerContext& context, Options options);
    ~EndpointSliceController() override;

    std::string_view name() const override { return "endpointslice"; }
    void run(int workers) override;
    void stop() override;

    /// Brings the slices of the Service `key` in line with its pods.
    core::Result<void> sync(const std::string& key);

private:
    void enqueuePodServices(const client::ObjectPtr& pod);
    void enqueueSliceService(const client::ObjectPtr& slice);
    /// True when the cache holds every slice of `serviceKey` as this controller last wrote it.
    bool cacheCurrent(const std::string& serviceKey, const std::vector<client::ObjectPtr>& slices);
    void expect(const std::string& serviceKey, const std::string& sliceName,
                std::int64_t generation);

    const client::Client& m_client;
    const Options m_options;
    client::Informer& m_services;
    client::Informer& m_pods;
    client::Informer& m_nodes;
    client::Informer& m_slices;
    client::WorkQueue m_queue;
    endpoints::TriggerTimeTracker m_triggers;

    /// Service key → slice name → generation last written (-1: deleted).
    std::mutex m_trackerMutex;
    std::map<std::string, std::map<std::string, std::int64_t>> m_expected;

    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
