// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/deployment/deployment_controller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/controllers/deployment/deployment_util.h"
#include "engine/controllers/replicaset/controller_utils.h"
#include "engine/controllers/replicaset/replica_set_controller.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;
using namespace deployment;

namespace {

constexpr int kMaxRetries = 15;

const json::json_pointer kName("/metadata/name");
const json::json_pointer kNamespace("/metadata/namespace");
const json::json_pointer kUid("/metadata/uid");

client::ResourceRef deploymentRef(const json& d) {
    return client::resources::deployments().in(stringAt(d, kNamespace)).named(stringAt(d, kName));
}

client::ResourceRef replicaSetRef(const json& rs) {
    return client::resources::replicaSets().in(stringAt(rs, kNamespace)).named(stringAt(rs, kName));
}

client::ObjectReference involvedOf(const json& d) {
    return client::ObjectReference::to(d, "apps/v1", "Deployment");
}

core::LabelSelector selectorOf(const json& object) {
    if (!object.contains(json::json_pointer("/spec/selector"))) {
        return core::LabelSelector::nothing();
    }
    auto selector = core::LabelSelector::fromJson(object.at(json::json_pointer("/spec/selector")));
    return selector ? *selector : core::LabelSelector::nothing();
}

std::optional<std::int64_t> collisionCountOf(const json& d) {
    const json::json_pointer path("/status/collisionCount");
    if (d.contains(path) && d.at(path).is_number_integer()) {
        return d.at(path).get<std::int64_t>();
    }
    return std::nullopt;
}

json templateOf(const json& object) {
    return object.contains(json::json_pointer("/spec/template"))
               ? object.at(json::json_pointer("/spec/template"))
               : json::object();
}

/// kube's FindNewReplicaSet: the oldest set whose template equals the Deployment's.
const json* findNewSet(const json& d, const std::vector<json>& sortedSets) {
    const json wanted = templateOf(d);
    for (const auto& rs : sortedSets) {
        if (equalIgnoreHash(templateOf(rs), wanted)) {
            return &rs;
        }
    }
    return nullptr;
}

/// The object's status, or an empty one: a reference that outlives the call.
const json& statusOf(const json& object) {
    static const json kEmpty = json::object();
    const auto it = object.find("status");
    return it != object.end() && it->is_object() ? *it : kEmpty;
}

std::string describeName(const json& object) {
    return "\"" + stringAt(object, kName) + "\"";
}

}  // namespace

std::vector<json> DeploymentController::Sets::all() const {
    std::vector<json> sets = oldSets;
    if (newSet) {
        sets.push_back(*newSet);
    }
    return sets;
}

