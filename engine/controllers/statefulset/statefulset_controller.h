// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/event_recorder.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's StatefulSet controller (pkg/controller/statefulset): pods with
/// stable names `<set>-<ordinal>`, hostnames and subdomains; a PersistentVolumeClaim per
/// volumeClaimTemplate and pod (`<claim>-<set>-<ordinal>`), kept when pods come and go;
///
/// - podManagementPolicy OrderedReady: pods are created in ordinal order, each once its
///   predecessors are Running and Ready, and removed in reverse order, one at a time;
///   Parallel: all at once;
/// - updateStrategy RollingUpdate: pods at or above `partition` are replaced by the update
///   revision from the highest ordinal down, one at a time, each once the others are ready;
///   OnDelete: a pod takes the update revision when the user deletes it;
/// - revisions are ControllerRevisions (controllers/history) so `kubectl rollout
///   status|history|undo statefulset/x` work, and status carries currentRevision,
///   updateRevision and the replica counts kube reports.
class StatefulSetController final : public Controller {
public:
    explicit StatefulSetController(const ControllerContext& context);
    ~StatefulSetController() override;

    std::string_view name() const override { return "statefulset"; }
    void run(int workers) override;
    void stop() override;

    /// Makes the StatefulSet `key` ("namespace/name") what its spec asks for.
    core::Result<void> sync(const std::string& key);

private:
    void enqueueOwnerOf(const nlohmann::json& pod);

    const client::Client& m_client;
    client::Informer& m_sets;
    client::Informer& m_pods;
    client::Informer& m_claims;
    client::Informer& m_revisions;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
