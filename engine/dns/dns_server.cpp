// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/dns_server.h"

#include <array>
#include <atomic>
#include <charconv>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include "engine/dns/ldns_message.h"

namespace slipway::dns {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using tcp = asio::ip::tcp;
using Wire = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

/// The largest UDP answer without EDNS (RFC 1035 §4.2.1), and the most we offer with it
/// (DNS flag day 2020: 1232 avoids fragmentation).
constexpr std::size_t kClassicUdpLimit = 512;
constexpr std::uint16_t kOurEdnsSize = 1232;
/// A UDP datagram can carry at most this much; bigger reads are truncated by the kernel and
/// then fail to parse.
constexpr std::size_t kMaxDatagram = 65535;
/// Client addresses whose token buckets are kept; beyond it idle ones are forgotten.
constexpr std::size_t kMaxRateBuckets = 10000;

/// Lets a socket bind an address not (yet) configured on this host (Linux IP_FREEBIND).
using FreeBind = asio::detail::socket_option::boolean<IPPROTO_IP, IP_FREEBIND>;

/// A response to `query` with its question, ID and RD, and RA set.
ldns::Packet responseTo(const ldns_pkt* query, Rcode rcode) {
    ldns::Packet response(ldns_pkt_new());
    ldns_pkt_set_id(response.get(), ldns_pkt_id(query));
    ldns_pkt_set_qr(response.get(), true);
    ldns_pkt_set_opcode(response.get(), ldns_pkt_get_opcode(query));
    ldns_pkt_set_rd(response.get(), ldns_pkt_rd(query));
    ldns_pkt_set_cd(response.get(), ldns_pkt_cd(query));
    ldns_pkt_set_ra(response.get(), true);
    ldns_pkt_set_rcode(response.get(), static_cast<std::uint8_t>(rcode));
    const ldns_rr_list* question = ldns_pkt_question(query);
    for (std::size_t i = 0; question != nullptr && i < ldns_rr_list_rr_count(question); ++i) {
        ldns_pkt_push_rr(response.get(), LDNS_SECTION_QUESTION,
                         ldns_rr_clone(ldns_rr_list_rr(question, i)));
    }
    if (ldns_pkt_edns(query)) {
        ldns_pkt_set_edns_udp_size(response.get(), kOurEdnsSize);
        ldns_pkt_set_edns_do(response.get(), ldns_pkt_edns_do(query));
    }
    return response;
}

/// The largest UDP answer the asker takes: 512 bytes, or its EDNS size (at most ours).
std::size_t udpLimitOf(const ldns_pkt* query) {
    if (!ldns_pkt_edns(query)) {
        return kClassicUdpLimit;
    }
    return std::clamp<std::size_t>(ldns_pkt_edns_udp_size(query), kClassicUdpLimit, kOurEdnsSize);
}

/// `response` as wire, cut to its header and question with TC set when it is larger than
/// `limit` (0: no limit, TCP).
std::optional<Wire> finish(ldns_pkt* response, std::size_t limit) {
    auto wire = ldns::wireOf(response);
    if (!wire || limit == 0 || wire->size() <= limit) {
        return wire;
    }
    for (auto section : {LDNS_SECTION_ANSWER, LDNS_SECTION_AUTHORITY, LDNS_SECTION_ADDITIONAL}) {
        ldns_rr_list* list = nullptr;
        switch (section) {
            case LDNS_SECTION_ANSWER:
                list = ldns_pkt_answer(response);
                break;
            case LDNS_SECTION_AUTHORITY:
                list = ldns_pkt_authority(response);
                break;
            default:
                list = ldns_pkt_additional(response);
                break;
        }
        ldns_rr_list_deep_free(list);
        ldns_rr_list* empty = ldns_rr_list_new();
        if (section == LDNS_SECTION_ANSWER) {
            ldns_pkt_set_answer(response, empty);
            ldns_pkt_set_ancount(response, 0);
        } else if (section == LDNS_SECTION_AUTHORITY) {
            ldns_pkt_set_authority(response, empty);
            ldns_pkt_set_nscount(response, 0);
        } else {
            ldns_pkt_set_additional(response, empty);
            ldns_pkt_set_arcount(response, 0);
        }
    }
    ldns_pkt_set_tc(response, true);
    return ldns::wireOf(response);
}

void pushRecords(ldns_pkt* packet, ldns_pkt_section section, const std::vector<Record>& records) {
    for (const auto& record : records) {
        if (ldns_rr* rr = ldns::recordOf(record)) {
            ldns_pkt_push_rr(packet, section, rr);
        } else {
            spdlog::warn("cluster dns: cannot encode record {} {}", record.name, record.data);
        }
    }
}

}  // namespace

