// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/client.h"
#include "engine/core/label_selector.h"

/// What the workload controllers share, in the shape of kube-controller-manager's
/// pkg/controller/controller_utils.go and controller_ref_manager.go.
namespace slipway::controllers {

using Clock = std::chrono::system_clock;

/// An integer at `pointer` in `object`, or `fallback` when absent or not an integer.
std::int64_t intAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer,
                   std::int64_t fallback = 0);
/// A string at `pointer`, or "".
std::string stringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer);
/// metadata.creationTimestamp, or the epoch.
Clock::time_point creationTime(const nlohmann::json& object);
bool isBeingDeleted(const nlohmann::json& object);

/// The ownerReference with controller: true, or null.
const nlohmann::json* controllerRefOf(const nlohmann::json& object);
/// The controllerRef a controller puts on what it creates or adopts: controller and
/// blockOwnerDeletion true, so that foreground deletion of the owner waits for it.
nlohmann::json makeControllerRef(const nlohmann::json& owner, const std::string& apiVersion,
                                 const std::string& kind);

/// podutil.IsPodReady: the Ready condition is True.
bool isPodReady(const nlohmann::json& pod);
/// When the Ready condition last changed, if the pod has one.
std::optional<Clock::time_point> podReadyTime(const nlohmann::json& pod);
/// podutil.IsPodAvailable: ready for at least minReadySeconds.
bool isPodAvailable(const nlohmann::json& pod, std::int64_t minReadySeconds, Clock::time_point now);
/// controller.IsPodActive: not Succeeded, not Failed, not being deleted.
bool isPodActive(const nlohmann::json& pod);

/// kube's ControllerExpectations (with UIDTrackingControllerExpectations' deletion keys): what
/// a controller expects its informer to show after its own creates and deletes. Until the
/// informer has shown them (or five minutes have passed), the controller does not act on its
/// cache again, so a stale cache never makes it create or delete twice.
class ControllerExpectations {
public:
    /// Sets (does not add to) the creations expected for `key`.
    void expectCreations(const std::string& key, std::int64_t count);
    /// Sets the deletions expected for `key`: the pods named by `podKeys`.
    void expectDeletions(const std::string& key, const std::vector<std::string>& podKeys);
    void creationObserved(const std::string& key);
    /// Counts `podKey` once, if it was expected.
    void deletionObserved(const std::string& key, const std::string& podKey);
    /// True when nothing is expected any more, expectations expired, or none were ever set.
    bool satisfied(const std::string& key) const;
    void remove(const std::string& key);

private:
    struct Expectation {
        std::int64_t add = 0;
        std::set<std::string> deletions;
        std::chrono::steady_clock::time_point setAt;
    };
    mutable std::mutex m_mutex;
    std::map<std::string, Expectation> m_expectations;
};

/// kube's ControllerRefManager.ClaimObject: decides whether `object` belongs to the controller
/// `owner` (uid, deleting) with `selector`. Owned and selected: claimed. Owned but no longer
/// selected: released (its controllerRef removed), not claimed. An orphan that is selected and
/// not being deleted is adopted (a controllerRef added) when `canAdopt` allows it.
/// Writes go through `client` as JSON patches conditioned on the object's resourceVersion.
/// Returns whether the object is now the controller's; errors other than NotFound propagate.
core::Result<bool> claimObject(const client::Client& client, const client::ResourceRef& ref,
                               const nlohmann::json& object, const nlohmann::json& owner,
                               const nlohmann::json& ownerRef, const core::LabelSelector& selector,
                               const std::function<core::Result<void>()>& canAdopt);

/// A check for claimObject: the owner, read fresh from the server, still has `uid` and is not
/// being deleted (kube's RecheckDeletionTimestamp), read at most once per call site.
std::function<core::Result<void>()> recheckOwner(const client::Client& client,
                                                 client::ResourceRef ownerRef, std::string uid);

}  // namespace slipway::controllers
