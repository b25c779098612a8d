// SPDX-License-Identifier: Apache-2.0
//
// slipway-mkguest: builds the guest image of the libvirt driver from what Debian installed on
// the build machine, with no downloads: the kernel of linux-image-amd64 (vmlinuz) and a
// reproducible initramfs (initramfs.img) holding busybox, the kernel modules the guest needs,
// slipwayd with its libraries, runc, mke2fs, the demo images and the guest's /init.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/core/atomic_file.h"
#include "vm/image/cpio_archive.h"
#include "vm/image/guest_image.h"
#include "vm/image/guest_image_builder.h"
#include "vm/image/pvh_kernel.h"

namespace {

using namespace slipway;
using namespace slipway::vm::image;
namespace fs = std::filesystem;

/// What the guest loads: its devices (virtio over PCI and MMIO), the data disk's ext4, the
/// pod network (bridge, veth, br_netfilter), the Service proxy's and NetworkPolicy runner's
/// nftables expressions, overlayfs for container roots, the ACPI power button and its evdev,
/// and the balloon that gives freed guest pages back to the host.
const std::vector<std::string> kGuestModules = {
    "virtio_pci",
    "virtio_mmio",
    "virtio_net",
    "virtio_blk",
    "virtio_console",
    "virtio_rng",
    "virtio_balloon",
    "ext4",
    "crc32c_generic",
    "overlay",
    "bridge",
    "br_netfilter",
    "veth",
    "nf_tables",
    "nf_conntrack",
    "nf_nat",
    "nft_chain_nat",
    "nft_ct",
    "nft_nat",
    "nft_masq",
    "nft_redir",
    "nft_numgen",
    "nft_hash",
    "nft_limit",
    "nft_fib_inet",
    "nft_fib_ipv4",
    "nft_fib_ipv6",
    "nft_reject_inet",
    "nft_reject_ipv4",
    "nft_reject_ipv6",
    "button",
    "evdev",
};

/// Compares Debian kernel versions ("6.1.0-9" < "6.1.0-56"): digit runs as numbers.
bool versionLess(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) &&
            std::isdigit(static_cast<unsigned char>(b[j]))) {
            std::size_t ei = i;
            std::size_t ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) {
                ++ei;
            }
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) {
                ++ej;
            }
            const auto na = std::stoull(a.substr(i, ei - i));
            const auto nb = std::stoull(b.substr(j, ej - j));
            if (na != nb) {
                return na < nb;
            }
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) {
                return a[i] < b[j];
            }
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

std::string runForOutput(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    char buffer[1024];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        out.append(buffer, n);
    }
    ::pclose(pipe);
    return out;
}

/// The kernel of the linux-image-amd64 package (the version it depends on), else the newest
/// /boot/vmlinuz-*.
std::optional<fs::path> findKernel() {
    const std::string depends =
        runForOutput("dpkg-query -W -f '${Depends}' linux-image-amd64 2>/dev/null");
    const std::string prefix = "linux-image-";
    if (const auto at = depends.find(prefix); at != std::string::npos) {
        std::string version = depends.substr(at + prefix.size());
        version = version.substr(0, version.find_first_of(" ,|("));
        const fs::path kernel = fs::path("/boot") / ("vmlinuz-" + version);
        std::error_code ec;
        if (!version.empty() && fs::is_regular_file(kernel, ec)) {
            return kernel;
        }
    }
    std::optional<fs::path> newest;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/boot", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("vmlinuz-") &&
            (!newest || versionLess(newest->filename().string(), name))) {
            newest = entry.path();
        }
    }
    return newest;
}

