// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::client {
class Client;
}  // namespace slipway::client

namespace slipway::vm {

class ClusterManager;

/// One port the tunnel forwards from 127.0.0.1 of the host to the node.
struct TunnelPort {
    std::string name;            ///< the service port's name; "http"/"https" for the ingress
    int port = 0;                ///< the port asked for (the service port; 80/443 for the ingress)
    std::uint16_t hostPort = 0;  ///< where it is on 127.0.0.1; differs from `port` when taken
    std::uint16_t nodePort = 0;  ///< the node's port it goes to
    /// Why hostPort is not `port` ("in use on the host", "below 1024 and not root"); empty
    /// when it is.
    std::string reason;
};

/// What the tunnel did, for its caller to print or show.
struct TunnelEvent {
    enum class Kind {
        Exposed,    ///< forwards made and status.loadBalancer set (again, when ports changed)
        Withdrawn,  ///< forwards removed and status cleared
        Failed,     ///< a Service or the ingress could not be exposed; `message` says why
    };
    Kind kind = Kind::Exposed;
    std::string kindName;  ///< "Service" or "Ingress" (the ingress ports, not one Ingress)
    std::string nameSpace;
    std::string name;
    std::vector<TunnelPort> ports;
    std::string message;
};

/// How the tunnel reaches the node: forwards from exactly 127.0.0.1:hostPort to a node port,
/// and their removal (ClusterManager::forwardHostPort / unforwardHostPort for a VM cluster).
struct HostForwarder {
    std::function<core::Result<void>(std::uint16_t hostPort, std::uint16_t nodePort)> add;
    std::function<core::Result<void>(std::uint16_t hostPort)> remove;
};

/// Settings of a LoadBalancerTunnel.
struct LoadBalancerTunnelOptions {
    /// Written to status.loadBalancer.ingress[].ip of the Services and Ingresses it exposes.
    std::string address = "127.0.0.1";
    /// The node's ingress listeners (slipwayd --ingress-http-port/--ingress-https-port),
    /// forwarded from host ports 80 and 443; 0: not forwarded.
    std::uint16_t ingressHttpPort = 80;
    std::uint16_t ingressHttpsPort = 443;
    /// Whether host ports below 1024 are tried (the caller is root); otherwise such a port is
    /// given a free one at once.
    bool privilegedPorts = false;
    /// Where the tunnel records the host ports it holds (and a lock: one tunnel per cluster).
    /// A tunnel that was killed leaves it behind; the next one removes those forwards first.
    /// Empty: nothing recorded.
    std::filesystem::path stateFile;
    /// How long start() waits for the first lists.
    std::chrono::milliseconds syncTimeout = std::chrono::seconds(30);
};

/// `slipway tunnel` (minikube tunnel's counterpart for VM clusters, whose nodes the host
/// reaches only through QEMU forwards on 127.0.0.1): while it runs, every Service of type
/// LoadBalancer (without a spec.loadBalancerClass) in every namespace gets, for each TCP
/// port, a forward from 127.0.0.1:<service port> of the host to its node port (a free port
/// instead when that one is taken, or below 1024 for a caller who is not root), and
/// status.loadBalancer.ingress [{ip: 127.0.0.1, ipMode: Proxy}] through the status
/// subresource, so `kubectl get svc` shows EXTERNAL-IP 127.0.0.1. ipMode Proxy tells the node's
/// Service proxy that the address is not its to answer (the traffic arrives on the node
/// port). The node's ingress ports get forwards from 80 and 443 the same way, and Ingresses of
/// the slipway class (or none) get status.loadBalancer.ingress [{ip: 127.0.0.1}]. The node's
/// own slipwayd leaves both statuses alone (--load-balancer-addresses=external).
///
/// Shaped as a controller: Service and Ingress informers enqueue keys, one worker syncs them
/// level-triggered. stop() removes every forward and clears every status it set, as
/// minikube's tunnel cleans up when interrupted. The Client must outlive it.
class LoadBalancerTunnel {
public:
    using EventHandler = std::function<void(const TunnelEvent& event)>;

    LoadBalancerTunnel(const client::Client& client, HostForwarder forwarder, EventHandler onEvent,
                       LoadBalancerTunnelOptions options = {});
    /// The tunnel of cluster `cluster` of `manager`: its own HTTPS client from the cluster's
    /// kubeconfig, forwards through the cluster's driver, the state file tunnel.json in the
    /// cluster's folder (unless `options` names one). Unavailable when the cluster does not
    /// run. Not started.
    static core::Result<std::unique_ptr<LoadBalancerTunnel>> forCluster(
        ClusterManager& manager, const std::string& cluster, EventHandler onEvent,
        LoadBalancerTunnelOptions options = {});
    /// Stops (and cleans up) if running.
    ~LoadBalancerTunnel();
    LoadBalancerTunnel(const LoadBalancerTunnel&) = delete;
    LoadBalancerTunnel& operator=(const LoadBalancerTunnel&) = delete;

    /// Takes the state file's lock (Unavailable: another tunnel runs for the cluster), removes
    /// the forwards a killed tunnel left in it, forwards the ingress ports and starts watching.
    /// Returns once the first lists are in, with the Services of that moment being exposed.
    core::Result<void> start();
    /// Stops watching, removes every forward and clears every status it set; reports each
    /// Withdrawn. Idempotent.
    void stop();

    /// The Services exposed now, and the ingress ports (kindName "Ingress").
    std::vector<TunnelEvent> exposed() const;

    /// Level-triggered: "service/NS/NAME" or "ingress/NS/NAME" brought in line (exposed for
    /// tests).
    core::Result<void> sync(const std::string& key);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A HostForwarder for cluster `name` of `manager` (forwards through its driver).
HostForwarder clusterHostForwarder(ClusterManager& manager, const std::string& name);

}  // namespace slipway::vm
