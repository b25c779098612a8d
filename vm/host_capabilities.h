// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "vm/cluster.h"

namespace slipway::vm {

/// What this machine can give a cluster: the upper bounds of the create wizard's sliders.
struct HostResources {
    int cpus = 1;                  ///< online CPUs (sysconf _SC_NPROCESSORS_ONLN)
    std::int64_t memoryMiB = 0;    ///< MemTotal of /proc/meminfo
    std::int64_t diskFreeGiB = 0;  ///< free space (for unprivileged users) where clusters live
};

/// Reads the host's CPUs, memory and the free space of the file system `clustersRoot` is on
/// (its nearest existing parent when it does not exist yet). Never fails: what cannot be read
/// is 0 (1 CPU).
HostResources probeHostResources(const std::filesystem::path& clustersRoot);

/// MemTotal from the text of /proc/meminfo, in MiB; 0 when absent.
std::int64_t memTotalMiB(std::string_view meminfo);

/// Whether a driver can run clusters on this machine, and if not, why, in words for a user.
struct DriverAvailability {
    bool available = false;
    std::string reason;  ///< why not (empty when available), or a caveat when available
};

/// The local-process driver: it needs `slipwayd` (executable) and root, without which the
/// cluster has no node to run containers on.
DriverAvailability localDriverAvailability(const std::filesystem::path& slipwayd, bool root);

/// The libvirt driver on `uri`: the guest image (vmlinuz and initramfs.img in
/// `guestImageDir`, or image::locateGuestImage() when empty) and a connection to libvirt.
/// Opening the connection blocks (libvirtd may be slow to answer): call it off a GUI thread.
DriverAvailability libvirtDriverAvailability(const std::string& uri,
                                             const std::filesystem::path& guestImageDir);

/// Whether clusters of several nodes can be made on `uri` (they need the private network only
/// qemu:///system makes), and if not, why.
DriverAvailability multiNodeAvailability(const std::string& uri);

}  // namespace slipway::vm
