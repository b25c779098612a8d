// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/ldns_message.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace slipway::dns::ldns {

Packet parse(const std::uint8_t* data, std::size_t size) {
    ldns_pkt* packet = nullptr;
    if (ldns_wire2pkt(&packet, data, size) != LDNS_STATUS_OK) {
        ldns_pkt_free(packet);
        return nullptr;
    }
    return Packet(packet);
}

std::optional<std::vector<std::uint8_t>> wireOf(const ldns_pkt* packet) {
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&wire, packet, &size) != LDNS_STATUS_OK || wire == nullptr) {
        std::free(wire);
        return std::nullopt;
    }
    std::vector<std::uint8_t> out(wire, wire + size);
    std::free(wire);
    return out;
}

ldns_rr* recordOf(const Record& record) {
    const auto* descriptor = ldns_rr_descript(record.type);
    if (descriptor == nullptr || descriptor->_name == nullptr) {
        return nullptr;
    }
    const std::string text = record.name + " " + std::to_string(record.ttl) + " IN " +
                             descriptor->_name + " " + record.data;
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, text.c_str(), record.ttl, nullptr, nullptr) != LDNS_STATUS_OK) {
        ldns_rr_free(rr);
        return nullptr;
    }
    return rr;
}

std::string questionName(const ldns_pkt* packet) {
    const ldns_rr_list* question = ldns_pkt_question(packet);
    if (question == nullptr || ldns_rr_list_rr_count(question) == 0) {
        return {};
    }
    char* text = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(question, 0)));
    if (text == nullptr) {
        return {};
    }
    std::string name(text);
    std::free(text);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return name;
}

}  // namespace slipway::dns::ldns
