// SPDX-License-Identifier: Apache-2.0
#include "vm/load_balancer_tunnel.h"

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/client/https_client.h"
#include "engine/client/indexer.h"
#include "engine/client/informer.h"
#include "engine/client/resource_ref.h"
#include "engine/client/work_queue.h"
#include "engine/core/atomic_file.h"
#include "engine/core/file_lock.h"
#include "vm/client_config.h"
#include "vm/cluster_manager.h"
#include "vm/local_process_driver.h"

namespace slipway::vm {

using nlohmann::json;

namespace {

constexpr const char* kServicePrefix = "service/";
constexpr const char* kIngressPrefix = "ingress/";
/// The IngressClass slipwayd's ingress controller serves (engine/ingress kIngressClassName),
/// the cluster's default: Ingresses naming it or no class are the node's.
constexpr const char* kIngressClass = "slipway";
/// A failing sync is retried this often, then left to the next event.
constexpr int kMaxRetries = 5;

client::ResourceRef ingresses() {
    return {"networking.k8s.io", "v1", "ingresses"};
}

/// The TCP ports of a LoadBalancer Service that have a node port, as the tunnel forwards them
/// (hostPort not chosen yet).
std::vector<TunnelPort> wantedPorts(const json& service) {
    std::vector<TunnelPort> ports;
    for (const auto& port : service.value("/spec/ports"_json_pointer, json::array())) {
        const int nodePort = port.value("nodePort", 0);
        if (port.value("protocol", "TCP") != "TCP" || nodePort <= 0 || nodePort > 65535) {
            continue;  // QEMU's hostfwd is TCP here; a port without a node port has no way in
        }
        ports.push_back({port.value("name", ""),
                         port.value("port", 0),
                         0,
                         static_cast<std::uint16_t>(nodePort),
                         {}});
    }
    return ports;
}

bool samePorts(const std::vector<TunnelPort>& held, const std::vector<TunnelPort>& wanted) {
    if (held.size() != wanted.size()) {
        return false;
    }
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (held[i].name != wanted[i].name || held[i].port != wanted[i].port ||
            held[i].nodePort != wanted[i].nodePort) {
            return false;
        }
    }
    return true;
}

client::WorkQueueOptions queueOptions() {
    client::WorkQueueOptions options;
    options.name = "load-balancer-tunnel";
    return options;
}

bool isLoadBalancer(const json& service) {
    const json spec = service.value("spec", json::object());
    return spec.value("type", std::string()) == "LoadBalancer" &&
           spec.value("loadBalancerClass", std::string()).empty();
}

}  // namespace

struct LoadBalancerTunnel::Impl {
    std::unique_ptr<client::Client> ownedClient;
    const client::Client* client = nullptr;
    HostForwarder forwarder;
    EventHandler onEvent;
    LoadBalancerTunnelOptions options;

    std::unique_ptr<client::Informer> services;
    std::unique_ptr<client::Informer> ingressInformer;
    client::WorkQueue queue{queueOptions()};
    std::thread worker;
    bool started = false;
    bool stopped = false;
    /// Held while the tunnel runs: one tunnel per cluster.
    std::optional<core::FileLock> tunnelLock;

    mutable std::mutex mutex;
    /// Exposed Services by "ns/name" (kind Exposed, with their ports); only the worker (or
    /// stop() after it) changes them.
    std::map<std::string, TunnelEvent> exposedServices;
    /// The ingress ports (empty ports: not forwarded).
    TunnelEvent ingressPorts;
    /// Ingresses whose status the tunnel set, "ns/name".
    std::set<std::string> ingressStatuses;
    /// Every host port held, for the state file and to keep two Services off one port.
    std::set<std::uint16_t> heldPorts;

    void report(TunnelEvent event) const {
        if (onEvent) {
            onEvent(event);
        }
    }

    json desiredServiceIngress() const {
        return json::array({{{"ip", options.address}, {"ipMode", "Proxy"}}});
    }

    json desiredIngressIngress() const { return json::array({{{"ip", options.address}}}); }

