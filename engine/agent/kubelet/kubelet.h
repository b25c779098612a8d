// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agent/images/registry_client.h"
#include "engine/agent/network/pod_network.h"
#include "engine/agent/node_status.h"
#include "engine/agent/pod_status.h"
#include "engine/agent/runtime/runtime.h"
#include "engine/agent/streaming/streaming_server.h"
#include "engine/client/client.h"
#include "engine/client/event_recorder.h"
#include "engine/client/informer.h"
#include "engine/client/work_queue.h"
#include "engine/core/result.h"

namespace slipway::agent::probes {
class Prober;
class ProbeManager;
struct ProbeReport;
}  // namespace slipway::agent::probes
namespace slipway::agent::volumes {
class VolumeManager;
}
namespace slipway::metrics {
class MetricsSource;
}

namespace slipway::agent::kubelet {

/// How a node agent runs: its node, its data, its runtime and its timings.
struct KubeletOptions {
    /// The Node's name, labels, capacity (filled from the machine when left at "auto"),
    /// InternalIP and podCIDR.
    NodeConfig node;
    /// The agent's data dir: images/, containers/, runc/, pods/, logs/.
    std::filesystem::path root;
    /// runc, the shim, the netns dir (root is taken from `root`).
    runtime::RuntimeOptions runtime;
    /// OCI or docker-archive tarballs loaded into the image store at start (the demo images).
    std::vector<std::filesystem::path> preloadImages;
    /// The streaming server (logs, exec, attach) the API server proxies to; its port goes in
    /// the Node's status.daemonEndpoints. Port 0 picks a free one.
    streaming::StreamingServerOptions streaming;
    /// The pod network (bridge, veth, IPAM): each pod gets an address from node.podCidr. Off
    /// (nullopt): pods have only loopback and no IP, as before networking existed.
    /// With node.podCidr empty, start() registers the Node and waits up to podCidrTimeout for
    /// the server's node IPAM controller to give it one (a node joining a cluster).
    std::optional<network::PodNetworkOptions> podNetwork;
    std::chrono::milliseconds podCidrTimeout{60000};
    /// Cluster DNS written into pods' resolv.conf (ClusterFirst).
    std::string clusterDns = "10.96.0.10";
    std::string clusterDomain = "cluster.local";
    /// Node heartbeats: the Lease every leaseRenewInterval; status on change (checked every
    /// statusUpdateInterval) and at least every statusReportInterval.
    std::chrono::milliseconds leaseRenewInterval{10000};
    int leaseDurationSeconds = 40;
    std::chrono::milliseconds statusUpdateInterval{10000};
    std::chrono::milliseconds statusReportInterval{std::chrono::minutes(5)};
    /// How often the runtime's containers are listed to notice exits (the kubelet's PLEG).
    std::chrono::milliseconds relistPeriod{1000};
    /// Crash-loop back-off: 10 s doubling to 5 min, as the kubelet.
    std::chrono::milliseconds backoffInitial{10000};
    std::chrono::milliseconds backoffMax{std::chrono::minutes(5)};
    /// Registries pulled from over plain HTTP ("registry.local:5000"); those on loopback
    /// (localhost, 127.0.0.0/8, [::1]) always are, as Docker does.
    std::set<std::string> insecureRegistries;
    /// Pod workers; 0: two per CPU, at least 4 and at most 32 (a worker waits for the shim
    /// and runc about half of a pod's start).
    int workers = 0;
    /// Unused images are removed, least recently used first, when the image filesystem is
    /// fuller than the policy's high threshold (kubelet's 85% / 80%), checked this often.
    images::GcPolicy imageGc{85, 80, std::chrono::seconds(120)};
    std::chrono::milliseconds imageGcInterval{std::chrono::minutes(5)};
    /// How often containers' cgroup counters are read for the resource metrics.
    std::chrono::milliseconds metricsInterval{5000};
};

/// Machine figures for the Node: CPUs, memory (MemTotal), ephemeral storage of `root`,
/// kernel version, OS image; fields already set in `config` are kept.
NodeConfig describeMachine(NodeConfig config, const std::filesystem::path& root);

/// The node agent: a kubelet on runc. It registers its Node, keeps its Lease and status fresh,
/// and runs the pods bound to it:
///
///   sandbox (a network namespace) → volumes → image (pull policy, events) → init containers
///   one after the other → containers, each under restartPolicy with the kubelet's crash-loop
///   back-off; probes (startup, liveness, readiness) through the ProbeManager; pod status as
///   the kubelet writes it (engine/agent/pod_status.h); graceful deletion (preStop, SIGTERM,
///   the grace period, SIGKILL, then the pod's final DELETE); logs, exec and attach through
///   its streaming server.
///
/// Level-triggered: a pod informer (spec.nodeName = this node) and the runtime's relist feed a
/// work queue of pod keys; each sync compares the pod's spec with the containers on disk and
/// does the next step. All container state is the runtime's (on disk), so an agent restarted
/// on the same root re-adopts running containers instead of killing them.
///
/// Talks to the API only through the Client, which must outlive it.
class KubeletMetricsSource;

class Kubelet {
public:
    Kubelet(const client::Client& client, KubeletOptions options);
    /// Stops. Containers keep running.
    ~Kubelet();
    Kubelet(const Kubelet&) = delete;
    Kubelet& operator=(const Kubelet&) = delete;

