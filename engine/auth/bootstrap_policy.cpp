// SPDX-License-Identifier: Apache-2.0
// The default RBAC policy, after kube-apiserver 1.32's plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy (policy.go), restricted to the roles that matter without kube's own
// components (no system:node, system:kube-scheduler, …).
#include "engine/auth/bootstrap_policy.h"

#include <string>

#include "engine/api/resource_type.h"
#include "engine/apiserver/object_codec.h"
#include "engine/store/store.h"

namespace slipway::auth {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

const Strings kRead = {"get", "list", "watch"};
const Strings kWrite = {"create", "update", "patch", "delete", "deletecollection"};
const Strings kReadWrite = {"get",    "list",  "watch",  "create",
                            "update", "patch", "delete", "deletecollection"};

json rule(const Strings& verbs, const Strings& groups, const Strings& resources) {
    return {{"verbs", verbs}, {"apiGroups", groups}, {"resources", resources}};
}

json urls(const Strings& verbs, const Strings& nonResourceUrls) {
    return {{"verbs", verbs}, {"nonResourceURLs", nonResourceUrls}};
}

json metadata(const std::string& name, json labels = json::object()) {
    labels["kubernetes.io/bootstrapping"] = "rbac-defaults";
    return {{"name", name},
            {"labels", std::move(labels)},
            {"annotations", {{"rbac.authorization.k8s.io/autoupdate", "true"}}}};
}

json clusterRole(const std::string& name, json rules, json labels = json::object()) {
    return {{"apiVersion", std::string(kRbacGroup) + "/v1"},
            {"kind", "ClusterRole"},
            {"metadata", metadata(name, std::move(labels))},
            {"rules", std::move(rules)}};
}

/// An aggregated role (admin, edit, view): its selector, and the rules of the roles it
/// selects already gathered in the order the clusterrole-aggregation controller gathers them,
/// so that the role is complete before the controller first runs and it has nothing to change.
json aggregatedClusterRole(const std::string& name, const std::string& aggregateFrom,
                           const json& rules, json labels = json::object()) {
    json role = clusterRole(name, rules, std::move(labels));
    role["aggregationRule"] = {
        {"clusterRoleSelectors",
         json::array({{{"matchLabels",
                        {{"rbac.authorization.k8s.io/aggregate-to-" + aggregateFrom, "true"}}}}})}};
    return role;
}

json groupsBinding(const std::string& name, const Strings& groups) {
    json subjects = json::array();
    for (const auto& group : groups) {
        subjects.push_back({{"apiGroup", kRbacGroup}, {"kind", "Group"}, {"name", group}});
    }
    return {{"apiVersion", std::string(kRbacGroup) + "/v1"},
            {"kind", "ClusterRoleBinding"},
            {"metadata", metadata(name)},
            {"roleRef", {{"apiGroup", kRbacGroup}, {"kind", "ClusterRole"}, {"name", name}}},
            {"subjects", std::move(subjects)}};
}

json serviceAccountBinding(const std::string& name, const std::string& nameSpace,
                           const std::string& serviceAccount) {
    json binding = groupsBinding(name, {});
    binding["subjects"] = json::array(
        {{{"kind", "ServiceAccount"}, {"name", serviceAccount}, {"namespace", nameSpace}}});
    return binding;
}

json viewRules() {
    return json::array({
        rule(kRead, {""},
             {"configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
              "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
              "services", "services/status"}),
        rule(kRead, {""},
             {"bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
              "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"}),
        // Reading namespaces at namespace scope means reading this namespace.
        rule(kRead, {""}, {"namespaces"}),
        rule(kRead, {"discovery.k8s.io"}, {"endpointslices"}),
        rule(kRead, {"apps"},
             {"controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
              "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
              "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"}),
        rule(kRead, {"autoscaling"},
             {"horizontalpodautoscalers", "horizontalpodautoscalers/status"}),
        rule(kRead, {"batch"}, {"cronjobs", "cronjobs/status", "jobs", "jobs/status"}),
        rule(kRead, {"extensions"},
             {"daemonsets", "daemonsets/status", "deployments", "deployments/scale",
              "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
              "replicasets", "replicasets/scale", "replicasets/status",
              "replicationcontrollers/scale"}),
        rule(kRead, {"policy"}, {"poddisruptionbudgets", "poddisruptionbudgets/status"}),
        rule(kRead, {"networking.k8s.io"}, {"ingresses", "ingresses/status", "networkpolicies"}),
    });
}

json editRules() {
    return json::array({
        rule(kRead, {""},
             {"pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
              "services/proxy"}),
        rule({"impersonate"}, {""}, {"serviceaccounts"}),
        rule(kWrite, {""}, {"pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"}),
        rule({"create"}, {""}, {"pods/eviction"}),
        rule(kWrite, {""},
             {"configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
              "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
              "services/proxy"}),
        rule({"create"}, {""}, {"serviceaccounts/token"}),
        rule(kWrite, {"apps"},
             {"daemonsets", "deployments", "deployments/rollback", "deployments/scale",
              "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"}),
        rule(kWrite, {"autoscaling"}, {"horizontalpodautoscalers"}),
        rule(kWrite, {"batch"}, {"cronjobs", "jobs"}),
        rule(kWrite, {"extensions"},
             {"daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
              "networkpolicies", "replicasets", "replicasets/scale",
              "replicationcontrollers/scale"}),
        rule(kWrite, {"policy"}, {"poddisruptionbudgets"}),
        rule(kWrite, {"networking.k8s.io"}, {"ingresses", "networkpolicies"}),
        rule(kWrite, {"coordination.k8s.io"}, {"leases"}),
    });
}

json adminRules() {
    return json::array({
        rule({"create"}, {"authorization.k8s.io"}, {"localsubjectaccessreviews"}),
        rule(kReadWrite, {kRbacGroup}, {"rolebindings", "roles"}),
    });
}

json concat(std::initializer_list<json> lists) {
    json all = json::array();
    for (const auto& list : lists) {
        all.insert(all.end(), list.begin(), list.end());
    }
    return all;
}

}  // namespace

