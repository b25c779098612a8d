// SPDX-License-Identifier: Apache-2.0
// The scheduling queue on a fake clock: priority order, per-pod backoff (1 s doubling to 10 s),
// unschedulable pods moved back by cluster events or after five minutes, and updates.
#include <chrono>
#include <memory>
#include <thread>

#include <QtTest>

#include "engine/scheduler/scheduling_queue.h"

#include "scheduler_test_objects.h"

using namespace slipway;
using namespace slipway::scheduler;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

PodInfoPtr pod(const std::string& name, int priority = 0) {
    json object = testing::schedulerPod(name);
    object["spec"]["priority"] = priority;
    return PodInfo::fromJson(object);
}

}  // namespace

class TstSchedulingQueue : public QObject {
    Q_OBJECT

    std::shared_ptr<SchedulingQueue::Clock::time_point> m_now;

    std::unique_ptr<SchedulingQueue> makeQueue() {
        m_now = std::make_shared<SchedulingQueue::Clock::time_point>(SchedulingQueue::Clock::now());
        SchedulingQueueOptions options;
        options.now = [now = m_now] { return *now; };
        return std::make_unique<SchedulingQueue>(options);
    }
    void advance(std::chrono::milliseconds by) { *m_now += by; }

    static std::string popName(SchedulingQueue& queue) {
        const auto popped = queue.pop(0ms);
        return popped ? popped->pod->name : std::string();
    }

private slots:
    void popsByPriorityThenArrival() {
        auto queue = makeQueue();
        queue->add(pod("low-1"));
        queue->add(pod("high", 1000));
        queue->add(pod("low-2"));
        queue->add(pod("mid", 10));
        QCOMPARE(popName(*queue), std::string("high"));
        QCOMPARE(popName(*queue), std::string("mid"));
        QCOMPARE(popName(*queue), std::string("low-1"));
        QCOMPARE(popName(*queue), std::string("low-2"));
        QCOMPARE(popName(*queue), std::string());
    }

    void backoffDoublesToTenSeconds() {
        auto queue = makeQueue();
        queue->add(pod("p"));
        // Failures by error go straight to backoffQ: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s.
        for (const auto wait : {1000ms, 2000ms, 4000ms, 8000ms, 10000ms, 10000ms}) {
            const auto popped = queue->pop(0ms);
            QVERIFY(popped);
            queue->addUnschedulable(*popped, queue->schedulingCycle(), 0, true);
            QCOMPARE(queue->backoffCount(), std::size_t(1));
            advance(wait - 1ms);
            QCOMPARE(popName(*queue), std::string());
            advance(1ms);
            QCOMPARE(queue->activeCount() + queue->backoffCount(), std::size_t(1));
        }
        QCOMPARE(popName(*queue), std::string("p"));
    }

    void unschedulablePodsMoveOnMatchingEvents() {
        auto queue = makeQueue();
        queue->add(pod("needs-cpu"));
        queue->add(pod("needs-peer"));
        const auto first = queue->pop(0ms);
        queue->addUnschedulable(*first, queue->schedulingCycle(),
                                maskOf(PluginId::NodeResourcesFit), false);
        const auto second = queue->pop(0ms);
        queue->addUnschedulable(*second, queue->schedulingCycle(),
                                maskOf(PluginId::InterPodAffinity), false);
        QCOMPARE(queue->unschedulableCount(), std::size_t(2));

        // A pod bound elsewhere may help affinity, not resources.
        queue->moveAllToActiveOrBackoff(events::kAssignedPodAdd);
        QCOMPARE(queue->unschedulableCount(), std::size_t(1));
        // Still in its 1 s backoff: backoffQ, then activeQ.
        QCOMPARE(queue->backoffCount(), std::size_t(1));
        QCOMPARE(popName(*queue), std::string());
        advance(1s);
        QCOMPARE(popName(*queue), std::string("needs-peer"));

        // A node added may help everything; past the backoff it goes straight to activeQ.
        advance(5s);
        queue->moveAllToActiveOrBackoff(events::kNodeAdd);
        QCOMPARE(queue->unschedulableCount(), std::size_t(0));
        QCOMPARE(queue->activeCount(), std::size_t(1));
        QCOMPARE(popName(*queue), std::string("needs-cpu"));
    }

    void unschedulablePodsLeaveAfterFiveMinutes() {
        auto queue = makeQueue();
        queue->add(pod("p"));
        queue->flush();  // the leftover check runs every 30 s from here
        const auto popped = queue->pop(0ms);
        queue->addUnschedulable(*popped, queue->schedulingCycle(),
                                maskOf(PluginId::NodeResourcesFit), false);
        advance(4min);
        queue->flush();
        QCOMPARE(queue->unschedulableCount(), std::size_t(1));
        advance(61s);
        QCOMPARE(popName(*queue), std::string("p"));
    }

    void anEventDuringTheCycleSendsTheFailureToBackoff() {
        auto queue = makeQueue();
        queue->add(pod("p"));
        const auto popped = queue->pop(0ms);
        const auto cycle = queue->schedulingCycle();
        // A node arrives while the pod is being scheduled against the old cache.
        queue->moveAllToActiveOrBackoff(events::kNodeAdd);
        queue->addUnschedulable(*popped, cycle, maskOf(PluginId::NodeResourcesFit), false);
        QCOMPARE(queue->unschedulableCount(), std::size_t(0));
        QCOMPARE(queue->backoffCount(), std::size_t(1));
        advance(1s);
        QCOMPARE(popName(*queue), std::string("p"));
    }

    void updatesAndRemovals() {
        auto queue = makeQueue();
        queue->add(pod("p"));
        const auto popped = queue->pop(0ms);
        queue->addUnschedulable(*popped, queue->schedulingCycle(), maskOf(PluginId::NodeAffinity),
                                false);
        // A status-only update leaves it parked; a spec change moves it.
        json object = *popped->pod->object;
        object["status"]["conditions"] =
            json::array({{{"type", "PodScheduled"}, {"status", "False"}}});
        queue->add(PodInfo::fromJson(object));
        QCOMPARE(queue->unschedulableCount(), std::size_t(1));
        object["spec"]["nodeSelector"] = {{"disk", "ssd"}};
        queue->add(PodInfo::fromJson(object));
        QCOMPARE(queue->unschedulableCount(), std::size_t(0));
        advance(1s);
        const auto again = queue->pop(0ms);
        QVERIFY(again);
        QCOMPARE(again->pod->nodeSelector.at("disk"), std::string("ssd"));
        QCOMPARE(again->attempts, 2);

        // Deleted while in flight: the failure does not bring it back.
        queue->remove("default/p");
        queue->addUnschedulable(*again, queue->schedulingCycle(), 0, true);
        QVERIFY(!queue->contains("default/p"));
        QCOMPARE(queue->backoffCount(), std::size_t(0));

        queue->add(pod("q"));
        QVERIFY(queue->pop(0ms));
        queue->done("default/q");
        QVERIFY(!queue->contains("default/q"));
    }

    void popWaitsForAPodAndCloseEndsIt() {
        SchedulingQueue queue;
        std::thread producer([&] {
            std::this_thread::sleep_for(50ms);
            queue.add(pod("late"));
        });
        const auto popped = queue.pop(5000ms);
        producer.join();
        QVERIFY(popped);
        QCOMPARE(popped->pod->name, std::string("late"));
        queue.close();
        QVERIFY(!queue.pop(5000ms));
    }
};

QTEST_GUILESS_MAIN(TstSchedulingQueue)
#include "tst_scheduling_queue.moc"
