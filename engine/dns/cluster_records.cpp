// SPDX-License-Identifier: Apache-2.0
#include "engine/dns/cluster_records.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <arpa/inet.h>

namespace slipway::dns {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

/// Lower case and absolute: "Web.Default.svc.cluster.local" → "web.default.svc.cluster.local.".
std::string normalized(std::string_view name) {
    std::string out = lower(name);
    if (out.empty() || out.back() != '.') {
        out.push_back('.');
    }
    return out;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find(separator, start);
        if (end == std::string_view::npos) {
            parts.emplace_back(text.substr(start));
            break;
        }
        parts.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) {
        return {};
    }
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

/// object[pointer] when present, else `fallback`. nlohmann's value(pointer, …) throws and
/// catches internally for a missing path, which is every query's common case here.
json valueAt(const json& object, const json::json_pointer& pointer, json fallback) {
    return object.contains(pointer) ? object.at(pointer) : std::move(fallback);
}

bool isIpv4(const std::string& address) {
    in_addr parsed{};
    return inet_pton(AF_INET, address.c_str(), &parsed) == 1;
}

bool isIpv6(const std::string& address) {
    in6_addr parsed{};
    return inet_pton(AF_INET6, address.c_str(), &parsed) == 1;
}

/// The family a record type asks for: A → IPv4, AAAA → IPv6.
bool familyMatches(const std::string& address, std::uint16_t type) {
    return (type == rrtype::kA && isIpv4(address)) || (type == rrtype::kAaaa && isIpv6(address)) ||
           (type == rrtype::kAny && (isIpv4(address) || isIpv6(address)));
}

std::uint16_t addressType(const std::string& address) {
    return isIpv4(address) ? rrtype::kA : rrtype::kAaaa;
}

/// An endpoint's DNS label: its hostname, or its address with dashes ("10-244-0-5"), as
/// CoreDNS names endpoints without a hostname.
std::string endpointLabel(const std::string& hostname, const std::string& address) {
    if (!hostname.empty()) {
        return lower(hostname);
    }
    std::string label = address;
    std::replace(label.begin(), label.end(), '.', '-');
    std::replace(label.begin(), label.end(), ':', '-');
    return label;
}

struct SlicePort {
    std::string name;
    std::string protocol;  ///< lower case
    std::int64_t port = 0;
};

struct Endpoint {
    std::string address;
    std::string label;
    bool ready = true;
};

struct Slice {
    std::vector<SlicePort> ports;
    std::vector<Endpoint> endpoints;
};

std::vector<Slice> slicesOf(const client::Lister& lister, const std::string& nameSpace,
                            const std::string& service, bool includeNotReady) {
    std::vector<Slice> slices;
    for (const auto& object :
         lister.byIndex(ClusterRecords::kSlicesByService, nameSpace + "/" + service)) {
        Slice slice;
        for (const auto& port : object->value("ports", json::array())) {
            SlicePort entry;
            entry.name = port.value("name", std::string());
            entry.protocol = lower(port.value("protocol", std::string("TCP")));
            entry.port = port.value("port", std::int64_t{0});
            slice.ports.push_back(std::move(entry));
        }
        for (const auto& endpoint : object->value("endpoints", json::array())) {
            const json conditions = endpoint.value("conditions", json::object());
            // A missing ready condition means ready (discovery/v1).
            const bool ready = !conditions.contains("ready") || conditions["ready"].is_null() ||
                               conditions["ready"] == true;
            if (!ready && !includeNotReady) {
                continue;
            }
            const std::string hostname = endpoint.value("hostname", std::string());
            for (const auto& address : endpoint.value("addresses", json::array())) {
                if (!address.is_string()) {
                    continue;
                }
                const auto text = address.get<std::string>();
                slice.endpoints.push_back({text, endpointLabel(hostname, text), ready});
            }
        }
        slices.push_back(std::move(slice));
    }
    return slices;
}

std::vector<std::string> clusterIpsOf(const json& service) {
    std::vector<std::string> ips;
    for (const auto& ip : valueAt(service, "/spec/clusterIPs"_json_pointer, json::array())) {
        if (ip.is_string() && ip != "None" && !ip.get<std::string>().empty()) {
            ips.push_back(ip.get<std::string>());
        }
    }
    const auto single = stringAt(service, "/spec/clusterIP"_json_pointer);
    if (ips.empty() && !single.empty() && single != "None") {
        ips.push_back(single);
    }
    return ips;
}

bool isHeadless(const json& service) {
    return stringAt(service, "/spec/clusterIP"_json_pointer) == "None";
}

/// SRV weights as CoreDNS gives them: the records of one priority share 100.
std::uint32_t srvWeight(std::size_t count) {
    return count == 0 ? 100 : static_cast<std::uint32_t>(100 / count);
}

/// "4.3.2.1.in-addr.arpa." → "1.2.3.4"; the nibbles of ip6.arpa → an IPv6 address; else "".
std::string addressOfReverse(const std::string& name) {
    if (endsWith(name, ".in-addr.arpa.")) {
        auto labels =
            split(name.substr(0, name.size() - std::string(".in-addr.arpa.").size()), '.');
        if (labels.size() != 4) {
            return {};
        }
        std::string address = labels[3] + "." + labels[2] + "." + labels[1] + "." + labels[0];
        return isIpv4(address) ? address : std::string();
    }
    if (endsWith(name, ".ip6.arpa.")) {
        auto labels = split(name.substr(0, name.size() - std::string(".ip6.arpa.").size()), '.');
        if (labels.size() != 32) {
            return {};
        }
        std::string hex;
        for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
            if (it->size() != 1) {
                return {};
            }
            hex += *it;
            if (hex.size() % 5 == 4 && std::distance(labels.rbegin(), it) < 31) {
                hex += ':';
            }
        }
        in6_addr parsed{};
        if (inet_pton(AF_INET6, hex.c_str(), &parsed) != 1) {
            return {};
        }
        char text[INET6_ADDRSTRLEN] = {};
        inet_ntop(AF_INET6, &parsed, text, sizeof text);
        return text;
    }
    return {};
}

