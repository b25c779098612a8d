// SPDX-License-Identifier: Apache-2.0
#include "engine/admission/service_account.h"

namespace slipway::admission {

using nlohmann::json;

namespace {

bool mountsCredentials(const json& container) {
    const auto mounts = container.find("volumeMounts");
    if (mounts == container.end() || !mounts->is_array()) {
        return false;
    }
    for (const auto& mount : *mounts) {
        if (mount.is_object() && mount.value("mountPath", "") == kServiceAccountMountPath) {
            return true;
        }
    }
    return false;
}

json tokenVolume(const std::string& name) {
    return {{"name", name},
            {"projected",
             {{"defaultMode", 420},
              {"sources",
               json::array(
                   {{{"serviceAccountToken", {{"expirationSeconds", 3607}, {"path", "token"}}}},
                    {{"configMap",
                      {{"name", kRootCaConfigMap},
                       {"items", json::array({{{"key", "ca.crt"}, {"path", "ca.crt"}}})}}}},
                    {{"downwardAPI",
                      {{"items", json::array({{{"path", "namespace"},
                                               {"fieldRef",
                                                {{"apiVersion", "v1"},
                                                 {"fieldPath", "metadata.namespace"}}}}})}}}}})}}}};
}

}  // namespace

void mountServiceAccountToken(json& pod, const json& serviceAccount, const std::string& suffix) {
    if (!pod.is_object() || !pod["spec"].is_object()) {
        return;
    }
    json& spec = pod["spec"];
    if (pod.contains("/metadata/annotations/kubernetes.io~1config.mirror"_json_pointer)) {
        return;
    }
    // The pod's own setting wins; else the ServiceAccount's; else mount.
    bool automount = true;
    if (const auto it = spec.find("automountServiceAccountToken");
        it != spec.end() && it->is_boolean()) {
        automount = it->get<bool>();
    } else if (serviceAccount.is_object()) {
        const auto own = serviceAccount.find("automountServiceAccountToken");
        automount = own == serviceAccount.end() || !own->is_boolean() || own->get<bool>();
    }
    if (!automount) {
        return;
    }
    const std::string volumeName = "kube-api-access-" + suffix;
    bool mounted = false;
    for (const char* field : {"initContainers", "containers"}) {
        const auto list = spec.find(field);
        if (list == spec.end() || !list->is_array()) {
            continue;
        }
        for (json& container : *list) {
            if (!container.is_object() || mountsCredentials(container)) {
                continue;
            }
            if (!container["volumeMounts"].is_array()) {
                container["volumeMounts"] = json::array();
            }
            container["volumeMounts"].push_back({{"name", volumeName},
                                                 {"readOnly", true},
                                                 {"mountPath", kServiceAccountMountPath}});
            mounted = true;
        }
    }
    if (!mounted) {
        return;
    }
    if (!spec["volumes"].is_array()) {
        spec["volumes"] = json::array();
    }
    spec["volumes"].push_back(tokenVolume(volumeName));
}

}  // namespace slipway::admission
