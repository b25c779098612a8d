// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/statefulset/statefulset_controller.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "engine/api/json_fields.h"
#include "engine/client/indexer.h"
#include "engine/controllers/history/controller_history.h"

namespace slipway::controllers {

namespace {

using api::detail::arrayAt;
using api::detail::intAt;
using api::detail::objectAt;
using api::detail::stringAt;
using history::kRevisionHashLabel;
using nlohmann::json;

constexpr const char* kByOwnerIndex = "statefulset-owner";
constexpr const char* kPodNameLabel = "statefulset.kubernetes.io/pod-name";
constexpr const char* kPodIndexLabel = "apps.kubernetes.io/pod-index";
constexpr int kMaxRetries = 15;

std::string controllerUid(const json& object) {
    for (const auto& owner : arrayAt(object, {"metadata", "ownerReferences"})) {
        if (owner.value("controller", false)) {
            return owner.value("uid", "");
        }
    }
    return {};
}

/// The ordinal of a pod named `<set>-<n>`, if it is one of the set's.
std::optional<std::int64_t> ordinalOf(const std::string& setName, const std::string& podName) {
    if (podName.size() <= setName.size() + 1 || !podName.starts_with(setName + "-")) {
        return std::nullopt;
    }
    const std::string_view digits = std::string_view(podName).substr(setName.size() + 1);
    std::int64_t ordinal = 0;
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), ordinal);
    if (error != std::errc() || end != digits.data() + digits.size() || ordinal < 0) {
        return std::nullopt;
    }
    return ordinal;
}

bool terminating(const json& pod) {
    return api::detail::has(pod, {"metadata", "deletionTimestamp"});
}

bool runningAndReady(const json& pod) {
    if (stringAt(pod, {"status", "phase"}) != "Running" || terminating(pod)) {
        return false;
    }
    for (const auto& condition : arrayAt(pod, {"status", "conditions"})) {
        if (condition.value("type", "") == "Ready") {
            return condition.value("status", "") == "True";
        }
    }
    return false;
}

bool finished(const json& pod) {
    const std::string phase = stringAt(pod, {"status", "phase"});
    return phase == "Failed" || phase == "Succeeded";
}

/// The pod template a revision recorded (its data, without the "$patch" directive).
json templateOfRevision(const json& revision) {
    json podTemplate = objectAt(revision, {"data", "spec", "template"});
    podTemplate.erase("$patch");
    return podTemplate;
}

}  // namespace

