// SPDX-License-Identifier: Apache-2.0
#include "engine/cmd/server_command.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>
#include <vector>

#include <spdlog/spdlog.h>

#include "engine/agent/kubelet/kubelet.h"
#include "engine/agent/network/policy/network_policy_controller.h"
#include "engine/agent/network/routes/node_routes.h"
#include "engine/agent/sim/sim_pod.h"
#include "engine/agent/sim/simulated_nodes.h"
#include "engine/api/kind_registry.h"
#include "engine/apiextensions/crd_controller.h"
#include "engine/apiextensions/crd_validation.h"
#include "engine/apiserver/admission.h"
#include "engine/apiserver/discovery.h"
#include "engine/apiserver/http_server.h"
#include "engine/apiserver/node_proxy.h"
#include "engine/apiserver/openapi.h"
#include "engine/apiserver/resource_handler.h"
#include "engine/apiserver/router.h"
#include "engine/apiserver/service_allocator.h"
#include "engine/auth/auth_resources.h"
#include "engine/auth/bootstrap_policy.h"
#include "engine/auth/escalation_check.h"
#include "engine/auth/rbac_authorizer.h"
#include "engine/auth/rbac_policy_cache.h"
#include "engine/auth/service_account_key.h"
#include "engine/auth/static_token_authenticator.h"
#include "engine/auth/token_authenticator.h"
#include "engine/client/in_process/in_process_client.h"
#include "engine/client/shared_informers.h"
#include "engine/cmd/node_agent.h"
#include "engine/controllers/manager/controller_manager.h"
#include "engine/controllers/serviceaccount/service_accounts_controller.h"
#include "engine/core/file_lock.h"
#include "engine/core/logging.h"
#include "engine/core/quantity.h"
#include "engine/core/version.h"
#include "engine/dns/cluster_dns.h"
#include "engine/ingress/ingress_controller.h"
#include "engine/ingress/ingress_proxy.h"
#include "engine/metrics/metrics_api.h"
#include "engine/metrics/simulated_metrics_source.h"
#include "engine/pki/cluster_pki.h"
#include "engine/pki/kubeconfig.h"
#include "engine/proxy/kubernetes_service.h"
#include "engine/proxy/load_balancer_controller.h"
#include "engine/proxy/service_proxy.h"
#include "engine/scheduler/scheduler.h"
#include "engine/store/store.h"

