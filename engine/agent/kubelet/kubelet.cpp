// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/kubelet/kubelet.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "engine/agent/images/image_reference.h"
#include "engine/agent/images/image_store.h"
#include "engine/agent/images/registry_client.h"
#include "engine/agent/kubelet/container_config.h"
#include "engine/agent/kubelet/kubelet_metrics.h"
#include "engine/agent/kubelet/kubelet_streaming.h"
#include "engine/agent/logs/cri_log.h"
#include "engine/agent/probes/probe_manager.h"
#include "engine/agent/probes/prober.h"
#include "engine/agent/volumes/volume_manager.h"
#include "engine/client/indexer.h"
#include "engine/client/resource_ref.h"
#include "engine/core/replace_file.h"
#include "engine/core/version.h"

namespace slipway::agent::kubelet {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kMaxRetries = 15;
/// Dead instances kept per container (the newest one answers `kubectl logs --previous`).
constexpr int kKeptDeadInstances = 2;

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    const json* at = &object;
    try {
        at = &object.at(pointer);
    } catch (const json::exception&) {
        return {};
    }
    return at->is_string() ? at->get<std::string>() : std::string();
}

std::string keyOf(const json& pod) {
    return stringAt(pod, "/metadata/namespace"_json_pointer) + "/" +
           stringAt(pod, "/metadata/name"_json_pointer);
}

std::string fieldPathOf(const std::string& name, bool init) {
    return std::string(init ? "spec.initContainers{" : "spec.containers{") + name + "}";
}

std::string podDescription(const json& pod) {
    // kubelet's format.Pod: name_namespace(uid)
    return stringAt(pod, "/metadata/name"_json_pointer) + "_" +
           stringAt(pod, "/metadata/namespace"_json_pointer) + "(" +
           stringAt(pod, "/metadata/uid"_json_pointer) + ")";
}

bool restarts(const std::string& policy, int exitCode) {
    return policy == "Always" || (policy == "OnFailure" && exitCode != 0);
}

std::string readFile(const std::filesystem::path& path, std::size_t limit = 4096) {
    std::ifstream in(path, std::ios::binary);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

/// The pod's hostname: spec.hostname or its name, cut at 63 characters.
std::string hostnameOf(const json& pod) {
    std::string name = stringAt(pod, "/spec/hostname"_json_pointer);
    if (name.empty()) {
        name = stringAt(pod, "/metadata/name"_json_pointer);
    }
    if (name.size() > 63) {
        name.resize(63);
        while (!name.empty() && (name.back() == '-' || name.back() == '.')) {
            name.pop_back();
        }
    }
    return name;
}

const json& containersOf(const json& pod, bool init) {
    static const json kEmpty = json::array();
    const auto spec = pod.find("spec");
    if (spec == pod.end() || !spec->is_object()) {
        return kEmpty;
    }
    const auto it = spec->find(init ? "initContainers" : "containers");
    return it != spec->end() && it->is_array() ? *it : kEmpty;
}

/// The newest instance of `name` and the one before it.
struct Instances {
    const runtime::ContainerStatus* latest = nullptr;
    const runtime::ContainerStatus* previous = nullptr;
};

Instances instancesNamed(const std::vector<runtime::ContainerStatus>& all,
                         const std::string& name) {
    Instances found;
    for (const auto& instance : all) {
        if (instance.config.containerName != name) {
            continue;
        }
        if (found.latest == nullptr ||
            instance.config.restartCount > found.latest->config.restartCount) {
            found.previous = found.latest;
            found.latest = &instance;
        } else if (found.previous == nullptr ||
                   instance.config.restartCount > found.previous->config.restartCount) {
            found.previous = &instance;
        }
    }
    return found;
}

ContainerTermination terminationOf(const runtime::ContainerStatus& instance,
                                   const std::string& message) {
    ContainerTermination term;
    term.exitCode = instance.exitCode;
    term.reason = instance.reason.empty() ? (instance.exitCode == 0 ? "Completed" : "Error")
                                          : instance.reason;
    term.message = message;
    term.startedAt = instance.startedAt.value_or(instance.createdAt);
    term.finishedAt = instance.finishedAt.value_or(term.startedAt);
    term.containerId = "runc://" + instance.config.id;
    return term;
}

/// The label that says which of its pod's sandboxes a container was started in.
constexpr const char* kSandboxAttemptLabel = "slipway.dev/sandbox-attempt";

/// The pod's sandbox attempt (kubelet's: how many times its sandbox was made again because
/// the old one was gone), kept in the pod's directory; 0 before the first re-creation.
int sandboxAttempt(const std::filesystem::path& podDir) {
    int attempt = 0;
    std::ifstream(podDir / "sandbox-attempt") >> attempt;
    return attempt;
}

int sandboxAttemptOf(const runtime::ContainerStatus& instance) {
    const auto it = instance.config.labels.find(kSandboxAttemptLabel);
    if (it == instance.config.labels.end()) {
        return 0;
    }
    try {
        return std::stoi(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

/// Pod workers: as asked, or (0) two per CPU, at least 4 and at most 32. A worker waits for
/// the shim and runc about half of a pod's start, so two per CPU keep the cores busy; more
/// only interleave the pods of a burst (the median gets later, the last one no earlier), as
/// measured on two cores (docs/BENCHMARKS.md).
int workerCount(int asked) {
    if (asked > 0) {
        return asked;
    }
    const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::clamp(2 * cpus, 4, 32);
}

std::uint64_t memTotalBytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t value = 0;
    std::string unit;
    while (in >> key >> value >> unit) {
        if (key == "MemTotal:") {
            return value * 1024;
        }
    }
    return 0;
}

std::string osImage() {
    std::ifstream in("/etc/os-release");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("PRETTY_NAME=")) {
            std::string value = line.substr(12);
            if (value.size() >= 2 && value.front() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return value;
        }
    }
    return "Linux";
}

}  // namespace

NodeConfig describeMachine(NodeConfig config, const std::filesystem::path& root) {
    if (config.cpu == "auto" || config.cpu.empty()) {
        config.cpu = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
    }
    if (config.memory == "auto" || config.memory.empty()) {
        config.memory = std::to_string(memTotalBytes() / 1024) + "Ki";
    }
    if (config.ephemeralStorage == "auto" || config.ephemeralStorage.empty()) {
        struct statvfs fs {};
        std::error_code ignored;
        std::filesystem::create_directories(root, ignored);
        if (::statvfs(root.c_str(), &fs) == 0) {
            config.ephemeralStorage =
                std::to_string(static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize / 1024) + "Ki";
        } else {
            config.ephemeralStorage = "0";
        }
    }
    struct utsname uts {};
    if (::uname(&uts) == 0) {
        config.kernelVersion = uts.release;
    }
    config.osImage = osImage();
    config.containerRuntimeVersion = "runc://1.1";
    return config;
}

core::Result<void> Kubelet::resetNode(const std::filesystem::path& root,
                                      runtime::RuntimeOptions options) {
    options.root = root;
    runtime::Runtime runtime(options);
    images::ImageStore images(root);
    std::set<std::string> pods;
    for (const auto& container : runtime.listContainers()) {
        (void)runtime.stopContainer(container.config.id, std::chrono::seconds(1));
        if (auto removed = runtime.removeContainer(container.config.id); !removed) {
            spdlog::warn("reset-node: {}: {}", container.config.id, removed.error().message());
        }
        (void)images.releaseRootfs(container.config.id);
        pods.insert(container.config.podUid);
    }
    // Pods with a sandbox but no container (an agent stopped between the two, or after it
    // removed a pod's containers) have their folder, made before their sandbox; a sandbox
    // holding an address is also in the IPAM.
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(root / "pods", ignored)) {
        pods.insert(entry.path().filename().string());
    }
    for (const auto& [address, owner] : network::Ipam::allocationsIn(root / "network" / "ipam")) {
        if (!owner.empty()) {
            pods.insert(owner);
        }
    }
    for (const auto& uid : pods) {
        (void)runtime.removeSandbox(uid);
    }
    // The pod network's bridge, masquerade table and addresses (the veth pairs went with the
    // sandboxes' namespaces).
    network::PodNetworkOptions network;
    network.stateDir = root / "network";
    if (auto removed = network::PodNetwork::tearDown(network); !removed) {
        spdlog::warn("reset-node: {}", removed.error().message());
    }
    // Whatever is still mounted below root (a tmpfs emptyDir, a rootfs left behind), deepest
    // first, so that removing the folder never reaches through a mount.
    std::vector<std::string> mounts;
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::string line;
    const std::string prefix = std::filesystem::weakly_canonical(root).string() + "/";
    while (std::getline(mountinfo, line)) {
        std::istringstream fields(line);
        std::string id, parent, device, source, target;
        fields >> id >> parent >> device >> source >> target;
        if (target.starts_with(prefix)) {
            mounts.push_back(target);
        }
    }
    std::sort(mounts.begin(), mounts.end(), std::greater<>());
    for (const auto& target : mounts) {
        if (::umount2(target.c_str(), MNT_DETACH) != 0) {
            spdlog::warn("reset-node: cannot unmount {}", target);
        }
    }
    return core::success();
}

