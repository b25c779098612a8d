// SPDX-License-Identifier: Apache-2.0
#include "test_kubelet.h"

#include "engine/core/timestamp.h"

namespace slipway::testing {

using nlohmann::json;

TestKubelet::TestKubelet(const client::Client& client, std::chrono::milliseconds readyDelay,
                         int workers)
    : m_client(client),
      m_readyDelay(readyDelay),
      m_pods(client, client::InformerOptions(client::resources::pods())),
      m_queue(client::WorkQueueOptions{"test-kubelet", 100'000, {}}) {
    const auto schedule = [this](const client::ObjectPtr& pod) {
        const auto key = client::objectKey(*pod);
        if (pod->contains(json::json_pointer("/metadata/deletionTimestamp"))) {
            m_queue.add(key);
        } else {
            m_queue.addAfter(key, m_readyDelay);
        }
    };
    m_pods.addEventHandler(client::EventHandlers{
        schedule,
        [schedule](const client::ObjectPtr&, const client::ObjectPtr& pod) { schedule(pod); },
        nullptr});
    m_pods.start();
    for (int i = 0; i < workers; ++i) {
        m_workers.emplace_back([this] {
            m_queue.processUntilShutDown([this](const std::string& key) { return sync(key); }, 5);
        });
    }
}

TestKubelet::~TestKubelet() {
    stop();
}

void TestKubelet::stop() {
    if (m_stopped.exchange(true)) {
        return;
    }
    m_queue.shutDown();
    for (auto& worker : m_workers) {
        worker.join();
    }
    m_pods.stop();
}

core::Result<void> TestKubelet::sync(const std::string& key) {
    const auto cached = m_pods.lister().getByKey(key);
    if (!cached) {
        return core::success();
    }
    const json& pod = *cached;
    const auto ref = client::resources::pods()
                         .in(pod["metadata"].value("namespace", ""))
                         .named(pod["metadata"].value("name", ""));
    if (pod["metadata"].contains("deletionTimestamp")) {
        client::DeleteOptions now;
        now.gracePeriodSeconds = 0;
        auto removed = m_client.remove(ref, now);
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            return removed.error();
        }
        return core::success();
    }
    if (pod.value("status", json::object()).value("phase", "") == "Running") {
        return core::success();
    }
    json containerStatuses = json::array();
    for (const auto& container : pod["spec"].value("containers", json::array())) {
        if (container.value("image", "").find("broken") != std::string::npos) {
            return core::success();  // never starts
        }
        containerStatuses.push_back({{"name", container.value("name", "")},
                                     {"image", container.value("image", "")},
                                     {"imageID", ""},
                                     {"ready", true},
                                     {"started", true},
                                     {"restartCount", 0},
                                     {"state", {{"running", {{"startedAt", "now"}}}}}});
    }
    const std::string now = core::formatTimestamp(std::chrono::system_clock::now());
    for (auto& status : containerStatuses) {
        status["state"]["running"]["startedAt"] = now;
    }
    json next = pod;
    next["status"]["phase"] = "Running";
    next["status"]["startTime"] = now;
    next["status"]["podIP"] = "10.0.0.1";
    next["status"]["containerStatuses"] = containerStatuses;
    json conditions = json::array();
    for (const char* type :
         {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
        conditions.push_back({{"type", type}, {"status", "True"}, {"lastTransitionTime", now}});
    }
    next["status"]["conditions"] = conditions;
    auto updated = m_client.updateStatus(ref, next);
    if (!updated) {
        if (updated.error().code() == core::ErrorCode::NotFound) {
            return core::success();
        }
        return updated.error();
    }
    ++m_readied;
    return core::success();
}

}  // namespace slipway::testing