core::Result<HostPort> HostPort::parse(std::string_view text, std::uint16_t defaultPort) {
    HostPort result;
    result.port = defaultPort;
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return core::Error(core::ErrorCode::Invalid, "bad address: " + std::string(text));
        }
        host = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') {
                return core::Error(core::ErrorCode::Invalid, "bad address: " + std::string(text));
            }
            port = text.substr(close + 2);
        }
    } else if (const auto colon = text.rfind(':');
               colon != std::string_view::npos && text.find(':') == colon) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    boost::system::error_code error;
    const auto address = asio::ip::make_address(std::string(host), error);
    if (error) {
        return core::Error(core::ErrorCode::Invalid, "bad address: " + std::string(text));
    }
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, status] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (status != std::errc() || end != port.data() + port.size() || value > 65535) {
            return core::Error(core::ErrorCode::Invalid, "bad port: " + std::string(text));
        }
        result.port = static_cast<std::uint16_t>(value);
    }
    result.address = address.to_string();
    return result;
}

std::string HostPort::str() const {
    if (address.find(':') != std::string::npos) {
        return "[" + address + "]:" + std::to_string(port);
    }
    return address + ":" + std::to_string(port);
}

std::vector<HostPort> nameserversOf(const std::string& resolvConfText) {
    std::vector<HostPort> servers;
    std::istringstream lines(resolvConfText);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string keyword;
        std::string address;
        if (words >> keyword >> address && keyword == "nameserver") {
            // A scoped IPv6 address ("fe80::1%eth0") keeps its scope out of the address.
            if (auto parsed = HostPort::parse(address.substr(0, address.find('%')))) {
                servers.push_back(*parsed);
            }
        }
    }
    return servers;
}

class DnsServer::Impl {
public:
    using Reply = std::function<void(std::optional<Wire>)>;

    Impl(const ClusterRecords* records, DnsServerOptions options)
        : m_records(records), m_options(std::move(options)), m_cache(m_options.cache) {}

    ~Impl() {
        stop();
        m_udpSockets.clear();
        m_acceptors.clear();
    }

    core::Result<void> start();
    void stop();

    std::vector<HostPort> localAddresses() const {
        const std::lock_guard lock(m_mutex);
        return m_bound;
    }
    DnsServerStats stats() const {
        DnsServerStats out;
        out.queries = m_queries;
        out.cluster = m_cluster;
        out.forwarded = m_forwarded;
        out.cacheHits = m_cacheHits;
        out.refused = m_refused;
        out.malformed = m_malformed;
        out.upstreamFailures = m_upstreamFailures;
        return out;
    }
    const DnsServerOptions& options() const { return m_options; }

private:
    struct Forward;
    class TcpSession;

    void receiveUdp(const std::shared_ptr<udp::socket>& socket);
    void accept(const std::shared_ptr<tcp::acceptor>& acceptor);
    /// Answers one query from `client`; `udpLimit` 0 for TCP. `reply` gets the answer, or
    /// nullopt to send nothing.
    void handle(const std::uint8_t* data, std::size_t size, const asio::ip::address& client,
                bool overUdp, Reply reply);
    bool allow(const asio::ip::address& client);
    void answerCluster(ldns::Packet query, ClusterAnswer answer, std::size_t limit, Reply reply);
    /// Resolves `query` through the cache and the upstreams; `done` gets the answer with ID
    /// `id`, or nullopt when no upstream answered.
    void resolveUpstream(const ldns_pkt* query, std::uint16_t id,
                         std::function<void(std::optional<Wire>)> done);
    void tryUpstream(const std::shared_ptr<Forward>& forward);
    void receiveUpstream(const std::shared_ptr<Forward>& forward, const udp::endpoint& upstream,
                         std::size_t generation);
    void askOverTcp(const std::shared_ptr<Forward>& forward, const udp::endpoint& upstream,
                    std::size_t generation);
    /// True when `packet` is the answer to `forward`'s question (ID, QR, question).
    static bool answers(const Forward& forward, const ldns_pkt* packet);

