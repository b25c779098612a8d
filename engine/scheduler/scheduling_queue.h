// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/scheduler/framework.h"

namespace slipway::scheduler {

/// Cluster events that may make a pod schedulable, each with the plugins it may help (kube's
/// cluster-event map): a pod rejected only by NodeResourcesFit is not retried because another
/// pod was bound, but is when a pod goes or a node comes.
namespace events {
inline constexpr PluginMask kNodeAdd = kAllPlugins;
inline constexpr PluginMask kNodeUpdate = kAllPlugins;
inline constexpr PluginMask kAssignedPodAdd =
    maskOf(PluginId::InterPodAffinity) | maskOf(PluginId::PodTopologySpread);
inline constexpr PluginMask kAssignedPodUpdate = maskOf(PluginId::InterPodAffinity) |
                                                 maskOf(PluginId::PodTopologySpread) |
                                                 maskOf(PluginId::NodeResourcesFit);
inline constexpr PluginMask kAssignedPodDelete =
    maskOf(PluginId::NodeResourcesFit) | maskOf(PluginId::NodePorts) |
    maskOf(PluginId::InterPodAffinity) | maskOf(PluginId::PodTopologySpread);
}  // namespace events

/// A pod as the queue hands it out.
struct QueuedPod {
    PodInfoPtr pod;
    /// Scheduling attempts so far, this one included.
    int attempts = 0;
    /// The plugins that rejected it last time.
    PluginMask unschedulablePlugins = 0;
};

struct SchedulingQueueOptions {
    /// podInitialBackoffSeconds / podMaxBackoffSeconds: 1 s doubling to 10 s per pod.
    std::chrono::milliseconds initialBackoff{1000};
    std::chrono::milliseconds maxBackoff{10000};
    /// podMaxInUnschedulablePodsDuration: an unschedulable pod is retried after this long even
    /// if no event moved it.
    std::chrono::milliseconds maxInUnschedulable = std::chrono::minutes(5);
    /// The clock (tests pass a fake one).
    std::function<std::chrono::steady_clock::time_point()> now;
};

/// kube-scheduler's PriorityQueue (internal/queue): activeQ, ordered by priority and then by
/// when the pod first arrived; backoffQ, where a pod that failed waits 1 s, 2 s, 4 s … 10 s
/// before going back to activeQ; and unschedulablePods, parked until a cluster event that may
/// help them (moveAllToActiveOrBackoff) or for at most five minutes.
///
/// A pod popped is "in flight" until done() (bound) or addUnschedulable(); updates and deletions
/// that arrive meanwhile are remembered. A move that happens during a pod's cycle sends it to
/// backoffQ rather than unschedulablePods when it fails (kube's moveRequestCycle), so an event
/// racing with a decision is not lost. Thread-safe.
class SchedulingQueue {
public:
    using Clock = std::chrono::steady_clock;

    explicit SchedulingQueue(SchedulingQueueOptions options = {});

    /// A new pending pod, or a newer state of one the queue knows.
    void add(PodInfoPtr pod);
    /// The pod is gone, or no longer this scheduler's to place (bound, another scheduler).
    void remove(const std::string& key);

    /// The next pod of activeQ (after moving what finished backing off), waiting at most
    /// `timeout`; nullopt on timeout or close().
    std::optional<QueuedPod> pop(std::chrono::milliseconds timeout);
    /// The current scheduling cycle: bumped by each pop.
    std::uint64_t schedulingCycle() const;

    /// The pod popped in `cycle` failed: rejected by `plugins` (unschedulable), or by an error
    /// (`error`: straight to backoffQ).
    void addUnschedulable(const QueuedPod& pod, std::uint64_t cycle, PluginMask plugins,
                          bool error);
    /// The pod popped has been placed: the queue forgets it.
    void done(const std::string& key);

    /// A cluster event: unschedulable pods that one of `plugins` rejected go to activeQ, or to
    /// backoffQ while their backoff lasts.
    void moveAllToActiveOrBackoff(PluginMask plugins);

    /// Moves backed-off pods to activeQ and long-unschedulable ones out (pop() does it too).
    void flush();
    void close();

    std::size_t activeCount() const;
    std::size_t backoffCount() const;
    std::size_t unschedulableCount() const;
    bool contains(const std::string& key) const;

private:
    enum class Where { Active, Backoff, Unschedulable, InFlight };
    struct Entry {
        QueuedPod queued;
        Where where = Where::Active;
        std::uint64_t sequence = 0;              ///< arrival order: activeQ's tie-break
        Clock::time_point lastFailure{};         ///< when it last failed
        Clock::time_point backoffExpiry{};       ///< in backoffQ: when it may go
        Clock::time_point unschedulableSince{};  ///< in unschedulablePods: since when
    };
    struct ActiveKey {
        std::int32_t priority;
        std::uint64_t sequence;
        std::string key;
        bool operator<(const ActiveKey& other) const {
            if (priority != other.priority) {
                return priority > other.priority;
            }
            if (sequence != other.sequence) {
                return sequence < other.sequence;
            }
            return key < other.key;
        }
    };

    Clock::time_point now() const;
    Clock::duration backoffFor(int attempts) const;
    bool backingOff(const Entry& entry, Clock::time_point now) const;
    void pushActive(const std::string& key, Entry& entry);
    void pushBackoff(const std::string& key, Entry& entry);
    void unlink(const std::string& key, Entry& entry);
    void moveLocked(const std::string& key, Entry& entry, Clock::time_point now);
    void flushLocked(Clock::time_point now);

    SchedulingQueueOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::unordered_map<std::string, Entry> m_pods;
    std::set<ActiveKey> m_active;
    std::set<std::pair<Clock::time_point, std::string>> m_backoff;
    std::unordered_set<std::string> m_unschedulable;
    std::uint64_t m_sequence = 0;
    std::uint64_t m_schedulingCycle = 0;
    std::uint64_t m_moveRequestCycle = 0;
    Clock::time_point m_lastLeftoverFlush{};
    bool m_closed = false;
};

}  // namespace slipway::scheduler
