// SPDX-License-Identifier: Apache-2.0
// The built-in kinds Slipway serves, named exactly as kube-apiserver 1.32 publishes them in
// discovery (`kubectl api-resources -o wide`): group, version, kind, plural, singular, short
// names, categories, scope, verbs and subresources. Within a group-version they are listed in
// the alphabetical order kube-apiserver uses.
#include <cassert>
#include <utility>

#include "engine/api/conversion.h"
#include "engine/api/defaulting.h"
#include "engine/api/kind_registry.h"
#include "engine/api/patch_metadata.h"
#include "engine/api/printers.h"
#include "engine/api/validation.h"

namespace slipway::api {
namespace {

using Verbs = std::vector<std::string>;

const Verbs kAllVerbs = {"create", "delete", "deletecollection", "get",
                         "list",   "patch",  "update",           "watch"};
// Namespaces cannot be deleted in bulk.
const Verbs kNoDeleteCollection = {"create", "delete", "get", "list", "patch", "update", "watch"};

Subresource status(const std::string& group, const std::string& version, const std::string& kind) {
    return {"status", group, version, kind, {"get", "patch", "update"}};
}

// Every scale subresource speaks autoscaling/v1 Scale, whatever the group of its parent:
// `kubectl scale --current-replicas` depends on it.
Subresource scale() {
    return {"scale", "autoscaling", "v1", "Scale", {"get", "patch", "update"}};
}

std::string lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

// The names of one kind; behaviour is attached by withBehaviour().
ResourceType names(std::string group, std::string version, std::string kind, std::string plural,
                   std::vector<std::string> shortNames = {}) {
    ResourceType type;
    type.group = std::move(group);
    type.version = std::move(version);
    type.kind = std::move(kind);
    type.plural = std::move(plural);
    // kube-apiserver publishes the lower-cased kind as the singular name of built-in kinds.
    type.singular = lower(type.kind);
    type.shortNames = std::move(shortNames);
    type.verbs = kAllVerbs;
    return type;
}

ResourceType clusterScoped(ResourceType type) {
    type.namespaced = false;
    return type;
}

ResourceType withGeneration(ResourceType type) {
    type.tracksGeneration = true;
    return type;
}

ResourceType withBehaviour(ResourceType type) {
    type.defaulter = builtinDefaulter(type.group, type.kind);
    type.validator = builtinValidator(type.group, type.kind);
    Printer printer = builtinPrinter(type.group, type.kind);
    type.columns = std::move(printer.columns);
    type.cells = std::move(printer.cells);
    type.patchMetadata = builtinPatchMetadata(type.group, type.kind);
    return type;
}

// A workload of the "all" category with status (and scale) subresources and generations.
ResourceType workload(std::string group, std::string version, std::string kind, std::string plural,
                      std::vector<std::string> shortNames, bool scalable) {
    ResourceType type =
        withGeneration(names(group, version, kind, std::move(plural), std::move(shortNames)));
    type.categories = {"all"};
    if (scalable) {
        type.subresources.push_back(scale());
    }
    type.subresources.push_back(status(group, version, kind));
    return type;
}

ResourceType withStatus(ResourceType type) {
    type.subresources.push_back(status(type.group, type.version, type.kind));
    return type;
}

std::vector<ResourceType> builtinKinds() {
    const Verbs connect = {"create", "get"};
    const Verbs proxy = {"create", "delete", "get", "patch", "update"};
    std::vector<ResourceType> kinds;

    // core/v1
    kinds.push_back(names("", "v1", "ConfigMap", "configmaps", {"cm"}));
    kinds.push_back(names("", "v1", "Endpoints", "endpoints", {"ep"}));
    kinds.push_back(names("", "v1", "Event", "events", {"ev"}));
    kinds.push_back(names("", "v1", "LimitRange", "limitranges", {"limits"}));

    ResourceType namespaces = clusterScoped(names("", "v1", "Namespace", "namespaces", {"ns"}));
    namespaces.verbs = kNoDeleteCollection;
    namespaces.subresources = {{"finalize", "", "v1", "Namespace", {"update"}},
                               status("", "v1", "Namespace")};
    kinds.push_back(std::move(namespaces));

    ResourceType nodes = clusterScoped(names("", "v1", "Node", "nodes", {"no"}));
    nodes.subresources = {{"proxy", "", "v1", "NodeProxyOptions", proxy}, status("", "v1", "Node")};
    kinds.push_back(std::move(nodes));

    kinds.push_back(
        withStatus(names("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", {"pvc"})));
    kinds.push_back(withStatus(
        clusterScoped(names("", "v1", "PersistentVolume", "persistentvolumes", {"pv"}))));

    ResourceType pods = names("", "v1", "Pod", "pods", {"po"});
    pods.categories = {"all"};
    pods.subresources = {{"attach", "", "v1", "PodAttachOptions", connect},
                         {"binding", "", "v1", "Binding", {"create"}},
                         {"ephemeralcontainers", "", "v1", "Pod", {"get", "patch", "update"}},
                         {"eviction", "policy", "v1", "Eviction", {"create"}},
                         {"exec", "", "v1", "PodExecOptions", connect},
                         {"log", "", "v1", "Pod", {"get"}},
                         {"portforward", "", "v1", "PodPortForwardOptions", connect},
                         {"proxy", "", "v1", "PodProxyOptions", proxy},
                         status("", "v1", "Pod")};
    kinds.push_back(std::move(pods));

    kinds.push_back(names("", "v1", "PodTemplate", "podtemplates"));
    kinds.push_back(
        workload("", "v1", "ReplicationController", "replicationcontrollers", {"rc"}, true));
    kinds.push_back(withStatus(names("", "v1", "ResourceQuota", "resourcequotas", {"quota"})));
    kinds.push_back(names("", "v1", "Secret", "secrets"));

    ResourceType serviceAccounts = names("", "v1", "ServiceAccount", "serviceaccounts", {"sa"});
    serviceAccounts.subresources = {
        {"token", "authentication.k8s.io", "v1", "TokenRequest", {"create"}}};
    kinds.push_back(std::move(serviceAccounts));

    ResourceType services = names("", "v1", "Service", "services", {"svc"});
    services.categories = {"all"};
    services.subresources = {{"proxy", "", "v1", "ServiceProxyOptions", proxy},
                             status("", "v1", "Service")};
    kinds.push_back(std::move(services));

    // apps/v1
    kinds.push_back(names("apps", "v1", "ControllerRevision", "controllerrevisions"));
    kinds.push_back(workload("apps", "v1", "DaemonSet", "daemonsets", {"ds"}, false));
    kinds.push_back(workload("apps", "v1", "Deployment", "deployments", {"deploy"}, true));
    kinds.push_back(workload("apps", "v1", "ReplicaSet", "replicasets", {"rs"}, true));
    kinds.push_back(workload("apps", "v1", "StatefulSet", "statefulsets", {"sts"}, true));

    // batch/v1
    kinds.push_back(workload("batch", "v1", "CronJob", "cronjobs", {"cj"}, false));
    kinds.push_back(workload("batch", "v1", "Job", "jobs", {}, false));

    // autoscaling/v2, the preferred (and here the only) version of the group
    kinds.push_back(workload("autoscaling", "v2", "HorizontalPodAutoscaler",
                             "horizontalpodautoscalers", {"hpa"}, false));

    // networking.k8s.io/v1
    kinds.push_back(withGeneration(
        clusterScoped(names("networking.k8s.io", "v1", "IngressClass", "ingressclasses"))));
    kinds.push_back(withStatus(
        withGeneration(names("networking.k8s.io", "v1", "Ingress", "ingresses", {"ing"}))));
    kinds.push_back(withGeneration(
        names("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", {"netpol"})));

    // discovery.k8s.io/v1
    kinds.push_back(
        withGeneration(names("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices")));

    // coordination.k8s.io/v1
    kinds.push_back(names("coordination.k8s.io", "v1", "Lease", "leases"));

    // events.k8s.io/v1
    kinds.push_back(names("events.k8s.io", "v1", "Event", "events", {"ev"}));

    // rbac.authorization.k8s.io/v1
    constexpr const char* kRbac = "rbac.authorization.k8s.io";
    kinds.push_back(clusterScoped(names(kRbac, "v1", "ClusterRoleBinding", "clusterrolebindings")));
    kinds.push_back(clusterScoped(names(kRbac, "v1", "ClusterRole", "clusterroles")));
    kinds.push_back(names(kRbac, "v1", "RoleBinding", "rolebindings"));
    kinds.push_back(names(kRbac, "v1", "Role", "roles"));

    // storage.k8s.io/v1
    kinds.push_back(
        clusterScoped(names("storage.k8s.io", "v1", "StorageClass", "storageclasses", {"sc"})));

    // apiextensions.k8s.io/v1
    ResourceType crds = withStatus(
        withGeneration(clusterScoped(names("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                                           "customresourcedefinitions", {"crd", "crds"}))));
    crds.categories = {"api-extensions"};
    kinds.push_back(std::move(crds));

    // policy/v1
    kinds.push_back(withStatus(withGeneration(
        names("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", {"pdb"}))));

    // scheduling.k8s.io/v1
    kinds.push_back(clusterScoped(
        names("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", {"pc"})));

    // authentication.k8s.io/v1 and authorization.k8s.io/v1: reviews that are created, answered
    // and never stored (the API server registers a create-only handler for each).
    const Verbs createOnly = {"create"};
    for (auto type :
         {clusterScoped(
              names("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews")),
          clusterScoped(names("authentication.k8s.io", "v1", "TokenReview", "tokenreviews")),
          names("authorization.k8s.io", "v1", "LocalSubjectAccessReview",
                "localsubjectaccessreviews"),
          clusterScoped(names("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
                              "selfsubjectaccessreviews")),
          clusterScoped(names("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
                              "selfsubjectrulesreviews")),
          clusterScoped(names("authorization.k8s.io", "v1", "SubjectAccessReview",
                              "subjectaccessreviews"))}) {
        type.verbs = createOnly;
        kinds.push_back(std::move(type));
    }
    return kinds;
}

}  // namespace

std::unique_ptr<KindRegistry> KindRegistry::withBuiltinKinds() {
    auto registry = std::make_unique<KindRegistry>();
    for (auto& type : builtinKinds()) {
        // The table above has no duplicates; add() can only fail on a programmer error.
        [[maybe_unused]] const auto added = registry->add(withBehaviour(std::move(type)));
        assert(added.ok());
    }
    // autoscaling/v1 after v2, so that v2 stays the group's preferred version: `kubectl
    // autoscale` still creates v1 objects, stored as v2.
    const auto hpa = registry->find("autoscaling", "v2", "horizontalpodautoscalers");
    [[maybe_unused]] const auto addedV1 = registry->add(
        convertedVersion(*hpa, "v1", horizontalPodAutoscalerV2ToV1, horizontalPodAutoscalerV1ToV2));
    assert(addedV1.ok());
    return registry;
}

}  // namespace slipway::api
