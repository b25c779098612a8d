// SPDX-License-Identifier: Apache-2.0
#include "cli/commands.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/core/duration.h"
#include "vm/cluster_manager.h"
#include "vm/load_balancer_tunnel.h"
#include "vm/process.h"
#include "vm/service_tunnel.h"

namespace slipway::cli {
namespace {

/// Every failure ends the same way: one line on stderr, non-zero exit.
int fail(const core::Error& error) {
    std::cerr << "slipway: " << error.message() << "\n";
    return kExitError;
}

/// A cluster that is not running: one line and exit 7, as `status` does.
int notRunning(const core::Error& error) {
    std::cerr << "slipway: " << error.message() << "\n";
    return kExitNotRunning;
}

void printPhase(const std::string& phase) {
    std::cout << "* " << phase << std::endl;
}

std::string age(const vm::ClusterSpec& spec) {
    if (spec.createdAt.time_since_epoch().count() == 0) {
        return "<unknown>";
    }
    return core::humanDuration(std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() - spec.createdAt));
}

nlohmann::json toJson(const vm::ClusterStatus& status) {
    return {
        {"name", status.spec.name},
        {"driver", vm::driverName(status.spec.driver)},
        {"state", vm::stateName(status.state)},
        {"accelerator", status.accelerator},
        {"nodesReady", status.nodesReady},
        {"cpus", status.spec.cpus},
        {"memoryMiB", status.spec.memoryMiB},
        {"nodes", status.spec.nodes},
        {"apiServer", status.apiServerUrl},
        {"kubeconfig", status.kubeconfigPath},
        {"context", vm::contextName(status.spec.name)},
        {"message", status.message},
    };
}

}  // namespace

int startCommand(vm::ClusterManager& manager, const GlobalOptions& global, vm::ClusterSpec spec,
                 bool nodesGiven, const vm::ClusterSettingsChange& change) {
    spec.name = global.cluster;
    auto before = manager.status(spec.name);
    if (before && nodesGiven && before->spec.nodes != spec.nodes) {
        std::cout << "* Cluster \"" << spec.name << "\" has " << before->spec.nodes
                  << " node(s); --nodes applies to new clusters (slipway node add|delete "
                     "changes it)\n";
    }
    const bool changeAsked = change.cpus || change.memoryMiB || change.diskGiB;
    if (before && changeAsked) {  // otherwise no second status probe
        auto changed = manager.changeSettings(spec.name, change);
        if (!changed) {
            return fail(changed.error());
        }
        if (changed->cpus != before->spec.cpus || changed->memoryMiB != before->spec.memoryMiB) {
            std::cout << "* Cluster \"" << spec.name << "\" now has " << changed->cpus
                      << " CPUs and " << changed->memoryMiB << " MiB per node (was "
                      << before->spec.cpus << " and " << before->spec.memoryMiB << ")\n";
        }
    }
    if (before && before->state == vm::ClusterState::Running) {
        std::cout << "* Cluster \"" << spec.name << "\" is already running at "
                  << before->apiServerUrl << "\n";
        return kExitOk;
    }
    auto started = manager.start(spec, printPhase);
    if (!started) {
        return fail(started.error());
    }
    std::cout << "* Done! Cluster \"" << spec.name << "\" is running at " << started->apiServerUrl
              << "\n"
              << "  kubectl --kubeconfig " << started->kubeconfigPath << " get --raw /version\n";
    return kExitOk;
}

int studioCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                  const std::vector<std::string>& arguments) {
    const std::string program = vm::findCompanion("slipway-studio").string();
    std::vector<std::string> argv = {program};
    auto status = manager.status(global.cluster);
    if (status && status->state == vm::ClusterState::Running && !status->kubeconfigPath.empty()) {
        argv.insert(argv.end(), {"--kubeconfig", status->kubeconfigPath, "--context",
                                 vm::contextName(global.cluster)});
    }
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::vector<char*> pointers;
    for (auto& argument : argv) {
        pointers.push_back(argument.data());
    }
    pointers.push_back(nullptr);
    std::cout << std::flush;
    ::execv(program.c_str(), pointers.data());
    const int error = errno;
    std::cerr << "slipway: cannot start " << program << ": " << std::strerror(error)
              << (error == ENOENT ? " (install slipway-studio, or put it on $PATH)" : "") << "\n";
    return kExitError;
}

int stopCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto before = manager.status(global.cluster);
    if (!before) {
        return fail(before.error());
    }
    if (before->state == vm::ClusterState::Stopped) {
        std::cout << "* Cluster \"" << global.cluster << "\" is already stopped\n";
        return kExitOk;
    }
    if (auto stopped = manager.stop(global.cluster, printPhase); !stopped) {
        return fail(stopped.error());
    }
    std::cout << "* Stopped cluster \"" << global.cluster << "\"\n";
    return kExitOk;
}

int deleteCommand(vm::ClusterManager& manager, const GlobalOptions& global, bool all) {
    std::vector<std::string> names;
    if (all) {
        auto clusters = manager.list();
        if (!clusters) {
            return fail(clusters.error());
        }
        for (const auto& cluster : *clusters) {
            names.push_back(cluster.spec.name);
        }
    } else {
        names.push_back(global.cluster);
    }
    for (const auto& name : names) {
        auto removed = manager.remove(name, printPhase);
        if (!removed) {
            return fail(removed.error());
        }
        std::cout << "* Deleted cluster \"" << name << "\"\n";
    }
    return kExitOk;
}

int statusCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto status = manager.status(global.cluster);
    if (!status) {
        return fail(status.error());
    }
    if (global.output == "json") {
        std::cout << toJson(*status).dump(2) << "\n";
    } else {
        std::cout << status->spec.name << "\n"
                  << "driver: " << vm::driverName(status->spec.driver) << "\n"
                  << "state: " << vm::stateName(status->state) << "\n";
        if (!status->accelerator.empty()) {
            std::cout << "accelerator: " << status->accelerator << "\n";
        }
        if (status->nodes > 0 && status->state == vm::ClusterState::Running) {
            std::cout << "nodes: " << status->nodesReady << "/" << status->nodes << " Ready\n";
        }
        if (!status->apiServerUrl.empty()) {
            std::cout << "apiserver: " << status->apiServerUrl << "\n";
        }
        if (!status->kubeconfigPath.empty()) {
            std::cout << "kubeconfig: " << status->kubeconfigPath << "\n";
        }
        if (!status->message.empty()) {
            std::cout << "message: " << status->message << "\n";
        }
    }
    return status->state == vm::ClusterState::Running ? kExitOk : kExitNotRunning;
}

int kubeconfigCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto status = manager.status(global.cluster);
    if (!status) {
        return fail(status.error());
    }
    if (status->kubeconfigPath.empty()) {
        return fail(core::Error(core::ErrorCode::NotFound,
                                "cluster \"" + global.cluster +
                                    "\" has no kubeconfig yet; start it with: slipway start"));
    }
    std::cout << status->kubeconfigPath << "\n";
    return kExitOk;
}

int listCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto clusters = manager.list();
    if (!clusters) {
        return fail(clusters.error());
    }
    if (global.output == "json") {
        auto items = nlohmann::json::array();
        for (const auto& cluster : *clusters) {
            items.push_back(toJson(cluster));
        }
        std::cout << items.dump(2) << "\n";
        return kExitOk;
    }
    if (clusters->empty()) {
        std::cout << "No clusters. Create one with: slipway start\n";
        return kExitOk;
    }
    std::printf("%-20s %-8s %-9s %-5s %-5s %-9s %-26s %s\n", "NAME", "DRIVER", "STATE", "NODES",
                "CPUS", "MEMORY", "API SERVER", "AGE");
    for (const auto& cluster : *clusters) {
        const std::string memory = std::to_string(cluster.spec.memoryMiB) + "MiB";
        std::printf("%-20s %-8s %-9s %-5d %-5d %-9s %-26s %s\n", cluster.spec.name.c_str(),
                    std::string(vm::driverName(cluster.spec.driver)).c_str(),
                    std::string(vm::stateName(cluster.state)).c_str(), cluster.spec.nodes,
                    cluster.spec.cpus, memory.c_str(),
                    cluster.apiServerUrl.empty() ? "-" : cluster.apiServerUrl.c_str(),
                    age(cluster.spec).c_str());
    }
    return kExitOk;
}

int pauseCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    if (auto paused = manager.pause(global.cluster); !paused) {
        return paused.error().code() == core::ErrorCode::Unavailable ? notRunning(paused.error())
                                                                     : fail(paused.error());
    }
    std::cout << "* Paused cluster \"" << global.cluster << "\"\n";
    return kExitOk;
}

int unpauseCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    if (auto resumed = manager.unpause(global.cluster); !resumed) {
        return resumed.error().code() == core::ErrorCode::Unavailable ? notRunning(resumed.error())
                                                                      : fail(resumed.error());
    }
    std::cout << "* Unpaused cluster \"" << global.cluster << "\"\n";
    return kExitOk;
}