    /// Whether `object`'s status.loadBalancer.ingress holds the entry the tunnel writes (for a
    /// Service, with ipMode Proxy: no other load balancer writes that here).
    bool carriesOurAddress(const json& object, bool service) const {
        for (const auto& entry :
             object.value("/status/loadBalancer/ingress"_json_pointer, json::array())) {
            if (entry.value("ip", "") == options.address &&
                (!service || entry.value("ipMode", "") == "Proxy")) {
                return true;
            }
        }
        return false;
    }

    // ---- the state file ---------------------------------------------------------------------

    std::filesystem::path lockFile() const {
        auto path = options.stateFile;
        return path += ".lock";
    }

    core::Result<void> lockStateFile() {
        if (options.stateFile.empty()) {
            return core::success();
        }
        const auto text = core::readFile(options.stateFile);
        const auto previous = json::parse(text ? *text : std::string(), nullptr, false);
        auto locked = core::FileLock::acquire(lockFile());
        if (!locked) {
            if (locked.error().code() != core::ErrorCode::Conflict) {
                return locked.error();
            }
            const int pid = previous.is_object() ? previous.value("pid", 0) : 0;
            return core::Error(core::ErrorCode::Unavailable,
                               "another tunnel runs for this cluster" +
                                   (pid > 0 ? " (pid " + std::to_string(pid) + ")" : ""));
        }
        tunnelLock = std::move(*locked);
        // A tunnel that was killed could not remove its forwards: they still hold their host
        // ports on the node's QEMU. Remove them before taking ports again.
        if (previous.is_object()) {
            for (const auto& port : previous.value("hostPorts", json::array())) {
                if (port.is_number_unsigned() && port.get<unsigned>() <= 65535) {
                    (void)forwarder.remove(static_cast<std::uint16_t>(port.get<unsigned>()));
                }
            }
        }
        saveState();
        return core::success();
    }

    /// Records the host ports held, for a tunnel started after this one was killed.
    void saveState() const {
        if (!tunnelLock) {
            return;
        }
        json ports = json::array();
        for (const auto port : heldPorts) {
            ports.push_back(port);
        }
        (void)core::writeFileAtomically(
            options.stateFile,
            json{{"pid", static_cast<int>(::getpid())}, {"hostPorts", ports}}.dump() + "\n");
    }

    /// The state file and the lock go (the lock file unlinked while still held: a tunnel
    /// starting now locks a file of its own).
    void releaseStateFile() {
        if (!tunnelLock) {
            return;
        }
        std::error_code ec;
        std::filesystem::remove(options.stateFile, ec);
        std::filesystem::remove(lockFile(), ec);
        tunnelLock.reset();
    }

    // ---- forwards ---------------------------------------------------------------------------

