// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/cronjob/cron_job_controller.h"

#include <algorithm>
#include <ctime>
#include <set>

#include <spdlog/spdlog.h>

#include "engine/api/cron_schedule.h"
#include "engine/controllers/cronjob/time_zone.h"
#include "engine/core/timestamp.h"

namespace slipway::controllers {

using nlohmann::json;
using Clock = std::chrono::system_clock;

namespace {

constexpr int kMaxRetries = 15;
constexpr const char* kOwnerIndex = "cronjob-controller-owner";
/// kube requeues a CronJob this long after its next scheduled time (nextScheduleDelta).
constexpr std::chrono::milliseconds kNextScheduleDelta{100};
/// More missed times than this get a TooManyMissedTimes warning.
constexpr int kTooManyMissed = 100;

client::ResourceRef cronJobs() {
    return {"batch", "v1", "cronjobs"};
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "cronjob";
    return options;
}

std::string str(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string controllerUid(const json& object, const char* kind) {
    for (const json& owner :
         object.value("/metadata/ownerReferences"_json_pointer, json::array())) {
        if (owner.value("controller", false) && owner.value("kind", std::string()) == kind) {
            return owner.value("uid", std::string());
        }
    }
    return {};
}

std::string controllerName(const json& object, const char* kind) {
    for (const json& owner :
         object.value("/metadata/ownerReferences"_json_pointer, json::array())) {
        if (owner.value("controller", false) && owner.value("kind", std::string()) == kind) {
            return owner.value("name", std::string());
        }
    }
    return {};
}

/// "Complete" or "Failed" when the Job has finished, else "".
std::string finishedCondition(const json& job) {
    for (const json& condition : job.value("/status/conditions"_json_pointer, json::array())) {
        const std::string type = condition.value("type", std::string());
        if ((type == "Complete" || type == "Failed") &&
            condition.value("status", std::string()) == "True") {
            return type;
        }
    }
    return {};
}

/// Go's RFC 1123 with a numeric zone, in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
std::string rfc1123z(Clock::time_point at) {
    const std::time_t seconds = Clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

/// RFC 3339 in the zone: "2026-01-02T03:04:05+01:00", "…Z" in UTC (Go's time.RFC3339).
std::string rfc3339In(Clock::time_point at, const controllers::cronjob::TimeZone& zone) {
    const auto offset = zone.offsetAt(at);
    const std::time_t seconds = Clock::to_time_t(at + offset);
    std::tm local{};
    gmtime_r(&seconds, &local);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &local);
    std::string text = buffer;
    if (offset.count() == 0) {
        return text + "Z";
    }
    const long long total = offset.count();
    const long long magnitude = total < 0 ? -total : total;
    char zoneText[48];
    std::snprintf(zoneText, sizeof zoneText, "%c%02lld:%02lld", total < 0 ? '-' : '+',
                  magnitude / 3600, (magnitude % 3600) / 60);
    return text + zoneText;
}

/// A schedule evaluated in a zone: the first activation after `after`.
struct ZonedSchedule {
    api::CronSchedule schedule;
    controllers::cronjob::TimeZone zone;

    std::optional<Clock::time_point> next(Clock::time_point after) const {
        // Evaluate on the zone's wall clock, then map back to UTC.
        const auto offset = zone.offsetAt(after);
        const auto local = schedule.next(after + offset);
        if (!local) {
            return std::nullopt;
        }
        auto result = *local - zone.offsetAt(*local - offset);
        if (result <= after) {
            result = *local - offset;
        }
        return result;
    }
};

/// Splits "TZ=Europe/Berlin 0 * * * *" into the zone and the schedule.
std::pair<std::string, std::string> splitZone(const std::string& schedule) {
    for (const std::string prefix : {"TZ=", "CRON_TZ="}) {
        if (schedule.rfind(prefix, 0) == 0) {
            const auto space = schedule.find(' ');
            if (space != std::string::npos) {
                return {schedule.substr(prefix.size(), space - prefix.size()),
                        schedule.substr(space + 1)};
            }
        }
    }
    return {"", schedule};
}

Clock::time_point floorSeconds(Clock::time_point at) {
    return std::chrono::time_point_cast<std::chrono::seconds>(at);
}

}  // namespace

CronJobController::CronJobController(const ControllerContext& context)
    : CronJobController(context, Options{}) {}

CronJobController::CronJobController(const ControllerContext& context, Options options)
    : m_client(context.client),
      m_options(std::move(options)),
      m_cronJobs(context.informers.informerFor(cronJobs())),
      m_jobs(context.informers.informerFor(client::resources::jobs())),
      m_recorder(context.recorder("cronjob-controller")),
      m_queue(queueOptions()) {
    m_jobs.addIndex(kOwnerIndex, [](const json& job) -> std::vector<std::string> {
        std::string uid = controllerUid(job, "CronJob");
        if (uid.empty()) {
            return {};
        }
        return {std::move(uid)};
    });

    client::EventHandlers cronJobHandlers;
    cronJobHandlers.onAdd = [this](const client::ObjectPtr& cronJob) {
        m_queue.add(client::objectKey(*cronJob));
    };
    cronJobHandlers.onUpdate = [this](const client::ObjectPtr& oldCronJob,
                                      const client::ObjectPtr& cronJob) {
        // A resync or a status write of our own needs no sync; a spec change does.
        if (oldCronJob->value("spec", json()) != cronJob->value("spec", json()) ||
            oldCronJob == cronJob) {
            m_queue.add(client::objectKey(*cronJob));
        }
    };
    m_cronJobs.addEventHandler(std::move(cronJobHandlers));

    client::EventHandlers jobHandlers;
    jobHandlers.onAdd = [this](const client::ObjectPtr& job) { enqueueOwner(job); };
    jobHandlers.onUpdate = [this](const client::ObjectPtr& oldJob, const client::ObjectPtr& job) {
        if (oldJob != job) {
            enqueueOwner(job);
        }
    };
    jobHandlers.onDelete = [this](const client::ObjectPtr& job) { enqueueOwner(job); };
    m_jobs.addEventHandler(std::move(jobHandlers));
}

CronJobController::~CronJobController() {
    stop();
}

void CronJobController::enqueueOwner(const client::ObjectPtr& job) {
    const std::string owner = controllerName(*job, "CronJob");
    if (!owner.empty()) {
        m_queue.add(str(*job, "/metadata/namespace"_json_pointer) + "/" + owner);
    }
}

std::string CronJobController::jobName(const std::string& cronJob, Clock::time_point scheduled) {
    const auto minutes =
        std::chrono::duration_cast<std::chrono::minutes>(scheduled.time_since_epoch()).count();
    return cronJob + "-" + std::to_string(minutes);
}

void CronJobController::run(int workers) {
    m_workers.start(
        m_queue, workers, [this](const std::string& key) { return sync(key); }, kMaxRetries);
}

void CronJobController::stop() {
    m_queue.shutDown();  // also when run() never started the workers
    m_workers.stop();
}

core::Result<void> CronJobController::sync(const std::string& key) {
    const auto cached = m_cronJobs.lister().getByKey(key);
    if (!cached) {
        return core::success();
    }
    json cronJob = *cached;
    const auto parts = client::splitObjectKey(key);
    const auto jobsRef = client::resources::jobs().in(parts.nameSpace);
    const auto now = m_options.now();
    json status = cronJob.value("status", json::object());
    if (!status.is_object()) {
        status = json::object();
    }
    const json originalStatus = status;
    json active = status.value("active", json::array());
    if (!active.is_array()) {
        active = json::array();
    }
    const auto inActive = [&](const std::string& uid) {
        return std::any_of(active.begin(), active.end(),
                           [&](const json& ref) { return ref.value("uid", std::string()) == uid; });
    };
    const auto removeFromActive = [&](const std::string& uid) {
        json kept = json::array();
        for (const json& ref : active) {
            if (ref.value("uid", std::string()) != uid) {
                kept.push_back(ref);
            }
        }
        active = std::move(kept);
    };
    const auto deleteJob = [&](const json& job) -> bool {
        client::DeleteOptions options;
        options.propagationPolicy = client::PropagationPolicy::Background;
        const std::string name = str(job, "/metadata/name"_json_pointer);
        auto removed = m_client.remove(jobsRef.named(name), options);
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            m_recorder->event(cronJob, client::EventRecorder::kWarning, "FailedDelete",
                              "Deleted job: " + removed.error().message());
            return false;
        }
        removeFromActive(str(job, "/metadata/uid"_json_pointer));
        m_recorder->event(cronJob, client::EventRecorder::kNormal, "SuccessfulDelete",
                          "Deleted job " + name);
        return true;
    };