int logsCommand(vm::ClusterManager& manager, const GlobalOptions& global, bool follow) {
    auto path = manager.logPath(global.cluster);
    if (!path) {
        return fail(path.error());
    }
    std::ifstream in(*path, std::ios::binary);
    if (!in) {
        return fail(core::Error(
            core::ErrorCode::NotFound,
            "cluster \"" + global.cluster + "\" has no log yet (" + path->string() + ")"));
    }
    char buffer[65536];
    for (;;) {
        in.read(buffer, sizeof buffer);
        const auto got = in.gcount();
        if (got > 0) {
            std::cout.write(buffer, got);
            continue;
        }
        if (!follow) {
            break;
        }
        std::cout.flush();
        in.clear();  // at the end for now: wait for more
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    std::cout.flush();
    return kExitOk;
}

int nodeAddCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto added = manager.addNode(global.cluster, printPhase);
    if (!added) {
        return added.error().code() == core::ErrorCode::Unavailable ? notRunning(added.error())
                                                                    : fail(added.error());
    }
    std::cout << "* Node \"" << added->name << "\" (" << added->address << ") joined cluster \""
              << global.cluster << "\"\n";
    return kExitOk;
}

int nodeDeleteCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                      const std::string& node) {
    if (auto removed = manager.removeNode(global.cluster, node, printPhase); !removed) {
        return fail(removed.error());
    }
    std::cout << "* Deleted node \"" << node << "\" of cluster \"" << global.cluster << "\"\n";
    return kExitOk;
}

int nodeListCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto nodes = manager.nodes(global.cluster);
    if (!nodes) {
        return fail(nodes.error());
    }
    if (global.output == "json") {
        auto items = nlohmann::json::array();
        for (const auto& node : *nodes) {
            items.push_back({{"name", node.name},
                             {"role", node.role},
                             {"state", node.state},
                             {"address", node.address}});
        }
        std::cout << items.dump(2) << "\n";
        return kExitOk;
    }
    std::size_t width = 4;
    for (const auto& node : *nodes) {
        width = std::max(width, node.name.size());
    }
    const auto row = [&](const std::string& name, const std::string& role, const std::string& state,
                         const std::string& address) {
        std::printf("%-*s   %-6s   %-8s   %s\n", static_cast<int>(width), name.c_str(),
                    role.c_str(), state.c_str(), address.c_str());
    };
    row("NAME", "ROLE", "STATE", "IP");
    for (const auto& node : *nodes) {
        row(node.name, node.role, node.state, node.address);
    }
    return kExitOk;
}

namespace {

/// SIGINT and SIGTERM blocked in this thread and every thread it starts after, so that
/// waitForStopSignal() takes them: the foreground commands (service, tunnel) clean up on
/// Ctrl-C instead of dying.
sigset_t blockStopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

void waitForStopSignal(const sigset_t& signals) {
    int received = 0;
    sigwait(&signals, &received);
}

/// The exit code of a command that needs the cluster running, when it does not (with the
/// reason printed); nothing when it runs.
std::optional<int> unlessRunning(const core::Result<vm::ClusterStatus>& status,
                                 const std::string& cluster) {
    if (!status) {
        return fail(status.error());
    }
    if (status->state != vm::ClusterState::Running || status->kubeconfigPath.empty()) {
        std::cerr << "slipway: cluster \"" << cluster
                  << "\" is not running (start it with: slipway start)\n";
        return kExitNotRunning;
    }
    return std::nullopt;
}

}  // namespace