DeploymentController::DeploymentController(const ControllerContext& context)
    : m_client(context.client),
      m_deployments(context.informers.informerFor(client::resources::deployments())),
      m_replicaSets(context.informers.informerFor(client::resources::replicaSets())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_deploymentLister(m_deployments.lister()),
      m_replicaSetLister(m_replicaSets.lister()),
      m_podLister(m_pods.lister()),
      m_recorder(context.recorder("deployment-controller")),
      m_queue(client::WorkQueueOptions{"deployment", 100'000, {}}) {
    m_replicaSets.addIndex(ReplicaSetController::kControllerUidIndex,
                           ReplicaSetController::controllerUidIndex());
    m_pods.addIndex(ReplicaSetController::kControllerUidIndex,
                    ReplicaSetController::controllerUidIndex());
    m_deployments.addEventHandler(client::EventHandlers{
        [this](const client::ObjectPtr& d) { enqueue(*d); },
        [this](const client::ObjectPtr&, const client::ObjectPtr& d) { enqueue(*d); },
        [this](const client::ObjectPtr& d) { enqueue(*d); }});
    m_replicaSets.addEventHandler(client::EventHandlers{
        [this](const client::ObjectPtr& rs) { onReplicaSetAdd(rs); },
        [this](const client::ObjectPtr& oldSet, const client::ObjectPtr& newSet) {
            onReplicaSetUpdate(oldSet, newSet);
        },
        [this](const client::ObjectPtr& rs) { onReplicaSetDelete(rs); }});
    m_pods.addEventHandler(client::EventHandlers{
        nullptr,
        [this](const client::ObjectPtr& oldPod, const client::ObjectPtr& newPod) {
            if (!isBeingDeleted(*oldPod) && isBeingDeleted(*newPod)) {
                onPodDelete(newPod);
            }
        },
        [this](const client::ObjectPtr& pod) { onPodDelete(pod); }});
}

DeploymentController::~DeploymentController() {
    stop();
}

void DeploymentController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void DeploymentController::stop() {
    m_workers.stop();
}

void DeploymentController::enqueue(const json& d) {
    m_queue.add(client::objectKey(d));
}

client::ObjectPtr DeploymentController::resolveControllerRef(const std::string& nameSpace,
                                                             const json& ref) const {
    if (ref.value("kind", "") != "Deployment") {
        return nullptr;
    }
    auto d = m_deploymentLister.get(nameSpace, ref.value("name", ""));
    if (!d || stringAt(*d, kUid) != ref.value("uid", "")) {
        return nullptr;
    }
    return d;
}

void DeploymentController::enqueueSelecting(const json& rs) {
    const json labels = rs.contains(json::json_pointer("/metadata/labels"))
                            ? rs.at(json::json_pointer("/metadata/labels"))
                            : json::object();
    for (auto& d : m_deploymentLister.list(stringAt(rs, kNamespace))) {
        const auto selector = selectorOf(*d);
        if (!selector.empty() && selector.matches(labels)) {
            enqueue(*d);
        }
    }
}

void DeploymentController::onReplicaSetAdd(const client::ObjectPtr& rs) {
    if (isBeingDeleted(*rs)) {
        onReplicaSetDelete(rs);
        return;
    }
    if (const json* ref = controllerRefOf(*rs)) {
        if (auto d = resolveControllerRef(stringAt(*rs, kNamespace), *ref)) {
            enqueue(*d);
        }
        return;
    }
    enqueueSelecting(*rs);
}

void DeploymentController::onReplicaSetUpdate(const client::ObjectPtr& oldSet,
                                              const client::ObjectPtr& newSet) {
    if (stringAt(*oldSet, json::json_pointer("/metadata/resourceVersion")) ==
        stringAt(*newSet, json::json_pointer("/metadata/resourceVersion"))) {
        return;
    }
    const json* oldRef = controllerRefOf(*oldSet);
    const json* newRef = controllerRefOf(*newSet);
    const std::string nameSpace = stringAt(*newSet, kNamespace);
    const bool refChanged =
        (oldRef == nullptr) != (newRef == nullptr) ||
        (oldRef != nullptr && oldRef->value("uid", "") != newRef->value("uid", ""));
    if (refChanged && oldRef != nullptr) {
        if (auto d = resolveControllerRef(nameSpace, *oldRef)) {
            enqueue(*d);
        }
    }
    if (newRef != nullptr) {
        if (auto d = resolveControllerRef(nameSpace, *newRef)) {
            enqueue(*d);
        }
        return;
    }
    const bool labelsChanged = oldSet->value("metadata", json::object()).value("labels", json()) !=
                               newSet->value("metadata", json::object()).value("labels", json());
    if (labelsChanged || refChanged) {
        enqueueSelecting(*newSet);
    }
}

void DeploymentController::onReplicaSetDelete(const client::ObjectPtr& rs) {
    if (const json* ref = controllerRefOf(*rs)) {
        if (auto d = resolveControllerRef(stringAt(*rs, kNamespace), *ref)) {
            enqueue(*d);
        }
    }
}

void DeploymentController::onPodDelete(const client::ObjectPtr& pod) {
    // Only Recreate waits for pods to go.
    const json* ref = controllerRefOf(*pod);
    if (ref == nullptr || ref->value("kind", "") != "ReplicaSet") {
        return;
    }
    const std::string nameSpace = stringAt(*pod, kNamespace);
    auto rs = m_replicaSetLister.get(nameSpace, ref->value("name", ""));
    if (!rs || stringAt(*rs, kUid) != ref->value("uid", "")) {
        return;
    }
    const json* owner = controllerRefOf(*rs);
    if (owner == nullptr) {
        return;
    }
    if (auto d = resolveControllerRef(nameSpace, *owner)) {
        if (!isRollingUpdate(*d)) {
            enqueue(*d);
        }
    }
}

core::Result<std::vector<json>> DeploymentController::replicaSetsFor(const json& d) {
    const std::string nameSpace = stringAt(d, kNamespace);
    const std::string uid = stringAt(d, kUid);
    auto candidates = m_replicaSetLister.byIndex(ReplicaSetController::kControllerUidIndex, uid);
    auto orphans = m_replicaSetLister.byIndex(ReplicaSetController::kControllerUidIndex,
                                              "orphan/" + nameSpace);
    candidates.insert(candidates.end(), orphans.begin(), orphans.end());
    const auto selector = selectorOf(d);
    const json ownerRef = makeControllerRef(d, "apps/v1", "Deployment");
    const auto canAdopt = recheckOwner(m_client, deploymentRef(d), uid);
    std::vector<json> claimed;
    for (auto& rs : candidates) {
        auto mine = claimObject(m_client, client::resources::replicaSets(), *rs, d, ownerRef,
                                selector, canAdopt);
        if (!mine) {
            return mine.error();
        }
        if (*mine) {
            claimed.push_back(*rs);
        }
    }
    return claimed;
}

core::Result<void> DeploymentController::writeStatus(json& d) {
    auto updated = m_client.updateStatus(deploymentRef(d), d);
    if (!updated) {
        return updated.error();
    }
    d = *updated;
    return core::success();
}

core::Result<void> DeploymentController::setRevision(json& d, const std::string& revision) {
    if (annotation(d, kRevisionAnnotation) == revision) {
        return core::success();
    }
    // The status subresource ignores metadata: the annotation goes in a patch of its own.
    const json patch = {
        {"metadata",
         {{"annotations", {{kRevisionAnnotation, revision}}},
          {"resourceVersion", stringAt(d, json::json_pointer("/metadata/resourceVersion"))}}}};
    auto updated = m_client.patch(deploymentRef(d), client::PatchType::Merge, patch);
    if (!updated) {
        return updated.error();
    }
    const json status = d.value("status", json::object());
    d = *updated;
    d["status"] = status;
    return core::success();
}

core::Result<std::optional<json>> DeploymentController::newReplicaSet(
    json& d, const std::vector<json>& sets, const std::vector<json>& oldSets,
    bool createIfMissing) {
    std::vector<json> sorted = sets;
    sortByCreation(sorted);
    const json* existing = findNewSet(d, sorted);
    const std::string newRevision = std::to_string(maxRevision(oldSets) + 1);

    if (existing != nullptr) {
        json rs = *existing;
        const bool annotationsChanged = setNewReplicaSetAnnotations(d, rs, newRevision, true);
        const auto minReadySeconds = intAt(d, json::json_pointer("/spec/minReadySeconds"));
        if (annotationsChanged ||
            intAt(rs, json::json_pointer("/spec/minReadySeconds")) != minReadySeconds) {
            rs["spec"]["minReadySeconds"] = minReadySeconds;
            auto updated = m_client.update(replicaSetRef(rs), rs);
            if (!updated) {
                return updated.error();
            }
            return std::optional<json>(*updated);
        }
        if (auto revised = setRevision(d, annotation(rs, kRevisionAnnotation)); !revised) {
            return revised.error();
        }
        if (hasProgressDeadline(d) && findCondition(statusOf(d), "Progressing") == nullptr) {
            setCondition(d["status"], newCondition("Progressing", "True", kFoundNewReplicaSet,
                                                   "Found new replica set " + describeName(rs)));
            if (auto written = writeStatus(d); !written) {
                return written.error();
            }
        }
        return std::optional<json>(rs);
    }
    if (!createIfMissing) {
        return std::optional<json>();
    }

    // A new ReplicaSet for the new template: the hash joins its name, labels and selector, so
    // that it never selects the pods of the Deployment's other sets.
    json podTemplate = templateOf(d);
    const std::string hash = computeHash(podTemplate, collisionCountOf(d));
    podTemplate["metadata"]["labels"][kPodTemplateHashLabel] = hash;
    json selector = d.at("spec").value("selector", json::object());
    selector["matchLabels"][kPodTemplateHashLabel] = hash;
    json rs = {{"apiVersion", "apps/v1"},
               {"kind", "ReplicaSet"},
               {"metadata",
                {{"name", stringAt(d, kName) + "-" + hash},
                 {"namespace", stringAt(d, kNamespace)},
                 {"ownerReferences", json::array({makeControllerRef(d, "apps/v1", "Deployment")})},
                 {"labels", podTemplate["metadata"]["labels"]}}},
               {"spec",
                {{"replicas", 0},
                 {"minReadySeconds", intAt(d, json::json_pointer("/spec/minReadySeconds"))},
                 {"selector", selector},
                 {"template", podTemplate}}}};
    std::vector<json> all = oldSets;
    all.push_back(rs);
    const auto replicas = newReplicaSetReplicas(d, all, rs);
    rs["spec"]["replicas"] = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    bool alreadyExists = false;
    auto created =
        m_client.create(client::resources::replicaSets().in(stringAt(d, kNamespace)), rs);
    json createdSet;
    if (!created && created.error().code() == core::ErrorCode::AlreadyExists) {
        alreadyExists = true;
        auto found = m_client.get(replicaSetRef(rs));
        const json* ref = found ? controllerRefOf(*found) : nullptr;
        if (found && ref != nullptr && ref->value("uid", "") == stringAt(d, kUid) &&
            equalIgnoreHash(templateOf(d), templateOf(*found))) {
            createdSet = *found;
        } else {
            // A hash collision: count it, so that the next hash differs.
            d["status"]["collisionCount"] = collisionCountOf(d).value_or(0) + 1;
            (void)writeStatus(d);
            return created.error();
        }
    } else if (!created) {
        const std::string message = "Failed to create new replica set " + describeName(rs) + ": " +
                                    created.error().message();
        if (hasProgressDeadline(d)) {
            setCondition(d["status"],
                         newCondition("Progressing", "False", kFailedReplicaSetCreate, message));
            (void)writeStatus(d);
        }
        m_recorder->event(involvedOf(d), client::EventRecorder::kWarning, kFailedReplicaSetCreate,
                          message);
        return created.error();
    } else {
        createdSet = *created;
    }
    if (!alreadyExists && replicas > 0) {
        m_recorder->event(involvedOf(d), client::EventRecorder::kNormal, "ScalingReplicaSet",
                          "Scaled up replica set " + stringAt(createdSet, kName) + " from 0 to " +
                              std::to_string(replicas));
    }
    if (auto revised = setRevision(d, newRevision); !revised) {
        return revised.error();
    }
    if (!alreadyExists && hasProgressDeadline(d)) {
        setCondition(d["status"],
                     newCondition("Progressing", "True", kNewReplicaSetCreated,
                                  "Created new replica set " + describeName(createdSet)));
        if (auto written = writeStatus(d); !written) {
            return written.error();
        }
    }
    return std::optional<json>(createdSet);
}

core::Result<DeploymentController::Sets> DeploymentController::allSetsAndSyncRevision(
    json& d, const std::vector<json>& sets, bool createIfMissing) {
    std::vector<json> sorted = sets;
    sortByCreation(sorted);
    const json* newOne = findNewSet(d, sorted);
    Sets result;
    for (const auto& rs : sets) {
        if (newOne != nullptr && stringAt(rs, kUid) == stringAt(*newOne, kUid)) {
            continue;
        }
        result.oldSets.push_back(rs);
    }
    auto found = newReplicaSet(d, sets, result.oldSets, createIfMissing);
    if (!found) {
        return found.error();
    }
    result.newSet = std::move(*found);
    return result;
}

core::Result<bool> DeploymentController::scaleReplicaSet(json& rs, std::int64_t newScale,
                                                         const json& d,
                                                         const std::string& operation) {
    const auto oldScale = replicasOf(rs);
    const bool sizeChanges = oldScale != newScale;
    const auto desired = replicasOf(d);
    const auto max = desired + maxSurge(d);
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) {
        return false;
    }
    json next = rs;
    next["spec"]["replicas"] = newScale;
    setReplicasAnnotations(next, desired, max);
    auto updated = m_client.update(replicaSetRef(next), next);
    if (!updated) {
        return updated.error();
    }
    rs = *updated;
    if (sizeChanges) {
        // kube 1.31+ (kubernetes#125118) words it "from <old> to <new>".
        m_recorder->event(involvedOf(d), client::EventRecorder::kNormal, "ScalingReplicaSet",
                          "Scaled " + operation + " replica set " + stringAt(rs, kName) + " from " +
                              std::to_string(oldScale) + " to " + std::to_string(newScale));
    }
    return sizeChanges;
}

core::Result<bool> DeploymentController::scaleAndRecord(json& rs, std::int64_t newScale,
                                                        const json& d) {
    if (replicasOf(rs) == newScale) {
        return false;
    }
    return scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? "up" : "down");
}