std::string Kubelet::containerId(const std::string& podUid, const std::string& name,
                                 int restartCount) {
    return podUid + "_" + name + "_" + std::to_string(restartCount);
}

Kubelet::Kubelet(const client::Client& client, KubeletOptions options)
    : m_client(client),
      m_options(std::move(options)),
      m_podInformer(client,
                    [this] {
                        client::InformerOptions informer(client::resources::pods());
                        informer.fieldSelector = "spec.nodeName=" + m_options.node.name;
                        return informer;
                    }()),
      m_serviceInformer(client, client::InformerOptions(client::resources::services())),
      m_queue([] {
          client::WorkQueueOptions queue;
          queue.name = "kubelet_pods";
          return queue;
      }()),
      m_recorder(client, client::EventSource{"kubelet", m_options.node.name}) {
    m_options.runtime.root = m_options.root;
    m_runtime = std::make_unique<runtime::Runtime>(m_options.runtime);
    m_images = std::make_unique<images::ImageStore>(m_options.root);
    images::RegistryOptions registry;
    registry.insecureRegistries = m_options.insecureRegistries;
    m_registry = std::make_unique<images::RegistryClient>(*m_images, registry);
    volumes::VolumeManagerOptions volumeOptions;
    volumeOptions.nodeName = m_options.node.name;
    m_volumes = std::make_unique<volumes::VolumeManager>(m_options.root, client, volumeOptions);
    m_prober = std::make_unique<probes::Prober>();
    m_probes = std::make_unique<probes::ProbeManager>(
        *m_prober, [this](const probes::ProbeReport& report) { onProbe(report); });
    m_streamingBackend = std::make_unique<Streaming>(*this);
    m_metrics =
        std::make_unique<KubeletMetricsSource>(m_options.node.name, *m_runtime, m_podInformer);

    client::EventHandlers handlers;
    handlers.onAdd = [this](const client::ObjectPtr& pod) { m_queue.add(keyOf(*pod)); };
    handlers.onUpdate = [this](const client::ObjectPtr&, const client::ObjectPtr& pod) {
        const std::string key = keyOf(*pod);
        {
            // The echo of the agent's own status write brings nothing to sync.
            std::lock_guard lock(m_mutex);
            const auto it = m_ownStatusWrites.find(key);
            if (it != m_ownStatusWrites.end() &&
                it->second == client::metadataString(*pod, "resourceVersion")) {
                m_ownStatusWrites.erase(it);
                return;
            }
        }
        m_queue.add(key);
    };
    handlers.onDelete = [this](const client::ObjectPtr& pod) { m_queue.add(keyOf(*pod)); };
    m_podInformer.addEventHandler(std::move(handlers));
}

Kubelet::~Kubelet() {
    stop();
}

core::Result<void> Kubelet::start() {
    if (m_started) {
        return core::success();
    }
    for (const auto& tarball : m_options.preloadImages) {
        auto loaded = m_images->loadArchive(tarball);
        if (!loaded) {
            spdlog::warn("kubelet: could not preload {}: {}", tarball.string(),
                         loaded.error().message());
            continue;
        }
        for (const auto& image : *loaded) {
            spdlog::info("kubelet: preloaded {}",
                         image.repoTags.empty() ? image.id : image.repoTags.front());
        }
    }
    m_streaming =
        std::make_unique<streaming::StreamingServer>(m_options.streaming, *m_streamingBackend);
    auto port = m_streaming->start();
    if (!port) {
        return port.error();
    }
    m_streamingPort = *port;
    m_options.node.kubeletPort = static_cast<int>(*port);
    m_options.node = describeMachine(m_options.node, m_options.root);
    if (m_options.podNetwork && m_options.node.podCidr.empty()) {
        auto assigned = awaitPodCidr();
        if (!assigned) {
            return assigned.error();
        }
        spdlog::info("kubelet: node {} has podCIDR {}", nodeName(), *assigned);
        m_options.node.podCidr = *assigned;
    }
    if (m_options.podNetwork) {
        auto& network = *m_options.podNetwork;
        network.podCidr = m_options.node.podCidr;
        if (network.stateDir.empty()) {
            network.stateDir = m_options.root / "network";
        }
        auto made = network::PodNetwork::setUp(network);
        if (!made) {
            return made.error().wrap("setting up the pod network");
        }
        m_network = std::move(*made);
        // Addresses whose sandbox vanished while the agent was down are free again.
        m_network->releaseUnless(
            [this](const std::string& uid) { return m_runtime->sandboxExists(uid); });
    }

    m_started = true;
    m_serviceInformer.start();
    m_podInformer.start();
    for (int i = 0; i < workerCount(m_options.workers); ++i) {
        m_workers.emplace_back([this] {
            m_queue.processUntilShutDown([this](const std::string& key) { return syncPod(key); },
                                         kMaxRetries);
        });
    }
    m_relist = std::thread([this] { relistLoop(); });
    m_heartbeat = std::thread([this] { heartbeatLoop(); });
    return core::success();
}