/// The canonical text of an IPv6 address, so that index keys and names agree.
std::string canonical(const std::string& address) {
    in6_addr parsed{};
    if (inet_pton(AF_INET6, address.c_str(), &parsed) != 1) {
        return address;
    }
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &parsed, text, sizeof text);
    return text;
}

}  // namespace

void ClusterRecords::addIndexes(client::Informer& services, client::Informer& endpointSlices,
                                client::Informer& pods) {
    endpointSlices.addIndex(kSlicesByService, [](const json& slice) {
        const auto service =
            stringAt(slice, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
        if (service.empty()) {
            return std::vector<std::string>{};
        }
        return std::vector<std::string>{stringAt(slice, "/metadata/namespace"_json_pointer) + "/" +
                                        service};
    });
    endpointSlices.addIndex(kSlicesByAddress, [](const json& slice) {
        std::set<std::string> addresses;
        for (const auto& endpoint : slice.value("endpoints", json::array())) {
            for (const auto& address : endpoint.value("addresses", json::array())) {
                if (address.is_string()) {
                    addresses.insert(canonical(address.get<std::string>()));
                }
            }
        }
        return std::vector<std::string>(addresses.begin(), addresses.end());
    });
    services.addIndex(kServicesByClusterIp, [](const json& service) {
        auto ips = clusterIpsOf(service);
        for (auto& ip : ips) {
            ip = canonical(ip);
        }
        return ips;
    });
    pods.addIndex(kPodsByIp, [](const json& pod) {
        std::set<std::string> ips;
        for (const auto& entry : valueAt(pod, "/status/podIPs"_json_pointer, json::array())) {
            const auto ip = entry.value("ip", std::string());
            if (!ip.empty()) {
                ips.insert(canonical(ip));
            }
        }
        const auto ip = stringAt(pod, "/status/podIP"_json_pointer);
        if (!ip.empty()) {
            ips.insert(canonical(ip));
        }
        return std::vector<std::string>(ips.begin(), ips.end());
    });
}

json ClusterRecords::podTransform(json pod) {
    json metadata = json::object();
    for (const char* key : {"name", "namespace", "resourceVersion", "uid"}) {
        if (pod.contains("metadata") && pod["metadata"].contains(key)) {
            metadata[key] = pod["metadata"][key];
        }
    }
    json status = json::object();
    for (const char* key : {"podIP", "podIPs"}) {
        if (pod.contains("status") && pod["status"].contains(key)) {
            status[key] = pod["status"][key];
        }
    }
    return {{"metadata", std::move(metadata)}, {"status", std::move(status)}};
}

ClusterRecords::ClusterRecords(ClusterSources sources, ClusterRecordsOptions options)
    : m_sources(std::move(sources)),
      m_options(std::move(options)),
      m_zone(normalized(m_options.domain)) {}

Record ClusterRecords::soa() const {
    // CoreDNS's SOA: ns.dns.<zone>, hostmaster.<zone>, refresh 2 h, retry 30 min, expire 1 d,
    // minimum = the records' TTL (so negative answers are cached as long as positive ones).
    static const auto serial =
        static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    return {m_zone, rrtype::kSoa, m_options.ttl,
            "ns.dns." + m_zone + " hostmaster." + m_zone + " " + std::to_string(serial) +
                " 7200 1800 86400 " + std::to_string(m_options.ttl)};
}

ClusterAnswer ClusterRecords::negative(Rcode rcode) const {
    ClusterAnswer answer;
    answer.rcode = rcode;
    answer.authority.push_back(soa());
    return answer;
}

std::optional<ClusterAnswer> ClusterRecords::lookup(std::string_view name,
                                                    std::uint16_t type) const {
    const std::string fqdn = normalized(name);
    if (endsWith(fqdn, ".in-addr.arpa.") || endsWith(fqdn, ".ip6.arpa.")) {
        return lookupReverse(fqdn, type);
    }
    if (fqdn == m_zone) {
        ClusterAnswer answer;
        if (type == rrtype::kSoa || type == rrtype::kAny) {
            answer.answer.push_back(soa());
        }
        if (type == rrtype::kNs || type == rrtype::kAny) {
            answer.answer.push_back({m_zone, rrtype::kNs, m_options.ttl, "ns.dns." + m_zone});
        }
        if (answer.answer.empty()) {
            answer.authority.push_back(soa());
        }
        return answer;
    }
    if (!endsWith(fqdn, "." + m_zone)) {
        return std::nullopt;
    }
    auto labels = split(fqdn.substr(0, fqdn.size() - m_zone.size() - 1), '.');
    if (labels.empty() || std::any_of(labels.begin(), labels.end(),
                                      [](const std::string& label) { return label.empty(); })) {
        return negative(Rcode::NxDomain);
    }
    const std::string kind = labels.back();
    labels.pop_back();
    if (kind == "svc") {
        return lookupService(labels, type);
    }
    if (kind == "pod") {
        return lookupPod(labels, type);
    }
    return negative(Rcode::NxDomain);
}

ClusterAnswer ClusterRecords::lookupService(const std::vector<std::string>& labels,
                                            std::uint16_t type) const {
    const std::string qname = [&] {
        std::string joined;
        for (const auto& label : labels) {
            joined += label + ".";
        }
        return joined + "svc." + m_zone;
    }();
    if (labels.empty()) {
        return negative(Rcode::NoError);  // svc.<zone> itself: an empty non-terminal
    }
    const std::string& nameSpace = labels.back();
    if (labels.size() == 1) {
        // <ns>.svc.<zone> exists (without records) when the namespace has Services.
        return negative(m_sources.services.list(nameSpace).empty() ? Rcode::NxDomain
                                                                   : Rcode::NoError);
    }
    if (labels.size() > 4) {
        return negative(Rcode::NxDomain);
    }
    const std::string& serviceName = labels[labels.size() - 2];
    const auto service = m_sources.services.get(nameSpace, serviceName);
    if (!service) {
        return negative(Rcode::NxDomain);
    }
    const std::string serviceFqdn = serviceName + "." + nameSpace + ".svc." + m_zone;
    const bool headless = isHeadless(*service);
    const bool publishNotReady =
        valueAt(*service, "/spec/publishNotReadyAddresses"_json_pointer, false) == true;

    ClusterAnswer answer;
    auto addAddress = [&](std::vector<Record>& section, const std::string& owner,
                          const std::string& address) {
        Record record{owner, addressType(address), m_options.ttl, address};
        if (std::find(section.begin(), section.end(), record) == section.end()) {
            section.push_back(std::move(record));
        }
    };

    if (stringAt(*service, "/spec/type"_json_pointer) == "ExternalName") {
        if (labels.size() != 2) {
            return negative(Rcode::NxDomain);
        }
        const auto target = stringAt(*service, "/spec/externalName"_json_pointer);
        if (target.empty()) {
            return negative(Rcode::NoError);
        }
        answer.answer.push_back({qname, rrtype::kCname, m_options.ttl, normalized(target)});
        return answer;
    }

    if (labels.size() == 2) {
        if (!headless) {
            for (const auto& ip : clusterIpsOf(*service)) {
                if (familyMatches(ip, type)) {
                    addAddress(answer.answer, qname, ip);
                }
            }
            if (type == rrtype::kSrv) {
                const auto ports = valueAt(*service, "/spec/ports"_json_pointer, json::array());
                for (const auto& port : ports) {
                    answer.answer.push_back({qname, rrtype::kSrv, m_options.ttl,
                                             "0 " + std::to_string(srvWeight(ports.size())) + " " +
                                                 std::to_string(port.value("port", 0)) + " " +
                                                 serviceFqdn});
                }
                for (const auto& ip : clusterIpsOf(*service)) {
                    addAddress(answer.additional, serviceFqdn, ip);
                }
            }
            if (answer.answer.empty()) {
                answer.authority.push_back(soa());
            }
            return answer;
        }
        const auto slices =
            slicesOf(m_sources.endpointSlices, nameSpace, serviceName, publishNotReady);
        std::size_t endpoints = 0;
        std::size_t srvCount = 0;
        for (const auto& slice : slices) {
            endpoints += slice.endpoints.size();
            srvCount += slice.endpoints.size() * slice.ports.size();
        }
        if (endpoints == 0) {
            // CoreDNS: a headless Service without ready endpoints has no records at all.
            return negative(Rcode::NxDomain);
        }
        for (const auto& slice : slices) {
            for (const auto& endpoint : slice.endpoints) {
                if (familyMatches(endpoint.address, type)) {
                    addAddress(answer.answer, qname, endpoint.address);
                }
                if (type == rrtype::kSrv) {
                    const auto target = endpoint.label + "." + serviceFqdn;
                    for (const auto& port : slice.ports) {
                        answer.answer.push_back({qname, rrtype::kSrv, m_options.ttl,
                                                 "0 " + std::to_string(srvWeight(srvCount)) + " " +
                                                     std::to_string(port.port) + " " + target});
                    }
                    addAddress(answer.additional, target, endpoint.address);
                }
            }
        }
        if (answer.answer.empty()) {
            answer.authority.push_back(soa());
        }
        return answer;
    }

    const auto slices = slicesOf(m_sources.endpointSlices, nameSpace, serviceName, publishNotReady);
    if (labels.size() == 3) {
        const std::string& label = labels[0];
        if (!label.empty() && label[0] == '_') {
            // _<proto>.<svc>: exists (empty) when some port has that protocol.
            return negative(Rcode::NoError);
        }
        bool found = false;
        for (const auto& slice : slices) {
            for (const auto& endpoint : slice.endpoints) {
                if (endpoint.label != label) {
                    continue;
                }
                found = true;
                if (familyMatches(endpoint.address, type)) {
                    addAddress(answer.answer, qname, endpoint.address);
                }
            }
        }
        if (!found) {
            return negative(Rcode::NxDomain);
        }
        if (answer.answer.empty()) {
            answer.authority.push_back(soa());
        }
        return answer;
    }

    // _<port>._<proto>.<svc>.<ns>.svc.<zone>
    const std::string& portLabel = labels[0];
    const std::string& protoLabel = labels[1];
    if (portLabel.size() < 2 || protoLabel.size() < 2 || portLabel[0] != '_' ||
        protoLabel[0] != '_') {
        return negative(Rcode::NxDomain);
    }
    const std::string portName = portLabel.substr(1);
    const std::string protocol = protoLabel.substr(1);
    std::vector<std::pair<std::string, std::pair<std::int64_t, std::string>>> targets;
    if (!headless) {
        for (const auto& port : valueAt(*service, "/spec/ports"_json_pointer, json::array())) {
            if (lower(port.value("name", std::string())) == portName &&
                lower(port.value("protocol", std::string("TCP"))) == protocol) {
                for (const auto& ip : clusterIpsOf(*service)) {
                    targets.push_back({serviceFqdn, {port.value("port", std::int64_t{0}), ip}});
                }
                if (clusterIpsOf(*service).empty()) {
                    targets.push_back({serviceFqdn, {port.value("port", std::int64_t{0}), ""}});
                }
            }
        }
    } else {
        for (const auto& slice : slices) {
            for (const auto& port : slice.ports) {
                if (lower(port.name) != portName || port.protocol != protocol) {
                    continue;
                }
                for (const auto& endpoint : slice.endpoints) {
                    targets.push_back(
                        {endpoint.label + "." + serviceFqdn, {port.port, endpoint.address}});
                }
            }
        }
    }
    if (targets.empty()) {
        return negative(Rcode::NxDomain);
    }
    if (type == rrtype::kSrv || type == rrtype::kAny) {
        std::vector<std::string> portAndTargets;  // "80 web.default.svc.cluster.local."
        for (const auto& [target, portAndAddress] : targets) {
            const auto data = std::to_string(portAndAddress.first) + " " + target;
            if (std::find(portAndTargets.begin(), portAndTargets.end(), data) ==
                portAndTargets.end()) {
                portAndTargets.push_back(data);
            }
            if (!portAndAddress.second.empty()) {
                addAddress(answer.additional, target, portAndAddress.second);
            }
        }
        const auto weight = std::to_string(srvWeight(portAndTargets.size()));
        for (const auto& data : portAndTargets) {
            answer.answer.push_back(
                {qname, rrtype::kSrv, m_options.ttl, "0 " + weight + " " + data});
        }
    }
    if (answer.answer.empty()) {
        answer.authority.push_back(soa());
    }
    return answer;
}

ClusterAnswer ClusterRecords::lookupPod(const std::vector<std::string>& labels,
                                        std::uint16_t type) const {
    if (labels.size() <= 1) {
        return negative(Rcode::NoError);  // pod.<zone> and <ns>.pod.<zone>: empty non-terminals
    }
    if (labels.size() != 2) {
        return negative(Rcode::NxDomain);
    }
    const std::string& nameSpace = labels[1];
    std::string address = labels[0];
    if (address.find('-') == std::string::npos) {
        return negative(Rcode::NxDomain);
    }
    std::string v4 = address;
    std::replace(v4.begin(), v4.end(), '-', '.');
    std::string v6 = address;
    std::replace(v6.begin(), v6.end(), '-', ':');
    if (isIpv4(v4)) {
        address = v4;
    } else if (isIpv6(v6)) {
        address = canonical(v6);
    } else {
        return negative(Rcode::NxDomain);
    }
    if (m_options.verifiedPods) {
        const auto pods = m_sources.pods.byIndex(kPodsByIp, address);
        const bool inNamespace = std::any_of(pods.begin(), pods.end(), [&](const auto& pod) {
            return stringAt(*pod, "/metadata/namespace"_json_pointer) == nameSpace;
        });
        if (!inNamespace) {
            return negative(Rcode::NxDomain);
        }
    }
    ClusterAnswer answer;
    if (familyMatches(address, type)) {
        answer.answer.push_back({labels[0] + "." + nameSpace + ".pod." + m_zone,
                                 addressType(address), m_options.ttl, address});
    } else {
        answer.authority.push_back(soa());
    }
    return answer;
}

std::optional<ClusterAnswer> ClusterRecords::lookupReverse(const std::string& name,
                                                           std::uint16_t type) const {
    const auto address = addressOfReverse(name);
    if (address.empty()) {
        return std::nullopt;
    }
    std::vector<std::string> targets;
    for (const auto& service : m_sources.services.byIndex(kServicesByClusterIp, address)) {
        targets.push_back(stringAt(*service, "/metadata/name"_json_pointer) + "." +
                          stringAt(*service, "/metadata/namespace"_json_pointer) + ".svc." +
                          m_zone);
    }
    for (const auto& slice : m_sources.endpointSlices.byIndex(kSlicesByAddress, address)) {
        const auto service =
            stringAt(*slice, "/metadata/labels/kubernetes.io~1service-name"_json_pointer);
        if (service.empty()) {
            continue;
        }
        for (const auto& endpoint : slice->value("endpoints", json::array())) {
            for (const auto& entry : endpoint.value("addresses", json::array())) {
                if (entry.is_string() && canonical(entry.get<std::string>()) == address) {
                    targets.push_back(
                        endpointLabel(endpoint.value("hostname", std::string()), address) + "." +
                        service + "." + stringAt(*slice, "/metadata/namespace"_json_pointer) +
                        ".svc." + m_zone);
                }
            }
        }
    }
    if (targets.empty()) {
        return std::nullopt;  // not the cluster's: the upstream may know it
    }
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    ClusterAnswer answer;
    if (type == rrtype::kPtr || type == rrtype::kAny) {
        for (const auto& target : targets) {
            answer.answer.push_back({name, rrtype::kPtr, m_options.ttl, target});
        }
    } else {
        answer.authority.push_back(soa());
    }
    return answer;
}

}  // namespace slipway::dns