core::Result<void> DeploymentController::scale(const json& d, Sets& sets) {
    // One active set (or none): it takes the Deployment's whole size.
    std::vector<json*> active;
    for (auto& rs : sets.oldSets) {
        if (replicasOf(rs) > 0) {
            active.push_back(&rs);
        }
    }
    if (sets.newSet && replicasOf(*sets.newSet) > 0) {
        active.push_back(&*sets.newSet);
    }
    json* activeOrLatest = nullptr;
    if (active.size() == 1) {
        activeOrLatest = active.front();
    } else if (active.empty()) {
        if (sets.newSet) {
            activeOrLatest = &*sets.newSet;
        } else if (!sets.oldSets.empty()) {
            activeOrLatest = &*std::max_element(
                sets.oldSets.begin(), sets.oldSets.end(), [](const json& a, const json& b) {
                    return creationTime(a) != creationTime(b)
                               ? creationTime(a) < creationTime(b)
                               : stringAt(a, kName) < stringAt(b, kName);
                });
        }
    }
    if (activeOrLatest != nullptr || (active.empty() && !sets.newSet && sets.oldSets.empty())) {
        if (activeOrLatest == nullptr || replicasOf(*activeOrLatest) == replicasOf(d)) {
            return core::success();
        }
        auto scaled = scaleAndRecord(*activeOrLatest, replicasOf(d), d);
        return scaled ? core::success() : core::Result<void>(scaled.error());
    }
    // The new set is complete: what old sets still have goes.
    if (isSaturated(d, sets.newSet ? &*sets.newSet : nullptr)) {
        for (auto& rs : sets.oldSets) {
            if (replicasOf(rs) > 0) {
                if (auto scaled = scaleAndRecord(rs, 0, d); !scaled) {
                    return scaled.error();
                }
            }
        }
        return core::success();
    }
    if (!isRollingUpdate(d)) {
        return core::success();
    }
    // Proportional scaling: 10 → 15 replicas with sets of 6 (new) and 4 (old), maxSurge 3
    // (then 13 allowed, now 16 + 4): each set grows by its share of the 5 added.
    std::vector<json*> order = active;
    std::vector<json> snapshot;
    for (auto* rs : order) {
        snapshot.push_back(*rs);
    }
    const auto allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const auto toAdd = allowed - specReplicaCount(snapshot);
    std::string operation;
    if (toAdd > 0) {
        operation = "up";
    } else if (toAdd < 0) {
        operation = "down";
    }
    // Sort the pointers as kube sorts the sets: larger first, newer (up) or older (down) first.
    std::vector<std::size_t> index(order.size());
    for (std::size_t i = 0; i < index.size(); ++i) {
        index[i] = i;
    }
    std::stable_sort(index.begin(), index.end(), [&](std::size_t a, std::size_t b) {
        const json& left = snapshot[a];
        const json& right = snapshot[b];
        if (replicasOf(left) != replicasOf(right)) {
            return replicasOf(left) > replicasOf(right);
        }
        const bool leftOlder = creationTime(left) != creationTime(right)
                                   ? creationTime(left) < creationTime(right)
                                   : stringAt(left, kName) < stringAt(right, kName);
        return toAdd > 0 ? !leftOlder : leftOlder;
    });
    std::vector<std::int64_t> sizes(order.size());
    std::int64_t added = 0;
    for (std::size_t i : index) {
        if (toAdd != 0) {
            const auto proportion = replicaSetProportion(snapshot[i], d, toAdd, added);
            sizes[i] = replicasOf(snapshot[i]) + proportion;
            added += proportion;
        } else {
            sizes[i] = replicasOf(snapshot[i]);
        }
    }
    bool first = true;
    for (std::size_t i : index) {
        if (first && toAdd != 0) {
            // Leftovers go to the largest set.
            sizes[i] = std::max<std::int64_t>(0, sizes[i] + toAdd - added);
        }
        first = false;
        if (auto scaled = scaleReplicaSet(*order[i], sizes[i], d, operation); !scaled) {
            return scaled.error();
        }
    }
    return core::success();
}

