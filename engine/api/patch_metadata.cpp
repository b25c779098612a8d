// SPDX-License-Identifier: Apache-2.0
#include "engine/api/patch_metadata.h"

#include <utility>

namespace slipway::api {

PatchField PatchField::object(std::shared_ptr<const PatchMetadata> schema) {
    PatchField field;
    field.schema = std::move(schema);
    return field;
}

PatchField PatchField::mergeList(std::string mergeKey,
                                 std::shared_ptr<const PatchMetadata> elementSchema) {
    PatchField field;
    field.merge = true;
    field.mergeKey = std::move(mergeKey);
    field.schema = std::move(elementSchema);
    return field;
}

PatchField PatchField::mergeSet() {
    PatchField field;
    field.merge = true;
    return field;
}

PatchField PatchField::replaceObject() {
    PatchField field;
    field.replace = true;
    return field;
}

PatchField PatchField::withRetainKeys() const {
    PatchField field = *this;
    field.retainKeys = true;
    return field;
}

std::string PatchField::strategyString() const {
    std::string strategy;
    if (merge) {
        strategy = "merge";
    } else if (replace) {
        strategy = "replace";
    }
    if (retainKeys) {
        strategy += strategy.empty() ? "retainKeys" : ",retainKeys";
    }
    return strategy;
}

PatchMetadata& PatchMetadata::set(std::string field, PatchField meta) {
    m_fields.insert_or_assign(std::move(field), std::move(meta));
    return *this;
}

const PatchField* PatchMetadata::find(std::string_view field) const {
    const auto it = m_fields.find(field);
    return it == m_fields.end() ? nullptr : &it->second;
}

namespace {

using Schema = std::shared_ptr<const PatchMetadata>;

Schema make(PatchMetadata meta) {
    return std::make_shared<const PatchMetadata>(std::move(meta));
}

// The trees below transcribe the patchStrategy/patchMergeKey tags of k8s.io/api release-1.32
// (core/v1, apps/v1, batch/v1, policy/v1, autoscaling/v2, admissionregistration/v1) and
// k8s.io/apimachinery meta/v1. Only paths that lead to a tagged field are listed.

// A list of conditions merged on "type": status.conditions of nearly every kind.
PatchField conditions() {
    return PatchField::mergeList("type");
}

const Schema& objectMeta() {
    static const Schema schema = make(PatchMetadata()
                                          .set("ownerReferences", PatchField::mergeList("uid"))
                                          .set("finalizers", PatchField::mergeSet()));
    return schema;
}

const Schema& container() {
    // Container and EphemeralContainer carry the same tags.
    static const Schema schema =
        make(PatchMetadata()
                 .set("ports", PatchField::mergeList("containerPort"))
                 .set("env", PatchField::mergeList("name"))
                 .set("volumeMounts", PatchField::mergeList("mountPath"))
                 .set("volumeDevices", PatchField::mergeList("devicePath")));
    return schema;
}

const Schema& podSpec() {
    static const Schema schema =
        make(PatchMetadata()
                 .set("containers", PatchField::mergeList("name", container()))
                 .set("initContainers", PatchField::mergeList("name", container()))
                 .set("ephemeralContainers", PatchField::mergeList("name", container()))
                 .set("volumes", PatchField::mergeList("name").withRetainKeys())
                 .set("imagePullSecrets", PatchField::mergeList("name"))
                 .set("hostAliases", PatchField::mergeList("ip"))
                 .set("topologySpreadConstraints", PatchField::mergeList("topologyKey"))
                 .set("schedulingGates", PatchField::mergeList("name"))
                 .set("resourceClaims", PatchField::mergeList("name").withRetainKeys()));
    return schema;
}

const Schema& podStatus() {
    static const Schema schema =
        make(PatchMetadata()
                 .set("conditions", conditions())
                 .set("podIPs", PatchField::mergeList("ip"))
                 .set("hostIPs", PatchField::mergeList("ip"))
                 .set("resourceClaimStatuses", PatchField::mergeList("name").withRetainKeys()));
    return schema;
}

const Schema& podTemplateSpec() {
    static const Schema schema = make(PatchMetadata()
                                          .set("metadata", PatchField::object(objectMeta()))
                                          .set("spec", PatchField::object(podSpec())));
    return schema;
}

const Schema& statusWithConditions() {
    static const Schema schema = make(PatchMetadata().set("conditions", conditions()));
    return schema;
}

// metadata, spec (with the given tree) and status.conditions: the shape of most workloads.
Schema workload(PatchMetadata spec) {
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("spec", PatchField::object(make(std::move(spec))))
                    .set("status", PatchField::object(statusWithConditions())));
}

Schema pod() {
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("spec", PatchField::object(podSpec()))
                    .set("status", PatchField::object(podStatus())));
}

