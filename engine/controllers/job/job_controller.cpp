// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/job/job_controller.h"

#include <algorithm>
#include <sstream>

#include <spdlog/spdlog.h>

#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;

namespace {

constexpr int kMaxRetries = 15;
constexpr const char* kOwnerIndex = "job-controller-owner";
/// kube's expectations expire after five minutes: a watch event lost for good does not stall
/// a Job forever.
constexpr std::chrono::minutes kExpectationsTimeout{5};

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "job";
    return options;
}

std::string str(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<std::int64_t> intAt(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer) || !object.at(pointer).is_number_integer()) {
        return std::nullopt;
    }
    return object.at(pointer).get<std::int64_t>();
}

/// The uid of the object's controlling owner of kind `kind`, or "".
std::string controllerUid(const json& object, const std::string& kind) {
    for (const json& owner :
         object.value("/metadata/ownerReferences"_json_pointer, json::array())) {
        if (owner.value("controller", false) && owner.value("kind", std::string()) == kind) {
            return owner.value("uid", std::string());
        }
    }
    return {};
}

std::string controllerName(const json& object, const std::string& kind) {
    for (const json& owner :
         object.value("/metadata/ownerReferences"_json_pointer, json::array())) {
        if (owner.value("controller", false) && owner.value("kind", std::string()) == kind) {
            return owner.value("name", std::string());
        }
    }
    return {};
}

bool deleting(const json& object) {
    return object.contains("/metadata/deletionTimestamp"_json_pointer) &&
           !object.at("/metadata/deletionTimestamp"_json_pointer).is_null();
}

bool hasFinalizer(const json& pod) {
    for (const json& finalizer : pod.value("/metadata/finalizers"_json_pointer, json::array())) {
        if (finalizer == JobController::kTrackingFinalizer) {
            return true;
        }
    }
    return false;
}

std::string phaseOf(const json& pod) {
    return str(pod, "/status/phase"_json_pointer);
}

bool podReady(const json& pod) {
    for (const json& condition : pod.value("/status/conditions"_json_pointer, json::array())) {
        if (condition.value("type", std::string()) == "Ready") {
            return condition.value("status", std::string()) == "True";
        }
    }
    return false;
}

/// A condition by type among `status.conditions`, or null.
const json* statusCondition(const json& status, const std::string& type) {
    if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) {
        return nullptr;
    }
    for (const json& entry : status["conditions"]) {
        if (entry.value("type", std::string()) == type) {
            return &entry;
        }
    }
    return nullptr;
}

/// A condition of the Job's status by type, or null.
const json* condition(const json& job, const std::string& type) {
    if (!job.is_object() || !job.contains("status")) {
        return nullptr;
    }
    return statusCondition(job["status"], type);
}

bool conditionTrue(const json& job, const std::string& type) {
    const json* entry = condition(job, type);
    return entry != nullptr && entry->value("status", std::string()) == "True";
}

/// Sets (or changes) a condition in `status`; lastTransitionTime moves only when the status
/// does. Returns true if anything changed.
bool setCondition(json& status, const std::string& type, const std::string& value,
                  const std::string& reason, const std::string& message, const std::string& now) {
    json& conditions = status["conditions"];
    if (!conditions.is_array()) {
        conditions = json::array();
    }
    for (json& entry : conditions) {
        if (entry.value("type", std::string()) != type) {
            continue;
        }
        if (entry.value("status", std::string()) == value &&
            entry.value("reason", std::string()) == reason &&
            entry.value("message", std::string()) == message) {
            return false;
        }
        if (entry.value("status", std::string()) != value) {
            entry["lastTransitionTime"] = now;
        }
        entry["status"] = value;
        entry["reason"] = reason;
        entry["message"] = message;
        entry["lastProbeTime"] = now;
        return true;
    }
    conditions.push_back({{"type", type},
                          {"status", value},
                          {"lastProbeTime", now},
                          {"lastTransitionTime", now},
                          {"reason", reason},
                          {"message", message}});
    return true;
}