    /// Forwards a host port to `port.nodePort`: `port.port` itself when it can be had, else a
    /// free one (port.reason says why).
    core::Result<void> forward(TunnelPort& port) {
        bool tryWanted = port.port > 0 && port.port <= 65535;
        if (tryWanted && port.port < 1024 && !options.privilegedPorts) {
            port.reason = "below 1024 and not root";
            tryWanted = false;
        } else if (tryWanted && (heldPorts.count(static_cast<std::uint16_t>(port.port)) != 0 ||
                                 !loopbackPortFree(static_cast<std::uint16_t>(port.port)))) {
            port.reason = "in use on the host";
            tryWanted = false;
        }
        if (tryWanted) {
            const auto wanted = static_cast<std::uint16_t>(port.port);
            if (forwarder.add(wanted, port.nodePort)) {
                port.hostPort = wanted;
                heldPorts.insert(wanted);
                saveState();
                return core::success();
            }
            port.reason = "not available on the host";
        }
        // The kernel's pick may race with another program; a second pick settles it.
        core::Result<void> added = core::success();
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto free = pickFreeLoopbackPort();
            if (!free) {
                return free.error();
            }
            if (heldPorts.count(*free) != 0) {
                continue;
            }
            added = forwarder.add(*free, port.nodePort);
            if (added) {
                port.hostPort = *free;
                heldPorts.insert(*free);
                saveState();
                return core::success();
            }
        }
        return added;
    }

    void unforward(const std::vector<TunnelPort>& ports) {
        for (const auto& port : ports) {
            if (port.hostPort == 0) {
                continue;
            }
            (void)forwarder.remove(port.hostPort);  // gone with the VM is fine too
            heldPorts.erase(port.hostPort);
        }
        saveState();
    }

    core::Result<void> forwardIngressPorts() {
        TunnelEvent event;
        event.kindName = "Ingress";
        for (const auto& [name, port, nodePort] :
             {std::tuple<const char*, int, std::uint16_t>{"http", 80, options.ingressHttpPort},
              std::tuple<const char*, int, std::uint16_t>{"https", 443,
                                                          options.ingressHttpsPort}}) {
            if (nodePort == 0) {
                continue;
            }
            TunnelPort forwarded{name, port, 0, nodePort, {}};
            if (auto made = forward(forwarded); !made) {
                unforward(event.ports);
                return made.error().wrap("forwarding the ingress port " + std::to_string(port));
            }
            event.ports.push_back(std::move(forwarded));
        }
        if (!event.ports.empty()) {
            {
                const std::lock_guard lock(mutex);
                ingressPorts = event;
            }
            report(event);
        }
        return core::success();
    }

    // ---- status -----------------------------------------------------------------------------

    core::Result<void> writeStatus(const client::ResourceRef& ref, const json& ingress) const {
        auto patched = client->patch(ref.sub("status"), client::PatchType::Merge,
                                     {{"status", {{"loadBalancer", {{"ingress", ingress}}}}}});
        if (!patched && patched.error().code() != core::ErrorCode::NotFound) {
            return patched.error();
        }
        return core::success();
    }

    // ---- sync -------------------------------------------------------------------------------

    core::Result<void> syncService(const std::string& key) {
        const auto [nameSpace, name] = client::splitObjectKey(key);
        const auto ref = client::resources::services().in(nameSpace).named(name);
        const auto service = services->lister().get(nameSpace, name);
        auto held = exposedServices.find(key);
        const std::vector<TunnelPort> wanted =
            service && isLoadBalancer(*service) ? wantedPorts(*service) : std::vector<TunnelPort>{};
        if (wanted.empty()) {
            if (held != exposedServices.end()) {
                TunnelEvent event = held->second;
                unforward(held->second.ports);
                {
                    const std::lock_guard lock(mutex);
                    exposedServices.erase(held);
                }
                event.kind = TunnelEvent::Kind::Withdrawn;
                report(event);
            }
            // Ours from before (a tunnel that was killed, a Service no longer a LoadBalancer):
            // cleared.
            if (service && carriesOurAddress(*service, true)) {
                return writeStatus(ref, nullptr);
            }
            return core::success();
        }
        bool changed = false;
        if (held == exposedServices.end() || !samePorts(held->second.ports, wanted)) {
            TunnelEvent event;
            event.kindName = "Service";
            event.nameSpace = nameSpace;
            event.name = name;
            if (held != exposedServices.end()) {
                unforward(held->second.ports);
                const std::lock_guard lock(mutex);
                exposedServices.erase(held);
            }
            for (auto port : wanted) {
                if (auto made = forward(port); !made) {
                    unforward(event.ports);
                    TunnelEvent failed = event;
                    failed.kind = TunnelEvent::Kind::Failed;
                    failed.message = made.error().message();
                    report(failed);
                    return made.error();
                }
                event.ports.push_back(std::move(port));
            }
            const std::lock_guard lock(mutex);
            exposedServices[key] = std::move(event);
            changed = true;
        }
        const json current =
            service->value("/status/loadBalancer/ingress"_json_pointer, json::array());
        if (current != desiredServiceIngress()) {
            if (auto written = writeStatus(ref, desiredServiceIngress()); !written) {
                return written;
            }
        }
        if (changed) {
            TunnelEvent event;
            {
                const std::lock_guard lock(mutex);
                event = exposedServices[key];
            }
            report(event);
        }
        return core::success();
    }

    bool servesIngress(const json& ingress) const {
        const std::string className = ingress.value("/spec/ingressClassName"_json_pointer, "");
        return className.empty() || className == kIngressClass;
    }

    core::Result<void> syncIngress(const std::string& key) {
        const auto [nameSpace, name] = client::splitObjectKey(key);
        const auto ref = ingresses().in(nameSpace).named(name);
        const auto ingress = ingressInformer->lister().get(nameSpace, name);
        bool forwarded = false;
        {
            const std::lock_guard lock(mutex);
            forwarded = !ingressPorts.ports.empty();
        }
        if (!ingress) {
            ingressStatuses.erase(key);
            return core::success();
        }
        if (forwarded && servesIngress(*ingress)) {
            const json current =
                ingress->value("/status/loadBalancer/ingress"_json_pointer, json::array());
            if (current != desiredIngressIngress()) {
                if (auto written = writeStatus(ref, desiredIngressIngress()); !written) {
                    return written;
                }
            }
            if (ingressStatuses.insert(key).second) {
                TunnelEvent event;
                {
                    const std::lock_guard lock(mutex);
                    event = ingressPorts;
                }
                event.nameSpace = nameSpace;
                event.name = name;
                report(event);
            }
            return core::success();
        }
        if (ingressStatuses.erase(key) != 0 || carriesOurAddress(*ingress, false)) {
            return writeStatus(ref, nullptr);
        }
        return core::success();
    }

    core::Result<void> sync(const std::string& key) {
        if (key.rfind(kServicePrefix, 0) == 0) {
            return syncService(key.substr(std::strlen(kServicePrefix)));
        }
        if (key.rfind(kIngressPrefix, 0) == 0) {
            return syncIngress(key.substr(std::strlen(kIngressPrefix)));
        }
        return core::success();
    }

    void withdrawAll() {
        for (auto& [key, exposure] : exposedServices) {
            unforward(exposure.ports);
            const auto [nameSpace, name] = client::splitObjectKey(key);
            (void)writeStatus(client::resources::services().in(nameSpace).named(name), nullptr);
            TunnelEvent event = exposure;
            event.kind = TunnelEvent::Kind::Withdrawn;
            report(event);
        }
        for (const auto& key : ingressStatuses) {
            const auto [nameSpace, name] = client::splitObjectKey(key);
            (void)writeStatus(ingresses().in(nameSpace).named(name), nullptr);
            TunnelEvent event = ingressPorts;
            event.kind = TunnelEvent::Kind::Withdrawn;
            event.nameSpace = nameSpace;
            event.name = name;
            report(event);
        }
        TunnelEvent ports = ingressPorts;
        unforward(ports.ports);
        if (!ports.ports.empty()) {
            ports.kind = TunnelEvent::Kind::Withdrawn;
            report(ports);
        }
        const std::lock_guard lock(mutex);
        exposedServices.clear();
        ingressStatuses.clear();
        ingressPorts = {};
    }
};

