// SPDX-License-Identifier: Apache-2.0
// Owning handles for ldns objects, shared by the DNS sources (not installed for callers).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <ldns/ldns.h>

#include "engine/dns/cluster_records.h"

namespace slipway::dns::ldns {

struct PacketDeleter {
    void operator()(ldns_pkt* packet) const { ldns_pkt_free(packet); }
};
using Packet = std::unique_ptr<ldns_pkt, PacketDeleter>;

/// The message in `data`, or null when it is not a well-formed DNS message.
Packet parse(const std::uint8_t* data, std::size_t size);
/// The message in wire format, or nullopt when ldns cannot write it.
std::optional<std::vector<std::uint8_t>> wireOf(const ldns_pkt* packet);
/// An ldns record from its presentation form, or null when it does not parse.
ldns_rr* recordOf(const Record& record);
/// The question's name in lower case, absolute ("web.default.svc.cluster.local.").
std::string questionName(const ldns_pkt* packet);

}  // namespace slipway::dns::ldns
