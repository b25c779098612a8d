// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/client.h"
#include "engine/client/event_recorder.h"
#include "engine/client/shared_informers.h"
#include "engine/scheduler/framework.h"
#include "engine/scheduler/scheduler_cache.h"
#include "engine/scheduler/scheduling_queue.h"

namespace slipway::scheduler {

struct SchedulerOptions {
    /// Pods whose spec.schedulerName is this (or empty) are ours.
    std::string schedulerName = "default-scheduler";
    /// Threads writing bindings and failure reports, and the most bindings under way at once:
    /// the scheduling loop waits only when that many are in flight.
    int binderThreads = 4;
    std::size_t maxBindingsInFlight = 256;
    FrameworkOptions framework;
    SchedulingQueueOptions queue;
};

/// kube-scheduler: places every pending pod that names this scheduler on a node.
///
/// Pod and node informers (shared through `informers`) feed the SchedulerCache (bound pods,
/// nodes) and the SchedulingQueue (pending pods); cluster events move parked pods back. One
/// thread runs the scheduling cycles: pop a pod, run the Framework's filters and scores over the
/// cache, *assume* the pod on the chosen node, and hand the binding (POST pods/NAME/binding) to
/// a pool of binder threads so that the next cycle starts at once. A pod that fits nowhere gets
/// a FailedScheduling event and PodScheduled=False (reason Unschedulable) with kube's message,
/// and waits in the queue. Events come from "default-scheduler".
///
/// The Client and the informers must outlive the scheduler, and the informers must be stopped
/// before it is destroyed (their handlers call it).
class Scheduler {
public:
    Scheduler(const client::Client& client, client::SharedInformers& informers,
              SchedulerOptions options = {});
    /// Stops.
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Starts the scheduling and binder threads. The scheduling thread waits for the informers
    /// to sync (the owner starts them). Once only.
    void run();
    /// Stops the threads, letting bindings under way finish. Idempotent.
    void stop();

    struct Stats {
        std::uint64_t attempts = 0;
        std::uint64_t scheduled = 0;  ///< bindings written
        std::uint64_t unschedulable = 0;
        std::uint64_t bindingFailures = 0;
    };
    Stats stats() const;

    SchedulerCache& cache() { return m_cache; }
    SchedulingQueue& queue() { return m_queue; }

private:
    void onPodAdd(const client::ObjectPtr& object);
    void onPodUpdate(const client::ObjectPtr& oldObject, const client::ObjectPtr& newObject);
    void onPodDelete(const client::ObjectPtr& object);
    bool responsibleFor(const PodInfo& pod) const;

    void scheduleLoop();
    void scheduleOne(const QueuedPod& queued);
    void bind(const QueuedPod& queued, const std::string& node, std::uint64_t cycle);
    void reportFailure(const PodInfoPtr& pod, const std::string& reason,
                       const std::string& message);

    /// Queues `task` for a binder thread, waiting while maxBindingsInFlight are under way.
    void submit(std::function<void()> task);
    void binderLoop();

    const client::Client& m_client;
    client::SharedInformers& m_informers;
    client::Informer& m_podInformer;
    client::Informer& m_nodeInformer;
    const SchedulerOptions m_options;
    client::EventRecorder m_recorder;

    SchedulerCache m_cache;
    SchedulingQueue m_queue;
    Framework m_framework;

    std::atomic<bool> m_stopping{false};
    std::thread m_scheduling;

    std::mutex m_tasksMutex;
    std::condition_variable m_tasksChanged;
    std::deque<std::function<void()>> m_tasks;
    std::size_t m_inFlight = 0;
    bool m_tasksClosed = false;
    std::vector<std::thread> m_binders;

    mutable std::mutex m_statsMutex;
    Stats m_stats;
    bool m_started = false;
};

}  // namespace slipway::scheduler
