// SPDX-License-Identifier: Apache-2.0
#include "engine/proxy/service_proxy.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "engine/agent/network/nftables.h"
#include "engine/client/resource_ref.h"
#include "engine/proxy/userspace_proxy.h"

namespace slipway::proxy {

using nlohmann::json;

namespace {

constexpr const char* kServiceIndex = "service";
constexpr const char* kServiceNameLabel = "kubernetes.io/service-name";

client::ResourceRef endpointSlices() {
    return {"discovery.k8s.io", "v1", "endpointslices"};
}

std::string keyOf(const json& object) {
    const json& metadata = object.contains("metadata") ? object["metadata"] : json::object();
    return metadata.value("namespace", std::string()) + "/" + metadata.value("name", std::string());
}

/// The Service an EndpointSlice belongs to: "ns/name", or "" without the label.
std::string serviceOfSlice(const json& slice) {
    const json& metadata = slice.contains("metadata") ? slice["metadata"] : json::object();
    const std::string name = metadata.contains("labels") && metadata["labels"].is_object()
                                 ? metadata["labels"].value(kServiceNameLabel, std::string())
                                 : std::string();
    return name.empty() ? std::string() : metadata.value("namespace", std::string()) + "/" + name;
}

/// Enters the network namespace at `path` on this thread.
core::Result<void> enterNetworkNamespace(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return core::Error(core::ErrorCode::Io, "opening " + path + ": " + std::strerror(errno));
    }
    const int entered = ::setns(fd, CLONE_NEWNET);
    const int error = errno;
    ::close(fd);
    if (entered != 0) {
        return core::Error(core::ErrorCode::Io,
                           "entering network namespace " + path + ": " + std::strerror(error));
    }
    return {};
}

}  // namespace

core::Result<ProxyMode> parseProxyMode(const std::string& text) {
    if (text == "nftables") {
        return ProxyMode::Nftables;
    }
    if (text == "userspace") {
        return ProxyMode::Userspace;
    }
    if (text == "none") {
        return ProxyMode::None;
    }
    return core::Error(core::ErrorCode::BadRequest,
                       "--proxy-mode: \"" + text + "\" is not one of nftables, userspace, none");
}

ServiceProxy::ServiceProxy(const client::Client& client, ProxyOptions options)
    : m_client(client),
      m_options(std::move(options)),
      m_services(client, client::InformerOptions(client::ResourceRef("", "v1", "services"))),
      m_slices(client, client::InformerOptions(endpointSlices())),
      m_mode(m_options.mode) {
    m_slices.addIndex(kServiceIndex, [](const json& slice) {
        std::string service = serviceOfSlice(slice);
        return service.empty() ? std::vector<std::string>{} : std::vector<std::string>{service};
    });
    m_services.addEventHandler({
        [this](const client::ObjectPtr& object) { markDirty(keyOf(*object)); },
        [this](const client::ObjectPtr& before, const client::ObjectPtr& after) {
            if (*before != *after) {
                markDirty(keyOf(*after));
            }
        },
        [this](const client::ObjectPtr& object) { markDirty(keyOf(*object)); },
    });
    const auto sliceChanged = [this](const client::ObjectPtr& object) {
        if (std::string service = serviceOfSlice(*object); !service.empty()) {
            markDirty(service);
        }
    };
    m_slices.addEventHandler({
        sliceChanged,
        [this, sliceChanged](const client::ObjectPtr& before, const client::ObjectPtr& after) {
            if (*before != *after) {
                sliceChanged(before);
                sliceChanged(after);
            }
        },
        sliceChanged,
    });
}

ServiceProxy::~ServiceProxy() {
    stop();
}

void ServiceProxy::start() {
    if (m_options.mode == ProxyMode::None || m_worker.joinable()) {
        return;
    }
    m_services.start();
    m_slices.start();
    m_worker = std::thread([this] { run(); });
}

