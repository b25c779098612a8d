// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace slipway::store {
class Store;
}

namespace slipway::auth {

/// The service account the in-process ServiceAccountsController acts as (kube-controller-
/// manager's --use-service-account-credentials identity for it).
inline constexpr const char* kServiceAccountControllerNamespace = "kube-system";
inline constexpr const char* kServiceAccountControllerName = "service-account-controller";

/// The ClusterRoles kube-apiserver's RBAC bootstrap creates that Slipway serves:
/// cluster-admin, admin, edit, view (aggregated from system:aggregate-to-admin/-edit/-view,
/// which are created too, and from any ClusterRole labelled
/// rbac.authorization.k8s.io/aggregate-to-admin/-edit/-view; created with the rules the
/// clusterrole-aggregation controller gathers from the defaults), system:basic-user,
/// system:discovery, system:public-info-viewer, and the role of the in-process service account
/// controller (kServiceAccountControllerNamespace/Name). Each is labelled
/// kubernetes.io/bootstrapping=rbac-defaults and annotated
/// rbac.authorization.k8s.io/autoupdate=true.
std::vector<nlohmann::json> bootstrapClusterRoles();
/// Their ClusterRoleBindings: cluster-admin to system:masters; system:basic-user and
/// system:discovery to system:authenticated; system:public-info-viewer to
/// system:authenticated and system:unauthenticated; the controller's role to its service
/// account.
std::vector<nlohmann::json> bootstrapClusterRoleBindings();

/// Creates every bootstrap role and binding that is missing (an existing one, changed or
/// not, is left alone).
core::Result<void> ensureBootstrapPolicy(store::Store& store,
                                         std::chrono::system_clock::time_point now);

}  // namespace slipway::auth
