// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/manager/controller_manager.h"

#include <string>

#include <spdlog/spdlog.h>

#include "engine/controllers/garbagecollector/garbage_collector.h"
#include "engine/controllers/namespace/namespace_controller.h"
#include "engine/controllers/podautoscaler/horizontal_controller.h"

namespace slipway::controllers {

namespace {

/// How long start() waits for the shared informers before it starts the workers anyway (they
/// then work from a partial cache, and the informers' events catch them up).
constexpr std::chrono::seconds kSyncTimeout{30};

}  // namespace

ControllerManager::ControllerManager(const client::Client& client)
    : m_client(client), m_informers(client) {}

ControllerManager::~ControllerManager() {
    stop();
}

void ControllerManager::start() {
    const ControllerContext context{m_client, m_informers};
    // Controllers built on the shared informers: one line each.
    (void)context;
    m_controllers.push_back(std::make_unique<HorizontalController>(context));

    m_namespaces = std::make_unique<NamespaceController>(m_client);
    m_garbageCollector = std::make_unique<GarbageCollector>(m_client);
    m_namespaces->start();
    m_garbageCollector->start();

    m_informers.start();
    if (!m_informers.waitForSync(kSyncTimeout)) {
        spdlog::warn("controller informers did not sync in {} s; starting anyway",
                     kSyncTimeout.count());
    }
    std::string names = "namespace, garbage-collector";
    for (auto& controller : m_controllers) {
        controller->run(2);
        names += ", ";
        names += controller->name();
    }
    spdlog::info("controllers started: {}", names);
}

void ControllerManager::stop() {
    for (auto it = m_controllers.rbegin(); it != m_controllers.rend(); ++it) {
        (*it)->stop();
    }
    m_informers.stop();
    if (m_garbageCollector) {
        m_garbageCollector->stop();
    }
    if (m_namespaces) {
        m_namespaces->stop();
    }
}

bool ControllerManager::waitForSync(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto left = [&deadline] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };
    return m_namespaces && m_garbageCollector && m_namespaces->waitForSync(left()) &&
           m_garbageCollector->waitForSync(left()) && m_informers.waitForSync(left());
}

}  // namespace slipway::controllers
