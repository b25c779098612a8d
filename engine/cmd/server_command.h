// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/cmd/node_agent.h"

namespace slipway::cmd {

/// Flags of `slipwayd server`.
struct ServerFlags {
    std::filesystem::path dataDir = "/var/lib/slipway";
    std::string listen = "127.0.0.1:6443";
    std::filesystem::path kubeconfigOut;
    std::string clusterName = "slipway";
    /// One per core. A create does not hold its thread while it is made durable (its answer
    /// is resumed by the store's commit), so two threads keep 64 writers in one group commit;
    /// more threads halve GET throughput and slow lists on two cores (BENCHMARKS.md).
    int threads = 2;
    std::string logLevel = "info";
    /// Plain HTTP with no authentication: for tests only, never the default.
    bool insecureHttp = false;

    /// Simulated nodes (engine/agent/sim): how many, their capacity and pod lifecycle.
    int simNodes = 0;
    std::string simNodeCpu = "4";
    std::string simNodeMemory = "8Gi";
    std::string simNodePods = "110";
    std::vector<std::string> simZones = {"zone-a"};
    std::string simStartDelay = "500ms";
    std::string simReadyDelay = "1s";
    std::string simRunDuration = "2s";
    std::string simBackoff = "10s";
    std::string simBackoffMax = "5m";
    std::string simLeaseRenewInterval = "10s";
    int simLeaseDurationSeconds = 40;
    /// Node lifecycle controller: a node whose heartbeats stop for this long goes Unknown.
    std::string nodeMonitorGracePeriod = "40s";
    std::string nodeMonitorPeriod = "5s";
    std::string hpaSyncPeriod = "15s";

    /// Serve the API and its store alone, as kube-apiserver does without kube-controller-manager
    /// and kube-scheduler (an envtest-style API server for client tests and benchmarks): no
    /// controllers, scheduler, metrics API or node. Excludes --node-agent and --sim-nodes.
    bool apiServerOnly = false;
    /// The local node agent (engine/agent/kubelet): runs real containers with runc on this
    /// machine (root). Off by default so that simulated-node clusters stay simulated.
    bool nodeAgent = false;
    /// The local node (its name defaults to the cluster name).
    NodeFlags node;
    /// Node IPAM: the range every node's podCIDR is cut from (/24 blocks); the local node's
    /// --pod-cidr lies in it. Empty: nodes bring their own.
    std::string clusterCidr = "10.244.0.0/16";
    /// kube-apiserver's --token-auth-file: bearer tokens of joining node agents (CSV
    /// token,user,uid,"groups"); empty: none.
    std::filesystem::path tokenAuthFile;

    /// Cluster DNS (engine/dns): where it listens, "auto" (the node's pod gateway
    /// 10.244.0.1:53 when the node agent runs, else off) or "none"; comma-separated addresses.
    std::string clusterDnsListen = "auto";
    /// Resolvers for names outside the cluster; empty: the node's /etc/resolv.conf.
    std::vector<std::string> clusterDnsUpstream;
    std::string clusterDomain = "cluster.local";
    /// The ingress controller's listeners on the node (engine/ingress); 0 turns one off.
    int ingressHttpPort = 80;
    int ingressHttpsPort = 443;
    /// Who writes status.loadBalancer of LoadBalancer Services and of the ingress controller's
    /// Ingresses: "node", the node's address (k3s servicelb; the host reaches it when slipwayd
    /// runs on the host), or "external", left alone for a tunnel outside the node (`slipway
    /// tunnel` on a VM cluster, whose node's address the host cannot reach): Services stay
    /// <pending> until one runs, as on minikube.
    std::string loadBalancerAddresses = "node";
};

/// Runs the control plane until SIGTERM or SIGINT; returns the process exit code.
int runServer(const ServerFlags& flags);

}  // namespace slipway::cmd
