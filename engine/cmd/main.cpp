// SPDX-License-Identifier: Apache-2.0
// slipwayd: the orchestration engine. This file only parses flags and dispatches.
#include <iostream>

#include <CLI/CLI.hpp>
#include <malloc.h>

#include "engine/agent/kubelet/kubelet.h"
#include "engine/cmd/agent_command.h"
#include "engine/cmd/server_command.h"
#include "engine/core/version.h"

int main(int argc, char** argv) {
    // Two malloc arenas instead of glibc's eight per core: slipwayd runs many threads that
    // mostly wait, and per-thread arenas kept freed list and watch buffers resident
    // (bench_apiserver with 8 I/O threads and 1,000 watchers: 800 MiB, 400 MiB with two arenas).
    mallopt(M_ARENA_MAX, 2);
    using slipway::cmd::ServerFlags;

    CLI::App app{
        "slipwayd — Slipway's orchestration engine (Kubernetes API server, controllers, "
        "node agent)",
        "slipwayd"};
    app.require_subcommand(0, 1);
    bool showVersion = false;
    app.add_flag("--version", showVersion, "Print the version and exit");

    ServerFlags server;
    auto* serverCommand = app.add_subcommand("server", "Run the control plane and a local node");
    slipway::cmd::AgentFlags agent;
    auto* agentCommand =
        app.add_subcommand("agent",
                           "Run a node that joins a server (kubelet, Service proxy, "
                           "NetworkPolicy, routes to the other nodes' pods)");
    agentCommand->add_option("--server", agent.server, "The API server, https://HOST:PORT")
        ->required();
    agentCommand->add_option("--token", agent.token, "The node's bearer token");
    agentCommand->add_option("--token-file", agent.tokenFile, "A file holding the node's token");
    agentCommand->add_option("--ca-cert", agent.caCertificate, "The cluster CA (PEM)");
    agentCommand->add_option("--kubelet-cert", agent.kubeletCertificate,
                             "The streaming server's certificate, issued by the cluster CA");
    agentCommand->add_option("--kubelet-key", agent.kubeletKey, "Its private key (PEM)");
    agentCommand->add_option("--data-dir", agent.dataDir, "Directory for the node's state")
        ->capture_default_str();
    agentCommand
        ->add_option("--log-level", agent.logLevel,
                     "trace, debug, info, warn, error, critical or off")
        ->capture_default_str();
    slipway::cmd::addNodeFlags(*agentCommand, agent.node);

    std::filesystem::path resetDataDir = "/var/lib/slipway";
    auto* resetCommand = app.add_subcommand(
        "reset-node",
        "Remove the containers, sandboxes and mounts of the node agent on a data dir");
    resetCommand->add_option("--data-dir", resetDataDir, "The server's data directory")
        ->capture_default_str();
    serverCommand->add_option("--data-dir", server.dataDir, "Directory for the engine's state")
        ->capture_default_str();
    serverCommand
        ->add_option("--listen", server.listen,
                     "HOST:PORT of the API server (port 0 "
                     "picks a free one)")
        ->capture_default_str();
    serverCommand->add_option("--kubeconfig-out", server.kubeconfigOut,
                              "Write an admin kubeconfig for this server to FILE");
    serverCommand
        ->add_option("--cluster-name", server.clusterName,
                     "Name of the cluster, context and user in the kubeconfig")
        ->capture_default_str();
    serverCommand->add_option("--threads", server.threads, "API server I/O threads")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    serverCommand->add_flag("--insecure-http", server.insecureHttp,
                            "Serve plain HTTP and treat every client as an administrator "
                            "(tests only)");
    slipway::cmd::addNodeFlags(*serverCommand, server.node);
    serverCommand
        ->add_option("--cluster-cidr", server.clusterCidr,
                     "Range the nodes' podCIDRs are cut from (empty: nodes bring their own)")
        ->capture_default_str();
    serverCommand->add_option("--token-auth-file", server.tokenAuthFile,
                              "CSV of bearer tokens (token,user,uid,\"groups\"), e.g. for "
                              "joining node agents");
    serverCommand->add_flag("--api-server-only", server.apiServerOnly,
                            "Serve the API and store alone: no controllers, scheduler, metrics "
                            "API or node (as kube-apiserver without kube-controller-manager)");
    serverCommand->add_flag("--node-agent", server.nodeAgent,
                            "Run a node agent that runs real containers with runc (root)");
    serverCommand
        ->add_option("--cluster-dns-listen", server.clusterDnsListen,
                     "Cluster DNS addresses (host:port,...); auto: the pod gateway with "
                     "--node-agent; none: off")
        ->capture_default_str();
    serverCommand->add_option("--cluster-dns-upstream", server.clusterDnsUpstream,
                              "Resolvers for other names (default: /etc/resolv.conf)");
    serverCommand->add_option("--cluster-domain", server.clusterDomain, "The cluster's DNS domain")
        ->capture_default_str();
    serverCommand
        ->add_option("--ingress-http-port", server.ingressHttpPort,
                     "The node agent's ingress HTTP port (0: off)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serverCommand
        ->add_option("--ingress-https-port", server.ingressHttpsPort,
                     "The node agent's ingress HTTPS port (0: off)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serverCommand
        ->add_option("--load-balancer-addresses", server.loadBalancerAddresses,
                     "Status of LoadBalancer Services and Ingresses: node (the node's address) "
                     "or external (left to a tunnel such as `slipway tunnel`)")
        ->check(CLI::IsMember({"node", "external"}))
        ->capture_default_str();
    serverCommand->add_option("--sim-nodes", server.simNodes, "Register N simulated nodes")
        ->check(CLI::Range(0, 3000))
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-node-cpu", server.simNodeCpu, "CPU capacity of a simulated node")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-node-memory", server.simNodeMemory,
                     "Memory capacity of a simulated node")
        ->capture_default_str();
    serverCommand->add_option("--sim-node-pods", server.simNodePods, "Pods a simulated node takes")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-zones", server.simZones,
                     "Zones (topology.kubernetes.io/zone) the simulated nodes are spread over")
        ->delimiter(',')
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-start-delay", server.simStartDelay,
                     "How long a simulated container is ContainerCreating")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-ready-delay", server.simReadyDelay,
                     "How long a simulated container runs before it is ready")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-run-duration", server.simRunDuration,
                     "How long containers of Never/OnFailure pods run before they exit")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-backoff", server.simBackoff,
                     "Initial restart and image pull back-off (kubelet: 10s)")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-backoff-max", server.simBackoffMax,
                     "Longest restart and image pull back-off (kubelet: 5m)")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-lease-renew-interval", server.simLeaseRenewInterval,
                     "How often simulated nodes renew their Lease")
        ->capture_default_str();
    serverCommand
        ->add_option("--sim-lease-duration", server.simLeaseDurationSeconds,
                     "leaseDurationSeconds of the simulated nodes' Leases")
        ->capture_default_str();
    serverCommand
        ->add_option("--node-monitor-grace-period", server.nodeMonitorGracePeriod,
                     "How long a node may go without heartbeat before it is marked Unknown")
        ->capture_default_str();
    serverCommand
        ->add_option("--node-monitor-period", server.nodeMonitorPeriod,
                     "How often the node lifecycle controller checks node heartbeats")
        ->capture_default_str();
    serverCommand
        ->add_option("--horizontal-pod-autoscaler-sync-period", server.hpaSyncPeriod,
                     "How often every HorizontalPodAutoscaler is reconciled")
        ->capture_default_str();
    serverCommand
        ->add_option("--log-level", server.logLevel,
                     "trace, debug, info, warn, error, critical or off")
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (showVersion) {
        std::cout << "slipwayd " << slipway::core::slipwayVersion() << " (Kubernetes "
                  << slipway::core::kubernetesGitVersion() << ")\n";
        return 0;
    }
    if (serverCommand->parsed()) {
        return slipway::cmd::runServer(server);
    }
    if (agentCommand->parsed()) {
        return slipway::cmd::runAgent(agent);
    }
    if (resetCommand->parsed()) {
        auto reset = slipway::agent::kubelet::Kubelet::resetNode(resetDataDir / "agent");
        if (!reset) {
            std::cerr << "slipwayd reset-node: " << reset.error().message() << "\n";
            return 1;
        }
        return 0;
    }
    std::cerr << app.help();
    return 2;
}
