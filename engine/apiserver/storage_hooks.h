// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"

namespace slipway::apiserver {

/// kube-apiserver's registry hooks for kinds whose writes hold resources outside the object
/// (genericregistry.Store's BeginCreate, BeginUpdate and AfterDelete; the Service registry
/// allocates cluster IPs and node ports through them). A begin hook runs after validation and
/// may fill in fields of the object; the Finish it returns is told whether the write
/// committed, so a refused or lost write gives back what it took.
class StorageHooks {
public:
    using Finish = std::function<void(bool committed)>;

    virtual ~StorageHooks() = default;
    /// Before a create of `object` is stored. Field errors go to `causes` (answered 422).
    virtual Finish beginCreate(const api::ResourceType& type, nlohmann::json& object,
                               api::FieldCauses& causes) = 0;
    /// Before `next` replaces `old`.
    virtual Finish beginUpdate(const api::ResourceType& type, const nlohmann::json& old,
                               nlohmann::json& next, api::FieldCauses& causes) = 0;
    /// After `object` was removed from the store for good.
    virtual void afterDelete(const api::ResourceType& type, const nlohmann::json& object) = 0;
};

}  // namespace slipway::apiserver
