// SPDX-License-Identifier: Apache-2.0
#include "vm/cluster_manager.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/client/https_client.h"
#include "engine/client/resource_ref.h"
#include "engine/client/rest_client.h"
#include "engine/pki/kubeconfig.h"
#include "vm/kubeconfig_merge.h"
#include "vm/libvirt_driver.h"
#include "vm/local_process_driver.h"
#include "vm/process.h"

namespace slipway::vm {
namespace {

constexpr const char* kSpecFile = "cluster.json";

/// A client for the cluster's API server, from the kubeconfig slipwayd wrote once it was
/// ready; nothing if that file does not exist (yet).
std::optional<client::RestClient> clusterClient(const std::filesystem::path& dir) {
    const auto kubeconfig = pki::Kubeconfig::load(dir / "kubeconfig");
    if (!kubeconfig) {
        return std::nullopt;
    }
    auto config = client::ClientConfig::fromKubeconfig(*kubeconfig);
    if (!config) {
        return std::nullopt;
    }
    return client::RestClient(std::move(*config));
}

/// True if the API server answers /readyz with 200 within `timeout`, over TLS with the
/// cluster's own credentials (so it is this cluster's server, not whatever took the port).
bool apiServerReady(const std::optional<client::RestClient>& rest,
                    std::chrono::milliseconds timeout) {
    if (!rest) {
        return false;
    }
    client::RequestOptions options;
    options.timeout = timeout;
    options.maxBodyBytes = 64 * 1024;
    const auto response = rest->get("/readyz", options);
    return response.ok() && response->status == 200;
}

/// Whether the Node `name` has condition Ready=True.
bool nodeReady(const std::optional<client::RestClient>& rest, const std::string& name) {
    if (!rest) {
        return false;
    }
    client::RequestOptions options;
    options.timeout = std::chrono::seconds(5);
    options.maxBodyBytes = 1024 * 1024;
    const auto response = rest->get("/api/v1/nodes/" + name, options);
    if (!response.ok() || response->status != 200) {
        return false;
    }
    try {
        const auto node = nlohmann::json::parse(response->body);
        for (const auto& condition :
             node.at("status").value("conditions", nlohmann::json::array())) {
            if (condition.value("type", std::string()) == "Ready") {
                return condition.value("status", std::string()) == "True";
            }
        }
    } catch (const nlohmann::json::exception&) {
    }
    return false;
}

std::string lastLineOf(const std::filesystem::path& file) {
    std::string last = tailOfFile(file, 1);
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) {
        last.pop_back();
    }
    return last;
}

}  // namespace

ClusterManager::ClusterManager(ClusterManagerOptions options) : m_options(std::move(options)) {
    if (m_options.clustersRoot.empty()) {
        m_options.clustersRoot = defaultClustersRoot();
    }
    if (m_options.slipwaydPath.empty()) {
        m_options.slipwaydPath = findCompanion("slipwayd");
    }
    if (m_options.userKubeconfig.empty()) {
        m_options.userKubeconfig = userKubeconfigPath();
    }
    m_localDriver = std::make_unique<LocalProcessDriver>(m_options.slipwaydPath);
    LibvirtDriverOptions libvirt;
    libvirt.guestImageDir = m_options.guestImageDir;
    m_libvirtDriver = std::make_unique<LibvirtDriver>(std::move(libvirt));
}

ClusterManager::~ClusterManager() = default;

std::filesystem::path ClusterManager::defaultClustersRoot() {
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    std::filesystem::path base;
    if (dataHome != nullptr && *dataHome == '/') {
        base = dataHome;
    } else {
        const char* home = std::getenv("HOME");
        base = std::filesystem::path(home != nullptr ? home : "/tmp") / ".local" / "share";
    }
    return base / "slipway" / "clusters";
}

std::filesystem::path ClusterManager::clusterDir(const std::string& name) const {
    return m_options.clustersRoot / name;
}

Driver& ClusterManager::driverFor(DriverKind kind) const {
    return kind == DriverKind::Libvirt ? *m_libvirtDriver : *m_localDriver;
}

core::Result<ClusterSpec> ClusterManager::loadSpec(const std::string& name) const {
    if (auto valid = validateClusterName(name); !valid) {
        return valid.error();
    }
    auto spec = loadClusterSpec(clusterDir(name) / kSpecFile);
    if (!spec && spec.error().code() == core::ErrorCode::NotFound) {
        return core::Error(core::ErrorCode::NotFound, "cluster \"" + name + "\" not found");
    }
    return spec;
}