/// The completion index of a pod, or -1.
int indexOf(const json& pod) {
    std::string value =
        str(pod, "/metadata/annotations/batch.kubernetes.io~1job-completion-index"_json_pointer);
    if (value.empty()) {
        value = str(pod, "/metadata/labels/batch.kubernetes.io~1job-completion-index"_json_pointer);
    }
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
        value.size() > 9) {
        return -1;
    }
    return std::stoi(value);
}

/// "1,3-5,7" → {1,3,4,5,7}.
std::set<int> parseIndexes(const std::string& text) {
    std::set<int> indexes;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ',')) {
        if (part.empty()) {
            continue;
        }
        const auto dash = part.find('-');
        try {
            if (dash == std::string::npos) {
                indexes.insert(std::stoi(part));
            } else {
                const int first = std::stoi(part.substr(0, dash));
                const int last = std::stoi(part.substr(dash + 1));
                for (int i = first; i <= last && i - first < 1'000'000; ++i) {
                    indexes.insert(i);
                }
            }
        } catch (const std::exception&) {
            continue;
        }
    }
    return indexes;
}

/// {1,3,4,5,7} → "1,3-5,7", as kube writes completedIndexes.
std::string formatIndexes(const std::set<int>& indexes) {
    std::string text;
    for (auto it = indexes.begin(); it != indexes.end();) {
        int first = *it;
        int last = first;
        ++it;
        while (it != indexes.end() && *it == last + 1) {
            last = *it;
            ++it;
        }
        if (!text.empty()) {
            text += ',';
        }
        text += std::to_string(first);
        if (last != first) {
            text += '-' + std::to_string(last);
        }
    }
    return text;
}

/// The pod the Job's template makes (index -1 for NonIndexed).
json podFromTemplate(const json& job, int index) {
    const json& templ = job.value("/spec/template"_json_pointer, json::object());
    const std::string name = str(job, "/metadata/name"_json_pointer);
    json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
    json metadata = json::object();
    metadata["namespace"] = str(job, "/metadata/namespace"_json_pointer);
    json labels = templ.value("/metadata/labels"_json_pointer, json::object());
    json annotations = templ.value("/metadata/annotations"_json_pointer, json::object());
    if (!labels.is_object()) {
        labels = json::object();
    }
    if (!annotations.is_object()) {
        annotations = json::object();
    }
    json spec = templ.value("spec", json::object());
    if (index >= 0) {
        metadata["generateName"] = name + "-" + std::to_string(index) + "-";
        annotations[JobController::kCompletionIndex] = std::to_string(index);
        labels[JobController::kCompletionIndex] = std::to_string(index);
        if (spec.value("hostname", std::string()).empty()) {
            std::string hostname = name + "-" + std::to_string(index);
            if (hostname.size() > 63) {
                hostname = hostname.substr(0, 63);
            }
            while (!hostname.empty() && (hostname.back() == '-' || hostname.back() == '.')) {
                hostname.pop_back();
            }
            spec["hostname"] = hostname;
        }
        const json env = {
            {"name", "JOB_COMPLETION_INDEX"},
            {"valueFrom",
             {{"fieldRef",
               {{"fieldPath", "metadata.annotations['" +
                                  std::string(JobController::kCompletionIndex) + "']"}}}}}};
        for (const char* list : {"initContainers", "containers"}) {
            if (!spec.contains(list) || !spec[list].is_array()) {
                continue;
            }
            for (json& container : spec[list]) {
                json& vars = container["env"];
                if (!vars.is_array()) {
                    vars = json::array();
                }
                const bool present = std::any_of(vars.begin(), vars.end(), [](const json& var) {
                    return var.value("name", std::string()) == "JOB_COMPLETION_INDEX";
                });
                if (!present) {
                    vars.push_back(env);
                }
            }
        }
    } else {
        metadata["generateName"] = name + "-";
    }
    metadata["labels"] = labels;
    if (!annotations.empty()) {
        metadata["annotations"] = annotations;
    }
    metadata["finalizers"] = json::array({JobController::kTrackingFinalizer});
    metadata["ownerReferences"] = json::array({{{"apiVersion", "batch/v1"},
                                                {"kind", "Job"},
                                                {"name", name},
                                                {"uid", str(job, "/metadata/uid"_json_pointer)},
                                                {"controller", true},
                                                {"blockOwnerDeletion", true}}});
    pod["metadata"] = std::move(metadata);
    pod["spec"] = std::move(spec);
    return pod;
}

