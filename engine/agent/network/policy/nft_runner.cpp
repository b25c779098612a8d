// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/policy/nft_runner.h"

#include "engine/agent/network/netlink.h"
#include "engine/agent/network/nftables.h"

namespace slipway::agent::network::policy {

NftRunner::NftRunner(std::string netnsPath) : m_netnsPath(std::move(netnsPath)) {}

core::Result<void> NftRunner::run(const std::string& script) const {
    auto result = execute(script);
    if (!result) {
        return result.error();
    }
    return core::success();
}

core::Result<std::string> NftRunner::output(const std::string& command) const {
    return execute(command);
}

core::Result<std::string> NftRunner::execute(const std::string& script) const {
    const auto runHere = [](const std::string& text) {
        Nftables nft;
        return nft.output(text);
    };
    if (m_netnsPath.empty()) {
        return runHere(script);
    }
    // A thread of its own joins the target, runs nft there and ends (runInNetns), so no other
    // thread of the process moves.
    core::Result<std::string> result = core::Error(core::ErrorCode::Internal, "nft: did not run");
    auto entered = runInNetns(m_netnsPath, [&]() -> core::Result<void> {
        result = runHere(script);
        return core::success();
    });
    if (!entered) {
        return entered.error();
    }
    return result;
}

}  // namespace slipway::agent::network::policy
