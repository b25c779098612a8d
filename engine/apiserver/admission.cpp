// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/admission.h"

#include "engine/admission/default_ingress_class.h"
#include "engine/admission/limit_ranger.h"
#include "engine/admission/quota.h"
#include "engine/admission/service_account.h"
#include "engine/apiserver/object_codec.h"
#include "engine/store/store.h"

namespace slipway::apiserver {

namespace {

using nlohmann::json;

std::string namespaceOf(const json& object) {
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return {};
    }
    return metadata->value("namespace", "");
}

std::string nameOf(const json& object) {
    const auto metadata = object.find("metadata");
    return metadata != object.end() && metadata->is_object() ? metadata->value("name", "") : "";
}

core::Error forbidden(const api::ResourceType& type, const json& object,
                      const std::string& reason) {
    return core::Error(
        core::ErrorCode::Forbidden,
        type.qualifiedResource() + " \"" + nameOf(object) + "\" is forbidden: " + reason);
}

}  // namespace

std::vector<json> NamespaceAdmission::namespaceObjects(const std::string& prefix) const {
    std::vector<json> objects;
    store::ListOptions options;
    options.prefix = prefix;
    auto listed = m_store.list(options);
    if (!listed) {
        return objects;
    }
    for (const auto& item : listed->items) {
        if (auto decoded = decodeObject(item)) {
            objects.push_back(std::move(*decoded));
        }
    }
    return objects;
}

void NamespaceAdmission::mutate(const api::ResourceType& type, json& object) const {
    if (type.group == "networking.k8s.io" && type.kind == "Ingress") {
        admission::setDefaultIngressClass(
            object, namespaceObjects("/registry/networking.k8s.io/ingressclasses/"));
        return;
    }
    if (!type.group.empty() || type.kind != "Pod") {
        return;
    }
    const auto ranges = namespaceObjects("/registry/core/limitranges/" + namespaceOf(object) + "/");
    if (!ranges.empty()) {
        admission::applyLimitRangeDefaults(object, ranges);
    }
    admission::mountServiceAccountToken(object, serviceAccountOf(object).value_or(json()),
                                        randomNameSuffix());
}

std::optional<json> NamespaceAdmission::serviceAccountOf(const json& pod) const {
    const std::string name = pod.value("/spec/serviceAccountName"_json_pointer, "default");
    auto kv = m_store.get("/registry/core/serviceaccounts/" + namespaceOf(pod) + "/" + name);
    if (!kv) {
        return std::nullopt;
    }
    auto decoded = decodeObject(*kv);
    return decoded ? std::optional<json>(std::move(*decoded)) : std::nullopt;
}

core::Result<void> NamespaceAdmission::validate(const api::ResourceType& type,
                                                const json& object) const {
    const std::string nameSpace = namespaceOf(object);
    if (nameSpace.empty() || !type.namespaced) {
        return {};
    }
    if (type.group.empty() && type.kind == "Pod") {
        // ServiceAccount admission: the pod's account must exist. "default" is let through
        // while its namespace is new and the ServiceAccount controller has yet to make it.
        const std::string account = object.value("/spec/serviceAccountName"_json_pointer, "");
        if (!account.empty() && account != "default" && !serviceAccountOf(object)) {
            return forbidden(type, object,
                             "error looking up service account " + nameSpace + "/" + account +
                                 ": serviceaccount \"" + account + "\" not found");
        }
    }
    if (type.group.empty() && (type.kind == "Pod" || type.kind == "PersistentVolumeClaim")) {
        const auto ranges = namespaceObjects("/registry/core/limitranges/" + nameSpace + "/");
        if (!ranges.empty()) {
            const auto violations = type.kind == "Pod"
                                        ? admission::limitRangeViolations(object, ranges)
                                        : admission::claimLimitViolations(object, ranges);
            if (violations.size() == 1) {
                return forbidden(type, object, violations.front());
            }
            if (!violations.empty()) {
                std::string list;
                for (const auto& violation : violations) {
                    list += (list.empty() ? "" : ", ") + violation;
                }
                return forbidden(type, object, "[" + list + "]");
            }
        }
    }

    const auto quotas = namespaceObjects("/registry/core/resourcequotas/" + nameSpace + "/");
    if (quotas.empty()) {
        return {};
    }
    // Only quotas that count this kind matter; they are checked against what is stored now.
    const std::string resource = type.group.empty() ? type.plural : type.plural + "." + type.group;
    bool counted = false;
    for (const auto& quota : quotas) {
        const auto hard = quota.find("spec") != quota.end() && quota["spec"].is_object()
                              ? quota["spec"].value("hard", json::object())
                              : json::object();
        for (const auto& [name, value] : hard.items()) {
            (void)value;
            counted = counted || admission::countedResource(name) == resource;
        }
    }
    if (!counted) {
        return {};
    }
    admission::NamespaceObjects objects;
    objects[resource] = namespaceObjects(storagePrefix(type, nameSpace));
    for (const auto& quota : quotas) {
        if (auto violation = admission::quotaViolation(quota, objects, resource, object)) {
            return forbidden(type, object, *violation);
        }
    }
    return {};
}

}  // namespace slipway::apiserver