/// The order kube deletes surplus active pods in (controller.ActivePods): unscheduled first,
/// then pending, then not ready, then the newest.
bool deleteFirst(const client::ObjectPtr& a, const client::ObjectPtr& b) {
    const auto rank = [](const json& pod) {
        int score = 0;
        if (!str(pod, "/spec/nodeName"_json_pointer).empty()) {
            score += 4;
        }
        if (phaseOf(pod) == "Running") {
            score += 2;
        }
        if (podReady(pod)) {
            score += 1;
        }
        return score;
    };
    const int rankA = rank(*a);
    const int rankB = rank(*b);
    if (rankA != rankB) {
        return rankA < rankB;
    }
    return str(*a, "/metadata/creationTimestamp"_json_pointer) >
           str(*b, "/metadata/creationTimestamp"_json_pointer);
}

}  // namespace

JobController::JobController(const ControllerContext& context)
    : JobController(context, Options{}) {}

JobController::JobController(const ControllerContext& context, Options options)
    : m_client(context.client),
      m_options(std::move(options)),
      m_jobs(context.informers.informerFor(client::resources::jobs())),
      m_pods(context.informers.informerFor(client::resources::pods())),
      m_recorder(context.recorder("job-controller")),
      m_queue(queueOptions()) {
    // Pods by their Job's key ("ns/name"): found again when the Job is gone, to let them go.
    m_pods.addIndex(kOwnerIndex, [](const json& pod) -> std::vector<std::string> {
        const std::string job = controllerName(pod, "Job");
        if (job.empty()) {
            return {};
        }
        return {str(pod, "/metadata/namespace"_json_pointer) + "/" + job};
    });

    client::EventHandlers jobHandlers;
    jobHandlers.onAdd = [this](const client::ObjectPtr& job) {
        m_queue.add(client::objectKey(*job));
    };
    jobHandlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& job) {
        m_queue.add(client::objectKey(*job));
    };
    jobHandlers.onDelete = [this](const client::ObjectPtr& job) {
        const std::string key = client::objectKey(*job);
        {
            std::lock_guard lock(m_mutex);
            m_expectations.erase(key);
            m_backoff.erase(key);
        }
        m_queue.add(key);  // to release its pods' finalizers
    };
    m_jobs.addEventHandler(std::move(jobHandlers));

    client::EventHandlers podHandlers;
    podHandlers.onAdd = [this](const client::ObjectPtr& pod) {
        observePod(pod, true, false);
        enqueuePodJob(pod);
    };
    podHandlers.onUpdate = [this](const client::ObjectPtr& oldPod, const client::ObjectPtr& pod) {
        if (oldPod == pod) {
            return;
        }
        observePod(pod, false, false);
        enqueuePodJob(pod);
    };
    podHandlers.onDelete = [this](const client::ObjectPtr& pod) {
        observePod(pod, false, true);
        enqueuePodJob(pod);
    };
    m_pods.addEventHandler(std::move(podHandlers));
}

JobController::~JobController() {
    stop();
}

void JobController::enqueuePodJob(const client::ObjectPtr& pod) {
    const std::string job = controllerName(*pod, "Job");
    if (!job.empty()) {
        m_queue.add(str(*pod, "/metadata/namespace"_json_pointer) + "/" + job);
    }
}

void JobController::observePod(const client::ObjectPtr& pod, bool added, bool deleted) {
    const std::string job = controllerName(*pod, "Job");
    if (job.empty()) {
        return;
    }
    const std::string key = str(*pod, "/metadata/namespace"_json_pointer) + "/" + job;
    const std::string uid = str(*pod, "/metadata/uid"_json_pointer);
    std::lock_guard lock(m_mutex);
    const auto it = m_expectations.find(key);
    if (it == m_expectations.end()) {
        return;
    }
    Expectations& expectations = it->second;
    if (added && expectations.adds > 0) {
        --expectations.adds;
    }
    if (deleted || deleting(*pod)) {
        expectations.deletes.erase(uid);
    }
    if (deleted || !hasFinalizer(*pod)) {
        expectations.finalizerRemovals.erase(uid);
    }
}