core::Result<ClusterStatus> ClusterManager::start(const ClusterSpec& requested,
                                                  const ProgressCallback& progress,
                                                  const std::atomic<bool>* cancel) {
    if (auto valid = validateClusterName(requested.name); !valid) {
        return valid.error();
    }
    const auto dir = clusterDir(requested.name);
    const auto specFile = dir / kSpecFile;
    const auto isCancelled = [cancel] { return cancel != nullptr && cancel->load(); };
    if (isCancelled()) {
        return core::Error(core::ErrorCode::Cancelled,
                           "start of \"" + requested.name + "\" cancelled before it began");
    }
    auto existing = loadClusterSpec(specFile);
    ClusterSpec spec;
    bool created = false;
    if (existing) {
        spec = *existing;
    } else if (existing.error().code() == core::ErrorCode::NotFound) {
        // Refused before anything is made, so a failed start leaves nothing to delete.
        if (requested.driver == DriverKind::Libvirt && requested.nodes > 1 &&
            !LibvirtDriver::hasPrivateNetwork(LibvirtDriver::uriFor(requested))) {
            return core::Error(core::ErrorCode::BadRequest,
                               "clusters of several nodes need a private network between the "
                               "VMs, which only qemu:///system makes (run as root, or "
                               "--libvirt-uri qemu:///system)");
        }
        if (progress) {
            progress("Creating cluster \"" + requested.name + "\" in " + dir.string());
        }
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            return core::Error(core::ErrorCode::Io,
                               "cannot create " + dir.string() + ": " + ec.message());
        }
        spec = requested;
        spec.createdAt =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        if (auto saved = saveClusterSpec(specFile, spec); !saved) {
            return saved.error();
        }
        created = true;
    } else {
        return existing.error();
    }
    // A cancelled start of a cluster that already existed leaves it as it is (the user can
    // stop it); a cancelled create takes back everything it made, so no half-made cluster
    // stays behind, or says exactly what does.
    const auto cancelled = [&](const std::string& when) -> core::Error {
        if (!created) {
            return core::Error(core::ErrorCode::Cancelled,
                               "start of \"" + spec.name + "\" cancelled " + when +
                                   "; it may still be starting (slipway stop to end it)");
        }
        if (progress) {
            progress("Cancelled: removing the half-made cluster \"" + spec.name + "\"");
        }
        auto undone = rollBackCreate(spec, progress);
        return undone
                   ? core::Error(core::ErrorCode::Cancelled, "creation of \"" + spec.name +
                                                                 "\" cancelled " + when +
                                                                 "; nothing was left behind")
                   : core::Error(core::ErrorCode::Cancelled,
                                 "creation of \"" + spec.name + "\" cancelled " + when + ", but " +
                                     dir.string() + " is left (" + undone.error().message() +
                                     "); slipway delete --cluster " + spec.name + " removes it");
    };

    Driver& driver = driverFor(spec.driver);
    using Clock = std::chrono::steady_clock;
    const auto timeout =
        spec.driver == DriverKind::Libvirt ? m_options.vmStartTimeout : m_options.startTimeout;
    const auto deadline = Clock::now() + timeout;
    const MachineState before = driver.observe(spec, dir);
    if (before.paused) {
        if (progress) {
            progress("Unpausing \"" + spec.name + "\"");
        }
        if (auto resumed = driver.resume(spec, dir); !resumed) {
            return resumed.error();
        }
    }
    if (isCancelled()) {
        return cancelled("before launch");
    }
    if (!before.running || before.partial) {
        if (auto launched = driver.launch(spec, dir, progress); !launched) {
            return launched.error();
        }
        if (auto saved = saveClusterSpec(specFile, spec); !saved) {
            return saved.error();
        }
    }

    if (progress) {
        progress("Waiting for the API server on 127.0.0.1:" + std::to_string(spec.apiPort));
    }
    auto pause = std::chrono::milliseconds(10);
    while (!apiServerReady(clusterClient(dir), std::chrono::seconds(2))) {
        if (isCancelled()) {
            return cancelled("while waiting for the API server");
        }
        if (!driver.observe(spec, dir).running) {
            // One line for the user: the machine's last words and where to read the rest.
            const auto log = driver.logPath(spec, dir);
            const std::string what = spec.driver == DriverKind::Libvirt
                                         ? "the VM stopped during start-up: "
                                         : "slipwayd exited during start-up: ";
            return core::Error(core::ErrorCode::Unavailable,
                               what + lastLineOf(log) + " (log: " + log.string() + ")");
        }
        if (Clock::now() >= deadline) {
            return core::Error(core::ErrorCode::Timeout,
                               "the API server of \"" + spec.name + "\" was not ready within " +
                                   std::to_string(timeout.count() / 1000) +
                                   " s (log: " + driver.logPath(spec, dir).string() + ")");
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
    if (auto ready = waitForNodes(spec, driver, deadline, progress, cancel); !ready) {
        if (ready.error().code() == core::ErrorCode::Cancelled) {
            return cancelled("while waiting for the nodes");
        }
        return ready.error();
    }
    if (isCancelled()) {
        return cancelled("once it was ready");
    }
    if (m_options.mergeKubeconfig && !m_options.userKubeconfig.empty()) {
        // The cluster runs whatever happens here: a kubeconfig the user can fix by hand is
        // reported, not a failed start.
        auto merged = mergeClusterKubeconfig(dir / "kubeconfig", contextName(spec.name),
                                             m_options.userKubeconfig);
        if (progress) {
            progress(merged ? "kubectl is now configured to use \"" + contextName(spec.name) +
                                  "\" (" + m_options.userKubeconfig.string() + ")"
                            : "warning: " + merged.error().message());
        }
    }
    return status(spec.name);
}

core::Result<void> ClusterManager::rollBackCreate(const ClusterSpec& spec,
                                                  const ProgressCallback& progress) {
    const auto dir = clusterDir(spec.name);
    Driver& driver = driverFor(spec.driver);
    // Nothing ran in it yet that needs a graceful shutdown, but a local node's containers do.
    const auto grace =
        spec.driver == DriverKind::Libvirt ? std::chrono::milliseconds(0) : m_options.stopTimeout;
    if (auto halted = driver.halt(spec, dir, grace, progress); !halted) {
        return halted;
    }
    if (auto released = driver.release(spec, dir, progress); !released) {
        return released;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot remove " + dir.string() + ": " + ec.message());
    }
    return core::success();
}

core::Result<void> ClusterManager::waitForNodes(const ClusterSpec& spec, Driver& driver,
                                                std::chrono::steady_clock::time_point deadline,
                                                const ProgressCallback& progress,
                                                const std::atomic<bool>* cancel) const {
    const auto dir = clusterDir(spec.name);
    for (const auto& machine : driver.nodes(spec, dir)) {
        const std::string& node = machine.name;
        if (progress) {
            progress("Waiting for node \"" + node + "\" to be Ready");
        }
        const auto rest = clusterClient(dir);
        while (!nodeReady(rest, node)) {
            if (cancel != nullptr && cancel->load()) {
                return core::Error(core::ErrorCode::Cancelled, "start of \"" + spec.name +
                                                                   "\" cancelled while node \"" +
                                                                   node + "\" was not Ready yet");
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return core::Error(core::ErrorCode::Timeout,
                                   "node \"" + node + "\" of \"" + spec.name +
                                       "\" was not Ready in time (log: " +
                                       driver.logPath(spec, dir).string() + ")");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
    return core::success();
}

namespace {

std::string lowercase(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

}  // namespace

core::Result<ClusterSpec> ClusterManager::changeSettings(const std::string& name,
                                                         const ClusterSettingsChange& change) {
    auto current = status(name);
    if (!current) {
        return current.error();
    }
    ClusterSpec spec = current->spec;
    if (change.diskGiB && *change.diskGiB != spec.diskGiB) {
        return core::Error(core::ErrorCode::BadRequest,
                           "the data disk of \"" + name + "\" keeps its size (" +
                               std::to_string(spec.diskGiB) +
                               " GiB): delete the cluster and create it again to change it");
    }
    const bool differs = (change.cpus && *change.cpus != spec.cpus) ||
                         (change.memoryMiB && *change.memoryMiB != spec.memoryMiB);
    if (!differs) {
        return spec;
    }
    if (current->state != ClusterState::Stopped) {
        return core::Error(core::ErrorCode::Conflict,
                           "cluster \"" + name + "\" is " + lowercase(stateName(current->state)) +
                               " with " + std::to_string(spec.cpus) + " CPUs and " +
                               std::to_string(spec.memoryMiB) +
                               " MiB: stop it first to change them");
    }
    spec.cpus = change.cpus.value_or(spec.cpus);
    spec.memoryMiB = change.memoryMiB.value_or(spec.memoryMiB);
    if (auto saved = saveClusterSpec(clusterDir(name) / kSpecFile, spec); !saved) {
        return saved.error();
    }
    return spec;
}

core::Result<void> ClusterManager::pause(const std::string& name) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).pause(*spec, clusterDir(name));
}

core::Result<void> ClusterManager::unpause(const std::string& name) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).resume(*spec, clusterDir(name));
}

core::Result<std::filesystem::path> ClusterManager::logPath(const std::string& name) const {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).logPath(*spec, clusterDir(name));
}