core::Result<bool> DeploymentController::isScalingEvent(json& d, const std::vector<json>& sets) {
    auto all = allSetsAndSyncRevision(d, sets, false);
    if (!all) {
        return all.error();
    }
    for (const auto& rs : activeReplicaSets(all->all())) {
        const std::string desired = annotation(rs, kDesiredReplicasAnnotation);
        if (!desired.empty() && desired != std::to_string(replicasOf(d))) {
            return true;
        }
    }
    return false;
}

core::Result<void> DeploymentController::checkPausedConditions(json& d) {
    if (!hasProgressDeadline(d)) {
        return core::success();
    }
    const json* condition = findCondition(statusOf(d), "Progressing");
    if (condition != nullptr && condition->value("reason", "") == kProgressDeadlineExceeded) {
        return core::success();  // a timeout stays reported
    }
    const bool pausedReported =
        condition != nullptr && condition->value("reason", "") == kDeploymentPaused;
    const bool paused = d.at("spec").value("paused", false);
    if (paused && !pausedReported) {
        setCondition(d["status"], newCondition("Progressing", "Unknown", kDeploymentPaused,
                                               "Deployment is paused"));
    } else if (!paused && pausedReported) {
        setCondition(d["status"], newCondition("Progressing", "Unknown", kDeploymentResumed,
                                               "Deployment is resumed"));
    } else {
        return core::success();
    }
    return writeStatus(d);
}

