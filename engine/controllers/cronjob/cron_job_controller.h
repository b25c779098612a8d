// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's CronJob controller (pkg/controller/cronjob, ControllerV2): at each
/// time its schedule (spec.schedule, in spec.timeZone or UTC) names, a CronJob creates a Job
/// `<cronjob>-<scheduled time in minutes since the epoch>` from its jobTemplate, owned by it
/// and annotated batch.kubernetes.io/cronjob-scheduled-timestamp. Only the most recent missed
/// time is run; with startingDeadlineSeconds a time older than that is missed (MissSchedule).
/// concurrencyPolicy Forbid skips a time while a Job is active (JobAlreadyActive), Replace
/// deletes the active Jobs first. status.active lists the running Jobs, lastScheduleTime and
/// lastSuccessfulTime follow them; finished Jobs beyond successfulJobsHistoryLimit and
/// failedJobsHistoryLimit are deleted, oldest first. A suspended CronJob creates nothing.
/// Each CronJob is requeued for its next scheduled time.
class CronJobController : public Controller {
public:
    static constexpr const char* kScheduledTimestamp =
        "batch.kubernetes.io/cronjob-scheduled-timestamp";

    struct Options {
        /// The controller's clock: tests move it forward instead of waiting for minutes.
        std::function<std::chrono::system_clock::time_point()> now = [] {
            return std::chrono::system_clock::now();
        };
        /// Every CronJob is looked at again at least this often, whatever its schedule says
        /// (kube waits for the next scheduled time; an injected clock needs polling). Zero: only
        /// at the next scheduled time.
        std::chrono::milliseconds recheck{0};
        /// Where spec.timeZone names are looked up.
        std::string zoneInfoDirectory = "/usr/share/zoneinfo";
    };

    explicit CronJobController(const ControllerContext& context);
    CronJobController(const ControllerContext& context, Options options);
    ~CronJobController() override;

    std::string_view name() const override { return "cronjob"; }
    void run(int workers) override;
    void stop() override;

    core::Result<void> sync(const std::string& key);

    /// The Job name for a scheduled time: `<cronjob>-<minutes since the epoch>`.
    static std::string jobName(const std::string& cronJob,
                               std::chrono::system_clock::time_point scheduled);

private:
    void enqueueOwner(const client::ObjectPtr& job);

    const client::Client& m_client;
    const Options m_options;
    client::Informer& m_cronJobs;
    client::Informer& m_jobs;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
