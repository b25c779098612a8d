// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "engine/core/result.h"

struct nft_ctx;

namespace slipway::proxy {

/// A libnftables context: runs nft command text as one atomic transaction. Opened on the
/// thread (and so in the network namespace) that uses it. Not thread-safe.
class Nftables {
public:
    /// Unavailable when libnftables cannot make a context.
    static core::Result<std::unique_ptr<Nftables>> open();
    ~Nftables();
    Nftables(const Nftables&) = delete;
    Nftables& operator=(const Nftables&) = delete;

    /// Runs `commands` (nft syntax, one command a line) in one transaction; on failure nothing
    /// changed and the error holds nft's own words.
    core::Result<void> run(const std::string& commands);
    /// Runs `commands` and returns what nft printed (e.g. "list table ip x").
    core::Result<std::string> query(const std::string& commands);

private:
    explicit Nftables(nft_ctx* context) : m_context(context) {}
    nft_ctx* m_context;
};

}  // namespace slipway::proxy
