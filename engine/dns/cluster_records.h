// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client/informer.h"
#include "engine/client/lister.h"

namespace slipway::dns {

/// Record types this component answers or forwards, as their DNS numbers (RFC 1035, 2782,
/// 3596), so that callers need not include ldns.
namespace rrtype {
constexpr std::uint16_t kA = 1;
constexpr std::uint16_t kNs = 2;
constexpr std::uint16_t kCname = 5;
constexpr std::uint16_t kSoa = 6;
constexpr std::uint16_t kPtr = 12;
constexpr std::uint16_t kTxt = 16;
constexpr std::uint16_t kAaaa = 28;
constexpr std::uint16_t kSrv = 33;
constexpr std::uint16_t kAny = 255;
}  // namespace rrtype

/// One resource record in presentation form: owner "web.default.svc.cluster.local." (absolute,
/// lower case), class IN, rdata as a zone file spells it ("10.96.0.1",
/// "0 100 80 web.default.svc.cluster.local.").
struct Record {
    std::string name;
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::string data;

    friend bool operator==(const Record&, const Record&) = default;
};

/// The response code of an answer (RFC 1035 §4.1.1).
enum class Rcode : std::uint8_t {
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    Refused = 5
};

/// What the cluster zone says about one question. NODATA is NoError with an empty answer; both
/// negative answers carry the zone's SOA in the authority section (RFC 2308), whose minimum is
/// the TTL, so that resolvers cache a missing Service for as long as a present one.
struct ClusterAnswer {
    Rcode rcode = Rcode::NoError;
    std::vector<Record> answer;
    std::vector<Record> authority;
    std::vector<Record> additional;
};

/// Options of the cluster zone.
struct ClusterRecordsOptions {
    /// The cluster domain (kubelet's clusterDomain).
    std::string domain = "cluster.local";
    /// TTL of every record: CoreDNS's kubernetes plugin defaults to 5 s.
    std::uint32_t ttl = 5;
    /// `a-b-c-d.<ns>.pod.<domain>` answers only when a pod of that namespace has that IP
    /// (CoreDNS's `pods verified`); false answers any well-formed name (`pods insecure`).
    bool verifiedPods = true;
};

/// The caches the records are read from: informers of Services, EndpointSlices and Pods, each
/// with the indexes addIndexes() adds.
struct ClusterSources {
    client::Lister services;
    client::Lister endpointSlices;
    client::Lister pods;
};

/// The Kubernetes DNS-based service discovery specification, as CoreDNS's kubernetes plugin
/// serves it, read from informer caches:
///   - `<svc>.<ns>.svc.<domain>` A/AAAA: the ClusterIPs; for a headless Service the addresses of
///     its ready endpoints (every endpoint with publishNotReadyAddresses); SRV: one record per
///     port, targets the Service (headless: each endpoint's name).
///   - `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV for a named port.
///   - `<hostname>.<svc>.<ns>.svc.<domain>`: an endpoint by its hostname, or by its address
///     with dashes (`10-244-0-5`).
///   - ExternalName Services: a CNAME to spec.externalName.
///   - `a-b-c-d.<ns>.pod.<domain>` A: the pod IP.
///   - PTR of a Service's ClusterIP and of an endpoint address.
/// A name of the zone that does not exist is NXDOMAIN; a name that exists without records of
/// the asked type is NODATA. Thread-safe (the listers are).
class ClusterRecords {
public:
    /// Index names the informers must carry (addIndexes adds them).
    static constexpr const char* kSlicesByService = "dns-service";  ///< "<ns>/<service>"
    static constexpr const char* kSlicesByAddress = "dns-address";  ///< an endpoint's address
    static constexpr const char* kServicesByClusterIp = "dns-cluster-ip";
    static constexpr const char* kPodsByIp = "dns-pod-ip";

    /// Adds the indexes this class reads to the three informers (before they start).
    static void addIndexes(client::Informer& services, client::Informer& endpointSlices,
                           client::Informer& pods);
    /// Keeps only what DNS reads of a pod (name, namespace, resourceVersion, pod IPs), so that
    /// the pod cache of a large cluster stays small.
    static nlohmann::json podTransform(nlohmann::json pod);

    ClusterRecords(ClusterSources sources, ClusterRecordsOptions options = {});

    const ClusterRecordsOptions& options() const { return m_options; }

    /// The answer for `name` (absolute or not, any case) and `type`, or nullopt when the name
    /// is not the cluster's: outside the domain, or a reverse name of an address the cluster
    /// does not know (both are forwarded upstream).
    std::optional<ClusterAnswer> lookup(std::string_view name, std::uint16_t type) const;

    /// The zone's SOA record.
    Record soa() const;

private:
    std::optional<ClusterAnswer> lookupReverse(const std::string& name, std::uint16_t type) const;
    ClusterAnswer lookupService(const std::vector<std::string>& labels, std::uint16_t type) const;
    ClusterAnswer lookupPod(const std::vector<std::string>& labels, std::uint16_t type) const;
    ClusterAnswer negative(Rcode rcode) const;

    ClusterSources m_sources;
    ClusterRecordsOptions m_options;
    std::string m_zone;  ///< "cluster.local." lower case
};

}  // namespace slipway::dns