int fail(const std::string& message) {
    std::cerr << "slipway-mkguest: " << message << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"slipway-mkguest — builds the Slipway guest image (vmlinuz, initramfs.img)",
                 "slipway-mkguest"};
    fs::path outputDir;
    fs::path kernel;
    fs::path modulesDir;
    GuestImageInputs inputs;
    fs::path slipwayd;
    fs::path shim;
    fs::path runc = "/usr/sbin/runc";
    fs::path mke2fs = "/sbin/mke2fs";
    std::vector<fs::path> images;
    std::string compressionName = "none";
    inputs.busybox = "/bin/busybox";
    app.add_option("--output-dir", outputDir, "Where vmlinuz and initramfs.img go")->required();
    app.add_option("--kernel", kernel,
                   "The kernel (default: linux-image-amd64's, else the newest /boot/vmlinuz-*)");
    app.add_option("--modules-dir", modulesDir,
                   "The kernel's modules (default: /lib/modules/<kernel version>)");
    app.add_option("--init", inputs.init, "The guest's /init script")->required();
    app.add_option("--busybox", inputs.busybox, "A static busybox")->capture_default_str();
    app.add_option("--slipwayd", slipwayd, "The slipwayd to carry")->required();
    app.add_option("--shim", shim, "The slipway-shim to carry")->required();
    app.add_option("--runc", runc, "runc")->capture_default_str();
    app.add_option("--mke2fs", mke2fs, "mke2fs (formats the data disk)")->capture_default_str();
    app.add_option("--images", images, "Image tarballs, or folders of *.tar, to preload");
    app.add_option("--compression", compressionName, "none, gzip or zstd")->capture_default_str();
    std::vector<std::string> replacements;
    app.add_option("--replace-library", replacements,
                   "NAME=FILE: carry FILE instead of the shared library NAME (libicudata.so.72)");
    app.add_option("--work-dir", inputs.workDir, "Scratch space (default: <output-dir>/work)");
    CLI11_PARSE(app, argc, argv);

    const auto compression = parseCompression(compressionName);
    if (!compression) {
        return fail("unknown compression " + compressionName + " (none, gzip or zstd)");
    }
    if (kernel.empty()) {
        auto found = findKernel();
        if (!found) {
            return fail(
                "no kernel: install the Debian package linux-image-amd64 (it provides "
                "/boot/vmlinuz-<version> and /lib/modules/<version>), or pass --kernel");
        }
        kernel = *found;
    }
    const std::string kernelName = kernel.filename().string();
    if (modulesDir.empty()) {
        if (!kernelName.starts_with("vmlinuz-")) {
            return fail("cannot tell the version of " + kernel.string() +
                        "; pass --modules-dir /lib/modules/<version>");
        }
        modulesDir = fs::path("/lib/modules") / kernelName.substr(std::string("vmlinuz-").size());
    }
    auto kernelBytes = core::readFile(kernel);
    if (!kernelBytes) {
        return fail(kernelBytes.error().message() +
                    " (Debian installs kernels readable by root only: build as root or make it "
                    "readable)");
    }
    if (inputs.workDir.empty()) {
        inputs.workDir = outputDir / "work";
    }
    inputs.modulesDir = modulesDir;
    inputs.modules = kGuestModules;
    inputs.programs = {
        {slipwayd, "usr/bin/slipwayd", true},
        {shim, "usr/bin/slipway-shim", true},
        {runc, "usr/bin/runc", false},
        {mke2fs, "usr/sbin/mke2fs", false},
    };
    inputs.hostFiles = {"/etc/mke2fs.conf"};
    for (const auto& replacement : replacements) {
        const auto at = replacement.find('=');
        if (at == std::string::npos || at == 0 || at + 1 == replacement.size()) {
            return fail("--replace-library wants NAME=FILE, not " + replacement);
        }
        inputs.libraryReplacements[replacement.substr(0, at)] = replacement.substr(at + 1);
    }
    for (const auto& path : images) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            inputs.images.push_back(path);
            continue;
        }
        std::vector<fs::path> inside;
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            if (entry.path().extension() == ".tar") {
                inside.push_back(entry.path());
            }
        }
        std::sort(inside.begin(), inside.end());
        inputs.images.insert(inputs.images.end(), inside.begin(), inside.end());
    }

    const auto started = std::chrono::steady_clock::now();
    auto archive = buildGuestArchive(inputs);
    if (!archive) {
        return fail(archive.error().message());
    }
    // runc is also where the host has it, for scripts that call /usr/sbin/runc.
    archive->addSymlink("usr/sbin/runc", "../bin/runc");
    auto bytes = archive->toBytes(*compression);
    if (!bytes) {
        return fail(bytes.error().message());
    }
    std::error_code ec;
    fs::create_directories(outputDir, ec);
    if (auto written = core::writeFileAtomically(outputDir / kKernelFileName, *kernelBytes, 0644);
        !written) {
        return fail(written.error().message());
    }
    if (auto written = core::writeFileAtomically(outputDir / kInitramfsFileName, *bytes, 0644);
        !written) {
        return fail(written.error().message());
    }
    // The kernel unpacked once here rather than at every boot of every guest.
    std::string pvhNote;
    if (auto pvh = pvhKernelFromBzImage(*kernelBytes)) {
        if (auto written = core::writeFileAtomically(outputDir / kPvhKernelFileName, *pvh, 0644);
            !written) {
            return fail(written.error().message());
        }
        pvhNote = ", " + std::string(kPvhKernelFileName) + " for PVH boot";
    } else {
        fs::remove(outputDir / kPvhKernelFileName, ec);
        pvhNote = ", no PVH boot: " + pvh.error().message();
    }
    fs::remove_all(inputs.workDir, ec);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::cout << "slipway-mkguest: " << kernel.string() << " and " << archive->entries().size()
              << " entries (" << compressionName << ", " << bytes->size() / 1024 << " KiB) in "
              << outputDir.string() << pvhNote << " (" << elapsed.count() << " ms)\n";
    return 0;
}