std::filesystem::path ClusterManager::logPathFor(const ClusterSpec& spec) const {
    return driverFor(spec.driver).logPath(spec, clusterDir(spec.name));
}

core::Result<std::uint16_t> ClusterManager::exposeNodePort(const std::string& name,
                                                           std::uint16_t guestPort) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).exposePort(*spec, clusterDir(name), guestPort);
}

core::Result<void> ClusterManager::forwardHostPort(const std::string& name, std::uint16_t hostPort,
                                                   std::uint16_t guestPort) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).forwardHostPort(*spec, clusterDir(name), hostPort, guestPort);
}

core::Result<void> ClusterManager::unforwardHostPort(const std::string& name,
                                                     std::uint16_t hostPort) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    return driverFor(spec->driver).unforwardHostPort(*spec, clusterDir(name), hostPort);
}

core::Result<void> ClusterManager::stop(const std::string& name, const ProgressCallback& progress,
                                        const std::atomic<bool>* cancel) {
    if (cancel != nullptr && cancel->load()) {
        return core::Error(core::ErrorCode::Cancelled,
                           "stop of \"" + name + "\" cancelled; the cluster was left as it was");
    }
    auto spec = loadClusterSpec(clusterDir(name) / kSpecFile);
    if (!spec) {
        return spec.error().code() == core::ErrorCode::NotFound
                   ? core::Error(core::ErrorCode::NotFound, "cluster \"" + name + "\" not found")
                   : spec.error();
    }
    return driverFor(spec->driver).halt(*spec, clusterDir(name), m_options.stopTimeout, progress);
}