    const ClusterRecords* m_records;
    const DnsServerOptions m_options;
    ResponseCache m_cache;

    mutable std::mutex m_mutex;
    std::vector<HostPort> m_bound;
    std::vector<std::shared_ptr<udp::socket>> m_udpSockets;
    std::vector<std::shared_ptr<tcp::acceptor>> m_acceptors;
    std::vector<udp::endpoint> m_upstreams;
    bool m_started = false;

    // Touched on the I/O thread only.
    struct Bucket {
        double tokens = 0;
        Clock::time_point last;
    };
    std::unordered_map<std::string, Bucket> m_buckets;
    std::size_t m_pendingForwards = 0;
    std::size_t m_tcpConnections = 0;
    std::mt19937 m_random{std::random_device{}()};

    std::atomic<std::uint64_t> m_queries{0};
    std::atomic<std::uint64_t> m_cluster{0};
    std::atomic<std::uint64_t> m_forwarded{0};
    std::atomic<std::uint64_t> m_cacheHits{0};
    std::atomic<std::uint64_t> m_refused{0};
    std::atomic<std::uint64_t> m_malformed{0};
    std::atomic<std::uint64_t> m_upstreamFailures{0};

    // Last, so that they go first: handlers still queued are destroyed while the members
    // they touch exist.
    asio::io_context m_io;
    std::thread m_thread;
};

/// One query on its way to the upstreams: a socket of its own (a random source port and a
/// random ID, so that answers cannot be guessed), tried against each upstream in turn.
struct DnsServer::Impl::Forward {
    Forward(asio::io_context& io, Wire request, std::string name, std::uint16_t type)
        : socket(io), timer(io), wire(std::move(request)), qname(std::move(name)), qtype(type) {}

    udp::socket socket;
    asio::steady_timer timer;
    Wire wire;
    std::string qname;
    std::uint16_t qtype;
    std::uint16_t id = 0;
    std::size_t next = 0;  ///< the upstream to try next
    bool done = false;
    std::array<std::uint8_t, kMaxDatagram> buffer{};
    udp::endpoint sender;
    /// After a truncated UDP answer: the same question over TCP (RFC 7766).
    std::optional<tcp::socket> tcpSocket;
    std::array<std::uint8_t, 2> tcpLength{};
    Wire tcpBuffer;
    std::function<void(std::optional<Wire>)> complete;
};

/// A TCP client (RFC 7766): length-prefixed queries answered one at a time, an idle timeout
/// on every read, a cap on queries per connection.
class DnsServer::Impl::TcpSession : public std::enable_shared_from_this<TcpSession> {
public:
    TcpSession(Impl& server, tcp::socket socket)
        : m_server(server), m_socket(std::move(socket)), m_timer(m_socket.get_executor()) {
        ++m_server.m_tcpConnections;
    }
    ~TcpSession() { --m_server.m_tcpConnections; }

