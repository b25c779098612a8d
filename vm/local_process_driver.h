// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "vm/driver.h"

namespace slipway::vm {

/// Runs a cluster as a `slipwayd server` process on this host, k3s-style. Files in the
/// cluster's folder: `data/` (the engine's data dir), `slipwayd.pid`, `slipwayd.log`,
/// `kubeconfig` (written by slipwayd once it listens).
class LocalProcessDriver final : public Driver {
public:
    explicit LocalProcessDriver(std::filesystem::path slipwayd) : m_slipwayd(std::move(slipwayd)) {}

    core::Result<void> launch(ClusterSpec& spec, const std::filesystem::path& dir,
                              const ProgressCallback& progress) override;
    core::Result<void> halt(const ClusterSpec& spec, const std::filesystem::path& dir,
                            std::chrono::milliseconds grace,
                            const ProgressCallback& progress) override;
    MachineState observe(const ClusterSpec& spec, const std::filesystem::path& dir) const override;
    /// `slipwayd reset-node`: the node's containers, sandboxes and mounts go.
    core::Result<void> release(const ClusterSpec& spec, const std::filesystem::path& dir,
                               const ProgressCallback& progress) override;
    /// SIGSTOP to slipwayd's process group: the API server, controllers and node agent freeze
    /// where they are (containers run by runc live in their own groups and keep running).
    core::Result<void> pause(const ClusterSpec& spec, const std::filesystem::path& dir) override;
    /// SIGCONT to the same group.
    core::Result<void> resume(const ClusterSpec& spec, const std::filesystem::path& dir) override;
    /// `slipwayd.log`.
    std::filesystem::path logPath(const ClusterSpec& spec,
                                  const std::filesystem::path& dir) const override;

private:
    std::filesystem::path m_slipwayd;
};

/// True if nothing listens on 127.0.0.1:`port` (bind succeeds).
bool loopbackPortFree(std::uint16_t port);
/// A port the kernel picks as free on 127.0.0.1.
core::Result<std::uint16_t> pickFreeLoopbackPort();

}  // namespace slipway::vm