core::Result<void> ClusterManager::remove(const std::string& name, const ProgressCallback& progress,
                                          const std::atomic<bool>* cancel) {
    const auto isCancelled = [cancel] { return cancel != nullptr && cancel->load(); };
    if (auto valid = validateClusterName(name); !valid) {
        return valid.error();
    }
    const auto dir = clusterDir(name);
    auto spec = loadClusterSpec(dir / kSpecFile);
    if (spec) {
        // A VM about to be deleted needs no graceful shutdown; a local node does (slipwayd
        // stops its containers).
        const auto grace = spec->driver == DriverKind::Libvirt ? std::chrono::milliseconds(0)
                                                               : m_options.stopTimeout;
        if (isCancelled()) {
            return core::Error(
                core::ErrorCode::Cancelled,
                "delete of \"" + name + "\" cancelled; the cluster was left as it was");
        }
        if (auto stopped = driverFor(spec->driver).halt(*spec, dir, grace, progress); !stopped) {
            return stopped;
        }
        if (isCancelled()) {
            return core::Error(core::ErrorCode::Cancelled,
                               "delete of \"" + name +
                                   "\" cancelled; the cluster is stopped but "
                                   "still there");
        }
        if (auto released = driverFor(spec->driver).release(*spec, dir, progress); !released) {
            return released;
        }
    } else if (!std::filesystem::exists(dir)) {
        return core::Error(core::ErrorCode::NotFound, "cluster \"" + name + "\" not found");
    }
    // A folder whose spec is damaged is still removed: delete is how the user recovers.
    if (progress) {
        progress("Removing " + dir.string());
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot remove " + dir.string() + ": " + ec.message());
    }
    if (m_options.mergeKubeconfig && !m_options.userKubeconfig.empty()) {
        if (auto removed = removeClusterKubeconfig(contextName(name), m_options.userKubeconfig);
            !removed) {
            return removed.error().wrap("cluster removed, but not its kubeconfig context");
        }
    }
    return core::success();
}

