// SPDX-License-Identifier: Apache-2.0
// slipway: the command line. This file only parses flags and dispatches to commands.cpp.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "engine/core/version.h"
#include "vm/cluster_manager.h"

int main(int argc, char** argv) {
    namespace cli = slipway::cli;
    namespace vm = slipway::vm;

    CLI::App app{"slipway — local Kubernetes-style clusters", "slipway"};
    app.require_subcommand(0, 1);
    bool showVersion = false;
    app.add_flag("--version", showVersion, "Print the version and exit");

    cli::GlobalOptions global;
    app.add_option("-c,--cluster", global.cluster, "Name of the cluster to act on")
        ->capture_default_str()
        ->envname("SLIPWAY_CLUSTER");
    app.add_option("-o,--output", global.output, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();

    vm::ClusterSpec spec;
    std::string driver = "local";
    std::string accel = "auto";
    auto* start = app.add_subcommand("start", "Create the cluster if needed and start it");
    start->add_option("--driver", driver, "local (slipwayd on this host) or libvirt (a VM)")
        ->check(CLI::IsMember({"local", "libvirt"}))
        ->capture_default_str();
    auto* cpusOption = start->add_option("--cpus", spec.cpus, "CPUs per node")
                           ->check(CLI::Range(1, 256))
                           ->capture_default_str();
    auto* memoryOption = start->add_option("--memory", spec.memoryMiB, "Memory per node in MiB")
                             ->check(CLI::Range(256, 1 << 20))
                             ->capture_default_str();
    auto* nodesOption = start->add_option("--nodes", spec.nodes, "Number of nodes (a new cluster)")
                            ->check(CLI::Range(1, 100))
                            ->capture_default_str();
    auto* diskOption =
        start->add_option("--disk", spec.diskGiB, "Data disk size per node in GiB (libvirt)")
            ->check(CLI::Range(1, 4096))
            ->capture_default_str();
    start->add_option("--accel", accel, "kvm, tcg or auto (KVM if a probe boots a guest)")
        ->check(CLI::IsMember({"kvm", "tcg", "auto"}))
        ->capture_default_str();
    start->add_option("--libvirt-uri", spec.libvirtUri,
                      "libvirt connection (default qemu:///system as root, else qemu:///session)");
    auto* pause =
        app.add_subcommand("pause", "Freeze the cluster (its VMs, or the local slipwayd)");
    auto* unpause = app.add_subcommand("unpause", "Let a paused cluster run again");
    auto* logs = app.add_subcommand("logs", "Print the guest console (or slipwayd's log)");
    bool follow = false;
    logs->add_flag("-f,--follow", follow, "Keep printing what is appended");
    auto* stop = app.add_subcommand("stop", "Stop the cluster, keeping its state");
    auto* status = app.add_subcommand("status", "Show the cluster's state (exit 7 if not running)");
    auto* remove = app.add_subcommand("delete", "Stop the cluster and delete all its state");
    bool all = false;
    remove->add_flag("--all", all, "Delete every cluster");
    auto* list = app.add_subcommand("list", "List clusters");
    auto* kubeconfig =
        app.add_subcommand("kubeconfig", "Print the path of the cluster's kubeconfig");
    auto* service = app.add_subcommand(
        "service", "Print a URL on 127.0.0.1 that reaches a Service, and forward it");
    std::string serviceName;
    std::string serviceNamespace = "default";
    bool urlOnly = false;
    service->add_option("name", serviceName, "The Service")->required();
    service->add_option("-n,--namespace", serviceNamespace, "The Service's namespace")
        ->capture_default_str();
    service->add_flag("--url", urlOnly, "Print only the URLs, one per line");
    auto* tunnel = app.add_subcommand(
        "tunnel",
        "Give LoadBalancer Services and the ingress 127.0.0.1 on this host (a VM cluster's "
        "minikube tunnel) until interrupted");
    tunnel->footer(
        "Each TCP port of every LoadBalancer Service is forwarded from 127.0.0.1:<port> (a free "
        "port when that one is taken, or below 1024 without root) to its node port, and the "
        "Service's EXTERNAL-IP becomes 127.0.0.1; the ingress gets 127.0.0.1:80 and :443 the "
        "same way. Ctrl-C removes the forwards and clears the addresses. Local clusters need "
        "no tunnel: their node is this host.");
    auto* image = app.add_subcommand("image", "Manage the nodes' images");
    image->require_subcommand(1);
    auto* imageLoad = image->add_subcommand(
        "load", "Load a docker-archive or OCI-layout tarball (docker save) into every node");
    std::string imageFile;
    imageLoad->add_option("file", imageFile, "The tarball")->required()->check(CLI::ExistingFile);
    imageLoad->fallthrough();
    auto* node = app.add_subcommand("node", "Add, delete and list the cluster's nodes");
    node->require_subcommand(1, 1);
    auto* nodeAdd =
        node->add_subcommand("add", "Add an agent node (a VM) and wait until it is Ready");
    auto* nodeDelete = node->add_subcommand(
        "delete", "Delete an agent node without draining it: its VM, disk, Node and pods");
    std::string nodeName;
    nodeDelete->add_option("name", nodeName, "The node")->required();
    auto* nodeList = node->add_subcommand("list", "List the cluster's nodes");
    auto* studio = app.add_subcommand(
        "studio",
        "Open Slipway Studio (on the cluster's topology when it runs); arguments after "
        "-- go to slipway-studio");
    std::vector<std::string> studioArguments;
    studio->add_option("studio-arguments", studioArguments, "Passed to slipway-studio");
    for (auto* command : {start, stop, status, remove, list, kubeconfig, service, tunnel, pause,
                          unpause, logs, node, nodeAdd, nodeDelete, nodeList, image, studio}) {
        command->fallthrough();  // global options may follow the command name
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (showVersion) {
        std::cout << "slipway " << slipway::core::slipwayVersion() << " (Kubernetes "
                  << slipway::core::kubernetesGitVersion() << ")\n";
        return cli::kExitOk;
    }
    if (auto valid = vm::validateClusterName(global.cluster); !valid) {
        std::cerr << "slipway: " << valid.error().message() << "\n";
        return cli::kExitUsage;
    }

    vm::ClusterManager manager;
    if (start->parsed()) {
        spec.driver = *vm::parseDriver(driver);
        spec.accel = *vm::parseAccelerator(accel);
        // Given on an existing cluster, these change it (when stopped) from this start on.
        vm::ClusterSettingsChange change;
        if (cpusOption->count() > 0) {
            change.cpus = spec.cpus;
        }
        if (memoryOption->count() > 0) {
            change.memoryMiB = spec.memoryMiB;
        }
        if (diskOption->count() > 0) {
            change.diskGiB = spec.diskGiB;
        }
        return cli::startCommand(manager, global, spec, nodesOption->count() > 0, change);
    }
    if (pause->parsed()) {
        return cli::pauseCommand(manager, global);
    }
    if (unpause->parsed()) {
        return cli::unpauseCommand(manager, global);
    }
    if (studio->parsed()) {
        return cli::studioCommand(manager, global, studioArguments);
    }
    if (logs->parsed()) {
        return cli::logsCommand(manager, global, follow);
    }
    if (stop->parsed()) {
        return cli::stopCommand(manager, global);
    }
    if (status->parsed()) {
        return cli::statusCommand(manager, global);
    }
    if (remove->parsed()) {
        return cli::deleteCommand(manager, global, all);
    }
    if (list->parsed()) {
        return cli::listCommand(manager, global);
    }
    if (kubeconfig->parsed()) {
        return cli::kubeconfigCommand(manager, global);
    }
    if (imageLoad->parsed()) {
        return cli::imageLoadCommand(manager, global, imageFile);
    }
    if (nodeAdd->parsed()) {
        return cli::nodeAddCommand(manager, global);
    }
    if (nodeDelete->parsed()) {
        return cli::nodeDeleteCommand(manager, global, nodeName);
    }
    if (nodeList->parsed()) {
        return cli::nodeListCommand(manager, global);
    }
    if (service->parsed()) {
        return cli::serviceCommand(manager, global, serviceName, serviceNamespace, urlOnly);
    }
    if (tunnel->parsed()) {
        return cli::tunnelCommand(manager, global);
    }
    std::cout << app.help();
    return cli::kExitUsage;
}