json DeploymentController::calculateStatus(const Sets& sets, const json& d) const {
    const auto all = sets.all();
    const auto available = availableReplicaCount(all);
    const auto unavailable = std::max<std::int64_t>(0, specReplicaCount(all) - available);
    json status = json::object();
    status["observedGeneration"] = intAt(d, json::json_pointer("/metadata/generation"), 1);
    status["replicas"] = actualReplicaCount(all);
    status["updatedReplicas"] =
        sets.newSet ? intAt(*sets.newSet, json::json_pointer("/status/replicas")) : 0;
    status["readyReplicas"] = readyReplicaCount(all);
    status["availableReplicas"] = available;
    status["unavailableReplicas"] = unavailable;
    if (const auto collisions = collisionCountOf(d)) {
        status["collisionCount"] = *collisions;
    }
    const json current = d.value("status", json::object());
    if (current.contains("conditions")) {
        status["conditions"] = current["conditions"];
    }
    if (available >= replicasOf(d) - maxUnavailable(d)) {
        setCondition(status, newCondition("Available", "True", kMinimumReplicasAvailable,
                                          "Deployment has minimum availability."));
    } else {
        setCondition(status, newCondition("Available", "False", kMinimumReplicasUnavailable,
                                          "Deployment does not have minimum availability."));
    }
    return status;
}