core::Result<std::vector<ServiceUrl>> ClusterManager::exposeService(const std::string& name,
                                                                    const std::string& nameSpace,
                                                                    const std::string& service) {
    const auto rest = clusterClient(clusterDir(name));
    if (!rest) {
        return core::Error(core::ErrorCode::Unavailable,
                           "cluster \"" + name + "\" has no kubeconfig yet (start it first)");
    }
    client::RequestOptions options;
    options.timeout = std::chrono::seconds(10);
    options.maxBodyBytes = 1024 * 1024;
    auto response = rest->get("/api/v1/namespaces/" + nameSpace + "/services/" + service, options);
    if (!response) {
        return response.error();
    }
    if (response->status == 404) {
        return core::Error(
            core::ErrorCode::NotFound,
            "service \"" + service + "\" not found in namespace \"" + nameSpace + "\"");
    }
    if (response->status != 200) {
        return core::Error(
            core::ErrorCode::BadRequest,
            "reading service \"" + service + "\": HTTP " + std::to_string(response->status));
    }
    const auto object = nlohmann::json::parse(response->body, nullptr, false);
    std::vector<ServiceUrl> urls;
    for (const auto& port : object.value("/spec/ports"_json_pointer, nlohmann::json::array())) {
        const int nodePort = port.value("nodePort", 0);
        if (port.value("protocol", "TCP") != "TCP" || nodePort <= 0 || nodePort > 65535) {
            continue;
        }
        auto host = exposeNodePort(name, static_cast<std::uint16_t>(nodePort));
        if (!host) {
            return host.error();
        }
        urls.push_back({port.value("name", ""), port.value("port", 0),
                        "http://127.0.0.1:" + std::to_string(*host)});
    }
    return urls;
}

core::Result<ClusterStatus> ClusterManager::status(const std::string& name) const {
    const auto dir = clusterDir(name);
    auto spec = loadClusterSpec(dir / kSpecFile);
    if (!spec) {
        if (spec.error().code() == core::ErrorCode::NotFound) {
            return core::Error(core::ErrorCode::NotFound, "cluster \"" + name + "\" not found");
        }
        return spec.error();
    }
    ClusterStatus result;
    result.spec = *spec;
    const MachineState machine = driverFor(spec->driver).observe(*spec, dir);
    result.message = machine.message;
    result.accelerator = machine.accelerator;
    if (std::filesystem::exists(dir / "kubeconfig")) {
        result.kubeconfigPath = (dir / "kubeconfig").string();
    }
    if (!machine.running) {
        result.state = ClusterState::Stopped;
        return result;
    }
    const auto rest = clusterClient(dir);
    if (rest) {
        result.apiServerUrl = rest->server().toString();
    }
    if (machine.paused) {
        result.state = ClusterState::Paused;
        return result;
    }
    result.state = apiServerReady(rest, std::chrono::seconds(2)) ? ClusterState::Running
                                                                 : ClusterState::Starting;
    const auto nodes = driverFor(spec->driver).nodes(*spec, dir);
    result.nodes = static_cast<int>(nodes.size());
    if (result.state == ClusterState::Running) {
        for (const auto& node : nodes) {
            result.nodesReady += node.running && nodeReady(rest, node.name) ? 1 : 0;
        }
    }
    return result;
}

