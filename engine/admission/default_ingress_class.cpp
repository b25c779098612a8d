// SPDX-License-Identifier: Apache-2.0
#include "engine/admission/default_ingress_class.h"

#include <string>
#include <tuple>

namespace slipway::admission {

using nlohmann::json;

void setDefaultIngressClass(json& ingress, const std::vector<json>& ingressClasses) {
    if (!ingress.is_object() || ingress.contains("/spec/ingressClassName"_json_pointer)) {
        return;
    }
    const auto annotations = "/metadata/annotations"_json_pointer;
    if (ingress.contains(annotations) && ingress.at(annotations).is_object() &&
        ingress.at(annotations).contains("kubernetes.io/ingress.class")) {
        return;
    }
    const json* chosen = nullptr;
    std::tuple<std::string, std::string> chosenOrder;
    for (const auto& ingressClass : ingressClasses) {
        const json metadata = ingressClass.value("metadata", json::object());
        const json classAnnotations = metadata.value("annotations", json::object());
        if (!classAnnotations.is_object() ||
            classAnnotations.value("ingressclass.kubernetes.io/is-default-class", "") != "true") {
            continue;
        }
        // Newest first; at the same second, the first name.
        const std::string created = metadata.value("creationTimestamp", "");
        const std::string name = metadata.value("name", "");
        if (chosen == nullptr || created > std::get<0>(chosenOrder) ||
            (created == std::get<0>(chosenOrder) && name < std::get<1>(chosenOrder))) {
            chosen = &ingressClass;
            chosenOrder = {created, name};
        }
    }
    if (chosen == nullptr) {
        return;
    }
    if (!ingress.contains("spec") || !ingress["spec"].is_object()) {
        ingress["spec"] = json::object();
    }
    ingress["spec"]["ingressClassName"] = std::get<1>(chosenOrder);
}

}  // namespace slipway::admission
