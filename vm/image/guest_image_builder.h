// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "vm/image/cpio_archive.h"

namespace slipway::vm::image {

/// A host executable to carry into the guest with the shared libraries it needs.
struct GuestProgram {
    std::filesystem::path source;  ///< on the host
    std::string guestPath;         ///< where it goes: "usr/bin/slipwayd"
    /// Strip the symbol table and debug info first (our own binaries; Debian's are stripped).
    bool strip = false;
};

/// Everything the base initramfs is made of. Only `init` and `busybox` are required; the rest
/// is left out when empty (the unit tests build small images).
struct GuestImageInputs {
    std::filesystem::path init;     ///< the busybox sh script that becomes /init
    std::filesystem::path busybox;  ///< a static busybox; a link per applet is added
    /// The kernel's module folder (/lib/modules/<version>) and the modules to carry, by name
    /// ("virtio_net"); their dependencies from modules.dep come along.
    std::filesystem::path modulesDir;
    std::vector<std::string> modules;
    std::vector<GuestProgram> programs;
    /// Host files copied as they are, with the symlinks on their path ("/etc/mke2fs.conf").
    std::vector<std::filesystem::path> hostFiles;
    /// Image tarballs for slipwayd to preload: usr/share/slipway/images/<file name>.
    std::vector<std::filesystem::path> images;
    /// Shared libraries replaced by another file, by the name the program asks for
    /// ("libicudata.so.72" → an empty stand-in): the symlinks stay, the file is swapped.
    std::map<std::string, std::filesystem::path> libraryReplacements;
    /// Scratch space for stripped copies.
    std::filesystem::path workDir;
};

/// The modules.dep line for each of `names` and everything it depends on, in the order of
/// modules.dep: {"kernel/fs/ext4/ext4.ko", ...}. NotFound names a module that is missing.
/// Names match with '-' and '_' alike (virtio_rng is virtio-rng.ko).
core::Result<std::vector<std::string>> moduleClosure(std::string_view modulesDep,
                                                     const std::vector<std::string>& names);

/// The lines of a modules.alias or modules.symbols text whose module is among `modules`
/// (module names, '-' as '_').
std::string filterModuleAliases(std::string_view text, const std::vector<std::string>& modules);

/// The shared libraries `program` loads, with the dynamic loader, as absolute host paths
/// (from ldd). Empty for a static executable.
core::Result<std::vector<std::filesystem::path>> sharedLibraries(
    const std::filesystem::path& program);

/// Adds the host file `hostPath` at the same path in `archive`, re-creating each symlink met
/// on the way (/lib → usr/lib, the loader's link), so the guest resolves it as the host does.
core::Result<void> addHostPath(CpioArchive& archive, const std::filesystem::path& hostPath);

/// Assembles the base initramfs from `inputs`: the same inputs give the same archive.
core::Result<CpioArchive> buildGuestArchive(const GuestImageInputs& inputs);

}  // namespace slipway::vm::image
