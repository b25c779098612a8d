// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/daemonset/daemonset_controller.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "engine/api/json_fields.h"
#include "engine/client/indexer.h"
#include "engine/controllers/history/controller_history.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

namespace {

using api::detail::arrayAt;
using api::detail::objectAt;
using api::detail::stringAt;
using history::kRevisionHashLabel;
using nlohmann::json;

/// The value at `path`, or null (api::detail::at gives a pointer).
const json& at(const json& object, std::initializer_list<std::string_view> path) {
    static const json null;
    const json* found = api::detail::at(object, path);
    return found ? *found : null;
}

std::int64_t integerAt(const json& object, std::initializer_list<std::string_view> path,
                       std::int64_t fallback = 0) {
    return api::detail::intAt(object, path, fallback);
}
constexpr const char* kTemplateGenerationLabel = "pod-template-generation";
constexpr const char* kByOwnerIndex = "daemonset-owner";
constexpr int kMaxRetries = 15;
/// How long a created pod the informer has not shown yet blocks another create on its node.
constexpr std::chrono::seconds kExpectationTimeout{30};

/// The uid of the object's controller (the ownerReference with controller: true), or "".
std::string controllerUid(const json& object) {
    for (const auto& owner : at(object, {"metadata", "ownerReferences"})) {
        if (owner.value("controller", false)) {
            return owner.value("uid", "");
        }
    }
    return {};
}

// ---- node selection ----------------------------------------------------------------------------

bool matchesRequirement(const json& requirement, const std::optional<std::string>& value) {
    const std::string op = requirement.value("operator", "");
    const json values = requirement.value("values", json::array());
    const auto contains = [&values, &value] {
        return value && std::any_of(values.begin(), values.end(), [&value](const json& v) {
                   return v.is_string() && v.get<std::string>() == *value;
               });
    };
    const auto compare = [&values, &value](bool greater) {
        if (!value || values.size() != 1 || !values[0].is_string()) {
            return false;
        }
        try {
            const long long mine = std::stoll(*value);
            const long long theirs = std::stoll(values[0].get<std::string>());
            return greater ? mine > theirs : mine < theirs;
        } catch (const std::exception&) {
            return false;
        }
    };
    if (op == "In") {
        return contains();
    }
    if (op == "NotIn") {
        return !contains();
    }
    if (op == "Exists") {
        return value.has_value();
    }
    if (op == "DoesNotExist") {
        return !value.has_value();
    }
    if (op == "Gt") {
        return compare(true);
    }
    if (op == "Lt") {
        return compare(false);
    }
    return false;
}

/// One NodeSelectorTerm: every expression on labels and every field requirement hold. A term
/// with neither matches nothing (as Kubernetes).
bool matchesTerm(const json& term, const json& node) {
    const json& labels = at(node, {"metadata", "labels"});
    const json& expressions = at(term, {"matchExpressions"});
    const json& fields = at(term, {"matchFields"});
    if ((!expressions.is_array() || expressions.empty()) &&
        (!fields.is_array() || fields.empty())) {
        return false;
    }
    for (const auto& requirement : expressions.is_array() ? expressions : json::array()) {
        const std::string key = requirement.value("key", "");
        std::optional<std::string> value;
        if (labels.is_object() && labels.contains(key) && labels[key].is_string()) {
            value = labels[key].get<std::string>();
        }
        if (!matchesRequirement(requirement, value)) {
            return false;
        }
    }
    for (const auto& requirement : fields.is_array() ? fields : json::array()) {
        std::optional<std::string> value;
        if (requirement.value("key", "") == "metadata.name") {
            value = stringAt(node, {"metadata", "name"});
        }
        if (!matchesRequirement(requirement, value)) {
            return false;
        }
    }
    return true;
}

bool matchesNodeSelectorAndAffinity(const json& podSpec, const json& node) {
    const json& labels = at(node, {"metadata", "labels"});
    const json& selector = at(podSpec, {"nodeSelector"});
    if (selector.is_object()) {
        for (const auto& [key, value] : selector.items()) {
            if (!labels.is_object() || !labels.contains(key) || labels[key] != value) {
                return false;
            }
        }
    }
    const json& terms =
        at(podSpec, {"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                     "nodeSelectorTerms"});
    if (terms.is_array()) {
        return std::any_of(terms.begin(), terms.end(),
                           [&node](const json& term) { return matchesTerm(term, node); });
    }
    return true;
}

bool tolerates(const json& toleration, const json& taint) {
    const std::string effect = toleration.value("effect", "");
    if (!effect.empty() && effect != taint.value("effect", "")) {
        return false;
    }
    const std::string key = toleration.value("key", "");
    const std::string op = toleration.value("operator", "Equal");
    if (op == "Exists") {
        return key.empty() || key == taint.value("key", "");
    }
    return key == taint.value("key", "") &&
           toleration.value("value", "") == taint.value("value", "");
}

bool toleratedBy(const json& tolerations, const json& taint) {
    return tolerations.is_array() &&
           std::any_of(tolerations.begin(), tolerations.end(),
                       [&taint](const json& toleration) { return tolerates(toleration, taint); });
}

bool podReady(const json& pod) {
    for (const auto& condition : at(pod, {"status", "conditions"})) {
        if (condition.value("type", "") == "Ready") {
            return condition.value("status", "") == "True";
        }
    }
    return false;
}

/// Ready for at least minReadySeconds (kube's IsPodAvailable).
bool podAvailable(const json& pod, std::int64_t minReadySeconds,
                  std::chrono::system_clock::time_point now) {
    if (!podReady(pod)) {
        return false;
    }
    if (minReadySeconds <= 0) {
        return true;
    }
    for (const auto& condition : at(pod, {"status", "conditions"})) {
        if (condition.value("type", "") == "Ready") {
            const auto since = core::parseTimestamp(condition.value("lastTransitionTime", ""));
            return since && *since + std::chrono::seconds(minReadySeconds) <= now;
        }
    }
    return false;
}

bool terminating(const json& pod) {
    return at(pod, {"metadata", "deletionTimestamp"}).is_string();
}

/// The node a daemon pod is for: where it is bound, else the node its affinity names.
std::string nodeOfDaemonPod(const json& pod) {
    if (auto bound = stringAt(pod, {"spec", "nodeName"}); !bound.empty()) {
        return bound;
    }
    const json& terms =
        at(pod, {"spec", "affinity", "nodeAffinity",
                 "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
    for (const auto& term : terms.is_array() ? terms : json::array()) {
        for (const auto& field : term.value("matchFields", json::array())) {
            if (field.value("key", "") == "metadata.name" && field.value("operator", "") == "In" &&
                field.value("values", json::array()).size() == 1) {
                return field["values"][0].get<std::string>();
            }
        }
    }
    return {};
}

/// maxUnavailable of a RollingUpdate against `desired` (a percentage rounds up, as kube).
std::int64_t resolveMaxUnavailable(const json& daemonSet, std::int64_t desired) {
    const json& value =
        at(daemonSet, {"spec", "updateStrategy", "rollingUpdate", "maxUnavailable"});
    std::int64_t resolved = 1;
    if (value.is_number_integer()) {
        resolved = value.get<std::int64_t>();
    } else if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (!text.empty() && text.back() == '%') {
            const std::int64_t percent = std::stoll(text.substr(0, text.size() - 1));
            resolved = (percent * desired + 99) / 100;
        }
    }
    return std::max<std::int64_t>(resolved, 1);
}

}  // namespace

DaemonPlacement daemonPlacement(const json& podTemplateSpec, const json& node) {
    DaemonPlacement placement;
    const json spec = daemonPodSpec(at(podTemplateSpec, {"spec"}));
    if (!matchesNodeSelectorAndAffinity(spec, node)) {
        return placement;
    }
    const json& tolerations = at(spec, {"tolerations"});
    bool fitsNoSchedule = true;
    for (const auto& taint : at(node, {"spec", "taints"})) {
        const std::string effect = taint.value("effect", "");
        if (effect != "NoSchedule" && effect != "NoExecute") {
            continue;
        }
        if (toleratedBy(tolerations, taint)) {
            continue;
        }
        if (effect == "NoExecute") {
            return placement;  // neither run nor keep running
        }
        fitsNoSchedule = false;
    }
    placement.keepRunning = true;
    placement.run = fitsNoSchedule;
    return placement;
}

json daemonPodSpec(const json& templateSpec) {
    json spec = templateSpec.is_object() ? templateSpec : json::object();
    json tolerations = spec.value("tolerations", json::array());
    const auto add = [&tolerations](const char* key, const char* effect) {
        const json toleration = {{"key", key}, {"operator", "Exists"}, {"effect", effect}};
        const bool present =
            std::any_of(tolerations.begin(), tolerations.end(), [&](const json& t) {
                return t.value("key", "") == key && t.value("effect", "") == effect;
            });
        if (!present) {
            tolerations.push_back(toleration);
        }
    };
    add("node.kubernetes.io/not-ready", "NoExecute");
    add("node.kubernetes.io/unreachable", "NoExecute");
    add("node.kubernetes.io/disk-pressure", "NoSchedule");
    add("node.kubernetes.io/memory-pressure", "NoSchedule");
    add("node.kubernetes.io/pid-pressure", "NoSchedule");
    add("node.kubernetes.io/unschedulable", "NoSchedule");
    if (spec.value("hostNetwork", false)) {
        add("node.kubernetes.io/network-unavailable", "NoSchedule");
    }
    spec["tolerations"] = std::move(tolerations);
    return spec;
}

DaemonSetController::DaemonSetController(const ControllerContext& context)
    : m_client(context.client),
      m_daemonSets(context.informers.informerFor(client::ResourceRef("apps", "v1", "daemonsets"))),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_nodes(context.informers.informerFor(client::resources::nodes())),
      m_revisions(
          context.informers.informerFor(client::ResourceRef("apps", "v1", "controllerrevisions"))),
      m_recorder(context.recorder("daemonset-controller")),
      m_queue(client::WorkQueueOptions{"daemonset", 100'000, {}}) {
    m_pods.addIndex(kByOwnerIndex, [](const json& pod) {
        auto uid = controllerUid(pod);
        return uid.empty() ? std::vector<std::string>{} : std::vector<std::string>{uid};
    });
    m_revisions.addIndex(kByOwnerIndex, [](const json& revision) {
        auto uid = controllerUid(revision);
        return uid.empty() ? std::vector<std::string>{} : std::vector<std::string>{uid};
    });
    m_daemonSets.addEventHandler(
        {[this](const client::ObjectPtr& ds) { enqueueDaemonSet(*ds); },
         [this](const client::ObjectPtr&, const client::ObjectPtr& ds) { enqueueDaemonSet(*ds); },
         [this](const client::ObjectPtr& ds) { enqueueDaemonSet(*ds); }});
    m_pods.addEventHandler(
        {[this](const client::ObjectPtr& pod) { enqueueOwnerOf(*pod); },
         [this](const client::ObjectPtr& before, const client::ObjectPtr& pod) {
             if (before->value("metadata", json::object()).value("resourceVersion", "") !=
                 pod->value("metadata", json::object()).value("resourceVersion", "")) {
                 enqueueOwnerOf(*pod);
             }
         },
         [this](const client::ObjectPtr& pod) { enqueueOwnerOf(*pod); }});
    // A node's labels, taints or arrival change where daemons run: every DaemonSet looks again.
    m_nodes.addEventHandler(
        {[this](const client::ObjectPtr&) { enqueueAll(); },
         [this](const client::ObjectPtr& before, const client::ObjectPtr& node) {
             if (at(*before, {"metadata", "labels"}) != at(*node, {"metadata", "labels"}) ||
                 at(*before, {"spec"}) != at(*node, {"spec"})) {
                 enqueueAll();
             }
         },
         [this](const client::ObjectPtr&) { enqueueAll(); }});
}

DaemonSetController::~DaemonSetController() {
    stop();
}

void DaemonSetController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void DaemonSetController::stop() {
    m_workers.stop();
}

void DaemonSetController::enqueueDaemonSet(const json& daemonSet) {
    m_queue.add(client::objectKey(daemonSet));
}

void DaemonSetController::enqueueOwnerOf(const json& pod) {
    for (const auto& owner : at(pod, {"metadata", "ownerReferences"})) {
        if (owner.value("controller", false) && owner.value("kind", "") == "DaemonSet") {
            m_queue.add(stringAt(pod, {"metadata", "namespace"}) + "/" + owner.value("name", ""));
        }
    }
}

void DaemonSetController::enqueueAll() {
    for (const auto& key : m_daemonSets.lister().keys()) {
        m_queue.add(key);
    }
}

core::Result<void> DaemonSetController::sync(const std::string& key) {
    const auto ds = m_daemonSets.lister().getByKey(key);
    if (!ds || terminating(*ds)) {
        const std::scoped_lock lock(m_expectationsMutex);
        m_expectedCreates.erase(key);
        m_expectedDeletes.erase(key);
        return {};
    }
    const json& daemonSet = *ds;
    const auto [nameSpace, name] = client::splitObjectKey(key);
    const std::string uid = stringAt(daemonSet, {"metadata", "uid"});
    const json& podTemplate = at(daemonSet, {"spec", "template"});
    const auto now = std::chrono::system_clock::now();
    const client::ResourceRef podsRef = client::resources::pods().in(nameSpace);

    // The current revision, whose hash labels the pods made from it.
    const auto revisions = m_revisions.lister().byIndex(kByOwnerIndex, uid);
    auto revision = history::ensureCurrentRevision(m_client, revisions, daemonSet, "DaemonSet");
    if (!revision) {
        return revision.error();
    }
    const std::string hash = revision->hash;

    // Daemon pods by node.
    std::map<std::string, std::vector<client::ObjectPtr>> podsByNode;
    for (const auto& pod : m_pods.lister().byIndex(kByOwnerIndex, uid)) {
        podsByNode[nodeOfDaemonPod(*pod)].push_back(pod);
    }
    const std::int64_t minReadySeconds = integerAt(daemonSet, {"spec", "minReadySeconds"});
    const bool rollingUpdate =
        stringAt(daemonSet, {"spec", "updateStrategy", "type"}) != "OnDelete";

    std::vector<std::string> createOn;
    std::vector<client::ObjectPtr> toDelete;
    std::int64_t desired = 0;
    std::int64_t scheduled = 0;
    std::int64_t misscheduled = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;
    std::int64_t updated = 0;
    std::int64_t unavailableNodes = 0;
    std::vector<client::ObjectPtr> replaceable;  // available old pods a rolling update may delete

    // Pods the informer now shows satisfy the expectations for their nodes.
    std::map<std::string, std::chrono::steady_clock::time_point> expected;
    {
        const std::scoped_lock lock(m_expectationsMutex);
        auto& mine = m_expectedCreates[key];
        const auto deadline = std::chrono::steady_clock::now() - kExpectationTimeout;
        std::erase_if(mine, [&](const auto& entry) {
            return entry.second < deadline || !podsByNode[entry.first].empty();
        });
        expected = mine;
    }
    const auto expectingCreate = [&expected](const std::string& nodeName) {
        return expected.contains(nodeName);
    };
    std::map<std::string, std::chrono::steady_clock::time_point> deleting;
    {
        const std::scoped_lock lock(m_expectationsMutex);
        auto& mine = m_expectedDeletes[key];
        const auto deadline = std::chrono::steady_clock::now() - kExpectationTimeout;
        std::erase_if(mine, [&](const auto& entry) {
            const auto pod = m_pods.lister().get(nameSpace, entry.first);
            return entry.second < deadline || !pod || terminating(*pod);
        });
        deleting = mine;
    }

    std::set<std::string> nodeNames;
    for (const auto& node : m_nodes.lister().list()) {
        const std::string nodeName = stringAt(*node, {"metadata", "name"});
        nodeNames.insert(nodeName);
        const auto placement = daemonPlacement(podTemplate, *node);
        auto& onNode = podsByNode[nodeName];
        std::vector<client::ObjectPtr> live;
        for (const auto& pod : onNode) {
            if (terminating(*pod) || deleting.contains(stringAt(*pod, {"metadata", "name"}))) {
                continue;
            }
            if (stringAt(*pod, {"status", "phase"}) == "Failed") {
                m_recorder->event(daemonSet, client::EventRecorder::kWarning, "FailedDaemonPod",
                                  "Found failed daemon pod " + nameSpace + "/" +
                                      stringAt(*pod, {"metadata", "name"}) + " on node " +
                                      nodeName + ", will try to kill it");
                toDelete.push_back(pod);
                continue;
            }
            live.push_back(pod);
        }
        if (placement.run) {
            ++desired;
        }
        if (!placement.keepRunning || (!placement.run && live.empty())) {
            if (!live.empty()) {
                ++misscheduled;
            }
            toDelete.insert(toDelete.end(), live.begin(), live.end());
            continue;
        }
        if (!placement.run) {
            ++misscheduled;  // may keep running, but should not be there
        }
        if (live.empty()) {
            if (placement.run && !expectingCreate(nodeName)) {
                createOn.push_back(nodeName);
                ++unavailableNodes;
            }
            continue;
        }
        // One daemon pod per node: the oldest stays.
        std::sort(live.begin(), live.end(),
                  [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
                      return stringAt(*a, {"metadata", "creationTimestamp"}) <
                             stringAt(*b, {"metadata", "creationTimestamp"});
                  });
        client::ObjectPtr newPod;
        std::vector<client::ObjectPtr> oldPods;
        for (const auto& pod : live) {
            if (stringAt(*pod, {"metadata", "labels", kRevisionHashLabel}) == hash && !newPod) {
                newPod = pod;
            } else {
                oldPods.push_back(pod);
            }
        }
        if (placement.run) {
            ++scheduled;
        }
        const auto& kept = newPod ? newPod : oldPods.front();
        if (podReady(*kept)) {
            ++ready;
        }
        const bool keptAvailable = podAvailable(*kept, minReadySeconds, now);
        if (keptAvailable) {
            ++available;
        }
        if (newPod) {
            ++updated;
            // Old pods beside an updated one go once the new one is available.
            if (keptAvailable || !rollingUpdate) {
                toDelete.insert(toDelete.end(), oldPods.begin(), oldPods.end());
            }
            if (!keptAvailable) {
                ++unavailableNodes;
            }
            continue;
        }
        toDelete.insert(toDelete.end(), oldPods.begin() + 1, oldPods.end());
        if (!rollingUpdate) {
            continue;
        }
        if (!keptAvailable) {
            toDelete.push_back(kept);  // an unavailable old pod is replaced at once
            ++unavailableNodes;
        } else {
            replaceable.push_back(kept);
        }
    }
    // Pods for nodes that are gone.
    for (const auto& [nodeName, pods] : podsByNode) {
        if (!nodeName.empty() && !nodeNames.contains(nodeName)) {
            for (const auto& pod : pods) {
                if (!terminating(*pod)) {
                    toDelete.push_back(pod);
                }
            }
        }
    }
    if (rollingUpdate) {
        const std::int64_t budget = resolveMaxUnavailable(daemonSet, desired) - unavailableNodes;
        for (std::int64_t i = 0; i < budget && i < static_cast<std::int64_t>(replaceable.size());
             ++i) {
            toDelete.push_back(replaceable[static_cast<std::size_t>(i)]);
        }
    }

    // Act: create, then delete.
    json podLabels = at(podTemplate, {"metadata", "labels"});
    if (!podLabels.is_object()) {
        podLabels = json::object();
    }
    podLabels[kRevisionHashLabel] = hash;
    podLabels[kTemplateGenerationLabel] =
        std::to_string(integerAt(daemonSet, {"metadata", "generation"}, 1));
    std::optional<core::Error> failure;
    for (const auto& nodeName : createOn) {
        json spec = daemonPodSpec(at(podTemplate, {"spec"}));
        // kube's ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may go to this node only.
        spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
            {"nodeSelectorTerms",
             json::array(
                 {{{"matchFields", json::array({{{"key", "metadata.name"},
                                                 {"operator", "In"},
                                                 {"values", json::array({nodeName})}}})}}})}};
        json pod = {{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata",
                     {{"generateName", name + "-"},
                      {"namespace", nameSpace},
                      {"labels", podLabels},
                      {"ownerReferences", json::array({{{"apiVersion", "apps/v1"},
                                                        {"kind", "DaemonSet"},
                                                        {"name", name},
                                                        {"uid", uid},
                                                        {"controller", true},
                                                        {"blockOwnerDeletion", true}}})}}},
                    {"spec", spec}};
        if (const json& annotations = at(podTemplate, {"metadata", "annotations"});
            annotations.is_object()) {
            pod["metadata"]["annotations"] = annotations;
        }
        auto created = m_client.create(podsRef, pod);
        if (!created) {
            m_recorder->event(daemonSet, client::EventRecorder::kWarning, "FailedCreate",
                              "Error creating: " + created.error().message());
            failure = created.error();
            continue;
        }
        {
            const std::scoped_lock lock(m_expectationsMutex);
            m_expectedCreates[key][nodeName] = std::chrono::steady_clock::now();
        }
        m_recorder->event(daemonSet, client::EventRecorder::kNormal, "SuccessfulCreate",
                          "Created pod: " + stringAt(*created, {"metadata", "name"}));
    }
    for (const auto& pod : toDelete) {
        const std::string podName = stringAt(*pod, {"metadata", "name"});
        auto removed = m_client.remove(podsRef.named(podName));
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            m_recorder->event(daemonSet, client::EventRecorder::kWarning, "FailedDelete",
                              "Error deleting: " + removed.error().message());
            failure = removed.error();
            continue;
        }
        {
            const std::scoped_lock lock(m_expectationsMutex);
            m_expectedDeletes[key][podName] = std::chrono::steady_clock::now();
        }
        m_recorder->event(daemonSet, client::EventRecorder::kNormal, "SuccessfulDelete",
                          "Deleted pod: " + podName);
    }

    // Revisions beyond revisionHistoryLimit that no pod uses go, oldest first.
    std::set<std::string> hashesInUse{hash};
    for (const auto& [nodeName, pods] : podsByNode) {
        for (const auto& pod : pods) {
            hashesInUse.insert(stringAt(*pod, {"metadata", "labels", kRevisionHashLabel}));
        }
    }
    history::pruneRevisions(m_client, revisions, hashesInUse,
                            integerAt(daemonSet, {"spec", "revisionHistoryLimit"}, 10));

    // Status, as kube counts it; written only when it changed.
    json status = at(daemonSet, {"status"});
    if (!status.is_object()) {
        status = json::object();
    }
    json wanted = status;
    wanted["desiredNumberScheduled"] = desired;
    wanted["currentNumberScheduled"] = scheduled;
    wanted["numberMisscheduled"] = misscheduled;
    wanted["numberReady"] = ready;
    wanted["numberAvailable"] = available;
    wanted["updatedNumberScheduled"] = updated;
    wanted["observedGeneration"] = integerAt(daemonSet, {"metadata", "generation"}, 1);
    if (desired > available) {
        wanted["numberUnavailable"] = desired - available;
    } else {
        wanted.erase("numberUnavailable");
    }
    if (wanted != status) {
        json object = daemonSet;
        object["status"] = wanted;
        auto written = m_client.updateStatus(
            client::ResourceRef("apps", "v1", "daemonsets").in(nameSpace).named(name), object);
        if (!written) {
            return written.error();
        }
    }
    // Pods becoming available after minReadySeconds need a later look.
    if (minReadySeconds > 0 && available < ready) {
        m_queue.addAfter(key, std::chrono::seconds(minReadySeconds));
    }
    if (failure) {
        return *failure;
    }
    return {};
}

}  // namespace slipway::controllers