    void start() { readLength(); }

private:
    void armTimer() {
        m_timer.expires_after(m_server.m_options.tcpIdleTimeout);
        m_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) {
                boost::system::error_code ignored;
                self->m_socket.close(ignored);
            }
        });
    }

    void readLength() {
        if (m_served >= m_server.m_options.maxQueriesPerTcpConnection) {
            return;  // closes when the last handler lets go
        }
        armTimer();
        asio::async_read(
            m_socket, asio::buffer(m_length),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec) {
                    return;
                }
                const std::size_t size = (std::size_t{self->m_length[0]} << 8) | self->m_length[1];
                if (size == 0) {
                    return;
                }
                self->readMessage(size);
            });
    }

    void readMessage(std::size_t size) {
        m_message.resize(size);
        asio::async_read(
            m_socket, asio::buffer(m_message),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                self->m_timer.cancel();
                if (ec) {
                    return;
                }
                ++self->m_served;
                boost::system::error_code peerError;
                const auto peer = self->m_socket.remote_endpoint(peerError);
                if (peerError) {
                    return;
                }
                self->m_server.handle(self->m_message.data(), self->m_message.size(),
                                      peer.address(), false, [self](std::optional<Wire> answer) {
                                          if (!answer || answer->size() > 65535) {
                                              self->readLength();
                                              return;
                                          }
                                          self->write(std::move(*answer));
                                      });
            });
    }

    void write(Wire answer) {
        m_out.clear();
        m_out.push_back(static_cast<std::uint8_t>(answer.size() >> 8));
        m_out.push_back(static_cast<std::uint8_t>(answer.size() & 0xff));
        m_out.insert(m_out.end(), answer.begin(), answer.end());
        armTimer();
        asio::async_write(
            m_socket, asio::buffer(m_out),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                self->m_timer.cancel();
                if (!ec) {
                    self->readLength();
                }
            });
    }

    Impl& m_server;
    tcp::socket m_socket;
    asio::steady_timer m_timer;
    std::array<std::uint8_t, 2> m_length{};
    Wire m_message;
    Wire m_out;
    std::size_t m_served = 0;
};

core::Result<void> DnsServer::Impl::start() {
    const std::lock_guard lock(m_mutex);
    if (m_started) {
        return core::success();
    }
    for (const auto& upstream : m_options.upstreams) {
        boost::system::error_code error;
        const auto address = asio::ip::make_address(upstream.address, error);
        if (error) {
            return core::Error(core::ErrorCode::Invalid, "bad upstream " + upstream.str());
        }
        m_upstreams.emplace_back(address, upstream.port);
    }
    try {
        for (const auto& listen : m_options.listen) {
            const auto address = asio::ip::make_address(listen.address);
            auto socket = std::make_shared<udp::socket>(m_io);
            socket->open(address.is_v4() ? udp::v4() : udp::v6());
            // IP_FREEBIND: the pod gateway may come up after us (the pod network sets it).
            boost::system::error_code notFreeBind;  // best effort (IPv6 may refuse it)
            socket->set_option(FreeBind(true), notFreeBind);
            socket->bind({address, listen.port});
            const auto port = socket->local_endpoint().port();
            auto acceptor = std::make_shared<tcp::acceptor>(m_io);
            acceptor->open(address.is_v4() ? tcp::v4() : tcp::v6());
            acceptor->set_option(asio::socket_base::reuse_address(true));
            acceptor->set_option(FreeBind(true), notFreeBind);
            acceptor->bind({address, port});
            acceptor->listen(asio::socket_base::max_listen_connections);
            m_udpSockets.push_back(socket);
            m_acceptors.push_back(acceptor);
            m_bound.push_back({address.to_string(), port});
        }
    } catch (const boost::system::system_error& error) {
        m_udpSockets.clear();
        m_acceptors.clear();
        m_bound.clear();
        return core::Error(core::ErrorCode::Network,
                           std::string("cluster dns: cannot listen: ") + error.what());
    }
    for (const auto& socket : m_udpSockets) {
        receiveUdp(socket);
    }
    for (const auto& acceptor : m_acceptors) {
        accept(acceptor);
    }
    m_started = true;
    m_thread = std::thread([this] { m_io.run(); });
    return core::success();
}