    // The Jobs this CronJob owns: bring status.active and lastSuccessfulTime in line.
    const auto jobs =
        m_jobs.lister().byIndex(kOwnerIndex, str(cronJob, "/metadata/uid"_json_pointer));
    std::set<std::string> children;
    for (const auto& jobPtr : jobs) {
        const json& job = *jobPtr;
        const std::string uid = str(job, "/metadata/uid"_json_pointer);
        children.insert(uid);
        const bool found = inActive(uid);
        const std::string finished = finishedCondition(job);
        if (!found && finished.empty()) {
            // A Job we created but whose reference the status lost: adopt it back.
            m_recorder->event(cronJob, client::EventRecorder::kWarning, "UnexpectedJob",
                              "Saw a job that the controller did not create or forgot: " +
                                  str(job, "/metadata/name"_json_pointer));
        } else if (!finished.empty()) {
            if (found) {
                removeFromActive(uid);
                m_recorder->event(cronJob, client::EventRecorder::kNormal, "SawCompletedJob",
                                  "Saw completed job: " + str(job, "/metadata/name"_json_pointer) +
                                      ", condition: " + finished);
            }
            if (finished == "Complete") {
                const std::string completion = str(job, "/status/completionTime"_json_pointer);
                const auto completedAt = core::parseTimestamp(completion);
                const auto last =
                    core::parseTimestamp(status.value("lastSuccessfulTime", std::string()));
                if (completedAt && (!last || *completedAt > *last)) {
                    status["lastSuccessfulTime"] = completion;
                }
            }
        }
    }
    for (const json& ref : json(active)) {
        const std::string uid = ref.value("uid", std::string());
        if (children.count(uid)) {
            continue;
        }
        // Not in the cache: ask the server before calling it missing.
        auto live = m_client.get(jobsRef.named(ref.value("name", std::string())));
        if (!live && live.error().code() == core::ErrorCode::NotFound) {
            m_recorder->event(cronJob, client::EventRecorder::kNormal, "MissingJob",
                              "Active job went missing: " + ref.value("name", std::string()));
            removeFromActive(uid);
        } else if (!live) {
            return live.error();
        }
    }

