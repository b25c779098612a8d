// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/agent/kubelet/kubelet.h"
#include "engine/agent/streaming/streaming_backend.h"

namespace slipway::agent::kubelet {

/// The kubelet's answers to the streaming server: a container's CRI log (current or
/// previous instance), exec in a running container (runc exec), attach to its own stdio,
/// port-forward to the pod's loopback.
/// Pods are found in the kubelet's pod informer; errors carry the kubelet's messages
/// (`container "web" in pod "p" is waiting to start: ContainerCreating`,
/// `container not found ("web")`).
class Kubelet::Streaming final : public streaming::StreamingBackend {
public:
    explicit Streaming(Kubelet& kubelet) : m_kubelet(kubelet) {}

    core::Result<std::unique_ptr<streaming::LogSource>> logs(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const streaming::LogOptions& options) override;
    core::Result<std::unique_ptr<streaming::ExecSession>> exec(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const std::vector<std::string>& command, const streaming::ExecOptions& options) override;
    core::Result<std::unique_ptr<streaming::ExecSession>> attach(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const streaming::ExecOptions& options) override;
    /// A connection to 127.0.0.1:`port` made inside the pod's network namespace (a thread
    /// enters the sandbox's netns to create the socket), as the CRI's PortForward does.
    core::Result<int> portForward(const std::string& nameSpace, const std::string& pod,
                                  std::uint16_t port) override;
    /// Into the kubelet's image store, as its preloaded images.
    core::Result<nlohmann::json> loadImages(const std::filesystem::path& archive) override;
    /// `uploads` beside the image store's blobs.
    std::filesystem::path uploadDirectory() const override;

private:
    /// The running (or newest) instance of `container` in pod `nameSpace/pod`.
    core::Result<runtime::ContainerStatus> instance(const std::string& nameSpace,
                                                    const std::string& pod,
                                                    const std::string& container, bool previous);

    Kubelet& m_kubelet;
};

}  // namespace slipway::agent::kubelet