    /// Opens the image store (loading the preload tarballs), starts the streaming server,
    /// then the informer, workers, relist and heartbeats. The Node registers in the background.
    core::Result<void> start();
    /// Stops everything but the containers. Idempotent.
    void stop();
    /// Waits until the Node, its status and its Lease have been written.
    bool waitForRegistered(std::chrono::milliseconds timeout) const;

    const std::string& nodeName() const { return m_options.node.name; }
    std::uint16_t streamingPort() const { return m_streamingPort; }
    runtime::Runtime& runtime() { return *m_runtime; }
    /// The node's and its pods' resource usage (kubectl top, the HPA), sampled every
    /// metricsInterval.
    const metrics::MetricsSource& metrics() const;
    images::ImageStore& images() { return *m_images; }

    /// Removes every container the agent on `root` ran, their root filesystems and pod
    /// sandboxes, and unmounts whatever is still mounted under `root`: what deleting a cluster
    /// does to its node (`slipwayd reset-node`). Its running containers are killed.
    static core::Result<void> resetNode(const std::filesystem::path& root,
                                        runtime::RuntimeOptions runtime = {});

    /// The id of container `name`'s instance `restartCount` of pod `podUid` (for tests).
    static std::string containerId(const std::string& podUid, const std::string& name,
                                   int restartCount);

private:
    class Streaming;
    struct Backoff {
        std::chrono::milliseconds delay{0};
        std::chrono::steady_clock::time_point lastUpdate;
    };
    /// What the agent remembers of a pod between syncs (the rest is on disk).
    struct PodState {
        std::string uid;
        std::string key;
        std::string nameSpace;
        std::string name;
        std::map<std::string, Backoff> crashBackoff;  ///< container → back-off
        std::map<std::string, Backoff> pullBackoff;   ///< container → image pull back-off
        /// container → why it waits when it has no running instance ("ErrImagePull", …).
        std::map<std::string, std::pair<std::string, std::string>> waiting;
        std::set<std::string> probed;   ///< containers registered with the probe manager
        std::set<std::string> started;  ///< container ids reported to the probe manager
        bool terminating = false;
        bool finalized = false;  ///< the final DELETE was sent
        std::string podIp;       ///< from the pod network, once attached
        nlohmann::json lastStatus;
    };