void ServiceProxy::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    m_services.stop();
    m_slices.stop();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_userspace.reset();
    m_nft.reset();
}

core::Result<void> ServiceProxy::cleanup(const ProxyOptions& options) {
    core::Result<void> outcome;
    std::thread worker([&] {
        if (!options.networkNamespace.empty()) {
            if (auto entered = enterNetworkNamespace(options.networkNamespace); !entered) {
                outcome = entered.error();
                return;
            }
        }
        auto nft = agent::network::Nftables::open();
        if (!nft) {
            outcome = nft.error();
            return;
        }
        const std::string table = "ip " + options.rules.table;
        outcome = (*nft)->run("add table " + table + "\ndelete table " + table + "\n");
    });
    worker.join();
    return outcome;
}

void ServiceProxy::markDirty(const std::string& serviceKey) {
    {
        std::lock_guard lock(m_mutex);
        m_dirty.insert(serviceKey);
    }
    m_changed.notify_all();
}

bool ServiceProxy::waitForSync(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_synced || m_stopping; }) && m_synced;
}

bool ServiceProxy::waitForIdle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] {
        return m_stopping || (m_synced && m_dirty.empty() && !m_allDirty && !m_busy && !m_needFull);
    }) && !m_stopping;
}

ProxyStats ServiceProxy::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

ProxyMode ServiceProxy::mode() const {
    std::lock_guard lock(m_mutex);
    return m_mode;
}

namespace {

std::set<std::string> readyEndpoints(const ServicePort& port) {
    std::set<std::string> ips;
    for (const auto& endpoint : port.endpoints) {
        if (endpoint.ready) {
            ips.insert(endpoint.ip);
        }
    }
    return ips;
}

}  // namespace

void ServiceProxy::noteStaleUdpFlows(const std::vector<ServicePort>& before,
                                     const std::vector<ServicePort>& after) {
    for (const auto& old : before) {
        if (old.protocol != "udp") {
            continue;
        }
        std::set<std::string> gone = readyEndpoints(old);
        for (const auto& now : after) {
            if (now.key() == old.key()) {
                for (const auto& ip : readyEndpoints(now)) {
                    gone.erase(ip);
                }
            }
        }
        for (const auto& ip : gone) {
            m_staleFlows.push_back({old.clusterIp, old.port, ip});
            for (const auto& external : old.externalIps) {
                m_staleFlows.push_back({external, old.port, ip});
            }
            if (old.nodePort != 0) {
                for (const auto& nodeIp : m_options.rules.nodeIps) {
                    m_staleFlows.push_back({nodeIp, old.nodePort, ip});
                }
            }
        }
    }
}

void ServiceProxy::clearStaleUdpFlows() {
    if (m_staleFlows.empty() || !m_nft) {
        m_staleFlows.clear();
        return;
    }
    auto deleted = deleteStaleUdpFlows(m_staleFlows);
    if (!deleted) {
        // Not fatal: the flows end once their clients pause for conntrack's UDP timeout.
        spdlog::warn("service proxy: {}", deleted.error().message());
    } else if (*deleted > 0) {
        spdlog::debug("service proxy: deleted {} UDP flow(s) to endpoints that are gone", *deleted);
    }
    m_staleFlows.clear();
}

void ServiceProxy::noteHealthCheck(const std::string& key, const json* service,
                                   const std::vector<ServicePort>& ports) {
    m_healthChecks.erase(key);
    if (service == nullptr) {
        return;
    }
    const json spec = service->value("spec", json::object());
    const int port = spec.value("healthCheckNodePort", 0);
    if (spec.value("type", "") != "LoadBalancer" ||
        spec.value("externalTrafficPolicy", "") != "Local" || port <= 0) {
        return;
    }
    std::set<std::string> local;
    for (const auto& servicePort : ports) {
        for (const auto& endpoint : servicePort.endpoints) {
            if (endpoint.local && endpoint.ready) {
                local.insert(endpoint.ip);
            }
        }
    }
    const auto slash = key.find('/');
    m_healthChecks[key] = {port, ServiceHealth{key.substr(0, slash), key.substr(slash + 1),
                                               static_cast<int>(local.size())}};
}

