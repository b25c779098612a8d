// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/resource_type.h"
#include "engine/core/result.h"

namespace slipway::api {

/// A served group-version and whether it is its group's preferred version.
struct GroupVersionInfo {
    std::string group;
    std::string version;
    bool preferred = true;
    std::string toString() const { return group.empty() ? version : group + "/" + version; }
};

/// The resource types the API server serves. Built-in kinds are registered at start-up;
/// custom resources are added and removed at run time as CRDs come and go, so lookups are
/// thread-safe and return shared pointers that stay valid while used.
class KindRegistry {
public:
    /// A registry holding every built-in kind of Kubernetes 1.32 that Slipway serves.
    static std::unique_ptr<KindRegistry> withBuiltinKinds();

    /// Adds a type (Conflict if group/version/plural is taken).
    core::Result<void> add(ResourceType type);
    /// Replaces the type of the same group/version/plural in place (a CRD changed), or adds it.
    void replace(ResourceType type);
    /// Removes a type (CRD deleted); NotFound if absent.
    core::Result<void> remove(const std::string& group, const std::string& version,
                              const std::string& plural);

    /// By URL: group, version and plural ("apps", "v1", "deployments").
    std::shared_ptr<const ResourceType> find(std::string_view group, std::string_view version,
                                             std::string_view plural) const;
    /// By kind in a group-version ("apps", "v1", "Deployment").
    std::shared_ptr<const ResourceType> findKind(std::string_view group, std::string_view version,
                                                 std::string_view kind) const;

    /// Every served group-version, core ("v1") first, then groups in discovery order.
    std::vector<GroupVersionInfo> groupVersions() const;
    /// Every type of one group-version, in registration order.
    std::vector<std::shared_ptr<const ResourceType>> resources(std::string_view group,
                                                               std::string_view version) const;
    /// Every type.
    std::vector<std::shared_ptr<const ResourceType>> all() const;

private:
    mutable std::shared_mutex m_mutex;
    std::vector<std::shared_ptr<const ResourceType>> m_types;
};

}  // namespace slipway::api
