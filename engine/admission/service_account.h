// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace slipway::admission {

/// Where kubelet mounts a pod's service-account credentials.
inline constexpr const char* kServiceAccountMountPath =
    "/var/run/secrets/kubernetes.io/serviceaccount";
/// The ConfigMap the root-CA publisher keeps in every namespace.
inline constexpr const char* kRootCaConfigMap = "kube-root-ca.crt";

/// kube-apiserver's ServiceAccount admission for a pod being created: unless
/// automountServiceAccountToken is false (on the pod, or else on `serviceAccount`), adds the
/// projected volume `kube-api-access-<suffix>` — a bound token (expirationSeconds 3607, path
/// `token`), the `kube-root-ca.crt` ConfigMap's `ca.crt`, and the namespace from the downward
/// API, defaultMode 0644 — and mounts it read-only at kServiceAccountMountPath in every
/// container and init container that does not already mount something there. Mirror pods
/// (annotation kubernetes.io/config.mirror) are left alone. `serviceAccount` may be null (not
/// found). `suffix`: five random characters, as kube's name generator makes them.
void mountServiceAccountToken(nlohmann::json& pod, const nlohmann::json& serviceAccount,
                              const std::string& suffix);

}  // namespace slipway::admission