void ServiceProxy::recompute(const std::set<std::string>& dirty) {
    for (const auto& key : dirty) {
        std::vector<ServicePort> before;
        if (auto old = m_ports.find(key); old != m_ports.end()) {
            before = old->second;
            for (const auto& port : old->second) {
                if (auto rules = m_desired.find(port.key()); rules != m_desired.end()) {
                    for (const auto& [map, elements] : rules->second.elements) {
                        for (const auto& [element, verdict] : elements) {
                            if (auto claim = m_claims.find(map + " " + element);
                                claim != m_claims.end() && claim->second == port.key()) {
                                m_claims.erase(claim);
                            }
                        }
                    }
                    m_desired.erase(rules);
                }
            }
            m_ports.erase(old);
        }
        const auto slash = key.find('/');
        auto service = m_services.lister().get(key.substr(0, slash), key.substr(slash + 1));
        if (!service) {
            noteStaleUdpFlows(before, {});
            noteHealthCheck(key, nullptr, {});
            continue;
        }
        std::vector<json> slices;
        for (const auto& slice : m_slices.lister().byIndex(kServiceIndex, key)) {
            slices.push_back(*slice);
        }
        auto ports = servicePortsOf(*service, slices, m_options.nodeName);
        noteStaleUdpFlows(before, ports);
        noteHealthCheck(key, service.get(), ports);
        for (const auto& port : ports) {
            PortRules rules = portRules(m_options.rules, port);
            // Two Services may ask for the same external address and port (externalIPs, two
            // LoadBalancers on one node): the first keeps it, as one map key has one verdict.
            for (auto& [map, elements] : rules.elements) {
                for (auto it = elements.begin(); it != elements.end();) {
                    auto [claim, inserted] =
                        m_claims.try_emplace(map + " " + it->first, port.key());
                    if (!inserted && claim->second != port.key()) {
                        spdlog::warn("service proxy: {} {} is served for {}; not for {}", map,
                                     it->first, claim->second, port.key());
                        it = elements.erase(it);
                    } else {
                        ++it;
                    }
                }
            }
            m_desired[port.key()] = std::move(rules);
        }
        if (!ports.empty()) {
            m_ports[key] = std::move(ports);
        }
    }
}

core::Result<void> ServiceProxy::apply(bool full) {
    if (m_userspace) {
        std::vector<ServicePort> all;
        for (const auto& [key, ports] : m_ports) {
            all.insert(all.end(), ports.begin(), ports.end());
        }
        m_userspace->update(all);
        return {};
    }
    const std::string commands = full ? fullSync(m_options.rules, m_desired)
                                      : partialSync(m_options.rules, m_programmed, m_desired);
    if (!commands.empty()) {
        if (auto applied = m_nft->run(commands); !applied) {
            return applied;
        }
    }
    m_programmed = m_desired;
    return {};
}

