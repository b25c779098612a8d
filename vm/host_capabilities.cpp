// SPDX-License-Identifier: Apache-2.0
#include "vm/host_capabilities.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <sys/statvfs.h>
#include <unistd.h>

#include "vm/image/guest_image.h"
#include "vm/libvirt_connection.h"
#include "vm/libvirt_driver.h"

namespace slipway::vm {

std::int64_t memTotalMiB(std::string_view meminfo) {
    constexpr std::string_view kKey = "MemTotal:";
    const auto at = meminfo.find(kKey);
    if (at == std::string_view::npos) {
        return 0;
    }
    std::string_view rest = meminfo.substr(at + kKey.size());
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    std::int64_t kib = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
    (void)end;
    return ec == std::errc() ? kib / 1024 : 0;
}

HostResources probeHostResources(const std::filesystem::path& clustersRoot) {
    HostResources host;
    const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    host.cpus = cpus > 0 ? static_cast<int>(cpus) : 1;

    std::ifstream meminfo("/proc/meminfo");
    std::stringstream text;
    text << meminfo.rdbuf();
    host.memoryMiB = memTotalMiB(text.str());

    // The root is made by the first create: measure the file system it will be on.
    std::filesystem::path existing = clustersRoot.empty() ? "/" : clustersRoot;
    std::error_code ec;
    while (!std::filesystem::exists(existing, ec) && existing.has_parent_path() &&
           existing != existing.parent_path()) {
        existing = existing.parent_path();
    }
    struct statvfs fs {};
    if (::statvfs(existing.c_str(), &fs) == 0) {
        const auto bytes = static_cast<unsigned long long>(fs.f_bavail) *
                           static_cast<unsigned long long>(fs.f_frsize);
        host.diskFreeGiB = static_cast<std::int64_t>(bytes >> 30);
    }
    return host;
}

DriverAvailability localDriverAvailability(const std::filesystem::path& slipwayd, bool root) {
    if (slipwayd.empty() || ::access(slipwayd.c_str(), X_OK) != 0) {
        return {false, "slipwayd was not found (looked for " +
                           (slipwayd.empty() ? std::string("it") : slipwayd.string()) +
                           "); install Slipway or build the slipwayd target"};
    }
    if (!root) {
        return {false,
                "a local-process cluster runs containers on this machine, which needs root "
                "(namespaces, cgroups); run Slipway Studio as root or choose a libvirt VM"};
    }
    return {true, {}};
}

DriverAvailability libvirtDriverAvailability(const std::string& uri,
                                             const std::filesystem::path& guestImageDir) {
    std::filesystem::path imageDir = guestImageDir;
    if (imageDir.empty()) {
        auto located = image::locateGuestImage();
        if (!located) {
            return {false, "no guest image: " + located.error().message()};
        }
        imageDir = *located;
    }
    std::error_code ec;
    for (const auto name : {image::kKernelFileName, image::kInitramfsFileName}) {
        if (!std::filesystem::exists(imageDir / name, ec)) {
            return {false, "no guest image: " + (imageDir / name).string() +
                               " is missing (build the slipway-guest target)"};
        }
    }
    if (uri == "qemu:///system" && ::geteuid() != 0) {
        // libvirt may still let a member of the libvirt group in; the open below decides, but
        // its error alone ("authentication failed") would not say why.
        auto connection = LibvirtConnection::open(uri);
        if (!connection) {
            return {false, "qemu:///system needs root (or membership of the libvirt group): " +
                               connection.error().message()};
        }
        return {true, {}};
    }
    auto connection = LibvirtConnection::open(uri);
    if (!connection) {
        return {false, "libvirt is not reachable: " + connection.error().message()};
    }
    return {true, {}};
}

DriverAvailability multiNodeAvailability(const std::string& uri) {
    if (LibvirtDriver::hasPrivateNetwork(uri)) {
        return {true, {}};
    }
    return {false,
            "clusters of several nodes need a private network between the VMs, which "
            "only qemu:///system makes (run as root)"};
}

}  // namespace slipway::vm