    core::Result<void> syncPod(const std::string& key);
    core::Result<void> runPod(const nlohmann::json& pod, PodState& state);
    void terminatePod(nlohmann::json pod);
    void cleanUpPod(const std::string& uid);
    /// Starts instance `restartCount` of `container`; false when it waits (the reason is in
    /// state.waiting).
    bool startContainer(const nlohmann::json& pod, const nlohmann::json& container, bool init,
                        int restartCount, PodState& state);
    core::Result<std::string> ensureImage(const nlohmann::json& pod,
                                          const nlohmann::json& container, PodState& state);
    core::Result<void> writePodFiles(const nlohmann::json& pod, const std::string& podIp);
    /// Gives the pod's sandbox its address (once); empty without a pod network.
    core::Result<std::string> attachNetwork(const nlohmann::json& pod, PodState& state);
    /// Frees the sandbox's address and link, then removes the sandbox.
    void removeSandbox(const std::string& uid);
    /// Registry credentials from the pod's imagePullSecrets (dockerconfigjson).
    std::map<std::string, images::RegistryCredentials> pullCredentials(const nlohmann::json& pod);
    nlohmann::json podStatus(const nlohmann::json& pod, PodState& state,
                             const std::vector<runtime::ContainerStatus>& instances);
    void onProbe(const probes::ProbeReport& report);
    void relistLoop();
    void collectImages();
    void heartbeatLoop();
    /// Registers the Node (if it is not) and waits for its spec.podCIDR.
    core::Result<std::string> awaitPodCidr();
    core::Result<void> heartbeat(bool& registered, std::string& nodeUid,
                                 std::optional<nlohmann::json>& lease,
                                 std::chrono::steady_clock::time_point& lastReport);
    std::vector<runtime::ContainerStatus> instancesOf(const std::string& podUid) const;
    std::shared_ptr<PodState> stateOf(const nlohmann::json& pod);
    void record(const nlohmann::json& pod, const std::string& fieldPath, const std::string& type,
                const std::string& reason, const std::string& message);
    std::filesystem::path podDir(const std::string& uid) const;
    bool inBackoff(Backoff& backoff, std::chrono::steady_clock::time_point since,
                   std::chrono::milliseconds& remaining) const;
    void stepBackoff(Backoff& backoff) const;

    const client::Client& m_client;
    KubeletOptions m_options;
    std::unique_ptr<runtime::Runtime> m_runtime;
    std::unique_ptr<network::PodNetwork> m_network;
    std::unique_ptr<images::ImageStore> m_images;
    std::unique_ptr<images::RegistryClient> m_registry;
    std::unique_ptr<volumes::VolumeManager> m_volumes;
    std::unique_ptr<probes::Prober> m_prober;
    std::unique_ptr<probes::ProbeManager> m_probes;
    std::unique_ptr<Streaming> m_streamingBackend;
    std::unique_ptr<streaming::StreamingServer> m_streaming;
    std::uint16_t m_streamingPort = 0;
    client::Informer m_podInformer;
    /// Every Service, for the containers' service environment variables.
    client::Informer m_serviceInformer;
    std::unique_ptr<KubeletMetricsSource> m_metrics;
    client::WorkQueue m_queue;
    client::EventRecorder m_recorder;

    mutable std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<PodState>> m_pods;  ///< by uid
    std::map<std::string, std::string> m_uidByKey;
    std::map<std::string, std::string> m_lastRelist;  ///< pod uid → digest of its containers
    /// pod key → the resourceVersion of the agent's last status write, whose informer echo
    /// is not synced again.
    std::map<std::string, std::string> m_ownStatusWrites;
    std::vector<std::thread> m_terminations;

    std::vector<std::thread> m_workers;
    std::thread m_relist;
    std::thread m_heartbeat;
    std::mutex m_stopMutex;
    std::condition_variable m_stopChanged;
    bool m_stopping = false;
    bool m_started = false;
    std::atomic<bool> m_registered{false};
};

}  // namespace slipway::agent::kubelet