    // History limits: the oldest finished Jobs beyond them go.
    const auto limitOf = [&](const char* field) -> std::optional<std::int64_t> {
        const json* value = nullptr;
        if (cronJob.contains("spec") && cronJob["spec"].contains(field)) {
            value = &cronJob["spec"][field];
        }
        if (value == nullptr || !value->is_number_integer()) {
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    };
    for (const auto& [field, condition] : {std::pair{"successfulJobsHistoryLimit", "Complete"},
                                           std::pair{"failedJobsHistoryLimit", "Failed"}}) {
        const auto limit = limitOf(field);
        if (!limit) {
            continue;
        }
        std::vector<client::ObjectPtr> finished;
        for (const auto& job : jobs) {
            if (finishedCondition(*job) == condition &&
                !job->contains("/metadata/deletionTimestamp"_json_pointer)) {
                finished.push_back(job);
            }
        }
        if (static_cast<std::int64_t>(finished.size()) <= *limit) {
            continue;
        }
        // byJobStartTime: by status.startTime (Jobs without one last), then name.
        std::sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) {
            const std::string startA = str(*a, "/status/startTime"_json_pointer);
            const std::string startB = str(*b, "/status/startTime"_json_pointer);
            if (startA.empty() != startB.empty()) {
                return !startA.empty();
            }
            if (startA != startB) {
                return startA < startB;
            }
            return str(*a, "/metadata/name"_json_pointer) < str(*b, "/metadata/name"_json_pointer);
        });
        const auto surplus = static_cast<std::int64_t>(finished.size()) - *limit;
        for (std::int64_t i = 0; i < surplus; ++i) {
            deleteJob(*finished[static_cast<std::size_t>(i)]);
        }
    }