/// Compares statuses as kube's DeepEqual does after defaults: absent counts are zero.
static bool sameStatus(const json& a, const json& b) {
    const auto normalized = [](json status) {
        for (const char* field :
             {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
              "unavailableReplicas", "observedGeneration"}) {
            if (!status.contains(field)) {
                status[field] = 0;
            }
        }
        if (status.contains("conditions") && status["conditions"].empty()) {
            status.erase("conditions");
        }
        return status;
    };
    return normalized(a) == normalized(b);
}

core::Result<void> DeploymentController::syncDeploymentStatus(const Sets& sets, json& d) {
    json status = calculateStatus(sets, d);
    if (sameStatus(d.value("status", json::object()), status)) {
        return core::success();
    }
    d["status"] = status;
    return writeStatus(d);
}

void DeploymentController::requeueStuck(const json& d, const json& newStatus) {
    const json* condition = findCondition(statusOf(d), "Progressing");
    if (!hasProgressDeadline(d) || condition == nullptr) {
        return;
    }
    if (deploymentComplete(d, newStatus) ||
        condition->value("reason", "") == kProgressDeadlineExceeded) {
        return;
    }
    const auto from = core::parseTimestamp(condition->value("lastUpdateTime", ""));
    if (!from) {
        return;
    }
    // Look again just after the deadline, so a stuck rollout is reported on time.
    const auto deadline =
        *from + std::chrono::seconds(intAt(d, json::json_pointer("/spec/progressDeadlineSeconds")));
    const auto after = deadline - Clock::now();
    if (after < std::chrono::seconds(1)) {
        m_queue.add(client::objectKey(d));
        return;
    }
    m_queue.addAfter(client::objectKey(d), after + std::chrono::seconds(1));
}

core::Result<void> DeploymentController::syncRolloutStatus(const Sets& sets, json& d) {
    json status = calculateStatus(sets, d);
    if (!hasProgressDeadline(d)) {
        removeCondition(status, "Progressing");
    }
    const json* current = findCondition(statusOf(d), "Progressing");
    const bool complete = intAt(status, json::json_pointer("/replicas")) ==
                              intAt(status, json::json_pointer("/updatedReplicas")) &&
                          current != nullptr &&
                          current->value("reason", "") == kNewReplicaSetAvailable;
    if (hasProgressDeadline(d) && !complete) {
        const std::string subject = sets.newSet ? "ReplicaSet " + describeName(*sets.newSet)
                                                : "Deployment " + describeName(d);
        if (deploymentComplete(d, status)) {
            setCondition(status, newCondition("Progressing", "True", kNewReplicaSetAvailable,
                                              subject + " has successfully progressed."));
        } else if (deploymentProgressing(d, status)) {
            json condition = newCondition("Progressing", "True", kReplicaSetUpdated,
                                          subject + " is progressing.");
            if (current != nullptr) {
                if (current->value("status", "") == "True") {
                    condition["lastTransitionTime"] = current->value("lastTransitionTime", "");
                }
                removeCondition(status, "Progressing");
            }
            setCondition(status, condition);
        } else if (deploymentTimedOut(d, status, Clock::now())) {
            setCondition(status, newCondition("Progressing", "False", kProgressDeadlineExceeded,
                                              subject + " has timed out progressing."));
        }
    }
    // A ReplicaSet's failure (quota, admission) shows on the Deployment.
    const json* failure = nullptr;
    if (sets.newSet) {
        failure = findCondition(statusOf(*sets.newSet), "ReplicaFailure");
    }
    for (const auto& rs : sets.oldSets) {
        if (failure == nullptr) {
            failure = findCondition(statusOf(rs), "ReplicaFailure");
        }
    }
    if (failure != nullptr) {
        json condition = newCondition("ReplicaFailure", failure->value("status", "True"),
                                      failure->value("reason", ""), failure->value("message", ""));
        if (failure->contains("lastTransitionTime")) {
            condition["lastUpdateTime"] = (*failure)["lastTransitionTime"];
            condition["lastTransitionTime"] = (*failure)["lastTransitionTime"];
        }
        setCondition(status, condition);
    } else {
        removeCondition(status, "ReplicaFailure");
    }
    if (sameStatus(d.value("status", json::object()), status)) {
        requeueStuck(d, status);
        return core::success();
    }
    d["status"] = status;
    return writeStatus(d);
}

