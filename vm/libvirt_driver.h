// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "vm/accelerator.h"
#include "vm/domain_spec.h"
#include "vm/driver.h"

namespace slipway::vm {

class Domain;

class LibvirtConnection;

/// Settings of the libvirt driver that are not per cluster.
struct LibvirtDriverOptions {
    /// Folder with the guest's vmlinuz and initramfs.img; empty: image::locateGuestImage().
    std::filesystem::path guestImageDir;
    std::filesystem::path qemuImg = "qemu-img";
    /// QEMU for the KVM probe.
    std::filesystem::path qemu = "qemu-system-x86_64";
    /// Where the KVM probe's answer is kept for the rest of the boot; empty: the default
    /// (defaultProbeCacheFile()).
    std::filesystem::path probeCacheFile;
    std::chrono::milliseconds probeDeadline = std::chrono::seconds(8);
    MachineType machine = MachineType::Pc;
};

/// Runs each node of a cluster as a libvirt domain `slipway-<node>`: the first node, the
/// server, is named after the cluster (as minikube names its nodes) and runs `slipwayd server`;
/// the others, `<cluster>-m02`, `-m03`..., run `slipwayd agent` and join it with the cluster's
/// join token. Direct kernel boot of the guest image with a per-node config initrd, a
/// persistent qcow2 data disk, the serial console logged to the node's folder and QEMU
/// user-mode networking whose only way in is forwards on the host's 127.0.0.1 (on the server
/// only). On qemu:///system the VMs also share a libvirt isolated network `slipway-<cluster>`
/// (a bridge without any host address, kPrivateSubnet) over which nodes reach the API server
/// and each other's pods; qemu:///session cannot make one, so clusters there have one node.
/// Files in the cluster's folder:
///   pki/                  the cluster CA and admin certificate (the host is authoritative)
///   kubeconfig            the admin kubeconfig for https://127.0.0.1:<apiPort>
///   machine.json          where the domains were defined (URI) and with which accelerator
///   nodes.json            the nodes: name, role, private address
///   join-token            the token agents join with (mode 0600)
///   forwards.json         guest node ports exposed on the host (re-added at every start)
///   <node>/initrd.img     guest image + config archive (mode 0600: it holds keys)
///   <node>/data.qcow2     the data disk, created once and kept across stops
///   <node>/console.log    the guest's serial console, appended at every boot
/// Every operation is idempotent and tolerates a half-created or killed machine.
class LibvirtDriver final : public Driver {
public:
    /// The private network's addresses: the server is .10, agent -mNN is .(9+NN). Clear of
    /// QEMU's user network (10.0.2.0/24), the pods' (10.244.0.0/16) and the Services'
    /// (10.96.0.0/12); every cluster has a network of its own, so they may share it.
    static constexpr const char* kPrivateSubnet = "192.168.213.0/24";

    explicit LibvirtDriver(LibvirtDriverOptions options = {});
    ~LibvirtDriver() override;

    core::Result<void> launch(ClusterSpec& spec, const std::filesystem::path& dir,
                              const ProgressCallback& progress) override;
    core::Result<void> halt(const ClusterSpec& spec, const std::filesystem::path& dir,
                            std::chrono::milliseconds grace,
                            const ProgressCallback& progress) override;
    MachineState observe(const ClusterSpec& spec, const std::filesystem::path& dir) const override;
    /// Destroys and undefines the domains and the private network; their files go with the
    /// cluster's folder.
    core::Result<void> release(const ClusterSpec& spec, const std::filesystem::path& dir,
                               const ProgressCallback& progress) override;
    core::Result<void> pause(const ClusterSpec& spec, const std::filesystem::path& dir) override;
    core::Result<void> resume(const ClusterSpec& spec, const std::filesystem::path& dir) override;
    /// `<node>/console.log` of the server.
    std::filesystem::path logPath(const ClusterSpec& spec,
                                  const std::filesystem::path& dir) const override;
    /// A run-time forward 127.0.0.1:<host port> → guest port of the server, through the QEMU
    /// monitor.
    core::Result<std::uint16_t> exposePort(const ClusterSpec& spec,
                                           const std::filesystem::path& dir,
                                           std::uint16_t guestPort) override;
    /// hostfwd_add / hostfwd_remove through the QEMU monitor of the server.
    core::Result<void> forwardHostPort(const ClusterSpec& spec, const std::filesystem::path& dir,
                                       std::uint16_t hostPort, std::uint16_t guestPort) override;
    core::Result<void> unforwardHostPort(const ClusterSpec& spec, const std::filesystem::path& dir,
                                         std::uint16_t hostPort) override;
    std::vector<NodeMachine> nodes(const ClusterSpec& spec,
                                   const std::filesystem::path& dir) const override;
    core::Result<NodeMachine> addNode(const ClusterSpec& spec, const std::filesystem::path& dir,
                                      const ProgressCallback& progress) override;
    core::Result<void> removeNode(const ClusterSpec& spec, const std::filesystem::path& dir,
                                  const std::string& node,
                                  const ProgressCallback& progress) override;

    /// The libvirt URI of a cluster: its own setting, else defaultLibvirtUri().
    static std::string uriFor(const ClusterSpec& spec);
    /// "slipway-<node>".
    static std::string domainName(const std::string& nodeName);
    /// "slipway-<cluster>": the cluster's private network.
    static std::string networkName(const std::string& clusterName);
    /// Whether clusters on `uri` get a private network (qemu:///system and test:///; not
    /// qemu:///session, which cannot make bridges).
    static bool hasPrivateNetwork(const std::string& uri);
    /// The definition launch uses for `node`, for a given virtualisation type and kernel
    /// (exposed for tests).
    DomainSpec domainSpec(const ClusterSpec& spec, const std::filesystem::path& dir,
                          const NodeMachine& node, VirtType type,
                          const std::filesystem::path& kernel) const;

private:
    struct Image {
        std::filesystem::path kernel;
        std::filesystem::path initrd;
    };
    core::Result<Image> guestImage() const;
    core::Result<std::shared_ptr<LibvirtConnection>> connect(const std::string& uri) const;
    /// The URI the cluster's domains were defined on (machine.json), else uriFor(spec).
    std::string definedUri(const ClusterSpec& spec, const std::filesystem::path& dir) const;
    core::Result<void> addForwards(const ClusterSpec& spec, const std::filesystem::path& dir,
                                   const ProgressCallback& progress);
    /// Writes the node's initrd and disk, (re)defines its domain and starts it; a running
    /// domain is left alone.
    core::Result<void> bootNode(LibvirtConnection& connection, const ClusterSpec& spec,
                                const std::filesystem::path& dir, const NodeMachine& node,
                                VirtType type, const Image& image,
                                const ProgressCallback& progress);
    /// The server's domain while it runs; Unavailable ("cluster … is not running") otherwise.
    core::Result<Domain> runningServer(const ClusterSpec& spec,
                                       const std::filesystem::path& dir) const;
    /// Runs `action` on every running domain of the cluster; Unavailable when the server
    /// does not run.
    core::Result<void> withRunningDomains(
        const ClusterSpec& spec, const std::filesystem::path& dir,
        const std::function<core::Result<void>(Domain&)>& action) const;

    LibvirtDriverOptions m_options;
    mutable std::mutex m_mutex;
    mutable std::map<std::string, std::shared_ptr<LibvirtConnection>> m_connections;
};

}  // namespace slipway::vm