core::Result<NodeStatus> ClusterManager::addNode(const std::string& name,
                                                 const ProgressCallback& progress,
                                                 const std::atomic<bool>* cancel) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    const auto dir = clusterDir(name);
    Driver& driver = driverFor(spec->driver);
    const MachineState machine = driver.observe(*spec, dir);
    if (!machine.running || machine.paused) {
        return core::Error(
            core::ErrorCode::Unavailable,
            "cluster \"" + name + "\" is not running (start it with: slipway start)");
    }
    auto added = driver.addNode(*spec, dir, progress);
    if (!added) {
        return added.error();
    }
    spec->nodes = static_cast<int>(driver.nodes(*spec, dir).size());
    if (auto saved = saveClusterSpec(dir / kSpecFile, *spec); !saved) {
        return saved.error();
    }
    if (progress) {
        progress("Waiting for node \"" + added->name + "\" to be Ready");
    }
    const auto deadline = std::chrono::steady_clock::now() + m_options.vmStartTimeout;
    const auto rest = clusterClient(dir);
    while (!nodeReady(rest, added->name)) {
        if (cancel != nullptr && cancel->load()) {
            return core::Error(core::ErrorCode::Cancelled,
                               "node \"" + added->name + "\" was added but is not Ready yet");
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return core::Error(core::ErrorCode::Timeout,
                               "node \"" + added->name + "\" was not Ready in time (log: " +
                                   (dir / added->name / "console.log").string() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return NodeStatus{added->name, added->role, "Ready", added->address};
}

core::Result<void> ClusterManager::removeNode(const std::string& name, const std::string& node,
                                              const ProgressCallback& progress) {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    const auto dir = clusterDir(name);
    Driver& driver = driverFor(spec->driver);
    // The machine first: a node agent still running would register its Node again.
    if (auto removed = driver.removeNode(*spec, dir, node, progress); !removed) {
        return removed;
    }
    spec->nodes = static_cast<int>(driver.nodes(*spec, dir).size());
    if (auto saved = saveClusterSpec(dir / kSpecFile, *spec); !saved) {
        return saved;
    }
    const auto kubeconfig = pki::Kubeconfig::load(dir / "kubeconfig");
    if (!kubeconfig || !driver.observe(*spec, dir).running) {
        // No API server to tell: its Node object stays, NotReady, until deleted by hand.
        if (progress && kubeconfig) {
            progress("warning: cluster \"" + name +
                     "\" is stopped: after its next start, run "
                     "kubectl delete node " +
                     node);
        }
        return core::success();
    }
    auto config = client::ClientConfig::fromKubeconfig(*kubeconfig);
    if (!config) {
        return config.error();
    }
    const client::HttpsClient api(std::move(*config));
    if (progress) {
        progress("Deleting Node \"" + node + "\" and its pods");
    }
    auto deleted = api.remove(client::resources::nodes().named(node));
    if (!deleted && deleted.error().code() != core::ErrorCode::NotFound) {
        return deleted.error().wrap("the node's VM is gone, but not its Node object");
    }
    // Pods bound to a node that is gone never end by themselves: kube's pod garbage collector
    // deletes them at once, so their controllers make replacements elsewhere.
    client::ListOptions bound;
    bound.fieldSelector = "spec.nodeName=" + node;
    auto pods = api.list(client::resources::pods(), bound);
    if (!pods) {
        return pods.error().wrap("listing the pods of node " + node);
    }
    client::DeleteOptions now;
    now.gracePeriodSeconds = 0;
    for (const auto& pod : pods->items) {
        auto removed =
            api.remove(client::resources::pods()
                           .in(pod.value("/metadata/namespace"_json_pointer, std::string()))
                           .named(pod.value("/metadata/name"_json_pointer, std::string())),
                       now);
        if (!removed && removed.error().code() != core::ErrorCode::NotFound) {
            return removed.error().wrap("deleting the pods of node " + node);
        }
    }
    return core::success();
}

core::Result<std::vector<NodeStatus>> ClusterManager::nodes(const std::string& name) const {
    auto spec = loadSpec(name);
    if (!spec) {
        return spec.error();
    }
    const auto dir = clusterDir(name);
    const auto machines = driverFor(spec->driver).nodes(*spec, dir);
    const auto rest = clusterClient(dir);
    std::vector<NodeStatus> result;
    for (const auto& machine : machines) {
        NodeStatus node{machine.name, machine.role, "Stopped", machine.address};
        if (machine.paused) {
            node.state = "Paused";
        } else if (machine.running) {
            node.state = nodeReady(rest, machine.name) ? "Ready" : "NotReady";
        }
        result.push_back(std::move(node));
    }
    return result;
}

core::Result<std::vector<ClusterStatus>> ClusterManager::list() const {
    std::vector<ClusterStatus> clusters;
    std::error_code ec;
    if (!std::filesystem::exists(m_options.clustersRoot, ec)) {
        return clusters;
    }
    for (const auto& entry : std::filesystem::directory_iterator(m_options.clustersRoot, ec)) {
        if (!entry.is_directory() || !std::filesystem::exists(entry.path() / kSpecFile)) {
            continue;
        }
        auto one = status(entry.path().filename().string());
        if (one) {
            clusters.push_back(std::move(*one));
        } else {
            // A damaged cluster still shows up, so the user can see and delete it.
            ClusterStatus broken;
            broken.spec.name = entry.path().filename().string();
            broken.state = ClusterState::Error;
            broken.message = one.error().message();
            clusters.push_back(std::move(broken));
        }
    }
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot list " + m_options.clustersRoot.string() + ": " + ec.message());
    }
    std::sort(clusters.begin(), clusters.end(), [](const ClusterStatus& a, const ClusterStatus& b) {
        return a.spec.name < b.spec.name;
    });
    return clusters;
}

}  // namespace slipway::vm