void DeploymentController::cleanup(const json& d, const std::vector<json>& oldSets) {
    const json::json_pointer limitPath("/spec/revisionHistoryLimit");
    if (!d.contains(limitPath) || !d.at(limitPath).is_number_integer()) {
        return;
    }
    const auto limit = d.at(limitPath).get<std::int64_t>();
    std::vector<json> cleanable;
    for (const auto& rs : oldSets) {
        if (!isBeingDeleted(rs)) {
            cleanable.push_back(rs);
        }
    }
    const auto diff = static_cast<std::int64_t>(cleanable.size()) - limit;
    if (diff <= 0) {
        return;
    }
    sortByRevision(cleanable);
    for (std::int64_t i = 0; i < diff; ++i) {
        const json& rs = cleanable[static_cast<std::size_t>(i)];
        // Only sets that are empty and whose emptiness their controller has seen.
        if (intAt(rs, json::json_pointer("/status/replicas")) != 0 || replicasOf(rs) != 0 ||
            intAt(rs, json::json_pointer("/metadata/generation"), 1) >
                intAt(rs, json::json_pointer("/status/observedGeneration"))) {
            continue;
        }
        client::DeleteOptions options;
        options.preconditionUid = stringAt(rs, kUid);
        (void)m_client.remove(replicaSetRef(rs), options);
    }
}

core::Result<void> DeploymentController::syncOnly(json& d, const std::vector<json>& sets) {
    auto all = allSetsAndSyncRevision(d, sets, false);
    if (!all) {
        return all.error();
    }
    if (auto scaled = scale(d, *all); !scaled) {
        return scaled;
    }
    if (d.at("spec").value("paused", false)) {
        cleanup(d, all->oldSets);
    }
    return syncDeploymentStatus(*all, d);
}

core::Result<void> DeploymentController::syncStatusOnly(json& d, const std::vector<json>& sets) {
    auto all = allSetsAndSyncRevision(d, sets, false);
    if (!all) {
        return all.error();
    }
    return syncDeploymentStatus(*all, d);
}

core::Result<bool> DeploymentController::reconcileNewReplicaSet(const std::vector<json>& all,
                                                                json& newSet, const json& d) {
    const auto desired = replicasOf(d);
    if (replicasOf(newSet) == desired) {
        return false;
    }
    if (replicasOf(newSet) > desired) {
        return scaleAndRecord(newSet, desired, d);
    }
    // Count a set's pods that are still there even if its spec is already lower, so that
    // 10 replicas with maxSurge 3 never have more than 13 pods at once.
    std::vector<json> counted;
    for (const auto& rs : all) {
        json each = rs;
        each["spec"]["replicas"] =
            std::max(replicasOf(rs), intAt(rs, json::json_pointer("/status/replicas")));
        counted.push_back(std::move(each));
    }
    json newCounted = newSet;
    return scaleAndRecord(newSet, newReplicaSetReplicas(d, counted, newCounted), d);
}

core::Result<bool> DeploymentController::reconcileOldReplicaSets(Sets& sets, const json& d) {
    const auto oldPods = specReplicaCount(sets.oldSets);
    if (oldPods == 0) {
        return false;
    }
    const auto allPods = specReplicaCount(sets.all());
    const auto minAvailable = replicasOf(d) - maxUnavailable(d);
    const json& newSet = *sets.newSet;
    const auto newUnavailable =
        replicasOf(newSet) - intAt(newSet, json::json_pointer("/status/availableReplicas"));
    // 10 replicas, maxUnavailable 2, 13 pods of which 3 new and unavailable: 13 - 8 - 3 = 2
    // old pods may go.
    const auto maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
        return false;
    }
    // First the old sets' unhealthy pods, oldest set first.
    std::vector<json*> byAge;
    for (auto& rs : sets.oldSets) {
        byAge.push_back(&rs);
    }
    std::stable_sort(byAge.begin(), byAge.end(), [](const json* a, const json* b) {
        return creationTime(*a) != creationTime(*b) ? creationTime(*a) < creationTime(*b)
                                                    : stringAt(*a, kName) < stringAt(*b, kName);
    });
    std::int64_t cleaned = 0;
    for (json* rs : byAge) {
        if (cleaned >= maxScaledDown) {
            break;
        }
        const auto replicas = replicasOf(*rs);
        const auto available = intAt(*rs, json::json_pointer("/status/availableReplicas"));
        if (replicas == 0 || replicas == available) {
            continue;
        }
        const auto down = std::min(maxScaledDown - cleaned, replicas - available);
        auto scaled = scaleAndRecord(*rs, replicas - down, d);
        if (!scaled) {
            return scaled.error();
        }
        cleaned += down;
    }
    // Then available pods, as long as minAvailable stay.
    const auto availablePods = availableReplicaCount(sets.all());
    std::int64_t scaledDown = 0;
    if (availablePods > minAvailable) {
        const auto total = availablePods - minAvailable;
        for (json* rs : byAge) {
            if (scaledDown >= total) {
                break;
            }
            const auto replicas = replicasOf(*rs);
            if (replicas == 0) {
                continue;
            }
            const auto down = std::min(replicas, total - scaledDown);
            auto scaled = scaleAndRecord(*rs, replicas - down, d);
            if (!scaled) {
                return scaled.error();
            }
            scaledDown += down;
        }
    }
    return cleaned + scaledDown > 0;
}

