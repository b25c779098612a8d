// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::vm::image {

/// The uncompressed kernel (vmlinux, ELF) inside a bzImage such as Debian's
/// /boot/vmlinuz-*, if it has a PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY, CONFIG_PVH).
///
/// QEMU boots such an ELF directly (`-kernel vmlinux`, pc, q35 and microvm): no real-mode
/// setup code and no decompression in the guest. Under TCG, decompressing Debian's
/// xz-compressed kernel is several seconds of every boot; done once at build time it is none.
/// The payload is found through the boot protocol's setup header and unpacked with libarchive
/// (whatever compression the kernel was built with), then checked against the size the build
/// appended. NotFound when `bzImage` is no bzImage, its payload does not unpack whole, or the
/// kernel has no PVH entry.
core::Result<std::string> pvhKernelFromBzImage(std::string_view bzImage);

/// Whether `elf` is a whole 64-bit ELF file whose notes hold a PVH entry point.
bool hasPvhEntry(std::string_view elf);

}  // namespace slipway::vm::image