void Kubelet::stop() {
    {
        std::lock_guard lock(m_stopMutex);
        if (m_stopping) {
            return;
        }
        m_stopping = true;
    }
    m_stopChanged.notify_all();
    m_queue.shutDown();
    for (auto& worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    m_workers.clear();
    for (std::thread* thread : {&m_relist, &m_heartbeat}) {
        if (thread->joinable()) {
            thread->join();
        }
    }
    std::vector<std::thread> terminations;
    {
        std::lock_guard lock(m_mutex);
        terminations.swap(m_terminations);
    }
    for (auto& thread : terminations) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    m_podInformer.stop();
    m_serviceInformer.stop();
    if (m_streaming) {
        m_streaming->stop();
    }
    m_probes.reset();
}

const metrics::MetricsSource& Kubelet::metrics() const {
    return *m_metrics;
}

bool Kubelet::waitForRegistered(std::chrono::milliseconds timeout) const {
    const auto deadline = SteadyClock::now() + timeout;
    while (!m_registered.load()) {
        if (SteadyClock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// ---- heartbeats -----------------------------------------------------------------------------

core::Result<std::string> Kubelet::awaitPodCidr() {
    const auto nodes = client::resources::nodes();
    const auto deadline = SteadyClock::now() + m_options.podCidrTimeout;
    std::string lastError;
    while (true) {
        auto created = m_client.create(nodes, nodeObject(m_options.node));
        auto node = created ? std::move(created) : m_client.get(nodes.named(nodeName()));
        if (node) {
            const auto podCidr = node->value("/spec/podCIDR"_json_pointer, json());
            if (podCidr.is_string() && !podCidr.get<std::string>().empty()) {
                return podCidr.get<std::string>();
            }
            lastError = "the node has no spec.podCIDR yet (is the node IPAM controller on?)";
        } else {
            lastError = node.error().message();
        }
        if (SteadyClock::now() >= deadline) {
            return core::Error(core::ErrorCode::Timeout,
                               "node " + nodeName() + " got no podCIDR within " +
                                   std::to_string(m_options.podCidrTimeout.count() / 1000) +
                                   " s: " + lastError);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void Kubelet::heartbeatLoop() {
    bool registered = false;
    std::string nodeUid;
    std::optional<json> lease;
    SteadyClock::time_point lastReport{};
    auto nextLease = SteadyClock::now();
    auto nextImageGc = SteadyClock::now() + m_options.imageGcInterval;
    while (true) {
        auto result = heartbeat(registered, nodeUid, lease, lastReport);
        if (!result) {
            spdlog::warn("kubelet: node heartbeat: {}", result.error().message());
        }
        if (SteadyClock::now() >= nextImageGc) {
            collectImages();
            nextImageGc = SteadyClock::now() + m_options.imageGcInterval;
        }
        nextLease = SteadyClock::now() + (registered ? std::min(m_options.leaseRenewInterval,
                                                                m_options.statusUpdateInterval)
                                                     : std::chrono::milliseconds(500));
        std::unique_lock lock(m_stopMutex);
        if (m_stopChanged.wait_until(lock, nextLease, [this] { return m_stopping; })) {
            return;
        }
    }
}

void Kubelet::collectImages() {
    // Images that a container uses (running or kept for its logs) stay.
    std::set<std::string> inUse;
    for (const auto& container : m_runtime->listContainers()) {
        if (auto image = m_images->find(container.config.imageId)) {
            inUse.insert(image->id);
        }
    }
    auto collected = m_images->garbageCollect(m_options.imageGc, inUse);
    if (!collected) {
        spdlog::warn("kubelet: image garbage collection: {}", collected.error().message());
        return;
    }
    for (const auto& id : collected->removedImageIds) {
        spdlog::info("kubelet: removed unused image {}", id);
    }
}

core::Result<void> Kubelet::heartbeat(bool& registered, std::string& nodeUid,
                                      std::optional<json>& lease,
                                      SteadyClock::time_point& lastReport) {
    const auto nodes = client::resources::nodes();
    const auto now = std::chrono::system_clock::now();
    if (!registered) {
        auto created = m_client.create(nodes, nodeObject(m_options.node));
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
        auto current = created ? std::move(created) : m_client.get(nodes.named(nodeName()));
        if (!current) {
            return current.error();
        }
        nodeUid = client::metadataString(*current, "uid");
    }
    // The Lease.
    const auto leaseRef = client::resources::leases().in(kNodeLeaseNamespace).named(nodeName());
    const json fresh = leaseObject(nodeName(), nodeUid, m_options.leaseDurationSeconds, now);
    if (!lease) {
        auto created = m_client.create(client::resources::leases().in(kNodeLeaseNamespace), fresh);
        if (created) {
            lease = std::move(*created);
        } else if (created.error().code() == core::ErrorCode::AlreadyExists) {
            auto existing = m_client.get(leaseRef);
            if (!existing) {
                return existing.error();
            }
            lease = std::move(*existing);
        } else {
            return created.error();
        }
    }
    json renewed = *lease;
    renewed["spec"] = fresh["spec"];
    renewed["metadata"]["ownerReferences"] = fresh["metadata"]["ownerReferences"];
    auto updated = m_client.update(leaseRef, renewed);
    if (updated) {
        lease = std::move(*updated);
    } else {
        lease.reset();  // re-read next time
    }

    // The status: when it changed, and every statusReportInterval.
    auto current = m_client.get(nodes.named(nodeName()));
    if (!current) {
        return current.error();
    }
    const json currentStatus = current->value("status", json::object());
    json desired = nodeStatus(m_options.node, currentStatus, now);
    json images = json::array();
    for (const auto& image : m_images->list()) {
        json names = json::array();
        for (const auto& tag : image.repoTags) {
            names.push_back(tag);
        }
        for (const auto& digest : image.repoDigests) {
            names.push_back(digest);
        }
        images.push_back({{"names", names}, {"sizeBytes", image.sizeBytes}});
    }
    desired["images"] = images;
    const auto steadyNow = SteadyClock::now();
    if (!registered || nodeStatusChanged(currentStatus, desired) ||
        steadyNow - lastReport >= m_options.statusReportInterval) {
        (*current)["status"] = desired;
        auto written = m_client.updateStatus(nodes.named(nodeName()), *current);
        if (!written) {
            return written.error();
        }
        lastReport = steadyNow;
    }
    if (!registered) {
        registered = true;
        m_registered = true;
        spdlog::info("kubelet: node {} registered", nodeName());
    }
    return core::success();
}

// ---- relist (PLEG) --------------------------------------------------------------------------

void Kubelet::relistLoop() {
    auto nextSample = SteadyClock::now();
    while (true) {
        if (SteadyClock::now() >= nextSample) {
            m_metrics->sample();
            nextSample = SteadyClock::now() + m_options.metricsInterval;
        }
        {
            std::unique_lock lock(m_stopMutex);
            if (m_stopChanged.wait_for(lock, m_options.relistPeriod,
                                       [this] { return m_stopping; })) {
                return;
            }
        }
        // A digest of every container's id and state per pod: a pod whose digest changed
        // (a container exited, one appeared) is synced.
        std::map<std::string, std::string> digests;
        for (const auto& instance : m_runtime->listContainers()) {
            std::string& digest = digests[instance.config.podUid];
            digest += instance.config.id + "=" +
                      std::string(runtime::containerStateName(instance.state)) + ";";
        }
        std::vector<std::string> changed;
        {
            std::lock_guard lock(m_mutex);
            for (const auto& [uid, digest] : digests) {
                const auto it = m_lastRelist.find(uid);
                if (it == m_lastRelist.end() || it->second != digest) {
                    changed.push_back(uid);
                }
            }
            for (const auto& [uid, digest] : m_lastRelist) {
                if (!digests.contains(uid)) {
                    changed.push_back(uid);
                }
            }
            m_lastRelist = std::move(digests);
        }
        for (const auto& uid : changed) {
            std::string key;
            {
                std::lock_guard lock(m_mutex);
                if (const auto it = m_pods.find(uid); it != m_pods.end()) {
                    key = it->second->key;
                }
            }
            if (!key.empty()) {
                m_queue.add(key);
            } else if (m_podInformer.hasSynced()) {
                // Containers of a pod this node no longer runs (deleted while the agent was
                // down): removed, as the kubelet's housekeeping does.
                bool known = false;
                for (const auto& pod : m_podInformer.lister().list()) {
                    known = known || client::metadataString(*pod, "uid") == uid;
                }
                if (!known) {
                    cleanUpPod(uid);
                }
            }
        }
    }
}

// ---- pods -----------------------------------------------------------------------------------

std::vector<runtime::ContainerStatus> Kubelet::instancesOf(const std::string& podUid) const {
    std::vector<runtime::ContainerStatus> out;
    // Container ids begin with the pod's uid (containerId): only this pod's records are read.
    for (auto& instance : m_runtime->listContainers(podUid + "_")) {
        if (instance.config.podUid != podUid) {
            continue;
        }
        if (instance.state == runtime::ContainerState::Unknown) {
            // Its shim ended without an exit status: the machine restarted under it (or the
            // shim was killed). It is recorded as exited, 255 "Unknown", as containerd reports
            // a container whose task vanished; the sync then restarts it per restartPolicy.
            auto recovered = m_runtime->recoverLostContainer(instance.config.id);
            if (recovered && recovered->state == runtime::ContainerState::Exited) {
                spdlog::info("kubelet: container {} is gone ({}): exited 255 Unknown",
                             instance.config.id, instance.message);
                instance = std::move(*recovered);
            }
        }
        out.push_back(std::move(instance));
    }
    return out;
}

std::shared_ptr<Kubelet::PodState> Kubelet::stateOf(const json& pod) {
    const std::string uid = client::metadataString(pod, "uid");
    std::lock_guard lock(m_mutex);
    auto& state = m_pods[uid];
    if (!state) {
        state = std::make_shared<PodState>();
        state->uid = uid;
        state->key = keyOf(pod);
        state->nameSpace = client::metadataString(pod, "namespace");
        state->name = client::metadataString(pod, "name");
    }
    m_uidByKey[state->key] = uid;
    return state;
}

std::filesystem::path Kubelet::podDir(const std::string& uid) const {
    return m_options.root / "pods" / uid;
}

void Kubelet::record(const json& pod, const std::string& fieldPath, const std::string& type,
                     const std::string& reason, const std::string& message) {
    client::ObjectReference ref = client::ObjectReference::to(pod, "v1", "Pod");
    ref.resourceVersion.clear();
    ref.fieldPath = fieldPath;
    m_recorder.event(ref, type, reason, message);
}

core::Result<void> Kubelet::syncPod(const std::string& key) {
    const client::ObjectPtr pod = m_podInformer.lister().getByKey(key);
    std::string uid;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_uidByKey.find(key); it != m_uidByKey.end()) {
            uid = it->second;
        }
    }
    if (!pod || (!uid.empty() && client::metadataString(*pod, "uid") != uid)) {
        // Gone (or replaced by a pod of the same name): its containers go with it.
        if (!uid.empty()) {
            cleanUpPod(uid);
            std::lock_guard lock(m_mutex);
            m_uidByKey.erase(key);
            m_ownStatusWrites.erase(key);
        }
        if (!pod) {
            return core::success();
        }
    }
    auto state = stateOf(*pod);
    if (pod->contains("/metadata/deletionTimestamp"_json_pointer)) {
        std::lock_guard lock(m_mutex);
        if (!state->terminating) {
            state->terminating = true;
            m_probes->podTerminating(state->uid);
            m_terminations.emplace_back([this, copy = *pod] { terminatePod(copy); });
        }
        return core::success();
    }
    return runPod(*pod, *state);
}

core::Result<void> Kubelet::runPod(const json& pod, PodState& state) {
    const std::string phase = stringAt(pod, "/status/phase"_json_pointer);
    auto instances = instancesOf(state.uid);
    if (isTerminalPhase(phase)) {
        // Finished pods keep their dead containers (for logs) but no sandbox.
        removeSandbox(state.uid);
        return core::success();
    }

    const std::string restartPolicy = pod["spec"].value("restartPolicy", "Always");
    const auto writeStatus = [&]() -> core::Result<void> {
        instances = instancesOf(state.uid);
        json status = podStatus(pod, state, instances);
        if (status == pod.value("status", json::object())) {
            return core::success();
        }
        json updated = pod;
        updated["status"] = status;
        auto written = m_client.updateStatus(
            client::resources::pods().in(state.nameSpace).named(state.name), updated);
        if (!written) {
            return written.error();  // retried with the informer's newer pod
        }
        std::lock_guard lock(m_mutex);
        m_ownStatusWrites[state.key] = client::metadataString(*written, "resourceVersion");
        return core::success();
    };

    if (!m_runtime->sandboxExists(state.uid)) {
        // No sandbox: a new pod, or one whose sandbox vanished (the machine restarted, or its
        // namespace was removed). Its old link and address go (the addresses of sandboxes gone
        // while the agent was down were freed at start).
        std::string oldIp;
        {
            std::lock_guard lock(m_mutex);
            oldIp.swap(state.podIp);
        }
        if (m_network && (!oldIp.empty() || !instances.empty())) {
            if (auto detached = m_network->detach(state.uid); !detached) {
                spdlog::warn("kubelet: pod {}: {}", state.key, detached.error().message());
            }
        }
        if (!instances.empty()) {
            // The kubelet's "sandbox changed": what still runs in the old one is killed, then
            // the pod starts again in a new sandbox (a new namespace and address), init
            // containers first, its containers restarted under restartPolicy.
            const auto grace = std::chrono::seconds(
                pod["spec"].value("terminationGracePeriodSeconds", std::int64_t{30}));
            for (const auto& instance : instances) {
                if (instance.state == runtime::ContainerState::Running ||
                    instance.state == runtime::ContainerState::Created) {
                    const auto init = instance.config.labels.find("io.kubernetes.container.init");
                    record(
                        pod,
                        fieldPathOf(instance.config.containerName,
                                    init != instance.config.labels.end() && init->second == "true"),
                        "Normal", "Killing", "Stopping container " + instance.config.containerName);
                    (void)m_runtime->stopContainer(instance.config.id, grace);
                }
            }
            if (restartPolicy == "Never") {
                // As the kubelet: no new sandbox for a pod that never restarts; its containers
                // stay terminated and the pod fails. Its address stays in the status.
                {
                    std::lock_guard lock(m_mutex);
                    state.podIp =
                        oldIp.empty() ? stringAt(pod, "/status/podIP"_json_pointer) : oldIp;
                }
                return writeStatus();
            }
            record(pod, "", "Normal", "SandboxChanged",
                   "Pod sandbox changed, it will be killed and re-created.");
            const auto dir = podDir(state.uid);
            std::error_code ignored;
            std::filesystem::create_directories(dir, ignored);
            if (auto written = core::replaceFile(dir / "sandbox-attempt",
                                                 std::to_string(sandboxAttempt(dir) + 1));
                !written) {
                return written.error();
            }
            instances = instancesOf(state.uid);
        }
    }
    const int attempt = sandboxAttempt(podDir(state.uid));

    // The sandbox: a network namespace the containers join, and the pod's /etc files. The
    // pod's folder comes first: `resetNode` finds the sandboxes of a node's pods by it.
    std::error_code folderError;
    std::filesystem::create_directories(podDir(state.uid), folderError);
    auto sandbox = m_runtime->createSandbox(state.uid, hostnameOf(pod));
    if (!sandbox) {
        record(pod, "", "Warning", "FailedCreatePodSandBox",
               "Failed to create pod sandbox: " + sandbox.error().message());
        return sandbox.error();
    }
    auto podIp = attachNetwork(pod, state);
    if (!podIp) {
        record(pod, "", "Warning", "FailedCreatePodSandBox",
               "Failed to create pod sandbox: failed to set up the pod network: " +
                   podIp.error().message());
        return podIp.error();
    }
    if (auto written = writePodFiles(pod, *podIp); !written) {
        return written.error();
    }

    // Volumes.
    auto failures = m_volumes->setUp(pod);
    if (!failures.empty()) {
        for (const auto& failure : failures) {
            record(pod, "", "Warning", "FailedMount", failure.message);
        }
        for (bool init : {true, false}) {
            for (const auto& container : containersOf(pod, init)) {
                state.waiting[container.value("name", "")] = {"ContainerCreating", ""};
            }
        }
        auto status = podStatus(pod, state, instances);
        (void)status;
        m_queue.addAfter(state.key, std::chrono::seconds(2));
        return core::success();
    }

    std::optional<std::chrono::milliseconds> requeue;
    const auto wakeIn = [&requeue](std::chrono::milliseconds in) {
        requeue = requeue ? std::min(*requeue, in) : in;
    };

    // Init containers, one at a time; a restartable one (a sidecar) keeps running.
    bool initialized = true;
    for (const auto& container : containersOf(pod, true)) {
        const std::string name = container.value("name", "");
        const bool sidecar = container.value("restartPolicy", "") == "Always";
        const auto found = instancesNamed(instances, name);
        if (found.latest == nullptr) {
            startContainer(pod, container, true, 0, state);
            initialized = false;
            break;
        }
        if (sandboxAttemptOf(*found.latest) != attempt) {
            // It ran in an earlier sandbox: in a new one, init containers run again.
            startContainer(pod, container, true, found.latest->config.restartCount + 1, state);
            initialized = false;
            break;
        }
        const auto& latest = *found.latest;
        if (latest.state == runtime::ContainerState::Running ||
            latest.state == runtime::ContainerState::Created) {
            if (sidecar) {
                continue;
            }
            initialized = false;
            break;
        }
        if (latest.exitCode == 0 && !sidecar) {
            continue;  // done
        }
        // Failed (or a sidecar that stopped): restarted unless the pod never restarts.
        if (!sidecar && restartPolicy == "Never") {
            initialized = false;
            break;  // the pod fails (phase from the status)
        }
        auto& backoff = state.crashBackoff[name];
        std::chrono::milliseconds remaining{0};
        if (inBackoff(backoff, SteadyClock::now(), remaining)) {
            state.waiting[name] = {"CrashLoopBackOff", "back-off " + goDuration(backoff.delay) +
                                                           " restarting failed container=" + name +
                                                           " pod=" + podDescription(pod)};
            wakeIn(remaining);
            initialized = false;
            break;
        }
        stepBackoff(backoff);
        startContainer(pod, container, true, latest.config.restartCount + 1, state);
        initialized = false;
        break;
    }

    if (initialized) {
        for (const auto& container : containersOf(pod, false)) {
            const std::string name = container.value("name", "");
            const auto found = instancesNamed(instances, name);
            if (found.latest == nullptr) {
                if (!startContainer(pod, container, false, 0, state)) {
                    wakeIn(std::chrono::seconds(1));
                }
                continue;
            }
            const auto& latest = *found.latest;
            if (latest.state != runtime::ContainerState::Exited) {
                continue;
            }
            if (!restarts(restartPolicy, latest.exitCode)) {
                continue;
            }
            auto& backoff = state.crashBackoff[name];
            std::chrono::milliseconds remaining{0};
            const auto exitedAgo = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now() -
                latest.finishedAt.value_or(std::chrono::system_clock::now()));
            if (inBackoff(backoff, SteadyClock::now() - exitedAgo, remaining)) {
                state.waiting[name] = {"CrashLoopBackOff",
                                       "back-off " + goDuration(backoff.delay) +
                                           " restarting failed container=" + name +
                                           " pod=" + podDescription(pod)};
                record(pod, fieldPathOf(name, false), "Warning", "BackOff",
                       "Back-off restarting failed container " + name + " in pod " +
                           podDescription(pod));
                wakeIn(remaining);
                continue;
            }
            stepBackoff(backoff);
            startContainer(pod, container, false, latest.config.restartCount + 1, state);
        }
    }

    // Old dead instances beyond what `--previous` needs.
    for (bool init : {true, false}) {
        for (const auto& container : containersOf(pod, init)) {
            const std::string name = container.value("name", "");
            std::vector<const runtime::ContainerStatus*> dead;
            for (const auto& instance : instances) {
                if (instance.config.containerName == name &&
                    instance.state == runtime::ContainerState::Exited) {
                    dead.push_back(&instance);
                }
            }
            std::sort(dead.begin(), dead.end(), [](const auto* a, const auto* b) {
                return a->config.restartCount > b->config.restartCount;
            });
            for (std::size_t i = kKeptDeadInstances; i < dead.size(); ++i) {
                (void)m_runtime->removeContainer(dead[i]->config.id);
                (void)m_images->releaseRootfs(dead[i]->config.id);
            }
        }
    }

    // The status, from what is on disk now.
    if (auto written = writeStatus(); !written) {
        return written;
    }
    if (requeue) {
        m_queue.addAfter(state.key, *requeue + std::chrono::milliseconds(50));
    }
    return core::success();
}

bool Kubelet::inBackoff(Backoff& backoff, SteadyClock::time_point since,
                        std::chrono::milliseconds& remaining) const {
    const auto now = SteadyClock::now();
    // An entry unused for twice the maximum is forgotten (kubelet's backoff GC).
    if (backoff.delay.count() > 0 && now - backoff.lastUpdate > 2 * m_options.backoffMax) {
        backoff.delay = std::chrono::milliseconds(0);
    }
    if (backoff.delay.count() == 0) {
        return false;
    }
    const auto until = since + backoff.delay;
    if (now >= until) {
        return false;
    }
    remaining = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    return true;
}

void Kubelet::stepBackoff(Backoff& backoff) const {
    backoff.delay = backoff.delay.count() == 0 ? m_options.backoffInitial
                                               : std::min(backoff.delay * 2, m_options.backoffMax);
    backoff.lastUpdate = SteadyClock::now();
}

core::Result<std::string> Kubelet::ensureImage(const json& pod, const json& container,
                                               PodState& state) {
    const std::string name = container.value("name", "");
    const std::string image = container.value("image", "");
    const std::string policy = container.value("imagePullPolicy", "IfNotPresent");
    const std::string fieldPath =
        fieldPathOf(name, false);  // refined by the caller's events; pulls are per container
    auto found = m_images->find(image);
    if (found && policy != "Always") {
        record(pod, fieldPath, "Normal", "Pulled",
               "Container image \"" + image + "\" already present on machine");
        return found->id;
    }
    if (!found && policy == "Never") {
        const std::string message =
            "Container image \"" + image + "\" is not present with pull policy of Never";
        record(pod, fieldPath, "Warning", "ErrImageNeverPull", message);
        state.waiting[name] = {"ErrImageNeverPull", message};
        return core::Error(core::ErrorCode::NotFound, message);
    }
    auto& backoff = state.pullBackoff[name];
    std::chrono::milliseconds remaining{0};
    if (inBackoff(backoff, backoff.lastUpdate, remaining)) {
        const std::string message = "Back-off pulling image \"" + image + "\"";
        state.waiting[name] = {"ImagePullBackOff", message};
        record(pod, fieldPath, "Normal", "BackOff", message);
        m_queue.addAfter(state.key, remaining);
        return core::Error(core::ErrorCode::Unavailable, message);
    }
    record(pod, fieldPath, "Normal", "Pulling", "Pulling image \"" + image + "\"");
    const auto began = SteadyClock::now();
    auto pulled = m_registry->pull(image, pullCredentials(pod));
    if (pulled) {
        backoff.delay = std::chrono::milliseconds(0);
        const auto took = goDuration(SteadyClock::now() - began);
        record(pod, fieldPath, "Normal", "Pulled",
               "Successfully pulled image \"" + image + "\" in " + took + " (" + took +
                   " including waiting). Image size: " + std::to_string(pulled->sizeBytes) +
                   " bytes.");
        return pulled->id;
    }
    const auto reference = images::parseReference(image);
    if (found && reference && reference->registry == "slipway.local") {
        // The project's own images come from no registry: the loaded copy is the image.
        record(pod, fieldPath, "Normal", "Pulled",
               "Container image \"" + image + "\" already present on machine");
        return found->id;
    }
    const std::string message =
        "failed to pull and unpack image \"" + image + "\": " + pulled.error().message();
    record(pod, fieldPath, "Warning", "Failed",
           "Failed to pull image \"" + image + "\": " + message);
    record(pod, fieldPath, "Warning", "Failed", "Error: ErrImagePull");
    state.waiting[name] = {"ErrImagePull", message};
    stepBackoff(backoff);
    m_queue.addAfter(state.key, backoff.delay);
    return core::Error(core::ErrorCode::NotFound, message);
}

std::map<std::string, images::RegistryCredentials> Kubelet::pullCredentials(const json& pod) {
    std::map<std::string, images::RegistryCredentials> credentials;
    const std::string ns = client::metadataString(pod, "namespace");
    const auto spec = pod.find("spec");
    if (spec == pod.end()) {
        return credentials;
    }
    for (const auto& ref : spec->value("imagePullSecrets", json::array())) {
        auto secret = m_client.get(
            client::resources::secrets().in(ns).named(ref.value("name", std::string())));
        if (!secret) {
            continue;  // kubelet pulls without a missing secret's credentials
        }
        const std::string encoded =
            secret->value("/data/.dockerconfigjson"_json_pointer, std::string());
        auto parsed = images::parseDockerConfigJson(decodeBase64(encoded));
        if (parsed) {
            credentials.insert(parsed->begin(), parsed->end());
        }
    }
    return credentials;
}

core::Result<std::string> Kubelet::attachNetwork(const json& pod, PodState& state) {
    (void)pod;
    if (!m_network) {
        return std::string();
    }
    {
        std::lock_guard lock(m_mutex);
        if (!state.podIp.empty()) {
            return state.podIp;
        }
    }
    auto attached = m_network->attach(state.uid, m_runtime->sandboxPath(state.uid));
    if (!attached) {
        return attached.error();
    }
    std::lock_guard lock(m_mutex);
    state.podIp = attached->ip;
    return attached->ip;
}

void Kubelet::removeSandbox(const std::string& uid) {
    if (m_network) {
        if (auto detached = m_network->detach(uid); !detached) {
            spdlog::warn("kubelet: pod {}: {}", uid, detached.error().message());
        }
    }
    (void)m_runtime->removeSandbox(uid);
}

core::Result<void> Kubelet::writePodFiles(const json& pod, const std::string& podIp) {
    const std::string uid = client::metadataString(pod, "uid");
    const auto dir = podDir(uid);
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        return core::Error(core::ErrorCode::Internal,
                           "cannot create " + dir.string() + ": " + error.message());
    }
    const std::string hostname = hostnameOf(pod);
    std::ostringstream hosts;
    hosts << "# Kubernetes-managed hosts file.\n"
          << "127.0.0.1\tlocalhost\n"
          << "::1\tlocalhost ip6-localhost ip6-loopback\n"
          << "fe00::0\tip6-localnet\n"
          << "fe00::0\tip6-mcastprefix\n"
          << "fe00::1\tip6-allnodes\n"
          << "fe00::2\tip6-allrouters\n"
          << (podIp.empty() ? "127.0.1.1" : podIp) << "\t" << hostname << "\n";
    const std::string ns = client::metadataString(pod, "namespace");
    std::ostringstream resolv;
    const std::string dnsPolicy = pod["spec"].value("dnsPolicy", "ClusterFirst");
    if (dnsPolicy == "Default") {
        resolv << readFile("/etc/resolv.conf");
    } else {
        const std::string& domain = m_options.clusterDomain;
        resolv << "search " << ns << ".svc." << domain << " svc." << domain << " " << domain
               << "\nnameserver " << m_options.clusterDns << "\noptions ndots:5\n";
    }
    for (const auto& [file, content] : {std::pair{"etc-hosts", hosts.str()},
                                        {"resolv.conf", resolv.str()},
                                        {"hostname", hostname + "\n"}}) {
        if (readFile(dir / file, content.size() + 1) == content) {
            continue;  // every sync comes here: unchanged files are not rewritten
        }
        std::ofstream out(dir / file, std::ios::trunc);
        out << content;
        if (!out) {
            return core::Error(core::ErrorCode::Internal, "cannot write " + (dir / file).string());
        }
    }
    return core::success();
}

bool Kubelet::startContainer(const json& pod, const json& container, bool init, int restartCount,
                             PodState& state) {
    const std::string name = container.value("name", "");
    const std::string fieldPath = fieldPathOf(name, init);
    const std::string uid = state.uid;
    auto imageId = ensureImage(pod, container, state);
    if (!imageId) {
        return false;
    }
    auto image = m_images->find(*imageId);
    if (!image) {
        state.waiting[name] = {"ErrImagePull", image.error().message()};
        return false;
    }
    const std::string id = containerId(uid, name, restartCount);
    const auto fail = [&](const std::string& reason, const std::string& message) {
        record(pod, fieldPath, "Warning", "Failed", "Error: " + message);
        state.waiting[name] = {reason, message};
        (void)m_runtime->removeContainer(id);
        (void)m_images->releaseRootfs(id);
        return false;
    };

    // The environment first: a missing ConfigMap key is a config error, before any work.
    EnvSources sources;
    const std::string ns = state.nameSpace;
    const auto getter = [this, ns](client::ResourceRef kind) {
        return
            [this, ns, kind](const std::string& objectName) -> core::Result<std::optional<json>> {
                auto got = m_client.get(kind.in(ns).named(objectName));
                if (got) {
                    return std::optional<json>(std::move(*got));
                }
                if (got.error().code() == core::ErrorCode::NotFound) {
                    return std::optional<json>();
                }
                return got.error();
            };
    };
    sources.configMap = getter(client::resources::configMaps());
    sources.secret = getter(client::resources::secrets());
    // The downward API sees the address the sandbox has now, even before the status says so.
    json withIp = pod;
    if (!state.podIp.empty()) {
        withIp["status"]["podIP"] = state.podIp;
        withIp["status"]["podIPs"] = json::array({{{"ip", state.podIp}}});
    }
    std::vector<json> services;
    for (const auto& service : m_serviceInformer.lister().list()) {
        services.push_back(*service);
    }
    auto env = containerEnv(withIp, container, image->config, sources,
                            serviceEnvironment(withIp, services));
    if (!env) {
        return fail("CreateContainerConfigError", env.error().message());
    }
    std::map<std::string, std::string> envMap(env->begin(), env->end());

    const auto rootfsDir = m_options.root / "rootfs" / id;
    auto rootfs = m_images->prepareRootfs(image->id, id, rootfsDir);
    if (!rootfs) {
        return fail("CreateContainerError", rootfs.error().message());
    }
    auto user = containerUser(pod, container, image->config, rootfs->path.string());
    if (!user) {
        return fail("CreateContainerConfigError", user.error().message());
    }
    const json& securityContext = container.value("securityContext", json::object());
    const bool runAsNonRoot = securityContext.value(
        "runAsNonRoot",
        pod["spec"].value("securityContext", json::object()).value("runAsNonRoot", false));
    if (runAsNonRoot && user->uid == 0) {
        return fail("CreateContainerConfigError",
                    "container has runAsNonRoot and image will run as root (pod: \"" +
                        podDescription(pod) + "\", container: " + name + ")");
    }

    runtime::ContainerConfig config;
    config.id = id;
    config.podUid = uid;
    config.podName = state.name;
    config.podNamespace = ns;
    config.containerName = name;
    config.restartCount = restartCount;
    config.image = container.value("image", "");
    config.imageId = image->repoDigests.empty() ? image->id : image->repoDigests.front();
    config.labels["io.kubernetes.container.init"] = init ? "true" : "false";
    config.labels[kSandboxAttemptLabel] = std::to_string(sandboxAttempt(podDir(uid)));
    config.rootfs = rootfs->path;
    config.readonlyRootfs = securityContext.value("readOnlyRootFilesystem", false);
    config.args = containerArgs(container, image->config, envMap);
    if (config.args.empty()) {
        return fail("CreateContainerError", "no command specified");
    }
    for (const auto& [key, value] : *env) {
        config.env.push_back(key + "=" + value);
    }
    config.env.push_back("HOSTNAME=" + hostnameOf(pod));
    const std::string workingDir = container.value("workingDir", "");
    config.cwd = !workingDir.empty()                 ? workingDir
                 : !image->config.workingDir.empty() ? image->config.workingDir
                                                     : "/";
    config.uid = user->uid;
    config.gid = user->gid;
    if (const auto caps = securityContext.find("capabilities"); caps != securityContext.end()) {
        for (const auto& cap : caps->value("add", json::array())) {
            config.capabilitiesAdd.push_back(cap.get<std::string>());
        }
        for (const auto& cap : caps->value("drop", json::array())) {
            config.capabilitiesDrop.push_back(cap.get<std::string>());
        }
    }
    config.privileged = securityContext.value("privileged", false);
    config.noNewPrivileges = !securityContext.value("allowPrivilegeEscalation", true);
    config.hostname = hostnameOf(pod);
    config.sandbox = m_runtime->sandboxPath(uid).string();
    config.resources = containerResources(container);
    config.tty = container.value("tty", false);
    config.stdin = container.value("stdin", false);
    config.stdinOnce = container.value("stdinOnce", false);
    config.logPath =
        logs::containerLogPath(m_options.root, ns, state.name, uid, name, restartCount);

    // Mounts: the pod's /etc files, the termination log, then the volumes.
    const auto dir = podDir(uid);
    const auto terminationLog = dir / "containers" / name / std::to_string(restartCount);
    std::error_code ignored;
    std::filesystem::create_directories(terminationLog.parent_path(), ignored);
    { std::ofstream touch(terminationLog, std::ios::trunc); }
    config.mounts.push_back({"/etc/hosts", (dir / "etc-hosts").string(), "bind", {}, false});
    config.mounts.push_back({"/etc/hostname", (dir / "hostname").string(), "bind", {}, false});
    config.mounts.push_back(
        {"/etc/resolv.conf", (dir / "resolv.conf").string(), "bind", {}, false});
    config.mounts.push_back({container.value("terminationMessagePath", "/dev/termination-log"),
                             terminationLog.string(),
                             "bind",
                             {},
                             false});
    auto volumeMounts = m_volumes->mounts(pod, name, envMap);
    if (!volumeMounts) {
        return fail("CreateContainerConfigError", volumeMounts.error().message());
    }
    for (const auto& mount : *volumeMounts) {
        std::vector<std::string> options;
        if (mount.propagation == "HostToContainer") {
            options.push_back("rslave");
        } else if (mount.propagation == "Bidirectional") {
            options.push_back("rshared");
        }
        config.mounts.push_back(
            {mount.containerPath, mount.hostPath, "bind", options, mount.readOnly});
    }

    // Created and started by one `runc run --detach`: nothing (no postStart hook) runs in
    // between, and a second runc process cost tens of ms of CPU per container.
    if (auto created = m_runtime->runContainer(config); !created) {
        return fail("CreateContainerError", created.error().message());
    }
    record(pod, fieldPath, "Normal", "Created", "Created container " + name);
    record(pod, fieldPath, "Normal", "Started", "Started container " + name);
    state.waiting.erase(name);

    // Probes for the new instance.
    if (!init || container.value("restartPolicy", "") == "Always") {
        probes::ContainerProbeSpec spec;
        spec.podUid = uid;
        spec.container = container;
        spec.target.podIp = "127.0.0.1";
        spec.target.netnsPath = m_runtime->sandboxPath(uid).string();
        spec.target.exec =
            [this, id](const probes::ExecRequest& request) -> core::Result<probes::ExecResponse> {
            auto result = m_runtime->execSync(id, request.command, request.timeout);
            if (!result) {
                return result.error();
            }
            return probes::ExecResponse{result->exitCode, result->stdoutText + result->stderrText,
                                        result->timedOut};
        };
        m_probes->addContainer(spec);
        auto status = m_runtime->containerStatus(id);
        m_probes->containerStarted(
            uid, name, id,
            status && status->startedAt ? *status->startedAt : std::chrono::system_clock::now());
    }
    return true;
}

json Kubelet::podStatus(const json& pod, PodState& state,
                        const std::vector<runtime::ContainerStatus>& instances) {
    PodRuntimeStatus runtimeStatus;
    runtimeStatus.sandboxReady = m_runtime->sandboxExists(state.uid);
    runtimeStatus.hostIp = m_options.node.internalIp;
    {
        std::lock_guard lock(m_mutex);
        runtimeStatus.podIp = state.podIp;
    }
    const std::string restartPolicy = pod["spec"].value("restartPolicy", "Always");
    const auto now = std::chrono::system_clock::now();
    for (bool init : {true, false}) {
        for (const auto& container : containersOf(pod, init)) {
            ContainerRuntimeStatus status;
            status.name = container.value("name", "");
            status.image = container.value("image", "");
            const auto found = instancesNamed(instances, status.name);
            if (found.previous != nullptr &&
                found.previous->state == runtime::ContainerState::Exited) {
                status.lastTermination = terminationOf(
                    *found.previous, readFile(podDir(state.uid) / "containers" / status.name /
                                              std::to_string(found.previous->config.restartCount)));
            }
            const auto waitingIt = state.waiting.find(status.name);
            if (found.latest == nullptr) {
                status.phase = ContainerPhase::Waiting;
                if (waitingIt != state.waiting.end()) {
                    status.reason = waitingIt->second.first;
                    status.message = waitingIt->second.second;
                } else {
                    status.reason = init ? "PodInitializing" : "ContainerCreating";
                    if (!init && !containersOf(pod, true).empty()) {
                        status.reason = "PodInitializing";
                    }
                }
            } else {
                const auto& latest = *found.latest;
                status.containerId = "runc://" + latest.config.id;
                status.imageId = latest.config.imageId;
                status.restartCount = latest.config.restartCount;
                if (latest.state == runtime::ContainerState::Exited) {
                    const auto termination = terminationOf(
                        latest, readFile(podDir(state.uid) / "containers" / status.name /
                                         std::to_string(latest.config.restartCount)));
                    const bool willRestart =
                        (init && container.value("restartPolicy", "") == "Always") ||
                        (init ? latest.exitCode != 0 && restartPolicy != "Never"
                              : restarts(restartPolicy, latest.exitCode));
                    if (willRestart && waitingIt != state.waiting.end()) {
                        status.phase = ContainerPhase::Waiting;
                        status.reason = waitingIt->second.first;
                        status.message = waitingIt->second.second;
                        status.lastTermination = termination;
                    } else {
                        status.phase = ContainerPhase::Terminated;
                        status.reason = termination.reason;
                        status.message = termination.message;
                        status.startedAt = termination.startedAt;
                        status.finishedAt = termination.finishedAt;
                        status.exitCode = termination.exitCode;
                    }
                } else {
                    status.phase = ContainerPhase::Running;
                    status.reason.clear();
                    status.startedAt = latest.startedAt.value_or(latest.createdAt);
                    const bool hasReadiness = container.contains("readinessProbe");
                    const bool hasStartup = container.contains("startupProbe");
                    const auto started = m_probes->started(state.uid, status.name);
                    status.started = hasStartup ? started.value_or(false) : true;
                    const auto ready = m_probes->ready(state.uid, status.name);
                    status.ready = status.started && (hasReadiness ? ready.value_or(false) : true);
                }
            }
            (init ? runtimeStatus.initContainers : runtimeStatus.containers)
                .push_back(std::move(status));
        }
    }
    json status = generatePodStatus(pod, runtimeStatus, now);
    state.lastStatus = status;
    return status;
}

void Kubelet::onProbe(const probes::ProbeReport& report) {
    std::string key;
    json pod;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_pods.find(report.podUid);
        if (it == m_pods.end()) {
            return;
        }
        key = it->second->key;
    }
    if (auto cached = m_podInformer.lister().getByKey(key)) {
        pod = *cached;
    }
    if (!pod.is_null()) {
        const std::string reason = report.eventReason();
        if (!reason.empty()) {
            record(pod, "spec.containers{" + report.container + "}", "Warning", reason,
                   report.eventMessage());
        }
        if (report.restart) {
            record(pod, "spec.containers{" + report.container + "}", "Normal", "Killing",
                   report.killMessage());
            const auto grace = std::chrono::seconds(report.terminationGracePeriodSeconds.value_or(
                pod["spec"].value("terminationGracePeriodSeconds", 30)));
            std::lock_guard lock(m_mutex);
            m_terminations.emplace_back([this, id = report.containerId, grace, key] {
                (void)m_runtime->stopContainer(id, grace);
                m_queue.add(key);
            });
        }
    }
    if (report.changed || report.restart) {
        m_queue.add(key);
    }
}

void Kubelet::terminatePod(json pod) {
    const std::string uid = client::metadataString(pod, "uid");
    const std::string ns = client::metadataString(pod, "namespace");
    const std::string name = client::metadataString(pod, "name");
    const auto grace = std::chrono::seconds(pod["metadata"].value(
        "deletionGracePeriodSeconds", pod["spec"].value("terminationGracePeriodSeconds", 30)));
    const auto deadline = SteadyClock::now() + grace;
    auto instances = instancesOf(uid);
    std::vector<std::thread> stops;
    for (bool init : {false, true}) {
        for (const auto& container : containersOf(pod, init)) {
            const std::string containerName = container.value("name", "");
            const auto found = instancesNamed(instances, containerName);
            if (found.latest == nullptr || found.latest->state == runtime::ContainerState::Exited) {
                continue;
            }
            const std::string id = found.latest->config.id;
            record(pod, fieldPathOf(containerName, init), "Normal", "Killing",
                   "Stopping container " + containerName);
            stops.emplace_back([this, id, container, deadline] {
                // preStop exec hooks run within the grace period.
                const auto preStop =
                    container.value("lifecycle", json::object()).value("preStop", json::object());
                if (const auto exec = preStop.find("exec"); exec != preStop.end()) {
                    std::vector<std::string> argv;
                    for (const auto& arg : exec->value("command", json::array())) {
                        argv.push_back(arg.get<std::string>());
                    }
                    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - SteadyClock::now());
                    if (!argv.empty() && left.count() > 0) {
                        (void)m_runtime->execSync(id, argv, left);
                    }
                }
                const auto left = std::max(std::chrono::milliseconds(0),
                                           std::chrono::duration_cast<std::chrono::milliseconds>(
                                               deadline - SteadyClock::now()));
                (void)m_runtime->stopContainer(id, left);
            });
        }
    }
    for (auto& thread : stops) {
        thread.join();
    }
    m_probes->removePod(uid);
    // The final status, then the DELETE that lets the API server remove the pod.
    std::shared_ptr<PodState> state;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_pods.find(uid); it != m_pods.end()) {
            state = it->second;
        }
    }
    auto latest = m_client.get(client::resources::pods().in(ns).named(name));
    if (latest && client::metadataString(*latest, "uid") == uid && state) {
        json status = podStatus(*latest, *state, instancesOf(uid));
        const std::string phase = status.value("phase", "");
        if (phase != "Succeeded" && phase != "Failed") {
            // Stopped by deletion: kubelet marks a pod whose containers were killed Failed
            // unless all succeeded.
            status["phase"] = phase == "Pending" ? "Failed" : status["phase"];
        }
        (*latest)["status"] = status;
        (void)m_client.updateStatus(client::resources::pods().in(ns).named(name), *latest);
    }
    client::DeleteOptions options;
    options.gracePeriodSeconds = 0;
    options.preconditionUid = uid;
    auto removed = m_client.remove(client::resources::pods().in(ns).named(name), options);
    if (!removed && removed.error().code() != core::ErrorCode::NotFound &&
        removed.error().code() != core::ErrorCode::Conflict) {
        spdlog::warn("kubelet: deleting pod {}/{}: {}", ns, name, removed.error().message());
        m_queue.addAfter(ns + "/" + name, std::chrono::seconds(1));
        std::lock_guard lock(m_mutex);
        if (state) {
            state->terminating = false;  // tried again by the next sync
        }
    }
}

void Kubelet::cleanUpPod(const std::string& uid) {
    for (const auto& instance : instancesOf(uid)) {
        (void)m_runtime->stopContainer(instance.config.id, std::chrono::seconds(2));
        (void)m_runtime->removeContainer(instance.config.id);
        (void)m_images->releaseRootfs(instance.config.id);
    }
    removeSandbox(uid);
    if (m_probes) {
        m_probes->removePod(uid);
    }
    (void)m_volumes->tearDown(uid);
    std::error_code ignored;
    std::filesystem::remove_all(podDir(uid), ignored);
    std::lock_guard lock(m_mutex);
    m_pods.erase(uid);
}

}  // namespace slipway::agent::kubelet
