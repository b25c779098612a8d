// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/controllers/manager/controller.h"
#include "engine/core/ipv4.h"

namespace slipway::controllers {

/// kube-controller-manager's node IPAM controller with the range allocator
/// (pkg/controller/nodeipam, --allocate-node-cidrs): every node gets its own podCIDR, a
/// /nodeCidrMaskSize block of the cluster CIDR, written to spec.podCIDR and spec.podCIDRs.
/// A node registering with a podCIDR of its own (the server's node, from --pod-cidr) keeps
/// it, and that block is taken. Blocks are handed out lowest first; a deleted node's block is
/// free again. When the range is exhausted the node gets a CIDRNotAvailable event, as in kube.
///
/// Node agents that join (`slipwayd agent`) wait for this before they make their pod network.
class NodeIpamController : public Controller {
public:
    /// Off (it does nothing) when options.clusterCidr is empty.
    explicit NodeIpamController(const ControllerContext& context);
    ~NodeIpamController() override;

    std::string_view name() const override { return "nodeipam"; }
    void run(int workers) override;
    void stop() override;

    /// Gives `nodeName` a podCIDR if it has none (level-triggered, from the lister).
    core::Result<void> sync(const std::string& nodeName);

private:
    /// The blocks in use now: by the nodes in the cache and by assignments made since (the
    /// cache may not show them yet). Caller holds m_mutex.
    std::map<std::uint32_t, std::string> takenBlocks() const;
    std::optional<std::uint32_t> blockOf(const std::string& podCidr) const;

    const client::Client& m_client;
    std::optional<core::Ipv4Cidr> m_range;
    int m_maskSize = 24;
    client::Informer& m_nodes;
    client::WorkQueue m_queue;
    std::unique_ptr<client::EventRecorder> m_recorder;
    ControllerWorkers m_workers;
    mutable std::mutex m_mutex;
    /// Blocks that nodes bring themselves (ControllerOptions::reservedPodCidrs).
    std::vector<std::uint32_t> m_reserved;
    /// node name → network address of the block assigned by this controller.
    std::map<std::string, std::uint32_t> m_assigned;
};

}  // namespace slipway::controllers