LoadBalancerTunnel::LoadBalancerTunnel(const client::Client& client, HostForwarder forwarder,
                                       EventHandler onEvent, LoadBalancerTunnelOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->client = &client;
    m_impl->forwarder = std::move(forwarder);
    m_impl->onEvent = std::move(onEvent);
    m_impl->options = std::move(options);
}

LoadBalancerTunnel::~LoadBalancerTunnel() {
    stop();
}

core::Result<std::unique_ptr<LoadBalancerTunnel>> LoadBalancerTunnel::forCluster(
    ClusterManager& manager, const std::string& cluster, EventHandler onEvent,
    LoadBalancerTunnelOptions options) {
    auto status = manager.status(cluster);
    if (!status) {
        return status.error();
    }
    if (status->state != ClusterState::Running || status->kubeconfigPath.empty()) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + cluster + "\" is not running");
    }
    auto config = clientConfigFrom(status->kubeconfigPath);
    if (!config) {
        return config.error();
    }
    if (options.stateFile.empty()) {
        options.stateFile = manager.clusterDir(cluster) / "tunnel.json";
    }
    auto owned = std::make_unique<client::HttpsClient>(std::move(*config));
    std::unique_ptr<LoadBalancerTunnel> tunnel(new LoadBalancerTunnel(
        *owned, clusterHostForwarder(manager, cluster), std::move(onEvent), std::move(options)));
    tunnel->m_impl->ownedClient = std::move(owned);
    return tunnel;
}