void DnsServer::Impl::stop() {
    {
        const std::lock_guard lock(m_mutex);
        if (!m_started) {
            return;
        }
        m_started = false;
    }
    asio::post(m_io, [this] {
        boost::system::error_code ignored;
        for (const auto& socket : m_udpSockets) {
            socket->close(ignored);
        }
        for (const auto& acceptor : m_acceptors) {
            acceptor->close(ignored);
        }
    });
    m_io.stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void DnsServer::Impl::receiveUdp(const std::shared_ptr<udp::socket>& socket) {
    struct Receive {
        // Not zeroed: 64 KiB of memset per query was a visible share of the profile.
        Receive() {}  // NOLINT(modernize-use-equals-default)
        std::array<std::uint8_t, kMaxDatagram> buffer;
        udp::endpoint sender;
    };
    auto state = std::make_shared<Receive>();
    socket->async_receive_from(
        asio::buffer(state->buffer), state->sender,
        [this, socket, state](const boost::system::error_code& ec, std::size_t size) {
            if (ec == asio::error::operation_aborted || !socket->is_open()) {
                return;
            }
            if (!ec) {
                const auto sender = state->sender;
                handle(state->buffer.data(), size, sender.address(), true,
                       [socket, sender](std::optional<Wire> answer) {
                           if (!answer) {
                               return;
                           }
                           auto out = std::make_shared<Wire>(std::move(*answer));
                           socket->async_send_to(
                               asio::buffer(*out), sender,
                               [out](const boost::system::error_code&, std::size_t) {});
                       });
            }
            receiveUdp(socket);
        });
}

void DnsServer::Impl::accept(const std::shared_ptr<tcp::acceptor>& acceptor) {
    acceptor->async_accept(
        [this, acceptor](const boost::system::error_code& ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
                return;
            }
            if (!ec) {
                if (m_tcpConnections >= m_options.maxTcpConnections) {
                    boost::system::error_code ignored;
                    socket.close(ignored);
                } else {
                    std::make_shared<TcpSession>(*this, std::move(socket))->start();
                }
            }
            accept(acceptor);
        });
}

bool DnsServer::Impl::allow(const asio::ip::address& client) {
    if (m_options.queriesPerSecondPerClient <= 0) {
        return true;
    }
    const auto now = Clock::now();
    if (m_buckets.size() >= kMaxRateBuckets) {
        // Forget clients idle long enough to have a full bucket again.
        const auto refill =
            std::chrono::duration<double>(m_options.burst / m_options.queriesPerSecondPerClient);
        std::erase_if(m_buckets,
                      [&](const auto& entry) { return now - entry.second.last > refill; });
        if (m_buckets.size() >= kMaxRateBuckets) {
            m_buckets.clear();
        }
    }
    auto [it, added] = m_buckets.try_emplace(client.to_string(), Bucket{m_options.burst, now});
    Bucket& bucket = it->second;
    if (!added) {
        const std::chrono::duration<double> elapsed = now - bucket.last;
        bucket.tokens = std::min(
            m_options.burst, bucket.tokens + elapsed.count() * m_options.queriesPerSecondPerClient);
        bucket.last = now;
    }
    if (bucket.tokens < 1) {
        return false;
    }
    bucket.tokens -= 1;
    return true;
}