StatefulSetController::StatefulSetController(const ControllerContext& context)
    : m_client(context.client),
      m_sets(context.informers.informerFor(client::resources::statefulSets())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_claims(
          context.informers.informerFor(client::ResourceRef("", "v1", "persistentvolumeclaims"))),
      m_revisions(
          context.informers.informerFor(client::ResourceRef("apps", "v1", "controllerrevisions"))),
      m_recorder(context.recorder("statefulset-controller")),
      m_queue(client::WorkQueueOptions{"statefulset", 100'000, {}}) {
    const auto byOwner = [](const json& object) {
        auto uid = controllerUid(object);
        return uid.empty() ? std::vector<std::string>{} : std::vector<std::string>{uid};
    };
    m_pods.addIndex(kByOwnerIndex, byOwner);
    m_revisions.addIndex(kByOwnerIndex, byOwner);
    const auto enqueueSet = [this](const client::ObjectPtr& set) {
        m_queue.add(client::objectKey(*set));
    };
    m_sets.addEventHandler(
        {enqueueSet,
         [enqueueSet](const client::ObjectPtr&, const client::ObjectPtr& set) { enqueueSet(set); },
         enqueueSet});
    m_pods.addEventHandler(
        {[this](const client::ObjectPtr& pod) { enqueueOwnerOf(*pod); },
         [this](const client::ObjectPtr&, const client::ObjectPtr& pod) { enqueueOwnerOf(*pod); },
         [this](const client::ObjectPtr& pod) { enqueueOwnerOf(*pod); }});
}

StatefulSetController::~StatefulSetController() {
    stop();
}

void StatefulSetController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void StatefulSetController::stop() {
    m_workers.stop();
}

void StatefulSetController::enqueueOwnerOf(const json& pod) {
    for (const auto& owner : arrayAt(pod, {"metadata", "ownerReferences"})) {
        if (owner.value("controller", false) && owner.value("kind", "") == "StatefulSet") {
            m_queue.add(stringAt(pod, {"metadata", "namespace"}) + "/" + owner.value("name", ""));
        }
    }
}

core::Result<void> StatefulSetController::sync(const std::string& key) {
    const auto found = m_sets.lister().getByKey(key);
    if (!found || terminating(*found)) {
        return {};
    }
    const json& set = *found;
    const auto [nameSpace, name] = client::splitObjectKey(key);
    const std::string uid = stringAt(set, {"metadata", "uid"});
    const client::ResourceRef podsRef = client::resources::pods().in(nameSpace);
    const client::ResourceRef claimsRef =
        client::ResourceRef("", "v1", "persistentvolumeclaims").in(nameSpace);

    // Revisions: the update revision is the template's; the current one is what status says
    // the pods below the partition still run.
    const auto revisions = m_revisions.lister().byIndex(kByOwnerIndex, uid);
    auto update = history::ensureCurrentRevision(m_client, revisions, set, "StatefulSet");
    if (!update) {
        return update.error();
    }
    std::string currentName = stringAt(set, {"status", "currentRevision"});
    json currentTemplate = objectAt(set, {"spec", "template"});
    std::string currentHash = update->hash;
    bool currentKnown = false;
    for (const auto& revision : revisions) {
        if (stringAt(*revision, {"metadata", "name"}) == currentName) {
            currentTemplate = templateOfRevision(*revision);
            currentHash = stringAt(*revision, {"metadata", "labels", kRevisionHashLabel});
            currentKnown = true;
        }
    }
    if (!currentKnown) {
        currentName = update->name;
    }

    const std::int64_t replicas = intAt(set, {"spec", "replicas"}, 1);
    const std::int64_t start = intAt(set, {"spec", "ordinals", "start"}, 0);
    const std::int64_t end = start + replicas;
    const bool monotonic =
        stringAt(set, {"spec", "podManagementPolicy"}, "OrderedReady") == "OrderedReady";
    const bool rollingUpdate =
        stringAt(set, {"spec", "updateStrategy", "type"}, "RollingUpdate") == "RollingUpdate";
    const std::int64_t partition =
        intAt(set, {"spec", "updateStrategy", "rollingUpdate", "partition"}, 0);

    std::map<std::int64_t, client::ObjectPtr> inRange;
    std::vector<std::pair<std::int64_t, client::ObjectPtr>> condemned;
    for (const auto& pod : m_pods.lister().byIndex(kByOwnerIndex, uid)) {
        const auto ordinal = ordinalOf(name, stringAt(*pod, {"metadata", "name"}));
        if (!ordinal) {
            continue;
        }
        if (*ordinal >= start && *ordinal < end) {
            inRange[*ordinal] = pod;
        } else {
            condemned.emplace_back(*ordinal, pod);
        }
    }

    const auto ensureClaims = [&](const std::string& podName) -> core::Result<void> {
        for (const auto& claimTemplate : arrayAt(set, {"spec", "volumeClaimTemplates"})) {
            const std::string claimName =
                stringAt(claimTemplate, {"metadata", "name"}) + "-" + podName;
            if (m_claims.lister().get(nameSpace, claimName)) {
                continue;
            }
            json claim = {{"apiVersion", "v1"},
                          {"kind", "PersistentVolumeClaim"},
                          {"metadata",
                           {{"name", claimName},
                            {"namespace", nameSpace},
                            {"labels", objectAt(set, {"spec", "selector", "matchLabels"})}}},
                          {"spec", objectAt(claimTemplate, {"spec"})}};
            if (const json& annotations = objectAt(claimTemplate, {"metadata", "annotations"});
                !annotations.empty()) {
                claim["metadata"]["annotations"] = annotations;
            }
            if (stringAt(set, {"spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"}) ==
                "Delete") {
                claim["metadata"]["ownerReferences"] =
                    json::array({history::controllerReference(set, "apps/v1", "StatefulSet")});
            }
            auto created = m_client.create(claimsRef, claim);
            if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
                m_recorder->event(set, client::EventRecorder::kWarning, "FailedCreate",
                                  "create Claim " + claimName + " for Pod " + podName +
                                      " in StatefulSet " + name +
                                      " failed error: " + created.error().message());
                return created.error();
            }
            if (created) {
                m_recorder->event(set, client::EventRecorder::kNormal, "SuccessfulCreate",
                                  "create Claim " + claimName + " Pod " + podName +
                                      " in StatefulSet " + name + " success");
            }
        }
        return {};
    };

    const auto createPod = [&](std::int64_t ordinal) -> core::Result<void> {
        // kube's newVersionedStatefulSetPod: below the partition a pod keeps the current revision.
        const bool atCurrent = rollingUpdate && ordinal < partition;
        json podTemplate = atCurrent ? currentTemplate : objectAt(set, {"spec", "template"});
        const std::string& hash = atCurrent ? currentHash : update->hash;
        const std::string podName = name + "-" + std::to_string(ordinal);
        if (auto claimed = ensureClaims(podName); !claimed) {
            return claimed.error();
        }
        json labels = objectAt(podTemplate, {"metadata", "labels"});
        labels[kRevisionHashLabel] = hash;
        labels[kPodNameLabel] = podName;
        labels[kPodIndexLabel] = std::to_string(ordinal);
        json spec = objectAt(podTemplate, {"spec"});
        spec["hostname"] = podName;
        if (const auto service = stringAt(set, {"spec", "serviceName"}); !service.empty()) {
            spec["subdomain"] = service;
        }
        json volumes = arrayAt(spec, {"volumes"});
        for (const auto& claimTemplate : arrayAt(set, {"spec", "volumeClaimTemplates"})) {
            const std::string volumeName = stringAt(claimTemplate, {"metadata", "name"});
            json kept = json::array();
            for (const auto& volume : volumes) {
                if (volume.value("name", "") != volumeName) {
                    kept.push_back(volume);
                }
            }
            volumes = std::move(kept);
            volumes.push_back(
                {{"name", volumeName},
                 {"persistentVolumeClaim", {{"claimName", volumeName + "-" + podName}}}});
        }
        if (!volumes.empty()) {
            spec["volumes"] = volumes;
        }
        json pod = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata",
             {{"name", podName},
              {"namespace", nameSpace},
              {"labels", labels},
              {"ownerReferences",
               json::array({history::controllerReference(set, "apps/v1", "StatefulSet")})}}},
            {"spec", spec}};
        if (const json& annotations = objectAt(podTemplate, {"metadata", "annotations"});
            !annotations.empty()) {
            pod["metadata"]["annotations"] = annotations;
        }
        auto created = m_client.create(podsRef, pod);
        if (!created) {
            if (created.error().code() == core::ErrorCode::AlreadyExists) {
                return {};  // the informer has not shown it yet
            }
            m_recorder->event(set, client::EventRecorder::kWarning, "FailedCreate",
                              "create Pod " + podName + " in StatefulSet " + name +
                                  " failed error: " + created.error().message());
            return created.error();
        }
        m_recorder->event(set, client::EventRecorder::kNormal, "SuccessfulCreate",
                          "create Pod " + podName + " in StatefulSet " + name + " successful");
        return {};
    };

    const auto deletePod = [&](const json& pod) -> core::Result<void> {
        const std::string podName = stringAt(pod, {"metadata", "name"});
        auto removed = m_client.remove(podsRef.named(podName));
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            m_recorder->event(set, client::EventRecorder::kWarning, "FailedDelete",
                              "delete Pod " + podName + " in StatefulSet " + name +
                                  " failed error: " + removed.error().message());
            return removed.error();
        }
        m_recorder->event(set, client::EventRecorder::kNormal, "SuccessfulDelete",
                          "delete Pod " + podName + " in StatefulSet " + name + " successful");
        return {};
    };

    // Replicas in range: create what is missing, replace what has finished; with OrderedReady
    // nothing further happens until every predecessor is Running and Ready.
    bool blocked = false;
    for (std::int64_t ordinal = start; ordinal < end && !blocked; ++ordinal) {
        const auto it = inRange.find(ordinal);
        if (it == inRange.end()) {
            if (auto created = createPod(ordinal); !created) {
                return created.error();
            }
            blocked = monotonic;
            continue;
        }
        const json& pod = *it->second;
        if (finished(pod) && !terminating(pod)) {
            if (auto deleted = deletePod(pod); !deleted) {
                return deleted.error();
            }
            blocked = monotonic;
            continue;
        }
        if (auto claimed = ensureClaims(stringAt(pod, {"metadata", "name"})); !claimed) {
            return claimed.error();
        }
        if (monotonic && !runningAndReady(pod)) {
            blocked = true;
        }
    }

    // Pods beyond the replica count: the highest ordinal first, one at a time when ordered.
    std::sort(condemned.begin(), condemned.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [ordinal, pod] : condemned) {
        if (blocked) {
            break;
        }
        if (terminating(*pod)) {
            blocked = monotonic;
            continue;
        }
        if (auto deleted = deletePod(*pod); !deleted) {
            return deleted.error();
        }
        blocked = monotonic;
    }

    // Rolling update: from the highest ordinal down to the partition, one pod at a time, each
    // once every other pod is Running and Ready.
    if (rollingUpdate && !blocked) {
        const bool allReady = std::all_of(inRange.begin(), inRange.end(), [](const auto& entry) {
            return runningAndReady(*entry.second);
        });
        for (auto it = inRange.rbegin(); it != inRange.rend() && it->first >= partition; ++it) {
            const json& pod = *it->second;
            if (stringAt(pod, {"metadata", "labels", kRevisionHashLabel}) == update->hash) {
                continue;
            }
            if (allReady && static_cast<std::int64_t>(inRange.size()) == replicas &&
                !terminating(pod)) {
                if (auto deleted = deletePod(pod); !deleted) {
                    return deleted.error();
                }
            }
            break;
        }
    }

    // Status, as kube counts it.
    std::int64_t created = 0;
    std::int64_t ready = 0;
    std::int64_t available = 0;
    std::int64_t atCurrent = 0;
    std::int64_t atUpdate = 0;
    for (const auto& pod : m_pods.lister().byIndex(kByOwnerIndex, uid)) {
        if (!ordinalOf(name, stringAt(*pod, {"metadata", "name"}))) {
            continue;
        }
        ++created;
        if (runningAndReady(*pod)) {
            ++ready;
            ++available;  // minReadySeconds is not tracked yet: ready counts as available
        }
        const std::string hash = stringAt(*pod, {"metadata", "labels", kRevisionHashLabel});
        if (!terminating(*pod)) {
            atCurrent += hash == currentHash ? 1 : 0;
            atUpdate += hash == update->hash ? 1 : 0;
        }
    }
    std::string currentRevision = currentName;
    if (atUpdate == replicas && ready == replicas) {
        currentRevision = update->name;  // the update is complete
        atCurrent = atUpdate;
    }
    json status = objectAt(set, {"status"});
    json wanted = status;
    wanted["observedGeneration"] = intAt(set, {"metadata", "generation"}, 1);
    wanted["replicas"] = created;
    wanted["readyReplicas"] = ready;
    wanted["availableReplicas"] = available;
    wanted["currentReplicas"] = atCurrent;
    wanted["updatedReplicas"] = atUpdate;
    wanted["currentRevision"] = currentRevision;
    wanted["updateRevision"] = update->name;
    if (!wanted.contains("collisionCount")) {
        wanted["collisionCount"] = 0;
    }
    if (wanted != status) {
        json object = set;
        object["status"] = wanted;
        auto written = m_client.updateStatus(
            client::resources::statefulSets().in(nameSpace).named(name), object);
        if (!written) {
            return written.error();
        }
    }

    std::set<std::string> hashesInUse{update->hash, currentHash};
    for (const auto& [ordinal, pod] : inRange) {
        hashesInUse.insert(stringAt(*pod, {"metadata", "labels", kRevisionHashLabel}));
    }
    history::pruneRevisions(m_client, revisions, hashesInUse,
                            intAt(set, {"spec", "revisionHistoryLimit"}, 10));
    return {};
}

}  // namespace slipway::controllers
