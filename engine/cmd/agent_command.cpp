// SPDX-License-Identifier: Apache-2.0
#include "engine/cmd/agent_command.h"

#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "engine/agent/kubelet/kubelet.h"
#include "engine/agent/network/policy/network_policy_controller.h"
#include "engine/agent/network/routes/node_routes.h"
#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/core/atomic_file.h"
#include "engine/core/file_lock.h"
#include "engine/core/logging.h"
#include "engine/proxy/service_proxy.h"

namespace slipway::cmd {

namespace {

/// The client of the node: the server's URL, its CA, and the node's token.
core::Result<client::ClientConfig> clientConfig(const AgentFlags& flags) {
    auto url = client::ServerUrl::parse(flags.server);
    if (!url) {
        return url.error().wrap("--server");
    }
    client::ClientConfig config(std::move(*url));
    if (!flags.caCertificate.empty()) {
        auto ca = core::readFile(flags.caCertificate);
        if (!ca) {
            return ca.error().wrap("--ca-cert");
        }
        config.certificateAuthorityPem = std::move(*ca);
    }
    config.bearerToken = flags.token;
    if (!flags.tokenFile.empty()) {
        auto token = core::readFile(flags.tokenFile);
        if (!token) {
            return token.error().wrap("--token-file");
        }
        config.bearerToken = *token;
        while (!config.bearerToken.empty() &&
               (config.bearerToken.back() == '\n' || config.bearerToken.back() == ' ')) {
            config.bearerToken.pop_back();
        }
    }
    if (config.bearerToken.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "a node joins with its token: give --token or --token-file");
    }
    return config;
}

/// The streaming server's TLS: the node's certificate, and the cluster CA for its callers.
core::Result<std::optional<agent::streaming::StreamingTls>> streamingTls(
    const AgentFlags& flags, const client::ClientConfig& config) {
    if (flags.kubeletCertificate.empty() && flags.kubeletKey.empty()) {
        spdlog::warn(
            "no --kubelet-cert: the streaming server speaks plain HTTP and the API "
            "server cannot reach it for logs, exec or port-forward");
        return std::optional<agent::streaming::StreamingTls>();
    }
    auto certificate = core::readFile(flags.kubeletCertificate);
    auto key = core::readFile(flags.kubeletKey);
    if (!certificate || !key) {
        return (certificate ? key.error() : certificate.error())
            .wrap("--kubelet-cert/--kubelet-key");
    }
    return std::optional<agent::streaming::StreamingTls>(agent::streaming::StreamingTls{
        std::move(*certificate), std::move(*key), config.certificateAuthorityPem});
}

/// Waits until the server answers as it would a member node: a refused token (401) or a
/// node without the rights (403) ends the agent with one line; an unreachable server is
/// waited for (another VM may still be booting) for up to five minutes.
core::Result<void> awaitAdmission(const client::Client& api, const std::string& nodeName) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (true) {
        auto node = api.get(client::resources::nodes().named(nodeName));
        if (node || node.error().code() == core::ErrorCode::NotFound) {
            return core::success();
        }
        const auto code = node.error().code();
        if (code == core::ErrorCode::Unauthorized) {
            return core::Error(code, "the server refused the node's token (401 Unauthorized)");
        }
        if (code == core::ErrorCode::Forbidden) {
            return core::Error(
                code, "the server does not let this node read Nodes: " + node.error().message());
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return node.error().wrap("the server did not answer within 5 minutes");
        }
        spdlog::info("waiting for the server: {}", node.error().message());
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

std::string hostName() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "node";
    }
    return name;
}

}  // namespace

int runAgent(const AgentFlags& flags) {
    const sigset_t shutdownSignals = blockShutdownSignals();

    if (auto logged = core::initLogging("slipwayd", flags.logLevel); !logged) {
        std::fprintf(stderr, "slipwayd: %s\n", logged.error().message().c_str());
        return 2;
    }
    auto config = clientConfig(flags);
    if (!config) {
        spdlog::critical("{}", config.error().message());
        return 2;
    }
    auto tls = streamingTls(flags, *config);
    if (!tls) {
        spdlog::critical("{}", tls.error().message());
        return 2;
    }
    const auto proxyMode = proxy::parseProxyMode(flags.node.proxyMode);
    if (!proxyMode) {
        spdlog::critical("{}", proxyMode.error().message());
        return 2;
    }
    auto lock = lockDataDir(flags.dataDir);
    if (!lock) {
        spdlog::critical("{}", lock.error().message());
        return 1;
    }
    auto options = kubeletOptions(flags.node, hostName(), flags.dataDir, std::move(*tls));
    if (!options) {
        spdlog::critical("{}", options.error().message());
        return 2;
    }
    // The server may still be booting (another VM): wait for it as long as a slow start takes.
    options->podCidrTimeout = std::chrono::minutes(5);

    const client::HttpsClient apiClient(*config);
    if (auto admitted = awaitAdmission(apiClient, options->node.name); !admitted) {
        spdlog::critical("{}", admitted.error().message());
        return 1;
    }
    agent::kubelet::Kubelet kubelet(apiClient, std::move(*options));
    spdlog::info("joining {} as node {}", flags.server, kubelet.nodeName());
    if (auto started = kubelet.start(); !started) {
        spdlog::critical("node agent: {}", started.error().message());
        return 1;
    }

    const bool podNetwork = flags.node.podNetwork == "bridge";
    std::optional<agent::network::NodeRoutes> routes;
    std::optional<proxy::ServiceProxy> serviceProxy;
    std::optional<agent::network::policy::NetworkPolicyController> networkPolicy;
    if (podNetwork) {
        routes.emplace(apiClient, kubelet.nodeName());
        routes->start();
        if (*proxyMode != proxy::ProxyMode::None) {
            proxy::ProxyOptions services;
            services.nodeName = kubelet.nodeName();
            services.mode = *proxyMode;
            services.rules.nodeIps = nodePortAddresses(flags.node);
            serviceProxy.emplace(apiClient, services);
            serviceProxy->start();
        }
        networkPolicy.emplace(apiClient, agent::network::policy::NetworkPolicyControllerOptions{});
        networkPolicy->start();
    }
    spdlog::info("node {} runs (data dir {})", kubelet.nodeName(), flags.dataDir.string());

    int signal = 0;
    sigwait(&shutdownSignals, &signal);
    spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    if (networkPolicy) {
        networkPolicy->stop();
    }
    if (serviceProxy) {
        serviceProxy->stop();
    }
    if (routes) {
        routes->stop();
    }
    kubelet.stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace slipway::cmd