void DnsServer::Impl::handle(const std::uint8_t* data, std::size_t size,
                             const asio::ip::address& client, bool overUdp, Reply reply) {
    auto query = ldns::parse(data, size);
    if (!query || ldns_pkt_qr(query.get())) {
        ++m_malformed;  // not a query (or an answer sent to us): nothing to say
        return reply(std::nullopt);
    }
    ++m_queries;
    const std::size_t limit = overUdp ? udpLimitOf(query.get()) : 0;
    const ldns_rr_list* question = ldns_pkt_question(query.get());
    if (ldns_pkt_get_opcode(query.get()) != LDNS_PACKET_QUERY) {
        auto response = responseTo(query.get(), Rcode::NoError);
        ldns_pkt_set_rcode(response.get(), LDNS_RCODE_NOTIMPL);
        return reply(finish(response.get(), limit));
    }
    if (question == nullptr || ldns_rr_list_rr_count(question) != 1) {
        ++m_malformed;
        auto response = responseTo(query.get(), Rcode::FormErr);
        return reply(finish(response.get(), limit));
    }
    if (!allow(client)) {
        ++m_refused;
        auto response = responseTo(query.get(), Rcode::Refused);
        return reply(finish(response.get(), limit));
    }
    const ldns_rr* q = ldns_rr_list_rr(question, 0);
    const auto qtype = static_cast<std::uint16_t>(ldns_rr_get_type(q));
    const std::string qname = ldns::questionName(query.get());
    if (m_records != nullptr && ldns_rr_get_class(q) == LDNS_RR_CLASS_IN) {
        if (auto answer = m_records->lookup(qname, qtype)) {
            ++m_cluster;
            return answerCluster(std::move(query), std::move(*answer), limit, std::move(reply));
        }
    }
    const auto id = ldns_pkt_id(query.get());
    auto shared = std::make_shared<ldns::Packet>(std::move(query));
    resolveUpstream(shared->get(), id,
                    [this, shared, limit, reply = std::move(reply)](std::optional<Wire> wire) {
                        if (!wire) {
                            auto response = responseTo(shared->get(), Rcode::ServFail);
                            return reply(finish(response.get(), limit));
                        }
                        if (limit == 0 || wire->size() <= limit) {
                            return reply(std::move(wire));
                        }
                        auto response = ldns::parse(wire->data(), wire->size());
                        if (!response) {
                            return reply(std::nullopt);
                        }
                        reply(finish(response.get(), limit));
                    });
}

void DnsServer::Impl::answerCluster(ldns::Packet query, ClusterAnswer answer, std::size_t limit,
                                    Reply reply) {
    auto response = responseTo(query.get(), answer.rcode);
    ldns_pkt_set_aa(response.get(), true);
    pushRecords(response.get(), LDNS_SECTION_ANSWER, answer.answer);
    pushRecords(response.get(), LDNS_SECTION_AUTHORITY, answer.authority);
    pushRecords(response.get(), LDNS_SECTION_ADDITIONAL, answer.additional);

    // An ExternalName's CNAME: resolvers expect the recursive server to follow it (CoreDNS
    // asks its upstream for the target), so the target's records come in the same answer.
    const ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(query.get()), 0);
    const auto qtype = static_cast<std::uint16_t>(ldns_rr_get_type(q));
    const bool chase = !answer.answer.empty() && answer.answer.back().type == rrtype::kCname &&
                       qtype != rrtype::kCname && qtype != rrtype::kAny;
    if (!chase) {
        return reply(finish(response.get(), limit));
    }
    const std::string target = answer.answer.back().data;
    if (m_records != nullptr) {
        if (auto inCluster = m_records->lookup(target, qtype)) {
            pushRecords(response.get(), LDNS_SECTION_ANSWER, inCluster->answer);
            return reply(finish(response.get(), limit));
        }
    }
    ldns_rdf* targetName = ldns_dname_new_frm_str(target.c_str());
    if (targetName == nullptr) {
        return reply(finish(response.get(), limit));
    }
    ldns::Packet followUp(ldns_pkt_query_new(targetName, static_cast<ldns_rr_type>(qtype),
                                             LDNS_RR_CLASS_IN, LDNS_RD));
    auto shared = std::make_shared<ldns::Packet>(std::move(response));
    resolveUpstream(
        followUp.get(), 0, [shared, limit, reply = std::move(reply)](std::optional<Wire> wire) {
            if (wire) {
                if (auto upstream = ldns::parse(wire->data(), wire->size())) {
                    const ldns_rr_list* records = ldns_pkt_answer(upstream.get());
                    for (std::size_t i = 0;
                         records != nullptr && i < ldns_rr_list_rr_count(records); ++i) {
                        ldns_pkt_push_rr(shared->get(), LDNS_SECTION_ANSWER,
                                         ldns_rr_clone(ldns_rr_list_rr(records, i)));
                    }
                }
            }
            reply(finish(shared->get(), limit));
        });
}

