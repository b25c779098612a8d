// SPDX-License-Identifier: Apache-2.0
// A small stub resolver and a fake upstream for the DNS tests: both on 127.0.0.1, messages
// built and read with ldns.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::testing::dns {

struct PacketFree {
    void operator()(ldns_pkt* packet) const { ldns_pkt_free(packet); }
};
using Packet = std::unique_ptr<ldns_pkt, PacketFree>;

inline std::vector<std::uint8_t> wireOf(const ldns_pkt* packet) {
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&wire, packet, &size) != LDNS_STATUS_OK) {
        return {};
    }
    std::vector<std::uint8_t> out(wire, wire + size);
    std::free(wire);
    return out;
}

inline Packet parse(const std::uint8_t* data, std::size_t size) {
    ldns_pkt* packet = nullptr;
    if (ldns_wire2pkt(&packet, data, size) != LDNS_STATUS_OK) {
        return nullptr;
    }
    return Packet(packet);
}

inline Packet makeQuery(const std::string& name, ldns_rr_type type, std::uint16_t ednsSize = 0) {
    ldns_pkt* query = nullptr;
    ldns_pkt_query_new_frm_str(&query, name.c_str(), type, LDNS_RR_CLASS_IN, LDNS_RD);
    ldns_pkt_set_id(query, static_cast<std::uint16_t>(std::rand() & 0xffff));
    if (ednsSize != 0) {
        ldns_pkt_set_edns_udp_size(query, ednsSize);
    }
    return Packet(query);
}

inline sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

/// Sends `query` over UDP to 127.0.0.1:`port`; the answer, or null after `timeout`.
inline Packet askUdp(std::uint16_t port, const ldns_pkt* query,
                     std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    const auto address = loopback(port);
    const auto wire = wireOf(query);
    sendto(fd, wire.data(), wire.size(), 0, reinterpret_cast<const sockaddr*>(&address),
           sizeof address);
    pollfd poller{fd, POLLIN, 0};
    Packet answer;
    if (poll(&poller, 1, static_cast<int>(timeout.count())) == 1) {
        std::vector<std::uint8_t> buffer(65535);
        const auto size = recv(fd, buffer.data(), buffer.size(), 0);
        if (size > 0) {
            answer = parse(buffer.data(), static_cast<std::size_t>(size));
        }
    }
    close(fd);
    return answer;
}

inline Packet askUdp(std::uint16_t port, const std::string& name, ldns_rr_type type,
                     std::uint16_t ednsSize = 0) {
    return askUdp(port, makeQuery(name, type, ednsSize).get());
}

inline bool readFully(int fd, std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        pollfd poller{fd, POLLIN, 0};
        if (poll(&poller, 1, 3000) != 1) {
            return false;
        }
        const auto got = recv(fd, data, size, 0);
        if (got <= 0) {
            return false;
        }
        data += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

/// Sends `query` over TCP (RFC 7766 framing); the answer, or null.
inline Packet askTcp(std::uint16_t port, const std::string& name, ldns_rr_type type) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const auto address = loopback(port);
    Packet answer;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        const auto wire = wireOf(makeQuery(name, type).get());
        std::vector<std::uint8_t> framed{static_cast<std::uint8_t>(wire.size() >> 8),
                                         static_cast<std::uint8_t>(wire.size() & 0xff)};
        framed.insert(framed.end(), wire.begin(), wire.end());
        send(fd, framed.data(), framed.size(), MSG_NOSIGNAL);
        std::uint8_t length[2] = {};
        if (readFully(fd, length, 2)) {
            std::vector<std::uint8_t> buffer((std::size_t{length[0]} << 8) | length[1]);
            if (readFully(fd, buffer.data(), buffer.size())) {
                answer = parse(buffer.data(), buffer.size());
            }
        }
    }
    close(fd);
    return answer;
}

