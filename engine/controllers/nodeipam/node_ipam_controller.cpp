// SPDX-License-Identifier: Apache-2.0
#include "engine/controllers/nodeipam/node_ipam_controller.h"

#include <spdlog/spdlog.h>

#include "engine/client/resource_ref.h"

namespace slipway::controllers {

namespace {

using nlohmann::json;

constexpr int kMaxRetries = 15;

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "nodeipam";
    return options;
}

std::string podCidrOf(const json& node) {
    const auto value = node.value("/spec/podCIDR"_json_pointer, json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

}  // namespace

NodeIpamController::NodeIpamController(const ControllerContext& context)
    : m_client(context.client),
      m_nodes(context.informers.informerFor(client::resources::nodes())),
      m_queue(queueOptions()),
      m_recorder(context.recorder("cidrAllocator")) {
    if (context.options.clusterCidr.empty()) {
        return;
    }
    auto range = core::Ipv4Cidr::parse(context.options.clusterCidr);
    m_maskSize = context.options.nodeCidrMaskSize;
    if (!range || m_maskSize < range->prefix || m_maskSize > 30) {
        spdlog::error(
            "node IPAM: cluster CIDR {} cannot be split into /{} blocks; podCIDRs are "
            "not allocated",
            context.options.clusterCidr, m_maskSize);
        return;
    }
    m_range = *range;
    for (const auto& reserved : context.options.reservedPodCidrs) {
        if (auto block = blockOf(reserved)) {
            m_reserved.push_back(*block);
        }
    }

    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr& node) {
        if (podCidrOf(*node).empty()) {
            m_queue.add(client::metadataString(*node, "name"));
        }
    };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& node) {
        if (podCidrOf(*node).empty()) {
            m_queue.add(client::metadataString(*node, "name"));
        }
    };
    handlers.onDelete = [this](const client::ObjectPtr& node) {
        // Its block is free once the cache no longer holds the node.
        const std::scoped_lock lock(m_mutex);
        m_assigned.erase(client::metadataString(*node, "name"));
    };
    m_nodes.addEventHandler(std::move(handlers));
}

NodeIpamController::~NodeIpamController() {
    stop();
}

void NodeIpamController::run(int workers) {
    (void)workers;  // one worker: two would race for the same lowest free block
    if (m_range) {
        m_workers.start(
            m_queue, 1, [this](const std::string& name) { return sync(name); }, kMaxRetries);
    }
}

void NodeIpamController::stop() {
    m_workers.stop();
}

std::optional<std::uint32_t> NodeIpamController::blockOf(const std::string& podCidr) const {
    auto cidr = core::Ipv4Cidr::parse(podCidr);
    if (!cidr || !m_range->contains(cidr->network)) {
        return std::nullopt;  // outside the cluster range: not ours to track
    }
    const std::uint32_t blockSize = std::uint32_t{1} << (32 - m_maskSize);
    return cidr->network - (cidr->network - m_range->network) % blockSize;
}

std::map<std::uint32_t, std::string> NodeIpamController::takenBlocks() const {
    std::map<std::uint32_t, std::string> taken;
    for (const auto& node : m_nodes.lister().list()) {
        if (auto block = blockOf(podCidrOf(*node))) {
            taken.emplace(*block, client::metadataString(*node, "name"));
        }
    }
    for (const auto& [name, block] : m_assigned) {
        taken.emplace(block, name);
    }
    for (const auto block : m_reserved) {
        taken.emplace(block, "(reserved)");
    }
    return taken;
}

core::Result<void> NodeIpamController::sync(const std::string& nodeName) {
    const auto node = m_nodes.lister().get("", nodeName);
    if (!node || !podCidrOf(*node).empty()) {
        return core::success();
    }
    std::uint32_t chosen = 0;
    {
        const std::scoped_lock lock(m_mutex);
        if (auto it = m_assigned.find(nodeName); it != m_assigned.end()) {
            chosen = it->second;  // assigned before; the cache has not caught up, or the patch
                                  // failed and is retried with the same block
        } else {
            const auto taken = takenBlocks();
            const std::uint64_t blockSize = std::uint64_t{1} << (32 - m_maskSize);
            const std::uint64_t blocks = m_range->size() / blockSize;
            bool found = false;
            for (std::uint64_t i = 0; i < blocks && !found; ++i) {
                const auto block = m_range->at(i * blockSize);
                if (!taken.contains(block)) {
                    chosen = block;
                    found = true;
                }
            }
            if (!found) {
                m_recorder->event(*node, client::EventRecorder::kNormal, "CIDRNotAvailable",
                                  "Node " + nodeName + " status is now: CIDRNotAvailable");
                return core::Error(
                    core::ErrorCode::Unavailable,
                    "no podCIDR left in " + m_range->text() + " for node " + nodeName);
            }
            m_assigned[nodeName] = chosen;
        }
    }
    const std::string podCidr = core::formatIpv4(chosen) + "/" + std::to_string(m_maskSize);
    const json patch = {{"spec", {{"podCIDR", podCidr}, {"podCIDRs", json::array({podCidr})}}}};
    auto patched =
        m_client.patch(client::resources::nodes().named(nodeName), client::PatchType::Merge, patch);
    if (!patched) {
        if (patched.error().code() == core::ErrorCode::NotFound) {
            const std::scoped_lock lock(m_mutex);
            m_assigned.erase(nodeName);
            return core::success();
        }
        return patched.error();
    }
    spdlog::info("node IPAM: node {} gets podCIDR {}", nodeName, podCidr);
    return core::success();
}

}  // namespace slipway::controllers