void DnsServer::Impl::resolveUpstream(const ldns_pkt* query, std::uint16_t id,
                                      std::function<void(std::optional<Wire>)> done) {
    const ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(query), 0);
    const std::string qname = ldns::questionName(query);
    const auto qtype = static_cast<std::uint16_t>(ldns_rr_get_type(q));
    const auto key = ResponseCache::keyOf(
        qname, qtype, static_cast<std::uint16_t>(ldns_rr_get_class(q)), ldns_pkt_edns_do(query));
    if (auto cached = m_cache.get(key, id)) {
        ++m_cacheHits;
        return done(std::move(cached));
    }
    if (m_upstreams.empty() || m_pendingForwards >= m_options.maxPendingForwards) {
        ++m_upstreamFailures;
        return done(std::nullopt);
    }
    // Our own ID toward the upstream: the asker's could be guessed or collide.
    ldns::Packet request(ldns_pkt_clone(query));
    const auto upstreamId = static_cast<std::uint16_t>(m_random() & 0xffff);
    ldns_pkt_set_id(request.get(), upstreamId);
    ldns_pkt_set_rd(request.get(), true);
    auto wire = ldns::wireOf(request.get());
    if (!wire) {
        return done(std::nullopt);
    }
    auto forward = std::make_shared<Forward>(m_io, std::move(*wire), qname, qtype);
    forward->id = upstreamId;
    ++m_pendingForwards;
    ++m_forwarded;
    forward->complete = [this, key, id, done = std::move(done)](std::optional<Wire> answer) {
        --m_pendingForwards;
        if (!answer) {
            ++m_upstreamFailures;
            return done(std::nullopt);
        }
        m_cache.put(key, *answer);
        auto packet = ldns::parse(answer->data(), answer->size());
        if (!packet) {
            return done(std::nullopt);
        }
        ldns_pkt_set_id(packet.get(), id);
        done(ldns::wireOf(packet.get()));
    };
    tryUpstream(forward);
}

void DnsServer::Impl::tryUpstream(const std::shared_ptr<Forward>& forward) {
    if (forward->done) {
        return;
    }
    if (forward->next >= m_upstreams.size()) {
        forward->done = true;
        return forward->complete(std::nullopt);
    }
    const auto upstream = m_upstreams[forward->next++];
    boost::system::error_code error;
    if (forward->socket.is_open()) {
        forward->socket.close(error);
    }
    if (forward->tcpSocket) {
        forward->tcpSocket->close(error);
        forward->tcpSocket.reset();
    }
    forward->socket.open(upstream.protocol(), error);
    if (error) {
        return tryUpstream(forward);
    }
    forward->socket.send_to(asio::buffer(forward->wire), upstream, 0, error);
    if (error) {
        return tryUpstream(forward);
    }
    forward->timer.expires_after(m_options.upstreamTimeout);
    forward->timer.async_wait([this, forward](const boost::system::error_code& ec) {
        if (!ec && !forward->done) {
            tryUpstream(forward);  // timed out: the next upstream
        }
    });
    receiveUpstream(forward, upstream, forward->next);
}

void DnsServer::Impl::receiveUpstream(const std::shared_ptr<Forward>& forward,
                                      const udp::endpoint& upstream, std::size_t generation) {
    forward->socket.async_receive_from(
        asio::buffer(forward->buffer), forward->sender,
        [this, forward, upstream, generation](const boost::system::error_code& ec,
                                              std::size_t size) {
            if (ec || forward->done || generation != forward->next) {
                return;  // this socket was replaced (a timeout) or closed
            }
            auto packet = ldns::parse(forward->buffer.data(), size);
            // Only the upstream's answer to our question counts (RFC 5452).
            if (!packet || forward->sender != upstream || !answers(*forward, packet.get())) {
                return receiveUpstream(forward, upstream, generation);
            }
            if (ldns_pkt_tc(packet.get())) {
                return askOverTcp(forward, upstream, generation);
            }
            forward->done = true;
            forward->timer.cancel();
            boost::system::error_code ignored;
            forward->socket.close(ignored);
            forward->complete(Wire(forward->buffer.begin(),
                                   forward->buffer.begin() + static_cast<std::ptrdiff_t>(size)));
        });
}