    std::optional<std::chrono::nanoseconds> requeue;
    const auto writeStatus = [&]() -> core::Result<void> {
        status["active"] = active;
        if (active.empty()) {
            status.erase("active");
        }
        // The next look is scheduled before the status write: a failed write (a conflict with
        // a Job's update) retries through the rate limiter, whose backoff grows with every
        // failure, and must not push the next scheduled time back with it.
        if (requeue) {
            auto delay = *requeue;
            if (m_options.recheck.count() > 0) {
                delay = std::min<std::chrono::nanoseconds>(delay, m_options.recheck);
            }
            m_queue.addAfter(key, delay);
        } else if (m_options.recheck.count() > 0) {
            m_queue.addAfter(key, m_options.recheck);
        }
        if (status != originalStatus) {
            json updated = cronJob;
            updated["status"] = status;
            auto written =
                m_client.updateStatus(cronJobs().in(parts.nameSpace).named(parts.name), updated);
            if (!written) {
                return written.error();
            }
        }
        return core::success();
    };

    if (cronJob.contains("/metadata/deletionTimestamp"_json_pointer)) {
        return writeStatus();
    }

    // Time zone and schedule.
    const std::string scheduleText = str(cronJob, "/spec/schedule"_json_pointer);
    auto [zoneName, bare] = splitZone(scheduleText);
    if (!zoneName.empty()) {
        m_recorder->event(
            cronJob, client::EventRecorder::kWarning, "UnsupportedSchedule",
            "CRON_TZ or TZ used in schedule \"" + scheduleText +
                "\" is not officially supported, see "
                "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ "
                "for more details");
    } else {
        zoneName = str(cronJob, "/spec/timeZone"_json_pointer);
    }
    auto zone = cronjob::TimeZone::utc();
    if (!zoneName.empty()) {
        auto loaded = cronjob::TimeZone::load(zoneName, m_options.zoneInfoDirectory);
        if (!loaded) {
            m_recorder->event(
                cronJob, client::EventRecorder::kWarning, "UnknownTimeZone",
                "invalid timeZone: \"" + zoneName + "\": " + loaded.error().message());
            return writeStatus();
        }
        zone = std::move(*loaded);
    }
    if (cronJob.value("/spec/suspend"_json_pointer, false)) {
        return writeStatus();
    }
    auto parsed = api::CronSchedule::parse(bare);
    if (!parsed) {
        m_recorder->event(
            cronJob, client::EventRecorder::kWarning, "UnparseableSchedule",
            "unparseable schedule: \"" + scheduleText + "\" : " + parsed.error().message());
        return writeStatus();
    }
    const ZonedSchedule schedule{std::move(*parsed), zone};
    const auto nextDelay = [&]() -> std::optional<std::chrono::nanoseconds> {
        const auto next = schedule.next(now);
        if (!next) {
            return std::nullopt;
        }
        return *next + kNextScheduleDelta - now;
    };

