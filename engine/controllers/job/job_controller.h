// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/result.h"

namespace slipway::controllers {

/// kube-controller-manager's Job controller (pkg/controller/job) as of Kubernetes 1.32:
///
/// - runs `parallelism` pods at a time (fewer when fewer completions are left) until
///   `completions` have succeeded; with completionMode Indexed each index 0..completions-1
///   succeeds once, its pods annotated and labelled batch.kubernetes.io/job-completion-index,
///   named `<job>-<index>-xxxxx` with hostname `<job>-<index>` and JOB_COMPLETION_INDEX set;
/// - counts finished pods with kube's finalizer tracking: pods carry the finalizer
///   batch.kubernetes.io/job-tracking; a finished pod's uid is first written to
///   status.uncountedTerminatedPods, then its finalizer removed, then it is moved to
///   status.succeeded / status.failed (a pod deleted before it succeeded counts as failed);
/// - recreates failed pods after kube's exponential backoff (10 s doubling up to 6 min, as
///   Options can shorten it) and fails the Job once more than `backoffLimit` pods failed
///   (BackoffLimitExceeded), or once activeDeadlineSeconds have passed since startTime
///   (DeadlineExceeded);
/// - as 1.32 (JobPodReplacementPolicy on) first adds the interim condition (SuccessCriteriaMet
///   or FailureTarget), deletes the pods still running, and adds Complete / Failed once no pod
///   is left terminating; sets startTime, completionTime, active, ready, terminating;
/// - suspend deletes the active pods (Suspended condition), resume restarts startTime;
/// - records SuccessfulCreate, SuccessfulDelete, FailedCreate, Completed, Suspended, Resumed and
///   the failure reason as events.
///
/// Expectations, as kube's, keep a sync working from a cache that has not yet seen the pods it
/// created or deleted, or the finalizers it removed, from acting twice.
class JobController : public Controller {
public:
    static constexpr const char* kTrackingFinalizer = "batch.kubernetes.io/job-tracking";
    static constexpr const char* kCompletionIndex = "batch.kubernetes.io/job-completion-index";

    struct Options {
        /// The clock conditions, startTime and deadlines read.
        std::function<std::chrono::system_clock::time_point()> now = [] {
            return std::chrono::system_clock::now();
        };
        /// kube's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff.
        std::chrono::milliseconds backoffBase{10'000};
        std::chrono::milliseconds backoffMax{360'000};
        /// Pods created at once at most (kube's slow start batches 1, 2, 4, … up to 500).
        int maxBurst = 500;
    };

    explicit JobController(const ControllerContext& context);
    JobController(const ControllerContext& context, Options options);
    ~JobController() override;

    std::string_view name() const override { return "job"; }
    void run(int workers) override;
    void stop() override;

    core::Result<void> sync(const std::string& key);

private:
    struct Expectations {
        int adds = 0;
        std::set<std::string> deletes;            ///< pod uids we deleted, not yet seen going
        std::set<std::string> finalizerRemovals;  ///< pod uids whose finalizer we removed
        std::chrono::steady_clock::time_point setAt;
    };
    struct Backoff {
        int failuresAfterLastSuccess = 0;
        std::chrono::system_clock::time_point lastFailure;
    };

    void enqueuePodJob(const client::ObjectPtr& pod);
    void observePod(const client::ObjectPtr& pod, bool added, bool deleted);
    bool expectationsSatisfied(const std::string& key);
    std::vector<client::ObjectPtr> podsOf(const nlohmann::json& job) const;

    const client::Client& m_client;
    const Options m_options;
    client::Informer& m_jobs;
    client::Informer& m_pods;
    std::unique_ptr<client::EventRecorder> m_recorder;
    client::WorkQueue m_queue;

    std::mutex m_mutex;
    std::map<std::string, Expectations> m_expectations;  ///< by job key
    std::map<std::string, Backoff> m_backoff;            ///< by job key

    ControllerWorkers m_workers;
};

/// kube's TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished
/// Job (Complete or Failed) ttlSecondsAfterFinished after it finished, with propagation policy
/// Background (its pods go through the garbage collector), after checking a fresh copy.
class TtlAfterFinishedController : public Controller {
public:
    explicit TtlAfterFinishedController(
        const ControllerContext& context,
        std::function<std::chrono::system_clock::time_point()> now = [] {
            return std::chrono::system_clock::now();
        });
    ~TtlAfterFinishedController() override;

    std::string_view name() const override { return "ttl-after-finished"; }
    void run(int workers) override;
    void stop() override;

    core::Result<void> sync(const std::string& key);

private:
    const client::Client& m_client;
    const std::function<std::chrono::system_clock::time_point()> m_now;
    client::Informer& m_jobs;
    client::WorkQueue m_queue;
    ControllerWorkers m_workers;
};

}  // namespace slipway::controllers