namespace slipway::cmd {

namespace {

/// The cluster DNS's settings from the flags; nullopt when it is off.
core::Result<std::optional<dns::ClusterDnsOptions>> clusterDnsOptions(const ServerFlags& flags) {
    std::string listen = flags.clusterDnsListen;
    if (listen == "auto") {
        // The node's pod gateway (10.244.0.1 for 10.244.0.0/24), when there is a pod network.
        listen = "none";
        if (flags.nodeAgent && flags.node.podNetwork == "bridge") {
            auto cidr = agent::network::Ipv4Cidr::parse(flags.node.podCidr);
            if (!cidr) {
                return cidr.error().wrap("--pod-cidr");
            }
            listen = agent::network::formatIpv4(cidr->at(1)) + ":53";
        }
    }
    if (listen == "none" || listen.empty()) {
        return std::optional<dns::ClusterDnsOptions>();
    }
    dns::ClusterDnsOptions options;
    options.records.domain = flags.clusterDomain;
    std::stringstream addresses(listen);
    for (std::string item; std::getline(addresses, item, ',');) {
        auto parsed = dns::HostPort::parse(item);
        if (!parsed) {
            return parsed.error().wrap("--cluster-dns-listen");
        }
        options.server.listen.push_back(*parsed);
    }
    std::vector<dns::HostPort> upstreams;
    for (const auto& item : flags.clusterDnsUpstream) {
        auto parsed = dns::HostPort::parse(item);
        if (!parsed) {
            return parsed.error().wrap("--cluster-dns-upstream");
        }
        upstreams.push_back(*parsed);
    }
    if (flags.clusterDnsUpstream.empty()) {
        std::ifstream file("/etc/resolv.conf");
        const std::string text((std::istreambuf_iterator<char>(file)),
                               std::istreambuf_iterator<char>());
        upstreams = dns::nameserversOf(text);
    }
    // Never forward to the cluster DNS itself (a loop).
    for (const auto& upstream : upstreams) {
        const bool ours = upstream.address == options.clusterIp ||
                          std::any_of(options.server.listen.begin(), options.server.listen.end(),
                                      [&](const dns::HostPort& self) { return self == upstream; });
        if (!ours) {
            options.server.upstreams.push_back(upstream);
        }
    }
    return std::optional<dns::ClusterDnsOptions>(std::move(options));
}

}  // namespace

int runServer(const ServerFlags& flags) {
    const sigset_t shutdownSignals = blockShutdownSignals();

    if (auto logged = core::initLogging("slipwayd", flags.logLevel); !logged) {
        std::fprintf(stderr, "slipwayd: %s\n", logged.error().message().c_str());
        return 2;
    }

    auto lock = lockDataDir(flags.dataDir);
    if (!lock) {
        spdlog::critical("{}", lock.error().message());
        return 1;
    }

    controllers::ControllerOptions controllerOptions;
    agent::sim::SimConfig simConfig;
    {
        const std::pair<const std::string*, std::pair<const char*, std::chrono::milliseconds*>>
            durations[] = {
                {&flags.nodeMonitorGracePeriod,
                 {"--node-monitor-grace-period", &controllerOptions.nodeMonitorGracePeriod}},
                {&flags.nodeMonitorPeriod,
                 {"--node-monitor-period", &controllerOptions.nodeMonitorPeriod}},
                {&flags.hpaSyncPeriod,
                 {"--horizontal-pod-autoscaler-sync-period", &controllerOptions.hpaSyncPeriod}},
                {&flags.simStartDelay, {"--sim-start-delay", &simConfig.startDelay}},
                {&flags.simReadyDelay, {"--sim-ready-delay", &simConfig.readyDelay}},
                {&flags.simRunDuration, {"--sim-run-duration", &simConfig.runDuration}},
                {&flags.simBackoff, {"--sim-backoff", &simConfig.backoffInitial}},
                {&flags.simBackoffMax, {"--sim-backoff-max", &simConfig.backoffMax}},
                {&flags.simLeaseRenewInterval,
                 {"--sim-lease-renew-interval", &simConfig.renewInterval}},
            };
        for (const auto& [text, target] : durations) {
            auto parsed = durationFlag(*text, target.first);
            if (!parsed) {
                spdlog::critical("{}", parsed.error().message());
                return 2;
            }
            *target.second = *parsed;
        }
        for (const auto& [value, flag] : {std::pair{&flags.simNodeCpu, "--sim-node-cpu"},
                                          std::pair{&flags.simNodeMemory, "--sim-node-memory"},
                                          std::pair{&flags.simNodePods, "--sim-node-pods"}}) {
            if (auto quantity = core::Quantity::parse(*value); !quantity || quantity->sign() < 0) {
                spdlog::critical("{}: \"{}\" is not a quantity (e.g. 4, 500m, 8Gi)", flag, *value);
                return 2;
            }
        }
        simConfig.nodeCount = flags.simNodes;
        simConfig.cpu = flags.simNodeCpu;
        simConfig.memory = flags.simNodeMemory;
        simConfig.pods = flags.simNodePods;
        simConfig.zones = flags.simZones;
        simConfig.leaseDurationSeconds = flags.simLeaseDurationSeconds;
        simConfig.kubeletVersion = core::kubernetesGitVersion();
    }

    if (flags.apiServerOnly && (flags.nodeAgent || flags.simNodes > 0)) {
        spdlog::critical(
            "--api-server-only runs no node: it excludes --node-agent and --sim-nodes");
        return 2;
    }
    const auto proxyMode = proxy::parseProxyMode(flags.node.proxyMode);
    if (!proxyMode) {
        spdlog::critical("{}", proxyMode.error().message());
        return 2;
    }
    auto endpoint = apiserver::parseListenAddress(flags.listen);
    if (!endpoint) {
        spdlog::critical("{}", endpoint.error().message());
        return 2;
    }

    // The store first: everything the API serves lives in it. SQLite's own lock makes a
    // second server on this data dir fail here too, but the flock above says why.
    auto store = store::Store::open(flags.dataDir / "store.db");
    if (!store) {
        spdlog::critical("opening the store: {}", store.error().message());
        return 1;
    }
    const auto registry = api::KindRegistry::withBuiltinKinds();
    apiextensions::installCustomResourceDefinitionStrategy(*registry);
    apiserver::ResourceHandler resources(**store, *registry);
    // RBAC writes that would grant more than the writer holds are refused (kube's RBAC storage).
    auth::RbacAuthorizer authorizer;
    const auth::EscalationCheck escalationCheck(authorizer, &**store);
    resources.setWriteAdmission(escalationCheck.admission());
    const apiserver::NamespaceAdmission admission(**store);  // LimitRanger, ResourceQuota
    resources.setAdmission(&admission);
    apiserver::ServiceAllocator serviceAllocator;  // cluster IPs and node ports of Services
    if (auto rebuilt = serviceAllocator.rebuild(**store); !rebuilt) {
        spdlog::critical("reading the allocated Service addresses: {}", rebuilt.error().message());
        return 1;
    }
    resources.setStorageHooks(&serviceAllocator);
    if (auto bootstrapped = resources.bootstrap(); !bootstrapped) {
        spdlog::critical("creating the default namespaces: {}", bootstrapped.error().message());
        return 1;
    }
    const apiserver::Discovery discovery(*registry);
    const apiserver::OpenApi openApi(*registry);
    spdlog::info("store at revision {} with {} objects", (*store)->currentRevision(),
                 (*store)->size());

    apiserver::Router router(discovery, openApi, resources);
    // Stored CRDs are served again before the server reports ready.
    const client::InProcessClient loopback(router, {"system:apiserver", {"system:masters"}, true});
    apiextensions::CrdController crdController(loopback, *registry);
    if (auto started = crdController.start(std::chrono::seconds(30)); !started) {
        spdlog::critical("serving CustomResourceDefinitions: {}", started.error().message());
        return 1;
    }
    apiserver::ServerOptions options;
    options.address = endpoint->address;
    options.port = endpoint->port;
    options.threads = flags.threads;
    std::optional<pki::ClusterPki> clusterPki;
    if (flags.insecureHttp) {
        spdlog::warn("--insecure-http: serving plain HTTP without authentication");
        options.plainIdentity = {"system:admin", {"system:masters"}, true};
    } else {
        pki::ServingNames names;
        if (options.address != "0.0.0.0" && options.address != "::") {
            names.ipAddresses.push_back(options.address);
        } else {
            // Other nodes reach a wildcard listener at the node's address (kube-apiserver puts
            // its --advertise-address in its certificate).
            names.ipAddresses.push_back(flags.node.nodeIp);
        }
        auto loaded = pki::ensureClusterPki(flags.dataDir / "pki", names);
        if (!loaded) {
            spdlog::critical("{}", loaded.error().message());
            return 1;
        }
        clusterPki = std::move(*loaded);
        options.tls = apiserver::TlsOptions{clusterPki->apiServer.certificatePem,
                                            clusterPki->apiServer.keyPem,
                                            clusterPki->authority.certificatePem};
    }

    // Authentication by service-account tokens and RBAC authorisation, as kube-apiserver: the
    // default roles and bindings first, then a policy cache that follows the store.
    auto serviceAccountKey =
        auth::ServiceAccountKey::loadOrCreate(flags.dataDir / "pki" / "service-account.key");
    if (!serviceAccountKey) {
        spdlog::critical("{}", serviceAccountKey.error().message());
        return 1;
    }
    if (auto bootstrapped = auth::ensureBootstrapPolicy(**store, std::chrono::system_clock::now());
        !bootstrapped) {
        spdlog::critical("creating the default RBAC policy: {}", bootstrapped.error().message());
        return 1;
    }
    const auth::TokenAuthenticator tokens(*serviceAccountKey,
                                          {std::string(auth::kServiceAccountIssuer)},
                                          auth::objectUidFromStore(**store));
    auth::RbacPolicyCache policyCache(**store, authorizer);
    if (auto started = policyCache.start(); !started) {
        spdlog::critical("loading the RBAC policy: {}", started.error().message());
        return 1;
    }
    const auth::AuthResources authResources(**store, *serviceAccountKey, tokens, authorizer);
    // Joining node agents authenticate with their line of the static token file.
    std::optional<auth::StaticTokenAuthenticator> staticTokens;
    if (!flags.tokenAuthFile.empty()) {
        auto loaded = auth::StaticTokenAuthenticator::load(flags.tokenAuthFile);
        if (!loaded) {
            spdlog::critical("--token-auth-file: {}", loaded.error().message());
            return 2;
        }
        staticTokens.emplace(std::move(*loaded));
        spdlog::info("{} static tokens from {}", staticTokens->size(),
                     flags.tokenAuthFile.string());
    }
    std::vector<const apiserver::Authenticator*> authenticators;
    if (staticTokens) {
        authenticators.push_back(&*staticTokens);
    }
    authenticators.push_back(&tokens);
    const auth::UnionAuthenticator bearerTokens(std::move(authenticators));
    router.setAuthenticator(bearerTokens);
    router.setAuthorizer(authorizer);
    authResources.registerWith(router);

    // The resource metrics API (kubectl top, the HorizontalPodAutoscaler controller), served
    // by slipwayd itself from the usage of simulated nodes.
    // The local node agent is made here (started once the API serves) so that its measured
    // usage joins the simulated nodes' in one metrics source.
    const client::InProcessClient nodeAgentClient(
        router, apiserver::Identity{"system:node-agent:simulated",
                                    {"system:nodes", "system:masters", "system:authenticated"},
                                    true});
    std::optional<agent::kubelet::Kubelet> kubelet;
    if (flags.nodeAgent) {
        std::optional<agent::streaming::StreamingTls> streamingTls;
        if (clusterPki) {
            // Same machine, same names: the API server's own serving certificate.
            streamingTls = agent::streaming::StreamingTls{clusterPki->apiServer.certificatePem,
                                                          clusterPki->apiServer.keyPem,
                                                          clusterPki->authority.certificatePem};
        }
        auto agentOptions =
            kubeletOptions(flags.node, flags.clusterName, flags.dataDir, std::move(streamingTls));
        if (agentOptions) {
            agentOptions->node.labels["node-role.kubernetes.io/control-plane"] = "";
        }
        if (!agentOptions) {
            spdlog::critical("{}", agentOptions.error().message());
            return 1;
        }
        kubelet.emplace(nodeAgentClient, std::move(*agentOptions));
    }
    // One set of informers for every in-process component that reads the cluster (metrics,
    // controllers, scheduler): each collection is listed, watched and cached once. With 10,000
    // pods a cached copy costs about 100 MiB, so three components with copies of their own
    // would triple slipwayd's memory.
    client::SharedInformers clusterInformers(loopback);
    metrics::SimulatedMetricsOptions simulatedOptions;
    if (kubelet) {
        simulatedOptions.isSimulatedNode = [name =
                                                kubelet->nodeName()](const nlohmann::json& node) {
            return node.value("/metadata/name"_json_pointer, std::string()) != name;
        };
    }
    // metrics.k8s.io is metrics-server's API, not kube-apiserver's: an API server alone has
    // no informers at all (each would cache its collection).
    std::optional<metrics::SimulatedMetricsSource> simulatedMetrics;
    std::vector<const metrics::MetricsSource*> metricsSources;
    if (!flags.apiServerOnly) {
        simulatedMetrics.emplace(clusterInformers, simulatedOptions);
        metricsSources.push_back(&*simulatedMetrics);
    }
    if (kubelet) {
        metricsSources.push_back(&kubelet->metrics());
    }
    const metrics::CompositeMetricsSource allMetrics(metricsSources);
    const metrics::MetricsApi metricsApi(allMetrics);
    if (!flags.apiServerOnly) {
        if (auto registered = metrics::MetricsApi::registerKinds(*registry); !registered) {
            spdlog::critical("serving metrics.k8s.io: {}", registered.error().message());
            return 1;
        }
        metricsApi.registerWith(router);
    }
    clusterInformers.start();

    // pods/log, exec, attach and portforward: proxied to the node agent the pod runs on, with
    // the admin certificate as the API server's client certificate toward agents.
    apiserver::NodeProxyOptions proxyOptions;
    if (clusterPki) {
        proxyOptions.clientCertificatePem = clusterPki->admin.certificatePem;
        proxyOptions.clientKeyPem = clusterPki->admin.keyPem;
        proxyOptions.certificateAuthorityPem = clusterPki->authority.certificatePem;
    } else {
        proxyOptions.useTls = false;
    }
    apiserver::NodeProxy nodeProxy(**store, *registry, proxyOptions);
    nodeProxy.install(router);

    apiserver::HttpServer server(options, router);
    auto bound = server.start();
    if (!bound) {
        spdlog::critical("{}", bound.error().message());
        return 1;
    }

    // Controllers talk to the Router in-process, each as its own identity.
    const client::InProcessClient serviceAccountClient(
        router, auth::serviceAccountIdentity(auth::kServiceAccountControllerNamespace,
                                             auth::kServiceAccountControllerName));
    std::optional<controllers::ServiceAccountsController> serviceAccountsController;
    if (!flags.apiServerOnly) {
        serviceAccountsController.emplace(serviceAccountClient);
        serviceAccountsController->start();
    }

    // Services: the `kubernetes` Service (kube-apiserver's endpoint reconciler); on a real node
    // the Service proxy and the load balancer (kube-proxy, k3s servicelb).
    const client::InProcessClient proxyClient(
        router, apiserver::Identity{"system:kube-proxy", {"system:masters"}, true});
    const bool wildcard = bound->address == "0.0.0.0" || bound->address == "::";
    proxy::KubernetesServiceReconciler kubernetesService(
        proxyClient, {wildcard ? flags.node.nodeIp : bound->address, bound->port});
    kubernetesService.start();
    std::optional<proxy::ServiceProxy> serviceProxy;
    std::optional<proxy::LoadBalancerController> loadBalancer;
    // Without a pod network there is nothing to route to: no proxy, no ingress. With
    // --load-balancer-addresses=external a tunnel on the host writes the load balancers' status.
    const bool externalLoadBalancer = flags.loadBalancerAddresses == "external";
    const bool podNetwork = flags.node.podNetwork == "bridge";
    if (kubelet && podNetwork && *proxyMode != proxy::ProxyMode::None) {
        proxy::ProxyOptions services;
        services.nodeName = kubelet->nodeName();
        services.mode = *proxyMode;
        services.rules.nodeIps = nodePortAddresses(flags.node);
        serviceProxy.emplace(proxyClient, services);
        serviceProxy->start();
        if (!externalLoadBalancer) {
            loadBalancer.emplace(proxyClient, std::vector<std::string>{flags.node.nodeIp});
            loadBalancer->start();
        }
    }

    // Ready before the kubeconfig appears: callers take the file as the sign to connect.
    router.setReady(true);
    if (!flags.kubeconfigOut.empty()) {
        // A client reaches a wildcard listener through loopback.
        apiserver::Endpoint reachable = *bound;
        if (reachable.address == "0.0.0.0") {
            reachable.address = "127.0.0.1";
        } else if (reachable.address == "::") {
            reachable.address = "::1";
        }
        const auto config =
            clusterPki ? pki::Kubeconfig::forTlsServer(flags.clusterName, reachable.url(),
                                                       clusterPki->authority.certificatePem,
                                                       clusterPki->admin)
                       : pki::Kubeconfig::forServer(flags.clusterName, reachable.url());
        if (auto saved = config.save(flags.kubeconfigOut); !saved) {
            spdlog::critical("{}", saved.error().message());
            return 1;
        }
        spdlog::info("wrote kubeconfig {}", flags.kubeconfigOut.string());
    }

    // The controllers talk to the API as any client would, in-process and with their own
    // identity (kube-controller-manager's), so that everything they do is validated, stored
    // and watched like a user's request.
    const client::InProcessClient controllerClient(
        router,
        apiserver::Identity{
            "system:kube-controller-manager", {"system:masters", "system:authenticated"}, true});
    if (clusterPki) {
        controllerOptions.rootCaPem = clusterPki->authority.certificatePem;
    }
    controllerOptions.clusterCidr = flags.clusterCidr;
    if (flags.nodeAgent && !flags.node.podCidr.empty()) {
        controllerOptions.reservedPodCidrs = {flags.node.podCidr};  // the server's own node
    }
    std::optional<controllers::ControllerManager> controllerManager;
    if (!flags.apiServerOnly) {
        controllerManager.emplace(controllerClient, clusterInformers, controllerOptions);
        controllerManager->start();
    }
    // kube-scheduler: its own component and identity for its writes; it reads the shared cache.
    const client::InProcessClient schedulerClient(
        router, apiserver::Identity{"system:kube-scheduler", {"system:masters"}, true});
    std::optional<scheduler::Scheduler> podScheduler;
    if (!flags.apiServerOnly) {
        podScheduler.emplace(schedulerClient, clusterInformers);
        podScheduler->run();
    }

    // Simulated nodes (KWOK-style), as their own node agent identity.
    std::optional<agent::sim::SimulatedNodes> simulatedNodes;
    if (simConfig.nodeCount > 0) {
        simulatedNodes.emplace(nodeAgentClient, clusterInformers, simConfig);
        simulatedNodes->start();
    }
    // The local node: a kubelet running real containers.
    if (kubelet) {
        if (auto started = kubelet->start(); !started) {
            spdlog::critical("node agent: {}", started.error().message());
            return 1;
        }
    }
    // The node's ingress controller (IngressClass slipway) on its ports 80 and 443.
    const client::InProcessClient ingressClient(
        router, {"system:slipway-ingress-controller", {"system:masters"}, true});
    std::optional<ingress::IngressProxy> ingressProxy;
    std::optional<ingress::IngressController> ingressController;
    if (flags.nodeAgent && podNetwork &&
        (flags.ingressHttpPort != 0 || flags.ingressHttpsPort != 0)) {
        ingress::IngressProxyOptions ingressProxyOptions;
        ingressProxyOptions.httpPort = flags.ingressHttpPort;
        ingressProxyOptions.httpsPort = flags.ingressHttpsPort;
        ingressProxy.emplace(std::move(ingressProxyOptions));
        ingress::IngressControllerOptions ingressOptions;
        // Empty: the Ingresses' status is left to the external tunnel.
        ingressOptions.nodeIp = externalLoadBalancer ? std::string() : flags.node.nodeIp;
        ingressController.emplace(ingressClient, std::move(ingressOptions));
        ingressController->setTableListener([&](auto table) { ingressProxy->setTable(table); });
        if (auto started = ingressProxy->start(); !started) {
            spdlog::error("{} (the ingress controller stays off)", started.error().message());
            ingressController.reset();
        } else if (auto running = ingressController->start(); !running) {
            spdlog::error("ingress controller: {}", running.error().message());
        }
    }

    // Cluster DNS (CoreDNS's place), after the node agent so that the pod gateway exists.
    const client::InProcessClient dnsClient(
        router, apiserver::Identity{"system:kube-dns", {"system:masters"}, true});
    auto dnsOptions = clusterDnsOptions(flags);
    if (!dnsOptions) {
        spdlog::critical("{}", dnsOptions.error().message());
        return 2;
    }
    std::optional<dns::ClusterDns> clusterDns;
    if (*dnsOptions) {
        clusterDns.emplace(dnsClient, std::move(**dnsOptions));
        // Without DNS pods still run (by IP): on the automatic address, a port taken by
        // another resolver is not fatal. An address given with --cluster-dns-listen is what the
        // caller relies on, so not getting it ends slipwayd as any other listener would.
        if (auto started = clusterDns->start(); !started) {
            if (flags.clusterDnsListen != "auto") {
                spdlog::critical("{}", started.error().message());
                return 1;
            }
            spdlog::error("{}", started.error().message());
            clusterDns.reset();
        }
    }

    // Routes to the pods of nodes that joined (slipwayd agent).
    std::optional<agent::network::NodeRoutes> nodeRoutes;
    if (kubelet && podNetwork) {
        nodeRoutes.emplace(proxyClient, kubelet->nodeName());
        nodeRoutes->start();
    }

    // NetworkPolicy enforcement on the node (table inet slipway-policy).
    const client::InProcessClient policyClient(
        router, apiserver::Identity{"system:network-policy", {"system:masters"}, true});
    std::optional<agent::network::policy::NetworkPolicyController> networkPolicy;
    if (flags.nodeAgent && podNetwork) {
        networkPolicy.emplace(policyClient,
                              agent::network::policy::NetworkPolicyControllerOptions{});
        networkPolicy->start();
    }

    spdlog::info("slipwayd {} (Kubernetes {}) serving on {} with data dir {}",
                 core::slipwayVersion(), core::kubernetesGitVersion(), bound->url(),
                 flags.dataDir.string());

    int signal = 0;
    sigwait(&shutdownSignals, &signal);
    spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    router.setReady(false);
    if (clusterDns) {
        clusterDns->stop();
    }
    if (networkPolicy) {
        networkPolicy->stop();
    }
    if (nodeRoutes) {
        nodeRoutes->stop();
    }
    // Informers first, so that no handler runs into a component being stopped.
    clusterInformers.stop();
    if (podScheduler) {
        podScheduler->stop();
    }
    if (simulatedNodes) {
        simulatedNodes->stop();
    }
    if (kubelet) {
        kubelet->stop();
    }
    ingressController.reset();
    ingressProxy.reset();
    if (controllerManager) {
        controllerManager->stop();
    }
    if (loadBalancer) {
        loadBalancer->stop();
    }
    if (serviceProxy) {
        serviceProxy->stop();
    }
    kubernetesService.stop();
    crdController.stop();
    server.stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace slipway::cmd