bool DnsServer::Impl::answers(const Forward& forward, const ldns_pkt* packet) {
    const ldns_rr_list* question = ldns_pkt_question(packet);
    return ldns_pkt_qr(packet) && ldns_pkt_id(packet) == forward.id && question != nullptr &&
           ldns_rr_list_rr_count(question) == 1 && ldns::questionName(packet) == forward.qname &&
           static_cast<std::uint16_t>(ldns_rr_get_type(ldns_rr_list_rr(question, 0))) ==
               forward.qtype;
}

void DnsServer::Impl::askOverTcp(const std::shared_ptr<Forward>& forward,
                                 const udp::endpoint& upstream, std::size_t generation) {
    boost::system::error_code ignored;
    forward->socket.close(ignored);
    forward->tcpSocket.emplace(m_io);
    // One more upstreamTimeout for connect, write and read together.
    forward->timer.expires_after(m_options.upstreamTimeout);
    forward->timer.async_wait([this, forward, generation](const boost::system::error_code& ec) {
        if (!ec && !forward->done && generation == forward->next) {
            tryUpstream(forward);
        }
    });
    auto stale = [forward, generation] { return forward->done || generation != forward->next; };
    auto fail = [this, forward, stale] {
        if (!stale()) {
            tryUpstream(forward);
        }
    };
    forward->tcpBuffer.clear();
    forward->tcpBuffer.push_back(static_cast<std::uint8_t>(forward->wire.size() >> 8));
    forward->tcpBuffer.push_back(static_cast<std::uint8_t>(forward->wire.size() & 0xff));
    forward->tcpBuffer.insert(forward->tcpBuffer.end(), forward->wire.begin(), forward->wire.end());
    forward->tcpSocket->async_connect(
        tcp::endpoint(upstream.address(), upstream.port()),
        [forward, stale, fail](const boost::system::error_code& ec) {
            if (stale()) {
                return;
            }
            if (ec) {
                return fail();
            }
            asio::async_write(
                *forward->tcpSocket, asio::buffer(forward->tcpBuffer),
                [forward, stale, fail](const boost::system::error_code& writeError, std::size_t) {
                    if (stale()) {
                        return;
                    }
                    if (writeError) {
                        return fail();
                    }
                    asio::async_read(
                        *forward->tcpSocket, asio::buffer(forward->tcpLength),
                        [forward, stale, fail](const boost::system::error_code& readError,
                                               std::size_t) {
                            if (stale()) {
                                return;
                            }
                            const std::size_t size =
                                (std::size_t{forward->tcpLength[0]} << 8) | forward->tcpLength[1];
                            if (readError || size == 0) {
                                return fail();
                            }
                            forward->tcpBuffer.assign(size, 0);
                            asio::async_read(
                                *forward->tcpSocket, asio::buffer(forward->tcpBuffer),
                                [forward, stale, fail](const boost::system::error_code& bodyError,
                                                       std::size_t) {
                                    if (stale()) {
                                        return;
                                    }
                                    auto packet = bodyError
                                                      ? nullptr
                                                      : ldns::parse(forward->tcpBuffer.data(),
                                                                    forward->tcpBuffer.size());
                                    if (!packet || !answers(*forward, packet.get())) {
                                        return fail();
                                    }
                                    forward->done = true;
                                    forward->timer.cancel();
                                    boost::system::error_code closeError;
                                    forward->tcpSocket->close(closeError);
                                    forward->complete(std::move(forward->tcpBuffer));
                                });
                        });
                });
        });
}

DnsServer::DnsServer(const ClusterRecords* records, DnsServerOptions options)
    : m_impl(std::make_unique<Impl>(records, std::move(options))) {}

DnsServer::~DnsServer() = default;

core::Result<void> DnsServer::start() {
    return m_impl->start();
}

void DnsServer::stop() {
    m_impl->stop();
}

std::vector<HostPort> DnsServer::localAddresses() const {
    return m_impl->localAddresses();
}

DnsServerStats DnsServer::stats() const {
    return m_impl->stats();
}

const DnsServerOptions& DnsServer::options() const {
    return m_impl->options();
}

}  // namespace slipway::dns
