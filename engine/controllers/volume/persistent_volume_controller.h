// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
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

/// What the built-in storage looks like.
struct StorageOptions {
    /// The default StorageClass made at start if it is missing (minikube's is "standard").
    std::string defaultClass = "standard";
    /// Its provisioner: volumes of classes with this provisioner are made by this controller.
    std::string provisioner = "k8s.io/minikube-hostpath";
    /// Where provisioned hostPath volumes live on the node: `<root>/<namespace>/<claim>`.
    std::filesystem::path hostPathRoot = "/tmp/hostpath-provisioner";
};

/// Persistent volumes as a local cluster needs them, in one controller: kube's PV controller
/// (pkg/controller/volume/persistentvolume: claims without a class get the default one, claims
/// bind to a fitting Available volume, released volumes are reclaimed by their policy) and
/// minikube's storage-provisioner (a hostPath PersistentVolume for each claim of a class whose
/// provisioner is ours, named `pvc-<claim uid>`, deleted with it).
class PersistentVolumeController final : public Controller {
public:
    explicit PersistentVolumeController(const ControllerContext& context,
                                        StorageOptions options = {});
    ~PersistentVolumeController() override;

    std::string_view name() const override { return "persistentvolume-binder"; }
    void run(int workers) override;
    void stop() override;

    /// Binds or provisions for the claim `key` ("namespace/name"); keys "pv:<name>" reclaim.
    core::Result<void> sync(const std::string& key);

private:
    core::Result<void> syncClaim(const std::string& nameSpace, const std::string& name);
    core::Result<void> syncVolume(const std::string& name);
    core::Result<void> ensureDefaultClass();
    void enqueuePendingClaims();

    const client::Client& m_client;
    const StorageOptions m_options;
    client::Informer& m_claims;
    client::Informer& m_volumes;
    client::Informer& m_classes;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
