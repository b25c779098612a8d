// SPDX-License-Identifier: Apache-2.0
#include "engine/cmd/node_agent.h"

#include <algorithm>
#include <system_error>

#include <CLI/CLI.hpp>

#include "engine/agent/sim/sim_pod.h"
#include "engine/core/version.h"

namespace slipway::cmd {

namespace {

/// The demo images installed beside slipwayd (share/slipway/images), else those of the build.
std::vector<std::filesystem::path> defaultPreloadImages() {
    std::vector<std::filesystem::path> dirs;
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        dirs.push_back(self.parent_path().parent_path() / "share" / "slipway" / "images");
    }
#ifdef SLIPWAY_DEMO_IMAGES_DIR
    dirs.emplace_back(SLIPWAY_DEMO_IMAGES_DIR);
#endif
    for (const auto& dir : dirs) {
        if (std::filesystem::is_directory(dir, error)) {
            return {dir};
        }
    }
    return {};
}

/// Files named by --preload-images: tarballs as given, folders as their *.tar files (sorted).
std::vector<std::filesystem::path> imageTarballs(const std::vector<std::filesystem::path>& given) {
    std::vector<std::filesystem::path> out;
    for (const auto& path : given) {
        std::error_code error;
        if (!std::filesystem::is_directory(path, error)) {
            out.push_back(path);
            continue;
        }
        std::vector<std::filesystem::path> inside;
        for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
            if (entry.path().extension() == ".tar" || entry.path().extension() == ".gz") {
                inside.push_back(entry.path());
            }
        }
        std::sort(inside.begin(), inside.end());
        out.insert(out.end(), inside.begin(), inside.end());
    }
    return out;
}

}  // namespace

core::Result<std::chrono::milliseconds> durationFlag(const std::string& text, const char* flag) {
    if (auto parsed = agent::sim::parseGoDuration(text)) {
        return *parsed;
    }
    return core::Error(
        core::ErrorCode::BadRequest,
        std::string(flag) + ": \"" + text + "\" is not a duration (e.g. 500ms, 10s, 5m)");
}

sigset_t blockShutdownSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

core::Result<core::FileLock> lockDataDir(const std::filesystem::path& dataDir) {
    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot create data dir " + dataDir.string() + ": " + ec.message());
    }
    auto lock = core::FileLock::acquire(dataDir / "slipwayd.lock");
    if (!lock) {
        return lock.error().wrap("data dir " + dataDir.string() + " is in use");
    }
    return lock;
}

void addNodeFlags(CLI::App& command, NodeFlags& flags) {
    command.add_option("--node-name", flags.nodeName, "The node's name")->capture_default_str();
    command.add_option("--node-ip", flags.nodeIp, "The node's InternalIP")->capture_default_str();
    command
        .add_option("--proxy-mode", flags.proxyMode,
                    "How the node agent serves Services: nftables, userspace or none")
        ->capture_default_str();
    command
        .add_option("--kubelet-port", flags.kubeletPort,
                    "Port of the node agent's streaming server (0: a free one)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    command.add_option("--preload-images", flags.preloadImages,
                       "Image tarballs (or folders of them) the node agent loads");
    command
        .add_option("--crash-loop-backoff", flags.crashLoopBackoff,
                    "First back-off of a crashing container (doubles each time)")
        ->capture_default_str();
    command
        .add_option("--crash-loop-backoff-max", flags.crashLoopBackoffMax,
                    "Longest back-off of a crashing container")
        ->capture_default_str();
    command
        .add_option("--pod-network", flags.podNetwork,
                    "The node's pod network: bridge (an address per pod) or none")
        ->check(CLI::IsMember({"bridge", "none"}))
        ->capture_default_str();
    command
        .add_option("--nodeport-addresses", flags.nodePortAddresses,
                    "Node addresses that serve node ports (default: --node-ip)")
        ->delimiter(',');
    command
        .add_option("--pod-cidr", flags.podCidr,
                    "The node's pod address range (empty: assigned by the server)")
        ->capture_default_str();
}

std::vector<std::string> nodePortAddresses(const NodeFlags& flags) {
    return flags.nodePortAddresses.empty() ? std::vector<std::string>{flags.nodeIp}
                                           : flags.nodePortAddresses;
}

core::Result<agent::kubelet::KubeletOptions> kubeletOptions(
    const NodeFlags& flags, const std::string& defaultName, const std::filesystem::path& dataDir,
    std::optional<agent::streaming::StreamingTls> streamingTls) {
    agent::kubelet::KubeletOptions options;
    auto backoff = durationFlag(flags.crashLoopBackoff, "--crash-loop-backoff");
    auto backoffMax = durationFlag(flags.crashLoopBackoffMax, "--crash-loop-backoff-max");
    if (!backoff || !backoffMax) {
        return backoff ? backoffMax.error() : backoff.error();
    }
    options.backoffInitial = *backoff;
    options.backoffMax = *backoffMax;
    options.node.name = flags.nodeName.empty() ? defaultName : flags.nodeName;
    options.node.internalIp = flags.nodeIp;
    options.node.podCidr = flags.podCidr;
    if (flags.podNetwork == "bridge") {
        options.podNetwork = agent::network::PodNetworkOptions{};
    }
    options.node.cpu = "auto";
    options.node.memory = "auto";
    options.node.ephemeralStorage = "auto";
    options.node.kubeletVersion = core::kubernetesGitVersion();
    options.root = dataDir / "agent";
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error || !std::filesystem::exists(self.parent_path() / "slipway-shim", error)) {
#ifdef SLIPWAY_SHIM_BUILD_PATH
        options.runtime.shimPath = SLIPWAY_SHIM_BUILD_PATH;
#endif
    }
    options.streaming.address = flags.nodeIp;
    options.streaming.port = static_cast<std::uint16_t>(flags.kubeletPort);
    options.streaming.tls = std::move(streamingTls);
    std::vector<std::filesystem::path> given(flags.preloadImages.begin(),
                                             flags.preloadImages.end());
    options.preloadImages = imageTarballs(given.empty() ? defaultPreloadImages() : given);
    return options;
}

}  // namespace slipway::cmd
