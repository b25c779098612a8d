// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace slipway::vm {

/// libvirt's domain type: which accelerator runs the guest.
enum class VirtType {
    Kvm,   ///< <domain type='kvm'>: hardware virtualisation
    Qemu,  ///< <domain type='qemu'>: QEMU's TCG, software emulation
    Test,  ///< <domain type='test'>: libvirt's test:/// driver (lifecycle tests)
};

std::string_view virtTypeName(VirtType type);

/// QEMU machine type.
enum class MachineType {
    Pc,       ///< i440FX, PCI devices, ACPI power button
    Q35,      ///< ICH9, PCIe devices, ACPI power button
    Microvm,  ///< virtio-mmio devices, no ACPI (the guest needs reboot=t; on_reboot destroys)
};

std::string_view machineTypeName(MachineType type);
core::Result<MachineType> parseMachineType(std::string_view name);

/// One file-backed virtio disk.
struct DiskSpec {
    std::filesystem::path file;
    std::string format = "qcow2";  ///< qcow2 or raw
    std::string target = "vda";    ///< guest device name (vda is the first virtio disk)
    std::string cache;             ///< libvirt cache mode ("none", "writeback"); empty: default
};

/// A forward from a host address and port to a guest port (QEMU user-mode hostfwd).
struct HostForward {
    std::string hostAddress = "127.0.0.1";
    std::uint16_t hostPort = 0;
    std::uint16_t guestPort = 0;
};

/// QEMU user-mode networking: the guest is 10.0.2.15 behind QEMU's NAT, and the host reaches
/// it only through forwards. Passed with <qemu:commandline> (libvirt 9.0 has no passt and
/// ignores <portForward> on user interfaces), with an explicit device address. Forwards can
/// be added at run time on the same netdev through the monitor (hostfwd_add netdevId ...).
struct UserNetwork {
    std::string netdevId = "net0";
    std::vector<HostForward> forwards;
    std::string macAddress;  ///< empty: QEMU's default
    int pciSlot = 0x10;      ///< PCI slot on pc/q35, chosen above what libvirt assigns itself
};

/// A NIC on a libvirt virtual network: the cluster's private network between its VMs.
struct NetworkInterface {
    std::string network;     ///< the libvirt network's name
    std::string macAddress;  ///< empty: libvirt chooses one
    /// PCI slot on pc/q35: after the user-mode NIC's (0x10), so the guest names it eth1.
    int pciSlot = 0x11;
};

/// How the domain's QEMU process is confined.
enum class SecurityLabel {
    Default,    ///< whatever libvirt does (qemu:///session: runs as the user)
    RunAsRoot,  ///< qemu:///system: run QEMU as root without relabelling, so it reads the
                ///< kernel, initrd and disks in the cluster's folder under root's home
};

/// Everything Slipway puts in a domain definition, typed. domainXml() turns it into libvirt
/// XML through an escaping writer.
struct DomainSpec {
    std::string name;
    /// The UUID of an existing definition being replaced; empty: libvirt generates one.
    std::string uuid;
    std::string title;  ///< a one-line description shown by virsh list --title
    VirtType type = VirtType::Qemu;
    MachineType machine = MachineType::Pc;
    std::int64_t memoryMiB = 2048;
    int vcpus = 2;
    /// Size of TCG's translation-block cache (type Qemu only; 0: QEMU's default). QEMU 7.2's
    /// default reserves 1 GiB, and the translated code the guest touches stays resident on
    /// the host: more than the guest's own memory for a small VM.
    std::int64_t tcgCacheMiB = 0;
    /// A virtio balloon through which the guest hands the pages it frees back to the host
    /// (free page reporting), so that QEMU's resident memory follows what the guest uses
    /// instead of the most it ever touched. PCI machines only; the guest loads virtio_balloon.
    bool freePageReporting = false;
    /// Direct kernel boot.
    std::filesystem::path kernel;
    std::filesystem::path initrd;
    std::string cmdline;
    std::vector<DiskSpec> disks;
    /// The first serial port (ttyS0) appended to this file; empty: no serial port.
    std::filesystem::path serialLog;
    /// User-mode NIC with host forwards; absent: no network.
    bool network = true;
    UserNetwork userNetwork;
    /// NICs on libvirt networks, after the user-mode one (eth1, eth2... in the guest).
    std::vector<NetworkInterface> interfaces;
    SecurityLabel securityLabel = SecurityLabel::Default;
};

/// A libvirt network for the traffic between a cluster's VMs: isolated, i.e. a host bridge
/// with no address of the host's on it (no <ip>), no DHCP and no forwarding (no <forward>),
/// so nothing leaves it and the host takes part in nothing. The guests address themselves.
struct IsolatedNetworkSpec {
    std::string name;
    /// The UUID of an existing definition being replaced; empty: libvirt generates one.
    std::string uuid;
};

/// The libvirt network XML of `spec`. Invalid without a name.
core::Result<std::string> isolatedNetworkXml(const IsolatedNetworkSpec& spec);

/// The libvirt domain XML of `spec`. Invalid if a required field is missing or a value
/// cannot be passed to QEMU safely (e.g. a ',' in a netdev option).
core::Result<std::string> domainXml(const DomainSpec& spec);

/// QEMU's -netdev argument for `network`: "user,id=net0,hostfwd=tcp:127.0.0.1:H-:G,...".
std::string userNetdevArgument(const UserNetwork& network);
/// The HMP command that adds `forward` to `netdevId` at run time.
std::string hostForwardAddCommand(const std::string& netdevId, const HostForward& forward);
/// The HMP command that removes it.
std::string hostForwardRemoveCommand(const std::string& netdevId, const HostForward& forward);

}  // namespace slipway::vm