int serviceCommand(vm::ClusterManager& manager, const GlobalOptions& global,
                   const std::string& name, const std::string& nameSpace, bool urlOnly) {
    auto status = manager.status(global.cluster);
    if (auto refused = unlessRunning(status, global.cluster)) {
        return *refused;
    }
    if (status->spec.driver == vm::DriverKind::Libvirt) {
        auto urls = manager.exposeService(global.cluster, nameSpace, name);
        if (!urls) {
            return fail(urls.error());
        }
        for (const auto& url : *urls) {
            if (urlOnly) {
                std::cout << url.url << "\n";
            } else {
                std::cout << "* Service " << nameSpace << "/" << name << " port " << url.port
                          << (url.portName.empty() ? "" : " (" + url.portName + ")") << ": "
                          << url.url << "\n";
            }
        }
        if (!urls->empty()) {
            return kExitOk;  // QEMU forwards to the node port until the cluster is deleted
        }
        // A ClusterIP Service has no node port to forward to: tunnel as for local clusters.
    }
    // Blocked before the tunnel's threads start, so that none of them receives one.
    const sigset_t signals = blockStopSignals();
    auto tunnel = vm::ServiceTunnel::open(
        status->kubeconfigPath, nameSpace, name,
        [](const std::string& message) { std::cerr << "slipway: " << message << std::endl; });
    if (!tunnel) {
        return fail(tunnel.error());
    }
    for (const auto& url : (*tunnel)->urls()) {
        if (urlOnly) {
            std::cout << url.url << "\n";
        } else {
            std::cout << "* Service " << nameSpace << "/" << name << " port " << url.port
                      << (url.portName.empty() ? "" : " (" + url.portName + ")") << ": " << url.url
                      << "\n";
        }
    }
    if (!urlOnly) {
        std::cout << "* Connections are forwarded through the API server to the Service's "
                     "ready pods; the terminal must stay open (Ctrl-C stops).\n";
    }
    std::cout << std::flush;
    waitForStopSignal(signals);
    (*tunnel)->stop();
    return kExitOk;
}

namespace {

/// "127.0.0.1:8080 → node port 30080" for each port; "(port 80 below 1024 and not root)"
/// when the host port is not the one asked for.
std::string describePorts(const std::vector<vm::TunnelPort>& ports) {
    std::string text;
    for (const auto& port : ports) {
        text += text.empty() ? "" : ", ";
        text += "127.0.0.1:" + std::to_string(port.hostPort);
        if (!port.reason.empty()) {
            text += " (port " + std::to_string(port.port) + " " + port.reason + ")";
        }
        text += " -> node port " + std::to_string(port.nodePort);
    }
    return text;
}

void printTunnelEvent(const vm::TunnelEvent& event) {
    const std::string what = event.name.empty()
                                 ? std::string("Ingress ports")
                                 : event.kindName + " " + event.nameSpace + "/" + event.name;
    switch (event.kind) {
        case vm::TunnelEvent::Kind::Exposed:
            if (event.name.empty()) {
                std::cout << "* Ingress ports: " << describePorts(event.ports) << std::endl;
            } else if (event.kindName == "Ingress") {
                std::cout << "* Ingress " << event.nameSpace << "/" << event.name
                          << ": address 127.0.0.1" << std::endl;
            } else {
                std::cout << "* Exposed " << what << " at 127.0.0.1: " << describePorts(event.ports)
                          << std::endl;
            }
            break;
        case vm::TunnelEvent::Kind::Withdrawn:
            std::cout << "* Withdrew " << what << std::endl;
            break;
        case vm::TunnelEvent::Kind::Failed:
            std::cerr << "slipway: " << what << ": " << event.message << std::endl;
            break;
    }
}

}  // namespace

int tunnelCommand(vm::ClusterManager& manager, const GlobalOptions& global) {
    auto status = manager.status(global.cluster);
    if (auto refused = unlessRunning(status, global.cluster)) {
        return *refused;
    }
    if (status->spec.driver != vm::DriverKind::Libvirt) {
        // minikube's none driver likewise: the node is this host, its addresses are ours.
        std::cout << "* Cluster \"" << global.cluster
                  << "\" runs on this host: its LoadBalancer Services already have the node's "
                     "address as EXTERNAL-IP, reachable from here. No tunnel is needed.\n";
        return kExitOk;
    }
    // Blocked before the tunnel's threads start, so that none of them receives one.
    const sigset_t signals = blockStopSignals();
    vm::LoadBalancerTunnelOptions options;
    options.privilegedPorts = ::geteuid() == 0;
    auto tunnel =
        vm::LoadBalancerTunnel::forCluster(manager, global.cluster, printTunnelEvent, options);
    if (!tunnel) {
        return tunnel.error().code() == core::ErrorCode::Unavailable ? notRunning(tunnel.error())
                                                                     : fail(tunnel.error());
    }
    if (auto started = (*tunnel)->start(); !started) {
        return fail(started.error());
    }
    std::cout << "* Tunnel for cluster \"" << global.cluster
              << "\" runs; LoadBalancer Services get EXTERNAL-IP 127.0.0.1 (Ctrl-C stops and "
                 "cleans up)."
              << std::endl;
    waitForStopSignal(signals);
    (*tunnel)->stop();
    return kExitOk;
}

}  // namespace slipway::cli
