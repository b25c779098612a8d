// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/api/resource_type.h"
#include "engine/core/result.h"

namespace slipway::store {
class Store;
}

namespace slipway::apiserver {

/// kube-apiserver's admission step for creates: after defaulting, `mutate` may change the
/// object (LimitRanger's default requests and limits); after validation, `validate` may refuse
/// it with a Forbidden error (`pods "x" is forbidden: exceeded quota: …`).
class Admission {
public:
    virtual ~Admission() = default;
    virtual void mutate(const api::ResourceType& type, nlohmann::json& object) const = 0;
    virtual core::Result<void> validate(const api::ResourceType& type,
                                        const nlohmann::json& object) const = 0;
};

/// The admission plugins that read the namespace's other objects from the store: ServiceAccount
/// (a pod's account must exist; its token, the cluster CA and the namespace are mounted, see
/// admission::mountServiceAccountToken), LimitRanger
/// (pods and PersistentVolumeClaims against the namespace's LimitRanges) and ResourceQuota
/// (every create against the namespace's ResourceQuotas, counting what is stored now), and
/// DefaultIngressClass (an Ingress without a class gets the default IngressClass). A
/// namespace without LimitRanges or quotas costs one prefix lookup each.
class NamespaceAdmission final : public Admission {
public:
    explicit NamespaceAdmission(const store::Store& store) : m_store(store) {}

    void mutate(const api::ResourceType& type, nlohmann::json& object) const override;
    core::Result<void> validate(const api::ResourceType& type,
                                const nlohmann::json& object) const override;

private:
    std::vector<nlohmann::json> namespaceObjects(const std::string& prefix) const;
    /// The ServiceAccount `pod` runs as (spec.serviceAccountName), if it exists.
    std::optional<nlohmann::json> serviceAccountOf(const nlohmann::json& pod) const;

    const store::Store& m_store;
};

}  // namespace slipway::apiserver
