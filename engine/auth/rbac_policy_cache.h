// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::store {
class Store;
class Watch;
}  // namespace slipway::store

namespace slipway::auth {

class RbacAuthorizer;

/// Keeps an RbacAuthorizer's policy in step with the RBAC objects in the store, as
/// kube-apiserver's RBAC authorizer reads them from informers: one list of
/// /registry/rbac.authorization.k8s.io/ at start, then a watch of that prefix from the list's
/// revision. Each batch of events becomes a new immutable RbacPolicy, so requests never list
/// or parse anything. If the watch ends (its queue overflowed, the revision was compacted) it
/// lists again.
///
/// One thread, woken by the store's notifier. The store and authorizer must outlive it.
class RbacPolicyCache {
public:
    RbacPolicyCache(store::Store& store, RbacAuthorizer& authorizer);
    /// Stops the thread.
    ~RbacPolicyCache();
    RbacPolicyCache(const RbacPolicyCache&) = delete;
    RbacPolicyCache& operator=(const RbacPolicyCache&) = delete;

    /// Lists and publishes the first policy before returning, then follows the watch.
    core::Result<void> start();
    void stop();

    /// The store revision the published policy reflects.
    std::int64_t revision() const;

private:
    core::Result<void> relist();
    void run();
    void publish();

    store::Store& m_store;
    RbacAuthorizer& m_authorizer;
    /// Stored RBAC objects by key.
    std::map<std::string, nlohmann::json> m_objects;
    std::unique_ptr<store::Watch> m_watch;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    bool m_stopping = false;
    std::int64_t m_revision = 0;
    std::thread m_thread;
};

}  // namespace slipway::auth
