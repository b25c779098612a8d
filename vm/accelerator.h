// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::vm {

/// Which accelerator runs a cluster's VMs.
enum class Accelerator {
    Auto,  ///< KVM if the probe shows it works, TCG otherwise
    Kvm,   ///< hardware virtualisation
    Tcg,   ///< QEMU's software emulation: slower, works everywhere
};

std::string_view acceleratorName(Accelerator accel);
core::Result<Accelerator> parseAccelerator(std::string_view name);

/// How the KVM probe runs: QEMU with `-accel kvm` boots `kernel` without an initrd, and the
/// kernel reaching its "cannot mount root" panic on the serial console within `deadline`
/// proves that KVM runs guests. On some machines /dev/kvm opens but a guest never gets
/// anywhere; only a real boot tells.
struct KvmProbeOptions {
    std::filesystem::path qemu = "qemu-system-x86_64";
    std::filesystem::path kernel;
    std::filesystem::path kvmDevice = "/dev/kvm";
    std::chrono::milliseconds deadline = std::chrono::seconds(8);
    /// Where the result is kept, with the boot it was measured in; empty: not cached.
    std::filesystem::path cacheFile;
    /// The current boot; empty: /proc/sys/kernel/random/boot_id.
    std::string bootId;
};

/// What the probe found.
struct AcceleratorChoice {
    Accelerator accelerator = Accelerator::Tcg;  ///< Kvm or Tcg, never Auto
    std::string reason;   ///< "KVM boots a guest" or why not, for progress and status
    bool cached = false;  ///< from an earlier probe in this boot
};

/// Probes KVM, or returns this boot's cached answer. Never fails: anything that goes wrong
/// means TCG, with the reason.
AcceleratorChoice probeKvm(const KvmProbeOptions& options);

/// The default cache file: $XDG_CACHE_HOME/slipway/kvm-probe.json (or ~/.cache/...).
std::filesystem::path defaultProbeCacheFile();

}  // namespace slipway::vm
