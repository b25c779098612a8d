// SPDX-License-Identifier: Apache-2.0
#include "engine/auth/rbac_policy_cache.h"

#include <spdlog/spdlog.h>

#include "engine/auth/rbac_authorizer.h"
#include "engine/store/store.h"

namespace slipway::auth {
namespace {

/// Roles, ClusterRoles, RoleBindings and ClusterRoleBindings all live under this prefix.
constexpr const char* kRbacPrefix = "/registry/rbac.authorization.k8s.io/";

}  // namespace

RbacPolicyCache::RbacPolicyCache(store::Store& store, RbacAuthorizer& authorizer)
    : m_store(store), m_authorizer(authorizer) {}

RbacPolicyCache::~RbacPolicyCache() {
    stop();
}

core::Result<void> RbacPolicyCache::start() {
    if (auto listed = relist(); !listed) {
        return listed;
    }
    m_thread = std::thread([this] { run(); });
    return core::success();
}

void RbacPolicyCache::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    if (m_watch) {
        m_watch->stop();
        m_watch.reset();
    }
}

std::int64_t RbacPolicyCache::revision() const {
    std::lock_guard lock(m_mutex);
    return m_revision;
}

core::Result<void> RbacPolicyCache::relist() {
    if (m_watch) {
        m_watch->stop();
        m_watch.reset();
    }
    store::ListOptions options;
    options.prefix = kRbacPrefix;
    auto page = m_store.list(options);
    if (!page) {
        return page.error();
    }
    m_objects.clear();
    for (const auto& kv : page->items) {
        auto object = nlohmann::json::parse(kv.value, nullptr, false);
        if (object.is_object()) {
            m_objects.emplace(kv.key, std::move(object));
        }
    }
    publish();
    {
        std::lock_guard lock(m_mutex);
        m_revision = page->revision;
    }
    auto watch = m_store.watch(kRbacPrefix, page->revision, [this] {
        {
            std::lock_guard lock(m_mutex);
            m_pending = true;
        }
        m_wake.notify_one();
    });
    if (!watch) {
        return watch.error();
    }
    m_watch = std::move(*watch);
    return core::success();
}

void RbacPolicyCache::run() {
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            // The replay of a new watch is queued before any notifier runs: poll once anyway.
            m_wake.wait_for(lock, std::chrono::seconds(1),
                            [this] { return m_pending || m_stopping; });
            if (m_stopping) {
                return;
            }
            m_pending = false;
        }
        if (!m_watch) {
            // The last relist failed: try again (at most once a second, the wait above).
            if (auto listed = relist(); !listed) {
                spdlog::warn("RBAC policy relist: {}", listed.error().message());
            }
            continue;
        }
        auto events = m_watch->poll();
        for (const auto& event : events) {
            if (event->type == store::WatchEvent::Type::Delete) {
                m_objects.erase(event->kv.key);
                continue;
            }
            auto object = nlohmann::json::parse(event->kv.value, nullptr, false);
            if (object.is_object()) {
                m_objects[event->kv.key] = std::move(object);
            }
        }
        if (!events.empty()) {
            // The policy first: whoever sees revision() reach a write sees its effect.
            publish();
            std::lock_guard lock(m_mutex);
            m_revision = events.back()->revision;
        }
        if (const auto error = m_watch->error()) {
            spdlog::info("RBAC policy watch ended ({}), listing again", error->message());
            if (auto listed = relist(); !listed) {
                spdlog::warn("RBAC policy relist: {}", listed.error().message());
            }
        }
    }
}

void RbacPolicyCache::publish() {
    auto policy = std::make_shared<RbacPolicy>();
    for (const auto& [key, object] : m_objects) {
        policy->add(object);
    }
    m_authorizer.setPolicy(std::move(policy));
}

}  // namespace slipway::auth
