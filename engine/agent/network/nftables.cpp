// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/nftables.h"

#include <nftables/libnftables.h>

namespace slipway::agent::network {

Nftables::Nftables() : m_ctx(nft_ctx_new(NFT_CTX_DEFAULT)) {
    if (m_ctx != nullptr) {
        nft_ctx_buffer_output(m_ctx);
        nft_ctx_buffer_error(m_ctx);
    }
}

Nftables::~Nftables() {
    if (m_ctx != nullptr) {
        nft_ctx_free(m_ctx);
    }
}

core::Result<std::unique_ptr<Nftables>> Nftables::open() {
    auto nft = std::make_unique<Nftables>();
    if (nft->m_ctx == nullptr) {
        return core::Error(core::ErrorCode::Unavailable, "nftables: cannot create a context");
    }
    return nft;
}

core::Result<std::string> Nftables::output(std::string_view commands) {
    if (m_ctx == nullptr) {
        return core::Error(core::ErrorCode::Unavailable, "nftables: cannot create a context");
    }
    const std::string text(commands);
    const int rc = nft_run_cmd_from_buffer(m_ctx, text.c_str());
    std::string printed = nft_ctx_get_output_buffer(m_ctx);
    std::string errors = nft_ctx_get_error_buffer(m_ctx);
    if (rc != 0) {
        while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' ')) {
            errors.pop_back();
        }
        return core::Error(
            core::ErrorCode::Internal,
            "nftables: " + (errors.empty() ? std::string("command failed") : errors));
    }
    return printed;
}

core::Result<void> Nftables::run(std::string_view commands) {
    auto ran = output(commands);
    if (!ran) {
        return ran.error();
    }
    return core::success();
}

bool Nftables::available() {
    Nftables nft;
    return nft.run("list tables").ok();
}

}  // namespace slipway::agent::network
