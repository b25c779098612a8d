// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "engine/apiserver/key_lanes.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/router.h"
#include "engine/store/key_value.h"

namespace slipway::store {
class Store;
struct Mutation;
}  // namespace slipway::store
namespace slipway::api {
class KindRegistry;
struct ResourceType;
enum class PatchType;
}  // namespace slipway::api

namespace slipway::apiserver {

class Admission;
class StorageHooks;

struct DeleteOptions;

/// Serves every resource of the kind registry from the store, as kube-apiserver's generic
/// registry does: get, list, watch, create, update, patch, delete and deletecollection on the
/// main resource, and the status subresource. Stateless apart from its collaborators;
/// thread-safe.
class ResourceHandler {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    ResourceHandler(store::Store& store, const api::KindRegistry& registry, Clock clock = {});

    /// Answers a resource request (`info.isResourceRequest`).
    HttpResponse handle(const HttpRequest& request, const RequestInfo& info,
                        const QueryParameters& query) const;

    /// Creates the namespaces every cluster has (default, kube-system, kube-public,
    /// kube-node-lease) if they are missing.
    core::Result<void> bootstrap() const;

    /// Admission for creates (LimitRanger, ResourceQuota); none by default. Set it before
    /// serving; it must outlive the handler.
    void setAdmission(const Admission* admission) { m_createAdmission = admission; }
    /// A check of a create, update or patch that needs to know who writes and what will be
    /// stored (kube-apiserver's RBAC storage refuses roles and bindings that would escalate the
    /// writer's privileges). It sees the object after defaulting, before validation, and the
    /// stored one (null on create); its error is the answer.
    using WriteAdmission =
        std::function<core::Result<void>(const Identity& user, const RequestInfo& info,
                                         const nlohmann::json& object, const nlohmann::json* old)>;
    /// Set before serving.
    void setWriteAdmission(WriteAdmission admission) { m_admission = std::move(admission); }
    /// Registry hooks of kinds that hold resources outside the object (the Service
    /// allocator); none by default. Set before serving; it must outlive the handler.
    void setStorageHooks(StorageHooks* hooks) { m_hooks = hooks; }

private:
    struct Call;
    struct OwnedCall;
    /// An object as stored: its key-value (for compare-and-swap) and its decoded JSON.
    struct Current {
        store::KeyValue kv;
        nlohmann::json object;
    };

    /// Reads the object a call names; NotFound (with kube's message) when it is not there.
    core::Result<Current> readCurrent(const Call& call) const;

    HttpResponse get(const Call& call) const;
    HttpResponse list(const Call& call) const;
    HttpResponse watch(const Call& call) const;
    HttpResponse create(const Call& call) const;
    HttpResponse update(const Call& call) const;
    HttpResponse patch(const Call& call) const;
    HttpResponse remove(const Call& call) const;
    HttpResponse removeCollection(const Call& call) const;
    /// POST pods/NAME/binding: the scheduler's (or a user's) assignment of a pod to a node.
    HttpResponse bind(const Call& call) const;
    /// POST pods/NAME/eviction: a deletion that respects PodDisruptionBudgets (kubectl drain).
    HttpResponse evict(const Call& call) const;
    /// Stores `desired` as the next state of the object read as `kv`/`current` (update,
    /// patch, status and scale writes all end here). 409 if it changed meanwhile.
    /// `retry`: this is a re-made attempt after a lost race (store::Mutation::retry).
    HttpResponse commit(const Call& call, const store::KeyValue& kv, const nlohmann::json& current,
                        nlohmann::json desired, bool retry = false) const;
    /// The finish of a deletion of `object`: the storage hooks' afterDelete once committed.
    std::function<void(bool)> afterDelete(std::shared_ptr<const api::ResourceType> type,
                                          const nlohmann::json& object) const;
    HttpResponse deleteObject(const Call& call, const DeleteOptions& options,
                              const store::KeyValue& kv) const;
    /// One read-modify-write of update, patch or delete; an unconditional one that loses a
    /// race (409) is tried again, up to kube-apiserver's five attempts.
    HttpResponse updateAttempt(const Call& call, std::shared_ptr<const nlohmann::json> body,
                               std::int64_t expected, int attempt) const;
    HttpResponse patchAttempt(const Call& call, api::PatchType patchType, int attempt) const;
    HttpResponse removeAttempt(const Call& call, const DeleteOptions& options, int attempt) const;
    /// `result`, or on a 409 `retry(call)`: at once, or where a deferred result is resumed
    /// (with a copy of the call, since the request is gone by then).
    HttpResponse retryOnConflict(const Call& call, HttpResponse result,
                                 const std::function<HttpResponse(const Call&)>& retry) const;
    /// Queues `mutation` and answers, deferred, with `answer(outcome)` once it has committed.
    /// `finish` (a storage hook's) learns whether it committed, even if nobody is answered.
    HttpResponse submitWrite(store::Mutation mutation,
                             std::function<HttpResponse(core::Result<store::KeyValue>)> answer,
                             std::function<void(bool)> finish = {}) const;

    store::Store& m_store;
    const api::KindRegistry& m_registry;
    Clock m_clock;
    const Admission* m_createAdmission = nullptr;
    WriteAdmission m_admission;
    StorageHooks* m_hooks = nullptr;
    /// PATCHes of one object run one at a time (see KeyLanes).
    mutable KeyLanes m_patchLanes;
};

}  // namespace slipway::apiserver
