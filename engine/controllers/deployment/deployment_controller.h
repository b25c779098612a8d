// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"

namespace slipway::controllers {

/// kube-controller-manager's Deployment controller (pkg/controller/deployment): rolls a
/// Deployment's pod template out through ReplicaSets.
///
/// Each template gets a ReplicaSet named `<deployment>-<pod-template-hash>` whose selector,
/// labels and pod labels carry the hash; the set whose template equals the Deployment's (hash
/// ignored) is the new one, so a rollback that restores an old template (kubectl rollout undo)
/// scales the old set up again under a new revision. RollingUpdate grows the new set and
/// shrinks the old ones within maxSurge and maxUnavailable; Recreate scales the old sets to
/// zero and waits for their pods to go before creating the new one. Scaling a Deployment in
/// the middle of a rollout (or while paused) scales every active set in proportion. The
/// controller keeps revisions and their annotations, cleans up beyond revisionHistoryLimit,
/// and writes status and the Progressing and Available conditions as kube does, including
/// ProgressDeadlineExceeded once progressDeadlineSeconds pass without progress.
class DeploymentController : public Controller {
public:
    explicit DeploymentController(const ControllerContext& context);
    ~DeploymentController() override;

    std::string_view name() const override { return "deployment"; }
    void run(int workers) override;
    void stop() override;

    /// One level-triggered pass over the Deployment "namespace/name".
    core::Result<void> sync(const std::string& key);

private:
    using json = nlohmann::json;

    struct Sets {
        std::optional<json> newSet;
        std::vector<json> oldSets;
        std::vector<json> all() const;
    };

    void enqueue(const json& deployment);
    void onReplicaSetAdd(const client::ObjectPtr& replicaSet);
    void onReplicaSetUpdate(const client::ObjectPtr& oldSet, const client::ObjectPtr& newSet);
    void onReplicaSetDelete(const client::ObjectPtr& replicaSet);
    void onPodDelete(const client::ObjectPtr& pod);
    client::ObjectPtr resolveControllerRef(const std::string& nameSpace, const json& ref) const;
    void enqueueSelecting(const json& replicaSet);

    core::Result<std::vector<json>> replicaSetsFor(const json& deployment);
    core::Result<Sets> allSetsAndSyncRevision(json& deployment, const std::vector<json>& sets,
                                              bool createIfMissing);
    core::Result<std::optional<json>> newReplicaSet(json& deployment, const std::vector<json>& sets,
                                                    const std::vector<json>& oldSets,
                                                    bool createIfMissing);
    core::Result<void> writeStatus(json& deployment);
    core::Result<void> setRevision(json& deployment, const std::string& revision);

    /// Scales `replicaSet` to `newScale` (in place) and records ScalingReplicaSet; true if it
    /// changed size.
    core::Result<bool> scaleAndRecord(json& replicaSet, std::int64_t newScale,
                                      const json& deployment);
    core::Result<bool> scaleReplicaSet(json& replicaSet, std::int64_t newScale,
                                       const json& deployment, const std::string& operation);
    core::Result<void> scale(const json& deployment, Sets& sets);
    core::Result<bool> isScalingEvent(json& deployment, const std::vector<json>& sets);
    core::Result<void> checkPausedConditions(json& deployment);
    core::Result<void> syncOnly(json& deployment, const std::vector<json>& sets);
    core::Result<void> syncStatusOnly(json& deployment, const std::vector<json>& sets);
    core::Result<void> rolloutRolling(json& deployment, const std::vector<json>& sets);
    core::Result<void> rolloutRecreate(json& deployment, const std::vector<json>& sets);
    core::Result<bool> reconcileNewReplicaSet(const std::vector<json>& all, json& newSet,
                                              const json& deployment);
    core::Result<bool> reconcileOldReplicaSets(Sets& sets, const json& deployment);
    void cleanup(const json& deployment, const std::vector<json>& oldSets);

    json calculateStatus(const Sets& sets, const json& deployment) const;
    core::Result<void> syncDeploymentStatus(const Sets& sets, json& deployment);
    core::Result<void> syncRolloutStatus(const Sets& sets, json& deployment);
    void requeueStuck(const json& deployment, const json& newStatus);
    bool oldPodsRunning(const Sets& sets) const;

    const client::Client& m_client;
    client::Informer& m_deployments;
    client::Informer& m_replicaSets;
    client::Informer& m_pods;
    client::Lister m_deploymentLister;
    client::Lister m_replicaSetLister;
    client::Lister m_podLister;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
