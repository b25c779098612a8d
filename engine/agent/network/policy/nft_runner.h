// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "engine/core/result.h"

namespace slipway::agent::network::policy {

/// Runs nft scripts through libnftables, in this process's network namespace or in the one at
/// `netnsPath` (/run/netns/<name>, /proc/<pid>/ns/net): there each script runs on a short-lived
/// thread that has joined that namespace, so that tests program a namespace they made and
/// never the host's.
class NftRunner {
public:
    explicit NftRunner(std::string netnsPath = {});

    /// Runs `script` (one transaction: all of it or none). Fails with nft's error text.
    core::Result<void> run(const std::string& script) const;
    /// Runs `command` and returns what nft prints ("list table inet slipway-policy").
    core::Result<std::string> output(const std::string& command) const;

    const std::string& netnsPath() const { return m_netnsPath; }

private:
    core::Result<std::string> execute(const std::string& script) const;

    std::string m_netnsPath;
};

}  // namespace slipway::agent::network::policy
