// SPDX-License-Identifier: Apache-2.0
#include "engine/scheduler/scheduler.h"

#include <spdlog/spdlog.h>

#include "engine/core/timestamp.h"

namespace slipway::scheduler {

using nlohmann::json;

namespace {

constexpr const char* kComponent = "default-scheduler";

client::ObjectReference podReference(const PodInfo& pod) {
    return client::ObjectReference::to(*pod.object, "v1", "Pod");
}

/// The pod's PodScheduled condition as it is now, or null.
const json* podScheduledCondition(const json& pod) {
    const auto status = pod.find("status");
    if (status == pod.end() || !status->is_object()) {
        return nullptr;
    }
    const auto conditions = status->find("conditions");
    if (conditions == status->end() || !conditions->is_array()) {
        return nullptr;
    }
    for (const auto& condition : *conditions) {
        if (condition.value("type", "") == "PodScheduled") {
            return &condition;
        }
    }
    return nullptr;
}

}  // namespace

Scheduler::Scheduler(const client::Client& client, client::SharedInformers& informers,
                     SchedulerOptions options)
    : m_client(client),
      m_informers(informers),
      m_podInformer(informers.informerFor(client::resources::pods())),
      m_nodeInformer(informers.informerFor(client::resources::nodes())),
      m_options(std::move(options)),
      m_recorder(client, client::EventSource{kComponent, {}}),
      m_queue(m_options.queue),
      m_framework(m_options.framework) {
    m_nodeInformer.addEventHandler(
        {[this](const client::ObjectPtr& node) {
             m_cache.addNode(NodeSpec::fromJson(*node));
             m_queue.moveAllToActiveOrBackoff(events::kNodeAdd);
         },
         [this](const client::ObjectPtr&, const client::ObjectPtr& node) {
             // Heartbeats change nothing the scheduler reads: no move for them.
             if (m_cache.addNode(NodeSpec::fromJson(*node))) {
                 m_queue.moveAllToActiveOrBackoff(events::kNodeUpdate);
             }
         },
         [this](const client::ObjectPtr& node) {
             m_cache.removeNode(node->value("/metadata/name"_json_pointer, std::string()));
         }});
    m_podInformer.addEventHandler(
        {[this](const client::ObjectPtr& pod) { onPodAdd(pod); },
         [this](const client::ObjectPtr& oldPod, const client::ObjectPtr& newPod) {
             onPodUpdate(oldPod, newPod);
         },
         [this](const client::ObjectPtr& pod) { onPodDelete(pod); }});
}

Scheduler::~Scheduler() {
    stop();
}

bool Scheduler::responsibleFor(const PodInfo& pod) const {
    return (pod.schedulerName.empty() || pod.schedulerName == m_options.schedulerName) &&
           !pod.terminal();
}

void Scheduler::onPodAdd(const client::ObjectPtr& object) {
    auto pod = PodInfo::fromJson(object);
    if (pod->assigned()) {
        if (!pod->terminal()) {
            m_cache.addPod(pod);
            m_queue.moveAllToActiveOrBackoff(events::kAssignedPodAdd);
        }
        return;
    }
    if (responsibleFor(*pod)) {
        m_queue.add(std::move(pod));
    }
}

void Scheduler::onPodUpdate(const client::ObjectPtr& oldObject,
                            const client::ObjectPtr& newObject) {
    if (oldObject == newObject) {
        return;  // a resync
    }
    auto pod = PodInfo::fromJson(newObject);
    const std::string oldNode = oldObject->value("/spec/nodeName"_json_pointer, std::string());
    if (pod->assigned()) {
        if (oldNode.empty()) {
            m_queue.remove(pod->key);
        }
        if (pod->terminal()) {
            // Succeeded or Failed: what it held is free.
            m_cache.removePod(pod->key);
            m_queue.moveAllToActiveOrBackoff(events::kAssignedPodDelete);
            return;
        }
        if (oldNode.empty()) {
            m_cache.addPod(std::move(pod));
            m_queue.moveAllToActiveOrBackoff(events::kAssignedPodAdd);
            return;
        }
        // A bound pod's status changes all the time (the node agent reports it); only new
        // labels (affinity, spread) or smaller requests (fit) may help a parked pod.
        const auto before = PodInfo::fromJson(oldObject);
        PluginMask helps = 0;
        if (before->labels != pod->labels) {
            helps |= maskOf(PluginId::InterPodAffinity) | maskOf(PluginId::PodTopologySpread);
        }
        if (pod->requests.milliCpu < before->requests.milliCpu ||
            pod->requests.memory < before->requests.memory) {
            helps |= maskOf(PluginId::NodeResourcesFit);
        }
        m_cache.updatePod(std::move(pod));
        if (helps != 0) {
            m_queue.moveAllToActiveOrBackoff(helps & events::kAssignedPodUpdate);
        }
        return;
    }
    if (responsibleFor(*pod)) {
        m_queue.add(std::move(pod));
    } else {
        m_queue.remove(pod->key);
    }
}

void Scheduler::onPodDelete(const client::ObjectPtr& object) {
    const std::string key = object->value("/metadata/namespace"_json_pointer, std::string()) + "/" +
                            object->value("/metadata/name"_json_pointer, std::string());
    m_queue.remove(key);
    if (!m_cache.nodeOf(key).empty()) {
        m_cache.removePod(key);
        m_queue.moveAllToActiveOrBackoff(events::kAssignedPodDelete);
    }
}

void Scheduler::run() {
    if (m_started) {
        return;
    }
    m_started = true;
    for (int i = 0; i < std::max(1, m_options.binderThreads); ++i) {
        m_binders.emplace_back([this] { binderLoop(); });
    }
    m_scheduling = std::thread([this] { scheduleLoop(); });
}

void Scheduler::stop() {
    if (m_stopping.exchange(true)) {
        return;
    }
    m_queue.close();
    if (m_scheduling.joinable()) {
        m_scheduling.join();
    }
    {
        std::lock_guard lock(m_tasksMutex);
        m_tasksClosed = true;
    }
    m_tasksChanged.notify_all();
    for (auto& binder : m_binders) {
        binder.join();
    }
    m_binders.clear();
    m_recorder.flush(std::chrono::seconds(2));
}

Scheduler::Stats Scheduler::stats() const {
    std::lock_guard lock(m_statsMutex);
    return m_stats;
}

void Scheduler::scheduleLoop() {
    // Decide nothing before the cache holds what the API has (WaitForCacheSync).
    while (!m_stopping && !m_informers.waitForSync(std::chrono::milliseconds(200))) {
    }
    while (!m_stopping) {
        auto queued = m_queue.pop(std::chrono::seconds(1));
        if (queued) {
            scheduleOne(*queued);
        }
    }
}

void Scheduler::scheduleOne(const QueuedPod& queued) {
    const PodInfoPtr& pod = queued.pod;
    // A pod being deleted is not placed; one already assumed is being bound.
    if (pod->terminating || m_cache.isAssumed(pod->key)) {
        m_queue.done(pod->key);
        return;
    }
    const std::uint64_t cycle = m_queue.schedulingCycle();
    ScheduleResult result;
    {
        const auto lock = m_cache.lock();
        const ClusterView cluster{m_cache.nodes(), m_cache.podsWithAffinity(),
                                  m_cache.podsWithRequiredAntiAffinity()};
        result = m_framework.schedule(*pod, cluster);
    }
    {
        std::lock_guard lock(m_statsMutex);
        ++m_stats.attempts;
        if (!result.scheduled()) {
            ++m_stats.unschedulable;
        }
    }
    if (result.scheduled()) {
        m_cache.assumePod(pod, result.node);
        submit([this, queued, node = result.node, cycle] { bind(queued, node, cycle); });
        return;
    }
    // No nodes at all is unschedulable too (kube: UnschedulableAndUnresolvable with
    // ErrNoNodesAvailable): parked with no plugin to blame, so any cluster event moves it.
    m_queue.addUnschedulable(queued, cycle, result.fitError.unschedulablePlugins, false);
    std::string message = result.error.empty() ? result.fitError.message() : result.error;
    spdlog::debug("scheduler: {} is unschedulable: {}", pod->key, message);
    submit([this, pod, message = std::move(message)] {
        reportFailure(pod, "Unschedulable", message);
    });
}

void Scheduler::bind(const QueuedPod& queued, const std::string& node, std::uint64_t cycle) {
    const PodInfo& pod = *queued.pod;
    const json binding = {
        {"apiVersion", "v1"},
        {"kind", "Binding"},
        {"metadata", {{"name", pod.name}, {"namespace", pod.nameSpace}, {"uid", pod.uid}}},
        {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
    // POST pods/NAME/binding through send(): Client::create posts to a collection.
    const client::Request request(
        "POST", client::resources::pods().in(pod.nameSpace).named(pod.name).sub("binding").path(),
        binding.dump(), "application/json");
    core::Result<void> written = core::success();
    if (auto answer = m_client.send(request); !answer) {
        written = answer.error();
    } else if (auto failure = client::Client::failureOf(*answer)) {
        written = std::move(*failure);
    }
    if (written) {
        m_cache.finishBinding(pod.key);
        m_queue.done(pod.key);
        {
            std::lock_guard lock(m_statsMutex);
            ++m_stats.scheduled;
        }
        m_recorder.event(podReference(pod), client::EventRecorder::kNormal, "Scheduled",
                         "Successfully assigned " + pod.key + " to " + node);
        return;
    }
    {
        std::lock_guard lock(m_statsMutex);
        ++m_stats.bindingFailures;
    }
    // What the assumed pod held is free again; pods waiting for room may try.
    m_cache.forgetPod(pod.key);
    m_queue.moveAllToActiveOrBackoff(events::kAssignedPodDelete);
    const auto code = written.error().code();
    if (code == core::ErrorCode::NotFound) {
        m_queue.remove(pod.key);
        return;
    }
    spdlog::warn("scheduler: binding {} to {}: {}", pod.key, node, written.error().message());
    m_queue.addUnschedulable(queued, cycle, 0, true);
    if (code != core::ErrorCode::Conflict) {
        reportFailure(queued.pod, "SchedulerError",
                      "Binding rejected: " + written.error().message());
    }
}

void Scheduler::reportFailure(const PodInfoPtr& pod, const std::string& reason,
                              const std::string& message) {
    m_recorder.event(podReference(*pod), client::EventRecorder::kWarning, "FailedScheduling",
                     message);
    // PodScheduled=False with the same message, unless the pod says so already.
    if (const json* current = podScheduledCondition(*pod->object);
        current != nullptr && current->value("status", "") == "False" &&
        current->value("reason", "") == reason && current->value("message", "") == message) {
        return;
    }
    const json patch = {
        {"status",
         {{"conditions",
           json::array({{{"type", "PodScheduled"},
                         {"status", "False"},
                         {"reason", reason},
                         {"message", message},
                         {"lastProbeTime", nullptr},
                         {"lastTransitionTime",
                          core::formatTimestamp(std::chrono::system_clock::now())}}})}}}};
    const auto patched =
        m_client.patch(client::resources::pods().in(pod->nameSpace).named(pod->name).sub("status"),
                       client::PatchType::StrategicMerge, patch);
    if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
        spdlog::warn("scheduler: updating the PodScheduled condition of {}: {}", pod->key,
                     patched.error().message());
    }
}

void Scheduler::submit(std::function<void()> task) {
    std::unique_lock lock(m_tasksMutex);
    m_tasksChanged.wait(
        lock, [&] { return m_inFlight < m_options.maxBindingsInFlight || m_tasksClosed; });
    ++m_inFlight;
    m_tasks.push_back(std::move(task));
    m_tasksChanged.notify_all();
}

void Scheduler::binderLoop() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_tasksMutex);
            m_tasksChanged.wait(lock, [&] { return !m_tasks.empty() || m_tasksClosed; });
            if (m_tasks.empty()) {
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
        {
            std::lock_guard lock(m_tasksMutex);
            --m_inFlight;
        }
        m_tasksChanged.notify_all();
    }
}

}  // namespace slipway::scheduler
