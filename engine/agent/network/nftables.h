// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/result.h"

struct nft_ctx;

namespace slipway::agent::network {

/// One libnftables context: runs nft command text (`nft -f` syntax) as one transaction, so a
/// batch that fails changes nothing. Every component that programs rules owns one table and
/// only ever touches that table (see docs/ARCHITECTURE.md, "Pod network").
///
/// Rules apply to the network namespace of the calling thread: run it through `inNetns` to
/// program another namespace. Not thread-safe: one per thread or guarded by the caller.
class Nftables {
public:
    Nftables();
    ~Nftables();
    /// A context, or Unavailable when libnftables cannot make one.
    static core::Result<std::unique_ptr<Nftables>> open();
    Nftables(const Nftables&) = delete;
    Nftables& operator=(const Nftables&) = delete;

    /// Runs `commands`; the error names nft's own message (with the failing line).
    core::Result<void> run(std::string_view commands);
    /// Runs `commands` and returns what nft printed (e.g. "list table ip slipway-podnet").
    core::Result<std::string> output(std::string_view commands);

    /// Whether nftables works here: a context can be made and an empty batch ("list tables")
    /// succeeds. False without CAP_NET_ADMIN or without nf_tables in the kernel.
    static bool available();

private:
    ::nft_ctx* m_ctx = nullptr;
};

}  // namespace slipway::agent::network