Schema deployment() {
    return workload(PatchMetadata()
                        .set("template", PatchField::object(podTemplateSpec()))
                        .set("strategy", PatchField().withRetainKeys()));
}

Schema podTemplateWorkload() {
    return workload(PatchMetadata().set("template", PatchField::object(podTemplateSpec())));
}

Schema cronJob() {
    const Schema jobSpec =
        make(PatchMetadata().set("template", PatchField::object(podTemplateSpec())));
    const Schema jobTemplate = make(PatchMetadata()
                                        .set("metadata", PatchField::object(objectMeta()))
                                        .set("spec", PatchField::object(jobSpec)));
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("spec", PatchField::object(make(PatchMetadata().set(
                                     "jobTemplate", PatchField::object(jobTemplate))))));
}

Schema podTemplate() {
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("template", PatchField::object(podTemplateSpec())));
}

Schema service() {
    return workload(PatchMetadata().set("ports", PatchField::mergeList("port")));
}

Schema node() {
    return make(
        PatchMetadata()
            .set("metadata", PatchField::object(objectMeta()))
            .set("spec",
                 PatchField::object(make(PatchMetadata().set("podCIDRs", PatchField::mergeSet()))))
            .set("status",
                 PatchField::object(make(PatchMetadata()
                                             .set("conditions", conditions())
                                             .set("addresses", PatchField::mergeList("type"))))));
}

Schema serviceAccount() {
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("secrets", PatchField::mergeList("name")));
}

Schema podDisruptionBudget() {
    return workload(PatchMetadata().set("selector", PatchField::replaceObject()));
}

Schema webhookConfiguration() {
    const Schema webhook =
        make(PatchMetadata().set("matchConditions", PatchField::mergeList("name")));
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("webhooks", PatchField::mergeList("name", webhook)));
}

Schema validatingAdmissionPolicy() {
    // Its status.conditions carry no patch tags, unlike the workloads'.
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("spec", PatchField::object(
                                     make(PatchMetadata()
                                              .set("matchConditions", PatchField::mergeList("name"))
                                              .set("variables", PatchField::mergeList("name"))))));
}

Schema componentStatus() {
    // ComponentStatus keeps its conditions at the top level.
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("conditions", conditions()));
}

Schema withConditions() {
    return make(PatchMetadata()
                    .set("metadata", PatchField::object(objectMeta()))
                    .set("status", PatchField::object(statusWithConditions())));
}

Schema metadataOnly() {
    return make(PatchMetadata().set("metadata", PatchField::object(objectMeta())));
}

struct KindEntry {
    std::string_view group;
    std::string_view kind;
    Schema (*build)();
};

}  // namespace

std::shared_ptr<const PatchMetadata> builtinPatchMetadata(std::string_view group,
                                                          std::string_view kind) {
    static const KindEntry kKinds[] = {
        {"", "Pod", pod},
        {"", "PodTemplate", podTemplate},
        {"", "ReplicationController", podTemplateWorkload},
        {"", "Service", service},
        {"", "Node", node},
        {"", "ServiceAccount", serviceAccount},
        {"", "Namespace", withConditions},
        {"", "PersistentVolumeClaim", withConditions},
        {"", "ComponentStatus", componentStatus},
        {"apps", "Deployment", deployment},
        {"apps", "ReplicaSet", podTemplateWorkload},
        {"apps", "StatefulSet", podTemplateWorkload},
        {"apps", "DaemonSet", podTemplateWorkload},
        {"batch", "Job", podTemplateWorkload},
        {"batch", "CronJob", cronJob},
        {"policy", "PodDisruptionBudget", podDisruptionBudget},
        {"autoscaling", "HorizontalPodAutoscaler", withConditions},
        {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", webhookConfiguration},
        {"admissionregistration.k8s.io", "MutatingWebhookConfiguration", webhookConfiguration},
        {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy", validatingAdmissionPolicy},
        {"networking.k8s.io", "ServiceCIDR", withConditions},
        {"flowcontrol.apiserver.k8s.io", "FlowSchema", withConditions},
        {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", withConditions},
    };
    for (const auto& entry : kKinds) {
        if (entry.group == group && entry.kind == kind) {
            return entry.build();
        }
    }
    return metadataOnly();
}

}  // namespace slipway::api
