// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace slipway::api {

class PatchMetadata;

/// How strategic merge patch treats one field: Kubernetes' `patchStrategy` and
/// `patchMergeKey` struct tags (published in OpenAPI as `x-kubernetes-patch-strategy` and
/// `x-kubernetes-patch-merge-key`).
struct PatchField {
    /// A list merged element by element (patchStrategy=merge); otherwise a list is replaced.
    bool merge = false;
    /// A map replaced whole (patchStrategy=replace); otherwise a map merges recursively.
    bool replace = false;
    /// Clients send `$retainKeys` for this field (patchStrategy=retainKeys). The server applies
    /// `$retainKeys` wherever it appears; the flag is for publishing the metadata.
    bool retainKeys = false;
    /// For a merged list of objects, the field naming an element ("name", "containerPort").
    /// Empty for a merged list of scalars (a set such as `finalizers`).
    std::string mergeKey;
    /// Metadata below this field: for a map, its fields; for a list, its elements' fields.
    /// Null when nothing below has patch metadata.
    std::shared_ptr<const PatchMetadata> schema;

    /// A map or object field whose fields have metadata (`spec`, `template`).
    static PatchField object(std::shared_ptr<const PatchMetadata> schema);
    /// A list of objects merged on `mergeKey` (`containers` on "name").
    static PatchField mergeList(std::string mergeKey,
                                std::shared_ptr<const PatchMetadata> elementSchema = {});
    /// A list of scalars merged as an ordered set (`finalizers`).
    static PatchField mergeSet();
    /// A map replaced whole (a PodDisruptionBudget's `selector`).
    static PatchField replaceObject();
    /// The same field, also marked retainKeys (`volumes`, a Deployment's `strategy`).
    PatchField withRetainKeys() const;

    /// The `x-kubernetes-patch-strategy` value: "merge", "retainKeys", "merge,retainKeys",
    /// "replace", or empty.
    std::string strategyString() const;
};

/// The strategic-merge-patch metadata of one object type: field name → PatchField, forming a
/// tree through PatchField::schema. Fields not listed have no metadata: lists are replaced
/// whole and maps merge recursively. Immutable once built; subtrees (PodSpec, ObjectMeta) are
/// shared between kinds.
class PatchMetadata {
public:
    /// Adds or replaces the metadata of `field`.
    PatchMetadata& set(std::string field, PatchField meta);
    /// The metadata of `field`, or null when it has none.
    const PatchField* find(std::string_view field) const;
    /// Every field with metadata, in name order, for publishing (OpenAPI) and tests.
    const std::map<std::string, PatchField, std::less<>>& fields() const { return m_fields; }

private:
    std::map<std::string, PatchField, std::less<>> m_fields;
};

/// The metadata Kubernetes 1.32 compiles into its built-in kinds (k8s.io/api struct tags):
/// ObjectMeta (ownerReferences by uid, finalizers as a set) everywhere; PodSpec (containers,
/// initContainers, ephemeralContainers by name, volumes by name with retainKeys, env by name,
/// ports by containerPort, volumeMounts by mountPath, ...) in Pod and in every pod template
/// (`spec.template` of Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
/// ReplicationController, PodTemplate; `spec.jobTemplate.spec.template` of CronJob); Service
/// ports by port; status conditions by type; and the rest of section 10 of kubectl-wire.md.
///
/// Call it for built-in kinds only. Any built-in group/kind gets at least the ObjectMeta rules.
/// Custom resources have no patch metadata: Kubernetes refuses strategic merge patch for
/// them (see strategicMergePatchUnsupported() in patch.h).
std::shared_ptr<const PatchMetadata> builtinPatchMetadata(std::string_view group,
                                                          std::string_view kind);

}  // namespace slipway::api
