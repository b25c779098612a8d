// SPDX-License-Identifier: Apache-2.0
// slipwayd: the orchestration engine. This file only parses flags and dispatches.
#include <iostream>

#include <CLI/CLI.hpp>
#include <malloc.h>

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
    std::cerr << app.help();
    return 2;
}
