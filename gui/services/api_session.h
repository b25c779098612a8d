// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <mutex>

#include "engine/client/https_client.h"
#include "engine/core/result.h"
#include "gui/services/cluster_connection.h"

namespace slipway::gui {

/// A Client for one ConnectionTarget, created on first use and shared by the pool tasks of a
/// service (RolloutService, EventStream, LogStreams). Thread-safe; call it off the GUI thread,
/// as creating the client reads the kubeconfig.
class ApiSession {
public:
    explicit ApiSession(ConnectionTarget target) : m_target(std::move(target)) {}

    const ConnectionTarget& target() const { return m_target; }
    /// The kubeconfig's settings for the target's context.
    core::Result<client::ClientConfig> config() const;
    /// The client, created once.
    core::Result<std::shared_ptr<client::HttpsClient>> client();

private:
    const ConnectionTarget m_target;
    std::mutex m_mutex;
    std::shared_ptr<client::HttpsClient> m_client;  // guarded by m_mutex
};

}  // namespace slipway::gui