    // The most recent scheduled time not yet run (mostRecentScheduleTime).
    auto earliest = core::parseTimestamp(status.value("lastScheduleTime", std::string()));
    if (!earliest) {
        earliest = core::parseTimestamp(str(cronJob, "/metadata/creationTimestamp"_json_pointer));
    }
    if (!earliest) {
        earliest = now;
    }
    const auto deadlineSeconds =
        cronJob.contains("/spec/startingDeadlineSeconds"_json_pointer) &&
                cronJob.at("/spec/startingDeadlineSeconds"_json_pointer).is_number_integer()
            ? std::optional<std::int64_t>(
                  cronJob.at("/spec/startingDeadlineSeconds"_json_pointer).get<std::int64_t>())
            : std::nullopt;
    if (deadlineSeconds) {
        const auto schedulingDeadline = now - std::chrono::seconds(*deadlineSeconds);
        if (schedulingDeadline > *earliest) {
            earliest = schedulingDeadline;
        }
    }
    std::optional<Clock::time_point> scheduled;
    int missed = 0;
    if (*earliest <= now) {
        for (auto t = schedule.next(*earliest); t && *t <= now; t = schedule.next(*t)) {
            scheduled = t;
            if (++missed > 10'000) {
                break;  // decades of minutes: the last one is all that matters
            }
        }
    }
    if (missed > kTooManyMissed) {
        m_recorder->event(
            cronJob, client::EventRecorder::kWarning, "TooManyMissedTimes",
            "too many missed start times: " + std::to_string(missed) +
                ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    }
    requeue = nextDelay();
    if (!scheduled) {
        return writeStatus();
    }
    if (deadlineSeconds && *scheduled + std::chrono::seconds(*deadlineSeconds) < now) {
        m_recorder->event(cronJob, client::EventRecorder::kWarning, "MissSchedule",
                          "Missed scheduled time to start a job: " + rfc1123z(*scheduled));
        return writeStatus();
    }
    const std::string name = jobName(parts.name, *scheduled);
    const bool alreadyActive = std::any_of(active.begin(), active.end(), [&](const json& ref) {
        return ref.value("name", std::string()) == name;
    });
    if (alreadyActive || status.value("lastScheduleTime", std::string()) ==
                             core::formatTimestamp(floorSeconds(*scheduled))) {
        return writeStatus();
    }
    const std::string policy = str(cronJob, "/spec/concurrencyPolicy"_json_pointer);
    if (policy == "Forbid" && !active.empty()) {
        m_recorder->event(cronJob, client::EventRecorder::kNormal, "JobAlreadyActive",
                          "Not starting job because prior execution is running and concurrency "
                          "policy is Forbid");
        return writeStatus();
    }
    if (policy == "Replace") {
        for (const json& ref : json(active)) {
            auto job = m_client.get(jobsRef.named(ref.value("name", std::string())));
            if (!job) {
                if (job.error().code() == core::ErrorCode::NotFound) {
                    removeFromActive(ref.value("uid", std::string()));
                    continue;
                }
                m_recorder->event(cronJob, client::EventRecorder::kWarning, "FailedGet",
                                  "Get job: " + job.error().message());
                return job.error();
            }
            if (!deleteJob(*job)) {
                return core::Error(core::ErrorCode::Internal, "could not replace job " +
                                                                  parts.nameSpace + "/" +
                                                                  ref.value("name", std::string()));
            }
        }
    }

    // The Job from the template.
    const json& templ = cronJob.value("/spec/jobTemplate"_json_pointer, json::object());
    json metadata = json::object();
    metadata["name"] = name;
    metadata["namespace"] = parts.nameSpace;
    json labels = templ.value("/metadata/labels"_json_pointer, json::object());
    if (labels.is_object() && !labels.empty()) {
        metadata["labels"] = labels;
    }
    json annotations = templ.value("/metadata/annotations"_json_pointer, json::object());
    if (!annotations.is_object()) {
        annotations = json::object();
    }
    annotations[kScheduledTimestamp] = rfc3339In(floorSeconds(*scheduled), zone);
    metadata["annotations"] = annotations;
    metadata["ownerReferences"] = json::array({{{"apiVersion", "batch/v1"},
                                                {"kind", "CronJob"},
                                                {"name", parts.name},
                                                {"uid", str(cronJob, "/metadata/uid"_json_pointer)},
                                                {"controller", true},
                                                {"blockOwnerDeletion", true}}});
    const json request = {{"apiVersion", "batch/v1"},
                          {"kind", "Job"},
                          {"metadata", metadata},
                          {"spec", templ.value("spec", json::object())}};
    auto created = m_client.create(jobsRef, request);
    json job;
    if (!created) {
        if (created.error().code() != core::ErrorCode::AlreadyExists) {
            if (created.error().code() != core::ErrorCode::Forbidden) {
                m_recorder->event(cronJob, client::EventRecorder::kWarning, "FailedCreate",
                                  "Error creating job: " + created.error().message());
            }
            return created.error();
        }
        // Created before and the status lost it: add it back if it is ours.
        auto existing = m_client.get(jobsRef.named(name));
        if (!existing) {
            return existing.error();
        }
        if (controllerUid(*existing, "CronJob") != str(cronJob, "/metadata/uid"_json_pointer) ||
            inActive(str(*existing, "/metadata/uid"_json_pointer))) {
            return writeStatus();
        }
        job = std::move(*existing);
    } else {
        job = std::move(*created);
        m_recorder->event(cronJob, client::EventRecorder::kNormal, "SuccessfulCreate",
                          "Created job " + name);
    }
    active.push_back({{"apiVersion", "batch/v1"},
                      {"kind", "Job"},
                      {"name", name},
                      {"namespace", parts.nameSpace},
                      {"uid", str(job, "/metadata/uid"_json_pointer)},
                      {"resourceVersion", str(job, "/metadata/resourceVersion"_json_pointer)}});
    status["lastScheduleTime"] = core::formatTimestamp(floorSeconds(*scheduled));
    return writeStatus();
}

}  // namespace slipway::controllers
