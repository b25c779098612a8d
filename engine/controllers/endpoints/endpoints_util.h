// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/indexer.h"
#include "engine/client/lister.h"

namespace slipway::controllers::endpoints {

/// The annotation both endpoint controllers set to the earliest change (of a pod or of the
/// Service) that the write reflects, as kube-controller-manager's TriggerTimeTracker does.
inline constexpr const char* kLastChangeTriggerTime =
    "endpoints.kubernetes.io/last-change-trigger-time";
/// The label on Endpoints and EndpointSlices of headless Services (clusterIP None).
inline constexpr const char* kHeadlessLabel = "service.kubernetes.io/headless";

/// A string at `pointer` in `object`, or "".
std::string stringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer);

/// podutil.IsPodReady: the pod's Ready condition is True.
bool isPodReady(const nlohmann::json& pod);
/// endpointutil.ShouldPodBeInEndpoints: the pod has an IP, is not terminal with a restart policy
/// that keeps it so (Never, or OnFailure and Succeeded), and is not being deleted unless
/// `includeTerminating`.
bool shouldPodBeInEndpoints(const nlohmann::json& pod, bool includeTerminating);
/// podutil.FindPort: the container port a Service port's targetPort means for `pod`: a number
/// as is (the port itself when targetPort is absent), a name looked up among the containers'
/// named ports of the same protocol. Nothing if the name is not found.
std::optional<int> findPort(const nlohmann::json& pod, const nlohmann::json& servicePort);
/// endpointutil.ShouldSetHostname: the pod has a hostname and its subdomain is the Service.
bool shouldSetHostname(const nlohmann::json& pod, const nlohmann::json& service);
/// True for a Service whose spec.clusterIP is "None".
bool isHeadless(const nlohmann::json& service);
/// The Service's spec.selector as a label map; nothing when it has none (such Services'
/// endpoints are managed by hand, not by the controllers).
std::optional<std::map<std::string, std::string>> serviceSelector(const nlohmann::json& service);
/// The keys ("ns/name") of the Services in the pod's namespace whose selector matches the pod.
std::vector<std::string> servicesSelecting(const client::Lister& services,
                                           const nlohmann::json& pod);
/// The pods of the Service's namespace its selector matches.
std::vector<client::ObjectPtr> selectedPods(const client::Lister& pods,
                                            const nlohmann::json& service);

/// kube's TriggerTimeTracker: remembers, per Service, the trigger time of every pod seen at the
/// last sync (its Ready condition's lastTransitionTime, or its creation) and the Service's; a
/// sync's trigger time is the earliest among those that changed since. Thread-safe.
class TriggerTimeTracker {
public:
    /// The trigger time to record for this sync of `service` over `pods` ("" when nothing
    /// changed), remembering the new state.
    std::string compute(const std::string& serviceKey, const nlohmann::json& service,
                        const std::vector<client::ObjectPtr>& pods);
    void forget(const std::string& serviceKey);

private:
    struct State {
        std::string serviceTrigger;
        std::map<std::string, std::string> podTriggers;
    };
    std::mutex m_mutex;
    std::map<std::string, State> m_states;
};

}  // namespace slipway::controllers::endpoints
