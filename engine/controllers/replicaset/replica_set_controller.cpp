// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/replicaset/replica_set_controller.h"

#include <algorithm>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;

namespace {

constexpr int kMaxRetries = 15;
/// Threads that create or delete the pods of one batch at once.
constexpr std::size_t kWriteParallelism = 64;
constexpr const char* kPodDeletionCost = "controller.kubernetes.io/pod-deletion-cost";

const json::json_pointer kName("/metadata/name");
const json::json_pointer kNamespace("/metadata/namespace");
const json::json_pointer kUid("/metadata/uid");
const json::json_pointer kLabels("/metadata/labels");
const json::json_pointer kReplicas("/spec/replicas");

std::string keyOf(const json& object) {
    return client::objectKey(object);
}

json labelsOf(const json& object) {
    return object.contains(kLabels) ? object.at(kLabels) : json::object();
}

core::LabelSelector selectorOf(const json& object) {
    if (!object.contains(json::json_pointer("/spec/selector"))) {
        return core::LabelSelector::nothing();
    }
    auto selector = core::LabelSelector::fromJson(object.at(json::json_pointer("/spec/selector")));
    return selector ? *selector : core::LabelSelector::nothing();
}

/// Runs `work(i)` for i in [0, count) on up to kWriteParallelism threads; returns how many
/// succeeded and the first error.
std::pair<std::int64_t, std::optional<core::Error>> runParallel(
    std::int64_t count, const std::function<core::Result<void>(std::int64_t)>& work) {
    std::atomic<std::int64_t> next{0};
    std::atomic<std::int64_t> succeeded{0};
    std::mutex errorMutex;
    std::optional<core::Error> firstError;
    const auto loop = [&] {
        for (std::int64_t i = next++; i < count; i = next++) {
            auto result = work(i);
            if (result) {
                ++succeeded;
            } else {
                const std::lock_guard lock(errorMutex);
                if (!firstError) {
                    firstError = result.error();
                }
            }
        }
    };
    const auto threads = std::min<std::int64_t>(count, kWriteParallelism);
    std::vector<std::thread> pool;
    for (std::int64_t t = 1; t < threads; ++t) {
        pool.emplace_back(loop);
    }
    loop();
    for (auto& thread : pool) {
        thread.join();
    }
    return {succeeded.load(), firstError};
}

int phaseOrdinal(const json& pod) {
    const std::string phase = stringAt(pod, json::json_pointer("/status/phase"));
    if (phase == "Pending") {
        return 0;
    }
    if (phase == "Unknown") {
        return 1;
    }
    if (phase == "Running") {
        return 2;
    }
    return 3;
}

std::int64_t maxRestarts(const json& pod) {
    std::int64_t restarts = 0;
    if (pod.contains(json::json_pointer("/status/containerStatuses"))) {
        for (const auto& status : pod.at(json::json_pointer("/status/containerStatuses"))) {
            restarts = std::max<std::int64_t>(restarts, status.value("restartCount", 0));
        }
    }
    return restarts;
}

std::int64_t deletionCost(const json& pod) {
    const std::string cost =
        stringAt(pod, json::json_pointer("/metadata/annotations") / std::string(kPodDeletionCost));
    if (cost.empty()) {
        return 0;
    }
    try {
        return std::stoll(cost);
    } catch (const std::exception&) {
        return 0;
    }
}

/// A pod and the number of related pods on its node, for ActivePodsWithRanks.
struct RankedPod {
    client::ObjectPtr pod;
    std::int64_t rank = 0;
};

/// kube's ActivePodsWithRanks.Less: true when `a` should be deleted before `b`.
bool deleteFirst(const RankedPod& left, const RankedPod& right) {
    const json& a = *left.pod;
    const json& b = *right.pod;
    const json::json_pointer nodeName("/spec/nodeName");
    // 1. Unassigned before assigned.
    const bool aAssigned = !stringAt(a, nodeName).empty();
    const bool bAssigned = !stringAt(b, nodeName).empty();
    if (aAssigned != bAssigned) {
        return !aAssigned;
    }
    // 2. Pending before Unknown before Running.
    if (phaseOrdinal(a) != phaseOrdinal(b)) {
        return phaseOrdinal(a) < phaseOrdinal(b);
    }
    // 3. Not ready before ready.
    if (isPodReady(a) != isPodReady(b)) {
        return !isPodReady(a);
    }
    // 4. Lower pod-deletion-cost first.
    if (deletionCost(a) != deletionCost(b)) {
        return deletionCost(a) < deletionCost(b);
    }
    // 5. Doubled up (more related pods on the same node) first.
    if (left.rank != right.rank) {
        return left.rank > right.rank;
    }
    // 6. Ready for less time first.
    if (isPodReady(a) && isPodReady(b)) {
        const auto aReady = podReadyTime(a);
        const auto bReady = podReadyTime(b);
        if (aReady != bReady) {
            if (!aReady || !bReady) {
                return !aReady;
            }
            return *aReady > *bReady;
        }
    }
    // 7. More restarts first.
    if (maxRestarts(a) != maxRestarts(b)) {
        return maxRestarts(a) > maxRestarts(b);
    }
    // 8. Newer first.
    if (creationTime(a) != creationTime(b)) {
        return creationTime(a) > creationTime(b);
    }
    return stringAt(a, kUid) < stringAt(b, kUid);
}

/// The pod the template describes, owned by `replicaSet`.
json podFromTemplate(const json& replicaSet, const json& podTemplate) {
    const std::string name = stringAt(replicaSet, kName);
    json metadata = {
        {"generateName", name + "-"},
        {"namespace", stringAt(replicaSet, kNamespace)},
        {"ownerReferences", json::array({makeControllerRef(replicaSet, "apps/v1", "ReplicaSet")})}};
    if (podTemplate.contains("metadata")) {
        for (const char* field : {"labels", "annotations", "finalizers"}) {
            if (podTemplate["metadata"].contains(field)) {
                metadata[field] = podTemplate["metadata"][field];
            }
        }
    }
    return {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", std::move(metadata)},
            {"spec", podTemplate.value("spec", json::object())}};
}

json conditionsWithout(const json& conditions, const std::string& type) {
    json kept = json::array();
    if (conditions.is_array()) {
        for (const auto& condition : conditions) {
            if (condition.value("type", "") != type) {
                kept.push_back(condition);
            }
        }
    }
    return kept;
}

const json* findCondition(const json& status, const std::string& type) {
    if (!status.contains("conditions") || !status["conditions"].is_array()) {
        return nullptr;
    }
    for (const auto& condition : status["conditions"]) {
        if (condition.value("type", "") == type) {
            return &condition;
        }
    }
    return nullptr;
}

}  // namespace

