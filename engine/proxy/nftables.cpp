// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/nftables.h"

#include <nftables/libnftables.h>

namespace slipway::proxy {

core::Result<std::unique_ptr<Nftables>> Nftables::open() {
    nft_ctx* context = nft_ctx_new(NFT_CTX_DEFAULT);
    if (context == nullptr) {
        return core::Error(core::ErrorCode::Unavailable, "libnftables: no context");
    }
    nft_ctx_buffer_output(context);
    nft_ctx_buffer_error(context);
    return std::unique_ptr<Nftables>(new Nftables(context));
}

Nftables::~Nftables() {
    nft_ctx_free(m_context);
}

core::Result<void> Nftables::run(const std::string& commands) {
    if (auto out = query(commands); !out) {
        return out.error();
    }
    return {};
}

core::Result<std::string> Nftables::query(const std::string& commands) {
    if (nft_run_cmd_from_buffer(m_context, commands.c_str()) != 0) {
        std::string error = nft_ctx_get_error_buffer(m_context);
        while (!error.empty() && error.back() == '\n') {
            error.pop_back();
        }
        return core::Error(core::ErrorCode::Internal, "nftables: " + error);
    }
    return std::string(nft_ctx_get_output_buffer(m_context));
}

}  // namespace slipway::proxy