void ServiceProxy::run() {
    if (!m_options.networkNamespace.empty()) {
        if (auto entered = enterNetworkNamespace(m_options.networkNamespace); !entered) {
            spdlog::error("service proxy: {}", entered.error().message());
            std::lock_guard lock(m_mutex);
            m_stats.lastError = entered.error().message();
            return;
        }
    }
    if (m_options.mode == ProxyMode::Nftables) {
        auto nft = agent::network::Nftables::open();
        if (nft) {
            m_nft = std::move(*nft);
        } else {
            spdlog::warn("service proxy: nftables unavailable ({}); using the userspace proxy",
                         nft.error().message());
        }
    }
    if (!m_nft) {
        if (m_options.mode != ProxyMode::Userspace) {
            spdlog::warn("service proxy: userspace mode serves node ports only (TCP)");
        }
        m_userspace = std::make_unique<UserspaceProxy>(m_options.rules.nodeIps);
        std::lock_guard lock(m_mutex);
        m_mode = ProxyMode::Userspace;
    }
    // In the proxy's network namespace, as this thread now is.
    m_health = std::make_unique<ServiceHealthServer>(m_options.rules.nodeIps);
    // The first sync waits for both caches, so it never programs a partial view.
    while (!m_services.waitForSync(std::chrono::milliseconds(100)) ||
           !m_slices.waitForSync(std::chrono::milliseconds(100))) {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return;
        }
    }
    auto lastSync = std::chrono::steady_clock::time_point{};
    auto lastFull = std::chrono::steady_clock::now();
    bool fallBackTried = false;
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        const auto pending = [this] {
            return m_stopping || !m_dirty.empty() || m_allDirty || m_needFull;
        };
        if (m_options.fullResyncInterval.count() > 0) {
            if (!m_changed.wait_until(lock, lastFull + m_options.fullResyncInterval, pending)) {
                m_needFull = true;  // nothing changed for a while: check the table anyway
            }
        } else {
            m_changed.wait(lock, pending);
        }
        if (m_stopping) {
            break;
        }
        // kube-proxy's min sync period: a burst of events becomes one transaction.
        const auto earliest = lastSync + m_options.minSyncInterval;
        if (m_changed.wait_until(lock, earliest, [this] { return m_stopping; })) {
            break;
        }
        std::set<std::string> dirty;
        dirty.swap(m_dirty);
        const bool all = m_allDirty;
        m_allDirty = false;
        const bool full = m_needFull;
        m_busy = true;
        lock.unlock();

        if (all) {
            for (const auto& service : m_services.lister().list()) {
                dirty.insert(keyOf(*service));
            }
            for (const auto& [key, ports] : m_ports) {
                dirty.insert(key);
            }
        }
        const auto started = std::chrono::steady_clock::now();
        recompute(dirty);
        std::map<int, ServiceHealth> healthChecks;
        for (const auto& [key, check] : m_healthChecks) {
            healthChecks.emplace(check.first, check.second);  // one Service per allocated port
        }
        m_health->update(healthChecks);
        auto applied = apply(full);
        const auto took = std::chrono::steady_clock::now() - started;
        lastSync = std::chrono::steady_clock::now();
        if (!applied) {
            spdlog::error("service proxy: sync failed: {}", applied.error().message());
        } else {
            // After the rules, as kube-proxy does: a new packet of such a flow now meets the
            // new rules and is translated to an endpoint that exists.
            clearStaleUdpFlows();
        }

        lock.lock();
        m_busy = false;
        m_stats.lastSyncDuration = std::chrono::duration_cast<std::chrono::microseconds>(took);
        m_stats.servicePorts = m_desired.size();
        if (applied) {
            ++m_stats.syncs;
            if (full) {
                ++m_stats.fullSyncs;
                lastFull = std::chrono::steady_clock::now();
            }
            m_needFull = false;
            m_synced = true;
            m_stats.lastError.clear();
        } else {
            ++m_stats.failures;
            m_stats.lastError = applied.error().message();
            m_needFull = true;
            if (!fallBackTried && m_stats.syncs == 0 && m_mode == ProxyMode::Nftables &&
                m_options.mode == ProxyMode::Nftables) {
                // The table could never be written (no nf_tables, no CAP_NET_ADMIN).
                fallBackTried = true;
                spdlog::warn("service proxy: nftables unusable; using the userspace proxy");
                m_userspace = std::make_unique<UserspaceProxy>(m_options.rules.nodeIps);
                m_mode = ProxyMode::Userspace;
                continue;
            }
            m_changed.wait_for(lock, m_options.retryInterval, [this] { return m_stopping; });
        }
        m_changed.notify_all();
    }
    lock.unlock();
    m_health.reset();  // health checks end with the proxy
}

}  // namespace slipway::proxy
