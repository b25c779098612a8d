// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::admission {

/// kube-apiserver's DefaultIngressClass admission for an Ingress being created: unless it names
/// a class (spec.ingressClassName, or the legacy kubernetes.io/ingress.class annotation), it
/// gets the default IngressClass, the one of `ingressClasses` annotated
/// ingressclass.kubernetes.io/is-default-class "true"; of several, the newest (then the first
/// by name), as kube picks since 1.28. Without a default class the Ingress is left alone.
void setDefaultIngressClass(nlohmann::json& ingress,
                            const std::vector<nlohmann::json>& ingressClasses);

}  // namespace slipway::admission
