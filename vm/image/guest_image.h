// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace slipway::vm::image {

/// The guest image's files inside its folder (see locateGuestImage).
inline constexpr std::string_view kKernelFileName = "vmlinuz";
/// The same kernel uncompressed, for QEMU's PVH boot; the image has it when the kernel allows.
inline constexpr std::string_view kPvhKernelFileName = "vmlinux";
inline constexpr std::string_view kInitramfsFileName = "initramfs.img";
/// The kernel command line the guest's /init expects (add "reboot=t" on QEMU's microvm).
inline constexpr std::string_view kKernelCommandLine = "console=ttyS0 panic=-1 quiet";
/// Lines the guest's /init prints on the console (ttyS0) as it comes up and goes down.
inline constexpr std::string_view kMarkerNetworkUp = "slipway-guest: network up";
inline constexpr std::string_view kMarkerDataDiskReady = "slipway-guest: data disk ready";
inline constexpr std::string_view kMarkerSlipwaydStarted = "slipway-guest: slipwayd started";
inline constexpr std::string_view kMarkerPoweringOff = "slipway-guest: powering off";
/// Where the guest's slipwayd keeps its state (the data disk, /dev/vda, is mounted there).
inline constexpr std::string_view kGuestDataDir = "/var/lib/slipway";

/// The folder holding `vmlinuz` and `initramfs.img`: $SLIPWAY_GUEST_IMAGE_DIR when set, else
/// `<folder of the running executable>/../share/slipway/guest` (installed and build tree
/// alike), else the build tree's share/slipway/guest. NotFound, naming the folders tried, when
/// none holds both files.
core::Result<std::filesystem::path> locateGuestImage();

/// The kernel to boot from the guest image in `imageDir`: `vmlinux` (PVH, nothing to
/// decompress in the guest) when the image has it, else `vmlinuz`.
std::filesystem::path bootKernel(const std::filesystem::path& imageDir);

/// The cluster certificates the host hands to a node (contents of the PEM files that
/// pki::ensureClusterPki keeps in `<cluster dir>/pki`). The guest installs them into its
/// slipwayd's data dir on every boot: the host is authoritative, so the host's admin
/// kubeconfig always works.
struct GuestPki {
    std::string caCertificate;     ///< ca.crt
    std::string caKey;             ///< ca.key
    std::string adminCertificate;  ///< admin.crt
    std::string adminKey;          ///< admin.key
    /// Agents: the streaming server's certificate and key, issued by the cluster CA for the
    /// node (kubelet.crt, kubelet.key); an agent needs neither the CA key nor the admin's.
    std::string kubeletCertificate;
    std::string kubeletKey;
};

/// A second network interface for traffic between nodes (multi-node); empty: none.
struct GuestPrivateNetwork {
    std::string interfaceName;  ///< "eth1"
    std::string address;        ///< CIDR, "192.168.100.11/24"
};

/// What one node's guest needs to know at boot. Written by writeConfigInitramfs as
/// /etc/slipway/guest.env (shell-quoted KEY=VALUE lines the /init sources) and
/// /etc/slipway/pki/{ca.crt,ca.key,admin.crt,admin.key}.
struct GuestConfig {
    std::string role = "server";   ///< "server" or "agent"
    std::string nodeName;          ///< the Node's name
    std::string clusterName;       ///< the cluster (kubeconfig context) name
    std::uint16_t apiPort = 6443;  ///< the API server's port inside the guest
    /// The guest's address on its (user-mode) NIC, eth0, with prefix, gateway and resolver.
    std::string nodeIp = "10.0.2.15";
    int prefixLength = 24;
    std::string gateway = "10.0.2.2";
    std::string dns = "10.0.2.3";
    std::string serverUrl;  ///< agents: the server's API URL
    std::string joinToken;  ///< agents: the token they join with
    GuestPki pki;
    /// More arguments for `slipwayd server` (after the ones /init passes itself).
    std::vector<std::string> extraArgs;
    GuestPrivateNetwork privateNetwork;
};

/// The /etc/slipway/guest.env text for `config` (exposed for tests and for `slipway logs`).
/// Every value is single-quoted; SLIPWAY_EXTRA_ARGS holds the quoted arguments, for
/// `eval "set -- $SLIPWAY_EXTRA_ARGS"`.
std::string guestEnvironment(const GuestConfig& config);

/// Quotes `value` for a POSIX shell: 'it'\''s'.
std::string shellQuote(std::string_view value);

/// Writes the node's small configuration initramfs: an uncompressed newc cpio holding
/// /etc/slipway/guest.env and /etc/slipway/pki/*. Keys are mode 0600 inside, and the file
/// itself is 0600 (it holds the cluster CA's key).
core::Result<void> writeConfigInitramfs(const GuestConfig& config,
                                        const std::filesystem::path& path);

/// The node's initrd: the base image, zero-padded to a multiple of 4 bytes, then the config
/// archive (the kernel unpacks concatenated archives in order; an uncompressed cpio must
/// start 4-byte aligned). Replaces `out` atomically, mode 0600 (it holds the config's keys).
core::Result<void> writeNodeInitrd(const std::filesystem::path& base,
                                   const std::filesystem::path& config,
                                   const std::filesystem::path& out);

}  // namespace slipway::vm::image