core::Result<void> DeploymentController::rolloutRolling(json& d, const std::vector<json>& sets) {
    auto all = allSetsAndSyncRevision(d, sets, true);
    if (!all) {
        return all.error();
    }
    Sets& current = *all;
    auto scaledUp = reconcileNewReplicaSet(current.all(), *current.newSet, d);
    if (!scaledUp) {
        return scaledUp.error();
    }
    if (*scaledUp) {
        return syncRolloutStatus(current, d);
    }
    auto scaledDown = reconcileOldReplicaSets(current, d);
    if (!scaledDown) {
        return scaledDown.error();
    }
    if (*scaledDown) {
        return syncRolloutStatus(current, d);
    }
    if (deploymentComplete(d, d.value("status", json::object()))) {
        cleanup(d, current.oldSets);
    }
    return syncRolloutStatus(current, d);
}

bool DeploymentController::oldPodsRunning(const Sets& sets) const {
    if (actualReplicaCount(sets.oldSets) > 0) {
        return true;
    }
    for (const auto& rs : sets.oldSets) {
        for (const auto& pod :
             m_podLister.byIndex(ReplicaSetController::kControllerUidIndex, stringAt(rs, kUid))) {
            const std::string phase = stringAt(*pod, json::json_pointer("/status/phase"));
            if (phase != "Failed" && phase != "Succeeded") {
                return true;  // Pending, Running or Unknown: it may still run
            }
        }
    }
    return false;
}

core::Result<void> DeploymentController::rolloutRecreate(json& d, const std::vector<json>& sets) {
    auto all = allSetsAndSyncRevision(d, sets, false);
    if (!all) {
        return all.error();
    }
    bool scaledDown = false;
    for (auto& rs : all->oldSets) {
        if (replicasOf(rs) > 0) {
            auto scaled = scaleAndRecord(rs, 0, d);
            if (!scaled) {
                return scaled.error();
            }
            scaledDown = scaledDown || *scaled;
        }
    }
    if (scaledDown || oldPodsRunning(*all)) {
        return syncRolloutStatus(*all, d);
    }
    if (!all->newSet) {
        all = allSetsAndSyncRevision(d, sets, true);
        if (!all) {
            return all.error();
        }
    }
    if (auto scaled = scaleAndRecord(*all->newSet, replicasOf(d), d); !scaled) {
        return scaled.error();
    }
    if (deploymentComplete(d, d.value("status", json::object()))) {
        cleanup(d, all->oldSets);
    }
    return syncRolloutStatus(*all, d);
}

core::Result<void> DeploymentController::sync(const std::string& key) {
    const auto cached = m_deploymentLister.getByKey(key);
    if (!cached) {
        return core::success();
    }
    json d = *cached;
    if (!d["status"].is_object()) {
        d["status"] = json::object();
    }
    const json selector = d.at("spec").value("selector", json::object());
    if (selector.empty() || (selector.value("matchLabels", json::object()).empty() &&
                             selector.value("matchExpressions", json::array()).empty())) {
        m_recorder->event(involvedOf(d), client::EventRecorder::kWarning, "SelectingAll",
                          "This deployment is selecting all pods. A non-empty selector is "
                          "required.");
        const auto generation = intAt(d, json::json_pointer("/metadata/generation"), 1);
        if (intAt(d, json::json_pointer("/status/observedGeneration")) < generation) {
            d["status"]["observedGeneration"] = generation;
            return writeStatus(d);
        }
        return core::success();
    }
    auto sets = replicaSetsFor(d);
    if (!sets) {
        return sets.error();
    }
    if (isBeingDeleted(d)) {
        return syncStatusOnly(d, *sets);
    }
    if (auto checked = checkPausedConditions(d); !checked) {
        return checked;
    }
    if (d.at("spec").value("paused", false)) {
        return syncOnly(d, *sets);
    }
    auto scaling = isScalingEvent(d, *sets);
    if (!scaling) {
        return scaling.error();
    }
    if (*scaling) {
        return syncOnly(d, *sets);
    }
    if (isRollingUpdate(d)) {
        return rolloutRolling(d, *sets);
    }
    return rolloutRecreate(d, *sets);
}

}  // namespace slipway::controllers