core::Result<void> LoadBalancerTunnel::start() {
    Impl& impl = *m_impl;
    if (impl.started) {
        return core::success();
    }
    impl.started = true;
    if (auto locked = impl.lockStateFile(); !locked) {
        impl.stopped = true;
        return locked;
    }
    if (auto forwarded = impl.forwardIngressPorts(); !forwarded) {
        TunnelEvent failed;
        failed.kind = TunnelEvent::Kind::Failed;
        failed.kindName = "Ingress";
        failed.message = forwarded.error().message();
        impl.report(failed);  // the Services can still be exposed
    }
    impl.services = std::make_unique<client::Informer>(
        *impl.client, client::InformerOptions(client::resources::services()));
    impl.ingressInformer =
        std::make_unique<client::Informer>(*impl.client, client::InformerOptions(ingresses()));
    const auto handlers = [&impl](const std::string& prefix) {
        const auto enqueue = [&impl, prefix](const client::ObjectPtr& object) {
            impl.queue.add(prefix + client::objectKey(*object));
        };
        return client::EventHandlers{
            enqueue,
            [enqueue](const client::ObjectPtr&, const client::ObjectPtr& after) { enqueue(after); },
            enqueue};
    };
    impl.services->addEventHandler(handlers(kServicePrefix));
    impl.ingressInformer->addEventHandler(handlers(kIngressPrefix));
    impl.services->start();
    impl.ingressInformer->start();
    if (!impl.services->waitForSync(impl.options.syncTimeout) ||
        !impl.ingressInformer->waitForSync(impl.options.syncTimeout)) {
        stop();
        return core::Error(core::ErrorCode::Unavailable,
                           "the cluster's API server did not list Services and Ingresses");
    }
    impl.worker = std::thread([&impl] {
        impl.queue.processUntilShutDown([&impl](const std::string& key) { return impl.sync(key); },
                                        kMaxRetries);
    });
    return core::success();
}

void LoadBalancerTunnel::stop() {
    Impl& impl = *m_impl;
    if (!impl.started || impl.stopped) {
        return;
    }
    impl.stopped = true;
    impl.queue.shutDown();
    if (impl.services) {
        impl.services->stop();
    }
    if (impl.ingressInformer) {
        impl.ingressInformer->stop();
    }
    if (impl.worker.joinable()) {
        impl.worker.join();
    }
    impl.withdrawAll();
    impl.releaseStateFile();
}

std::vector<TunnelEvent> LoadBalancerTunnel::exposed() const {
    const std::lock_guard lock(m_impl->mutex);
    std::vector<TunnelEvent> events;
    for (const auto& [key, event] : m_impl->exposedServices) {
        events.push_back(event);
    }
    if (!m_impl->ingressPorts.ports.empty()) {
        events.push_back(m_impl->ingressPorts);
    }
    return events;
}

core::Result<void> LoadBalancerTunnel::sync(const std::string& key) {
    return m_impl->sync(key);
}

HostForwarder clusterHostForwarder(ClusterManager& manager, const std::string& name) {
    return {[&manager, name](std::uint16_t hostPort, std::uint16_t nodePort) {
                return manager.forwardHostPort(name, hostPort, nodePort);
            },
            [&manager, name](std::uint16_t hostPort) {
                return manager.unforwardHostPort(name, hostPort);
            }};
}

}  // namespace slipway::vm