client::IndexFunction ReplicaSetController::controllerUidIndex() {
    return [](const json& object) -> std::vector<std::string> {
        if (const json* ref = controllerRefOf(object)) {
            return {ref->value("uid", "")};
        }
        return {"orphan/" + stringAt(object, kNamespace)};
    };
}

ReplicaSetController::ReplicaSetController(const ControllerContext& context,
                                           ReplicaSetControllerOptions options)
    : m_client(context.client),
      m_options(options),
      m_replicaSets(context.informers.informerFor(client::resources::replicaSets())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_replicaSetLister(m_replicaSets.lister()),
      m_podLister(m_pods.lister()),
      m_recorder(context.recorder("replicaset-controller")),
      m_queue(client::WorkQueueOptions{"replicaset", 100'000, {}}) {
    m_pods.addIndex(kControllerUidIndex, controllerUidIndex());
    m_replicaSets.addIndex(kControllerUidIndex, controllerUidIndex());
    m_replicaSets.addEventHandler(client::EventHandlers{
        [this](const client::ObjectPtr& rs) { enqueue(*rs); },
        [this](const client::ObjectPtr&, const client::ObjectPtr& rs) { enqueue(*rs); },
        [this](const client::ObjectPtr& rs) {
            m_expectations.remove(keyOf(*rs));
            enqueue(*rs);
        }});
    m_pods.addEventHandler(client::EventHandlers{
        [this](const client::ObjectPtr& pod) { onPodAdd(pod); },
        [this](const client::ObjectPtr& oldPod, const client::ObjectPtr& newPod) {
            onPodUpdate(oldPod, newPod);
        },
        [this](const client::ObjectPtr& pod) { onPodDelete(pod); }});
}

ReplicaSetController::~ReplicaSetController() {
    stop();
}

void ReplicaSetController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void ReplicaSetController::stop() {
    m_workers.stop();
}

void ReplicaSetController::enqueue(const json& replicaSet) {
    m_queue.add(keyOf(replicaSet));
}

void ReplicaSetController::enqueueAfter(const json& replicaSet, std::chrono::nanoseconds delay) {
    m_queue.addAfter(keyOf(replicaSet), delay);
}

client::ObjectPtr ReplicaSetController::resolveControllerRef(const std::string& nameSpace,
                                                             const json& controllerRef) const {
    if (controllerRef.value("kind", "") != "ReplicaSet") {
        return nullptr;
    }
    auto rs = m_replicaSetLister.get(nameSpace, controllerRef.value("name", ""));
    if (!rs || stringAt(*rs, kUid) != controllerRef.value("uid", "")) {
        return nullptr;
    }
    return rs;
}

std::vector<client::ObjectPtr> ReplicaSetController::replicaSetsSelecting(const json& pod) const {
    std::vector<client::ObjectPtr> found;
    const json labels = labelsOf(pod);
    for (auto& rs : m_replicaSetLister.list(stringAt(pod, kNamespace))) {
        const auto selector = selectorOf(*rs);
        if (!selector.empty() && selector.matches(labels)) {
            found.push_back(rs);
        }
    }
    return found;
}

void ReplicaSetController::onPodAdd(const client::ObjectPtr& pod) {
    if (isBeingDeleted(*pod)) {
        // Restarted with a pod already on its way out: never seen as created.
        onPodDelete(pod);
        return;
    }
    if (const json* ref = controllerRefOf(*pod)) {
        if (auto rs = resolveControllerRef(stringAt(*pod, kNamespace), *ref)) {
            m_expectations.creationObserved(keyOf(*rs));
            enqueue(*rs);
        }
        return;
    }
    for (auto& rs : replicaSetsSelecting(*pod)) {
        enqueue(*rs);
    }
}

void ReplicaSetController::onPodUpdate(const client::ObjectPtr& oldPod,
                                       const client::ObjectPtr& newPod) {
    if (stringAt(*oldPod, json::json_pointer("/metadata/resourceVersion")) ==
        stringAt(*newPod, json::json_pointer("/metadata/resourceVersion"))) {
        return;  // a resync: nothing changed
    }
    const bool labelsChanged = labelsOf(*oldPod) != labelsOf(*newPod);
    if (isBeingDeleted(*newPod)) {
        // Graceful deletion: the pod counts as gone from now on.
        onPodDelete(newPod);
        if (labelsChanged) {
            onPodDelete(oldPod);
        }
        return;
    }
    const json* oldRef = controllerRefOf(*oldPod);
    const json* newRef = controllerRefOf(*newPod);
    const bool refChanged =
        (oldRef == nullptr) != (newRef == nullptr) ||
        (oldRef != nullptr && oldRef->value("uid", "") != newRef->value("uid", ""));
    const std::string nameSpace = stringAt(*newPod, kNamespace);
    if (refChanged && oldRef != nullptr) {
        if (auto rs = resolveControllerRef(nameSpace, *oldRef)) {
            enqueue(*rs);
        }
    }
    if (newRef != nullptr) {
        if (auto rs = resolveControllerRef(nameSpace, *newRef)) {
            enqueue(*rs);
            const auto minReadySeconds = intAt(*rs, json::json_pointer("/spec/minReadySeconds"));
            if (!isPodReady(*oldPod) && isPodReady(*newPod) && minReadySeconds > 0) {
                // Available only minReadySeconds from now: look again then.
                enqueueAfter(*rs, std::chrono::seconds(minReadySeconds + 1));
            }
        }
        return;
    }
    if (labelsChanged || refChanged) {
        for (auto& rs : replicaSetsSelecting(*newPod)) {
            enqueue(*rs);
        }
    }
}

void ReplicaSetController::onPodDelete(const client::ObjectPtr& pod) {
    const json* ref = controllerRefOf(*pod);
    if (ref == nullptr) {
        return;
    }
    if (auto rs = resolveControllerRef(stringAt(*pod, kNamespace), *ref)) {
        m_expectations.deletionObserved(keyOf(*rs), keyOf(*pod));
        enqueue(*rs);
    }
}

std::vector<client::ObjectPtr> ReplicaSetController::relatedPods(const json& replicaSet) const {
    // Pods of every ReplicaSet with the same controller (the Deployment's other sets), for
    // ranking pods doubled up on a node.
    std::vector<client::ObjectPtr> related;
    const json* owner = controllerRefOf(replicaSet);
    if (owner == nullptr) {
        return m_podLister.byIndex(kControllerUidIndex, stringAt(replicaSet, kUid));
    }
    for (auto& sibling : m_replicaSetLister.byIndex(kControllerUidIndex, owner->value("uid", ""))) {
        auto pods = m_podLister.byIndex(kControllerUidIndex, stringAt(*sibling, kUid));
        related.insert(related.end(), pods.begin(), pods.end());
    }
    return related;
}

core::Result<void> ReplicaSetController::createPod(const json& replicaSet,
                                                   const json& podTemplate) {
    const auto pods = client::resources::pods().in(stringAt(replicaSet, kNamespace));
    const json pod = podFromTemplate(replicaSet, podTemplate);
    auto created = m_client.create(pods, pod);
    // Five random characters collide now and then among 10,000 pods; kube-apiserver 1.32
    // retries such a generateName collision itself (RetryGenerateName), so try again here.
    for (int retry = 0;
         retry < 3 && !created && created.error().code() == core::ErrorCode::AlreadyExists;
         ++retry) {
        created = m_client.create(pods, pod);
    }
    const auto involved = client::ObjectReference::to(replicaSet, "apps/v1", "ReplicaSet");
    if (!created) {
        if (created.error().code() == core::ErrorCode::Forbidden &&
            created.error().message().find("because it is being terminated") != std::string::npos) {
            // As kube: every create in a terminating namespace fails, and that is no failure
            // of the ReplicaSet's.
            return core::success();
        }
        m_recorder->event(involved, client::EventRecorder::kWarning, "FailedCreate",
                          "Error creating: " + created.error().message());
        return created.error();
    }
    m_recorder->event(involved, client::EventRecorder::kNormal, "SuccessfulCreate",
                      "Created pod: " + stringAt(*created, kName));
    return core::success();
}

core::Result<void> ReplicaSetController::manageReplicas(const std::vector<client::ObjectPtr>& pods,
                                                        const json& replicaSet,
                                                        const std::string& key) {
    const std::int64_t wanted = intAt(replicaSet, kReplicas, 1);
    std::int64_t diff = static_cast<std::int64_t>(pods.size()) - wanted;
    if (diff < 0) {
        diff = std::min(-diff, m_options.burstReplicas);
        // Expect them all before creating any: the informer may show the first pods before
        // the last are created.
        m_expectations.expectCreations(key, diff);
        const json podTemplate = replicaSet.at("spec").value("template", json::object());
        // Slow start: batches of 1, 2, 4, … so that a failing create (quota, admission) fails
        // once instead of 500 times.
        std::int64_t remaining = diff;
        std::int64_t created = 0;
        std::optional<core::Error> failure;
        for (std::int64_t batch = std::min<std::int64_t>(remaining, 1); batch > 0;
             batch = std::min(2 * batch, remaining)) {
            auto [succeeded, error] = runParallel(
                batch, [&](std::int64_t) { return createPod(replicaSet, podTemplate); });
            created += succeeded;
            if (error) {
                failure = error;
                break;
            }
            remaining -= batch;
        }
        // Pods never created will never be observed.
        for (std::int64_t skipped = diff - created; skipped > 0; --skipped) {
            m_expectations.creationObserved(key);
        }
        if (failure) {
            return *failure;
        }
        return core::success();
    }
    if (diff > 0) {
        diff = std::min(diff, m_options.burstReplicas);
        std::vector<RankedPod> ranked;
        ranked.reserve(pods.size());
        std::map<std::string, std::int64_t> podsOnNode;
        for (const auto& related : relatedPods(replicaSet)) {
            const std::string node = stringAt(*related, json::json_pointer("/spec/nodeName"));
            if (isPodActive(*related) && !node.empty()) {
                ++podsOnNode[node];
            }
        }
        for (const auto& pod : pods) {
            const std::string node = stringAt(*pod, json::json_pointer("/spec/nodeName"));
            ranked.push_back({pod, node.empty() ? 0 : podsOnNode[node]});
        }
        if (diff < static_cast<std::int64_t>(ranked.size())) {
            std::stable_sort(ranked.begin(), ranked.end(), deleteFirst);
        }
        ranked.resize(static_cast<std::size_t>(diff));
        std::vector<std::string> podKeys;
        for (const auto& each : ranked) {
            podKeys.push_back(keyOf(*each.pod));
        }
        m_expectations.expectDeletions(key, podKeys);
        const auto involved = client::ObjectReference::to(replicaSet, "apps/v1", "ReplicaSet");
        auto [succeeded, error] = runParallel(diff, [&](std::int64_t i) -> core::Result<void> {
            const json& pod = *ranked[static_cast<std::size_t>(i)].pod;
            auto removed = m_client.remove(client::resources::pods()
                                               .in(stringAt(pod, kNamespace))
                                               .named(stringAt(pod, kName)));
            if (!removed) {
                // Never going to be observed.
                m_expectations.deletionObserved(key, keyOf(pod));
                if (removed.error().code() == core::ErrorCode::NotFound) {
                    return core::success();
                }
                m_recorder->event(involved, client::EventRecorder::kWarning, "FailedDelete",
                                  "Error deleting: " + removed.error().message());
                return removed.error();
            }
            m_recorder->event(involved, client::EventRecorder::kNormal, "SuccessfulDelete",
                              "Deleted pod: " + stringAt(pod, kName));
            return core::success();
        });
        (void)succeeded;
        if (error) {
            return *error;
        }
    }
    return core::success();
}

core::Result<void> ReplicaSetController::sync(const std::string& key) {
    const auto rsPtr = m_replicaSetLister.getByKey(key);
    if (!rsPtr) {
        m_expectations.remove(key);
        return core::success();
    }
    const json& replicaSet = *rsPtr;
    const bool needsSync = m_expectations.satisfied(key);
    const auto selector = selectorOf(replicaSet);
    const std::string nameSpace = stringAt(replicaSet, kNamespace);
    const std::string uid = stringAt(replicaSet, kUid);

    // Candidates: the pods it controls and the orphans of its namespace.
    std::vector<client::ObjectPtr> candidates = m_podLister.byIndex(kControllerUidIndex, uid);
    auto orphans = m_podLister.byIndex(kControllerUidIndex, "orphan/" + nameSpace);
    candidates.insert(candidates.end(), orphans.begin(), orphans.end());

    const json ownerRef = makeControllerRef(replicaSet, "apps/v1", "ReplicaSet");
    const auto canAdopt = recheckOwner(
        m_client, client::resources::replicaSets().in(nameSpace).named(stringAt(replicaSet, kName)),
        uid);
    std::vector<client::ObjectPtr> pods;
    std::optional<core::Error> claimError;
    for (auto& pod : candidates) {
        if (!isPodActive(*pod)) {
            continue;
        }
        auto claimed = claimObject(m_client, client::resources::pods(), *pod, replicaSet, ownerRef,
                                   selector, canAdopt);
        if (!claimed) {
            claimError = claimed.error();
            continue;
        }
        if (*claimed) {
            pods.push_back(pod);
        }
    }
    if (claimError) {
        return *claimError;
    }

    core::Result<void> managed;
    if (needsSync && !isBeingDeleted(replicaSet)) {
        managed = manageReplicas(pods, replicaSet, key);
    }

    // Status, from the pods as claimed before any create or delete of this pass.
    const auto now = Clock::now();
    const auto minReadySeconds = intAt(replicaSet, json::json_pointer("/spec/minReadySeconds"));
    const json templateLabels =
        replicaSet.contains(json::json_pointer("/spec/template/metadata/labels"))
            ? replicaSet.at(json::json_pointer("/spec/template/metadata/labels"))
            : json::object();
    std::int64_t fullyLabeled = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;
    static const json kNoLabels = json::object();
    for (const auto& pod : pods) {
        const json& labels = pod->contains(kLabels) ? pod->at(kLabels) : kNoLabels;
        bool allLabels = true;
        for (const auto& [label, value] : templateLabels.items()) {
            if (!labels.contains(label) || labels[label] != value) {
                allLabels = false;
                break;
            }
        }
        fullyLabeled += allLabels ? 1 : 0;
        if (isPodReady(*pod)) {
            ++ready;
            available += isPodAvailable(*pod, minReadySeconds, now) ? 1 : 0;
        }
    }
    json status = replicaSet.value("status", json::object());
    const std::int64_t wanted = intAt(replicaSet, kReplicas, 1);
    if (!managed && findCondition(status, "ReplicaFailure") == nullptr) {
        const auto count = static_cast<std::int64_t>(pods.size());
        const std::string reason =
            count < wanted ? "FailedCreate" : (count > wanted ? "FailedDelete" : "");
        json conditions =
            conditionsWithout(status.value("conditions", json::array()), "ReplicaFailure");
        conditions.push_back({{"type", "ReplicaFailure"},
                              {"status", "True"},
                              {"lastTransitionTime", core::formatTimestamp(now)},
                              {"reason", reason},
                              {"message", managed.error().message()}});
        status["conditions"] = conditions;
    } else if (managed && findCondition(status, "ReplicaFailure") != nullptr) {
        status["conditions"] = conditionsWithout(status["conditions"], "ReplicaFailure");
        if (status["conditions"].empty()) {
            status.erase("conditions");
        }
    }
    status["replicas"] = static_cast<std::int64_t>(pods.size());
    status["fullyLabeledReplicas"] = fullyLabeled;
    status["readyReplicas"] = ready;
    status["availableReplicas"] = available;
    const std::int64_t generation =
        intAt(replicaSet, json::json_pointer("/metadata/generation"), 1);
    status["observedGeneration"] = generation;

    json next = replicaSet;
    if (replicaSet.value("status", json::object()) != status) {
        next["status"] = status;
        const auto ref =
            client::resources::replicaSets().in(nameSpace).named(stringAt(replicaSet, kName));
        auto updated = m_client.updateStatus(ref, next);
        if (!updated && updated.error().code() == core::ErrorCode::Conflict) {
            // One retry on the latest version (kube's statusUpdateRetries).
            auto fresh = m_client.get(ref);
            if (fresh) {
                (*fresh)["status"] = status;
                updated = m_client.updateStatus(ref, *fresh);
            }
        }
        if (!updated) {
            return updated.error();
        }
        next = *updated;
    }
    if (managed && minReadySeconds > 0 && ready == wanted && available != wanted) {
        // Ready but not yet available: look again when minReadySeconds have passed.
        enqueueAfter(next, std::chrono::seconds(minReadySeconds));
    }
    return managed;
}

}  // namespace slipway::controllers
