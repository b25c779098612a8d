// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"
#include "engine/apiextensions/custom_resource_schemas.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::api {
class KindRegistry;
}

namespace slipway::apiextensions {

/// apiextensions-apiserver's naming, establishing and finalizer controllers in one, in the
/// Kubernetes shape: an informer on CustomResourceDefinitions whose handlers enqueue the
/// CRD's name, and a worker that syncs one name at a time, level-triggered, through the Client.
///
/// sync(name):
/// - the CRD is gone: stop serving its custom resources;
/// - it is being deleted with the cleanup finalizer: Terminating InstanceDeletionInProgress,
///   delete every custom resource, stop serving them, Terminating InstanceDeletionCompleted,
///   remove the finalizer (the API server then deletes the CRD);
/// - otherwise check its names against the built-in kinds and the accepted names of the other
///   CRDs of its group: NamesAccepted True (NoConflicts) or False (PluralConflict,
///   SingularConflict, KindConflict, ListKindConflict, ShortNamesConflict); once accepted,
///   serve every served version in the KindRegistry, set Established True
///   (InitialNamesAccepted), status.acceptedNames and status.storedVersions.
class CrdController final : public CustomResourceSchemas {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// `registry` holds the built-in kinds; the controller adds and removes custom resource
    /// types. Both must outlive the controller.
    CrdController(const client::Client& client, api::KindRegistry& registry, Clock clock = {});
    ~CrdController() override;
    CrdController(const CrdController&) = delete;
    CrdController& operator=(const CrdController&) = delete;

    /// Lists the CRDs and syncs each once, so that stored CRDs are served when this returns,
    /// then starts watching and the worker. Fails if the first list takes longer than
    /// `timeout`.
    core::Result<void> start(std::chrono::milliseconds timeout);
    /// Stops the worker and the informer. Idempotent.
    void stop();

    /// One level-triggered step for the CRD `name` (public for tests).
    core::Result<void> sync(const std::string& name);

    std::vector<CustomResourceSchema> schemas() const override;

private:
    struct Served {
        std::string fingerprint;  ///< spec and accepted names the types were built from
        std::vector<api::ResourceType> types;
        nlohmann::json crd;  ///< with the accepted names, for schemas()
    };

    core::Result<void> finalize(const nlohmann::json& cached);
    void serve(const std::string& name, const nlohmann::json& crd);
    void stopServing(const std::string& name);
    std::vector<std::string> acceptedNamesInUse(const std::string& group, const std::string& self,
                                                bool kinds) const;

    const client::Client& m_client;
    api::KindRegistry& m_registry;
    Clock m_clock;
    /// Built-in kinds, taken before any CRD is served: their names are never available.
    std::vector<std::shared_ptr<const api::ResourceType>> m_builtin;

    client::Informer m_informer;
    client::WorkQueue m_queue;
    std::thread m_worker;
    bool m_started = false;

    mutable std::mutex m_mutex;
    std::map<std::string, Served> m_served;  ///< by CRD name
};

}  // namespace slipway::apiextensions
