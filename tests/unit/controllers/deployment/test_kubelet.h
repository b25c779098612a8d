// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/work_queue.h"

namespace slipway::testing {

/// Plays the kubelet for controller tests until simulated nodes exist: watches pods and, after
/// `readyDelay`, reports each Running and Ready (phase, conditions, containerStatuses) — except
/// pods with a container image containing "broken", which stay Pending forever. A pod being
/// deleted gracefully is deleted for good, as a kubelet does once its containers have stopped.
class TestKubelet {
public:
    explicit TestKubelet(const client::Client& client,
                         std::chrono::milliseconds readyDelay = std::chrono::milliseconds(200),
                         int workers = 2);
    ~TestKubelet();

    void stop();
    std::uint64_t readied() const { return m_readied.load(); }

private:
    core::Result<void> sync(const std::string& key);

    const client::Client& m_client;
    const std::chrono::milliseconds m_readyDelay;
    client::Informer m_pods;
    client::WorkQueue m_queue;
    std::vector<std::thread> m_workers;
    std::atomic<std::uint64_t> m_readied{0};
    std::atomic<bool> m_stopped{false};
};

}  // namespace slipway::testing