bool JobController::expectationsSatisfied(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_expectations.find(key);
    if (it == m_expectations.end()) {
        return true;
    }
    const Expectations& expectations = it->second;
    if (std::chrono::steady_clock::now() - expectations.setAt > kExpectationsTimeout) {
        m_expectations.erase(it);
        return true;
    }
    return expectations.adds <= 0 && expectations.deletes.empty();
}

std::vector<client::ObjectPtr> JobController::podsOf(const json& job) const {
    const std::string uid = str(job, "/metadata/uid"_json_pointer);
    std::vector<client::ObjectPtr> pods =
        m_pods.lister().byIndex(kOwnerIndex, client::objectKey(job));
    std::erase_if(pods,
                  [&](const client::ObjectPtr& pod) { return controllerUid(*pod, "Job") != uid; });
    return pods;
}

void JobController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void JobController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

core::Result<void> JobController::sync(const std::string& key) {
    const auto cached = m_jobs.lister().getByKey(key);
    const auto parts = client::splitObjectKey(key);
    const auto podsRef = client::resources::pods().in(parts.nameSpace);
    if (!cached || deleting(*cached)) {
        // The Job is gone or going: its pods must not be held by the tracking finalizer (kube
        // removes it from orphaned pods too), so that the garbage collector can finish.
        for (const auto& pod : m_pods.lister().byIndex(kOwnerIndex, key)) {
            if (!hasFinalizer(*pod)) {
                continue;
            }
            json finalizers = json::array();
            for (const json& finalizer :
                 pod->value("/metadata/finalizers"_json_pointer, json::array())) {
                if (finalizer != kTrackingFinalizer) {
                    finalizers.push_back(finalizer);
                }
            }
            const json patch = {
                {"metadata", {{"finalizers", finalizers.empty() ? json() : finalizers}}}};
            auto patched = m_client.patch(podsRef.named(str(*pod, "/metadata/name"_json_pointer)),
                                          client::PatchType::Merge, patch);
            if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
                return patched.error();
            }
        }
        return core::success();
    }
    json job = *cached;
    const auto jobRef = client::resources::jobs().in(parts.nameSpace).named(parts.name);
    const auto clockNow = m_options.now();
    const std::string now = core::formatTimestamp(clockNow);

    const bool finished = conditionTrue(job, "Complete") || conditionTrue(job, "Failed");
    const bool indexed = str(job, "/spec/completionMode"_json_pointer) == "Indexed";
    const auto completions = intAt(job, "/spec/completions"_json_pointer);
    const std::int64_t parallelism = intAt(job, "/spec/parallelism"_json_pointer).value_or(1);
    const std::int64_t backoffLimit = intAt(job, "/spec/backoffLimit"_json_pointer).value_or(6);
    const bool suspended = job.value("/spec/suspend"_json_pointer, false);
    const bool successTarget = conditionTrue(job, "SuccessCriteriaMet");
    const bool failureTarget = conditionTrue(job, "FailureTarget");

    std::vector<client::ObjectPtr> pods = podsOf(job);
    std::set<std::string> pendingFinalizerRemovals;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_expectations.find(key);
        if (it != m_expectations.end()) {
            pendingFinalizerRemovals = it->second.finalizerRemovals;
        }
    }

    json status = job.value("status", json::object());
    if (!status.is_object()) {
        status = json::object();
    }
    const json originalStatus = status;
    json uncounted = status.value("uncountedTerminatedPods", json::object());
    if (!uncounted.is_object()) {
        uncounted = json::object();
    }
    std::set<std::string> uncountedSucceeded;
    std::set<std::string> uncountedFailed;
    for (const json& uid : uncounted.value("succeeded", json::array())) {
        uncountedSucceeded.insert(uid.get<std::string>());
    }
    for (const json& uid : uncounted.value("failed", json::array())) {
        uncountedFailed.insert(uid.get<std::string>());
    }
    std::set<int> completedIndexes = parseIndexes(status.value("completedIndexes", std::string()));

    // 1. Finished pods still carrying our finalizer are to be counted.
    std::vector<client::ObjectPtr> toUntrack;
    int newFailures = 0;
    bool newSuccess = false;
    std::map<std::string, int> indexOfUid;
    for (const auto& pod : pods) {
        const std::string uid = str(*pod, "/metadata/uid"_json_pointer);
        if (!hasFinalizer(*pod) || pendingFinalizerRemovals.count(uid)) {
            continue;
        }
        const std::string phase = phaseOf(*pod);
        const bool succeeded = phase == "Succeeded";
        const bool failed = !succeeded && (phase == "Failed" || deleting(*pod));
        if (finished && !succeeded && !failed) {
            toUntrack.push_back(pod);  // a leftover of a finished Job: let it go uncounted
            continue;
        }
        if (succeeded) {
            if (!uncountedSucceeded.count(uid)) {
                uncountedSucceeded.insert(uid);
                newSuccess = true;
            }
            indexOfUid[uid] = indexOf(*pod);
            toUntrack.push_back(pod);
        } else if (failed) {
            // Pods deleted because the Job met its success criteria are not failures.
            if (!successTarget && !suspended && !uncountedFailed.count(uid)) {
                uncountedFailed.insert(uid);
                ++newFailures;
            }
            toUntrack.push_back(pod);
        }
    }
    if (newFailures > 0 || newSuccess) {
        std::lock_guard lock(m_mutex);
        Backoff& backoff = m_backoff[key];
        if (newSuccess) {
            backoff.failuresAfterLastSuccess = 0;
        }
        if (newFailures > 0) {
            backoff.failuresAfterLastSuccess += newFailures;
            backoff.lastFailure = clockNow;
        }
    }

    const auto writeStatus = [&](const json& newStatus) -> core::Result<void> {
        json updated = job;
        updated["status"] = newStatus;
        auto written = m_client.updateStatus(jobRef, updated);
        if (!written) {
            return written.error();
        }
        job = std::move(*written);
        return core::success();
    };
    const auto uncountedJson = [&] {
        json out = json::object();
        if (!uncountedSucceeded.empty()) {
            out["succeeded"] = json(uncountedSucceeded);
        }
        if (!uncountedFailed.empty()) {
            out["failed"] = json(uncountedFailed);
        }
        return out;
    };

    if (!toUntrack.empty()) {
        // 2. Record the uids before the finalizers go, so that a crash counts them still.
        if (uncountedJson() != uncounted) {
            status["uncountedTerminatedPods"] = uncountedJson();
            if (auto written = writeStatus(status); !written) {
                return written;
            }
        }
        // 3. Remove the finalizers.
        std::set<std::string> removed;
        for (const auto& pod : toUntrack) {
            json finalizers = json::array();
            for (const json& finalizer :
                 pod->value("/metadata/finalizers"_json_pointer, json::array())) {
                if (finalizer != kTrackingFinalizer) {
                    finalizers.push_back(finalizer);
                }
            }
            const std::string uid = str(*pod, "/metadata/uid"_json_pointer);
            // An emptied list is removed, as Kubernetes omits empty finalizers.
            const json patch = {
                {"metadata", {{"finalizers", finalizers.empty() ? json() : finalizers}}}};
            auto patched = m_client.patch(podsRef.named(str(*pod, "/metadata/name"_json_pointer)),
                                          client::PatchType::Merge, patch);
            if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
                return patched.error();
            }
            removed.insert(uid);
            std::lock_guard lock(m_mutex);
            Expectations& expectations = m_expectations[key];
            if (expectations.setAt == std::chrono::steady_clock::time_point{}) {
                expectations.setAt = std::chrono::steady_clock::now();
            }
            if (patched) {
                expectations.finalizerRemovals.insert(uid);
            }
        }
        // 4. Move the counted uids into the counters.
        std::int64_t succeededCount = status.value("succeeded", std::int64_t{0});
        std::int64_t failedCount = status.value("failed", std::int64_t{0});
        for (auto it = uncountedSucceeded.begin(); it != uncountedSucceeded.end();) {
            if (!removed.count(*it) && std::any_of(pods.begin(), pods.end(), [&](const auto& pod) {
                    return str(*pod, "/metadata/uid"_json_pointer) == *it && hasFinalizer(*pod);
                })) {
                ++it;
                continue;
            }
            if (indexed) {
                const auto index = indexOfUid.find(*it);
                if (index != indexOfUid.end() && index->second >= 0 && completions &&
                    index->second < *completions) {
                    completedIndexes.insert(index->second);
                }
            } else {
                ++succeededCount;
            }
            it = uncountedSucceeded.erase(it);
        }
        for (auto it = uncountedFailed.begin(); it != uncountedFailed.end();) {
            if (!removed.count(*it) && std::any_of(pods.begin(), pods.end(), [&](const auto& pod) {
                    return str(*pod, "/metadata/uid"_json_pointer) == *it && hasFinalizer(*pod);
                })) {
                ++it;
                continue;
            }
            ++failedCount;
            it = uncountedFailed.erase(it);
        }
        if (indexed) {
            succeededCount = static_cast<std::int64_t>(completedIndexes.size());
        }
        if (succeededCount > 0) {
            status["succeeded"] = succeededCount;
        }
        if (failedCount > 0) {
            status["failed"] = failedCount;
        }
        status["uncountedTerminatedPods"] = uncountedJson();
        if (indexed) {
            const std::string text = formatIndexes(completedIndexes);
            if (text.empty()) {
                status.erase("completedIndexes");
            } else {
                status["completedIndexes"] = text;
            }
        }
    }

    // The pods as they stand.
    std::vector<client::ObjectPtr> active;
    std::int64_t ready = 0;
    std::int64_t terminating = 0;
    std::set<int> activeIndexes;
    for (const auto& pod : pods) {
        const std::string phase = phaseOf(*pod);
        const bool terminal = phase == "Succeeded" || phase == "Failed";
        if (deleting(*pod)) {
            if (!terminal) {
                ++terminating;
            }
            continue;
        }
        if (terminal) {
            continue;
        }
        active.push_back(pod);
        if (podReady(*pod)) {
            ++ready;
        }
        if (indexed) {
            activeIndexes.insert(indexOf(*pod));
        }
    }
    const std::int64_t succeeded = status.value("succeeded", std::int64_t{0}) +
                                   static_cast<std::int64_t>(uncountedSucceeded.size());
    const std::int64_t failed =
        status.value("failed", std::int64_t{0}) + static_cast<std::int64_t>(uncountedFailed.size());

    const auto deletePods =
        [&](const std::vector<client::ObjectPtr>& victims) -> core::Result<void> {
        for (const auto& pod : victims) {
            const std::string podName = str(*pod, "/metadata/name"_json_pointer);
            {
                std::lock_guard lock(m_mutex);
                Expectations& expectations = m_expectations[key];
                expectations.deletes.insert(str(*pod, "/metadata/uid"_json_pointer));
                expectations.setAt = std::chrono::steady_clock::now();
            }
            auto removed = m_client.remove(podsRef.named(podName));
            if (!removed) {
                std::lock_guard lock(m_mutex);
                m_expectations[key].deletes.erase(str(*pod, "/metadata/uid"_json_pointer));
                if (removed.error().code() != core::ErrorCode::NotFound) {
                    m_recorder->event(job, client::EventRecorder::kWarning, "FailedDelete",
                                      "Error deleting: " + removed.error().message());
                    return removed.error();
                }
                continue;
            }
            m_recorder->event(job, client::EventRecorder::kNormal, "SuccessfulDelete",
                              "Deleted pod: " + podName);
        }
        return core::success();
    };

    std::optional<std::chrono::nanoseconds> requeueAfter;
    if (!finished) {
        // startTime: when the Job first runs unsuspended.
        if (!suspended && !status.contains("startTime")) {
            status["startTime"] = now;
        }
        // Interim conditions: the Job's fate is decided.
        bool failing = failureTarget;
        bool succeeding = successTarget;
        if (!failing && !succeeding) {
            const auto deadline = intAt(job, "/spec/activeDeadlineSeconds"_json_pointer);
            const auto startTime = core::parseTimestamp(status.value("startTime", std::string()));
            bool complete = false;
            if (indexed) {
                complete = completions &&
                           static_cast<std::int64_t>(completedIndexes.size()) >= *completions;
            } else if (completions) {
                complete = succeeded >= *completions;
            } else {
                complete = succeeded > 0 && active.empty();
            }
            if (failed > backoffLimit) {
                setCondition(status, "FailureTarget", "True", "BackoffLimitExceeded",
                             "Job has reached the specified backoff limit", now);
                failing = true;
            } else if (deadline && startTime && !suspended &&
                       clockNow - *startTime >= std::chrono::seconds(*deadline)) {
                setCondition(status, "FailureTarget", "True", "DeadlineExceeded",
                             "Job was active longer than specified deadline", now);
                failing = true;
            } else if (complete) {
                setCondition(status, "SuccessCriteriaMet", "True", "CompletionsReached",
                             "Reached expected number of succeeded pods", now);
                succeeding = true;
            } else if (deadline && startTime && !suspended) {
                requeueAfter = *startTime + std::chrono::seconds(*deadline) - clockNow;
            }
        }
        if (failing || succeeding) {
            if (!active.empty()) {
                if (auto deleted = deletePods(active); !deleted) {
                    return deleted;
                }
                terminating += static_cast<std::int64_t>(active.size());
                active.clear();
                ready = 0;
            }
            if (terminating == 0 && uncountedSucceeded.empty() && uncountedFailed.empty()) {
                const json* target =
                    statusCondition(status, failing ? "FailureTarget" : "SuccessCriteriaMet");
                const std::string reason = target ? target->value("reason", std::string()) : "";
                const std::string message = target ? target->value("message", std::string()) : "";
                if (failing) {
                    setCondition(status, "Failed", "True", reason, message, now);
                    m_recorder->event(job, client::EventRecorder::kWarning, reason, message);
                } else {
                    setCondition(status, "Complete", "True", reason, message, now);
                    status["completionTime"] = now;
                    m_recorder->event(job, client::EventRecorder::kNormal, "Completed",
                                      "Job completed");
                }
            }
        } else if (suspended) {
            if (!active.empty()) {
                if (auto deleted = deletePods(active); !deleted) {
                    return deleted;
                }
                terminating += static_cast<std::int64_t>(active.size());
                active.clear();
                ready = 0;
            }
            if (setCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
                m_recorder->event(job, client::EventRecorder::kNormal, "Suspended",
                                  "Job suspended");
            }
        } else {
            const json* suspendedCondition = statusCondition(status, "Suspended");
            if (suspendedCondition != nullptr &&
                suspendedCondition->value("status", std::string()) == "True") {
                setCondition(status, "Suspended", "False", "JobResumed", "Job resumed", now);
                status["startTime"] = now;  // the deadline counts from the resumption
                m_recorder->event(job, client::EventRecorder::kNormal, "Resumed", "Job resumed");
            }
            // Manage the active pods.
            if (expectationsSatisfied(key)) {
                std::int64_t wantActive = parallelism;
                if (!completions) {
                    wantActive =
                        succeeded > 0 ? static_cast<std::int64_t>(active.size()) : parallelism;
                } else {
                    wantActive = std::min(*completions - succeeded, parallelism);
                }
                wantActive = std::max<std::int64_t>(wantActive, 0);
                const auto activeCount = static_cast<std::int64_t>(active.size());
                if (activeCount > wantActive) {
                    std::sort(active.begin(), active.end(), deleteFirst);
                    std::vector<client::ObjectPtr> surplus(
                        active.begin(), active.begin() + (activeCount - wantActive));
                    if (auto deleted = deletePods(surplus); !deleted) {
                        return deleted;
                    }
                    active.erase(active.begin(), active.begin() + (activeCount - wantActive));
                    terminating += activeCount - wantActive;
                } else if (activeCount < wantActive) {
                    // Failed pods come back after the exponential backoff.
                    std::chrono::nanoseconds remaining{0};
                    {
                        std::lock_guard lock(m_mutex);
                        const auto backoff = m_backoff.find(key);
                        if (backoff != m_backoff.end() &&
                            backoff->second.failuresAfterLastSuccess > 0) {
                            auto delay = m_options.backoffBase;
                            for (int i = 1; i < backoff->second.failuresAfterLastSuccess &&
                                            delay < m_options.backoffMax;
                                 ++i) {
                                delay *= 2;
                            }
                            delay = std::min(delay, m_options.backoffMax);
                            remaining = backoff->second.lastFailure + delay - clockNow;
                        }
                    }
                    if (remaining > std::chrono::nanoseconds(0)) {
                        requeueAfter =
                            requeueAfter ? std::min(*requeueAfter, remaining) : remaining;
                    } else {
                        std::vector<int> indexes;
                        auto diff = wantActive - activeCount;
                        if (indexed) {
                            for (int i = 0; completions && i < *completions &&
                                            static_cast<std::int64_t>(indexes.size()) < diff;
                                 ++i) {
                                if (!completedIndexes.count(i) && !activeIndexes.count(i)) {
                                    indexes.push_back(i);
                                }
                            }
                            // Succeeded pods not yet counted hold their index too.
                            diff = static_cast<std::int64_t>(indexes.size());
                        }
                        diff = std::min<std::int64_t>(diff, m_options.maxBurst);
                        {
                            std::lock_guard lock(m_mutex);
                            Expectations& expectations = m_expectations[key];
                            expectations.adds += static_cast<int>(diff);
                            expectations.setAt = std::chrono::steady_clock::now();
                        }
                        // Slow start: batches of 1, 2, 4, … stop at the first failure.
                        std::int64_t created = 0;
                        std::int64_t made = 0;
                        std::int64_t batch = 1;
                        std::optional<core::Error> failure;
                        while (created < diff && !failure) {
                            const std::int64_t count = std::min(batch, diff - created);
                            for (std::int64_t i = 0; i < count; ++i) {
                                const int index =
                                    indexed ? indexes[static_cast<std::size_t>(created + i)] : -1;
                                auto pod = m_client.create(podsRef, podFromTemplate(job, index));
                                if (!pod) {
                                    failure = pod.error();
                                    m_recorder->event(job, client::EventRecorder::kWarning,
                                                      "FailedCreate",
                                                      "Error creating: " + pod.error().message());
                                    break;
                                }
                                m_recorder->event(
                                    job, client::EventRecorder::kNormal, "SuccessfulCreate",
                                    "Created pod: " + str(*pod, "/metadata/name"_json_pointer));
                                active.push_back(std::make_shared<const json>(std::move(*pod)));
                                ++made;
                            }
                            created += count;
                            batch *= 2;
                        }
                        {
                            std::lock_guard lock(m_mutex);
                            Expectations& expectations = m_expectations[key];
                            // Creations that never happened are not awaited.
                            expectations.adds -= static_cast<int>(diff - made);
                            if (expectations.adds < 0) {
                                expectations.adds = 0;
                            }
                        }
                        if (failure) {
                            return *failure;
                        }
                    }
                }
            }
        }
    }

    // The counters as they stand.
    status["active"] = static_cast<std::int64_t>(active.size());
    status["ready"] = ready;
    status["terminating"] = terminating;
    if (!status.contains("uncountedTerminatedPods")) {
        status["uncountedTerminatedPods"] = json::object();
    }
    for (const char* counter : {"active", "succeeded", "failed"}) {
        if (status.contains(counter) && status[counter] == 0) {
            status.erase(counter);
        }
    }
    if (status != originalStatus && status != job.value("status", json::object())) {
        if (auto written = writeStatus(status); !written) {
            return written;
        }
    }
    if (requeueAfter) {
        m_queue.addAfter(key, *requeueAfter + std::chrono::milliseconds(10));
    }
    return core::success();
}

}  // namespace slipway::controllers
