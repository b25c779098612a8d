// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::api {

class PatchMetadata;

/// One field error of a 422 Invalid answer: `Status.details.causes[]`.
struct FieldCause {
    /// Kubernetes' cause type: "FieldValueRequired", "FieldValueInvalid",
    /// "FieldValueNotSupported", "FieldValueDuplicate", "FieldValueForbidden",
    /// "FieldValueTooLong", "FieldValueTypeInvalid".
    std::string reason;
    /// The message after the field, as kube-apiserver words it: "Required value",
    /// "Invalid value: \"Web\": a lowercase RFC 1123 label must consist of …".
    std::string message;
    /// The field path: "metadata.name", "spec.template.spec.containers[0].image".
    std::string field;
};
using FieldCauses = std::vector<FieldCause>;

/// One column of a meta.k8s.io/v1 Table (`columnDefinitions[]`).
struct TableColumn {
    std::string name;    ///< "NAME", "READY", "STATUS" (kubectl prints it upper-cased)
    std::string type;    ///< "string", "integer", "number", "boolean", "date"
    std::string format;  ///< "name" for the NAME column, otherwise usually empty
    std::string description;
    int priority = 0;  ///< > 0: shown only with `-o wide`
};

/// A subresource as discovery publishes it ("pods/status", "deployments/scale").
struct Subresource {
    std::string name;   ///< "status", "scale", "log", "exec", "binding", …
    std::string group;  ///< group of the subresource's kind (scale: "autoscaling")
    std::string version;
    std::string kind;  ///< "Scale", "Pod", "Binding", …
    std::vector<std::string> verbs;
};

/// Everything the API server needs to serve one resource type generically: its names (what
/// discovery publishes), and its behaviour (defaulting, validation, printing, patching).
struct ResourceType {
    std::string group;  ///< "" for core
    std::string version;
    std::string kind;
    std::string plural;                   ///< the URL segment: "deployments"
    std::string singular;                 ///< "deployment"
    std::vector<std::string> shortNames;  ///< "deploy"
    std::vector<std::string> categories;  ///< "all"
    bool namespaced = true;
    /// Verbs of the main resource: get list watch create update patch delete deletecollection.
    std::vector<std::string> verbs;
    std::vector<Subresource> subresources;
    /// metadata.generation is set to 1 on create and bumped whenever anything but metadata and
    /// status changes (workloads, custom resources). Kinds without it leave generation unset.
    bool tracksGeneration = false;

    /// Sets the defaults kube-apiserver sets (Service port protocol TCP, Deployment strategy
    /// RollingUpdate 25%/25%, …). Runs on create and update, before validation.
    std::function<void(nlohmann::json& object)> defaulter;
    /// Checks an object about to be stored. `old` is null on create. Metadata name and
    /// namespace rules are checked generically; this adds the kind's own rules.
    std::function<FieldCauses(const nlohmann::json& object, const nlohmann::json* old)> validator;
    /// Table columns (`kubectl get` output) and the cells of one object's row. Without a
    /// printer the Table has NAME and AGE (and the server fills them).
    std::vector<TableColumn> columns;
    std::function<nlohmann::json(const nlohmann::json& object,
                                 std::chrono::system_clock::time_point now)>
        cells;
    /// Strategic-merge-patch metadata; null for kinds that refuse strategic merge (CRDs).
    std::shared_ptr<const PatchMetadata> patchMetadata;
    /// Runs on the first DELETE of an object, before its finalizers are looked at: a
    /// CustomResourceDefinition adds its cleanup finalizer and Terminating condition here.
    std::function<void(nlohmann::json& object, std::chrono::system_clock::time_point now)>
        prepareForDelete;
    /// The autoscaling/v1 Scale of an object, and the object with a Scale's spec.replicas
    /// applied, for kinds whose replicas are not at spec.replicas (custom resources with a
    /// scale subresource name their paths). Unset: spec.replicas, status.replicas and
    /// spec.selector.
    std::function<nlohmann::json(const nlohmann::json& object)> toScale;
    std::function<nlohmann::json(const nlohmann::json& object, std::int64_t replicas)> fromScale;
    /// For a kind served in several versions of its group that share one storage
    /// (autoscaling/v1 and v2 HorizontalPodAutoscaler, a CRD's versions): the stored object as
    /// this version, and an object of this version as stored. Unset: stored as served.
    std::function<nlohmann::json(nlohmann::json stored)> fromStorage;
    std::function<nlohmann::json(nlohmann::json object)> toStorage;

    /// "apps/v1" or "v1".
    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
    /// "DeploymentList".
    std::string listKind() const { return kind + "List"; }
    /// "deployments.apps" or "pods": how kube-apiserver names the resource in messages.
    std::string qualifiedResource() const { return group.empty() ? plural : plural + "." + group; }
    /// "Deployment.apps" or "Pod": how it names the kind in Invalid messages.
    std::string qualifiedKind() const { return group.empty() ? kind : kind + "." + group; }

    bool hasSubresource(const std::string& name) const;
    const Subresource* findSubresource(const std::string& name) const;
    bool allows(const std::string& verb) const;
};

}  // namespace slipway::api