/// The rdata of the answer records of `type`, as text ("10.96.0.1").
inline std::vector<std::string> answers(const ldns_pkt* packet, ldns_rr_type type,
                                        ldns_pkt_section section = LDNS_SECTION_ANSWER) {
    std::vector<std::string> out;
    const ldns_rr_list* list = section == LDNS_SECTION_ANSWER      ? ldns_pkt_answer(packet)
                               : section == LDNS_SECTION_AUTHORITY ? ldns_pkt_authority(packet)
                                                                   : ldns_pkt_additional(packet);
    for (std::size_t i = 0; list != nullptr && i < ldns_rr_list_rr_count(list); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(list, i);
        if (ldns_rr_get_type(rr) != type) {
            continue;
        }
        std::string data;
        for (std::size_t j = 0; j < ldns_rr_rd_count(rr); ++j) {
            char* text = ldns_rdf2str(ldns_rr_rdf(rr, j));
            data += (j == 0 ? "" : " ") + std::string(text);
            std::free(text);
        }
        out.push_back(data);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// A resolver on 127.0.0.1 that answers from a table (name → A records, or NXDOMAIN for names
/// not in it) and counts what it is asked; silent() makes it drop every query.
class FakeUpstream {
public:
    FakeUpstream() {
        m_fd = socket(AF_INET, SOCK_DGRAM, 0);
        auto address = loopback(0);
        bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        // TCP on the same port, for answers too large for UDP.
        m_tcp = socket(AF_INET, SOCK_STREAM, 0);
        const int yes = 1;
        setsockopt(m_tcp, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        bind(m_tcp, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        listen(m_tcp, 16);
        m_thread = std::thread([this] { run(); });
    }
    ~FakeUpstream() {
        m_stop = true;
        m_thread.join();
        close(m_fd);
        close(m_tcp);
    }

    std::uint16_t port() const { return m_port; }
    void setSilent(bool silent) { m_silent = silent; }
    /// `name` (absolute, lower case) answers A `addresses` with `ttl`.
    void add(const std::string& name, std::vector<std::string> addresses, std::uint32_t ttl = 60) {
        const std::lock_guard lock(m_mutex);
        m_table[name] = {std::move(addresses), ttl};
    }
    int queries() const { return m_queries; }
    int tcpQueries() const { return m_tcpQueries; }
    /// Answers for `name` come truncated (TC, no records) over UDP.
    void truncateOverUdp(const std::string& name) {
        const std::lock_guard lock(m_mutex);
        m_truncated.push_back(name);
    }

private:
    /// The answer to the query in `data`, empty for none.
    std::vector<std::uint8_t> answerTo(const std::uint8_t* data, std::size_t size, bool overUdp) {
        auto query = parse(data, size);
        if (!query) {
            return {};
        }
        const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(query.get()), 0);
        char* owner = ldns_rdf2str(ldns_rr_owner(question));
        const std::string name(owner);
        std::free(owner);
        Packet answer(ldns_pkt_new());
        ldns_pkt_set_id(answer.get(), ldns_pkt_id(query.get()));
        ldns_pkt_set_qr(answer.get(), true);
        ldns_pkt_set_ra(answer.get(), true);
        ldns_pkt_push_rr(answer.get(), LDNS_SECTION_QUESTION, ldns_rr_clone(question));
        const std::lock_guard lock(m_mutex);
        if (overUdp &&
            std::find(m_truncated.begin(), m_truncated.end(), name) != m_truncated.end()) {
            ldns_pkt_set_tc(answer.get(), true);
            return wireOf(answer.get());
        }
        const auto found = m_table.find(name);
        if (found == m_table.end()) {
            ldns_pkt_set_rcode(answer.get(), LDNS_RCODE_NXDOMAIN);
            ldns_rr* soa = nullptr;
            ldns_rr_new_frm_str(&soa, "example. 30 IN SOA ns.example. host.example. 1 2 3 4 30", 0,
                                nullptr, nullptr);
            ldns_pkt_push_rr(answer.get(), LDNS_SECTION_AUTHORITY, soa);
        } else if (ldns_rr_get_type(question) == LDNS_RR_TYPE_A) {
            for (const auto& address : found->second.first) {
                ldns_rr* rr = nullptr;
                const std::string text =
                    name + " " + std::to_string(found->second.second) + " IN A " + address;
                ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr);
                ldns_pkt_push_rr(answer.get(), LDNS_SECTION_ANSWER, rr);
            }
        }
        return wireOf(answer.get());
    }

    void serveTcp() {
        const int client = accept(m_tcp, nullptr, nullptr);
        if (client < 0) {
            return;
        }
        std::uint8_t length[2] = {};
        if (readFully(client, length, 2)) {
            std::vector<std::uint8_t> query((std::size_t{length[0]} << 8) | length[1]);
            if (readFully(client, query.data(), query.size())) {
                ++m_tcpQueries;
                const auto wire = answerTo(query.data(), query.size(), false);
                std::vector<std::uint8_t> framed{static_cast<std::uint8_t>(wire.size() >> 8),
                                                 static_cast<std::uint8_t>(wire.size() & 0xff)};
                framed.insert(framed.end(), wire.begin(), wire.end());
                send(client, framed.data(), framed.size(), MSG_NOSIGNAL);
            }
        }
        close(client);
    }

    void run() {
        std::vector<std::uint8_t> buffer(65535);
        while (!m_stop) {
            pollfd pollers[2] = {{m_fd, POLLIN, 0}, {m_tcp, POLLIN, 0}};
            if (poll(pollers, 2, 50) <= 0) {
                continue;
            }
            if ((pollers[1].revents & POLLIN) != 0) {
                serveTcp();
            }
            if ((pollers[0].revents & POLLIN) == 0) {
                continue;
            }
            sockaddr_in sender{};
            socklen_t length = sizeof sender;
            const auto size = recvfrom(m_fd, buffer.data(), buffer.size(), 0,
                                       reinterpret_cast<sockaddr*>(&sender), &length);
            if (size <= 0) {
                continue;
            }
            ++m_queries;
            if (m_silent) {
                continue;
            }
            const auto wire = answerTo(buffer.data(), static_cast<std::size_t>(size), true);
            if (!wire.empty()) {
                sendto(m_fd, wire.data(), wire.size(), 0,
                       reinterpret_cast<const sockaddr*>(&sender), length);
            }
        }
    }

    int m_fd = -1;
    int m_tcp = -1;
    std::atomic<int> m_tcpQueries{0};
    std::vector<std::string> m_truncated;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_silent{false};
    std::atomic<int> m_queries{0};
    std::mutex m_mutex;
    std::map<std::string, std::pair<std::vector<std::string>, std::uint32_t>> m_table;
    std::thread m_thread;
};

}  // namespace slipway::testing::dns