std::vector<json> bootstrapClusterRoles() {
    const json aggregateToAdmin = {{"rbac.authorization.k8s.io/aggregate-to-admin", "true"}};
    const json aggregateToEdit = {{"rbac.authorization.k8s.io/aggregate-to-edit", "true"}};
    const json aggregateToView = {{"rbac.authorization.k8s.io/aggregate-to-view", "true"}};
    return {
        // A "root" role which can do absolutely anything.
        clusterRole("cluster-admin", json::array({rule({"*"}, {"*"}, {"*"}), urls({"*"}, {"*"})})),
        // Just enough to find out whether the server is ready and which APIs it serves.
        clusterRole("system:discovery",
                    json::array({urls(
                        {"get"}, {"/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                                  "/openapi", "/openapi/*", "/readyz", "/version", "/version/"})})),
        // Enough for a user to learn about themselves (kubectl auth can-i, auth whoami).
        clusterRole(
            "system:basic-user",
            json::array({rule({"create"}, {"authorization.k8s.io"},
                              {"selfsubjectaccessreviews", "selfsubjectrulesreviews"}),
                         rule({"create"}, {"authentication.k8s.io"}, {"selfsubjectreviews"})})),
        clusterRole("system:public-info-viewer",
                    json::array({urls(
                        {"get"}, {"/healthz", "/livez", "/readyz", "/version", "/version/"})})),
        // admin selects edit and system:aggregate-to-admin, edit selects
        // system:aggregate-to-edit and view: by name, edit's rules come first in admin, and
        // system:aggregate-to-edit's first in edit.
        aggregatedClusterRole("admin", "admin", concat({editRules(), viewRules(), adminRules()})),
        aggregatedClusterRole("edit", "edit", concat({editRules(), viewRules()}), aggregateToAdmin),
        aggregatedClusterRole("view", "view", viewRules(), aggregateToEdit),
        clusterRole("system:aggregate-to-admin", adminRules(), aggregateToAdmin),
        clusterRole("system:aggregate-to-edit", editRules(), aggregateToEdit),
        clusterRole("system:aggregate-to-view", viewRules(), aggregateToView),
        // kube's controller role creates service accounts and events; its informers run as the
        // controller manager. Slipway's in-process informers run as the controller itself,
        // hence the reads.
        clusterRole(
            "system:controller:service-account-controller",
            json::array({rule({"create"}, {""}, {"serviceaccounts"}),
                         rule(kRead, {""}, {"namespaces", "serviceaccounts"}),
                         rule({"create", "patch", "update"}, {"", "events.k8s.io"}, {"events"})})),
        // What a joining node agent (`slipwayd agent`, authenticated by its line of the token
        // file as system:node:NAME in group system:nodes) needs for its kubelet, its Service
        // proxy and its NetworkPolicy enforcement: kube's system:node and
        // system:node-proxier in one. kube narrows a node to its own objects with the Node
        // authorizer, which Slipway does not have; this role is bound to the group instead.
        clusterRole(
            "system:node",
            json::array({
                rule({"create", "get", "list", "watch", "update", "patch"}, {""}, {"nodes"}),
                rule({"update", "patch"}, {""}, {"nodes/status", "pods/status"}),
                rule({"get", "list", "watch", "create", "delete"}, {""}, {"pods"}),
                rule({"create"}, {""}, {"pods/eviction", "serviceaccounts/token"}),
                rule(kRead, {""},
                     {"services", "endpoints", "namespaces", "configmaps", "secrets",
                      "persistentvolumeclaims", "persistentvolumes"}),
                rule(kRead, {"discovery.k8s.io"}, {"endpointslices"}),
                rule(kRead, {"networking.k8s.io"}, {"networkpolicies"}),
                rule({"get", "create", "update", "patch", "delete"}, {"coordination.k8s.io"},
                     {"leases"}),
                rule({"create", "patch", "update"}, {"", "events.k8s.io"}, {"events"}),
            })),
    };
}

std::vector<json> bootstrapClusterRoleBindings() {
    return {
        groupsBinding("cluster-admin", {"system:masters"}),
        groupsBinding("system:basic-user", {"system:authenticated"}),
        groupsBinding("system:discovery", {"system:authenticated"}),
        groupsBinding("system:public-info-viewer",
                      {"system:authenticated", "system:unauthenticated"}),
        groupsBinding("system:node", {"system:nodes"}),
        serviceAccountBinding("system:controller:service-account-controller",
                              kServiceAccountControllerNamespace, kServiceAccountControllerName),
    };
}

core::Result<void> ensureBootstrapPolicy(store::Store& store,
                                         std::chrono::system_clock::time_point now) {
    api::ResourceType type;
    type.group = kRbacGroup;
    type.version = "v1";
    type.namespaced = false;
    const auto create = [&](json object, const std::string& plural) -> core::Result<void> {
        type.plural = plural;
        const std::string name = object["metadata"]["name"].get<std::string>();
        const std::string key = apiserver::storageKey(type, "", name);
        if (store.get(key)) {
            return core::success();
        }
        object["metadata"]["uid"] = apiserver::newUid();
        object["metadata"]["creationTimestamp"] = apiserver::rfc3339(now);
        auto created = store.create(key, apiserver::encodeObject(object));
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
        return core::success();
    };
    for (auto& role : bootstrapClusterRoles()) {
        if (auto created = create(std::move(role), "clusterroles"); !created) {
            return created;
        }
    }
    for (auto& binding : bootstrapClusterRoleBindings()) {
        if (auto created = create(std::move(binding), "clusterrolebindings"); !created) {
            return created;
        }
    }
    return core::success();
}

}  // namespace slipway::auth
